from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from shared.platform.config import ServiceSettings

#: The proof-of-work key of development and tests; refused in production.
DEVELOPMENT_CHALLENGE_KEY = "development-only-altcha-key-not-for-production"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="VOTING_")
    service_name = "voting"

    port: int = 8005

    code_ttl_seconds: int = Field(300, ge=30, le=3600, description="how long a voter's code is good for")
    code_attempts: int = Field(5, ge=1, le=20, description="wrong tries before a code is void")
    code_channel: Literal["whatsapp", "email"] = Field(
        "whatsapp",
        description="how codes are sent by default: whatsapp where the notifications gateway is "
        "configured, else email (a request for WhatsApp is then refused)",
    )
    challenge_hmac_key: SecretStr = Field(
        SecretStr(DEVELOPMENT_CHALLENGE_KEY), description="signs the ALTCHA proof-of-work challenges"
    )
    challenge_max_number: int = Field(
        50_000, ge=10, le=10_000_000, description="the ALTCHA difficulty: the largest number to search"
    )
    challenge_ttl_seconds: int = Field(
        600, ge=30, le=86_400, description="how long a challenge may be solved"
    )

    throttle_window_seconds: int = Field(
        600, ge=10, description="the window the code-request limits count in"
    )
    throttle_per_address: int = Field(3, ge=1, description="code requests per address per window")
    throttle_per_ip: int = Field(10, ge=1, description="code requests per client IP per window")
    throttle_per_block: int = Field(
        30, ge=1, description="code requests per /24 (IPv4) or /48 (IPv6) per window"
    )

    fraud_poll_seconds: float = Field(30.0, gt=0, description="how often the fraud pass looks at the votes")
    fraud_burst_seconds: int = Field(
        60, ge=1, description="an address block's burst is counted in windows this long"
    )
    fraud_burst_votes: int = Field(
        10, ge=2, description="votes from one address block in one window that raise a flag"
    )
    fraud_range_digits: int = Field(
        3, ge=1, le=6, description="numbers alike but for this many last digits share a range"
    )
    fraud_range_voters: int = Field(5, ge=2, description="voters in one number range that raise a flag")
    fraud_inhuman_seconds: float = Field(
        4.0, ge=0, description="a vote sooner than this after its code is inhuman"
    )
    fraud_weak_challenge_ms: int = Field(
        150, ge=0, description="a challenge solved sooner than this after it was issued is suspect"
    )
    fraud_max_votes: int = Field(200_000, ge=1, description="the most votes of one edition one pass reads")

    public_max_age_seconds: int = Field(15, ge=0, description="Cache-Control max-age of the public reads")
    ballot_fresh_seconds: float = Field(
        1.0,
        ge=0,
        description="how long a replica keeps an edition's window and entries to check votes against",
    )
    public_fresh_seconds: float = Field(
        1.0, ge=0, description="how long a replica keeps a built public read (gallery, public tally)"
    )

    @model_validator(mode="after")
    def _challenge_key(self) -> Self:
        if self.environment != "development" and (
            self.challenge_hmac_key.get_secret_value() == DEVELOPMENT_CHALLENGE_KEY
            or len(self.challenge_hmac_key.get_secret_value()) < 32
        ):
            raise ValueError("challenge_hmac_key must be a secret of at least 32 characters of its own")
        return self
