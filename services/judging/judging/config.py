from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.platform.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="JUDGING_")
    service_name = "judging"

    port: int = 8003

    reminder_window_hours: float = Field(
        48.0, gt=0, description="judges behind on their sheets are reminded this long before the deadline"
    )
    reminder_poll_seconds: float = Field(300.0, gt=0, description="how often to look for judges to remind")

    @property
    def reminder_window(self) -> timedelta:
        return timedelta(hours=self.reminder_window_hours)
