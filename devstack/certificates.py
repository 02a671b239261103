"""The demo's certificates: once the results are announced, every certificate judging
issued for them (the winners' and each participating KIM's) rendered as the console
renders it, written under `.run/certificates/<year>/<code>.pdf`."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from console.certificates import DEFAULT_OFFICE, layout, render_pdf

#: Where the console is reached when the stack does not say (its own default).
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


async def write_certificates(
    http: httpx.AsyncClient,
    judging_url: str,
    edition_id: str,
    *,
    directory: Path,
    public_url: str | None = None,
    office: str = DEFAULT_OFFICE,
) -> list[tuple[dict[str, Any], Path]]:
    """Fetch the edition's valid certificates (staff's token is on `http`) and write each as
    `<directory>/<code>.pdf`, winners first; older PDFs there are removed first."""
    response = await http.get(f"{judging_url}/editions/{edition_id}/certificates")
    response.raise_for_status()
    issued: list[dict[str, Any]] = [c for c in response.json() if c["status"] == "valid"]
    return await asyncio.to_thread(write, issued, directory, public_url or DEFAULT_PUBLIC_URL, office)


def write(
    issued: list[dict[str, Any]], directory: Path, public_url: str, office: str
) -> list[tuple[dict[str, Any], Path]]:
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.pdf"):
        old.unlink()
    written = []
    for certificate in issued:
        path = directory / f"{certificate['code']}.pdf"
        path.write_bytes(render_pdf(layout(certificate, office=office, public_url=public_url)))
        written.append((certificate, path))
    return written


def summary(written: list[tuple[dict[str, Any], Path]], directory: Path) -> str:
    """ "   sertifikat: 3 juara, 19 peserta, di .run/certificates/2024/" """
    winners = sum(1 for certificate, _ in written if certificate["place"])
    return f"   sertifikat: {winners} juara, {len(written) - winners} peserta, di {directory}/"


async def after_the_vote(
    judging_url: str,
    edition_id: str,
    *,
    staff: dict[str, str],
    directory: Path,
    public_url: str | None = None,
    timeout: float = 30.0,
) -> list[tuple[dict[str, Any], Path]]:
    """Once judging has announced the favourite from the frozen tally (`votes.tallied`),
    the certificates again, the Juara Favorit's among them. Waits at most `timeout`."""
    async with httpx.AsyncClient(headers=staff, timeout=10) as http:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            response = await http.get(f"{judging_url}/editions/{edition_id}/categories")
            response.raise_for_status()
            favourite = [c for c in response.json() if c["kind"] == "favourite"]
            if not favourite or favourite[0]["announced_version"] is not None:
                break
            await asyncio.sleep(0.2)
        return await write_certificates(
            http, judging_url, edition_id, directory=directory, public_url=public_url
        )
