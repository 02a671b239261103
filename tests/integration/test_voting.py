"""The people's choice vote against the real broker and MongoDB wire server: an
edition and its entries arrive by event; a voter solves the proof-of-work, asks
for a code (voter.code_requested on the bus), votes with it; replays count once;
each refusal by name; staff close, freeze (votes.tallied on the bus)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import altcha
import httpx
from voting.main import create_app

from shared import contracts as c
from shared.contracts.registry import Category

from ..support import EventTap, OwnerPublisher, bearer_for, eventually, serving
from .flows import ok

AT = datetime(2024, 8, 1, 9, tzinfo=UTC)
POLOWIJEN = c.Region(code="polowijen", name="Polowijen")
BLIMBING = c.Region(code="blimbing", name="Blimbing")


def edition(edition_id: UUID) -> c.EditionDetails:
    return c.EditionDetails(
        edition_id=edition_id,
        title="Lomba Video Pendek KIM 2024",
        theme="Promosi UMKM",
        description="Film pendek tentang UMKM.",
        submission_opens_at=AT,
        submission_closes_at=AT + timedelta(days=30),
        rules=c.EditionRules(max_video_seconds=300, allowed_video_hosts=["youtube.com"], entries_per_kim=1),
        awarded_ranks=3,
        prizes=[],
        status="published",
        revision=1,
        categories=[Category(code="juara-favorit", title="Juara Favorit", kind="favourite", awarded_ranks=1)],
    )


def entry(edition_id: UUID, kim_id: UUID, title: str, status: str = "submitted") -> c.EntryDetails:
    return c.EntryDetails(
        entry_id=uuid4(),
        edition_id=edition_id,
        kim_id=kim_id,
        kim_name="KIM Ganjur",
        kelurahan=POLOWIJEN,
        title=title,
        synopsis="Tentang UMKM.",
        video_url="https://www.youtube.com/watch?v=abc",
        duration_seconds=120,
        umkm_featured=["Keripik Tempe Sanan"],
        status=status,  # type: ignore[arg-type]
        revision=1,
        submitted_at=AT,
        updated_at=AT,
    )


def kim(kim_id: UUID) -> c.KimProfile:
    return c.KimProfile(
        kim_id=kim_id,
        name="KIM Ganjur",
        kelurahan=POLOWIJEN,
        kecamatan=BLIMBING,
        chair="Bu Sari",
        whatsapp="+6281234567890",
        email="ganjur@example.id",
        members=[],
        verified=True,
        revision=1,
    )


async def solved(api: httpx.AsyncClient) -> str:
    challenge = await ok(await api.get("/challenge"))
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxnumber"]
    )
    assert solution is not None
    payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
    payload["number"] = solution.number
    return base64.b64encode(json.dumps(payload).encode()).decode()


def error_code(response: httpx.Response) -> str:
    return str(response.json()["error"]["code"])


async def test_a_voter_votes_once_and_the_frozen_tally_is_published(
    settings_for: Any, amqp_url_for: Any, tap: EventTap
) -> None:
    edition_id, kim_id = uuid4(), uuid4()
    # The fraud pass is left out here (it runs once at start, then in an hour): its own test below.
    settings = settings_for("voting", challenge_max_number=2000, fraud_poll_seconds=3600)
    app = create_app(settings)
    async with serving(app, "voting") as staff, OwnerPublisher(amqp_url_for) as bus:
        public = httpx.AsyncClient(transport=staff._transport, base_url="http://voting")
        first, second = entry(edition_id, kim_id, "Tempe Sanan"), entry(edition_id, kim_id, "Topeng Malangan")
        withdrawn = entry(edition_id, kim_id, "Ditarik", status="withdrawn")
        await bus.publish(c.KimRegistered.new(kim(kim_id), producer="registry", correlation_id="t"))
        await bus.publish(
            c.EditionPublished.new(edition(edition_id), producer="registry", correlation_id="t")
        )
        for details in (first, second, withdrawn):
            await bus.publish(c.EntrySubmitted.new(details, producer="submissions", correlation_id="t"))

        async def gallery() -> list[dict[str, Any]] | None:
            found = (await public.get(f"/editions/{edition_id}/gallery")).json()
            return found if isinstance(found, list) and len(found) == 2 else None

        items = await eventually(gallery)
        assert {i["title"] for i in items} == {"Tempe Sanan", "Topeng Malangan"}
        assert items[0]["kelurahan"]["kecamatan"] == {"code": "blimbing", "name": "Blimbing"}
        by_umkm = await ok(await public.get("/gallery", params={"umkm": "tempe", "kecamatan": "blimbing"}))
        assert len(by_umkm) == 2
        cached = await public.get(f"/editions/{edition_id}/gallery")
        assert cached.headers["cache-control"].startswith("public")
        not_modified = await public.get(
            f"/editions/{edition_id}/gallery", headers={"If-None-Match": cached.headers["etag"]}
        )
        assert not_modified.status_code == 304
        head = await public.head(f"/editions/{edition_id}/gallery")
        assert head.status_code == 200 and head.headers["etag"] == cached.headers["etag"]

        now = datetime.now(UTC)
        window = {
            "opens_at": (now - timedelta(minutes=1)).isoformat(),
            "closes_at": (now + timedelta(hours=1)).isoformat(),
        }
        assert (await public.put(f"/editions/{edition_id}/vote-window", json=window)).status_code == 401
        shown = await ok(await staff.put(f"/editions/{edition_id}/vote-window", json=window))
        assert shown["status"] == "open" and shown["category_code"] == "juara-favorit"
        hidden = await public.get(f"/editions/{edition_id}/public-tally")
        assert hidden.status_code == 404 and error_code(hidden) == "tally_not_public"

        codes = f"/editions/{edition_id}/voter-codes"
        missing = await public.post(codes, json={"address": "081234500001"})
        assert missing.status_code == 422 and error_code(missing) == "challenge_invalid"
        forged = await public.post(codes, json={"address": "081234500001", "altcha": "bm90IGEgc29sdXRpb24="})
        assert error_code(forged) == "challenge_invalid"
        proof = await solved(public)
        asked = await ok(await public.post(codes, json={"address": "0812-3450-0001", "altcha": proof}), 202)
        assert asked["channel"] == "whatsapp"
        reused = await public.post(codes, json={"address": "081234500002", "altcha": proof})
        assert error_code(reused) == "challenge_invalid"

        sent = await tap.wait_for(
            "voter.code_requested", lambda e: e.data["request_id"] == asked["request_id"]
        )
        code = sent[0].data["code"]
        assert sent[0].data["address"] == "+6281234500001"

        votes = f"/editions/{edition_id}/votes"
        wrong = "000000" if code != "000000" else "111111"
        refused = await public.post(
            votes, json={"request_id": asked["request_id"], "code": wrong, "entry_id": str(first.entry_id)}
        )
        assert refused.status_code == 422 and error_code(refused) == "code_wrong"
        out = await public.post(
            votes, json={"request_id": asked["request_id"], "code": code, "entry_id": str(withdrawn.entry_id)}
        )
        assert out.status_code == 422 and error_code(out) == "entry_not_in_competition"
        body = {"request_id": asked["request_id"], "code": code, "entry_id": str(first.entry_id)}
        keyed = {"Idempotency-Key": f"vote-{asked['request_id']}"}
        cast = await ok(await public.post(votes, json=body, headers=keyed), 201)
        # The answer lost on the way: sent again with its key, and again without one.
        assert await ok(await public.post(votes, json=body, headers=keyed), 201) == cast
        replay = await ok(await public.post(votes, json=body), 201)
        assert replay == cast
        other = await public.post(votes, json={**body, "entry_id": str(second.entry_id)})
        assert other.status_code == 409 and error_code(other) == "code_used"

        # The same number again, with a new code: one person, one vote.
        again = await ok(
            await public.post(codes, json={"address": "+6281234500001", "altcha": await solved(public)}), 202
        )
        resent = await tap.wait_for(
            "voter.code_requested", lambda e: e.data["request_id"] == again["request_id"]
        )
        twice = await public.post(
            votes,
            json={
                "request_id": again["request_id"],
                "code": resent[0].data["code"],
                "entry_id": str(second.entry_id),
            },
        )
        assert twice.status_code == 409 and error_code(twice) == "already_voted"

        tally = await ok(await staff.get(f"/editions/{edition_id}/tally"))
        # Sent three times, counted once.
        assert tally["counted"] == 1 and tally["standings"][0]["entry_id"] == str(first.entry_id)
        early = await staff.post(f"/editions/{edition_id}/tally/freeze")
        assert early.status_code == 409 and error_code(early) == "vote_window_open"

        closed = await ok(await staff.post(f"/editions/{edition_id}/vote-window/closing"))
        assert closed["status"] == "closed"
        late = await public.post(codes, json={"address": "081234500009", "altcha": await solved(public)})
        assert late.status_code == 409 and error_code(late) == "vote_window_closed"

        frozen = await ok(await staff.post(f"/editions/{edition_id}/tally/freeze"))
        assert frozen["version"] == 1 and len(frozen["content_hash"]) == 64
        same = await ok(await staff.post(f"/editions/{edition_id}/tally/freeze"))
        assert same["version"] == 1
        tallied = await tap.wait_for("votes.tallied", lambda e: e.data["edition_id"] == str(edition_id))
        assert tallied[0].data["standings"][0]["votes"] == 1
        assert tallied[0].data["content_hash"] == frozen["content_hash"]

        voided = await ok(
            await staff.post(
                f"/editions/{edition_id}/votes/{cast['vote_id']}/voiding", json={"reason": "Uji pembatalan"}
            )
        )
        assert voided["status"] == "voided"
        refrozen = await ok(await staff.post(f"/editions/{edition_id}/tally/freeze"))
        assert refrozen["version"] == 2 and refrozen["voided"] == 1 and refrozen["counted"] == 0
        public_tally = await ok(await public.get(f"/editions/{edition_id}/public-tally"))
        assert public_tally["status"] == "frozen" and public_tally["version"] == 2
        assert bearer_for(app)  # staff's token is the deployment's


async def test_throttles_answer_429_and_the_fraud_pass_flags_votes_staff_then_decide(
    settings_for: Any, amqp_url_for: Any, tap: EventTap
) -> None:
    edition_id, kim_id = uuid4(), uuid4()
    settings = settings_for(
        "voting",
        challenge_max_number=2000,
        throttle_per_address=1,
        fraud_poll_seconds=0.3,
        fraud_inhuman_seconds=600,  # every vote of this test comes seconds after its code
        fraud_weak_challenge_ms=0,  # and its challenges are solved in milliseconds: not this flag
    )
    async with serving(create_app(settings), "voting") as staff, OwnerPublisher(amqp_url_for) as bus:
        public = httpx.AsyncClient(transport=staff._transport, base_url="http://voting")
        favourite = entry(edition_id, kim_id, "Tempe Sanan")
        await bus.publish(
            c.EditionPublished.new(edition(edition_id), producer="registry", correlation_id="t")
        )
        await bus.publish(c.EntrySubmitted.new(favourite, producer="submissions", correlation_id="t"))
        await eventually(lambda: _gallery_has(public, edition_id))
        now = datetime.now(UTC)
        window = {
            "opens_at": (now - timedelta(minutes=1)).isoformat(),
            "closes_at": (now + timedelta(hours=1)).isoformat(),
            "public_counts": True,
        }
        await ok(await staff.put(f"/editions/{edition_id}/vote-window", json=window))

        codes, votes = f"/editions/{edition_id}/voter-codes", f"/editions/{edition_id}/votes"
        cast = []
        for number in ("081299900001", "081299900002"):
            asked = await ok(
                await public.post(codes, json={"address": number, "altcha": await solved(public)}), 202
            )
            sent = await tap.wait_for(
                "voter.code_requested", lambda e, a=asked: e.data["request_id"] == a["request_id"]
            )
            body = {
                "request_id": asked["request_id"],
                "code": sent[0].data["code"],
                "entry_id": str(favourite.entry_id),
            }
            cast.append(await ok(await public.post(votes, json=body), 201))
        throttled = await public.post(codes, json={"address": "081299900001", "altcha": await solved(public)})
        assert throttled.status_code == 429 and error_code(throttled) == "too_many_code_requests"
        assert 0 < int(throttled.headers["retry-after"]) <= settings.throttle_window_seconds

        async def flagged() -> list[dict[str, Any]] | None:
            found = await ok(await staff.get(f"/editions/{edition_id}/flags"))
            # The pass runs every 0.3 s: it may have seen the first vote alone, then added the second.
            return found if found and len(found[0]["vote_ids"]) == 2 else None

        flags = await eventually(flagged)
        assert flags[0]["kind"] == "inhuman_rate"
        assert set(flags[0]["vote_ids"]) == {v["vote_id"] for v in cast}
        tally = await eventually(
            lambda: _when(staff.get(f"/editions/{edition_id}/tally"), lambda t: t["flagged"] == 2)
        )
        assert (tally["counted"], tally["voided"]) == (2, 0)
        shown = await ok(await public.get(f"/editions/{edition_id}/public-tally"))
        assert shown["counted"] == 2 and "flagged" not in shown["standings"][0]

        path = f"/editions/{edition_id}/votes/{cast[0]['vote_id']}/voiding"
        assert (await public.post(path, json={"reason": "Nomor palsu"})).status_code == 401
        await ok(await staff.post(path, json={"reason": "Nomor palsu dari satu penjual"}))
        again = await staff.post(path, json={"reason": "Nomor palsu"})
        assert again.status_code == 409 and error_code(again) == "vote_already_voided"
        dismissed = await ok(
            await staff.post(
                f"/editions/{edition_id}/flags/{flags[0]['flag_id']}/dismissal",
                json={"reason": "Warga mengetik kode dengan cepat"},
            )
        )
        assert dismissed["status"] == "dismissed" and dismissed["decided_by"].startswith("staff:")
        after = await ok(await staff.get(f"/editions/{edition_id}/tally"))
        assert (after["counted"], after["voided"], after["flagged"]) == (1, 1, 0)


async def _gallery_has(public: httpx.AsyncClient, edition_id: UUID) -> bool:
    return bool((await public.get(f"/editions/{edition_id}/gallery")).json())


async def _when(request: Any, check: Any) -> Any:
    found = (await request).json()
    return found if check(found) else None
