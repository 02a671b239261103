"""Staff downloads against the real registry, submissions, judging and notifications (in
process, the real broker and database): a judged edition's results (frozen), entries,
enrolments and the delivery log, each as CSV and XLSX through the console, read back and
compared with what the services' JSON says."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import httpx
from console.config import Settings as ConsoleSettings
from console.main import create_app as create_console
from judging.main import create_app as create_judging
from notifications.main import create_app as create_notifications
from openpyxl import load_workbook
from registry.main import create_app as create_registry
from submissions.main import create_app as create_submissions

from ..support import eventually, serving
from .flows import enrolled_kim, entry_body, ok, published_edition

ADMIN = {"email": "admin@malangkota.go.id", "password": "admin-pertama-2024"}
#: Commas, quotes and Indonesian text in what KIMs type: they must survive both files.
TITLES = ['Keripik Tempe "Sanan", Kota Malang', "Topeng Malangan — Tangan Istimewa", "Kopi Mojolangu"]
SCORES = {
    # (entry, judge): tema, kreativitas, teknis, promosi_umkm (weights 30, 25, 20, 25)
    (0, 0): (90, 85, 90, 88),
    (0, 1): (92, 90, 80, 90),
    (1, 0): (80, 80, 80, 80),
    (1, 1): (85, 75, 90, 80),
    (2, 0): (80, 85, 70, 90),
    (2, 1): (70, 70, 70, 70),
}
CRITERIA = ("tema", "kreativitas", "teknis", "promosi_umkm")


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def read_csv(answer: httpx.Response) -> list[list[str]]:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for Excel"
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"), newline="")))


def read_xlsx(answer: httpx.Response) -> dict[str, list[list[Any]]]:
    assert answer.status_code == 200, answer.text
    book = load_workbook(io.BytesIO(answer.content))
    return {name: [list(row) for row in book[name].iter_rows(values_only=True)] for name in book.sheetnames}


def as_csv(value: Any) -> str:
    return "" if value is None else str(value)


async def test_staff_download_a_judged_editions_results_entries_enrolments_and_delivery_log(
    settings_for: Any,
) -> None:
    registry_app = create_registry(
        settings_for("registry", first_admin_email=ADMIN["email"], first_admin_password=ADMIN["password"])
    )
    submissions_app = create_submissions(settings_for("submissions"))
    judging_app = create_judging(settings_for("judging"))
    notifications_app = create_notifications(settings_for("notifications"))
    async with (
        serving(registry_app, "registry") as registry,
        serving(submissions_app, "submissions") as submissions,
        serving(judging_app, "judging") as judging,
        serving(notifications_app, "notifications") as notifications,
    ):
        # Someone hears of every entry in their inbox: the delivery log has lines.
        await ok(
            await notifications.post(
                "/recipients", json={"name": "Sekretariat, Diskominfo", "subscriptions": ["entry.submitted"]}
            ),
            201,
        )
        edition = await published_edition(registry, awarded_ranks=2)
        e = edition["edition_id"]
        kims = [
            await enrolled_kim(registry, e, "KIM Pasreh Jaya", "bumiayu", 1),
            await enrolled_kim(registry, e, "KIM Ganjur", "polowijen", 2),
            await enrolled_kim(registry, e, "KIM Mojolangu", "mojolangu", 3),
        ]
        late = await enrolled_kim(registry, e, "KIM Tunjungsekar", "tunjungsekar", 4, approve=False)
        await ok(
            await registry.post(
                f"/enrolments/{late['enrolment_id']}/rejection",
                json={"reason": "Pendaftaran terlambat, setelah rapat panitia; mohon ikut tahun depan."},
            )
        )

        entries = []
        for number, (kim, title) in enumerate(zip(kims, TITLES, strict=True)):

            async def submitted(kim: dict[str, Any] = kim, title: str = title, n: int = number) -> Any:
                body = entry_body(kim["kim_id"], title=title, video_url=f"https://youtu.be/film{n}2024")
                response = await submissions.post(f"/editions/{e}/entries", json=body)
                return response.json() if response.status_code == 201 else None

            entries.append(await eventually(submitted, timeout=20))

        async def judging_knows_entries() -> bool:
            answer = await judging.get(f"/editions/{e}/entries")
            return answer.status_code == 200 and len(answer.json()) == 3

        await eventually(judging_knows_entries, timeout=20)
        judges = [
            await ok(await judging.post(f"/editions/{e}/judges", json={"name": name}), 201)
            for name in ("Rina Wulandari", "Dimas, S.Sn.")
        ]
        await ok(await registry.post(f"/editions/{e}/submissions-closure"))

        async def status_is(status: str) -> bool:
            return (await ok(await judging.get(f"/editions/{e}")))["status"] == status

        await eventually(lambda: status_is("scoring"), timeout=20)
        for (entry_index, judge_index), scores in SCORES.items():
            path = (
                f"/editions/{e}/entries/{entries[entry_index]['entry_id']}"
                f"/sheets/{judges[judge_index]['judge_id']}"
            )
            await ok(await judging.put(path, json={"scores": dict(zip(CRITERIA, scores, strict=True))}))
        await eventually(lambda: status_is("completed"), timeout=20)
        await ok(await judging.post(f"/editions/{e}/snapshots"), 201)

        async def delivered() -> Any:
            found = await ok(await notifications.get("/deliveries", params={"limit": 200}))
            return found if len(found) >= 3 else None

        await eventually(delivered, timeout=20)

        # The APIs' own answers, to compare the files with.
        snapshot = await ok(await judging.get(f"/editions/{e}/snapshots/1"))
        panel = (await ok(await judging.get(f"/editions/{e}")))["panel"]
        listed_entries = await ok(await submissions.get(f"/editions/{e}/entries"))
        enrolments = await ok(await registry.get(f"/editions/{e}/enrolments"))

        to_services = httpx.AsyncClient(
            mounts={
                "http://registry": httpx.ASGITransport(app=registry_app),
                "http://submissions": httpx.ASGITransport(app=submissions_app),
                "http://judging": httpx.ASGITransport(app=judging_app),
                "http://notifications": httpx.ASGITransport(app=notifications_app),
            }
        )
        console = create_console(
            ConsoleSettings(
                registry_url="http://registry",
                submissions_url="http://submissions",
                judging_url="http://judging",
                notifications_url="http://notifications",
                live_updates=False,
            ),
            http=to_services,
        )
        async with (
            console.router.lifespan_context(console),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=console), base_url="http://console"
            ) as browser,
        ):
            # Not signed in: sent to sign in first, nothing downloaded.
            anonymous = await browser.get(f"/staf/lomba/{e}/ekspor/hasil.csv")
            assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/masuk")

            form = await browser.get("/masuk")
            signed_in = await browser.post("/masuk", data={**ADMIN, "csrf_token": csrf_of(form)})
            assert signed_in.status_code == 303 and signed_in.headers["location"] == "/staf"

            page = await browser.get(f"/staf/lomba/{e}/ekspor")
            assert page.status_code == 200 and "Unduh hasil versi 1 sebagai Excel (XLSX)" in page.text
            dashboard = await browser.get(f"/staf/lomba/{e}")
            assert f'href="/staf/lomba/{e}/ekspor"' in dashboard.text

            # --- results: the CSV and the workbook's first sheet against the snapshot.
            judge_names = [j["name"] for j in panel]
            assert judge_names == ["Rina Wulandari", "Dimas, S.Sn."]
            prizes = {p["rank"]: f"{p['title']} — {p['reward']}" for p in edition["prizes"]}
            expected = [
                [
                    p["rank"],
                    p["entry_title"],
                    p["kim_name"],
                    p["kelurahan"]["name"],
                    p["score"],
                    p["raw_score"],
                    p["normalised_score"],
                    prizes.get(p["rank"]),
                    None,
                    *({s["judge_id"]: s["total"] for s in p["sheets"]}.get(j["judge_id"]) for j in panel),
                ]
                for p in snapshot["ranking"]
            ]
            # By hand: 88.25 and 88.6 -> 88.43; 80 and 82.25 -> 81.13; 81.75 and 70 -> 75.88.
            assert [(row[0], row[1], row[4]) for row in expected] == [
                (1, TITLES[0], 88.43),
                (2, TITLES[1], 81.13),
                (3, TITLES[2], 75.88),
            ]
            assert [row[7] for row in expected] == ["Juara 1 — Rp 5.000.000", "Juara 2 — Rp 3.000.000", None]

            results_csv = await browser.get(f"/staf/lomba/{e}/ekspor/hasil.csv")
            assert results_csv.headers["content-disposition"] == (
                'attachment; filename="hasil-lomba-video-pendek-kim-2024-v1.csv"'
            )
            rows = read_csv(results_csv)
            assert rows[0] == [
                "Peringkat",
                "Karya",
                "KIM",
                "Kelurahan",
                "Nilai",
                "Nilai mentah",
                "Nilai ternormalisasi",
                "Hadiah",
                "Nilai hadiah (Rp)",
                "Juri: Rina Wulandari",
                "Juri: Dimas, S.Sn.",
            ]
            assert rows[1:] == [[as_csv(value) for value in row] for row in expected]

            workbook = read_xlsx(await browser.get(f"/staf/lomba/{e}/ekspor/hasil.xlsx"))
            assert list(workbook) == ["Hasil", "Lembar nilai"]
            assert workbook["Hasil"][0] == rows[0]
            assert workbook["Hasil"][1:] == expected, "numbers typed as numbers, text as typed"

            expected_sheets = [
                [
                    p["rank"],
                    p["entry_title"],
                    p["kim_name"],
                    dict(zip([j["judge_id"] for j in panel], judge_names, strict=True))[s["judge_id"]],
                    *(s["scores"][c] for c in CRITERIA),
                    s["total"],
                    s["normalised"],
                ]
                for p in snapshot["ranking"]
                for s in p["sheets"]
            ]
            assert len(expected_sheets) == 6
            assert workbook["Lembar nilai"][1:] == expected_sheets
            assert workbook["Lembar nilai"][0][4:] == [
                f"{c['name_id']} ({c['weight']}%)" for c in snapshot["rubric"]
            ] + ["Total tertimbang", "Total ternormalisasi"]
            sheets_csv = read_csv(await browser.get(f"/staf/lomba/{e}/ekspor/nilai.csv"))
            assert sheets_csv[1:] == [[as_csv(value) for value in row] for row in expected_sheets]

            # The main ranking asked for with a category parameter: passed on to judging, which
            # answers the main ranking until it knows categories (judging-categories).
            english = await browser.get("/bahasa/en?kembali=/staf")
            assert english.status_code == 303
            in_english = read_xlsx(await browser.get(f"/staf/lomba/{e}/ekspor/hasil.xlsx"))
            assert list(in_english) == ["Results", "Score sheets"]
            assert in_english["Results"][0][:2] == ["Rank", "Entry"]
            assert in_english["Results"][0][9:] == ["Judge: Rina Wulandari", "Judge: Dimas, S.Sn."]
            assert in_english["Results"][1:] == expected
            await browser.get("/bahasa/id?kembali=/staf")

            # --- entries
            by_id = {entry["entry_id"]: entry for entry in listed_entries}
            entries_csv = read_csv(await browser.get(f"/staf/lomba/{e}/ekspor/karya.csv"))
            entries_xlsx = read_xlsx(await browser.get(f"/staf/lomba/{e}/ekspor/karya.xlsx"))["Karya"]
            assert [row[-1] for row in entries_csv[1:]] == [entry["entry_id"] for entry in listed_entries]
            for row, typed in zip(entries_csv[1:], entries_xlsx[1:], strict=True):
                entry = by_id[row[-1]]
                assert row[:5] == [
                    entry["title"],
                    entry["kim_name"],
                    entry["kelurahan"]["name"],
                    "Diterima",
                    "1",
                ]
                assert row[7:10] == [
                    entry["video_url"],
                    str(entry["duration_seconds"]),
                    "; ".join(entry["umkm_featured"]),
                ]
                assert typed[0] == entry["title"] and typed[4] == entry["revision"] == 1
                assert typed[8] == entry["duration_seconds"] and isinstance(typed[8], int)

            # --- enrolments
            enrolments_csv = read_csv(await browser.get(f"/staf/lomba/{e}/ekspor/pendaftaran.csv"))
            enrolments_xlsx = read_xlsx(await browser.get(f"/staf/lomba/{e}/ekspor/pendaftaran.xlsx"))
            for row, typed in zip(enrolments_csv[1:], enrolments_xlsx["Pendaftaran"][1:], strict=True):
                assert [as_csv(value) for value in typed[:4]] == row[:4] and typed[-1] == row[-1]
                assert typed[4].strftime("%Y-%m-%d %H:%M:%S") == row[4], "a date, in WIB as in the CSV"
            statuses = {"approved": "Disetujui", "rejected": "Ditolak", "requested": "Menunggu"}
            assert [row[:4] for row in enrolments_csv[1:]] == [
                [x["kim_name"], x["kelurahan"]["name"], statuses[x["status"]], as_csv(x["reason"])]
                for x in enrolments
            ]
            assert [row[-1] for row in enrolments_csv[1:]] == [x["enrolment_id"] for x in enrolments]
            assert "Pendaftaran terlambat, setelah rapat panitia; mohon ikut tahun depan." in [
                row[3] for row in enrolments_xlsx["Pendaftaran"][1:]
            ]

            # --- the delivery log (read after the downloads: deliveries may still be made)
            log_csv = read_csv(await browser.get("/staf/ekspor/log-pengiriman.csv"))
            log_xlsx = read_xlsx(await browser.get("/staf/ekspor/log-pengiriman.xlsx"))["Log pengiriman"]
            deliveries = await ok(await notifications.get("/deliveries", params={"limit": 200}))
            ids = {d["delivery_id"]: d for d in deliveries}
            assert {row[-1] for row in log_csv[1:]} <= set(ids) and len(log_csv) >= 4
            for row in log_csv[1:]:
                d = ids[row[-1]]
                assert row[1] == d["event_type"] and row[4] == d["subject"] and row[7] == str(d["attempts"])
            assert any(row[1] == "entry.submitted" and row[2] == "Kotak masuk" for row in log_xlsx[1:])
            assert all(isinstance(row[7], int) for row in log_xlsx[1:])
