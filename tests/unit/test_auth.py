"""Tokens, the login throttle and accounts, without servers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import jwt
import pytest
from registry.domain.account import Account
from registry.domain.errors import KimRequiredForRepresentative, NoKimForRole
from registry.domain.login_throttle import CLIENT_ALLOWANCE_FACTOR, InMemoryFailedLogins, LoginThrottle

from shared.kernel.principal import Principal
from shared.platform.access import ALLOW, DENY, OWN, Rule
from shared.platform.auth import InvalidToken, issue_token, read_token
from shared.platform.config import DEVELOPMENT_TOKEN_SECRET

SECRET = "a-test-secret-of-more-than-thirty-two-characters"
NOW = datetime(2024, 8, 1, 9, 0, tzinfo=UTC)
REP = Principal(account_id=uuid4(), role="kim_rep", email="kim@example.id", name="Wakil", kim_id=uuid4())


def test_a_token_names_the_account_role_email_and_kim() -> None:
    token = issue_token(SECRET, REP, now=datetime.now(UTC), lifetime=timedelta(minutes=15))
    assert read_token(SECRET, token) == REP


@pytest.mark.parametrize(
    "spoil",
    [
        lambda t: t[:-2] + ("A" if t[-2] != "A" else "B") + t[-1],  # the signature altered
        lambda t: issue_token(
            "another-secret-of-more-than-thirty-two-chars", REP, now=NOW, lifetime=timedelta(1)
        ),
        lambda t: issue_token(SECRET, REP, now=NOW - timedelta(hours=1), lifetime=timedelta(minutes=15)),
        lambda t: jwt.encode({**jwt.decode(t, options={"verify_signature": False}), "role": "admin"}, SECRET),
        lambda t: jwt.encode({**jwt.decode(t, options={"verify_signature": False}), "aud": "other"}, SECRET),
        lambda t: jwt.encode(jwt.decode(t, options={"verify_signature": False}), SECRET, algorithm="HS384"),
        lambda t: jwt.encode(jwt.decode(t, options={"verify_signature": False}), None, algorithm="none"),
        lambda t: "not a token",
    ],
    ids=[
        "forged",
        "other-secret",
        "expired",
        "unknown-role",
        "other-audience",
        "other-algorithm",
        "none",
        "junk",
    ],
)
def test_a_spoilt_token_is_refused(spoil) -> None:  # type: ignore[no-untyped-def]
    token = issue_token(SECRET, REP, now=datetime.now(UTC), lifetime=timedelta(minutes=15))
    with pytest.raises(InvalidToken):
        read_token(SECRET, spoil(token))


def test_a_representative_acts_only_for_their_kim_and_staff_for_all() -> None:
    other = uuid4()
    assert REP.acts_for(REP.kim_id) and not REP.acts_for(other)  # type: ignore[arg-type]
    staff = Principal(account_id=uuid4(), role="staff", email="staf@example.id")
    judge = Principal(account_id=uuid4(), role="judge", email="juri@example.id")
    assert staff.acts_for(other) and not judge.acts_for(other)
    assert (
        Principal().anonymous and Principal().label == "anonymous" and staff.label == "staff:staf@example.id"
    )


def test_a_rule_answers_per_role_and_denies_what_it_does_not_name() -> None:
    rule = Rule(staff=ALLOW, kim_rep=OWN)
    assert [rule.of(role) for role in (None, "staff", "judge", "kim_rep")] == [DENY, ALLOW, DENY, OWN]


async def test_failed_logins_pause_the_account_and_client_pair_and_the_pause_doubles() -> None:
    throttle = LoginThrottle(allowed=3, pause_seconds=10)
    email, attacker, owner = "a@example.id", "10.0.0.1", "10.0.0.2"
    at = [NOW + timedelta(seconds=s) for s in range(13)]
    for second in range(2):
        await throttle.failed(email, attacker, at[second])
        assert await throttle.wait_seconds(email, attacker, at[second]) == 0
    await throttle.failed(email, attacker, at[2])
    assert await throttle.wait_seconds(email, attacker, at[2]) == 10
    assert await throttle.wait_seconds(email, attacker, at[7]) == 5
    await throttle.failed(email, attacker, at[12])
    assert await throttle.wait_seconds(email, attacker, at[12]) == 20
    # Nobody else waits: not the owner from another address, not the attacker for another account.
    assert await throttle.wait_seconds(email, owner, at[12]) == 0
    assert await throttle.wait_seconds("b@example.id", attacker, at[12]) == 0
    await throttle.succeeded(email, attacker)
    assert await throttle.wait_seconds(email, attacker, at[12]) == 0


async def test_a_client_failing_across_many_accounts_is_paused_on_its_own() -> None:
    throttle = LoginThrottle(allowed=2, pause_seconds=60)
    for n in range(2 * CLIENT_ALLOWANCE_FACTOR):
        await throttle.failed(f"akun{n}@example.id", "10.0.0.9", NOW)
    assert await throttle.wait_seconds("siapa@example.id", "10.0.0.9", NOW) == 60
    assert await throttle.wait_seconds("siapa@example.id", "10.0.0.10", NOW) == 0


async def test_the_throttle_forgets_idle_counts_and_the_oldest_keys_beyond_its_bound() -> None:
    throttle = LoginThrottle(allowed=2, pause_seconds=60)
    await throttle.failed("a@example.id", "c", NOW)
    await throttle.failed("a@example.id", "c", NOW + timedelta(days=2))  # counts from one again
    assert await throttle.wait_seconds("a@example.id", "c", NOW + timedelta(days=2)) == 0
    small = InMemoryFailedLogins(max_keys=2)
    for key in ("a", "b", "c"):
        await small.add(key, NOW)
        await small.pause(key, NOW + timedelta(seconds=60))
    assert await small.paused_until(["a"]) == [] and len(await small.paused_until(["c"])) == 1


def test_only_a_representative_belongs_to_a_kim() -> None:
    opened = Account.open(
        email=" Wakil@Example.ID ", name="Wakil", role="kim_rep", password_hash="h", now=NOW, kim_id=uuid4()
    )
    assert opened.email == "wakil@example.id"
    with pytest.raises(KimRequiredForRepresentative):
        Account.open(email="w@example.id", name="Wakil", role="kim_rep", password_hash="h", now=NOW)
    with pytest.raises(NoKimForRole):
        Account.open(
            email="j@example.id", name="Juri", role="judge", password_hash="h", now=NOW, kim_id=uuid4()
        )


def test_production_refuses_the_development_token_secret_and_short_ones() -> None:
    from registry.config import Settings

    real = {"amqp_url": "amqp://registry:Kx8-real@broker/", "mongodb_url": "mongodb://registry:Kx8-real@db/"}
    for secret in (DEVELOPMENT_TOKEN_SECRET, "too-short"):
        with pytest.raises(ValueError, match="auth_token_secret"):
            Settings(environment="production", auth_token_secret=secret, **real)
    assert Settings(environment="production", auth_token_secret=SECRET, **real).environment == "production"
