"""Child processes this code starts, and stops by their own pid (process group)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise TimeoutError(f"{what} not ready after {timeout:.0f}s")


class ManagedProcess:
    """One child process in its own process group, with its output in a log file."""

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        *,
        log_path: Path,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.command = list(command)
        self.log_path = log_path
        self.env = dict(env) if env is not None else None
        self.cwd = cwd
        self._process: subprocess.Popen[bytes] | None = None
        #: Set by `stop` and `kill`: the next exit is wanted, not a crash to restart.
        self.stopped_on_purpose = False

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> None:
        self.stopped_on_purpose = False
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            self.command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=self.env,
            cwd=self.cwd,
            start_new_session=True,  # its own group: stopping it stops its children too
        )
        log.close()

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def exit_code(self) -> int | None:
        return None if self._process is None else self._process.poll()

    def signal(self, sig: signal.Signals) -> None:
        if self.running():
            assert self._process is not None
            os.killpg(self._process.pid, sig)

    def stop(self, timeout: float = 15.0) -> int | None:
        """SIGTERM the group, wait, then SIGKILL what is left. Returns the exit code."""
        self.stopped_on_purpose = True
        if self._process is None:
            return None
        if self.running():
            self.signal(signal.SIGTERM)
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._reap_group()
        return self._process.returncode

    def kill(self) -> None:
        """SIGKILL the whole group: a crash, as a fault test wants it (not restarted)."""
        self.stopped_on_purpose = True
        if self._process is None:
            return
        self._reap_group()
        self._process.wait()

    def _reap_group(self) -> None:
        # Children may outlive the leader (e.g. Erlang's helpers); end them too.
        assert self._process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""


class Supervisor:
    """Starts again a child that exits when nobody stopped it (a crash), after a
    backoff that doubles from `first_backoff` up to `max_backoff`; after `limit`
    restarts of one child within `window` seconds it gives up on that child.
    Each restart and the giving up is said through `say` (Indonesian, as the
    local stack prints it). A thread of its own polls every `poll` seconds.
    """

    def __init__(
        self,
        *,
        limit: int = 5,
        window: float = 600.0,
        first_backoff: float = 2.0,
        max_backoff: float = 30.0,
        poll: float = 0.5,
        say: Callable[[str], None] = print,
    ) -> None:
        self.limit = limit
        self.window = window
        self.first_backoff = first_backoff
        self.max_backoff = max_backoff
        self.poll = poll
        self.say = say
        self._watched: dict[str, ManagedProcess] = {}
        self._restarts: dict[str, deque[float]] = {}
        self._due: dict[str, float] = {}
        self._given_up: set[str] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, process: ManagedProcess) -> None:
        with self._lock:
            self._watched[process.name] = process
            self._restarts.setdefault(process.name, deque())
            self._given_up.discard(process.name)

    def restarts(self, name: str) -> int:
        """How many times `name` was started again (within the window)."""
        with self._lock:
            return len(self._restarts.get(name, ()))

    def gave_up(self, name: str) -> bool:
        with self._lock:
            return name in self._given_up

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="devstack-supervisor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stopping.wait(self.poll):
            with self._lock:
                for name, process in list(self._watched.items()):
                    self._check(name, process, time.monotonic())

    def _check(self, name: str, process: ManagedProcess, now: float) -> None:
        if name in self._given_up or process.stopped_on_purpose or process.pid is None:
            self._due.pop(name, None)
            return
        if name in self._due:
            if now >= self._due[name]:
                del self._due[name]
                self._restarts[name].append(now)
                process.start()
            return
        if process.running():
            return
        code = process.exit_code()
        recent = self._restarts[name]
        while recent and now - recent[0] > self.window:
            recent.popleft()
        if len(recent) >= self.limit:
            self._given_up.add(name)
            self.say(
                f"{name} berhenti tak terduga (kode {code}) {self.limit} kali dalam "
                f"{self.window / 60:g} menit; menyerah, tidak dijalankan ulang lagi"
            )
            return
        backoff = min(self.first_backoff * 2 ** len(recent), self.max_backoff)
        self._due[name] = now + backoff
        self.say(f"{name} berhenti tak terduga (kode {code}); dijalankan ulang dalam {backoff:g} s")
