"""SecantusDB: a single-node server speaking the MongoDB wire protocol, from PyPI."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from .processes import ManagedProcess, free_port, wait_until


class SecantusServer:
    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.workdir = workdir
        self.port = port or free_port()
        self._process: ManagedProcess | None = None

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self, timeout: float = 60.0) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._process = ManagedProcess(
            "secantusdb",
            [
                sys.executable,
                "-m",
                "secantus",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--storage-path",
                str(self.workdir / "data"),
                "--log-level",
                "WARNING",
            ],
            log_path=self.workdir / "secantusdb.log",
        )
        self._process.start()
        try:
            wait_until(self._ready, timeout=timeout, what="SecantusDB")
        except BaseException:
            self.stop()
            raise

    def _ready(self) -> bool:
        assert self._process is not None
        if not self._process.running():
            raise RuntimeError(f"SecantusDB exited:\n{self._process.tail()}")
        try:
            client: MongoClient[dict[str, Any]]
            with MongoClient(self.url, serverSelectionTimeoutMS=500) as client:
                client.admin.command("ping")
            return True
        except PyMongoError:
            return False

    def kill(self) -> None:
        if self._process is not None:
            self._process.kill()

    def start_again(self, timeout: float = 60.0) -> None:
        assert self._process is not None
        self._process.start()
        wait_until(self._ready, timeout=timeout, what="SecantusDB")

    def stop(self) -> None:
        if self._process is not None:
            self._process.stop()
