"""The local stack's supervisor starts a crashed child again, with backoff and a limit."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from devstack.processes import ManagedProcess, Supervisor


def sleeper(tmp_path: Path, name: str = "registry") -> ManagedProcess:
    return ManagedProcess(
        name, [sys.executable, "-c", "import time; time.sleep(60)"], log_path=tmp_path / f"{name}.log"
    )


def until(check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("not within the time allowed")


def test_a_killed_child_is_started_again_and_it_is_said(tmp_path: Path) -> None:
    said: list[str] = []
    child = sleeper(tmp_path)
    supervisor = Supervisor(first_backoff=0.2, poll=0.05, say=said.append)
    child.start()
    supervisor.watch(child)
    supervisor.start()
    try:
        first = child.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        until(lambda: child.running() and child.pid != first)
        assert said == ["registry berhenti tak terduga (kode -9); dijalankan ulang dalam 0.2 s"]
        assert supervisor.restarts("registry") == 1
    finally:
        supervisor.stop()
        child.stop()


def test_the_backoff_doubles_and_after_the_limit_it_gives_up(tmp_path: Path) -> None:
    said: list[str] = []
    child = sleeper(tmp_path, "judging")
    supervisor = Supervisor(limit=2, window=60, first_backoff=0.1, poll=0.05, say=said.append)
    child.start()
    supervisor.watch(child)
    supervisor.start()
    try:
        for restarts in (1, 2):
            pid = child.pid
            assert pid is not None
            os.kill(pid, signal.SIGKILL)
            until(lambda pid=pid: child.running() and child.pid != pid)  # type: ignore[misc]
            assert supervisor.restarts("judging") == restarts
        pid = child.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        until(lambda: supervisor.gave_up("judging"))
        time.sleep(0.3)
        assert not child.running()
        assert said == [
            "judging berhenti tak terduga (kode -9); dijalankan ulang dalam 0.1 s",
            "judging berhenti tak terduga (kode -9); dijalankan ulang dalam 0.2 s",
            "judging berhenti tak terduga (kode -9) 2 kali dalam 1 menit; "
            "menyerah, tidak dijalankan ulang lagi",
        ]
    finally:
        supervisor.stop()
        child.stop()


def test_a_child_stopped_on_purpose_is_left_stopped(tmp_path: Path) -> None:
    said: list[str] = []
    child = sleeper(tmp_path)
    supervisor = Supervisor(first_backoff=0.1, poll=0.05, say=said.append)
    child.start()
    supervisor.watch(child)
    supervisor.start()
    try:
        child.stop()
        time.sleep(0.5)
        assert not child.running()
        assert said == []
    finally:
        supervisor.stop()
        child.stop()
