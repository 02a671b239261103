from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.platform.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SUBMISSIONS_")
    service_name = "submissions"

    port: int = 8002
