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
