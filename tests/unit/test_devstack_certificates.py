"""The demo's certificates: every valid certificate judging lists is written as
`<code>.pdf` (older PDFs there removed, superseded ones left out), and the line the
demo prints counts winners and participants and names the directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pypdf

from devstack.certificates import summary, write_certificates

EDITION_ID = "0b6c9f0e-3f55-4a8e-9a55-0d8f5c2b1a11"


def issued(code: str, place: int | None, status: str = "valid") -> dict[str, Any]:
    return {
        "code": code,
        "edition_id": EDITION_ID,
        "edition_title": "Lomba Video Pendek KIM 2024",
        "category": None,
        "version": 1,
        "kim_name": "KIM Pasreh Jaya",
        "entry_title": "Topeng Malangan",
        "place": place,
        "prize": {"rank": 1, "title": "Juara 1", "reward": "Trofi dan uang pembinaan"} if place else None,
        "content_hash": "ab" * 32,
        "announced_at": "2024-11-14T03:00:00+00:00",
        "status": status,
    }


async def test_the_valid_certificates_are_written_and_counted(tmp_path: Path) -> None:
    listed = [issued("AAAAAAAAAA", 1), issued("BBBBBBBBBB", None), issued("CCCCCCCCCC", 1, "superseded")]

    def judging(request: httpx.Request) -> httpx.Response:
        assert request.url.path == f"/editions/{EDITION_ID}/certificates"
        return httpx.Response(200, content=json.dumps(listed))

    directory = tmp_path / "certificates" / "2024"
    directory.mkdir(parents=True)
    (directory / "OLDOLDOLD2.pdf").write_bytes(b"%PDF-old")
    async with httpx.AsyncClient(transport=httpx.MockTransport(judging)) as http:
        written = await write_certificates(
            http, "http://judging", EDITION_ID, directory=directory, public_url="http://127.0.0.1:9000"
        )
    assert sorted(p.name for p in directory.iterdir()) == ["AAAAAAAAAA.pdf", "BBBBBBBBBB.pdf"]
    text = pypdf.PdfReader(directory / "AAAAAAAAAA.pdf").pages[0].extract_text()
    assert "Juara 1" in text and "http://127.0.0.1:9000/s/AAAAAAAAAA" in text
    assert summary(written, directory) == f"   sertifikat: 1 juara, 1 peserta, di {directory}/"
