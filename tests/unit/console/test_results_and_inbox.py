"""The public results page and the staff inbox, with the services faked at the HTTP
level: results with their versions and hashes, cache validators and 304, a clear
page before the announcement; the inbox, turning notifications on, and the live
stream that fans a `notification.delivered` out to the recipient's open pages."""

from __future__ import annotations

import asyncio
import copy
import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from console.config import Settings
from console.live import STREAM_BUFFER, LiveInbox
from console.main import create_app
from console.session import COOKIE

from shared import contracts as c

from .test_access import signed_in
from .test_pages import EDITION, NOW

EDITION_ID = EDITION["edition_id"]
CLOSED = {**EDITION, "status": "submissions_closed"}


def placing(rank: int, kim: str, kelurahan: str, title: str, score: float) -> dict[str, Any]:
    return {
        "rank": rank,
        "shared": False,
        "entry_id": str(uuid.uuid4()),
        "entry_title": title,
        "kim_id": str(uuid.uuid4()),
        "kim_name": kim,
        "kelurahan": {"code": "35.73.01.1001", "name": kelurahan},
        "score": score,
        "raw_score": score,
        "normalised_score": None,
    }


RANKING = [
    placing(1, "KIM Pasreh Jaya", "Bumiayu", "Topeng Malangan", 92.95),
    placing(2, "KIM Ganjur", "Sawojajar", "Keripik Tempe", 90.1),
]


def results(version: int, versions: list[int], reason: str | None = None) -> dict[str, Any]:
    return {
        "edition_id": EDITION_ID,
        "title": EDITION["title"],
        "version": version,
        "supersedes": version - 1 if reason else None,
        "correction_reason": reason,
        "content_hash": f"{version:x}" * 64,
        "announced_at": "2024-11-14T07:00:00+00:00",
        "winners": RANKING[:1],
        "ranking": RANKING,
        "tie_break": ["priority_criterion", "head_to_head"],
        "tie_resolutions": [],
        "versions": versions,
    }


def announced(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path == f"/editions/{EDITION_ID}":
        return httpx.Response(200, json=CLOSED)
    if path == "/editions":
        return httpx.Response(200, json=[CLOSED])
    if path == f"/editions/{EDITION_ID}/results":
        return httpx.Response(200, json=results(2, [1, 2], "Lembar nilai juri 2 salah ketik."))
    if path == f"/editions/{EDITION_ID}/results/versions/1":
        return httpx.Response(200, json=results(1, [1, 2]))
    if path == f"/editions/{EDITION_ID}/results/versions/2":
        return httpx.Response(200, json=results(2, [1, 2], "Lembar nilai juri 2 salah ketik."))
    return httpx.Response(404, json={"error": {"code": "not_found", "message": "x", "field": None}})


def console(handler: Callable[[httpx.Request], httpx.Response], **settings: Any) -> Any:
    services = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    settings = {"live_updates": False, **settings}
    return create_app(Settings(registry_url="http://registry", **settings), clock=lambda: NOW, http=services)


def browser(app: Any, **kwargs: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console", **kwargs)


async def test_the_results_show_the_ranking_prizes_versions_and_hashes_and_are_shareable() -> None:
    app = console(announced, public_url="https://kim.malangkota.example")
    async with app.router.lifespan_context(app), browser(app) as visitor:
        page = await visitor.get(f"/lomba/{EDITION_ID}/hasil")
        older = await visitor.get(f"/lomba/{EDITION_ID}/hasil/versi/1")
        home = await visitor.get("/")
    assert page.status_code == 200 and page.text.count("<h1>") == 1
    text = page.text
    assert "KIM Pasreh Jaya" in text and "Bumiayu" in text and "Topeng Malangan" in text
    assert "92,95" in text and "Juara 1" in text and "Rp 5.000.000" in text
    assert "2" * 64 in text and "1" * 64 in text  # every version's SHA-256
    assert "Lembar nilai juri 2 salah ketik." in text
    assert "adu langsung" in text and "head_to_head" not in text  # the rule in words
    assert f'href="/lomba/{EDITION_ID}/hasil/versi/1"' in text
    assert f'property="og:url" content="https://kim.malangkota.example/lomba/{EDITION_ID}/hasil"' in text
    assert 'name="twitter:card" content="summary"' in text
    assert "Pemenang: 1. KIM Pasreh Jaya" in text
    assert "Ini versi 1. Hasil ini kemudian dikoreksi" in older.text  # an old version says so
    assert f'href="/lomba/{EDITION_ID}/hasil"' in home.text  # the home page links to the results


async def test_the_results_are_cacheable_and_a_browser_that_has_them_gets_304() -> None:
    app = console(announced)
    async with app.router.lifespan_context(app), browser(app) as visitor:
        first = await visitor.get(f"/lomba/{EDITION_ID}/hasil")
        tag = first.headers["etag"]
        again = await visitor.get(f"/lomba/{EDITION_ID}/hasil", headers={"If-None-Match": tag})
        stale = await visitor.get(f"/lomba/{EDITION_ID}/hasil", headers={"If-None-Match": '"other"'})
        english = await visitor.get(
            f"/lomba/{EDITION_ID}/hasil", headers={"If-None-Match": tag, "Accept-Language": "en"}
        )
        head = await visitor.head(f"/lomba/{EDITION_ID}/hasil")
        head_of_version = await visitor.head(f"/lomba/{EDITION_ID}/hasil/versi/1")
    assert head.status_code == 200 and head.headers["etag"] == tag  # HEAD: GET's headers (was 405)
    assert head_of_version.status_code == 200 and head_of_version.headers["cache-control"].startswith(
        "public"
    )
    assert first.headers["cache-control"] == "public, max-age=60, stale-while-revalidate=300"
    assert first.headers["vary"] == "Cookie, Accept-Language"
    assert re.fullmatch(r'"[0-9a-f]{32}-v2-id-[0-9a-f]{16}"', tag)  # strong: no W/
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert stale.status_code == 200
    assert english.status_code == 200 and english.headers["etag"] != tag and "Score" in english.text


async def test_results_not_announced_yet_is_a_clear_page_with_the_dates() -> None:
    def registry(request: httpx.Request) -> httpx.Response:
        if "/results" in request.url.path:
            error = {"code": "results_not_announced", "message": "Hasil belum diumumkan.", "field": None}
            return httpx.Response(404, json={"error": error})
        return httpx.Response(200, json=EDITION)

    app = console(registry)
    async with app.router.lifespan_context(app), browser(app) as visitor:
        page = await visitor.get(f"/lomba/{EDITION_ID}/hasil")
    assert page.status_code == 200 and "Hasil belum diumumkan" in page.text
    assert "4 Agustus 2024" in page.text and "etag" not in page.headers


class FakeNotifications:
    """A recipient store at the HTTP level: the inbox, marking read, creating recipients."""

    def __init__(self, email: str | None) -> None:
        self.recipients: list[dict[str, Any]] = []
        self.items: list[dict[str, Any]] = []
        self.created: list[dict[str, Any]] = []
        #: The Idempotency-Key of each recipient created.
        self.keys: list[str | None] = []
        if email:
            self.add_recipient(email)

    def add_recipient(self, email: str) -> str:
        recipient_id = str(uuid.uuid4())
        self.recipients.append({"recipient_id": recipient_id, "email": email, "active": True})
        return recipient_id

    def deliver(self, subject: str) -> dict[str, Any]:
        item = {
            "delivery_id": str(uuid.uuid4()),
            "event_id": str(uuid.uuid4()),
            "event_type": "kim.registered",
            "subject": subject,
            "text": "Periksa data KIM ini.",
            "occurred_at": "2024-08-01T03:00:00+00:00",
            "received_at": "2024-08-01T03:00:01+00:00",
            "read_at": None,
        }
        self.items.insert(0, item)
        return item

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        if path == "/recipients" and method == "GET":
            return httpx.Response(200, json=self.recipients)
        if path == "/recipients" and method == "POST":
            body = json.loads(request.content)
            self.created.append(body)
            self.keys.append(request.headers.get("idempotency-key"))
            self.add_recipient(body["email"])
            return httpx.Response(201, json={})
        if path.endswith("/read"):
            delivery_id = path.split("/")[-2]
            for item in self.items:
                if item["delivery_id"] == delivery_id:
                    item["read_at"] = "2024-08-01T04:00:00+00:00"
            return httpx.Response(200, json={})
        if path.endswith("/inbox"):
            unread = sum(1 for item in self.items if item["read_at"] is None)
            return httpx.Response(200, json={"unread": unread, "items": copy.deepcopy(self.items)})
        return httpx.Response(200, json=[])


def staff_cookie(app: Any, email: str) -> dict[str, str]:
    session = signed_in("staff")
    session.email = email
    app.state.sessions.clock = lambda: 0.0
    return {COOKIE: app.state.sessions.add(session)}


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


async def test_staff_without_a_recipient_turn_notifications_on_for_their_account() -> None:
    fake = FakeNotifications(None)
    app = console(fake)
    async with (
        app.router.lifespan_context(app),
        browser(app, cookies=staff_cookie(app, "ani@kominfo.id")) as staff,
    ):
        page = await staff.get("/staf/kotak-masuk")
        assert "Pemberitahuan belum aktif untuk akun Anda (ani@kominfo.id)" in page.text
        assert "Aktifkan pemberitahuan" in page.text and "data-live-inbox" not in page.text
        key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text)
        assert key is not None
        done = await staff.post(
            "/staf/kotak-masuk/aktifkan", data={"csrf_token": csrf_of(page), "idempotency_key": key.group(1)}
        )
        assert done.status_code == 303 and done.headers["location"] == "/staf/kotak-masuk"
        after = await staff.get("/staf/kotak-masuk")
    (created,) = fake.created
    assert fake.keys == [key.group(1)]  # a retry of the lost answer would create nothing new
    assert created["email"] == "ani@kominfo.id" and "kim.registered" in created["subscriptions"]
    assert "Pemberitahuan sudah aktif" in after.text and "Kotak masuk Anda masih kosong." in after.text
    assert 'data-live-inbox="/staf/kotak-masuk/langsung"' in after.text


async def test_the_inbox_lists_items_marks_them_read_and_every_staff_page_shows_the_count() -> None:
    fake = FakeNotifications("ani@kominfo.id")
    first = fake.deliver("KIM baru terdaftar: KIM Ganjur")
    fake.deliver("KIM baru terdaftar: KIM Mojolangu")

    def services(request: httpx.Request) -> httpx.Response:
        if request.url.host == "registry":
            return httpx.Response(200, json=[EDITION])
        return fake(request)

    app = console(services)
    async with (
        app.router.lifespan_context(app),
        browser(app, cookies=staff_cookie(app, "ANI@kominfo.id")) as staff,
    ):
        landing = await staff.get("/staf")
        page = await staff.get("/staf/kotak-masuk")
        read = await staff.post(
            f"/staf/kotak-masuk/{first['delivery_id']}/dibaca", data={"csrf_token": csrf_of(page)}
        )
        after = await staff.get("/staf/kotak-masuk")
    assert re.search(r'data-unread-count>2</span><span class="visually-hidden"> belum dibaca', landing.text)
    assert "2 pemberitahuan belum dibaca" in page.text and page.text.count('class="inbox-item unread"') == 2
    assert read.status_code == 303 and fake.items[1]["read_at"] is not None
    assert "data-unread-count>1<" in after.text and after.text.count("Tandai sudah dibaca") == 1


async def test_a_delivered_notification_reaches_the_recipients_open_stream_only() -> None:
    fake = FakeNotifications("ani@kominfo.id")
    recipient_id = uuid.UUID(fake.recipients[0]["recipient_id"])
    # Live updates on, with a broker that refuses at once: the test hands events to the hub itself.
    app = console(
        fake,
        live_updates=True,
        amqp_url="amqp://guest:guest@127.0.0.1:9/",
        live_stream_seconds=5,
        live_heartbeat_seconds=0.2,
    )
    hub: LiveInbox = app.state.live
    received: list[str] = []
    async with (
        app.router.lifespan_context(app),
        browser(app, cookies=staff_cookie(app, "ani@kominfo.id")) as staff,
    ):

        async def read_stream() -> None:
            async with staff.stream("GET", "/staf/kotak-masuk/langsung") as stream:
                assert stream.headers["content-type"].startswith("text/event-stream")
                async for line in stream.aiter_lines():
                    received.append(line)
                    if line.startswith("data:") and "html" in line:
                        return

        reading = asyncio.create_task(read_stream())
        for _ in range(500):  # until the stream is open (bounded: 10 s on a loaded machine)
            if hub.open_streams():
                break
            await asyncio.sleep(0.02)
        assert hub.open_streams() == 1, "the stream never opened"
        item = fake.deliver("Pendaftaran baru: KIM Ganjur")
        for other in (uuid.uuid4(), recipient_id):  # another recipient's first: not ours
            hub.delivered(outcome(other, item["delivery_id"]))
        await asyncio.wait_for(reading, timeout=10)
    events = [line for line in received if line.startswith("event:")]
    assert events == ["event: unread", "event: notification"]
    data = json.loads(received[-1].removeprefix("data: "))
    assert data["unread"] == 1 and "Pendaftaran baru: KIM Ganjur" in data["html"]
    assert data["summary"] == "1 pemberitahuan belum dibaca"
    assert "Tandai sudah dibaca" in data["html"]  # in the reader's language
    assert hub.open_streams() == 0


def outcome(recipient_id: uuid.UUID, delivery_id: str) -> c.DeliveryOutcome:
    return c.DeliveryOutcome(
        delivery_id=uuid.UUID(delivery_id),
        source_event_id=uuid.uuid4(),
        source_event_type="enrolment.requested",
        recipient_id=recipient_id,
        channel="inbox",
        attempts=1,
        at=datetime.now(UTC),
    )


async def test_with_live_updates_off_the_page_is_told_no_stream_will_come() -> None:
    app = console(FakeNotifications("ani@kominfo.id"))
    async with (
        app.router.lifespan_context(app),
        browser(app, cookies=staff_cookie(app, "ani@kominfo.id")) as staff,
    ):
        answer = await staff.get("/staf/kotak-masuk/langsung")
    assert answer.status_code == 204  # EventSource stops reconnecting


async def test_a_stalled_stream_is_ended_not_buffered_without_bound() -> None:
    hub = LiveInbox()
    recipient_id = uuid.uuid4()
    async with hub.stream(recipient_id) as stream:
        for _ in range(STREAM_BUFFER * 3):
            hub.delivered(outcome(recipient_id, str(uuid.uuid4())))
        assert stream.ended and stream.arrivals.qsize() == 1
        assert stream.arrivals.get_nowait().lagging
