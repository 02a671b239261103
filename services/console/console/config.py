"""The console's settings (env prefix `CONSOLE_`). It has no database: only the
four services' URLs, the broker (for live updates) and the secret that signs
its cookies and CSRF tokens."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.platform.config import MIN_TOKEN_SECRET_LENGTH, PLACEHOLDER_SECRETS

DEVELOPMENT_SESSION_SECRET = "development-only-console-secret-not-for-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONSOLE_", extra="ignore", frozen=True)

    environment: Literal["development", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    registry_url: str = "http://127.0.0.1:8001"
    submissions_url: str = "http://127.0.0.1:8002"
    judging_url: str = "http://127.0.0.1:8003"
    notifications_url: str = "http://127.0.0.1:8004"
    voting_url: str = "http://127.0.0.1:8005"
    amqp_url: SecretStr = SecretStr("amqp://guest:guest@127.0.0.1:5672/")
    #: The notifications service's broker user: the live inbox takes
    #: `notification.delivered` only from it (the message's AMQP `user_id`).
    notifications_broker_user: str = "notifications"
    #: Signs the session cookie and the CSRF tokens; at least 32 characters outside development.
    session_secret: SecretStr = SecretStr(DEVELOPMENT_SESSION_SECRET)
    #: Where people reach the console, for absolute links (Open Graph).
    public_url: str = "http://127.0.0.1:8000"
    request_timeout_seconds: float = Field(10.0, gt=0, le=120)
    #: Comma-separated addresses or networks (CIDR) of the reverse proxies in front of the console,
    #: whose X-Forwarded-For is believed (and passed on to the registry's login throttle); none by
    #: default. Run uvicorn with --no-proxy-headers: the console applies this itself.
    trusted_proxies: str = ""
    #: Listen on the broker for new inbox items (the live inbox); off, a reload shows them.
    live_updates: bool = True
    #: An open live stream ends after this long (the browser reconnects) and says it is alive this often.
    #: Short enough: uvicorn's graceful shutdown waits for open streams to end.
    live_stream_seconds: float = Field(120.0, gt=0, le=3600)
    live_heartbeat_seconds: float = Field(15.0, gt=0, le=300)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [part.strip() for part in self.trusted_proxies.split(",") if part.strip()]

    @property
    def secure_cookies(self) -> bool:
        return self.environment != "development"

    @model_validator(mode="after")
    def _real_secret_outside_development(self) -> Self:
        if self.environment != "development":
            secret = self.session_secret.get_secret_value()
            if (
                secret.lower() in PLACEHOLDER_SECRETS
                or secret == DEVELOPMENT_SESSION_SECRET
                or len(secret) < MIN_TOKEN_SECRET_LENGTH
            ):
                raise ValueError(
                    f"session_secret must be a secret of at least {MIN_TOKEN_SECRET_LENGTH} "
                    f"characters of its own (environment is {self.environment})"
                )
        return self
