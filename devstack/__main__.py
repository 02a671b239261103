"""python -m devstack up [--demo] | demo

`up` starts RabbitMQ, SecantusDB, a local SMTP server, a webhook receiver, a
local WhatsApp Cloud API gateway (which calls the status endpoint back), the
four services and the web console on free loopback ports, prints the
console's address first ("open http://127.0.0.1:PORT"), then where the rest
is, and runs until Ctrl-C. `demo` replays the 2024 Malang edition against a running stack.
"""

from __future__ import annotations

import argparse
import asyncio
import email
import email.policy
import json
import secrets
import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from .certificates import after_the_vote
from .certificates import summary as certificates_summary
from .demo import CERTIFICATES, DemoError, judge_login, kim_login, replay_2024, report, wait_for
from .demo_vote import codes_from_mail, codes_from_whatsapp, public_vote
from .demo_vote import report as vote_report
from .mail_sink import MailSink
from .malang_2024 import JUDGES, KIMS
from .rabbitmq import installed as rabbitmq_installed
from .stack import Credentials, LocalStack, log_in
from .webhook_sink import WebhookSink
from .whatsapp_gateway import WhatsAppGateway

WORKDIR = Path(".run/stack")
STAFF_EMAIL = "staf@diskominfo.malangkota.example"


def up(workdir: Path, then_demo: bool) -> int:
    if not rabbitmq_installed():
        print("rabbitmq-server is not installed: run scripts/setup first.", file=sys.stderr)
        return 1
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    mail = MailSink(maildir=workdir / "mail")
    secret = secrets.token_hex(16)
    hooks = WebhookSink(secret=secret, logdir=workdir / "webhooks")
    whatsapp = WhatsAppGateway(app_secret=secrets.token_hex(16), logdir=workdir / "whatsapp")
    stack = LocalStack(workdir, supervise=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        mail.start()
        hooks.start()
        whatsapp.start()
        stack.service_env = {
            "notifications": {
                "NOTIFICATIONS_SMTP_HOST": mail.host,
                "NOTIFICATIONS_SMTP_PORT": str(mail.port),
                "NOTIFICATIONS_CONSOLE_URL": f"http://127.0.0.1:{stack.console_port}",
                **whatsapp.settings(),
            },
            # Registration confirmations and password resets.
            "registry": {"REGISTRY_SMTP_HOST": mail.host, "REGISTRY_SMTP_PORT": str(mail.port)},
        }
        print("Starting RabbitMQ, SecantusDB, the five services and the console ...", flush=True)
        stack.start()
        # The gateway calls back the status endpoint, now that it has an address.
        whatsapp.callback_url = f"{stack.services['notifications'].url}/whatsapp/status"
        description = stack.write_description(
            {
                "mail": {"smtp": f"{mail.host}:{mail.port}", "maildir": str(workdir / "mail")},
                "webhook": {"url": hooks.url, "secret": secret, "logdir": str(workdir / "webhooks")},
                "whatsapp": {"url": whatsapp.base_url, "logdir": str(workdir / "whatsapp")},
            }
        )
        print(_summary(stack, mail, hooks, description), flush=True)
        if then_demo and demo(workdir) == 0 and stack.console_url:
            print(f"\nThe 2024 edition is announced: open {stack.console_url} and sign in as staff.")
        print("\nRunning. Ctrl-C stops everything.", flush=True)
        stop.wait()
    finally:
        print("Stopping ...", flush=True)
        stack.stop()
        whatsapp.stop()
        hooks.stop()
        mail.stop()
    return 0


def _summary(stack: LocalStack, mail: MailSink, hooks: WebhookSink, description: Path) -> str:
    lines = [""]
    if stack.console_url:
        lines += [f"open {stack.console_url}", ""]
    else:
        lines += ["(no web console: its package, services/console, is not installed)", ""]
    lines.append("KIM Contest is running:")
    for name, url in stack.urls().items():
        lines.append(f"  {name:<14} {url}   (API docs {url}/docs, events {url}/asyncapi)")
    lines += [
        f"  {'rabbitmq':<14} {stack.rabbitmq.url if stack.rabbitmq else ''}",
        f"  {'mongodb':<14} {stack.mongodb.url if stack.mongodb else ''}",
        f"  {'smtp (sink)':<14} {mail.host}:{mail.port}, mail saved in {description.parent / 'mail'}",
        f"  {'webhook (sink)':<14} {hooks.url}, requests saved in {description.parent / 'webhooks'}",
        f"  {'whatsapp (fake)':<14} Cloud API gateway, messages saved in {description.parent / 'whatsapp'}",
        f"  logs in {description.parent / 'logs'}; all of this in {description}",
        f"  {'staff login':<14} {stack.admin.email} / {stack.admin.password}"
        f"   (the console's sign-in page, or POST {stack.urls()['registry']}/auth/login)",
        "",
        "Replay the 2024 Malang edition: scripts/demo",
    ]
    return "\n".join(lines)


def judge_logins() -> str:
    """The 2024 judges' logins, to see their desk (/juri) with the 19 films and their sheets."""
    lines = ["The 2024 judges sign in at the same page, each to their desk with the 19 films:"]
    for number, (name, _) in enumerate(JUDGES, start=1):
        login = judge_login(number)
        lines.append(f"  {name:<14} {login.email} / {login.password}")
    return "\n".join(lines)


def kim_logins() -> str:
    """A KIM representative's login: its portal (/kim) with its entry and its 1st place."""
    login = kim_login(1)
    return "\n".join(
        [
            "A KIM's representative signs in at the same page, to the KIM portal:",
            f"  {KIMS[0].name:<14} {login.email} / {login.password}",
        ]
    )


def demo(workdir: Path) -> int:
    description_path = workdir / "stack.json"
    if not description_path.exists():
        print(
            f"No running stack described at {description_path}: start one with scripts/run.", file=sys.stderr
        )
        return 1
    description = json.loads(description_path.read_text())
    try:
        outcome = asyncio.run(
            replay_2024(
                description["services"],
                admin=Credentials(**description["staff_login"]),
                staff_email=STAFF_EMAIL,
                webhook_url=description["webhook"]["url"],
                webhook_secret=description["webhook"]["secret"],
                whatsapp="whatsapp" in description,
                console_url=description.get("console"),
            )
        )
    except DemoError as error:
        print(f"demo failed: {error}", file=sys.stderr)
        return 1
    maildir = Path(description["mail"]["maildir"])
    hookdir = Path(description["webhook"]["logdir"])
    expected = len(outcome.inbox["items"])
    asyncio.run(wait_for(lambda: len(list(maildir.glob("*.eml"))), expected))
    asyncio.run(wait_for(lambda: len(list(hookdir.glob("*.json"))), expected))
    whatsapp: list[dict[str, Any]] = []
    if "whatsapp" in description:
        chatdir = Path(description["whatsapp"]["logdir"])
        wanted = expected * len(outcome.whatsapp)
        # Each message, and its three status callbacks (sent, delivered, read).
        asyncio.run(wait_for(lambda: _receipts(chatdir), wanted * 3))
        whatsapp = _whatsapp(chatdir)
    print(report(outcome, mail=_mail(maildir), webhooks=_webhooks(hookdir), whatsapp=whatsapp))
    if "voting" in description["services"] and vote(description, outcome.edition_id) != 0:
        return 1
    print(judge_logins())
    print(kim_logins())
    return 0


def vote(description: dict[str, Any], edition_id: str) -> int:
    """The 2024 edition's public vote (Juara Favorit), codes read where they were sent."""
    if "whatsapp" in description:
        read_code = codes_from_whatsapp(Path(description["whatsapp"]["logdir"]))
    else:
        read_code = codes_from_mail(Path(description["mail"]["maildir"]))
    services = description["services"]
    try:
        staff = log_in(services["registry"], Credentials(**description["staff_login"]))
        outcome = asyncio.run(public_vote(services, edition_id, staff=staff, read_code=read_code))
    except DemoError as error:
        print(f"demo vote failed: {error}", file=sys.stderr)
        return 1
    print(vote_report(outcome))
    written = asyncio.run(
        after_the_vote(
            services["judging"],
            edition_id,
            staff=staff,
            directory=CERTIFICATES,
            public_url=description.get("console"),
        )
    )
    print(certificates_summary(written, CERTIFICATES))
    return 0


def _mail(maildir: Path) -> list[tuple[str, str]]:
    messages = []
    for path in sorted(maildir.glob("*.eml"), key=lambda p: int(p.stem)):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        messages.append((str(message["To"]), str(message["Subject"])))
    return messages


def _whatsapp(chatdir: Path) -> list[dict[str, Any]]:
    return [
        json.loads(path.read_text()) for path in sorted(chatdir.glob("*.json"), key=lambda p: int(p.stem))
    ]


def _receipts(chatdir: Path) -> int:
    """How many status callbacks the gateway has made so far."""
    try:
        return sum(len(message["callbacks"]) for message in _whatsapp(chatdir))
    except ValueError:  # a file being written
        return 0


def _webhooks(hookdir: Path) -> list[bool | None]:
    return [
        json.loads(path.read_text()).get("signature_valid")
        for path in sorted(hookdir.glob("*.json"), key=lambda p: int(p.stem))
    ]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("up", help="start everything and run until Ctrl-C")
    start.add_argument("--demo", action="store_true", help="replay the 2024 edition once everything is up")
    start.add_argument("--workdir", type=Path, default=WORKDIR)
    replay = commands.add_parser("demo", help="replay the 2024 Malang edition against a running stack")
    replay.add_argument("--workdir", type=Path, default=WORKDIR)
    args = parser.parse_args()
    if args.command == "up":
        return up(args.workdir, args.demo)
    return demo(args.workdir)


if __name__ == "__main__":
    sys.exit(main())
