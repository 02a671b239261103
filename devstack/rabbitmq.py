"""A real RabbitMQ (Debian's rabbitmq-server) on free loopback ports, in a directory of its own."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
from pathlib import Path

from .processes import ManagedProcess, free_port, wait_until

RABBITMQ_SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")
EPMD_CANDIDATES = sorted(Path("/usr/lib/erlang").glob("erts-*/bin/epmd")) + [Path("/usr/bin/epmd")]
#: The broker's definitions as compose deploys them: users, permissions, topology.
DEFINITIONS_TEMPLATE = (
    Path(__file__).resolve().parents[1] / "deploy" / "rabbitmq" / "definitions.template.json"
)
#: As deploy/rabbitmq/rabbitmq.conf sets it: a larger message is refused by the broker.
MAX_MESSAGE_SIZE = 1024 * 1024
#: The administrator: RabbitMQ's guest, which may only connect from loopback.
ADMIN = ("guest", "guest")


def render_definitions(passwords: dict[str, str]) -> str:
    """definitions.template.json with the administrator and each user's password
    filled in (as deploy/rabbitmq/render-definitions.sh does in compose)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "RABBITMQ_ADMIN_USER":
            return ADMIN[0]
        if name == "RABBITMQ_ADMIN_PASSWORD":
            return ADMIN[1]
        user = name.removeprefix("RABBITMQ_").removesuffix("_PASSWORD").lower()
        return passwords[user]

    return re.sub(r"\{\{([A-Z0-9_]+)\}\}", value, DEFINITIONS_TEMPLATE.read_text())


def installed() -> bool:
    return RABBITMQ_SERVER.exists()


def _amqp_answers(port: int) -> bool:
    """True once the broker answers the AMQP 0-9-1 protocol header with Connection.Start."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"AMQP\x00\x00\x09\x01")
            conn.settimeout(2)
            return conn.recv(7)[:1] == b"\x01"  # a method frame
    except OSError:
        return False


class RabbitMQServer:
    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.workdir = workdir
        self.port = port or free_port()
        self.dist_port = free_port()
        self.epmd_port = free_port()
        self.node = f"kim{self.port}@localhost"
        self._epmd: ManagedProcess | None = None
        self._server: ManagedProcess | None = None
        #: Each service's (and the console's) broker user: its password, made per server.
        self.passwords = {
            user: secrets.token_hex(12)
            for user in ("registry", "submissions", "judging", "notifications", "voting", "console")
        }

    @property
    def url(self) -> str:
        """The administrator's URL (everything allowed): for tests and tools, not services."""
        return f"amqp://{ADMIN[0]}:{ADMIN[1]}@127.0.0.1:{self.port}/"

    def url_for(self, user: str) -> str:
        """The URL of a service's own broker user, with exactly the permissions
        deploy/rabbitmq/definitions.template.json gives it."""
        return f"amqp://{user}:{self.passwords[user]}@127.0.0.1:{self.port}/"

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in (self._epmd, self._server) if p is not None and p.pid is not None]

    def _env(self) -> dict[str, str]:
        home = self.workdir
        return {
            **os.environ,
            "HOME": str(home),  # the Erlang cookie lives here, not in the user's home
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "ERL_EPMD_PORT": str(self.epmd_port),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "RABBITMQ_MNESIA_BASE": str(home / "mnesia"),
            "RABBITMQ_LOG_BASE": str(home / "log"),
            "RABBITMQ_CONFIG_FILE": str(home / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(home / "enabled_plugins"),
            "RABBITMQ_CONF_ENV_FILE": str(home / "rabbitmq-env.conf"),
            "RABBITMQ_PID_FILE": str(home / "rabbitmq.pid"),
            "RABBITMQ_LOGS": "-",
        }

    def start(self, timeout: float = 90.0) -> None:
        if not installed():
            raise RuntimeError(
                "rabbitmq-server is not installed; run scripts/setup (it installs it with apt-get)"
            )
        self.workdir.mkdir(parents=True, exist_ok=True)
        definitions = self.workdir / "definitions.json"
        definitions.write_text(render_definitions(self.passwords))
        definitions.chmod(0o600)
        (self.workdir / "rabbitmq.conf").write_text(
            f"listeners.tcp.1 = 127.0.0.1:{self.port}\n"
            "log.console = true\nlog.console.level = warning\nlog.file = false\n"
            # The users, permissions and topology compose's broker has, at every boot.
            f"definitions.import_backend = local_filesystem\ndefinitions.local.path = {definitions}\n"
            f"max_message_size = {MAX_MESSAGE_SIZE}\n"
        )
        (self.workdir / "enabled_plugins").write_text("[].\n")
        (self.workdir / "rabbitmq-env.conf").write_text("")
        env = self._env()
        # Our own epmd, in the foreground, so it is ours to stop.
        epmd = next(p for p in EPMD_CANDIDATES if p.exists())
        self._epmd = ManagedProcess(
            "epmd",
            [str(epmd), "-port", str(self.epmd_port), "-address", "127.0.0.1"],
            log_path=self.workdir / "epmd.log",
            env=env,
        )
        self._epmd.start()
        self._server = ManagedProcess(
            "rabbitmq", [str(RABBITMQ_SERVER)], log_path=self.workdir / "rabbitmq.log", env=env
        )
        self._server.start()
        try:
            wait_until(self._ready, timeout=timeout, what="RabbitMQ")
        except BaseException as error:
            tail = self._server.tail()
            self.stop()
            raise RuntimeError(f"RabbitMQ did not start:\n{tail}") from error

    def _ready(self) -> bool:
        if self._server is None or not self._server.running():
            raise RuntimeError(f"RabbitMQ exited:\n{self._server.tail() if self._server else ''}")
        return _amqp_answers(self.port)

    def kill(self) -> None:
        """SIGKILL the broker (not epmd): a crash. `start_again` brings it back with its data."""
        if self._server is not None:
            self._server.kill()

    def start_again(self, timeout: float = 90.0) -> None:
        assert self._server is not None
        self._server.start()
        wait_until(self._ready, timeout=timeout, what="RabbitMQ")

    def stop(self) -> None:
        for process in (self._server, self._epmd):
            if process is not None:
                process.stop(timeout=30)

    def remove_data(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)
