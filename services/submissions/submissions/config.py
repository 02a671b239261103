from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.platform.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SUBMISSIONS_")
    service_name = "submissions"

    port: int = 8002

    # The film check (adapters/video_hosts.py, service_layer/film_checks.py).
    film_check_enabled: bool = Field(
        False,
        description="look each stored entry's film up on its host (length, title, does it answer); "
        "off where no video host is reachable (the local stack, the tests but their own)",
    )
    film_check_youtube_oembed_url: str = "https://www.youtube.com/oembed"
    film_check_youtube_watch_url: str = "https://www.youtube.com/watch"
    film_check_vimeo_oembed_url: str = "https://vimeo.com/api/oembed.json"
    film_check_allow_private_addresses: bool = Field(
        False, description="let the check reach loopback and private addresses (a local fake host, tests)"
    )
    film_check_connect_timeout_seconds: float = Field(3.0, gt=0)
    film_check_timeout_seconds: float = Field(10.0, gt=0, description="for the whole of one fetch")
    film_check_max_body_bytes: int = Field(3_000_000, ge=1024, description="a longer answer is refused")
    film_check_max_redirects: int = Field(5, ge=0, le=20)
    film_check_poll_seconds: float = Field(2.0, gt=0, description="how often due checks are run")
    film_check_max_attempts: int = Field(5, ge=1, le=50)
    film_check_backoff_seconds: float = Field(
        30.0, gt=0, description="wait before trying a link that did not answer again; doubles each time"
    )
