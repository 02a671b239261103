"""Resident memory of the service processes, from /proc (Linux).

VmHWM is the peak resident set since the process started, so reading it once
after a stretch of time gives that stretch's peak without sampling.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


def status_mb(pid: int) -> dict[str, float]:
    """The process's current (VmRSS) and peak (VmHWM) resident memory, in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = round(int(value.split()[0]) / 1024, 1)  # kB
    return found


def peaks(pids: Mapping[str, int]) -> dict[str, float]:
    """Each service's peak resident memory so far, in MB."""
    return {name: status_mb(pid)["VmHWM"] for name, pid in pids.items()}
