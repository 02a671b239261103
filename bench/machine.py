"""What the benchmark ran on, for the record beside its figures."""

from __future__ import annotations

import asyncio
import os
import platform
from importlib.metadata import version
from pathlib import Path
from typing import Any

import aio_pika
from pymongo import MongoClient


def _first(path: str, key: str) -> str:
    for line in Path(path).read_text().splitlines():
        name, _, value = line.partition(":" if ":" in line else "=")
        if name.strip() == key:
            return value.strip().strip('"')
    return "?"


async def _rabbitmq_version(amqp_url: str) -> str:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        properties = connection.transport.connection.server_properties  # type: ignore[union-attr]
        return str(properties.get("version", "?"))


def describe(amqp_url: str, mongodb_url: str) -> dict[str, Any]:
    client: MongoClient[dict[str, Any]]
    with MongoClient(mongodb_url, serverSelectionTimeoutMS=2000) as client:
        server = client.admin.command("buildInfo").get("version", "?")
    memory_kb = int(_first("/proc/meminfo", "MemTotal").split()[0])
    return {
        "cpu": _first("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": _first("/etc/os-release", "PRETTY_NAME"),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "rabbitmq": asyncio.run(_rabbitmq_version(amqp_url)),
        "secantusdb": version("secantusdb"),
        "secantusdb_reports_mongodb": server,
    }
