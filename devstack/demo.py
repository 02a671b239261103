"""Replays the 2024 Malang edition through the services' HTTP APIs, as
staff, KIM representatives and judges would, and reports what came out."""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from .certificates import summary, write_certificates
from .demo_categories import (
    CATEGORY_WEIGHTS,
    announce_categories,
    category_lines,
    prize_text,
    weigh_categories,
)
from .malang_2024 import CATEGORIES, JUDGE_COMMENTS, JUDGES, KIMS, PRIZES, PROFILES, score_sheet
from .stack import Credentials

Say = Callable[[str], None]
#: The announced edition's certificates, as PDFs (git-ignored).
CERTIFICATES = Path(".run/certificates/2024")

#: What Diskominfo staff follow in the demo.
STAFF_SUBSCRIPTIONS = [
    "enrolment.requested",
    "entry.submitted",
    "edition.submissions_closed",
    "judging.completed",
    "winner.announced",
]


class DemoError(RuntimeError):
    pass


@dataclass
class Api:
    http: httpx.AsyncClient
    base: str

    async def call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        response = await self.http.request(method, self.base + path, **kwargs)
        if response.status_code != expect:
            raise DemoError(f"{method} {self.base}{path} → {response.status_code}: {response.text}")
        return response.json()

    async def until(
        self,
        method: str,
        path: str,
        accept: Callable[[httpx.Response], bool],
        timeout: float = 60,
        **kwargs: Any,
    ) -> httpx.Response:
        """Repeat a request until its answer is accepted: the services agree eventually, through events."""
        deadline = time.monotonic() + timeout
        while True:
            response = await self.http.request(method, self.base + path, **kwargs)
            if accept(response):
                return response
            if time.monotonic() > deadline:
                raise DemoError(f"{method} {self.base}{path} never succeeded; last answer: {response.text}")
            await asyncio.sleep(0.1)


@dataclass
class DemoOutcome:
    edition_id: str
    recipient_id: str
    results: dict[str, Any]
    inbox: dict[str, Any]
    kims: dict[str, str] = field(default_factory=dict)
    #: Per person (staff, judges, KIM representatives): how many messages each channel carried.
    received: dict[str, dict[str, int]] = field(default_factory=dict)
    #: The staff member's address, to tell their mail from the KIMs' and judges'.
    staff_email: str = ""
    #: Who is told on WhatsApp in the demo: number → name.
    whatsapp: dict[str, str] = field(default_factory=dict)
    #: The KIMs' WhatsApp numbers (E.164) → the KIM's name, to label what each received.
    kim_numbers: dict[str, str] = field(default_factory=dict)
    #: Per KIM (by name): the subject of every message its representative received, any channel.
    kim_messages: dict[str, list[str]] = field(default_factory=dict)
    #: Each announced category's public results, in the edition's order.
    categories: list[dict[str, Any]] = field(default_factory=list)


#: Until recipients follow accounts, the staff member who reads WhatsApp in the demo.
WHATSAPP_STAFF = ("Kepala Seksi IKP (WhatsApp)", "+6281130002024")


def demo_password(who: str) -> str:
    """The demo's passwords: one per account, made up from its email (never do this for real),
    without holding the email's name, which the password policy refuses."""
    return "demo-2024:" + hashlib.sha256(who.encode()).hexdigest()[:12]


def judge_login(number: int) -> Credentials:
    """The demo's judge number `number` (from 1, in the order of JUDGES)."""
    return Credentials(f"juri{number}@kim-malang.example", demo_password(f"juri{number}"))


def kim_login(number: int) -> Credentials:
    """The representative of the demo's KIM number `number` (from 1, in the order of KIMS)."""
    email = kim_address(number)
    return Credentials(email, demo_password(email))


def kim_address(number: int) -> str:
    return f"kim{number:02d}@kim-malang.example"


async def log_in(registry: Api, who: Credentials) -> dict[str, str]:
    session = await registry.call("POST", "/auth/login", json={"email": who.email, "password": who.password})
    return {"Authorization": f"Bearer {session['access_token']}"}


async def replay_2024(
    urls: dict[str, str],
    *,
    admin: Credentials,
    staff_email: str,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    whatsapp: bool = False,
    console_url: str | None = None,
    say: Say = print,
) -> DemoOutcome:
    async with httpx.AsyncClient(timeout=30, headers={"Accept-Language": "id"}) as http:
        registry = Api(http, urls["registry"])
        say(f"0. Staf Diskominfo masuk sebagai {admin.email}")
        http.headers.update(await log_in(registry, admin))  # staff, unless a call says otherwise
        submissions = Api(http, urls["submissions"])
        judging = Api(http, urls["judging"])
        notifications = Api(http, urls["notifications"])

        say("1. Staf Diskominfo berlangganan notifikasi (kotak masuk, email, webhook)")
        recipient_body: dict[str, Any] = {
            "name": "Staf Diskominfo Kota Malang",
            "email": staff_email,
            "language": "id",
            "subscriptions": STAFF_SUBSCRIPTIONS,
        }
        if webhook_url and webhook_secret:
            recipient_body["webhook"] = {"url": webhook_url, "secret": webhook_secret}
        recipient = await notifications.call("POST", "/recipients", 201, json=recipient_body)
        told_on_whatsapp: dict[str, str] = {}
        kim_numbers: dict[str, str] = {}
        if whatsapp:
            reader, phone = WHATSAPP_STAFF
            say(f"   {reader} berlangganan lewat WhatsApp ({phone})")
            await notifications.call(
                "POST",
                "/recipients",
                201,
                json={
                    "name": reader,
                    "email": "kasi.ikp@diskominfo.malangkota.example",
                    "whatsapp": phone,
                    "language": "id",
                    "subscriptions": STAFF_SUBSCRIPTIONS,
                },
            )
            told_on_whatsapp[phone] = reader

        say("2. Staf menyusun dan menerbitkan edisi 'Lomba Video Pendek KIM 2024'")
        now = datetime.now(UTC)
        edition = await registry.call(
            "POST",
            "/editions",
            201,
            json={
                "title": "Lomba Video Pendek KIM 2024",
                "theme": "Promosi UMKM Kota Malang",
                "description": (
                    "Film pendek karya KIM yang mengangkat usaha mikro, kecil dan menengah di kelurahannya."
                ),
                "submission_opens_at": (now - timedelta(minutes=1)).isoformat(),
                "submission_closes_at": (now + timedelta(hours=6)).isoformat(),
                "rules": {
                    "max_video_seconds": 300,
                    "allowed_video_hosts": ["youtube.com", "youtu.be"],
                    "entries_per_kim": 1,
                },
                "awarded_ranks": 3,
                "prizes": list(PRIZES),
                "categories": list(CATEGORIES),
            },
        )
        edition_id = edition["edition_id"]
        await registry.call("POST", f"/editions/{edition_id}/publication")

        say(
            f"3. {len(KIMS)} KIM didaftarkan staf (dengan akun perwakilannya), diverifikasi staf, "
            "mendaftar lomba, dan disetujui staf"
        )
        kim_ids: dict[str, str] = {}
        representatives: dict[str, dict[str, str]] = {}
        anonymous = {"Authorization": ""}
        for number, demo_kim in enumerate(KIMS, start=1):
            kim_email = kim_address(number)
            # A KIM registering itself confirms by a mailed link (tests/browser/test_signup.py
            # walks that); the replay has staff register each KIM and open its representative's
            # account, as they do for a KIM that registers on paper.
            kim = await registry.call(
                "POST",
                "/kims",
                201,
                json={
                    "name": demo_kim.name,
                    "kelurahan_code": demo_kim.kelurahan_code,
                    "chair": f"Ketua {demo_kim.name}",
                    "whatsapp": f"0812{3000 + number:04d}{number:04d}",
                    "email": kim_email,
                    "members": [{"name": "Pengelola media sosial", "role": "editor"}],
                },
            )
            await registry.call(
                "POST",
                "/accounts",
                201,
                json={
                    "email": kim_email,
                    "name": f"{kim['name']} ({kim['chair']})",
                    "role": "kim_rep",
                    "password": demo_password(kim_email),
                    "kim_id": kim["kim_id"],
                },
            )
            kim_ids[demo_kim.name] = kim["kim_id"]
            # Its representative reads WhatsApp on the KIM's number (E.164, as the gateway sees it).
            kim_numbers["+62" + kim["whatsapp"].removeprefix("+62").removeprefix("0")] = demo_kim.name
            representative = await log_in(registry, Credentials(kim_email, demo_password(kim_email)))
            representatives[demo_kim.name] = representative
            await registry.call("POST", f"/kims/{kim['kim_id']}/verification")
            if demo_kim.name in PROFILES:  # its representative fills in the KIM's profile
                await registry.call(
                    "PATCH", f"/kims/{kim['kim_id']}", json=PROFILES[demo_kim.name], headers=representative
                )
            enrolment = await registry.call(
                "POST",
                f"/editions/{edition_id}/enrolments",
                201,
                json={"kim_id": kim["kim_id"]},
                headers=representative,
            )
            await registry.call("POST", f"/enrolments/{enrolment['enrolment_id']}/approval")

        say(
            "4. Staf membuka akun juri dan menunjuk dewan juri: "
            + ", ".join(f"{name} ({role})" for name, role in JUDGES)
        )
        await judging.until("GET", f"/editions/{edition_id}", lambda r: r.status_code == 200)
        judge_ids: list[str] = []
        judge_logins: list[Credentials] = []
        for number, (name, role) in enumerate(JUDGES, start=1):
            login = judge_login(number)
            await registry.call(
                "POST",
                "/accounts",
                201,
                json={"email": login.email, "name": name, "role": "judge", "password": login.password},
            )
            judge = await judging.call(
                "POST",
                f"/editions/{edition_id}/judges",
                201,
                json={"name": f"{name} — {role}", "email": login.email},
            )
            judge_ids.append(judge["judge_id"])
            judge_logins.append(login)
        say(
            "   dan menetapkan rubrik kategori: "
            + "; ".join(
                f"{code} ({', '.join(f'{k} {w}' for k, w in weights.items())})"
                for code, weights in CATEGORY_WEIGHTS.items()
            )
        )
        await weigh_categories(judging, edition_id)

        say(f"5. Setiap KIM mengirim satu film ({len(KIMS)} karya)")
        entry_ids: dict[str, str] = {}
        for number, demo_kim in enumerate(KIMS, start=1):
            response = await submissions.until(
                "POST",
                f"/editions/{edition_id}/entries",
                # Until submissions has heard of the approval, it refuses; then it accepts.
                lambda r: (
                    r.status_code == 201
                    or r.json().get("error", {}).get("code")
                    not in {"edition_not_found", "kim_not_enrolled", "enrolment_not_approved"}
                ),
                json={
                    "kim_id": kim_ids[demo_kim.name],
                    "title": demo_kim.film,
                    "synopsis": demo_kim.synopsis,
                    "video_url": f"https://youtu.be/kim2024-{number:02d}",
                    "duration_seconds": demo_kim.duration_seconds,
                    "umkm_featured": list(demo_kim.umkm),
                    "categories": list(demo_kim.categories),
                },
                headers=representatives[demo_kim.name],
            )
            if response.status_code != 201:
                raise DemoError(f"entry of {demo_kim.name} refused: {response.text}")
            entry_ids[demo_kim.name] = response.json()["entry_id"]

        say("6. Staf menutup pengumpulan karya")
        await registry.call("POST", f"/editions/{edition_id}/submissions-closure")
        await judging.until(
            "GET",
            f"/editions/{edition_id}",
            lambda r: (
                r.json().get("status") == "scoring"
                and r.json()["progress"]["required"] == len(KIMS) * len(JUDGES)
            ),
        )

        say(f"7. Dewan juri masuk dan mengisi {len(KIMS) * len(JUDGES)} lembar nilai")
        judges_headers = [await log_in(registry, login) for login in judge_logins]
        for kim_index, demo_kim in enumerate(KIMS):
            for judge_index, judge_id in enumerate(judge_ids):
                await judging.call(
                    "PUT",
                    f"/editions/{edition_id}/entries/{entry_ids[demo_kim.name]}/sheets/{judge_id}",
                    json={
                        "scores": score_sheet(kim_index, judge_index),
                        "comment": JUDGE_COMMENTS[judge_index],
                    },
                    headers=judges_headers[judge_index],
                )
        await judging.until("GET", f"/editions/{edition_id}", lambda r: r.json().get("status") == "completed")

        say("8. Staf membekukan hasil, memverifikasinya, lalu mengumumkan pemenang")
        frozen = await judging.call("POST", f"/editions/{edition_id}/snapshots", 201)
        say(f"   versi {frozen['version']} dibekukan, SHA-256 {frozen['content_hash']}")
        verified = await judging.call(
            "POST", f"/editions/{edition_id}/snapshots/{frozen['version']}/verification"
        )
        say(f"   dihitung ulang dari lembar nilai: {verified['recomputed_hash']} (cocok)")
        await judging.call("POST", f"/editions/{edition_id}/announcement")
        results = await judging.call("GET", f"/editions/{edition_id}/results", headers=anonymous)
        say("9. Dewan juri memberi penghargaan khusus; staf membekukan dan mengumumkan setiap kategori")
        categories = await announce_categories(judging, edition_id, entry_ids, say=say)
        written = await write_certificates(
            http, urls["judging"], edition_id, directory=CERTIFICATES, public_url=console_url
        )
        say(summary(written, CERTIFICATES))

        recipient_id = recipient["recipient_id"]
        expected = (
            len(KIMS) * 2 + 3
        )  # enrolment.requested + entry.submitted per KIM, then closed, completed, announced
        inbox_response = await notifications.until(
            "GET",
            f"/recipients/{recipient_id}/inbox",
            lambda r: r.status_code == 200 and len(r.json()["items"]) >= expected,
            params={"limit": 100},
        )
        return DemoOutcome(
            edition_id=edition_id,
            recipient_id=recipient_id,
            results=results,
            categories=categories,
            inbox=inbox_response.json(),
            kims=kim_ids,
            received=await received_per_person(notifications),
            staff_email=staff_email,
            whatsapp=told_on_whatsapp,
            kim_numbers=kim_numbers,
            kim_messages=await messages_to_kims(notifications, kim_ids),
        )


async def received_per_person(notifications: Api) -> dict[str, dict[str, int]]:
    """For every recipient (the accounts' and the hand-made), how many deliveries each
    channel carried, by the recipient's name and role."""
    counts: dict[str, dict[str, int]] = {}
    for recipient in await notifications.call("GET", "/recipients"):
        found = await notifications.call(
            "GET", "/deliveries", params={"recipient_id": recipient["recipient_id"], "limit": 200}
        )
        role = recipient.get("role") or "staf"
        label = f"{recipient['name']} ({role})"
        per_channel: dict[str, int] = {}
        for delivery in found:
            per_channel[delivery["channel"]] = per_channel.get(delivery["channel"], 0) + 1
        counts[label] = per_channel
    return counts


async def messages_to_kims(notifications: Api, kim_ids: dict[str, str]) -> dict[str, list[str]]:
    """For every KIM representative's recipient: the subjects of what they received."""
    names = {kim_id: name for name, kim_id in kim_ids.items()}
    messages: dict[str, list[str]] = {}
    for recipient in await notifications.call("GET", "/recipients"):
        if recipient.get("role") != "kim_rep" or recipient.get("kim_id") not in names:
            continue
        found = await notifications.call(
            "GET", "/deliveries", params={"recipient_id": recipient["recipient_id"], "limit": 200}
        )
        messages.setdefault(names[recipient["kim_id"]], []).extend(d["subject"] for d in found)
    return messages


def crossed_messages(kim_messages: dict[str, list[str]], kim_names: Iterable[str]) -> list[str]:
    """Every message a KIM received that names another KIM (one not part of its own name)."""
    names = list(kim_names)
    crossed = []
    for kim, subjects in sorted(kim_messages.items()):
        others = [name for name in names if name != kim and name not in kim]
        crossed += [f"{kim}: {subject}" for subject in subjects for name in others if name in subject]
    return crossed


def kim_scoping_lines(kim_messages: dict[str, list[str]], kim_names: Iterable[str]) -> list[str]:
    if not kim_messages:
        return []
    total = sum(len(subjects) for subjects in kim_messages.values())
    crossed = crossed_messages(kim_messages, kim_names)
    if not crossed:
        return [
            "",
            f"Tidak ada KIM yang menerima pesan KIM lain: {total} pesan ke {len(kim_messages)} KIM "
            "diperiksa.",
        ]
    return ["", f"PERHATIAN: {len(crossed)} pesan sampai ke KIM yang salah:"] + [f"  {c}" for c in crossed]


def received_lines(received: dict[str, dict[str, int]]) -> list[str]:
    """What each person received, one line each, per channel: one function, so every
    channel (WhatsApp with its receipts too) adds its column here."""
    if not received:
        return []
    channels = sorted({channel for counts in received.values() for channel in counts})
    lines = ["", "Yang diterima tiap orang, per saluran:"]
    lines.append(f"  {'penerima':<48} " + " ".join(f"{c:>8}" for c in channels))
    for person, counts in sorted(received.items()):
        lines.append(f"  {person[:48]:<48} " + " ".join(f"{counts.get(c, 0):>8}" for c in channels))
    return lines


#: The tie-break rules as judging declares them in its (hashed) results, in Indonesian.
TIE_BREAK_ID: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^mean weighted total, higher first$"),
        "rata-rata total berbobot, yang lebih tinggi di atas",
    ),
    (
        re.compile(r"^mean normalised total .*, higher first$"),
        "rata-rata total ternormalisasi (skor z per juri, 0-100), yang lebih tinggi di atas",
    ),
    (
        re.compile(r"^mean score on '([^']+)'.*, higher first$"),
        r"rata-rata nilai kriteria '\1', yang lebih tinggi di atas",
    ),
    (
        re.compile(r"^mean score on the priority criterion, higher first$"),
        "rata-rata nilai kriteria utama, yang lebih tinggi di atas",
    ),
    (re.compile(r"^head-to-head: .*$"), "adu langsung: yang lebih disukai juri yang menilai keduanya"),
    (re.compile(r"^earlier first submission$"), "kiriman pertama yang lebih awal"),
)


def tie_break_id(rule: str) -> str:
    """One declared tie-break rule in Indonesian (as declared, if it is not one we know)."""
    for pattern, indonesian in TIE_BREAK_ID:
        if pattern.match(rule):
            return pattern.sub(indonesian, rule)
    return rule


def report(
    outcome: DemoOutcome,
    *,
    mail: list[tuple[str, str]],
    webhooks: list[bool | None],
    whatsapp: list[dict[str, Any]] | None = None,
) -> str:
    """The final ranking and what a staff member received. `mail` is (to, subject) per
    message; `webhooks` is whether each webhook's signature was valid; `whatsapp`, the
    local gateway's record of each message (to, template, callbacks)."""
    lines = [
        f"\n{outcome.results['title']} — peringkat akhir (diumumkan {outcome.results['announced_at']})",
        "",
    ]
    lines.append(f"{'#':>3}  {'KIM':<26} {'Kelurahan':<14} {'Skor':>6}  {'Hadiah':<34} Film")
    for placing in outcome.results["ranking"]:
        lines.append(
            f"{placing['rank']:>3}  {placing['kim_name']:<26} {placing['kelurahan']['name']:<14} "
            f"{placing['score']:>6.2f}  {prize_text(placing.get('prize')):<34} {placing['entry_title']}"
        )
    lines.append("")
    lines.append("Aturan pemecah nilai sama: " + "; ".join(map(tie_break_id, outcome.results["tie_break"])))
    lines.append(f"Versi {outcome.results['version']}, SHA-256 {outcome.results['content_hash']}")
    lines += category_lines(outcome.categories)
    inbox = outcome.inbox
    lines += ["", "Yang diterima staf Diskominfo:"]
    lines.append(f"  kotak masuk: {len(inbox['items'])} notifikasi, {inbox['unread']} belum dibaca; terbaru:")
    for item in inbox["items"][:3]:
        lines.append(f"    - {item['subject']}")
    if outcome.staff_email:
        mail = [(to, subject) for to, subject in mail if to.lower() == outcome.staff_email.lower()]
    if mail:
        lines.append(f'  email: {len(mail)} pesan ke {mail[-1][0]}; terakhir: "{mail[-1][1]}"')
    if webhooks:
        valid = sum(1 for ok in webhooks if ok)
        lines.append(f"  webhook: {len(webhooks)} POST bertanda tangan HMAC, {valid} tanda tangan sah")
    lines += received_lines(outcome.received)
    lines += kim_scoping_lines(outcome.kim_messages, outcome.kims)
    if whatsapp:
        lines += whatsapp_summary(whatsapp, {**outcome.kim_numbers, **outcome.whatsapp})
    return "\n".join(lines)


RECEIPT_WORDS = (("sent", "terkirim"), ("delivered", "sampai"), ("read", "dibaca"))


def whatsapp_summary(messages: list[dict[str, Any]], names: dict[str, str]) -> list[str]:
    """Per number: how many template messages, of which templates, and their receipts
    (the status callbacks the service accepted)."""
    lines = ["", "Yang diterima lewat WhatsApp (gateway lokal, dengan tanda terima):"]
    by_number: dict[str, list[dict[str, Any]]] = {}
    for message in messages:
        by_number.setdefault(message["to"], []).append(message)
    for number, received in sorted(by_number.items()):
        templates: dict[str, int] = {}
        for message in received:
            templates[message["template"]] = templates.get(message["template"], 0) + 1
        receipts = {
            status: sum(
                1
                for m in received
                if any(c["status"] == status and c["answered"] == 200 for c in m["callbacks"])
            )
            for status, _ in RECEIPT_WORDS
        }
        who = f"{names[number]} ({number})" if number in names else number
        lines.append(f"  {who}: {len(received)} pesan")
        lines.append("    " + ", ".join(f"{name} ×{count}" for name, count in sorted(templates.items())))
        lines.append(
            "    tanda terima: " + ", ".join(f"{receipts[status]} {word}" for status, word in RECEIPT_WORDS)
        )
    return lines


async def wait_for(count: Callable[[], int], at_least: int, timeout: float = 30) -> int:
    """Wait until a sink has received at least `at_least` items; returns what it has."""
    deadline = time.monotonic() + timeout
    while count() < at_least and time.monotonic() < deadline:  # noqa: ASYNC110 - counting files on disk
        await asyncio.sleep(0.1)
    return count()
