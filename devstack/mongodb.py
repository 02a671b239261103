"""SecantusDB: a single-node server speaking the MongoDB wire protocol, from PyPI.

Transactions left open by a process that died (SIGKILL between a transaction's
first write and its commit) hold their documents until the server aborts them:
after `transaction_lifetime_seconds` of idling. mongod's default is 60 s
(`transactionLifetimeLimitSeconds`); a unit of work's transaction lasts a few
round trips, never an await on anything but the database, so this stack uses 3 s:
a surviving replica or a restarted process waits seconds, not a minute, for a dead
process's documents. SecantusDB's command line has no option for it, so the
server is started with it set (`_LAUNCH`); on MongoDB it is
`setParameter: {transactionLifetimeLimitSeconds: 3}` (see deploy/README.md).

Clients connect with `retryWrites=false`. SecantusDB keeps every retryable
write's reply for 30 minutes and, on each write, scans them all, then sorts them
all once there are more than 10,000: past that, a write costs milliseconds more
(most of the server's time in the benchmark's votes; 26 votes a second against
568 inserts a second at its start). Nothing here needs the driver's one retry:
every write is idempotent by its own keys (unique indexes, the inbox, the
outbox), and a write that failed is tried again by the caller (a consumer's
redelivery, a client's request with the same Idempotency-Key).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from .processes import ManagedProcess, free_port, wait_until

#: `python -m secantus`, with the transaction lifetime its command line does not offer.
_LAUNCH = (
    "import functools, sys\n"
    "import secantus.cli as cli\n"
    "lifetime = float(sys.argv[1])\n"
    "cli.SecantusDBServer = functools.partial(cli.SecantusDBServer, transaction_lifetime_seconds=lifetime)\n"
    "sys.exit(cli.main(sys.argv[2:]))\n"
)
#: Seconds an abandoned transaction holds its documents (mongod: 60).
TRANSACTION_LIFETIME_SECONDS = 3.0


class SecantusServer:
    def __init__(
        self,
        workdir: Path,
        port: int | None = None,
        transaction_lifetime_seconds: float = TRANSACTION_LIFETIME_SECONDS,
    ) -> None:
        self.workdir = workdir
        self.port = port or free_port()
        self.transaction_lifetime_seconds = transaction_lifetime_seconds
        self._process: ManagedProcess | None = None

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true&retryWrites=false"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self, timeout: float = 60.0) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._process = ManagedProcess(
            "secantusdb",
            [
                sys.executable,
                "-c",
                _LAUNCH,
                str(self.transaction_lifetime_seconds),
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
