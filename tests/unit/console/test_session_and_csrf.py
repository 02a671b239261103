"""Sessions (the table, the cookie, when to renew) and CSRF tokens."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

import httpx
import pytest
from console.config import Settings
from console.csrf import CsrfRefused, CsrfTokens
from console.services import Services, SignInAgain
from console.session import SessionStore, SignedIn
from console.web import local_path

SECRET = "x" * 40


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def login_answer(n: int = 0, expires_in: int = 900) -> dict[str, Any]:
    return {
        "access_token": f"access-{n}",
        "expires_in": expires_in,
        "refresh_token": f"refresh-{n}",
        "refresh_expires_in": 12 * 3600,
        "account": {"account_id": str(uuid4()), "email": "a@b.id", "name": "Sari", "role": "staff"},
    }


def test_the_cookie_names_a_session_and_cannot_be_forged() -> None:
    clock = Clock()
    store = SessionStore(SECRET, clock)
    session = SignedIn.from_login(login_answer(), clock())
    cookie = store.add(session)
    assert store.find(cookie) is session
    assert "access" not in cookie and "refresh" not in cookie
    assert store.find(cookie[:-2] + "xx") is None
    assert store.find(SessionStore("y" * 40, clock).add(session)) is None  # another secret
    assert store.find(None) is None and store.find("") is None


def test_a_session_is_forgotten_once_its_refresh_token_expires() -> None:
    clock = Clock()
    store = SessionStore(SECRET, clock)
    cookie = store.add(SignedIn.from_login(login_answer(), clock()))
    clock.now += 12 * 3600 - 1
    assert store.find(cookie) is not None
    clock.now += 1
    assert store.find(cookie) is None and len(store) == 0


def test_renewal_is_due_a_minute_before_the_access_token_expires() -> None:
    session = SignedIn.from_login(login_answer(expires_in=900), 0)
    assert not session.needs_renewal(839)
    assert session.needs_renewal(841)


async def test_requests_renewing_at_once_present_the_refresh_token_once() -> None:
    clock = Clock()
    presented: list[str] = []

    async def registry(request: httpx.Request) -> httpx.Response:
        token = httpx.Response(200, content=request.content).json()["refresh_token"]
        presented.append(token)
        await asyncio.sleep(0.01)
        n = len(presented)
        return httpx.Response(200, json={k: v for k, v in login_answer(n).items() if k != "account"})

    http = httpx.AsyncClient(transport=httpx.MockTransport(registry))
    services = Services(Settings(registry_url="http://registry"), SessionStore(SECRET, clock), http)
    session = SignedIn.from_login(login_answer(), clock())
    await asyncio.gather(*(services.renew(session, "access-0") for _ in range(5)))
    assert presented == ["refresh-0"]
    assert (session.access_token, session.refresh_token) == ("access-1", "refresh-1")
    await http.aclose()


async def test_a_refused_renewal_ends_the_session_here_too() -> None:
    clock = Clock()

    async def registry(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": {"code": "session_ended", "message": "x", "field": None}})

    http = httpx.AsyncClient(transport=httpx.MockTransport(registry))
    store = SessionStore(SECRET, clock)
    services = Services(Settings(registry_url="http://registry"), store, http)
    session = SignedIn.from_login(login_answer(), clock())
    cookie = store.add(session)
    with pytest.raises(SignInAgain):
        await services.renew(session, "access-0")
    assert store.find(cookie) is None
    await http.aclose()


def test_csrf_tokens_belong_to_their_key() -> None:
    tokens = CsrfTokens(SECRET)
    token = tokens.token_for("key-a")
    tokens.check("key-a", token)
    for key, presented in [
        ("key-b", token),  # another browser's token
        ("key-a", None),
        ("key-a", ""),
        (None, token),
        ("key-a", token + "x"),
        ("key-a", CsrfTokens("z" * 40).token_for("key-a")),  # signed with another secret
    ]:
        with pytest.raises(CsrfRefused):
            tokens.check(key, presented)


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/staf", "/staf"),
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
        ("/\\evil", "/"),
        ("", "/"),
    ],
)
def test_redirects_stay_on_this_site(target: str, safe: str) -> None:
    assert local_path(target) == safe


def test_production_refuses_a_weak_session_secret() -> None:
    for weak in ["", "changeme", "short-secret", "development-only-console-secret-not-for-production"]:
        with pytest.raises(ValueError, match="session_secret"):
            Settings(environment="production", session_secret=weak)
    assert Settings(environment="production", session_secret="s" * 32).secure_cookies
    assert not Settings().secure_cookies
