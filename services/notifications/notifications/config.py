from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from shared.platform.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATIONS_")
    service_name = "notifications"

    port: int = 8004

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(25, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_from: str = "KIM Contest <noreply@kim-contest.local>"
    smtp_timeout_seconds: float = Field(10.0, gt=0)

    webhook_timeout_seconds: float = Field(5.0, gt=0)
    webhook_allow_private_addresses: bool = Field(
        False, description="let webhooks target loopback, private and link-local addresses (development)"
    )

    delivery_poll_seconds: float = Field(
        1.0, gt=0, description="how often pending email/webhook deliveries are sent"
    )
    delivery_max_attempts: int = Field(5, ge=1, le=50)
    delivery_backoff_seconds: float = Field(
        30.0, gt=0, description="wait before retrying a failed email/webhook delivery; doubles each time"
    )
    default_language: Literal["id", "en"] = "id"

    console_url: str = Field(
        "http://127.0.0.1:8000", description="the web console's address, for the links in messages"
    )
    reminder_poll_seconds: float = Field(
        60.0, gt=0, description="how often the reminders due before a deadline are made"
    )

    whatsapp_base_url: str = Field(
        "https://graph.facebook.com", description="the WhatsApp Business Cloud API (or a gateway speaking it)"
    )
    whatsapp_api_version: str = "v21.0"
    whatsapp_phone_number_id: str | None = Field(None, description="the sending number's id at the gateway")
    whatsapp_token: SecretStr | None = Field(
        None, description="bearer token; without it WhatsApp falls back to email"
    )
    whatsapp_app_secret: SecretStr | None = Field(
        None, description="checks the status callbacks' X-Hub-Signature-256; without it they are refused"
    )
    whatsapp_verify_token: SecretStr | None = Field(
        None, description="answers the gateway's GET /whatsapp/status verification handshake"
    )
    whatsapp_rate_per_second: float = Field(
        80.0, gt=0, description="messages a second per sending number (the Cloud API's default is 80)"
    )
    whatsapp_timeout_seconds: float = Field(10.0, gt=0)

    @field_validator(
        "smtp_username",
        "smtp_password",
        "whatsapp_phone_number_id",
        "whatsapp_token",
        "whatsapp_app_secret",
        "whatsapp_verify_token",
        mode="before",
    )
    @classmethod
    def _empty_means_no_login(cls, value: object) -> object:
        # A relay that takes mail without a login is configured with both left empty.
        return None if value == "" else value
