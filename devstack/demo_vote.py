"""A small public vote ("Juara Favorit") for the 2024 edition, after the jury's
announcement: staff open the vote window, a handful of residents each ask for a
one-time code (solving the ALTCHA proof of work, as the page's widget does), read
it from the local WhatsApp gateway (or the local mail sink where WhatsApp is not
configured) and vote; one tries a second time and is refused by name; staff close
the window and freeze the tally, which the voting service publishes as
`votes.tallied`."""

from __future__ import annotations

import asyncio
import base64
import email
import email.policy
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from .demo import Api, DemoError, Say

#: Who votes, with their WhatsApp number (made up) and the film (by KIM) they choose.
RESIDENTS: tuple[tuple[str, str, str], ...] = (
    ("Bu Sulastri, Lowokwaru", "+6285700002401", "KIM Mojolangu"),
    ("Pak Hendra, Blimbing", "+6285700002402", "KIM Mojolangu"),
    ("Mbak Dewi, Klojen", "+6285700002403", "KIM Pasreh Jaya"),
    ("Mas Yoga, Sukun", "+6285700002404", "KIM Mojolangu"),
    ("Bu Ratna, Kedungkandang", "+6285700002405", "KIM Ganjur"),
    ("Pak Slamet, Bumiayu", "+6285700002406", "KIM Pasreh Jaya"),
    ("Dik Aulia, Tunjungsekar", "+6285700002407", "KIM Lestari Tunjungsekar"),
)
CODE = re.compile(r"\b([0-9]{6})\b")
#: How long a resident waits for their code to arrive before the demo gives up.
CODE_WAIT_SECONDS = 60.0
#: A throttle that asks to wait longer than this stops the demo (it says why) rather than hang.
LONGEST_WAIT_SECONDS = 30.0

#: Finds the newest code sent to an address (None until one has arrived).
CodeReader = Callable[[str], str | None]


@dataclass
class VoteOutcome:
    edition_title: str
    favourite: dict[str, Any]
    standings: list[dict[str, Any]]
    counted: int
    voided: int
    flagged: int
    version: int
    content_hash: str
    refusal: str = ""
    voters: list[str] = field(default_factory=list)


def codes_from_whatsapp(chatdir: Path) -> CodeReader:
    """The newest 6-digit template parameter the local gateway took for a number."""

    def read(address: str) -> str | None:
        found = None
        for path in sorted(chatdir.glob("*.json"), key=lambda p: int(p.stem)):
            try:
                message = json.loads(path.read_text())
            except ValueError:  # being written
                continue
            if message.get("to") == address:
                codes = [p for p in message.get("parameters", []) if CODE.fullmatch(str(p))]
                found = codes[0] if codes else found
        return found

    return read


def codes_from_mail(maildir: Path) -> CodeReader:
    """The newest 6-digit number in a message the local mail sink took for an address."""

    def read(address: str) -> str | None:
        found = None
        for path in sorted(maildir.glob("*.eml"), key=lambda p: int(p.stem)):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if address.lower() not in str(message["To"]).lower():
                continue
            body = message.get_body(preferencelist=("plain",))
            match = CODE.search(body.get_content() if body else "")
            found = match.group(1) if match else found
        return found

    return read


def solve_altcha(challenge: dict[str, Any]) -> str:
    """The ALTCHA payload the widget would send for a challenge as `GET /challenge` serves
    it: v2 (`parameters`, a key derivation) or v1 (`challenge`, `salt`, `maxnumber`)."""
    import altcha

    if "parameters" in challenge:
        parsed = altcha.Challenge.from_dict(challenge)
        found = altcha.solve_challenge(parsed)
        if found is None:
            raise RuntimeError("the ALTCHA challenge was not solved in time")
        return str(altcha.Payload(parsed, found).to_base64())
    solution = altcha.solve_challenge_v1(
        challenge["challenge"],
        challenge["salt"],
        challenge.get("algorithm") or "SHA-256",
        int(challenge.get("maxnumber") or challenge.get("maxNumber") or 1_000_000),
    )
    if solution is None:
        raise RuntimeError("the ALTCHA challenge has no solution under its maxnumber")
    payload = {
        "algorithm": challenge.get("algorithm") or "SHA-256",
        "challenge": challenge["challenge"],
        "number": solution.number,
        "salt": challenge["salt"],
        "signature": challenge["signature"],
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()


async def public_vote(
    urls: dict[str, str],
    edition_id: str,
    *,
    staff: dict[str, str],
    read_code: CodeReader,
    say: Say = print,
) -> VoteOutcome:
    """Open the window, let RESIDENTS vote, close it and freeze the tally."""
    async with httpx.AsyncClient(timeout=30, headers={"Accept-Language": "id"}) as http:
        voting = Api(http, urls["voting"])
        say("10. Staf membuka pemungutan suara Juara Favorit (penghitungan tampil untuk publik)")
        now = datetime.now(UTC)
        await voting.call(
            "PUT",
            f"/editions/{edition_id}/vote-window",
            json={
                "opens_at": (now - timedelta(minutes=1)).isoformat(),
                "closes_at": (now + timedelta(hours=2)).isoformat(),
                "public_counts": True,
            },
            headers=staff,
        )
        gallery = await voting.until(
            "GET",
            f"/editions/{edition_id}/gallery",
            lambda r: r.status_code == 200 and len(r.json()) >= len({kim for _, _, kim in RESIDENTS}),
        )
        films = {item["kim_name"]: item for item in gallery.json()}
        say(f"   galeri: {len(films)} film dalam lomba")

        say(f"11. {len(RESIDENTS)} warga meminta kode lewat WhatsApp, lalu memilih film favoritnya")
        voters = []
        ballots: dict[str, dict[str, Any]] = {}
        for name, number, kim in RESIDENTS:
            if kim not in films:
                raise DemoError(f"{kim} is not in the voting service's gallery")
            ballot = await _ballot(voting, http, urls["voting"], edition_id, number, read_code)
            ballot["entry_id"] = films[kim]["entry_id"]
            await voting.call("POST", f"/editions/{edition_id}/votes", 201, json=ballot)
            ballots[number] = ballot
            voters.append(name)
            say(f"   {name} ({number[:7]}…): kode diterima, memilih “{films[kim]['title']}” ({kim})")

        # The first resident asks for a second code and votes again, for another film.
        name, number, kim = RESIDENTS[0]
        other = next(film for film in films.values() if film["kim_name"] != kim)
        again = await _ballot(voting, http, urls["voting"], edition_id, number, read_code)
        refused = await http.post(
            f"{urls['voting']}/editions/{edition_id}/votes", json={**again, "entry_id": other["entry_id"]}
        )
        refusal = _refusal(refused)
        say(f"   {name} meminta kode baru dan memilih lagi: ditolak ({refusal})")

        say("12. Staf menutup pemungutan suara dan membekukan hasilnya")
        await voting.call("POST", f"/editions/{edition_id}/vote-window/closing", headers=staff)
        tally = await voting.call("GET", f"/editions/{edition_id}/tally", headers=staff)
        frozen = await voting.call("POST", f"/editions/{edition_id}/tally/freeze", headers=staff)
        standings = frozen.get("standings") or tally["standings"]
        return VoteOutcome(
            edition_title=str(frozen.get("edition_title") or gallery.json()[0]["edition_title"]),
            favourite=standings[0],
            standings=standings,
            counted=int(frozen.get("counted", tally["counted"])),
            voided=int(frozen.get("voided", tally["voided"])),
            flagged=int(frozen.get("flagged", tally["flagged"])),
            version=int(frozen["version"]),
            content_hash=str(frozen["content_hash"]),
            refusal=refusal,
            voters=voters,
        )


async def _ballot(
    voting: Api, http: httpx.AsyncClient, voting_url: str, edition_id: str, number: str, read_code: CodeReader
) -> dict[str, Any]:
    """A code asked for as the page does (proof of work solved), read where it was sent:
    the vote's request id and code."""
    challenge = await voting.call("GET", "/challenge")
    altcha = await asyncio.to_thread(solve_altcha, challenge)
    before = await asyncio.to_thread(read_code, number)
    request = await _code_request(http, voting_url, edition_id, number, altcha)
    code = await _code_for(read_code, number, before)
    return {"request_id": request["request_id"], "code": code}


async def _code_request(
    http: httpx.AsyncClient, voting_url: str, edition_id: str, number: str, altcha: str
) -> dict[str, Any]:
    """POST voter-codes; a throttle's short Retry-After is waited out, a long one stops the demo."""
    for _ in range(5):
        response = await http.post(
            f"{voting_url}/editions/{edition_id}/voter-codes",
            json={"address": number, "channel": "whatsapp", "altcha": altcha},
        )
        if response.status_code == 202:
            return response.json()
        wait = float(response.headers.get("Retry-After", "0") or 0)
        if response.status_code != 429 or wait > LONGEST_WAIT_SECONDS:
            raise DemoError(f"asking for a voter code for {number}: {response.status_code} {response.text}")
        await asyncio.sleep(wait)
    raise DemoError(f"asking for a voter code for {number}: still throttled")


async def _code_for(read_code: CodeReader, number: str, before: str | None) -> str:
    """The newest code sent to `number`, once it is not the one it had `before`."""
    deadline = time.monotonic() + CODE_WAIT_SECONDS
    while time.monotonic() < deadline:
        code = await asyncio.to_thread(read_code, number)
        if code and code != before:
            return code
        await asyncio.sleep(0.2)
    raise DemoError(f"no voter code reached {number} within {CODE_WAIT_SECONDS:.0f}s")


def _refusal(response: httpx.Response) -> str:
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code}"
    return f"{response.status_code} {error['code']}: {error.get('message', '')}"


def report(outcome: VoteOutcome) -> str:
    """The favourite and every film's count, as the frozen tally has them."""
    favourite = outcome.favourite
    lines = [
        f"\nJuara Favorit {outcome.edition_title}: {favourite['kim_name']} — "
        f"“{favourite.get('title') or favourite.get('entry_title')}” ({favourite['votes']} suara)",
        "",
        f"{'#':>3}  {'KIM':<26} {'Suara':>5}  Film",
    ]
    for number, line in enumerate(outcome.standings, start=1):
        if not line["votes"]:
            continue
        title = line.get("title") or line.get("entry_title")
        lines.append(f"{line.get('rank', number):>3}  {line['kim_name']:<26} {line['votes']:>5}  {title}")
    lines += [
        "",
        f"Dihitung {outcome.counted}, dibatalkan {outcome.voided}, ditandai {outcome.flagged}; "
        f"versi {outcome.version}, SHA-256 {outcome.content_hash}",
    ]
    if outcome.refusal:
        lines.append(f"Suara kedua dari nomor yang sama ditolak: {outcome.refusal}")
    return "\n".join(lines)
