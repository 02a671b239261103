"""A film's link becomes the host's privacy-enhanced embed, or a link out."""

from __future__ import annotations

import pytest
from console.embeds import film_of


@pytest.mark.parametrize(
    ("link", "embed"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s&list=PL1",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/aqz-KE-bpKQ", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://vimeo.com/channels/staffpicks/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://drive.google.com/file/d/1A2b3C4d5E6f7G8h9I0jKlMnOpQrStUvW/view?usp=sharing",
            "https://drive.google.com/file/d/1A2b3C4d5E6f7G8h9I0jKlMnOpQrStUvW/preview",
        ),
        (
            "https://drive.google.com/open?id=1A2b3C4d5E6f7G8h9I0jKlMnOpQrStUvW",
            "https://drive.google.com/file/d/1A2b3C4d5E6f7G8h9I0jKlMnOpQrStUvW/preview",
        ),
        (
            "https://www.facebook.com/kimpasrehjaya/videos/1234567890123456/",
            "https://www.facebook.com/plugins/video.php?href="
            "https%3A%2F%2Fwww.facebook.com%2Fkimpasrehjaya%2Fvideos%2F1234567890123456%2F&show_text=false",
        ),
    ],
)
def test_known_hosts_become_their_privacy_enhanced_embed(link: str, embed: str) -> None:
    film = film_of(link)
    assert (film.embed, film.link) == (embed, link)


@pytest.mark.parametrize(
    "link",
    [
        "https://www.tiktok.com/@kim.ganjur/video/7300000000000000000",
        "https://www.youtube.com/channel/UC1234567890",  # a channel, not a film
        "https://drive.google.com/drive/folders/abc",
        "javascript:alert(1)",
        "",
    ],
)
def test_anything_else_opens_on_its_own_host(link: str) -> None:
    assert film_of(link).embed is None


def test_an_embed_cannot_smuggle_markup_through_the_id() -> None:
    assert film_of('https://youtu.be/"><script>').embed is None
    assert film_of("https://www.youtube.com/watch?v=abc%22onload").embed is None
