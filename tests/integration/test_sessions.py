"""Revocable sessions at the registry, over HTTP against the real servers: log in,
renew with a rotating refresh token, a reused token ends the session, log out,
staff disable and enable an account."""

from __future__ import annotations

import contextlib
from typing import Any

import httpx
from registry.main import create_app as create_registry

from ..support import eventually, serving
from .flows import ok

JUDGE = {"email": "juri@juri.id", "password": "benar-sekali-2024"}


async def open_judge(registry: httpx.AsyncClient) -> dict[str, Any]:
    body = {**JUDGE, "name": "Juri", "role": "judge"}
    return await ok(await registry.post("/accounts", json=body), 201)


async def ended(response: httpx.Response) -> bool:
    return response.status_code == 401 and response.json()["error"]["code"] == "session_ended"


async def test_a_session_renews_rotates_and_ends(settings_for: Any) -> None:
    async with serving(create_registry(settings_for("registry")), "registry") as registry:
        await open_judge(registry)
        anonymous = {"Authorization": ""}
        login = await ok(await registry.post("/auth/login", json=JUDGE, headers=anonymous))
        assert login["refresh_expires_in"] == 12 * 3600 and len(login["refresh_token"]) >= 43

        renewed = await ok(
            await registry.post(
                "/auth/refresh", json={"refresh_token": login["refresh_token"]}, headers=anonymous
            )
        )
        assert renewed["refresh_token"] != login["refresh_token"]
        me = await registry.get(
            "/accounts/me", headers={"Authorization": f"Bearer {renewed['access_token']}"}
        )
        assert (await ok(me))["email"] == JUDGE["email"]

        # The rotated token again: a copy; the whole session ends, the new token too.
        reused = await registry.post(
            "/auth/refresh", json={"refresh_token": login["refresh_token"]}, headers=anonymous
        )
        assert await ended(reused)
        assert "berakhir" in reused.json()["error"]["message"]
        english = await registry.post(
            "/auth/refresh",
            json={"refresh_token": renewed["refresh_token"]},
            headers={**anonymous, "Accept-Language": "en"},
        )
        assert await ended(english) and "session has ended" in english.json()["error"]["message"]

        # Log out: 204, idempotent, and the token no longer renews.
        second = await ok(await registry.post("/auth/login", json=JUDGE, headers=anonymous))
        for _ in range(2):
            out = await registry.post(
                "/auth/logout", json={"refresh_token": second["refresh_token"]}, headers=anonymous
            )
            assert out.status_code == 204
        assert await ended(
            await registry.post(
                "/auth/refresh", json={"refresh_token": second["refresh_token"]}, headers=anonymous
            )
        )
        assert await ended(
            await registry.post("/auth/refresh", json={"refresh_token": "x" * 43}, headers=anonymous)
        )


async def test_staff_disable_an_account_ending_its_sessions(settings_for: Any) -> None:
    async with serving(create_registry(settings_for("registry")), "registry") as registry:
        judge = await open_judge(registry)
        assert judge["disabled"] is False
        anonymous = {"Authorization": ""}
        login = await ok(await registry.post("/auth/login", json=JUDGE, headers=anonymous))

        disabled = await ok(await registry.post(f"/accounts/{judge['account_id']}/disable"))
        assert disabled["disabled"] is True
        assert await ended(
            await registry.post(
                "/auth/refresh", json={"refresh_token": login["refresh_token"]}, headers=anonymous
            )
        )
        refused = await registry.post("/auth/login", json=JUDGE, headers=anonymous)
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "account_disabled"
        listed = {a["email"]: a["disabled"] for a in await ok(await registry.get("/accounts"))}
        assert listed[JUDGE["email"]] is True

        # The token issued before the disable is refused as an ended session.
        judge_token = {"Authorization": f"Bearer {login['access_token']}"}
        assert await ended(
            await registry.post(f"/accounts/{judge['account_id']}/enable", headers=judge_token)
        )
        enabled = await ok(await registry.post(f"/accounts/{judge['account_id']}/enable"))
        assert enabled["disabled"] is False
        await ok(await registry.post("/auth/login", json=JUDGE, headers=anonymous))


SERVICES = ("registry", "submissions", "judging", "notifications", "voting")
STAFF_TWO = {"email": "staf.dua@malangkota.go.id", "password": "kunci-rahasia-staf-2024"}


async def test_a_token_issued_before_sign_out_or_disable_is_refused_by_every_service(
    settings_for: Any,
) -> None:
    """Sign-out and disable raise the account's token version; the registry refuses an
    older token at once, the others as soon as `account.changed` reaches their accounts
    queue (waited for, bounded)."""
    from judging.main import create_app as create_judging
    from notifications.main import create_app as create_notifications
    from submissions.main import create_app as create_submissions
    from voting.main import create_app as create_voting

    creators = {
        "registry": create_registry,
        "submissions": create_submissions,
        "judging": create_judging,
        "notifications": create_notifications,
        "voting": create_voting,
    }
    anonymous = {"Authorization": ""}
    async with contextlib.AsyncExitStack() as stack:
        http = {
            name: await stack.enter_async_context(serving(creators[name](settings_for(name)), name))
            for name in SERVICES
        }
        registry = http["registry"]
        staff = await ok(
            await registry.post(
                "/accounts", json={**STAFF_TWO, "name": "Staf Dua", "role": "staff"}, headers={}
            ),
            201,
        )
        laptop = await ok(await registry.post("/auth/login", json=STAFF_TWO, headers=anonymous))
        phone = await ok(await registry.post("/auth/login", json=STAFF_TWO, headers=anonymous))

        async def answers(token: str) -> dict[str, tuple[int, str | None]]:
            found = {}
            for name, client in http.items():
                path = "/accounts" if name == "registry" else "/dead-letters"  # staff's, at each
                response = await client.get(path, headers={"Authorization": f"Bearer {token}"})
                code = response.json()["error"]["code"] if response.status_code >= 400 else None
                found[name] = (response.status_code, code)
            return found

        everywhere_ok = dict.fromkeys(SERVICES, (200, None))
        everywhere_ended = dict.fromkeys(SERVICES, (401, "session_ended"))
        assert await answers(laptop["access_token"]) == everywhere_ok

        # Sign out on the laptop: its token stops working at every service.
        out = await registry.post(
            "/auth/logout", json={"refresh_token": laptop["refresh_token"]}, headers=anonymous
        )
        assert out.status_code == 204
        assert (await answers(laptop["access_token"]))["registry"] == (401, "session_ended")
        await eventually(lambda: _same(answers(laptop["access_token"]), everywhere_ended), timeout=15.0)
        # The phone's session lives on: one renewal and its new token works everywhere.
        renewed = await ok(
            await registry.post(
                "/auth/refresh", json={"refresh_token": phone["refresh_token"]}, headers=anonymous
            )
        )
        assert await answers(renewed["access_token"]) == everywhere_ok

        # Staff disable the account: the renewed token stops working everywhere too.
        await ok(await registry.post(f"/accounts/{staff['account_id']}/disable", headers={}))
        await eventually(lambda: _same(answers(renewed["access_token"]), everywhere_ended), timeout=15.0)


async def _same(answered: Any, expected: dict[str, Any]) -> bool:
    return await answered == expected
