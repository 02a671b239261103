from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTRY_")
    service_name = "registry"

    port: int = 8001
    regions_file: Path | None = Field(None, description="region reference data; Kota Malang by default")
    deadline_check_seconds: float = Field(5.0, gt=0, description="how often deadlines are checked")
