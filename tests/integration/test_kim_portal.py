"""The KIM portal against the real registry, submissions and judging (in process,
the real broker and database): a representative signs in, enrols, staff approve
through the API, the KIM submits, revises (revision 2) and withdraws; another
KIM's representative can neither see nor touch that entry."""

from __future__ import annotations

import re
from typing import Any

import httpx
from console.config import Settings as ConsoleSettings
from console.main import create_app as create_console
from judging.main import create_app as create_judging
from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions

from ..support import eventually, serving
from .flows import kim_body, ok, published_edition


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text) or re.search(
        r'"X-CSRF-Token": "([^"]+)"', page.text
    )
    assert found, page.text
    return found.group(1)


async def registered_kim(
    registry: httpx.AsyncClient, name: str, kelurahan: str, number: int
) -> dict[str, Any]:
    """A KIM registers itself with its representative's password; staff verify it."""
    body = {**kim_body(name, kelurahan, number), "password": f"rahasia-{number}-kim-2024"}
    kim = await ok(await registry.post("/kims", json=body), 201)
    await ok(await registry.post(f"/kims/{kim['kim_id']}/verification"))
    return {**kim, "password": body["password"]}


async def signed_in(console: Any, kim: dict[str, Any]) -> httpx.AsyncClient:
    browser = httpx.AsyncClient(transport=httpx.ASGITransport(app=console), base_url="http://console")
    form = await browser.get("/masuk")
    answer = await browser.post(
        "/masuk", data={"email": kim["email"], "password": kim["password"], "csrf_token": csrf_of(form)}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/kim", answer.text
    return browser


async def test_enrol_approve_submit_revise_withdraw_and_another_kim_cannot_touch_it(
    settings_for: Any,
) -> None:
    registry_app = create_registry(settings_for("registry"))
    submissions_app = create_submissions(settings_for("submissions"))
    judging_app = create_judging(settings_for("judging"))
    async with (
        serving(registry_app, "registry") as registry,
        serving(submissions_app, "submissions") as submissions,
        serving(judging_app, "judging"),
    ):
        edition = await published_edition(registry)
        edition_id = edition["edition_id"]
        pasreh = await registered_kim(registry, "KIM Pasreh Jaya", "bumiayu", 1)
        ganjur = await registered_kim(registry, "KIM Ganjur", "polowijen", 2)
        to_services = httpx.AsyncClient(
            mounts={
                "http://registry": httpx.ASGITransport(app=registry_app),
                "http://submissions": httpx.ASGITransport(app=submissions_app),
                "http://judging": httpx.ASGITransport(app=judging_app),
            }
        )
        console = create_console(
            ConsoleSettings(
                registry_url="http://registry",
                submissions_url="http://submissions",
                judging_url="http://judging",
                live_updates=False,
            ),
            http=to_services,
        )
        async with console.router.lifespan_context(console):
            browser = await signed_in(console, pasreh)
            home = await browser.get("/kim")
            assert home.status_code == 200 and "KIM Pasreh Jaya" in home.text
            assert f'href="/kim/lomba/{edition_id}"' in home.text and "Belum mendaftar" in home.text

            page = await browser.get(f"/kim/lomba/{edition_id}")
            enrolled = await browser.post(
                f"/kim/lomba/{edition_id}/daftar", data={"csrf_token": csrf_of(page)}
            )
            assert enrolled.status_code == 303
            page = await browser.get(f"/kim/lomba/{edition_id}")
            assert "Pendaftaran menunggu persetujuan staf" in page.text

            # Staff approve through the API.
            (enrolment,) = await ok(await registry.get(f"/editions/{edition_id}/enrolments"))
            assert enrolment["kim_id"] == pasreh["kim_id"]
            await ok(await registry.post(f"/enrolments/{enrolment['enrolment_id']}/approval"))
            page = await browser.get(f"/kim/lomba/{edition_id}")
            assert "Pendaftaran disetujui" in page.text

            # The link checked as the KIM types.
            check = await browser.get(
                f"/kim/lomba/{edition_id}/karya/periksa-tautan", params={"video_url": "https://vimeo.com/1"}
            )
            assert "Film di vimeo.com tidak diterima" in check.text
            check = await browser.get(
                f"/kim/lomba/{edition_id}/karya/periksa-tautan",
                params={"video_url": "https://youtu.be/pasreh2024"},
            )
            assert "https://www.youtube-nocookie.com/embed/pasreh2024" in check.text

            form = await browser.get(f"/kim/lomba/{edition_id}/karya")
            entry = {
                "video_url": "https://youtu.be/pasreh2024",
                "title": "Topeng Malangan dari Tangan-Tangan Istimewa",
                "synopsis": "Perajin topeng Malangan penyandang disabilitas di Bumiayu membangun usaha.",
                "umkm": "Sanggar Topeng Pasreh\nKeripik Tempe Sanan",
                "csrf_token": csrf_of(form),
            }

            async def submitted() -> bool:
                # Submissions learns of the approval by event: until then it refuses, beside the form.
                answer = await browser.post(f"/kim/lomba/{edition_id}/karya", data=entry)
                assert answer.status_code in (303, 400), answer.text
                return answer.status_code == 303

            await eventually(submitted)
            page = await browser.get(f"/kim/lomba/{edition_id}")
            assert "Karya diterima (revisi 1)" in page.text
            assert "https://www.youtube-nocookie.com/embed/pasreh2024" in page.text

            # A refusal of submissions shown beside its field: a synopsis too long for it.
            too_long = await browser.post(
                f"/kim/lomba/{edition_id}/karya/ubah", data={**entry, "synopsis": "x" * 5001}
            )
            assert too_long.status_code == 400 and 'id="synopsis-error"' in too_long.text

            revised = await browser.post(
                f"/kim/lomba/{edition_id}/karya/ubah", data={**entry, "title": "Topeng Malangan, Revisi"}
            )
            assert revised.status_code == 303
            page = await browser.get(f"/kim/lomba/{edition_id}")
            assert "Karya diterima (revisi 2)" in page.text and "Topeng Malangan, Revisi" in page.text
            (stored,) = await ok(await submissions.get(f"/editions/{edition_id}/entries"))
            assert (stored["revision"], stored["title"]) == (2, "Topeng Malangan, Revisi")
            assert stored["umkm_featured"] == ["Sanggar Topeng Pasreh", "Keripik Tempe Sanan"]

            # Another KIM's representative: nothing of Pasreh Jaya's to see or touch.
            other = await signed_in(console, ganjur)
            theirs = await other.get(f"/kim/lomba/{edition_id}")
            assert theirs.status_code == 200 and "Topeng Malangan" not in theirs.text
            token = csrf_of(theirs)
            assert (await other.get(f"/kim/lomba/{edition_id}/karya/ubah")).status_code == 404
            changed = await other.post(
                f"/kim/lomba/{edition_id}/karya/ubah",
                data={**entry, "title": "Diambil alih", "csrf_token": token},
            )
            withdrawn = await other.post(f"/kim/lomba/{edition_id}/karya/tarik", data={"csrf_token": token})
            assert (changed.status_code, withdrawn.status_code) == (404, 404)
            # And the services refuse the other representative anyway.
            (session,) = [s for s in console.state.sessions if str(s.kim_id) == ganjur["kim_id"]]
            as_ganjur = {"Authorization": f"Bearer {session.access_token}"}
            refused = await submissions.get(f"/entries/{stored['entry_id']}", headers=as_ganjur)
            assert refused.status_code == 403
            refused = await submissions.post(f"/entries/{stored['entry_id']}/withdrawal", headers=as_ganjur)
            assert refused.status_code == 403
            unchanged = await ok(await submissions.get(f"/entries/{stored['entry_id']}"))
            assert (unchanged["revision"], unchanged["status"]) == (2, "submitted")

            # Withdraw, after the confirmation page.
            confirm = await browser.get(f"/kim/lomba/{edition_id}/karya/tarik")
            assert "Tarik Topeng Malangan, Revisi?" in confirm.text
            out = await browser.post(
                f"/kim/lomba/{edition_id}/karya/tarik", data={"csrf_token": csrf_of(confirm)}
            )
            assert out.status_code == 303
            page = await browser.get(f"/kim/lomba/{edition_id}")
            assert "Karya ditarik" in page.text
            final = await ok(await submissions.get(f"/entries/{stored['entry_id']}"))
            assert final["status"] == "withdrawn"
            await browser.aclose()
            await other.aclose()
