"""Wires voting: settings → broker, MongoDB, outbox relay, consumers, the fraud pass."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from shared import contracts as c
from shared.kernel.clock import Clock, utcnow
from shared.platform.caching import KeptAnswers
from shared.platform.persistence.unit_of_work import Cause
from shared.service import Periodic, ServiceRuntime, service_runtime

from .adapters.challenge import USED, Challenges, create_used_index
from .adapters.mongo import PROJECTIONS, MongoVotingUnitOfWork
from .adapters.throttles import COLLECTION as THROTTLES
from .adapters.throttles import MongoCounters, create_counter_index
from .config import Settings
from .domain.fraud import Thresholds
from .domain.throttle import Limit, Throttle
from .entrypoints.consumers import consumers
from .service_layer import ballots
from .service_layer.ballots import Ballots
from .service_layer.integration_events import to_integration
from .service_layer.services import CodePolicy, raise_flags

PRODUCES = (c.VoterCodeRequested, c.VotesTallied)


@dataclass
class Voting:
    settings: Settings
    runtime: ServiceRuntime
    clock: Clock
    challenges: Challenges
    counters: MongoCounters
    throttle: Throttle
    policy: CodePolicy
    thresholds: Thresholds
    ballots: Ballots
    #: The gallery and the public tally, built at most once a `public_fresh_seconds`.
    public_answers: KeptAnswers

    def uow(self, cause: Cause) -> MongoVotingUnitOfWork:
        return self.runtime.unit_of_work(MongoVotingUnitOfWork, to_integration, cause)


def bootstrap(settings: Settings | None = None, clock: Clock = utcnow) -> Voting:
    settings = settings or Settings()
    runtime = service_runtime(
        settings,
        produces=PRODUCES,
        repositories=tuple(MongoVotingUnitOfWork.repository_classes().values()),
        projections=PROJECTIONS,
    )
    challenge_ttl = timedelta(seconds=settings.challenge_ttl_seconds)
    system = Voting(
        settings=settings,
        runtime=runtime,
        clock=clock,
        challenges=Challenges(
            settings.challenge_hmac_key.get_secret_value(),
            max_number=settings.challenge_max_number,
            ttl=challenge_ttl,
            used=runtime.db[USED],
        ),
        counters=MongoCounters(runtime.db[THROTTLES]),
        throttle=Throttle(
            (
                Limit("address", settings.throttle_per_address),
                Limit("ip", settings.throttle_per_ip),
                Limit("block", settings.throttle_per_block),
            ),
            window_seconds=settings.throttle_window_seconds,
        ),
        policy=CodePolicy(
            # Codes are stored as an HMAC under a key of the deployment's own.
            key=("voter-code:" + settings.auth_token_secret.get_secret_value()).encode(),
            ttl=timedelta(seconds=settings.code_ttl_seconds),
            most_attempts=settings.code_attempts,
            default_channel=settings.code_channel,
        ),
        thresholds=Thresholds(
            burst_seconds=settings.fraud_burst_seconds,
            burst_votes=settings.fraud_burst_votes,
            range_digits=settings.fraud_range_digits,
            range_voters=settings.fraud_range_voters,
            inhuman_seconds=settings.fraud_inhuman_seconds,
            weak_challenge_ms=settings.fraud_weak_challenge_ms,
        ),
        ballots=Ballots(fresh_for=settings.ballot_fresh_seconds),
        public_answers=KeptAnswers(settings.public_fresh_seconds, generation=ballots.changes),
    )
    runtime.broker.include_router(consumers(system.uow))
    runtime.startup = (
        lambda: create_used_index(runtime.db[USED], challenge_ttl),
        lambda: create_counter_index(runtime.db[THROTTLES]),
    )
    runtime.jobs = (
        Periodic(
            "fraud-flags",
            lambda: raise_flags(system.uow, clock, system.thresholds, settings.fraud_max_votes),
            settings.fraud_poll_seconds,
        ),
    )
    return system
