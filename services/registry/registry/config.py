from __future__ import annotations

from pathlib import Path

from pydantic import EmailStr, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.platform.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTRY_")
    service_name = "registry"

    port: int = 8001
    regions_file: Path | None = Field(None, description="region reference data; Kota Malang by default")
    deadline_check_seconds: float = Field(5.0, gt=0, description="how often deadlines are checked")

    #: The first staff account, created at start-up when no staff account exists
    #: (or with `python -m registry.accounts create-admin`).
    first_admin_email: EmailStr | None = None
    first_admin_password: SecretStr | None = Field(None, min_length=10, max_length=128)
    token_lifetime_minutes: int = Field(15, ge=1, le=24 * 60, description="how long an access token lasts")
    login_failures_allowed: int = Field(
        5,
        ge=1,
        le=100,
        description="failed logins per (account, client address) pair before that pair pauses",
    )
    login_pause_seconds: float = Field(60.0, gt=0, description="the pause; it doubles while failures go on")

    # Mail the registry sends itself: registration confirmations and password resets.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(25, ge=1, le=65535)
    smtp_username: str | None = Field(None, description="with a password: log in to the relay")
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_sender: str = "KIM Contest <noreply@kim-contest.local>"
    smtp_timeout_seconds: float = Field(10.0, gt=0)
    mail_poll_seconds: float = Field(1.0, gt=0, description="how often the mail outbox is looked at")
    mail_attempts: int = Field(8, ge=1, le=50, description="tries per mail before it is given up")
    console_url: str = Field(
        "http://127.0.0.1:8000", description="the console's public address: the links in mails point there"
    )
    #: Registrations and password resets that send mail, per email and per client address.
    mail_requests_per_email: int = Field(5, ge=1, le=1000, description="per email address in the window")
    mail_requests_per_client: int = Field(20, ge=1, le=10_000, description="per client address in the window")
    mail_requests_window_seconds: float = Field(3600.0, gt=0)
