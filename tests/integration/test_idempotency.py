"""Idempotency-Key on creating requests, against the real services: a retry after a lost
answer gets the first answer, not a duplicate nor a refusal; the same key with another
body is refused; keys belong to their caller."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from registry.main import create_app as create_registry

from shared.kernel.principal import Principal

from ..support import bearer_for, serving
from .flows import ok

JUDGE = {"email": "juri@juri.id", "name": "Juri", "role": "judge", "password": "benar-sekali-2024"}
KIM = {
    "name": "KIM Pasreh Jaya",
    "kelurahan_code": "bumiayu",
    "chair": "Bu Ketua",
    "whatsapp": "081234567890",
    "email": "pasreh@kim.id",
    "password": "topeng-malangan-2024",
}


async def test_the_same_key_and_body_answer_the_first_answer_and_another_body_is_refused(
    settings_for: Any,
) -> None:
    registry_app = create_registry(settings_for("registry"))
    async with serving(registry_app, "registry") as registry:
        key = {"Idempotency-Key": "buka-akun-juri-1"}
        first = await registry.post("/accounts", json=JUDGE, headers=key)
        again = await registry.post("/accounts", json=JUDGE, headers=key)
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
        accounts = await ok(await registry.get("/accounts"))
        assert [a["email"] for a in accounts] == [JUDGE["email"]]  # no duplicate, no 409

        other = await registry.post("/accounts", json={**JUDGE, "name": "Juri Lain"}, headers=key)
        assert other.status_code == 422
        assert other.json()["error"]["code"] == "idempotency_key_reused"
        assert other.json()["error"]["field"] == "Idempotency-Key"
        english = await registry.post(
            "/accounts", json={**JUDGE, "name": "Juri Lain"}, headers={**key, "Accept-Language": "en"}
        )
        assert "different body" in english.json()["error"]["message"]
        # Without a key it is a new request: the email is taken. So it is for another
        # caller with the same key: keys are scoped to their caller.
        assert (await registry.post("/accounts", json=JUDGE)).status_code == 409
        someone_else = bearer_for(registry_app, Principal(account_id=uuid4(), role="staff", email="b@x.id"))
        assert (
            await registry.post("/accounts", json=JUDGE, headers={**key, **someone_else})
        ).status_code == 409

        # Anonymous KIM registration (confirmed later by a mailed link), retried: the first
        # answer again, replayed rather than registered (and mailed) a second time.
        anonymous = {"Authorization": "", "Idempotency-Key": "daftar-pasreh-jaya"}
        registered = await registry.post("/kims", json=KIM, headers=anonymous)
        retried = await registry.post("/kims", json=KIM, headers=anonymous)
        assert registered.status_code == retried.status_code == 202, registered.text
        assert registered.json() == retried.json()
        assert "idempotent-replayed" not in registered.headers
        assert retried.headers["idempotent-replayed"] == "true"

        # A refusal worth keeping is kept too (422: the same body stays wrong).
        bad = await registry.post(
            "/accounts", json={**JUDGE, "password": "pendek"}, headers={"Idempotency-Key": "k2"}
        )
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
        # A malformed key is refused by name.
        malformed = await registry.post("/accounts", json=JUDGE, headers={"Idempotency-Key": "ada spasi"})
        assert malformed.status_code == 422 and malformed.json()["error"]["code"] == "idempotency_key_invalid"
