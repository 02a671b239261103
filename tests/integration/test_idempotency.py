"""Idempotency-Key on creating requests, against the real services: a retry after a lost
answer gets the first answer, not a duplicate nor a refusal; the same key with another
body is refused; keys belong to their caller."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from motor.motor_asyncio import AsyncIOMotorClient
from registry.main import create_app as create_registry

from shared.kernel.principal import Principal
from shared.platform.idempotency import ABANDONED_AFTER, COLLECTION

from ..support import STAFF, bearer_for, serving
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


async def test_a_key_left_unanswered_by_a_crash_is_answered_afresh_once_abandoned(settings_for: Any) -> None:
    """A process SIGKILLed while answering leaves its key taken and unanswered (the fault
    suite's voting case found it: the retry was refused as "in use" for a whole day).
    While it may still be answered, a retry is 409 `idempotency_key_in_use`; once older
    than ABANDONED_AFTER, the retry is answered as new, then replayed as usual."""
    settings = settings_for("registry")
    async with serving(create_registry(settings), "registry") as registry:
        body = json.dumps(JUDGE).encode()
        key = "buka-akun-setelah-mati-mendadak"
        record_id = hashlib.sha256(f"account:{STAFF.account_id}\n/accounts\n{key}".encode()).hexdigest()
        client: AsyncIOMotorClient[dict[str, Any]] = AsyncIOMotorClient(
            settings.mongodb_url.get_secret_value(), tz_aware=True
        )
        records = client[settings.mongodb_database][COLLECTION]
        now = datetime.now(UTC)
        # What the killed process left: the key taken, no answer kept.
        await records.insert_one(
            {
                "_id": record_id,
                "body_hash": hashlib.sha256(body).hexdigest(),
                "created_at": now,
                "status": None,
            }
        )
        headers = {"Idempotency-Key": key, "Content-Type": "application/json"}
        try:
            busy = await registry.post("/accounts", content=body, headers=headers)
            assert busy.status_code == 409 and busy.json()["error"]["code"] == "idempotency_key_in_use"

            abandoned = now - ABANDONED_AFTER - timedelta(seconds=1)
            await records.update_one({"_id": record_id}, {"$set": {"created_at": abandoned}})
            answered = await registry.post("/accounts", content=body, headers=headers)
            assert answered.status_code == 201, answered.text
            assert "idempotent-replayed" not in answered.headers
            replayed = await registry.post("/accounts", content=body, headers=headers)
            assert replayed.status_code == 201 and replayed.json() == answered.json()
            assert replayed.headers["idempotent-replayed"] == "true"
        finally:
            client.close()
