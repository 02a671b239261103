"""The whole system on one machine: RabbitMQ, SecantusDB, the five services and
the web console as uvicorn processes on free loopback ports."""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from .mongodb import SecantusServer
from .processes import ManagedProcess, Supervisor, free_port, wait_until
from .rabbitmq import RabbitMQServer

SERVICES = ("registry", "submissions", "judging", "notifications", "voting")
#: The web console: a client of the five services' HTTP APIs, started after them.
CONSOLE = "console"

#: What a stack on one machine needs that production refuses: webhooks to the
#: local webhook sink on 127.0.0.1.
LOCAL_ONLY = {"notifications": {"NOTIFICATIONS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true"}}


@dataclass
class ServiceProcess:
    name: str
    port: int
    process: ManagedProcess

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ready(self) -> bool:
        """/ready answers 200 (the console's: the four services it needs answer)."""
        if not self.process.running():
            raise RuntimeError(f"{self.name} exited:\n{self.process.tail()}")
        try:
            return httpx.get(f"{self.url}/ready", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False


@dataclass(frozen=True)
class Credentials:
    email: str
    password: str


@dataclass
class LocalStack:
    """The five services, and the broker and database if not given, on free loopback
    ports, then the console (when its package is installed). The stack makes its own
    token secret, console session secret and first staff account (`admin`)."""

    workdir: Path
    #: Extra environment per service, e.g. {"notifications": {"NOTIFICATIONS_SMTP_PORT": "2525"}};
    #: "console" for the console's.
    service_env: dict[str, dict[str, str]] = field(default_factory=dict)
    rabbitmq: RabbitMQServer | None = None
    mongodb: SecantusServer | None = None
    #: Appended to each service's database name, so stacks can share one server.
    database_suffix: str = ""
    services: dict[str, ServiceProcess] = field(default_factory=dict)
    #: More processes of a service than the one in `services` (`start_replica`).
    replicas: list[ServiceProcess] = field(default_factory=list)
    #: Start the console too, if its package is there (False: the five services only).
    with_console: bool = True
    console: ServiceProcess | None = None
    token_secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    token_lifetime_minutes: int = 15
    console_session_secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    admin: Credentials = field(
        default_factory=lambda: Credentials("admin@kim-contest.example", secrets.token_urlsafe(12))
    )
    #: Start a service or the console again when it exits unexpectedly (see
    #: `processes.Supervisor`: at most 5 times in 10 minutes, with backoff); off in
    #: tests that crash services on purpose and restart them themselves.
    supervise: bool = False
    supervisor: Supervisor | None = None
    _own_servers: list[RabbitMQServer | SecantusServer] = field(default_factory=list)
    #: Chosen before the services start: the registry's mails and WhatsApp messages link to the console.
    console_port: int = field(default_factory=free_port)

    def start(self) -> None:
        """Start what was not given (broker, database), then the services; wait until all
        are ready. If anything fails to start, stop everything started, then raise."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with ThreadPoolExecutor() as pool:
            pending = []
            if self.rabbitmq is None:
                self.rabbitmq = RabbitMQServer(self.workdir / "rabbitmq")
                self._own_servers.append(self.rabbitmq)
                pending.append(pool.submit(self.rabbitmq.start))
            if self.mongodb is None:
                self.mongodb = SecantusServer(self.workdir / "secantusdb")
                self._own_servers.append(self.mongodb)
                pending.append(pool.submit(self.mongodb.start))
            for future in pending:
                future.result()
        for name in SERVICES:
            self.services[name] = self._service(name)
            self.services[name].process.start()
        for service in self.services.values():
            wait_until(service.ready, timeout=90, what=service.name)
        if self.with_console and console_installed():
            # After the four: its /ready asks theirs.
            self.console = self._console()
            self.console.process.start()
            wait_until(self.console.ready, timeout=60, what=CONSOLE)
        if self.supervise:
            self.supervisor = Supervisor(say=self._say)
            for service in (*self.services.values(), *([self.console] if self.console else [])):
                self.supervisor.watch(service.process)
            self.supervisor.start()

    def _say(self, line: str) -> None:
        """What the supervisor has to say: printed, and kept in logs/supervisor.log."""
        print(line, flush=True)
        with (self.workdir / "logs" / "supervisor.log").open("a") as log:
            log.write(line + "\n")

    def _service(self, name: str, port: int | None = None) -> ServiceProcess:
        assert self.rabbitmq is not None and self.mongodb is not None
        port = port or free_port()
        prefix = name.upper() + "_"
        env = {
            **os.environ,
            # Its own broker user, with the permissions compose gives it: it may not
            # declare, so it looks up the topology the broker's definitions made.
            f"{prefix}AMQP_URL": self.rabbitmq.url_for(name),
            f"{prefix}DECLARE_TOPOLOGY": "false",
            f"{prefix}MONGODB_URL": self.mongodb.url,
            f"{prefix}MONGODB_DATABASE": name + self.database_suffix,
            f"{prefix}HOST": "127.0.0.1",
            f"{prefix}PORT": str(port),
            f"{prefix}AUTH_TOKEN_SECRET": self.token_secret,
            **LOCAL_ONLY.get(name, {}),
            **(
                {
                    "REGISTRY_FIRST_ADMIN_EMAIL": self.admin.email,
                    "REGISTRY_FIRST_ADMIN_PASSWORD": self.admin.password,
                    "REGISTRY_TOKEN_LIFETIME_MINUTES": str(self.token_lifetime_minutes),
                    "REGISTRY_CONSOLE_URL": f"http://127.0.0.1:{self.console_port}",
                    # The console, on this machine, passes each visitor's address on.
                    "REGISTRY_TRUSTED_PROXIES": "127.0.0.1",
                }
                if name == "registry"
                else {}
            ),
            # The console passes each voter's address on: throttles and flags count it.
            **({"VOTING_TRUSTED_PROXIES": "127.0.0.1"} if name == "voting" else {}),
            **self.service_env.get(name, {}),
        }
        return self._uvicorn(name, port, env)

    def _console(self) -> ServiceProcess:
        assert self.rabbitmq is not None
        port = self.console_port
        env = {
            **os.environ,
            "CONSOLE_ENVIRONMENT": "development",
            "CONSOLE_HOST": "127.0.0.1",
            "CONSOLE_PORT": str(port),
            **{f"CONSOLE_{name.upper()}_URL": service.url for name, service in self.services.items()},
            "CONSOLE_AMQP_URL": self.rabbitmq.url_for(CONSOLE),
            "CONSOLE_SESSION_SECRET": self.console_session_secret,
            "CONSOLE_PUBLIC_URL": f"http://127.0.0.1:{port}",
            **self.service_env.get(CONSOLE, {}),
        }
        return self._uvicorn(CONSOLE, port, env)

    def _uvicorn(self, name: str, port: int, env: dict[str, str]) -> ServiceProcess:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            f"{name}.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--timeout-graceful-shutdown",
            "10",
            # Forwarding headers are believed only from the proxies a service is
            # configured to trust (<PREFIX>TRUSTED_PROXIES), by the service itself.
            "--no-proxy-headers",
        ]
        process = ManagedProcess(name, command, log_path=self.workdir / "logs" / f"{name}.log", env=env)
        return ServiceProcess(name, port, process)

    def start_replica(self, name: str) -> ServiceProcess:
        """Start one more process of service `name` on its own port, on the same broker
        and database (`replicas`; stopped with the stack or by `stop_replicas`)."""
        replica = self._service(name)
        self.replicas.append(replica)
        replica.process.start()
        wait_until(replica.ready, timeout=90, what=f"{name} replica")
        return replica

    def stop_replicas(self) -> None:
        while self.replicas:
            self.replicas.pop().process.stop()

    def restart(self, name: str) -> None:
        """Start a stopped or killed service again on the same port."""
        service = self.services[name]
        service.process.start()
        wait_until(service.ready, timeout=90, what=name)

    def urls(self) -> dict[str, str]:
        """The five services' URLs (the console's is `console_url`)."""
        return {name: service.url for name, service in self.services.items()}

    @property
    def console_url(self) -> str | None:
        return self.console.url if self.console else None

    def describe(self) -> dict[str, object]:
        assert self.rabbitmq is not None and self.mongodb is not None
        return {
            "console": self.console_url,
            "services": self.urls(),
            "rabbitmq": self.rabbitmq.url,
            "mongodb": self.mongodb.url,
            "logs": str(self.workdir / "logs"),
            "staff_login": {"email": self.admin.email, "password": self.admin.password},
        }

    def write_description(self, extra: dict[str, object]) -> Path:
        path = self.workdir / "stack.json"
        path.write_text(json.dumps({**self.describe(), **extra}, indent=2))
        return path

    def staff_headers(self) -> dict[str, str]:
        """Log in as the stack's first staff account: its Authorization header."""
        return log_in(self.services["registry"].url, self.admin)

    def stop(self) -> None:
        if self.supervisor is not None:
            self.supervisor.stop()
        if self.console is not None:
            self.console.process.stop()
        self.stop_replicas()
        for service in self.services.values():
            service.process.stop()
        for server in reversed(self._own_servers):
            server.stop()


def console_installed() -> bool:
    """Whether the console package is importable; without it a stack is the five services."""
    return importlib.util.find_spec(CONSOLE) is not None


def log_in(registry_url: str, who: Credentials) -> dict[str, str]:
    """POST /auth/login: the Authorization header of a bearer token."""
    response = httpx.post(
        f"{registry_url}/auth/login", json={"email": who.email, "password": who.password}, timeout=30
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
