"""Certificates against the real broker and MongoDB, through the console: an edition
scored and announced issues one certificate per awarded place and one per
participating KIM; staff download one as a PDF from the console; its QR code,
decoded, leads through the console to the public check of the right result; after
a correction that check says superseded and links to the newer results."""

from __future__ import annotations

import io
import re
from typing import Any

import httpx
import pypdf
import zxingcpp
from console.config import Settings as ConsoleSettings
from console.main import create_app as create_console
from judging.main import create_app as create_judging
from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions

from ..support import EventTap, eventually, serving
from .flows import enrolled_kim, entry_body, ok, published_edition

ADMIN = {"email": "admin@malangkota.go.id", "password": "admin-pertama-2024"}
CONSOLE = "http://kim.malangkota.example"


class ByHost(httpx.AsyncBaseTransport):
    """The console's calls to each service, to that service's app in this process;
    notifications is not running (the staff inbox's badge does without it)."""

    def __init__(self, apps: dict[str, Any]) -> None:
        self.transports = {host: httpx.ASGITransport(app=app) for host, app in apps.items()}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = self.transports.get(request.url.host)
        if transport is None:
            error = {"code": "unavailable", "message": "-", "field": None}
            return httpx.Response(503, json={"error": error}, request=request)
        return await transport.handle_async_request(request)


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def read_back(pdf: bytes) -> tuple[str, list[str]]:
    (page,) = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return page.extract_text(), [c.text for i in page.images for c in zxingcpp.read_barcodes(i.image)]


async def test_a_certificate_s_qr_code_leads_to_its_result_and_a_correction_supersedes_it(
    settings_for: Any, tap: EventTap
) -> None:
    registry_app = create_registry(
        settings_for("registry", first_admin_email=ADMIN["email"], first_admin_password=ADMIN["password"])
    )
    judging_app = create_judging(settings_for("judging"))
    submissions_app = create_submissions(settings_for("submissions"))
    async with (
        serving(registry_app, "registry") as registry,
        serving(submissions_app, "submissions") as submissions,
        serving(judging_app, "judging") as judging,
    ):
        edition = await published_edition(registry, awarded_ranks=2)
        edition_id = edition["edition_id"]
        kims = [
            await enrolled_kim(registry, edition_id, "KIM Pasreh Jaya", "bumiayu", 1),
            await enrolled_kim(registry, edition_id, "KIM Ganjur", "polowijen", 2),
            await enrolled_kim(registry, edition_id, "KIM Mojolangu", "mojolangu", 3),
        ]
        await tap.wait_for("enrolment.approved", count=3)
        entries = []
        for kim, title in zip(kims, ("Topeng Malangan", "Keripik Tempe", "Kopi Mojolangu"), strict=True):

            async def attempt(kim: dict[str, Any] = kim, title: str = title) -> Any:
                response = await submissions.post(
                    f"/editions/{edition_id}/entries", json=entry_body(kim["kim_id"], title=title)
                )
                return response.json() if response.status_code == 201 else None

            entries.append(await eventually(attempt))
        await eventually(lambda: _entries_known(judging, edition_id, 3))
        rina = await ok(await judging.post(f"/editions/{edition_id}/judges", json={"name": "Rina"}), 201)
        await ok(await registry.post(f"/editions/{edition_id}/submissions-closure"))
        await eventually(lambda: _status(judging, edition_id, "scoring"))
        for entry, score in zip(entries, (90, 85, 80), strict=True):
            await ok(
                await judging.put(
                    f"/editions/{edition_id}/entries/{entry['entry_id']}/sheets/{rina['judge_id']}",
                    json={"scores": dict.fromkeys(("tema", "kreativitas", "teknis", "promosi_umkm"), score)},
                )
            )
        await eventually(lambda: _status(judging, edition_id, "completed"))
        # Not announced yet: no certificate, refused by name.
        error = (await judging.get(f"/editions/{edition_id}/certificates")).json()["error"]
        assert error["code"] == "results_not_announced"

        await _announce(judging, edition_id, 1)
        issued = await ok(await judging.get(f"/editions/{edition_id}/certificates"))
        assert [(c["kim_name"], c["place"]) for c in issued] == [
            ("KIM Pasreh Jaya", 1),
            ("KIM Ganjur", 2),
            ("KIM Ganjur", None),
            ("KIM Mojolangu", None),
            ("KIM Pasreh Jaya", None),
        ]
        first = issued[0]
        assert first["prize"]["reward"] == "Rp 5.000.000" and first["status"] == "valid"
        results = await ok(await judging.get(f"/editions/{edition_id}/results"))
        assert {c["content_hash"] for c in issued} == {results["content_hash"]}

        console_app = create_console(
            ConsoleSettings(
                registry_url="http://registry",
                submissions_url="http://submissions",
                judging_url="http://judging",
                notifications_url="http://notifications",
                public_url=CONSOLE,
                live_updates=False,
            ),
            http=httpx.AsyncClient(
                transport=ByHost(
                    {"registry": registry_app, "submissions": submissions_app, "judging": judging_app}
                )
            ),
        )
        async with (
            console_app.router.lifespan_context(console_app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=console_app), base_url=CONSOLE) as browser,
        ):
            form = await browser.get("/masuk")
            assert (
                await browser.post("/masuk", data={**ADMIN, "csrf_token": csrf_of(form)})
            ).status_code == 303
            listed = await browser.get(f"/staf/lomba/{edition_id}/hasil")
            assert f"/staf/lomba/{edition_id}/sertifikat/{first['code']}.pdf" in listed.text
            pdf = await browser.get(f"/staf/lomba/{edition_id}/sertifikat/{first['code']}.pdf")
            assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
            text, (link,) = read_back(pdf.content)
            assert "KIM Pasreh Jaya" in text and "Juara 1" in text and "Topeng Malangan" in text
            assert link == f"{CONSOLE}/s/{first['code']}"

            # The QR code's link, opened by anyone (signed out), is the check of that result.
            anyone = httpx.AsyncClient(transport=httpx.ASGITransport(app=console_app), base_url=CONSOLE)
            async with anyone:
                valid = await anyone.get(link)
                assert valid.status_code == 200
                assert "Sertifikat ini sah" in valid.text and "KIM Pasreh Jaya" in valid.text
                assert "Juara 1" in valid.text and results["content_hash"] in valid.text

                # The winner is disqualified; the correction is frozen, verified and announced.
                await ok(
                    await submissions.post(
                        f"/entries/{entries[0]['entry_id']}/disqualification",
                        json={"reason": "Musik latar tanpa izin."},
                    )
                )
                await eventually(lambda: _entries_in_competition(judging, edition_id, 2))
                await _announce(judging, edition_id, 2, reason="KIM Pasreh Jaya didiskualifikasi.")

                superseded = await anyone.get(link)
                assert "Sertifikat ini sudah digantikan" in superseded.text
                assert f'href="/lomba/{edition_id}/hasil/versi/2"' in superseded.text
                unknown = await anyone.get("/s/TIDAKADA22")
                assert unknown.status_code == 404 and "Sertifikat tidak ditemukan" in unknown.text

        now_issued = await ok(await judging.get(f"/editions/{edition_id}/certificates"))
        current = [(c["kim_name"], c["place"]) for c in now_issued if c["status"] == "valid"]
        assert current[:2] == [("KIM Ganjur", 1), ("KIM Mojolangu", 2)]
        assert sum(1 for c in now_issued if c["status"] == "superseded") == 5


async def _announce(
    judging: httpx.AsyncClient, edition_id: str, version: int, reason: str | None = None
) -> None:
    await ok(
        await judging.post(f"/editions/{edition_id}/snapshots", json={"reason": reason} if reason else None),
        201,
    )
    await ok(await judging.post(f"/editions/{edition_id}/snapshots/{version}/verification"))
    await ok(await judging.post(f"/editions/{edition_id}/announcement"))


async def _entries_known(judging: httpx.AsyncClient, edition_id: str, count: int) -> bool:
    return len((await judging.get(f"/editions/{edition_id}/entries")).json()) == count


async def _entries_in_competition(judging: httpx.AsyncClient, edition_id: str, count: int) -> bool:
    found = (await judging.get(f"/editions/{edition_id}/entries")).json()
    return sum(1 for e in found if e["status"] == "submitted") == count


async def _status(judging: httpx.AsyncClient, edition_id: str, status: str) -> bool:
    return (await judging.get(f"/editions/{edition_id}")).json()["status"] == status
