"""Wires the registry: settings → broker, MongoDB, outbox relay, consumers, deadline watcher."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from shared import contracts as c
from shared.kernel.clock import Clock, utcnow
from shared.platform.persistence.unit_of_work import Cause
from shared.service import Periodic, ServiceRuntime, service_runtime

from .adapters.login_failures import LOGIN_FAILURES, MongoFailedLogins
from .adapters.mail import MailSender, Smtp
from .adapters.mongo import MongoAccountRepository, MongoRegistryUnitOfWork
from .adapters.passwords import Passwords
from .adapters.request_counts import MAIL_REQUESTS, MongoRequestThrottle
from .config import Settings
from .domain.login_throttle import LoginThrottle
from .domain.regions import RegionCatalog
from .entrypoints.consumers import consumers
from .service_layer import accounts, credentials, services
from .service_layer.integration_events import to_integration

PRODUCES = (
    c.KimRegistered,
    c.KimUpdated,
    c.KimVerified,
    c.EditionPublished,
    c.EditionUpdated,
    c.EditionSubmissionsClosed,
    c.EnrolmentRequested,
    c.EnrolmentApproved,
    c.EnrolmentRejected,
    c.AccountOpened,
    c.AccountChanged,
)


@dataclass
class Registry:
    settings: Settings
    runtime: ServiceRuntime
    regions: RegionCatalog
    clock: Clock
    passwords: Passwords
    login: accounts.Login
    mailing: credentials.Mailing
    #: Sends the mail outbox; woken when a request has written a mail.
    mail_sender: Periodic | None = None

    def mail_written(self) -> None:
        if self.mail_sender is not None:
            self.mail_sender.wake()

    def uow(self, cause: Cause) -> MongoRegistryUnitOfWork:
        return self.runtime.unit_of_work(MongoRegistryUnitOfWork, to_integration, cause)


def bootstrap(settings: Settings | None = None, clock: Clock = utcnow) -> Registry:
    settings = settings or Settings()
    runtime = service_runtime(
        settings,
        produces=PRODUCES,
        repositories=tuple(MongoRegistryUnitOfWork.repository_classes().values()),
        # Tokens are checked against its own accounts, without waiting for an event.
        token_versions_in=MongoAccountRepository.collection_name,
    )
    passwords = Passwords()
    system = Registry(
        settings=settings,
        runtime=runtime,
        regions=RegionCatalog.load(settings.regions_file),
        clock=clock,
        passwords=passwords,
        login=accounts.Login(
            passwords=passwords,
            throttle=LoginThrottle(
                allowed=settings.login_failures_allowed,
                pause_seconds=settings.login_pause_seconds,
                failures=MongoFailedLogins(runtime.db[LOGIN_FAILURES]),
            ),
            token_secret=settings.auth_token_secret.get_secret_value(),
            token_lifetime=timedelta(minutes=settings.token_lifetime_minutes),
        ),
        mailing=credentials.Mailing(
            console_url=settings.console_url,
            # Counted in the database: every replica applies the same allowance.
            per_email=MongoRequestThrottle(
                runtime.db[MAIL_REQUESTS],
                allowed=settings.mail_requests_per_email,
                window_seconds=settings.mail_requests_window_seconds,
            ),
            per_client=MongoRequestThrottle(
                runtime.db[MAIL_REQUESTS],
                allowed=settings.mail_requests_per_client,
                window_seconds=settings.mail_requests_window_seconds,
            ),
        ),
    )
    sender = MailSender(
        runtime.db,
        Smtp(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_timeout_seconds,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            starttls=settings.smtp_starttls,
        ),
        clock,
        sender=settings.smtp_sender,
        attempts=settings.mail_attempts,
    )
    system.mail_sender = Periodic("mail-sender", sender.send_due, settings.mail_poll_seconds)
    if settings.first_admin_email and settings.first_admin_password:
        email, password = str(settings.first_admin_email), settings.first_admin_password.get_secret_value()
        runtime.startup = (
            lambda: accounts.ensure_first_admin(
                system.uow(Cause.new()), clock, passwords, email=email, password=password
            ),
        )
    runtime.broker.include_router(consumers(system.uow))
    runtime.jobs = (
        Periodic(
            "deadline-watcher",
            lambda: services.close_editions_past_deadline(system.uow(Cause.new()), clock),
            settings.deadline_check_seconds,
        ),
        system.mail_sender,
    )
    return system
