"""Certificates in the console, with judging faked at the HTTP level: the layout's
text (place, prize as "Rp7.500.000", the date with Indonesian month names); a sample
PDF rendered to .run/samples/sertifikat-contoh.pdf, its text read back with pypdf and
its QR code decoded with zxing-cpp; the public check at /s/<code> (valid, superseded
with a link to the newer results, an unknown code refused by name, in Indonesian and
English); staff download one PDF or all as one ZIP; nothing before the announcement."""

from __future__ import annotations

import html
import io
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pypdf
import zxingcpp
from console.certificates import DEFAULT_OFFICE, layout, render_pdf

from .test_staff_judging import EDITION_ID, JUDGING_EDITION, KIM_ID, FakeServices, refusal, signed_in

ROOT = Path(__file__).resolve().parents[3]
#: Git-ignored (.run/); rewritten by every run, for the closing note to cite.
SAMPLE = ROOT / ".run" / "samples" / "sertifikat-contoh.pdf"
PUBLIC_URL = "https://kim.malangkota.example"
HASH = "3f" * 32


def certificate(**changed: Any) -> dict[str, Any]:
    return {
        "code": "K7QX2MZP4A",
        "edition_id": EDITION_ID,
        "edition_title": "Lomba Video Pendek KIM 2024",
        "category": None,
        "version": 1,
        "kim_id": KIM_ID,
        "kim_name": "KIM Pasreh Jaya",
        "entry_id": "1d6f1a9e-0000-4000-8000-000000000001",
        "entry_title": "Topeng Malangan Naik Kelas",
        "place": 1,
        "prize": {"rank": 1, "title": "Juara 1", "reward": None, "amount": 7_500_000, "non_cash": "Trofi"},
        "content_hash": HASH,
        "announced_at": "2024-08-21T03:00:00+00:00",  # 10.00 WIB, 21 Agustus
        "issued_at": "2024-08-21T03:00:00+00:00",
        "status": "valid",
        "superseded_by": None,
        "snapshot_intact": True,
        **changed,
    }


def test_the_layout_says_the_place_the_prize_and_the_date_in_indonesian() -> None:
    page = layout(certificate(), office=DEFAULT_OFFICE, public_url=PUBLIC_URL + "/")
    assert page.office == "Dinas Komunikasi dan Informatika Kota Malang"
    assert (page.heading, page.kim_name, page.standing) == ("Sertifikat", "KIM Pasreh Jaya", "Juara 1")
    assert page.prize == "Hadiah: Rp7.500.000 dan Trofi"
    assert page.date_line == "Diumumkan pada 21 Agustus 2024"
    assert page.url == "https://kim.malangkota.example/s/K7QX2MZP4A"
    assert page.category is None and page.edition == "Lomba Video Pendek KIM 2024"

    # A participant: no place, no prize; a category is named; late at night UTC is the next day in WIB.
    other = layout(
        certificate(
            place=None,
            prize=None,
            category={"code": "sinematografi", "title": "Sinematografi Terbaik", "kind": "ranked"},
            announced_at="2024-12-31T18:30:00+00:00",
        ),
        office="Diskominfo Kota Batu",
        public_url=PUBLIC_URL,
    )
    assert (other.standing, other.prize, other.office) == ("Peserta", None, "Diskominfo Kota Batu")
    assert other.category == "Kategori: Sinematografi Terbaik"
    assert other.date_line == "Diumumkan pada 1 Januari 2025"
    assert "Hadiah" not in " ".join(other.lines())

    # A prize with no cash, worded by the edition only.
    worded = layout(
        certificate(prize={"rank": 2, "title": "Juara 2", "reward": "Trofi dan uang pembinaan"}, place=2),
        office=DEFAULT_OFFICE,
        public_url=PUBLIC_URL,
    )
    assert (worded.standing, worded.prize) == ("Juara 2", "Hadiah: Trofi dan uang pembinaan")


def read_back(pdf: bytes) -> tuple[str, list[str], list[str]]:
    """The page's text, the URLs its QR codes decode to, and its link annotations."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    (page,) = reader.pages
    decoded = [code.text for image in page.images for code in zxingcpp.read_barcodes(image.image)]
    links = [annotation.get_object()["/A"]["/URI"] for annotation in page.get("/Annots", [])]
    return page.extract_text(), decoded, links


def test_a_sample_certificate_renders_to_a_pdf_whose_text_and_qr_code_read_back() -> None:
    pdf = render_pdf(layout(certificate(), office=DEFAULT_OFFICE, public_url=PUBLIC_URL))
    SAMPLE.parent.mkdir(parents=True, exist_ok=True)
    SAMPLE.write_bytes(pdf)

    reader = pypdf.PdfReader(SAMPLE)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape, in points
    text, decoded, links = read_back(pdf)
    for expected in (
        "Dinas Komunikasi dan Informatika Kota Malang",
        "SERTIFIKAT",
        "KIM Pasreh Jaya",
        "Juara 1",
        "Topeng Malangan Naik Kelas",
        "Lomba Video Pendek KIM 2024",
        "Hadiah: Rp7.500.000 dan Trofi",
        "Diumumkan pada 21 Agustus 2024",
        "https://kim.malangkota.example/s/K7QX2MZP4A",
    ):
        assert expected in text, expected
    assert decoded == ["https://kim.malangkota.example/s/K7QX2MZP4A"]
    assert links == ["https://kim.malangkota.example/s/K7QX2MZP4A"]


def test_names_outside_the_pdf_fonts_still_render() -> None:
    pdf = render_pdf(
        layout(
            certificate(kim_name="KIM Ngaglik \u2014 \u0160ari \U0001f3ac"),
            office=DEFAULT_OFFICE,
            public_url=PUBLIC_URL,
        )
    )
    text, decoded, _ = read_back(pdf)
    assert "KIM Ngaglik - Sari ?" in text and decoded


def checking(answer: httpx.Response) -> FakeServices:
    return FakeServices({("judging", "GET", "/certificates/K7QX2MZP4A"): answer})


async def test_the_public_check_shows_a_valid_certificate_with_its_hash() -> None:
    fake = checking(httpx.Response(200, json=certificate()))
    async with signed_in(fake) as (browser, _):
        page = await browser.get("/s/K7QX2MZP4A")
        browser.cookies.set("kim_lang", "en")
        english = await browser.get("/s/K7QX2MZP4A")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-cache"
    text = page.text
    assert "Sertifikat ini sah" in text and "KIM Pasreh Jaya" in text and "Juara 1" in text
    assert "Rp7.500.000 dan Trofi" in text and "21 Agustus 2024" in text and HASH in text
    assert f'href="/lomba/{EDITION_ID}/hasil/versi/1"' in text
    assert "This certificate is valid" in english.text and "Winner 1" in english.text


async def test_a_superseded_certificate_links_to_the_newer_results() -> None:
    fake = checking(httpx.Response(200, json=certificate(status="superseded", superseded_by=2)))
    async with signed_in(fake) as (browser, _):
        page = await browser.get("/s/K7QX2MZP4A")
    assert "Sertifikat ini sudah digantikan" in page.text
    assert f'href="/lomba/{EDITION_ID}/hasil/versi/2"' in page.text and "versi 2" in page.text


async def test_an_unknown_code_is_refused_by_name() -> None:
    message = "Sertifikat dengan kode 'NOPE' tidak ada."
    fake = FakeServices(
        {("judging", "GET", "/certificates/NOPE"): refusal(404, "certificate_not_found", message, "code")}
    )
    async with signed_in(fake) as (browser, _):
        page = await browser.get("/s/NOPE")
    assert page.status_code == 404
    assert "Sertifikat tidak ditemukan" in page.text and message in html.unescape(page.text)


def announced_fake(**extra: Any) -> FakeServices:
    runner_up = certificate(code="B2B2B2B2B2", kim_name="KIM Ganjur", place=2, prize=None)
    participant = certificate(code="C3C3C3C3C3", place=None, prize=None)
    old = certificate(code="D4D4D4D4D4", status="superseded", superseded_by=1)
    fake = FakeServices(
        {
            ("judging", "GET", f"/editions/{EDITION_ID}/certificates"): httpx.Response(
                200, json=[certificate(), runner_up, participant, old]
            ),
            ("judging", "GET", "/certificates/K7QX2MZP4A"): httpx.Response(200, json=certificate()),
            ("judging", "GET", f"/editions/{EDITION_ID}/ties"): httpx.Response(200, json=[]),
            ("judging", "GET", f"/editions/{EDITION_ID}/entries"): httpx.Response(200, json=[]),
            ("judging", "GET", f"/editions/{EDITION_ID}/snapshots"): httpx.Response(200, json=[]),
            **extra,
        }
    )
    fake.answers[("judging", "GET", f"/editions/{EDITION_ID}")] = httpx.Response(
        200, json={**JUDGING_EDITION, "status": "announced", "announced_version": 1}
    )
    return fake


async def test_staff_download_one_certificate_or_all_of_the_announced_version_as_a_zip() -> None:
    fake = announced_fake()
    async with signed_in(fake) as (browser, _):
        page = await browser.get(f"/staf/lomba/{EDITION_ID}/hasil")
        one = await browser.get(f"/staf/lomba/{EDITION_ID}/sertifikat/K7QX2MZP4A.pdf")
        every = await browser.get(f"/staf/lomba/{EDITION_ID}/sertifikat.zip")
        elsewhere = await browser.get(f"/staf/lomba/{uuid_other()}/sertifikat/K7QX2MZP4A.pdf")
    assert page.status_code == 200
    assert f'href="/staf/lomba/{EDITION_ID}/sertifikat.zip"' in page.text
    assert f'href="/staf/lomba/{EDITION_ID}/sertifikat/B2B2B2B2B2.pdf"' in page.text
    assert "D4D4D4D4D4" not in page.text  # superseded ones are not offered

    assert one.headers["content-type"] == "application/pdf"
    assert 'filename="juara-1-kim-pasreh-jaya-K7QX2MZP4A.pdf"' in one.headers["content-disposition"]
    text, decoded, _ = read_back(one.content)
    assert "Juara 1" in text and decoded == ["http://127.0.0.1:8000/s/K7QX2MZP4A"]  # CONSOLE_PUBLIC_URL

    with zipfile.ZipFile(io.BytesIO(every.content)) as archive:
        names = sorted(archive.namelist())
        participant_text, _, _ = read_back(archive.read("peserta-kim-pasreh-jaya-C3C3C3C3C3.pdf"))
    assert names == [
        "juara-1-kim-pasreh-jaya-K7QX2MZP4A.pdf",
        "juara-2-kim-ganjur-B2B2B2B2B2.pdf",
        "peserta-kim-pasreh-jaya-C3C3C3C3C3.pdf",
    ]
    assert "Peserta" in participant_text and "Hadiah" not in participant_text
    assert elsewhere.status_code == 404


def uuid_other() -> str:
    return "99999999-9999-4999-8999-999999999999"


async def test_no_certificates_before_the_announcement_refused_by_name() -> None:
    message = "Hasil 'Lomba Video Pendek KIM 2024' belum diumumkan."
    fake = FakeServices(
        {
            ("judging", "GET", f"/editions/{EDITION_ID}/certificates"): refusal(
                404, "results_not_announced", message
            )
        }
    )
    async with signed_in(fake) as (browser, _):
        every = await browser.get(f"/staf/lomba/{EDITION_ID}/sertifikat.zip")
        anonymous = await browser.get("/s/K7QX2MZP4A")  # no such certificate either
    assert every.status_code == 404 and message in html.unescape(every.text)
    assert anonymous.status_code == 404
