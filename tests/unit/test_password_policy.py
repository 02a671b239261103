"""The one password policy (NIST SP 800-63B), as every shape that sets a password applies it."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError, field_validator

from shared.platform.schemas import GivenPassword, Password, password_beside_email


class NewAccount(BaseModel):
    email: str
    password: Password
    _password = field_validator("password")(password_beside_email)


def refusal(password: str, email: str = "budi.santoso@malangkota.go.id") -> str | None:
    try:
        NewAccount(email=email, password=password)
    except ValidationError as error:
        (only,) = error.errors()
        assert only["loc"] == ("password",)
        return str(only["type"])
    return None


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("aaaaaaaaaa", "password_repetitive"),
        (" " * 10, "password_repetitive"),
        ("abcabcabcabc", "password_repetitive"),
        ("1212121212", "password_repetitive"),
        ("1234567890", "password_sequential"),
        ("0987654321", "password_sequential"),
        ("abcdefghijkl", "password_sequential"),
        ("qwertyuiop", "password_sequential"),
        ("password123", "password_common"),
        ("manchester", "password_common"),
        ("Sayangku2024!", "password_common"),
        ("bismillah123", "password_common"),
        ("budi.santoso2024", "password_has_email"),
        ("Rumah-BUDISANTOSO", "password_has_email"),
        ("\udc80abcdefghijk", "password_not_text"),
        ("kopi\x00susu-hangat", "password_not_text"),
        ("pendek", "string_too_short"),
        ("x" * 129 + "yz", "string_too_long"),
    ],
)
def test_weak_or_broken_passwords_are_refused_by_their_own_code(password: str, code: str) -> None:
    assert refusal(password) == code


@pytest.mark.parametrize(
    "password",
    [
        "benar-sekali-2024",
        "topeng malangan di alun-alun tugu",  # a passphrase with spaces
        "kuda baterai staples benar " * 4,  # 108 characters: long passphrases fit
        "Ngalam-👍-Kayutangan",  # any printable Unicode
        "ラーメン大好き小池さん",  # 11 characters, none of them ASCII
    ],
)
def test_good_passwords_and_long_passphrases_pass(password: str) -> None:
    assert refusal(password) is None


def test_the_password_is_kept_nfkc_normalised_and_login_compares_it_so() -> None:
    full_width = "ｋｏｐｉ－ｓｕｓｕ－ｈａｎｇａｔ"  # NFKC: kopi-susu-hangat
    account = NewAccount(email="a@example.id", password=full_width)
    assert account.password.get_secret_value() == "kopi-susu-hangat"

    class Login(BaseModel):
        password: GivenPassword

    assert Login(password=full_width).password.get_secret_value() == "kopi-susu-hangat"
    with pytest.raises(ValidationError) as refused:
        Login(password="\udc80abc")
    assert refused.value.errors()[0]["type"] == "password_not_text"
