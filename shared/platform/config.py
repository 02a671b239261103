"""The settings base every service builds on.

Each service subclasses `ServiceSettings` with its own env prefix
(`REGISTRY_`, `SUBMISSIONS_`, ...); values come from the environment.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Self
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Passwords that ship in examples and must never reach production.
PLACEHOLDER_SECRETS = frozenset(
    {"", "changeme", "change-me", "change_me", "guest", "secret", "password", "example", "placeholder"}
)


#: The token secret of development and tests; refused in production.
DEVELOPMENT_TOKEN_SECRET = "development-only-token-secret-not-for-production"
MIN_TOKEN_SECRET_LENGTH = 32


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: ClassVar[str]

    environment: Literal["development", "production"] = Field(
        "development", description="production refuses placeholder secrets"
    )
    amqp_url: SecretStr = SecretStr("amqp://guest:guest@127.0.0.1:5672/")
    mongodb_url: SecretStr = SecretStr("mongodb://127.0.0.1:27017/")
    mongodb_database: str = Field("", description="defaults to the service's name")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    prefetch_count: int = Field(50, ge=1, le=1000, description="unacked messages per consumer")
    outbox_poll_seconds: float = Field(1.0, gt=0)
    outbox_lease_seconds: float = Field(
        5.0, ge=1, description="how long a dead replica's hold on the outbox relay outlasts it"
    )
    shutdown_grace_seconds: float = Field(10.0, gt=0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    metrics_refresh_seconds: float = Field(
        5.0, ge=0, description="the outbox and dead-letter gauges of /metrics are read at most this often"
    )
    #: Signs (registry) and verifies (every service) the access tokens. Every
    #: service of one deployment holds the same value; at least 32 characters
    #: outside development.
    auth_token_secret: SecretStr = SecretStr(DEVELOPMENT_TOKEN_SECRET)
    declare_topology: bool = Field(
        True,
        description="declare exchanges and queues at start-up; off where the broker's "
        "definitions create them and the service's user may not",
    )
    broker_users: dict[str, str] = Field(
        default_factory=dict,
        description="the broker user of each service whose events this one receives, where it is not "
        'the service\'s own name, e.g. {"registry": "kim-registry"}; a message is acted upon only if '
        "its publisher (the AMQP user_id) is the user of its event type's owner",
    )
    max_body_bytes: int = Field(1_000_000, ge=1024, description="larger request bodies are refused (413)")
    trusted_proxies: str = Field(
        "",
        description="comma-separated addresses or networks (CIDR) of the proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto are believed (the console, a reverse proxy); "
        "none by default. Run uvicorn with --no-proxy-headers: the service applies this itself",
    )

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [part.strip() for part in self.trusted_proxies.split(",") if part.strip()]

    @model_validator(mode="after")
    def _defaults_and_secrets(self) -> Self:
        if not self.mongodb_database:
            object.__setattr__(self, "mongodb_database", self.service_name)
        if self.environment != "development":
            for name, value in self._secrets().items():
                if value.lower() in PLACEHOLDER_SECRETS:
                    raise ValueError(
                        f"{name} uses a placeholder secret; set a real one "
                        f"(environment is {self.environment})"
                    )
            token_secret = self.auth_token_secret.get_secret_value()
            if token_secret == DEVELOPMENT_TOKEN_SECRET or len(token_secret) < MIN_TOKEN_SECRET_LENGTH:
                raise ValueError(
                    f"auth_token_secret must be a secret of at least {MIN_TOKEN_SECRET_LENGTH} "
                    f"characters of its own (environment is {self.environment})"
                )
        return self

    def _secrets(self) -> dict[str, str]:
        """Every secret this service holds: SecretStr fields, and passwords inside URLs."""
        found: dict[str, str] = {}
        for name in type(self).model_fields:
            value: Any = getattr(self, name)
            if not isinstance(value, SecretStr):
                continue
            secret = value.get_secret_value()
            if "://" in secret:
                password = urlsplit(secret).password
                if password is not None:
                    found[f"{name} password"] = password
            else:
                found[name] = secret
        return found
