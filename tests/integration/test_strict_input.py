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
