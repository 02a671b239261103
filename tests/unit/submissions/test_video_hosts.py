"""The film check's link checker against recorded answers of the video hosts,
served by a local fake server on 127.0.0.1 (tests/fake_video_host.py). The
hosts' real base URLs are used: an injected resolver hands out public addresses,
and a transport sends those to the fake server, so the address checks run as in
production and a forbidden address is never connected to."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from submissions.adapters.video_hosts import HttpVideoHosts, meta_duration, vimeo_id, youtube_id
from submissions.domain.film import FilmCheck, parse_iso_duration

from shared.platform.outbound import (
    BodyTooLarge,
    OutboundLimits,
    PublicFetcher,
    forbidden_address,
    literal_address,
)

from ...fake_video_host import Answer, FakeVideoHost, PretendPublic, fixture, vimeo_routes, youtube_routes

#: Where the injected resolver says the hosts are (public addresses, never connected to).
YOUTUBE_ADDRESS = "142.250.4.190"
VIMEO_ADDRESS = "151.101.0.217"
RESOLVED = {
    "www.youtube.com": [YOUTUBE_ADDRESS],
    "vimeo.com": [VIMEO_ADDRESS],
    "films.example.org": [YOUTUBE_ADDRESS],
    "intranet.example.org": ["10.1.2.3"],
    "mixed.example.org": [YOUTUBE_ADDRESS, "169.254.169.254"],
}
NOW = datetime(2024, 8, 15, 9, 0, tzinfo=UTC)


async def resolver(host: str, port: int) -> list[str]:
    return RESOLVED.get(host, [])


@pytest.fixture
async def host() -> AsyncIterator[FakeVideoHost]:
    routes = {
        **youtube_routes(
            {
                "pasreh2024": "youtube_oembed_pasreh.json",
                "brantas001": "youtube_oembed_brantas.json",
                "bare000001": "youtube_oembed_pasreh.json",
            },
            {
                "pasreh2024": "youtube_watch_pasreh.html",
                "brantas001": "youtube_watch_long.html",
                "bare000001": "youtube_watch_no_metadata.html",
            },
        ),
        **vimeo_routes({"76979871": "vimeo_oembed_76979871.json"}),
    }
    async with FakeVideoHost(routes) as fake:
        yield fake


def checker(host: FakeVideoHost, **limits: Any) -> tuple[HttpVideoHosts, PretendPublic]:
    transport = PretendPublic({YOUTUBE_ADDRESS, VIMEO_ADDRESS}, host.port)
    fetcher = PublicFetcher(OutboundLimits(**limits), resolver=resolver, transport=transport)
    return HttpVideoHosts(fetcher), transport


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("PT4M13S", 253),
        ("PT1H2M5S", 3725),
        ("PT45S", 45),
        ("PT5M", 300),
        ("P0DT0H3M5S", 185),
        ("pt2m0.5s", 121),
        ("PT240,2S", 241),
        ("P1D", 86400),
    ],
)
def test_iso_8601_durations_are_read_in_whole_seconds(text: str, seconds: int) -> None:
    assert parse_iso_duration(text) == seconds


@pytest.mark.parametrize(
    "text", ["", "P", "PT", "4M13S", "PT4M13", "P1Y", "P2W", "PT-5S", "PT4M13S junk", "P1DT"]
)
def test_what_is_not_an_iso_8601_duration_of_a_film_is_none(text: str) -> None:
    assert parse_iso_duration(text) is None


def test_the_duration_metadata_is_found_whatever_the_attribute_order() -> None:
    assert meta_duration(fixture("youtube_watch_pasreh.html").decode()) == 253
    assert meta_duration(fixture("youtube_watch_long.html").decode()) == 3725
    assert meta_duration(fixture("youtube_watch_no_metadata.html").decode()) is None


@pytest.mark.parametrize(
    ("url", "video"),
    [
        ("https://youtu.be/pasreh2024", "pasreh2024"),
        ("https://www.youtube.com/watch?v=pasreh2024&t=3", "pasreh2024"),
        ("https://m.youtube.com/watch?v=pasreh2024", "pasreh2024"),
        ("https://youtube.com/shorts/pasreh2024", "pasreh2024"),
        ("https://www.youtube.com/embed/pasreh2024", "pasreh2024"),
        ("https://www.youtube.com/watch", None),
        ("https://youtu.be/", None),
        ("https://notyoutube.com/watch?v=pasreh2024", None),
    ],
)
def test_youtube_links_name_their_video(url: str, video: str | None) -> None:
    assert youtube_id(url) == video


def test_vimeo_links_name_their_video() -> None:
    assert vimeo_id("https://vimeo.com/76979871") == "76979871"
    assert vimeo_id("https://player.vimeo.com/video/76979871") == "76979871"
    assert vimeo_id("https://vimeo.com/channels/staffpicks") is None


async def test_youtube_gives_the_title_by_oembed_and_the_length_by_the_watch_page(
    host: FakeVideoHost,
) -> None:
    hosts, transport = checker(host)
    facts = await hosts.look_up("https://youtu.be/pasreh2024")
    assert (facts.reachable, facts.duration_seconds, facts.title) == (
        True,
        253,
        "Topeng Malangan dari Tangan-Tangan Istimewa | KIM Pasreh Jaya",
    )
    assert [hit.split("?")[0] for hit in host.hits] == ["/oembed", "/watch"]
    assert "format=json" in host.hits[0] and "v=pasreh2024" in host.hits[1]
    assert set(transport.seen) == {YOUTUBE_ADDRESS}, "connected to the checked address only"


async def test_vimeo_gives_title_and_length_by_oembed(host: FakeVideoHost) -> None:
    hosts, _ = checker(host)
    facts = await hosts.look_up("https://vimeo.com/76979871")
    assert (facts.duration_seconds, facts.title) == (187, "Kampung Warna-Warni Jodipan")


async def test_a_film_over_the_edition_maximum_needs_review(host: FakeVideoHost) -> None:
    hosts, _ = checker(host)
    facts = await hosts.look_up("https://www.youtube.com/watch?v=brantas001")
    assert facts.duration_seconds == 3725
    check = FilmCheck.of(
        facts, video_url="https://www.youtube.com/watch?v=brantas001", max_seconds=300, now=NOW
    )
    assert (check.status, check.reason, check.duration_seconds) == ("needs_review", "too_long", 3725)
    within = FilmCheck.of(facts, video_url="x", max_seconds=3725, now=NOW)
    assert (within.status, within.reason) == ("ok", None)


async def test_a_page_without_the_length_needs_review_as_duration_unknown(host: FakeVideoHost) -> None:
    hosts, _ = checker(host)
    facts = await hosts.look_up("https://youtu.be/bare000001")
    assert (facts.reachable, facts.duration_seconds) == (True, None)
    check = FilmCheck.of(facts, video_url="https://youtu.be/bare000001", max_seconds=300, now=NOW)
    assert (check.status, check.reason) == ("needs_review", "duration_unknown")


async def test_a_video_that_does_not_exist_is_unreachable_for_good(host: FakeVideoHost) -> None:
    hosts, _ = checker(host)
    facts = await hosts.look_up("https://youtu.be/gone000404")
    assert (facts.problem, facts.transient) == ("unreachable", False)
    assert "HTTP 404" in facts.detail
    check = FilmCheck.of(facts, video_url="https://youtu.be/gone000404", max_seconds=300, now=NOW)
    assert (check.status, check.reason, check.reachable) == ("needs_review", "unreachable", False)


async def test_a_host_error_is_worth_trying_again(host: FakeVideoHost) -> None:
    host.routes["/oembed"] = Answer(status=503, body=b"busy", content_type="text/plain")
    hosts, _ = checker(host)
    facts = await hosts.look_up("https://youtu.be/pasreh2024")
    assert (facts.problem, facts.transient) == ("unreachable", True)


async def test_a_host_that_hangs_times_out_and_is_tried_again(host: FakeVideoHost) -> None:
    host.routes["/oembed"] = Answer(body=b"{}", delay=3.0)
    hosts, _ = checker(host, total_seconds=0.5, connect_seconds=0.3)
    started = datetime.now(UTC)
    facts = await hosts.look_up("https://youtu.be/pasreh2024")
    assert (facts.problem, facts.transient) == ("unreachable", True)
    assert (datetime.now(UTC) - started).total_seconds() < 2.5, "the total timeout bounds the fetch"


async def test_a_redirect_to_a_loopback_address_is_refused_before_connecting(host: FakeVideoHost) -> None:
    secret = f"http://127.0.0.1:{host.port}/secret"
    host.routes["/oembed"] = Answer(status=302, headers={"Location": secret})
    host.routes["/secret"] = Answer(body=b'{"title": "internal"}')
    hosts, transport = checker(host)
    facts = await hosts.look_up("https://youtu.be/pasreh2024")
    assert (facts.problem, facts.transient) == ("link_refused", False)
    assert "127.0.0.1" in facts.detail and "loopback" in facts.detail
    assert host.hits_on("/secret") == [] and "127.0.0.1" not in transport.seen


@pytest.mark.parametrize(
    ("location", "address"),
    [
        ("https://intranet.example.org/admin", "10.1.2.3"),
        ("https://mixed.example.org/x", "169.254.169.254"),
        ("http://10.0.0.5/x", "10.0.0.5"),
        ("http://0x7f.1/x", "127.0.0.1"),
        ("http://[::ffff:192.168.1.1]/x", "::ffff:192.168.1.1"),
    ],
)
async def test_a_redirect_to_a_private_address_is_refused_before_connecting(
    host: FakeVideoHost, location: str, address: str
) -> None:
    host.routes["/oembed"] = Answer(status=301, headers={"Location": location})
    hosts, transport = checker(host)
    facts = await hosts.look_up("https://youtu.be/pasreh2024")
    assert facts.problem == "link_refused", facts
    assert transport.seen == [YOUTUBE_ADDRESS], "only the first hop was connected to"


async def test_a_link_straight_to_a_private_address_is_refused() -> None:
    transport = PretendPublic(set(), 1)
    hosts = HttpVideoHosts(PublicFetcher(resolver=resolver, transport=transport))
    for link in ("https://intranet.example.org/film", "http://localhost:8002/entries", "https://127.1/x"):
        facts = await hosts.look_up(link)
        assert facts.problem == "link_refused", (link, facts)
    assert transport.seen == []


async def test_redirects_between_public_addresses_are_followed_up_to_a_bound(host: FakeVideoHost) -> None:
    host.routes["/start"] = Answer(status=302, headers={"Location": "/watch?v=pasreh2024"})
    fetcher = PublicFetcher(resolver=resolver, transport=PretendPublic({YOUTUBE_ADDRESS}, host.port))
    answer = await fetcher.get("https://films.example.org/start")
    assert (answer.status, meta_duration(answer.text())) == (200, 253)
    host.routes["/loop"] = Answer(status=302, headers={"Location": "/loop"})
    hosts = HttpVideoHosts(
        PublicFetcher(
            OutboundLimits(max_redirects=3),
            resolver=resolver,
            transport=PretendPublic({YOUTUBE_ADDRESS}, host.port),
        )
    )
    facts = await hosts.look_up("https://films.example.org/loop")
    assert facts.problem == "unreachable" and "redirects" in facts.detail
    assert len(host.hits_on("/loop")) == 4


async def test_an_answer_over_the_body_bound_is_refused(host: FakeVideoHost) -> None:
    host.routes["/watch"] = Answer(body=b"<html>" + b"x" * 50_000, content_type="text/html")
    hosts, _ = checker(host, max_body_bytes=10_000)
    facts = await hosts.look_up("https://youtu.be/pasreh2024")
    assert (facts.problem, facts.transient) == ("unreachable", False)
    assert "longer than 10000 bytes" in facts.detail
    fetcher = PublicFetcher(
        OutboundLimits(max_body_bytes=10_000),
        resolver=resolver,
        transport=PretendPublic({YOUTUBE_ADDRESS}, host.port),
    )
    with pytest.raises(BodyTooLarge):
        await fetcher.get("https://www.youtube.com/watch?v=pasreh2024")


def test_the_address_rules() -> None:
    def reason(text: str) -> str | None:
        address = literal_address(text)
        assert address is not None
        return forbidden_address(address)

    assert [
        reason(a) for a in ("127.0.0.1", "10.0.0.1", "169.254.169.254", "100.64.0.1", "::1", "0x7f.1")
    ] == [
        "loopback",
        "private",
        "link-local",
        "shared",
        "loopback",
        "loopback",
    ]
    assert reason("142.250.4.190") is None
