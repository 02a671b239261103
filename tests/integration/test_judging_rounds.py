"""Two rounds against the real broker and MongoDB: a shortlist round on the
edition's panel, the shortlist (public: shortlist.announced), the final round
with its own panel, rubric and sheets (one filled at the judge's desk), and its
results announced as the edition's: winner.announced under the real edition id."""

from __future__ import annotations

from typing import Any

import httpx
from judging.main import create_app as create_judging
from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions

from ..support import EventTap, eventually, judge_bearer, serving
from .flows import enrolled_kim, entry_body, ok, published_edition


def flat(value: int) -> dict[str, Any]:
    return {"scores": dict.fromkeys(("tema", "kreativitas", "teknis", "promosi_umkm"), value)}


async def refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    body = response.json()
    assert (response.status_code, body["error"]["code"]) == (status, code), response.text
    return body["error"]


async def test_a_shortlist_round_then_a_final_round_announced_as_the_edition(
    settings_for: Any, tap: EventTap
) -> None:
    async with (
        serving(create_registry(settings_for("registry")), "registry") as registry,
        serving(create_submissions(settings_for("submissions")), "submissions") as submissions,
        serving(create_judging(settings_for("judging")), "judging") as judging,
    ):
        edition = await published_edition(registry, awarded_ranks=2)
        e = edition["edition_id"]
        names = [
            ("KIM Pasreh Jaya", "bumiayu"),
            ("KIM Ganjur", "polowijen"),
            ("KIM Mojolangu", "mojolangu"),
            ("KIM Gadang", "gadang"),
        ]
        kims = [await enrolled_kim(registry, e, n, k, i) for i, (n, k) in enumerate(names, start=1)]
        await tap.wait_for("enrolment.approved", count=4)

        async def submit(kim: dict[str, Any], title: str) -> dict[str, Any]:
            async def attempt() -> Any:
                response = await submissions.post(
                    f"/editions/{e}/entries", json=entry_body(kim["kim_id"], title=title)
                )
                return response.json() if response.status_code == 201 else None

            return await eventually(attempt)

        titles = ["Topeng Malangan", "Keripik Tempe", "Kopi Mojolangu", "Batik Gadang"]
        entries = [await submit(kim, title) for kim, title in zip(kims, titles, strict=True)]
        await eventually(lambda: _count(judging, f"/editions/{e}/entries", 4), timeout=20)

        # Two rounds, set before scoring; exactly one rule.
        await refused(
            await judging.put(f"/editions/{e}/rounds", json={"shortlist": {"size": 2, "min_score": 70}}),
            422,
            "shortlist_rule_invalid",
        )
        rounds = await ok(
            await judging.put(f"/editions/{e}/rounds", json={"shortlist": {"size": 2, "public": True}})
        )
        assert (rounds["rounds"], rounds["rule"]["text"], rounds["shortlist"]) == (2, "top 2", None)
        await refused(await judging.get(f"/editions/{e}/final"), 404, "final_round_not_open")

        rina = await ok(await judging.post(f"/editions/{e}/judges", json={"name": "Rina"}), 201)
        await ok(await registry.post(f"/editions/{e}/submissions-closure"))
        await eventually(lambda: _status(judging, e, "scoring"))
        await refused(await judging.post(f"/editions/{e}/shortlist"), 409, "round_one_not_complete")

        # Round 1: Pasreh 90, Ganjur 80, Mojolangu 70, Gadang 60.
        for entry, value in zip(entries, (90, 80, 70, 60), strict=True):
            url = f"/editions/{e}/entries/{entry['entry_id']}/sheets/{rina['judge_id']}"
            await ok(await judging.put(url, json=flat(value)))
        await tap.wait_for("judging.completed")
        await refused(await judging.delete(f"/editions/{e}/rounds"), 409, "rounds_fixed")

        shortlist = await ok(await judging.post(f"/editions/{e}/shortlist"), 201)
        assert [(s["entry_title"], s["rank"], s["score"]) for s in shortlist["entries"]] == [
            ("Topeng Malangan", 1, 90.0),
            ("Keripik Tempe", 2, 80.0),
        ]
        assert shortlist["field_size"] == 4 and shortlist["tied_at_cut"] == []
        final_id = shortlist["final_edition_id"]
        [announced_shortlist] = await tap.wait_for("shortlist.announced")
        assert announced_shortlist.data["edition_id"] == e
        assert [p["entry_title"] for p in announced_shortlist.data["entries"]] == [
            "Topeng Malangan",
            "Keripik Tempe",
        ]
        await refused(await judging.post(f"/editions/{e}/shortlist"), 409, "shortlist_already_closed")

        # Round 1's results stay staff's: frozen and verified, never announced.
        await ok(await judging.post(f"/editions/{e}/snapshots"), 201)
        await ok(await judging.post(f"/editions/{e}/snapshots/1/verification"))
        await refused(await judging.post(f"/editions/{e}/announcement"), 409, "round_one_not_announced")

        # The final round: its own rubric and panel.
        final = await ok(await judging.get(f"/editions/{e}/final"))
        assert (final["status"], final["edition_id"]) == ("scoring", final_id)
        rubric = {
            "criteria": [
                {"criterion_id": "cerita", "name_id": "Cerita", "name_en": "Story", "weight": 60},
                {
                    "criterion_id": "sinematografi",
                    "name_id": "Sinematografi",
                    "name_en": "Cinematography",
                    "weight": 40,
                },
            ]
        }
        await ok(await judging.put(f"/editions/{e}/final/rubric", json=rubric))
        sari = await ok(
            await judging.post(f"/editions/{e}/final/judges", json={"name": "Sari", "email": "sari@juri.id"}),
            201,
        )
        assignment = await ok(await judging.post(f"/editions/{e}/final/assignments"))
        assert len(assignment["entries"]) == 2
        assert [j["name"] for j in await ok(await judging.get(f"/editions/{e}/final/judges"))] == ["Sari"]

        # Sari's desk lists the final round, by its own id; she scores there.
        sari_headers = judge_bearer("sari@juri.id")
        [seat] = await ok(await judging.get("/me/editions", headers=sari_headers))
        assert (seat["edition_id"], seat["round"], seat["round_of"], seat["assigned"]) == (
            final_id,
            "final",
            e,
            2,
        )
        desk = await ok(await judging.get(f"/me/editions/{final_id}/entries", headers=sari_headers))
        assert {d["entry"]["title"] for d in desk["entries"]} == {"Topeng Malangan", "Keripik Tempe"}
        pasreh, ganjur = entries[0]["entry_id"], entries[1]["entry_id"]
        # Pasreh 70×0.6 + 80×0.4 = 74; Ganjur 90×0.6 + 85×0.4 = 88: the final reverses round 1.
        await ok(
            await judging.put(
                f"/editions/{final_id}/entries/{ganjur}/sheets/{sari['judge_id']}",
                json={"scores": {"cerita": 90, "sinematografi": 85}},
                headers=sari_headers,
            )
        )
        # Staff key in her paper sheet for Pasreh, on the final's rubric only.
        paper = f"/editions/{e}/final/entries/{pasreh}/sheets/{sari['judge_id']}"
        round_one_scores = {"tema": 80, "kreativitas": 80, "teknis": 80, "promosi_umkm": 80}
        await refused(
            await judging.put(paper, json={"scores": round_one_scores}), 422, "scores_do_not_match_rubric"
        )
        assert (
            await judging.put(paper, json={"scores": round_one_scores}, headers=sari_headers)
        ).status_code == 403
        await ok(await judging.put(paper, json={"scores": {"cerita": 70, "sinematografi": 80}}))
        completions = await tap.wait_for("judging.completed", count=2)
        assert completions[-1].data["edition_id"] == final_id

        ranking = await ok(await judging.get(f"/editions/{e}/final/ranking"))
        assert [(p["entry_title"], p["score"]) for p in ranking["ranking"]] == [
            ("Keripik Tempe", 88.0),
            ("Topeng Malangan", 74.0),
        ]
        progress = await ok(await judging.get(f"/editions/{e}/final/progress"))
        assert (progress["missing"], progress["recorded"]) == (0, 2)
        audit = await ok(await judging.get(f"/editions/{e}/final/audit"))
        assert [r["details"].get("paper_sheet_of") for r in audit if r["action"] == "sheet_filled"] == [
            None,
            "Sari",
        ]
        await refused(await judging.get(f"/editions/{e}/results"), 404, "results_not_announced")

        frozen = await ok(await judging.post(f"/editions/{e}/final/snapshots"), 201)
        await ok(await judging.post(f"/editions/{e}/final/snapshots/{frozen['version']}/verification"))
        results = await ok(await judging.post(f"/editions/{e}/final/announcement"))
        assert results["edition_id"] == e
        assert [w["entry_title"] for w in results["winners"]] == ["Keripik Tempe", "Topeng Malangan"]
        public = await ok(await judging.get(f"/editions/{e}/results"))
        assert (public["edition_id"], public["winners"], public["versions"]) == (e, results["winners"], [1])
        [winner] = await tap.wait_for("winner.announced", lambda e: e.body["version"] == 1)
        assert winner.data["edition_id"] == e, "the real edition id, not the final round's"
        assert [w["entry_title"] for w in winner.data["winners"]] == ["Keripik Tempe", "Topeng Malangan"]
        assert winner.data["content_hash"] == frozen["content_hash"]


async def _count(judging: httpx.AsyncClient, path: str, count: int) -> bool:
    return len((await judging.get(path)).json()) == count


async def _status(judging: httpx.AsyncClient, edition_id: str, status: str) -> bool:
    return (await judging.get(f"/editions/{edition_id}")).json()["status"] == status
