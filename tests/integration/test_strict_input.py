"""Strict and safe input over HTTP against the real services: the password policy,
strings that are not text, dates outside the database's range, strict types and
spoofing characters are each a 4xx naming the field, in Indonesian or English."""

from __future__ import annotations

from typing import Any

from registry.main import create_app as create_registry

from ..support import serving


def refused_field(response: Any) -> tuple[int, str, str, str]:
    error = response.json()["error"]
    first = (error.get("fields") or [{"field": error.get("field"), "code": error["code"]}])[0]
    return response.status_code, first["field"], first["code"], first.get("message", error["message"])


WEAK_PASSWORDS = [
    ("1234567890", "password_sequential"),
    ("aaaaaaaaaa", "password_repetitive"),
    (" " * 10, "password_repetitive"),
    ("password123", "password_common"),
    ("juri.malang-2024", "password_has_email"),
]


async def test_a_weak_password_is_refused_by_field_in_both_languages(settings_for: Any) -> None:
    async with serving(create_registry(settings_for("registry")), "registry") as registry:
        for password, code in WEAK_PASSWORDS:
            body = {"email": "juri.malang@juri.id", "name": "Juri", "role": "judge", "password": password}
            indonesian = await registry.post("/accounts", json=body)
            english = await registry.post("/accounts", json=body, headers={"Accept-Language": "en"})
            kim = await registry.post(
                "/kims",
                json={
                    "name": "KIM Uji Sandi",
                    "kelurahan_code": "bumiayu",
                    "chair": "Bu Ketua",
                    "whatsapp": "081234567890",
                    "email": body["email"],
                    "password": password,
                },
            )
            status, field, got, message = refused_field(indonesian)
            assert (status, field, got) == (422, "password", code), password
            assert "sandi" in message.lower()
            assert refused_field(english)[3] != message and "password" in refused_field(english)[3].lower()
            assert refused_field(kim)[:3] == (422, "password", code)
        assert (await registry.get("/accounts")).json() == []


async def test_lone_surrogates_and_dates_beyond_the_database_are_4xx_naming_the_field(
    settings_for: Any,
) -> None:
    """Each of these answered 500 before: a lone surrogate could not be hashed or stored,
    and year 1 at +14:00 cannot even be converted to UTC."""
    from .flows import edition_body

    async with serving(create_registry(settings_for("registry")), "registry") as registry:
        surrogate_password = await registry.post(
            "/auth/login",
            content=b'{"email": "juri@juri.id", "password": "\\udc80abc"}',
            headers={"Content-Type": "application/json", "Authorization": ""},
        )
        surrogate_name = await registry.post(
            "/accounts",
            content=b'{"email": "a@juri.id", "name": "Juri \\udc80", "role": "judge", '
            b'"password": "benar-sekali-2024"}',
            headers={"Content-Type": "application/json"},
        )
        dates = {}
        for moment in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1000-01-01T00:00:00Z"):
            dates[moment] = await registry.post(
                "/editions", json={**edition_body(), "submission_opens_at": moment}
            )
        replay = await registry.post(
            "/outbox/replay", json={"queue": "submissions.events", "since": "0001-01-01T00:00:00+14:00"}
        )
    assert refused_field(surrogate_password)[:3] == (422, "password", "string_not_text")
    assert refused_field(surrogate_name)[:3] == (422, "name", "string_not_text")
    for moment, answer in dates.items():
        assert refused_field(answer)[:3] == (422, "submission_opens_at", "date_out_of_range"), moment
        assert "1900" in refused_field(answer)[3]
    assert refused_field(replay)[:3] == (422, "since", "date_out_of_range")


async def test_numbers_and_switches_are_not_converted_from_other_types(settings_for: Any) -> None:
    from .flows import edition_body

    async with serving(create_registry(settings_for("registry")), "registry") as registry:
        answers = {}
        for field, value in [("awarded_ranks", True), ("awarded_ranks", "3")]:
            answers[(field, repr(value))] = await registry.post(
                "/editions", json={**edition_body(), field: value}
            )
        nested = await registry.post(
            "/editions",
            json={**edition_body(), "rules": {**edition_body()["rules"], "max_video_seconds": "120"}},
        )
        text_as_number = await registry.post("/editions", json={**edition_body(), "theme": 2024})
        fine = await registry.post("/editions", json=edition_body())
    assert refused_field(answers[("awarded_ranks", "True")])[:3] == (422, "awarded_ranks", "int_type")
    assert refused_field(answers[("awarded_ranks", "'3'")])[:3] == (422, "awarded_ranks", "int_type")
    assert "bilangan bulat" in refused_field(answers[("awarded_ranks", "'3'")])[3]
    assert refused_field(nested)[:3] == (422, "rules.max_video_seconds", "int_type")
    assert refused_field(text_as_number)[:3] == (422, "theme", "string_type")
    assert fine.status_code == 201  # UUIDs and dates still come as JSON strings


SPOOFS = [
    ("KIM \u202eayaJ hersaP", "text_spoofing"),  # right-to-left override
    ("KIM Pas\u200breh", "text_spoofing"),  # zero-width space
    ("\ufeffKIM Pasreh", "text_spoofing"),  # BOM
    ("KIM\u2028Pasreh", "text_spoofing"),  # line separator
    ("KIM \u2067Pasreh\u2069", "text_spoofing"),  # isolate
    ("KIM Pa" + "\u0301" * 5 + "sreh", "text_combining_marks"),
]


async def test_spoofing_characters_in_names_people_read_are_refused_by_field(settings_for: Any) -> None:
    from .flows import edition_body

    async with serving(create_registry(settings_for("registry")), "registry") as registry:
        for text, code in SPOOFS:
            for field in ("title", "theme", "description"):
                answer = await registry.post("/editions", json={**edition_body(), field: text})
                status, named, got, message = refused_field(answer)
                assert (status, named, got) == (422, field, code), (text, field)
                assert "karakter" in message or "diakritik" in message
        english = await registry.post(
            "/editions", json={**edition_body(), "title": SPOOFS[0][0]}, headers={"Accept-Language": "en"}
        )
        assert "U+202E" in refused_field(english)[3]
        # Accents people write stay allowed: up to four combining marks in a row.
        accented = await registry.post("/editions", json={**edition_body(), "title": "Lomba Cafe\u0301 2024"})
        assert accented.status_code == 201, accented.text
        assert (await registry.get("/editions")).json()[0]["title"] == "Lomba Cafe\u0301 2024"
