"""What `scripts/run` prints once the stack is up: the console's address first."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from devstack.__main__ import _summary
from devstack.processes import ManagedProcess
from devstack.stack import SERVICES, LocalStack, ServiceProcess


def process(name: str, port: int, tmp_path: Path) -> ServiceProcess:
    return ServiceProcess(name, port, ManagedProcess(name, ["true"], log_path=tmp_path / f"{name}.log"))


def summary(stack: LocalStack, tmp_path: Path) -> list[str]:
    mail = SimpleNamespace(host="127.0.0.1", port=2525)
    hooks = SimpleNamespace(url="http://127.0.0.1:9999/hooks/kim")
    text = _summary(stack, mail, hooks, tmp_path / "stack.json")  # type: ignore[arg-type]
    return [line for line in text.splitlines() if line.strip()]


def test_the_console_address_comes_first_on_a_line_of_its_own(tmp_path: Path) -> None:
    stack = LocalStack(tmp_path)
    stack.services = {name: process(name, 9001 + n, tmp_path) for n, name in enumerate(SERVICES)}
    stack.console = process("console", 8123, tmp_path)
    lines = summary(stack, tmp_path)
    assert lines[0] == "open http://127.0.0.1:8123"
    # Then the rest: each service, and the staff login to sign in with.
    assert all(any(line.strip().startswith(name) for line in lines[1:]) for name in SERVICES)
    assert any(stack.admin.password in line for line in lines[1:])


def test_without_the_console_it_says_so_first(tmp_path: Path) -> None:
    stack = LocalStack(tmp_path)
    stack.services = {name: process(name, 9001 + n, tmp_path) for n, name in enumerate(SERVICES)}
    lines = summary(stack, tmp_path)
    assert "no web console" in lines[0] and not any(line.startswith("open ") for line in lines)


def test_the_demo_prints_the_judges_logins_it_made() -> None:
    from devstack.__main__ import judge_logins
    from devstack.demo import demo_password

    lines = judge_logins().splitlines()
    assert len(lines) == 4 and "/juri" not in lines[0]
    for number, line in enumerate(lines[1:], start=1):
        assert f"juri{number}@kim-malang.example / {demo_password(f'juri{number}')}" in line
    assert "Ayu Larasati" in lines[1]


def test_the_demo_prints_kim_pasreh_jayas_representatives_login() -> None:
    from devstack.__main__ import kim_logins
    from devstack.demo import demo_password

    lines = kim_logins().splitlines()
    assert len(lines) == 2 and "KIM Pasreh Jaya" in lines[1]
    assert f"kim01@kim-malang.example / {demo_password('kim01@kim-malang.example')}" in lines[1]


def test_the_demo_prints_per_person_how_many_messages_each_channel_carried() -> None:
    from devstack.demo import received_lines

    lines = received_lines(
        {
            "KIM Pasreh Jaya (kim_rep)": {"inbox": 7, "email": 7},
            "juri1 (judge)": {"inbox": 5},
            "Staf Diskominfo Kota Malang (staf)": {"inbox": 41, "email": 41, "webhook": 41},
        }
    )
    assert lines[1] == "Yang diterima tiap orang, per saluran:"
    assert lines[2].split() == ["penerima", "email", "inbox", "webhook"]
    assert lines[3].split()[-3:] == ["7", "7", "0"] and lines[3].startswith("  KIM Pasreh Jaya (kim_rep)")
    assert lines[4].split()[-3:] == ["41", "41", "41"]
    assert lines[5].split() == ["juri1", "(judge)", "0", "5", "0"]
    assert received_lines({}) == []


def test_the_demo_tells_what_each_number_received_on_whatsapp_with_its_receipts() -> None:
    from devstack.demo import whatsapp_summary

    def message(to: str, template: str, *statuses: str, answered: int = 200) -> dict[str, object]:
        callbacks = [{"status": status, "answered": answered} for status in statuses]
        return {"to": to, "template": template, "callbacks": callbacks}

    lines = whatsapp_summary(
        [
            message("+6281130002024", "entry_submitted", "sent", "delivered", "read"),
            message("+6281130002024", "entry_submitted", "sent", "delivered"),
            message("+6281130002024", "winner_announced", "sent", "delivered", "read"),
            message("+6281234567890", "kim_verified", "sent", "delivered", "read", answered=403),
        ],
        {"+6281130002024": "Kepala Seksi IKP"},
    )
    assert lines[1] == "Yang diterima lewat WhatsApp (gateway lokal, dengan tanda terima):"
    assert lines[2:5] == [
        "  Kepala Seksi IKP (+6281130002024): 3 pesan",
        "    entry_submitted ×2, winner_announced ×1",
        "    tanda terima: 3 terkirim, 3 sampai, 2 dibaca",
    ]
    # A callback the service refused is no receipt.
    assert lines[5:] == [
        "  +6281234567890: 1 pesan",
        "    kim_verified ×1",
        "    tanda terima: 0 terkirim, 0 sampai, 0 dibaca",
    ]


def test_the_demos_passwords_pass_the_password_policy() -> None:
    from devstack.demo import demo_password
    from shared.platform.passwords import check_new_password, refuse_email_in_password

    for email, who in [
        ("juri1@kim-malang.example", "juri1"),
        *[(f"kim{n:02}@kim-malang.example",) * 2 for n in range(1, 20)],
    ]:
        refuse_email_in_password(check_new_password(demo_password(who)), email)


def test_the_demo_finds_a_message_that_reached_the_wrong_kim() -> None:
    from devstack.demo import crossed_messages, kim_scoping_lines

    names = ["KIM Pasreh", "KIM Pasreh Jaya", "KIM Ganjur"]
    fine = {
        "KIM Pasreh Jaya": ["Pendaftaran KIM Pasreh Jaya diterima", "Hasil Lomba Video Pendek KIM 2024"],
        "KIM Ganjur": ["KIM Ganjur sudah diverifikasi"],
    }
    assert crossed_messages(fine, names) == []  # a KIM's own name may hold another's
    assert kim_scoping_lines(fine, names)[-1].startswith(
        "Tidak ada KIM yang menerima pesan KIM lain: 3 pesan"
    )
    wrong = {**fine, "KIM Ganjur": ["Pendaftaran KIM Pasreh Jaya disetujui"]}
    assert crossed_messages(wrong, names) == [
        "KIM Ganjur: Pendaftaran KIM Pasreh Jaya disetujui",
        "KIM Ganjur: Pendaftaran KIM Pasreh Jaya disetujui",  # it names both Pasreh and Pasreh Jaya
    ]
    assert "PERHATIAN" in kim_scoping_lines(wrong, names)[1]


def test_the_demo_says_every_tie_break_rule_judging_declares_in_indonesian() -> None:
    from judging.domain.options import TIE_BREAK_RULES

    from devstack.demo import tie_break_id

    declared = [
        "mean weighted total, higher first",
        "mean normalised total (per-judge z-score rescaled to 0-100), higher first",
        "mean score on 'tema' (Relevance to the theme), higher first",
        *TIE_BREAK_RULES.values(),
    ]
    said = [tie_break_id(rule) for rule in declared]
    english = ("higher", "mean", "first", "judges", "Relevance")
    assert not any(word in rule for rule in said for word in english), said
    assert said[2] == "rata-rata nilai kriteria 'tema', yang lebih tinggi di atas"
