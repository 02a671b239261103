"""Wires the submissions service: settings → broker, MongoDB, outbox relay, consumers,
and (when `film_check_enabled`) the background film checker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from shared import contracts as c
from shared.kernel.clock import Clock, utcnow
from shared.platform.outbound import OutboundLimits, PublicFetcher
from shared.platform.persistence.unit_of_work import Cause
from shared.service import ServiceRuntime, service_runtime

from .adapters.mongo import PROJECTIONS, MongoSubmissionsUnitOfWork
from .adapters.video_hosts import HostUrls, HttpVideoHosts
from .config import Settings
from .domain.film import RetryPolicy
from .entrypoints.consumers import consumers
from .service_layer.film_checks import FilmChecker, VideoHosts
from .service_layer.integration_events import to_integration

PRODUCES = (c.EntrySubmitted, c.EntryRevised, c.EntryWithdrawn, c.EntryDisqualified, c.EntryFilmChecked)


@dataclass
class Submissions:
    settings: Settings
    runtime: ServiceRuntime
    clock: Clock

    def uow(self, cause: Cause) -> MongoSubmissionsUnitOfWork:
        uow = self.runtime.unit_of_work(MongoSubmissionsUnitOfWork, to_integration, cause)
        uow.check_films = self.settings.film_check_enabled
        return uow


def video_hosts(settings: Settings) -> HttpVideoHosts:
    fetcher = PublicFetcher(
        OutboundLimits(
            connect_seconds=settings.film_check_connect_timeout_seconds,
            total_seconds=settings.film_check_timeout_seconds,
            max_body_bytes=settings.film_check_max_body_bytes,
            max_redirects=settings.film_check_max_redirects,
        ),
        allow_private_addresses=settings.film_check_allow_private_addresses,
    )
    urls = HostUrls(
        youtube_oembed=settings.film_check_youtube_oembed_url,
        youtube_watch=settings.film_check_youtube_watch_url,
        vimeo_oembed=settings.film_check_vimeo_oembed_url,
    )
    return HttpVideoHosts(fetcher, urls)


def bootstrap(
    settings: Settings | None = None, clock: Clock = utcnow, hosts: VideoHosts | None = None
) -> Submissions:
    settings = settings or Settings()
    runtime = service_runtime(
        settings,
        produces=PRODUCES,
        repositories=tuple(MongoSubmissionsUnitOfWork.repository_classes().values()),
        projections=PROJECTIONS,
    )
    system = Submissions(settings=settings, runtime=runtime, clock=clock)
    if settings.film_check_enabled:
        runtime.jobs = (
            FilmChecker(
                uow_for=system.uow,
                hosts=hosts or video_hosts(settings),
                policy=RetryPolicy(
                    max_attempts=settings.film_check_max_attempts,
                    first_delay=timedelta(seconds=settings.film_check_backoff_seconds),
                ),
                clock=clock,
                # One look-up is two fetches, each bounded by the timeout.
                lease=timedelta(seconds=3 * settings.film_check_timeout_seconds),
                poll_seconds=settings.film_check_poll_seconds,
            ),
        )
    runtime.broker.include_router(consumers(system.uow, clock))
    return system
