"""How a service runs: one ASGI app serving its HTTP API and its consumers.

Start-up: database indexes, broker connection, topology, consumers, outbox
relay, background jobs. Shut-down (after uvicorn has finished in-flight HTTP
requests): stop consuming and let in-flight handlers finish, flush the outbox,
close connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Response
from fastapi.responses import HTMLResponse, PlainTextResponse
from faststream.rabbit import RabbitBroker
from motor.motor_asyncio import AsyncIOMotorClient, AsyncIOMotorDatabase
from opentelemetry.sdk.trace import TracerProvider
from pydantic import BaseModel
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from shared.contracts import EventClass, MessageDeadLettered
from shared.kernel.retry import retry
from shared.operations import dead_letters, replay
from shared.platform import access
from shared.platform.config import ServiceSettings
from shared.platform.docs import install_offline_docs
from shared.platform.http import BodyLimit, authorize, install_error_handlers
from shared.platform.idempotency import COLLECTION as IDEMPOTENCY_KEYS
from shared.platform.idempotency import Idempotency
from shared.platform.logs import configure_logging
from shared.platform.messaging import (
    ConsumerQueue,
    EventPublisher,
    OutboxRelay,
    accounts_queue_of,
    catalog,
    declare_topology,
    make_broker,
    queue_of,
    user_of_url,
)
from shared.platform.messaging.broker import publishers_of
from shared.platform.messaging.outbox import LEASES, OUTBOX, RELAY_LEASE, Lease
from shared.platform.metrics import (
    DatabaseCommands,
    HttpMetrics,
    Metrics,
    broker_middlewares,
    watch_dead_letters,
    watch_outbox,
)
from shared.platform.openapi import document_errors
from shared.platform.persistence.mongo import (
    MongoUnitOfWork,
    Repository,
    connect,
    prepare_database,
    reachable,
)
from shared.platform.persistence.unit_of_work import Cause, GroupCommit, ToIntegration
from shared.platform.revocation import TOKEN_VERSIONS, TokenVersions, token_version_consumer
from shared.platform.telemetry import TraceRequests, tracer_provider

log = logging.getLogger("kim.service")

U = TypeVar("U", bound=MongoUnitOfWork)

STARTUP_PATIENCE_SECONDS = 60.0


class BackgroundJob(Protocol):
    def start(self) -> None: ...

    async def stop(self) -> None: ...


class Periodic:
    """Runs `action` every `every_seconds`, and at once when woken, until stopped.

    One pass at a time; a wake during a pass runs one more pass right after it.
    A stop waits for the pass in flight.
    """

    def __init__(self, name: str, action: Callable[[], Awaitable[object]], every_seconds: float) -> None:
        self.name = name
        self._action = action
        self._every = every_seconds
        self._stopping = False
        self._nudged = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name=self.name)

    def wake(self) -> None:
        self._nudged.set()

    @property
    def stopping(self) -> bool:
        """Asked to stop: a pass that works through a backlog ends after its current step."""
        return self._stopping

    async def stop(self) -> None:
        self._stopping = True
        self._nudged.set()
        if self._task is not None:
            await self._task

    async def _run(self) -> None:
        while not self._stopping:
            self._nudged.clear()
            try:
                await self._action()
            except Exception:  # noqa: BLE001 - log and try again next pass
                log.exception("%s failed; trying again in %.0fs", self.name, self._every)
            if not self._nudged.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._nudged.wait(), self._every)


@dataclass
class ServiceRuntime:
    settings: ServiceSettings
    broker: RabbitBroker
    mongo: AsyncIOMotorClient
    repositories: Sequence[type[Repository[Any]]]
    relay: OutboxRelay | None = None
    jobs: Sequence[BackgroundJob] = field(default_factory=tuple)
    #: The queue this service consumes, whose dead letters it keeps.
    consumes: ConsumerQueue | None = None
    #: Collections built only from other services' events, which a replay rebuilds.
    projections: Sequence[type[Repository[Any]]] = ()
    publisher: EventPublisher | None = None
    #: One per kind of unit of work: events the consumers handle at the same time
    #: are applied together (see `GroupCommit`).
    groups: dict[type[MongoUnitOfWork], GroupCommit] = field(default_factory=dict)
    #: Run once the database is ready, before the service takes requests.
    startup: Sequence[Callable[[], Awaitable[object]]] = ()
    #: The latest token version of each account, which every request's token is checked against.
    token_versions: TokenVersions | None = None
    #: This service's traces (see `shared.platform.telemetry`).
    tracer_provider: TracerProvider | None = None
    #: What `/metrics` serves (`shared.platform.metrics`).
    metrics: Metrics = field(default_factory=lambda: Metrics("service"))

    @property
    def db(self) -> AsyncIOMotorDatabase:
        return self.mongo[self.settings.mongodb_database]

    def unit_of_work(self, kind: type[U], to_integration: ToIntegration, cause: Cause) -> U:
        """A unit of work of this service, whose commits wake the outbox relay."""
        uow = kind(
            self.mongo,
            self.settings.mongodb_database,
            producer=self.settings.service_name,
            to_integration=to_integration,
            cause=cause,
            relay=self.relay,
        )
        uow.group = self.groups.setdefault(kind, GroupCommit(most=self.settings.prefetch_count))
        return uow

    def dead_letter_uow(self, cause: Cause) -> dead_letters.DeadLetterUnitOfWork:
        return self.unit_of_work(
            dead_letters.DeadLetterUnitOfWork,
            functools.partial(dead_letters.to_integration, service=self.settings.service_name),
            cause,
        )

    @asynccontextmanager
    async def lifespan(self, app: FastAPI) -> AsyncIterator[None]:
        await _starting("MongoDB", lambda: prepare_database(self.db, self.repositories))
        for step in self.startup:
            await _starting("MongoDB", step)
        await _starting("RabbitMQ", self.broker.connect)
        if self.settings.declare_topology:
            await declare_topology(self.broker)
        await self.broker.start()
        if self.relay is not None:
            self.relay.start()
        for job in self.jobs:
            job.start()
        log.info("%s ready on %s:%s", self.settings.service_name, self.settings.host, self.settings.port)
        try:
            yield
        finally:
            await self._shut_down()

    async def _shut_down(self) -> None:
        for subscriber in self.broker.subscribers:
            await subscriber.stop()  # waits for the handler in flight
        for job in self.jobs:
            await job.stop()
        if self.relay is not None:
            await self.relay.stop()
            try:
                await asyncio.wait_for(self.relay.relay_pending(), self.settings.shutdown_grace_seconds)
            except Exception as error:  # noqa: BLE001 - still stored; sent after restart
                log.warning("outbox not flushed at shutdown, sent after restart: %r", error)
            with contextlib.suppress(Exception):  # else another replica waits out the lease
                await self.relay.release()
        await self.broker.stop()
        self.mongo.close()
        if self.tracer_provider is not None:
            self.tracer_provider.force_flush(5_000)  # export what is left

    async def ready(self) -> dict[str, bool]:
        broker_ok, database_ok = await asyncio.gather(self.broker.ping(2.0), reachable(self.mongo))
        return {"broker": broker_ok, "database": database_ok}


#: How long a service other than the registry uses a token version it read again.
TOKEN_VERSION_MEMORY_SECONDS = 1.0


def service_runtime(
    settings: ServiceSettings,
    *,
    produces: Sequence[EventClass],
    repositories: Sequence[type[Repository[Any]]],
    projections: Sequence[type[Repository[Any]]] = (),
    token_versions_in: str = TOKEN_VERSIONS,
) -> ServiceRuntime:
    """The broker, MongoDB client and outbox relay of a service that publishes
    `produces`; a service that consumes a queue also keeps its dead letters.

    Tokens are checked against the account versions in the collection
    `token_versions_in`: the registry names its own accounts; every other service
    fills `token_versions` from its accounts queue."""
    consumes = queue_of(settings.service_name)
    if consumes is not None:
        produces = (*produces, MessageDeadLettered)
        repositories = (*repositories, dead_letters.DeadLetterRepository)
    traces = tracer_provider(settings.service_name)
    broker = make_broker(settings, traces)
    metrics = Metrics(settings.service_name, refresh_seconds=settings.metrics_refresh_seconds)
    for middleware in reversed(broker_middlewares(metrics)):
        broker.insert_middleware(middleware)  # outermost: every message is counted
    mongo = connect(
        settings.mongodb_url.get_secret_value(), settings.service_name, [DatabaseCommands(metrics)]
    )
    publisher = EventPublisher(broker, produces, user_id=user_of_url(settings.amqp_url.get_secret_value()))
    outbox = mongo[settings.mongodb_database][OUTBOX]
    relay = OutboxRelay(
        outbox,
        publisher.publish,
        poll_seconds=settings.outbox_poll_seconds,
        # One relay of all the replicas publishes: the holder of this lease.
        lease=Lease(outbox.database[LEASES], RELAY_LEASE, seconds=settings.outbox_lease_seconds),
    )
    runtime = ServiceRuntime(
        settings=settings,
        broker=broker,
        mongo=mongo,
        repositories=repositories,
        relay=relay,
        consumes=consumes,
        projections=projections,
        publisher=publisher,
        tracer_provider=traces,
        metrics=metrics,
    )
    watch_outbox(metrics, lambda: runtime.db)
    if consumes is not None:
        watch_dead_letters(metrics, lambda: runtime.db, dead_letters.DeadLetterRepository.collection_name)
    runtime.token_versions = TokenVersions(
        mongo[settings.mongodb_database][token_versions_in],
        # Learnt by event: a second's memory saves a read per request (the registry reads its own).
        remember_seconds=TOKEN_VERSION_MEMORY_SECONDS if token_versions_in == TOKEN_VERSIONS else 0.0,
    )
    if consumes is not None:
        broker.include_router(
            dead_letters.dead_letter_consumer(consumes, runtime.dead_letter_uow, publishers_of(settings))
        )
    accounts = accounts_queue_of(settings.service_name)
    if accounts is not None:
        broker.include_router(token_version_consumer(accounts, runtime.token_versions))
        if consumes is not None:
            broker.include_router(
                dead_letters.dead_letter_consumer(accounts, runtime.dead_letter_uow, publishers_of(settings))
            )
    return runtime


async def _starting(what: str, step: Callable[[], Awaitable[object]]) -> None:
    """Retry a start-up step while its server comes up, within a bound."""
    await retry(step, what=f"waiting for {what}", patience=STARTUP_PATIENCE_SECONDS)


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    broker: bool
    database: bool


@functools.cache
def _catalog() -> dict[str, Any]:
    return catalog.asyncapi_catalog()


def operations_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/health", summary="The process is alive")
    async def health() -> dict[str, str]:
        return {"status": "alive", "service": runtime.settings.service_name}

    @router.get(
        "/ready",
        summary="Broker and MongoDB are reachable",
        responses={503: {"model": Readiness, "description": "The broker or MongoDB is not reachable"}},
    )
    async def ready(response: Response) -> Readiness:
        checks = await runtime.ready()
        is_ready = all(checks.values())
        response.status_code = 200 if is_ready else 503
        return Readiness(status="ready" if is_ready else "not_ready", **checks)

    @router.get(
        "/metrics",
        summary="Prometheus metrics: HTTP, broker, outbox, dead letters (keep it off the public internet)",
        response_class=PlainTextResponse,
    )
    async def metrics() -> Response:
        body, content_type = await runtime.metrics.exposition()
        return Response(body, media_type=content_type)

    @router.get(
        "/asyncapi.json",
        summary="The event catalog: every event of the system, who publishes and who consumes it (AsyncAPI)",
    )
    async def asyncapi_document() -> Response:
        return Response(catalog.catalog_json(_catalog()), media_type="application/json")

    @router.get("/asyncapi", response_class=HTMLResponse, summary="The event catalog, as a page")
    async def asyncapi_page() -> str:
        return catalog.catalog_html(_catalog())

    return router


def create_service_app(
    *,
    title: str,
    description: str,
    runtime: ServiceRuntime,
    routers: Sequence[APIRouter],
) -> FastAPI:
    configure_logging(runtime.settings.service_name, runtime.settings.log_level)
    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=runtime.lifespan,
        # Swagger UI and ReDoc from local assets (`install_offline_docs`), not from a CDN.
        docs_url=None,
        redoc_url=None,
        # Every route: the caller is checked against the table of rules first.
        dependencies=[Depends(authorize)],
    )
    app.state.access_rules = access.rules_for(runtime.settings.service_name)
    app.state.token_versions = runtime.token_versions
    # Innermost first: a repeated POST with the same Idempotency-Key answers what it kept.
    app.add_middleware(
        Idempotency,
        collection=lambda: runtime.db[IDEMPOTENCY_KEYS],
        token_secret=lambda: runtime.settings.auth_token_secret.get_secret_value(),
    )
    app.add_middleware(BodyLimit, max_body_bytes=runtime.settings.max_body_bytes)
    # The client's address from X-Forwarded-For only when the peer is a configured proxy
    # (uvicorn's own trust, every local peer by default, is turned off: --no-proxy-headers).
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=runtime.settings.trusted_proxy_list)
    # Every request counted and timed, its correlation id set for the logs.
    app.add_middleware(HttpMetrics, metrics=runtime.metrics)
    # Outermost: one server span per request, in the caller's trace when it sends `traceparent`.
    app.add_middleware(TraceRequests, provider=runtime.tracer_provider)
    install_error_handlers(app)
    install_offline_docs(app)
    app.include_router(operations_router(runtime))
    app.include_router(replay.replay_router(runtime))
    if runtime.consumes is not None:
        app.include_router(
            dead_letters.dead_letter_router(
                runtime.broker, runtime.dead_letter_uow, runtime.consumes, publishers_of(runtime.settings)
            )
        )
        app.include_router(replay.projections_router(runtime))
    for router in routers:
        app.include_router(router)
    # Every route's errors in the OpenAPI document, worked out when it is built.
    document_errors(app, {runtime.settings.service_name, "shared"})
    app.state.runtime = runtime
    return app
