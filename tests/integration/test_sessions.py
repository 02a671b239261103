"""Revocable sessions at the registry, over HTTP against the real servers: log in,
renew with a rotating refresh token, a reused token ends the session, log out,
staff disable and enable an account."""

from __future__ import annotations

from typing import Any

import httpx
from registry.main import create_app as create_registry

from ..support import serving
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

        judge_token = {"Authorization": f"Bearer {login['access_token']}"}
        assert (
            await registry.post(f"/accounts/{judge['account_id']}/enable", headers=judge_token)
        ).status_code == 403
        enabled = await ok(await registry.post(f"/accounts/{judge['account_id']}/enable"))
        assert enabled["disabled"] is False
        await ok(await registry.post("/auth/login", json=JUDGE, headers=anonymous))
