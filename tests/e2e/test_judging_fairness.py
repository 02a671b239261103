"""Fair, explainable, final judging through the four running services: a judge
with a conflict of interest abstains (and staff see why), two entries tie for
an awarded rank and staff resolve it, the results are frozen, verified and
announced; then the winner is disqualified, and a corrected version is frozen,
verified and announced, with both versions readable. Judges are told their
entries by email; staff follow ties and announcements in their inbox."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from devstack.mail_sink import MailSink
from devstack.stack import LocalStack
from devstack.webhook_sink import WebhookSink

from ..integration.flows import enrolled_kim, entry_body, ok, published_edition
from ..support import eventually
from .test_whole_edition import STAFF_EMAIL, sinks, stack

__all__ = ["sinks", "stack"]  # the fixtures, shared with the whole-edition test

KIMS = (
    ("KIM Pasreh Jaya", "bumiayu"),
    ("KIM Ganjur", "gadang"),
    ("KIM Mojolangu", "mojolangu"),
    ("KIM Polehan", "polehan"),
)
JUDGES = (("Ayu", []), ("Bagus", ["mojolangu"]), ("Hendra", []))
# Flat sheets (one score on every criterion: total = tema = that score). Bagus declared
# Kelurahan Mojolangu, so Mojolangu's score uses Ayu and Hendra only.
#   Pasreh 90; Ganjur (86 + 84 + 82) / 3 = 84; Mojolangu (82 + 86) / 2 = 84; Polehan 70.
# Ganjur and Mojolangu: equal on the mean and on tema; of the judges who scored both,
# Ayu preferred Ganjur and Hendra Mojolangu: 1-1. Nothing else is declared: a tie for
# rank 2 of 2 awarded, escalated.
SHEETS = {
    "KIM Pasreh Jaya": {"Ayu": 90, "Bagus": 90, "Hendra": 90},
    "KIM Ganjur": {"Ayu": 86, "Bagus": 84, "Hendra": 82},
    "KIM Mojolangu": {"Ayu": 82, "Hendra": 86},
    "KIM Polehan": {"Ayu": 70, "Bagus": 70, "Hendra": 70},
}


@asynccontextmanager
async def clients(
    urls: dict[str, str], headers: dict[str, str]
) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    opened = {
        name: httpx.AsyncClient(base_url=url, timeout=30, headers=headers) for name, url in urls.items()
    }
    try:
        yield opened
    finally:
        for client in opened.values():
            await client.aclose()


def flat(value: int) -> dict[str, Any]:
    return {"scores": dict.fromkeys(("tema", "kreativitas", "teknis", "promosi_umkm"), value)}


async def test_a_conflict_a_tie_and_a_correction_from_first_sheet_to_second_version(
    stack: LocalStack, sinks: tuple[MailSink, WebhookSink]
) -> None:
    mail, _ = sinks
    staff = await asyncio.to_thread(stack.staff_headers)
    async with clients(stack.urls(), staff) as api:
        registry, submissions, judging, notifications = (
            api[name] for name in ("registry", "submissions", "judging", "notifications")
        )
        staff = await ok(
            await notifications.post(
                "/recipients",
                json={
                    "name": "Staf Diskominfo",
                    "email": STAFF_EMAIL,
                    "subscriptions": ["tie.detected", "winner.announced"],
                },
            ),
            201,
        )
        edition_id = (await published_edition(registry, awarded_ranks=2))["edition_id"]
        path = f"/editions/{edition_id}"
        entries: dict[str, str] = {}
        for number, (name, kelurahan) in enumerate(KIMS, start=1):
            kim = await enrolled_kim(registry, edition_id, name, kelurahan, number)

            async def submitted(kim_id: str = kim["kim_id"], title: str = f"Film {name}") -> Any:
                answer = await submissions.post(f"{path}/entries", json=entry_body(kim_id, title=title))
                return answer.json() if answer.status_code == 201 else None

            entries[name] = (await eventually(submitted, timeout=30))["entry_id"]

        await eventually(lambda: _has(judging, f"{path}/entries", len(KIMS)), timeout=30)
        await ok(
            await judging.put(
                f"{path}/judging-options", json={"tie_break": ["priority_criterion", "head_to_head"]}
            )
        )
        judges = {}
        for name, kelurahan_codes in JUDGES:
            body = {
                "name": name,
                "email": f"{name.lower()}@juri.example",
                "affiliations": {"kelurahan_codes": kelurahan_codes},
            }
            judges[name] = (await ok(await judging.post(f"{path}/judges", json=body), 201))["judge_id"]
        await ok(await registry.post(f"{path}/submissions-closure"))
        await eventually(lambda: _status(judging, path, "scoring"), timeout=30)

        # Every judge is told their entries by email; Bagus's list leaves out Mojolangu.
        await ok(await judging.post(f"{path}/assignments"))
        # (KIM representatives' accounts are emailed too, about their own KIM.)
        bagus_mail = await eventually(
            lambda: next((m for m in mail.messages if str(m["To"]) == "bagus@juri.example"), None), timeout=30
        )
        assert "KIM Ganjur" in bagus_mail.get_content() and "KIM Mojolangu" not in bagus_mail.get_content()

        for kim_name, by_judge in SHEETS.items():
            for judge, total in by_judge.items():
                sheet_path = f"{path}/entries/{entries[kim_name]}/sheets/{judges[judge]}"
                await ok(await judging.put(sheet_path, json=flat(total)))
        await eventually(lambda: _status(judging, path, "completed"), timeout=30)

        # The conflict: Bagus abstained from Mojolangu, and staff see why.
        progress = await ok(await judging.get(f"{path}/progress"))
        mojolangu = next(p for p in progress["entries"] if p["kim_name"] == "KIM Mojolangu")
        assert [(a["judge_name"], a["reason"]) for a in mojolangu["abstentions"]] == [
            ("Bagus", "menyatakan keterkaitan dengan Kelurahan Mojolangu")
        ]
        ranking = await ok(await judging.get(f"{path}/ranking"))
        assert [
            (p["kim_name"], p["rank"], p["score"], p["judges"], p["shared"]) for p in ranking["ranking"]
        ] == [
            ("KIM Pasreh Jaya", 1, 90.0, 3, False),
            ("KIM Ganjur", 2, 84.0, 3, True),
            ("KIM Mojolangu", 2, 84.0, 2, True),
            ("KIM Polehan", 4, 70.0, 3, False),
        ]

        # The tie for rank 2: escalated, so nothing can be frozen until staff decide.
        (tie,) = await ok(await judging.get(f"{path}/ties"))
        assert tie["rank"] == 2 and sorted(tie["entry_ids"]) == sorted(
            [entries["KIM Ganjur"], entries["KIM Mojolangu"]]
        )
        assert (await judging.post(f"{path}/snapshots")).json()["error"]["code"] == "tie_unresolved"
        decision = "Musyawarah dewan juri: Ganjur lebih kuat mempromosikan UMKM-nya."
        await ok(
            await judging.post(
                f"{path}/ties/{tie['tie_id']}/resolution",
                json={"order": [entries["KIM Ganjur"], entries["KIM Mojolangu"]], "reason": decision},
            )
        )
        v1 = await _freeze_verify_announce(judging, path, None)
        assert [w["kim_name"] for w in v1["winners"]] == ["KIM Pasreh Jaya", "KIM Ganjur"]
        assert v1["tie_resolutions"][0]["resolution"]["reason"] == decision

        # After the announcement the winner is disqualified: the ranking moves, Ganjur and
        # Mojolangu now tie for rank 1, which staff decide as before; then version 2.
        await ok(
            await submissions.post(
                f"/entries/{entries['KIM Pasreh Jaya']}/disqualification",
                json={"reason": "Musik latar dipakai tanpa izin pemiliknya."},
            )
        )
        second_tie = await eventually(lambda: _unresolved_tie(judging, path), timeout=30)
        assert second_tie["rank"] == 1
        await ok(
            await judging.post(
                f"{path}/ties/{second_tie['tie_id']}/resolution",
                json={"order": [entries["KIM Ganjur"], entries["KIM Mojolangu"]], "reason": decision},
            )
        )
        correction = "KIM Pasreh Jaya didiskualifikasi setelah pengumuman (musik tanpa izin)."
        v2 = await _freeze_verify_announce(judging, path, correction)
        assert (v2["version"], v2["supersedes"], v2["correction_reason"]) == (2, 1, correction)
        assert [w["kim_name"] for w in v2["winners"]] == ["KIM Ganjur", "KIM Mojolangu"]

        # Both versions stay readable by anyone; the latest is the default.
        latest = await ok(await judging.get(f"{path}/results"))
        first = await ok(await judging.get(f"{path}/results/versions/1"))
        assert (latest, first["version"], latest["versions"]) == (v2, 1, [1, 2])
        assert first["winners"] == v1["winners"] and first["content_hash"] != latest["content_hash"]

        # Staff followed it all: two ties, two announcements, the second naming its reason.
        async def inbox_filled() -> Any:
            found = await ok(await notifications.get(f"/recipients/{staff['recipient_id']}/inbox"))
            return found if len(found["items"]) >= 4 else None

        inbox = await eventually(inbox_filled, timeout=30)
        assert (
            sorted(i["event_type"] for i in inbox["items"]) == ["tie.detected"] * 2 + ["winner.announced"] * 2
        )
        assert "koreksi atas versi 1" in inbox["items"][0]["text"]

        trail = (await judging.get(f"{path}/audit.csv")).text
        for action, times in (("tie_resolved", 2), ("results_announced", 2), ("entry_left_competition", 1)):
            assert trail.count(f",{action},") == times, action


async def _freeze_verify_announce(judging: httpx.AsyncClient, path: str, reason: str | None) -> Any:
    body = {"reason": reason} if reason else None
    frozen = await ok(await judging.post(f"{path}/snapshots", json=body), 201)
    verified = await ok(await judging.post(f"{path}/snapshots/{frozen['version']}/verification"))
    assert verified["verified"] and verified["recomputed_hash"] == frozen["content_hash"]
    announced = await ok(await judging.post(f"{path}/announcement"))
    assert (announced["version"], announced["content_hash"]) == (frozen["version"], frozen["content_hash"])
    return announced


async def _has(judging: httpx.AsyncClient, path: str, count: int) -> bool:
    answer = await judging.get(path)
    return answer.status_code == 200 and len(answer.json()) == count


async def _status(judging: httpx.AsyncClient, path: str, status: str) -> bool:
    return (await judging.get(path)).json()["status"] == status


async def _unresolved_tie(judging: httpx.AsyncClient, path: str) -> Any:
    ties = (await judging.get(f"{path}/ties")).json()
    return next((t for t in ties if t["stands"] and t["resolution"] is None), None)
