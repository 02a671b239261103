"""The `docker compose` deployment, checked without a Docker engine.

No engine runs here or in CI, so these tests read docker-compose.yml,
.env.example, deploy/Dockerfile and .dockerignore as files: the Compose
Specification, healthchecks and start order, variables and secrets, and that
each service's environment is what its `Settings` class reads.

Least privilege: each service has its own RabbitMQ and MongoDB user, allowed
what the service does (read from its wiring and shared/platform/messaging/topology.py)
and no more. The broker definitions are checked as generated from the code,
the scripts that fill in their passwords and make the MongoDB users are run
(bash; Node.js with a stand-in database), and a real RabbitMQ (the Debian
package, when installed) imports them at boot to show each service can work
and is refused the rest.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import subprocess
import tomllib
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from fnmatch import fnmatchcase
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import aio_pika
import jsonschema
import pytest
import yaml
from pydantic import ValidationError

from devstack.rabbitmq import MAX_MESSAGE_SIZE, RabbitMQServer
from devstack.rabbitmq import installed as rabbitmq_installed
from shared.contracts import CATALOG, MessageDeadLettered
from shared.platform.config import PLACEHOLDER_SECRETS, ServiceSettings
from shared.platform.messaging.broker import LookUpOnly, make_broker
from shared.platform.messaging.outbox import OutboxRecord
from shared.platform.messaging.topology import (
    CONSUMER_QUEUES,
    DEAD_LETTERS,
    DELIVERY_LIMIT,
    EVENTS,
    JUDGING,
    NOTIFICATIONS,
    REPLAY,
    accounts_queue_of,
    queue_of,
)

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

APP_SERVICES = ("registry", "submissions", "judging", "notifications", "voting")
INFRASTRUCTURE = ("rabbitmq", "mongodb")
#: The web console: a client of the four services' HTTP APIs, with no database.
CONSOLE = "console"
#: The `observability` profile, off by default.
OBSERVABILITY = ("prometheus", "grafana", "jaeger")
OBSERVABILITY_DIR = ROOT / "deploy" / "observability"
#: The standard OpenTelemetry variable the services read besides their settings.
OTLP_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT"
SECRET_NAME = re.compile(r"PASS|SECRET|TOKEN|KEY")

# `$$` (a literal dollar), or one interpolation: ${VAR}, ${VAR:?message}, ${VAR:-default}, ..., $VAR
INTERPOLATION = re.compile(
    r"\$\$"
    r"|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<operator>:?[-?+])(?P<argument>[^}]*))?\}"
    r"|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)


# --- reading the files ---------------------------------------------------------------------


@dataclass(frozen=True)
class Interpolation:
    name: str
    operator: str  # "" for plain ${VAR}; else one of :- - :? ? :+ +
    argument: str


class MissingVariable(LookupError):
    pass


def interpolations(text: str) -> list[Interpolation]:
    found = []
    for match in INTERPOLATION.finditer(text):
        if match.group(0) != "$$":
            name = match["name"] or match["bare"]
            found.append(Interpolation(name, match["operator"] or "", match["argument"] or ""))
    return found


def interpolate(text: str, variables: Mapping[str, str]) -> str:
    """Substitute as Compose does (https://docs.docker.com/reference/compose-file/interpolation/)."""

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match["name"] or match["bare"]
        operator, argument = match["operator"] or "", match["argument"] or ""
        value = variables.get(name)
        is_set = value is not None and (value != "" or not operator.startswith(":"))
        if operator.endswith("?"):
            if not is_set:
                raise MissingVariable(f"{name}: {argument}")
            return value
        if operator.endswith("-"):
            return value if is_set else argument
        if operator.endswith("+"):
            return argument if is_set else ""
        return value or ""

    return INTERPOLATION.sub(substitute, text)


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def resolved(node: Any, variables: Mapping[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, variables)
    if isinstance(node, dict):
        return {key: resolved(value, variables) for key, value in node.items()}
    if isinstance(node, list):
        return [resolved(item, variables) for item in node]
    return node


def read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        assert equals, f"{path.name}:{number}: expected NAME=value, got {line!r}"
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def seconds(duration: str) -> float:
    """A Compose duration ("20s", "1m30s") in seconds."""
    units = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
    parts = re.findall(r"(\d+(?:\.\d+)?)(us|ms|s|m|h)", duration)
    assert parts and "".join(n + u for n, u in parts) == duration, f"not a duration: {duration!r}"
    return sum(float(number) * units[unit] for number, unit in parts)


def settings_class(service: str) -> type[ServiceSettings]:
    return importlib.import_module(f"{service}.config").Settings


def prefix_of(service: str) -> str:
    return settings_class(service).model_config["env_prefix"]


def command_port(service: dict[str, Any]) -> int:
    command = service["command"]
    return int(command[command.index("--port") + 1])


def real_secrets(example: Mapping[str, str]) -> dict[str, str]:
    """The example's variables with every secret replaced by a real-looking one."""
    return {
        name: secrets.token_hex(16) if is_secret(name, value) else value for name, value in example.items()
    }


def is_secret(name: str, example_value: str) -> bool:
    if name == OTLP_ENDPOINT:  # empty by default, as an unset secret would be, but no secret
        return False
    return bool(SECRET_NAME.search(name)) or example_value.lower() in PLACEHOLDER_SECRETS


@pytest.fixture(scope="module")
def raw_compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def example_env() -> dict[str, str]:
    return read_env_file(ENV_EXAMPLE)


@pytest.fixture(scope="module")
def compose(raw_compose: dict[str, Any], example_env: dict[str, str]) -> dict[str, Any]:
    """The compose file as `docker compose` sees it with .env.example as its .env."""
    return resolved(raw_compose, example_env)


# --- the file as a whole -------------------------------------------------------------------


def test_the_compose_file_follows_the_compose_specification(compose: dict[str, Any]) -> None:
    schema_file = resources.files("check_jsonschema") / "builtin_schemas/vendor/compose-spec.json"
    schema = json.loads(schema_file.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(compose)]
    assert not errors, "\n".join(errors)
    assert "version" not in compose, "the top-level `version` key is obsolete"


def test_it_runs_the_infrastructure_the_four_services_and_the_console(compose: dict[str, Any]) -> None:
    default = {name for name, service in compose["services"].items() if not service.get("profiles")}
    assert default == {*INFRASTRUCTURE, *APP_SERVICES, CONSOLE}


def test_every_container_has_a_healthcheck(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        check = service.get("healthcheck")
        assert check and not check.get("disable"), f"{name} has no healthcheck"
        assert check["test"][0] in ("CMD", "CMD-SHELL") and len(check["test"]) > 1, name


def test_every_published_port_is_bound_to_loopback(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert isinstance(port, str) and port.startswith("127.0.0.1:"), (
                f"{name} publishes {port!r} beyond this host; bind it to 127.0.0.1"
            )


def test_bind_mounted_files_exist_in_the_repository(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source", "")
            if source.startswith((".", "/")):
                assert (ROOT / source).exists(), f"{name} mounts {source}, which does not exist"


# --- variables and secrets -----------------------------------------------------------------


def test_every_variable_used_is_in_env_example_and_none_is_left_over(
    raw_compose: dict[str, Any], example_env: dict[str, str]
) -> None:
    used = {i.name for text in strings(raw_compose) for i in interpolations(text)}
    assert used - set(example_env) == set(), "used in docker-compose.yml, missing from .env.example"
    assert set(example_env) - used == set(), "in .env.example, not used by docker-compose.yml"


def test_every_secret_is_required_with_an_explanation(
    raw_compose: dict[str, Any], example_env: dict[str, str]
) -> None:
    found = [i for text in strings(raw_compose) for i in interpolations(text)]
    required = {i.name for i in found if is_secret(i.name, example_env.get(i.name, ""))}
    assert {
        "RABBITMQ_ADMIN_PASSWORD",
        "MONGO_INITDB_ROOT_PASSWORD",
        "SMTP_PASSWORD",
        "AUTH_TOKEN_SECRET",
        "REGISTRY_FIRST_ADMIN_PASSWORD",
        *(f"RABBITMQ_{name.upper()}_PASSWORD" for name in APP_SERVICES),
        *(f"MONGO_{name.upper()}_PASSWORD" for name in APP_SERVICES),
    } <= required
    for use in found:
        if use.name in required:
            assert use.operator == ":?" and use.argument.strip(), (
                f"write ${{{use.name}:?why}} so compose refuses to start without it"
            )


def test_compose_refuses_to_start_without_a_secret(
    raw_compose: dict[str, Any], example_env: dict[str, str]
) -> None:
    without = {k: v for k, v in example_env.items() if k != "MONGO_INITDB_ROOT_PASSWORD"}
    with pytest.raises(MissingVariable, match="MONGO_INITDB_ROOT_PASSWORD"):
        resolved(raw_compose, without)


def test_env_example_explains_each_variable_and_the_placeholders() -> None:
    lines = ENV_EXAMPLE.read_text().splitlines()
    header = "\n".join(lines[: next(i for i, line in enumerate(lines) if not line.startswith("#"))])
    assert "placeholder" in header and "production" in header
    for number, line in enumerate(lines):
        if line and not line.startswith("#"):
            assert number > 0 and lines[number - 1].startswith("#"), f"no comment above {line!r}"


def test_secrets_in_env_example_are_obvious_placeholders(example_env: dict[str, str]) -> None:
    for name, value in example_env.items():
        if SECRET_NAME.search(name):
            assert value.lower() in PLACEHOLDER_SECRETS, f"{name} should be a placeholder, not {value!r}"


# --- the broker and the database -----------------------------------------------------------


def test_rabbitmq_keeps_its_data_under_a_fixed_node_name(compose: dict[str, Any]) -> None:
    rabbitmq = compose["services"]["rabbitmq"]
    assert rabbitmq["image"].startswith("rabbitmq:") and rabbitmq.get("hostname")
    assert any(v.endswith(":/var/lib/rabbitmq") for v in rabbitmq["volumes"])


def on_host(service: dict[str, Any], container_path: str) -> Path:
    """The repository file a container sees at `container_path`, through its bind mounts."""
    for source, target, *_ in (v.split(":") for v in service["volumes"]):
        if source.startswith(".") and PurePosixPath(container_path).is_relative_to(target):
            return ROOT / source / PurePosixPath(container_path).relative_to(target)
    raise AssertionError(f"{container_path} is not mounted from the repository")


def test_mongodb_is_a_replica_set_with_a_keyfile_initiated_by_its_healthcheck(
    compose: dict[str, Any],
) -> None:
    mongodb = compose["services"]["mongodb"]
    command = mongodb["command"]
    assert mongodb["image"].startswith("mongo:")
    assert "--replSet" in command and "--keyFile" in command
    keyfile = PurePosixPath(command[command.index("--keyFile") + 1])
    volumes = [v.split(":") for v in mongodb["volumes"]]
    assert any(keyfile.is_relative_to(target) for _, target, *_ in volumes), "keep the keyfile in a volume"

    assert on_host(mongodb, mongodb["entrypoint"][-1]).is_file()
    check = mongodb["healthcheck"]["test"]
    script = on_host(mongodb, check[check.index("--file") + 1])
    assert "rs.initiate" in script.read_text() and "isWritablePrimary" in script.read_text()


# --- the four services ---------------------------------------------------------------------


@pytest.mark.parametrize("name", APP_SERVICES)
def test_service_waits_for_a_healthy_broker_and_database(compose: dict[str, Any], name: str) -> None:
    depends_on = compose["services"][name]["depends_on"]
    for server in INFRASTRUCTURE:
        assert depends_on[server]["condition"] == "service_healthy", f"{name} -> {server}"


@pytest.mark.parametrize("name", (*APP_SERVICES, CONSOLE))
def test_service_runs_its_own_package(compose: dict[str, Any], name: str) -> None:
    command = compose["services"][name]["command"]
    assert command[:3] == ["uvicorn", f"{name}.main:create_app", "--factory"]
    assert command[command.index("--host") + 1] == "0.0.0.0"
    # uvicorn would believe X-Forwarded-For from any local peer; the service decides
    # itself, from <PREFIX>TRUSTED_PROXIES.
    assert "--no-proxy-headers" in command


def test_the_registry_believes_forwarded_for_from_the_console_alone(compose: dict[str, Any]) -> None:
    console = compose["services"]["console"]["networks"]["default"]["ipv4_address"]
    assert compose["services"]["registry"]["environment"]["REGISTRY_TRUSTED_PROXIES"] == console
    for name in ("submissions", "judging", "notifications"):
        assert not compose["services"][name]["environment"].get(f"{name.upper()}_TRUSTED_PROXIES")


def test_the_console_believes_forwarded_for_from_the_reverse_proxy_on_the_host_alone(
    compose: dict[str, Any],
) -> None:
    # Not '*': a visitor's own X-Forwarded-For, passed along by the proxy, would then be believed.
    console = compose["services"]["console"]
    trusted = console["environment"]["CONSOLE_TRUSTED_PROXIES"]
    assert trusted == "172.28.0.1" and "*" not in trusted
    gateway = compose["networks"]["default"]["ipam"]["config"][0]["subnet"].rsplit(".", 1)[0] + ".1"
    assert gateway == "172.28.0.1"


def test_the_services_share_one_image_built_from_deploy_dockerfile(compose: dict[str, Any]) -> None:
    services = [compose["services"][name] for name in (*APP_SERVICES, CONSOLE)]
    assert len({s["image"] for s in services}) == 1
    for service in services:
        assert service["build"] == {"context": ".", "dockerfile": "deploy/Dockerfile"}
        assert service["restart"] in ("always", "unless-stopped")
    assert DOCKERFILE.is_file()


@pytest.mark.parametrize("name", APP_SERVICES)
def test_environment_names_are_fields_of_the_services_settings(compose: dict[str, Any], name: str) -> None:
    prefix = prefix_of(name)
    fields = {f"{prefix}{field}".upper() for field in settings_class(name).model_fields}
    environment = compose["services"][name]["environment"]
    unknown = set(environment) - fields - {OTLP_ENDPOINT}
    assert not unknown, f"{name}.config.Settings has no field for {sorted(unknown)}"
    for essential in ("ENVIRONMENT", "AMQP_URL", "MONGODB_URL", "MONGODB_DATABASE", "PORT"):
        assert f"{prefix}{essential}" in environment, f"{name} needs {prefix}{essential}"
    assert environment[f"{prefix}ENVIRONMENT"] == "production"
    assert environment[f"{prefix}MONGODB_DATABASE"] == name


@pytest.mark.parametrize("name", APP_SERVICES)
def test_one_port_in_command_settings_healthcheck_and_publishing(compose: dict[str, Any], name: str) -> None:
    service = compose["services"][name]
    port = command_port(service)
    assert int(service["environment"][f"{prefix_of(name)}PORT"]) == port
    probe = " ".join(service["healthcheck"]["test"])
    assert f"http://127.0.0.1:{port}/ready" in probe, f"{name}'s healthcheck should ask /ready on {port}"
    assert service["ports"] == [f"127.0.0.1:{port}:{port}"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_urls_reach_the_broker_and_the_replica_set(
    compose: dict[str, Any], example_env: dict[str, str], name: str
) -> None:
    environment = compose["services"][name]["environment"]
    prefix = prefix_of(name)
    amqp = urlsplit(environment[f"{prefix}AMQP_URL"])
    assert (amqp.scheme, amqp.hostname, amqp.port) == ("amqp", "rabbitmq", 5672)
    mongodb = compose["services"]["mongodb"]
    mongo = urlsplit(environment[f"{prefix}MONGODB_URL"])
    query = parse_qs(mongo.query)
    assert mongo.netloc.rpartition("@")[2] == mongodb["environment"]["MONGO_REPLICA_SET_HOST"]
    assert query["replicaSet"] == [mongodb["command"][mongodb["command"].index("--replSet") + 1]]


def build_settings(
    monkeypatch: pytest.MonkeyPatch,
    raw_compose: dict[str, Any],
    name: str,
    variables: Mapping[str, str],
) -> ServiceSettings:
    """The service's Settings as its container would build them, given this .env."""
    environment = resolved(raw_compose["services"][name]["environment"], variables)
    prefix = prefix_of(name)
    with monkeypatch.context() as patch:
        for key in [k for k in os.environ if k.upper().startswith(prefix)]:
            patch.delenv(key)
        for key, value in environment.items():
            patch.setenv(key, value)
        return settings_class(name)()


#: Why production refuses an example value: a placeholder secret, or one shorter
#: than its field allows (the first admin's password has a minimum length).
REFUSED_PLACEHOLDER = r"placeholder secret|should have at least"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_production_refuses_the_example_placeholders(
    monkeypatch: pytest.MonkeyPatch,
    raw_compose: dict[str, Any],
    example_env: dict[str, str],
    name: str,
) -> None:
    with pytest.raises(ValidationError, match=REFUSED_PLACEHOLDER):
        build_settings(monkeypatch, raw_compose, name, example_env)

    # Each secret this service holds is checked, not just the first one.
    environment = raw_compose["services"][name]["environment"]
    used = {i.name for text in strings(environment) for i in interpolations(text)}
    real = real_secrets(example_env)
    held = sorted(v for v in used if is_secret(v, example_env[v]))
    assert held, f"{name} holds no secret from .env"
    for secret in held:
        with pytest.raises(ValidationError, match=REFUSED_PLACEHOLDER):
            build_settings(monkeypatch, raw_compose, name, {**real, secret: example_env[secret]})


@pytest.mark.parametrize("name", APP_SERVICES)
def test_production_starts_with_real_secrets(
    monkeypatch: pytest.MonkeyPatch,
    raw_compose: dict[str, Any],
    compose: dict[str, Any],
    example_env: dict[str, str],
    name: str,
) -> None:
    settings = build_settings(monkeypatch, raw_compose, name, real_secrets(example_env))
    service = compose["services"][name]
    assert settings.environment == "production"
    assert settings.port == command_port(service)
    assert settings.mongodb_database == name
    assert seconds(service["stop_grace_period"]) > settings.shutdown_grace_seconds, (
        f"{name} would be killed before its shutdown grace ends"
    )


# --- the console ---------------------------------------------------------------------------


def console_settings_class() -> type[Any]:
    """The console's Settings; the tests that read them skip while the package is absent
    (it is built on its own branch until merged)."""
    if importlib.util.find_spec(CONSOLE) is None:
        pytest.skip("the console package (services/console) is not installed yet")
    return settings_class(CONSOLE)


def test_the_console_starts_once_the_four_services_are_healthy(compose: dict[str, Any]) -> None:
    depends_on = compose["services"][CONSOLE]["depends_on"]
    assert depends_on == {name: {"condition": "service_healthy"} for name in APP_SERVICES}


def test_the_console_runs_its_package_on_one_port_published_to_the_reverse_proxy(
    compose: dict[str, Any],
) -> None:
    console = compose["services"][CONSOLE]
    command = console["command"]
    assert command[:3] == ["uvicorn", "console.main:create_app", "--factory"]
    assert command[command.index("--host") + 1] == "0.0.0.0"
    port = command_port(console)
    assert int(console["environment"]["CONSOLE_PORT"]) == port
    assert port not in {command_port(compose["services"][name]) for name in APP_SERVICES}
    probe = " ".join(console["healthcheck"]["test"])
    assert f"http://127.0.0.1:{port}/health" in probe, "the console's healthcheck should ask /health"
    assert console["ports"] == [f"127.0.0.1:{port}:{port}"]
    assert console["environment"]["CONSOLE_ENVIRONMENT"] == "production"


def test_the_console_reaches_each_service_at_its_address_in_compose(compose: dict[str, Any]) -> None:
    environment = compose["services"][CONSOLE]["environment"]
    for name in APP_SERVICES:
        port = command_port(compose["services"][name])
        assert environment[f"CONSOLE_{name.upper()}_URL"] == f"http://{name}:{port}"


def test_the_console_holds_no_database_credentials_nor_another_services_secrets(
    raw_compose: dict[str, Any], example_env: dict[str, str]
) -> None:
    def held(service: str) -> set[str]:
        environment = raw_compose["services"][service]["environment"]
        used = {i.name for text in strings(environment) for i in interpolations(text)}
        return {name for name in used if is_secret(name, example_env[name])}

    console = held(CONSOLE)
    assert "CONSOLE_SESSION_SECRET" in console
    assert not {name for name in console if name.startswith("MONGO_")}, "the console has no database"
    for other in (*INFRASTRUCTURE, *APP_SERVICES):
        # The broker holds the console's broker password to make its user, as for every service.
        own = {"AUTH_TOKEN_SECRET", *({"RABBITMQ_CONSOLE_PASSWORD"} if other == "rabbitmq" else set())}
        assert not (console & held(other)) - own, f"the console shares {other}'s secrets"


def test_console_environment_names_are_fields_of_its_settings(compose: dict[str, Any]) -> None:
    fields = {f"CONSOLE_{field}".upper() for field in console_settings_class().model_fields}
    environment = compose["services"][CONSOLE]["environment"]
    assert set(environment) - fields - {OTLP_ENDPOINT} == set(), (
        "console.config.Settings has no field for these"
    )
    for essential in ("ENVIRONMENT", "PORT", "SESSION_SECRET", "PUBLIC_URL"):
        assert f"CONSOLE_{essential}" in environment


def test_the_console_in_production_refuses_the_example_session_secret(
    monkeypatch: pytest.MonkeyPatch, raw_compose: dict[str, Any], example_env: dict[str, str]
) -> None:
    console_settings_class()
    real = real_secrets(example_env)
    with pytest.raises(ValidationError):
        build_settings(monkeypatch, raw_compose, CONSOLE, {**real, "CONSOLE_SESSION_SECRET": "change-me"})
    settings = build_settings(monkeypatch, raw_compose, CONSOLE, real)
    assert settings.environment == "production"
    assert settings.port == command_port(raw_compose["services"][CONSOLE])
    assert settings.session_secret.get_secret_value() == real["CONSOLE_SESSION_SECRET"]
    assert settings.public_url == real["CONSOLE_PUBLIC_URL"]


# --- least privilege: one broker user and one database user per service ------------------

RABBITMQ_DEPLOY = ROOT / "deploy" / "rabbitmq"
MONGODB_DEPLOY = ROOT / "deploy" / "mongodb"
DEFINITIONS_TEMPLATE = RABBITMQ_DEPLOY / "definitions.template.json"
PLACEHOLDER = re.compile(r"\{\{([A-Z0-9_]+)\}\}")
#: The default exchange, as RabbitMQ's permissions name it: replays and requeues use it.
DEFAULT_EXCHANGE = "amq.default"
#: Names of things no service may create, to check configure permissions against.
FOREIGN_NAMES = ("anything", "amq.gen-x", "kim.events.copy", "console.events")


def definitions_generator() -> Any:
    """deploy/rabbitmq/definitions.py, which writes the broker's definitions template."""
    spec = importlib.util.spec_from_file_location(
        "kim_broker_definitions", RABBITMQ_DEPLOY / "definitions.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def broker_definitions() -> dict[str, Any]:
    return json.loads(DEFINITIONS_TEMPLATE.read_text())


@dataclass(frozen=True)
class Needs:
    """What a service does on the broker, from topology.py and its contracts."""

    publishes: frozenset[str]  # routing keys on kim.events
    consumes: frozenset[str]  # queue names

    @classmethod
    def of(cls, service: str) -> Needs:
        produces = {e.event_type for e in importlib.import_module(f"{service}.bootstrap").PRODUCES}
        consumer = queue_of(service)
        if consumer is None:
            return cls(frozenset(produces), frozenset())
        # A consumer keeps its dead letters, and says so with message.dead_lettered; it
        # learns token versions from its accounts queue.
        queues = [consumer, *([accounts] if (accounts := accounts_queue_of(service)) else [])]
        return cls(
            frozenset({*produces, MessageDeadLettered.event_type}),
            frozenset(name for queue in queues for name in (queue.name, queue.dead_letter_name)),
        )


def all_queue_names() -> set[str]:
    return {name for q in CONSUMER_QUEUES for name in (q.name, q.dead_letter_name)}


def all_exchange_names() -> set[str]:
    requeues = {q.requeue_exchange().name for q in CONSUMER_QUEUES}
    return {EVENTS.name, DEAD_LETTERS.name, REPLAY.name, DEFAULT_EXCHANGE, *requeues}


def allowed(regex: str, names: set[str] | frozenset[str]) -> set[str]:
    """The names a RabbitMQ permission regex allows (the broker searches, unanchored)."""
    return {name for name in names if re.search(regex, name)}


def user_entry(definitions: dict[str, Any], section: str, user: str) -> dict[str, Any]:
    entries = [entry for entry in definitions[section] if entry["user"] == user]
    assert len(entries) == 1, f"{section}: expected one entry for {user}, got {entries}"
    return entries[0]


def url_variables(raw_compose: dict[str, Any], service: str, setting: str) -> list[str]:
    text = raw_compose["services"][service]["environment"][f"{prefix_of(service)}{setting}"]
    return [i.name for i in interpolations(text)]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_service_connects_as_its_own_users_to_its_own_database(compose: dict[str, Any], name: str) -> None:
    environment = compose["services"][name]["environment"]
    prefix = prefix_of(name)
    amqp = urlsplit(environment[f"{prefix}AMQP_URL"])
    assert amqp.username == name, f"{name} should connect to RabbitMQ as its own user"
    mongo = urlsplit(environment[f"{prefix}MONGODB_URL"])
    assert mongo.username == name, f"{name} should connect to MongoDB as its own user"
    assert parse_qs(mongo.query)["authSource"] == [name] == [environment[f"{prefix}MONGODB_DATABASE"]]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_service_passwords_are_its_own(raw_compose: dict[str, Any], name: str) -> None:
    assert url_variables(raw_compose, name, "AMQP_URL") == [f"RABBITMQ_{name.upper()}_PASSWORD"]
    assert url_variables(raw_compose, name, "MONGODB_URL") == [f"MONGO_{name.upper()}_PASSWORD"]


def test_no_service_holds_another_ones_or_the_administrators_credentials(
    raw_compose: dict[str, Any], example_env: dict[str, str]
) -> None:
    administrators = {
        "RABBITMQ_ADMIN_USER",
        "RABBITMQ_ADMIN_PASSWORD",
        *(v for v in example_env if "ROOT" in v),
    }
    held: dict[str, set[str]] = {}
    for name in APP_SERVICES:
        environment = raw_compose["services"][name]["environment"]
        used = {i.name for text in strings(environment) for i in interpolations(text)}
        assert not used & administrators, f"{name} holds {sorted(used & administrators)}"
        held[name] = {v for v in used if is_secret(v, example_env[v])} - {"AUTH_TOKEN_SECRET"}
    for name, secrets_held in held.items():
        for other, theirs in held.items():
            assert other == name or not secrets_held & theirs, (
                f"{name} and {other} share {secrets_held & theirs}"
            )

    # With real values, no two services log in with the same password anywhere.
    real = real_secrets(example_env)
    passwords = [
        urlsplit(
            interpolate(raw_compose["services"][name]["environment"][f"{prefix_of(name)}{url}"], real)
        ).password
        for name in APP_SERVICES
        for url in ("AMQP_URL", "MONGODB_URL")
    ]
    assert len(set(passwords)) == len(passwords) == 2 * len(APP_SERVICES)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_service_looks_the_topology_up_instead_of_declaring_it(
    monkeypatch: pytest.MonkeyPatch, raw_compose: dict[str, Any], example_env: dict[str, str], name: str
) -> None:
    settings = build_settings(monkeypatch, raw_compose, name, real_secrets(example_env))
    assert settings.declare_topology is False
    broker = make_broker(settings)
    # Subscribers and publishers share one declarer; it declares passively.
    assert isinstance(broker.config.declarer, LookUpOnly)
    assert broker.config.producer.declarer is broker.config.declarer


def test_the_broker_definitions_are_generated_from_the_code() -> None:
    assert DEFINITIONS_TEMPLATE.read_text() == definitions_generator().rendered(), (
        "deploy/rabbitmq/definitions.template.json is out of date: run python deploy/rabbitmq/definitions.py"
    )


def test_the_broker_definitions_hold_the_topology_of_topology_py(broker_definitions: dict[str, Any]) -> None:
    assert {v["name"] for v in broker_definitions["vhosts"]} == {"/"}
    exchanges = {
        (x["name"], x["type"], x["durable"], x["auto_delete"], x["internal"])
        for x in broker_definitions["exchanges"]
    }
    assert exchanges == {
        (EVENTS.name, "topic", True, False, False),
        (DEAD_LETTERS.name, "direct", True, False, False),
        (REPLAY.name, "topic", True, False, False),
        *((q.requeue_exchange().name, "direct", True, False, False) for q in CONSUMER_QUEUES),
    }
    queues = {q["name"]: q for q in broker_definitions["queues"]}
    assert set(queues) == all_queue_names()
    for consumer in CONSUMER_QUEUES:
        queue = queues[consumer.name]
        assert (queue["durable"], queue["auto_delete"]) == (True, False)
        assert queue["arguments"] == {
            "x-queue-type": "quorum",
            "x-dead-letter-exchange": DEAD_LETTERS.name,
            "x-dead-letter-routing-key": consumer.name,
            "x-delivery-limit": DELIVERY_LIMIT,
        }
        # The arguments the services' own (passive) declarations carry, exactly.
        assert queue["arguments"] == consumer.queue().arguments
        dead = queues[consumer.dead_letter_name]
        assert (dead["durable"], dead["arguments"]) == (True, {"x-queue-type": "quorum"})
    bindings = {
        (b["source"], b["destination"], b["destination_type"], b["routing_key"])
        for b in broker_definitions["bindings"]
    }
    assert bindings == {
        *((EVENTS.name, q.name, "queue", key) for q in CONSUMER_QUEUES for key in q.routing_keys),
        *((DEAD_LETTERS.name, q.dead_letter_name, "queue", q.name) for q in CONSUMER_QUEUES),
        # A replay reaches one queue, with only the types it reads; a requeue, its own queue.
        *((REPLAY.name, q.name, "queue", f"{q.name}.{k}") for q in CONSUMER_QUEUES for k in q.routing_keys),
        *((q.requeue_exchange().name, q.name, "queue", q.name) for q in CONSUMER_QUEUES),
    }
    assert all(
        b["vhost"] == "/"
        for section in ("exchanges", "queues", "bindings")
        for b in broker_definitions[section]
    )


def test_the_broker_has_one_administrator_and_a_plain_user_per_service(
    broker_definitions: dict[str, Any], example_env: dict[str, str]
) -> None:
    users = {u["name"]: u for u in broker_definitions["users"]}
    admin = "{{RABBITMQ_ADMIN_USER}}"
    assert set(users) == {admin, *APP_SERVICES, CONSOLE}
    assert users[admin]["tags"] == "administrator"
    for name in (*APP_SERVICES, CONSOLE):
        assert users[name]["tags"] == "", f"{name} must not be able to use the management UI or API"
        assert users[name]["password"] == "{{RABBITMQ_" + name.upper() + "_PASSWORD}}"
    assert example_env["RABBITMQ_ADMIN_USER"] not in {*APP_SERVICES, "guest"}
    # With definitions to import, the broker makes no default user (guest).
    assert "guest" not in users


def test_the_consoles_broker_user_only_listens_on_its_own_live_queues(
    broker_definitions: dict[str, Any],
) -> None:
    from shared.platform.messaging.topology import CONSOLE_LIVE

    permissions = user_entry(broker_definitions, "permissions", CONSOLE)
    topics = user_entry(broker_definitions, "topic_permissions", CONSOLE)
    live_queue = f"{CONSOLE_LIVE.prefix}.1234.abcd1234"  # as console/live.py names one
    for may in ("configure", "write", "read"):
        assert re.fullmatch(permissions[may], live_queue), f"{may} on its live queue"
    assert re.fullmatch(permissions["read"], "kim.events"), "binds to kim.events"
    for other in ("kim.events", "amq.default", "judging.events", "notifications.events", "kim.dead-letters"):
        assert not re.fullmatch(permissions["write"], other), f"the console may not write {other}"
        assert not re.fullmatch(permissions["configure"], other), f"the console may not configure {other}"
    for queue in ("judging.events", "notifications.events.dead-letters"):
        assert not re.fullmatch(permissions["read"], queue), f"the console may not read {queue}"
    assert topics["write"] == "^$"
    assert re.fullmatch(topics["read"], "notification.delivered")
    assert not re.fullmatch(topics["read"], "winner.announced")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_service_broker_user_may_do_what_its_service_does_and_nothing_else(
    broker_definitions: dict[str, Any], name: str
) -> None:
    needs = Needs.of(name)
    # What the service does, wired as it runs, is what topology.py and its contracts say.
    publishes, consumes = definitions_generator().wiring(name)
    assert (set(publishes), set(consumes)) == (needs.publishes, needs.consumes)
    if name == "registry":  # it consumes winner.announced only, to record KIMs' achievements
        assert needs.consumes == {"registry.events", "registry.events.dead-letters"}

    queues, exchanges = all_queue_names(), all_exchange_names()
    everything = queues | exchanges | set(FOREIGN_NAMES)
    permissions = user_entry(broker_definitions, "permissions", name)
    assert permissions["vhost"] == "/"
    # Declares nothing: the broker's definitions made it all.
    assert allowed(permissions["configure"], everything) == set()
    # Publishes to kim.events, to kim.replay (a replay) and to its own requeue
    # exchange (a requeue of its dead letters); never to the default exchange,
    # which would reach any queue with any event; binds nothing (that would need
    # write on a queue).
    own = queue_of(name)
    requeue = {own.requeue_exchange().name} if own is not None else set()
    assert allowed(permissions["write"], everything) == {EVENTS.name, REPLAY.name, *requeue}
    assert not allowed(permissions["write"], {DEFAULT_EXCHANGE})
    # Reads its own queue and its dead letters, no one else's.
    assert allowed(permissions["read"], everything) == needs.consumes

    # On kim.events, only the routing keys of its own events; on kim.replay, only
    # `<queue>.<its own event type>`.
    topics = {t["exchange"]: t for t in broker_definitions["topic_permissions"] if t["user"] == name}
    assert set(topics) == {EVENTS.name, REPLAY.name}
    topic = topics[EVENTS.name]
    assert topic["vhost"] == "/"
    every_event_type = {event.event_type for event in CATALOG.values()}
    assert allowed(topic["write"], every_event_type) == needs.publishes
    assert allowed(topic["read"], every_event_type) == set()
    every_replay = {q.replay_key(t) for q in CONSUMER_QUEUES for t in every_event_type}
    replays = {q.replay_key(t) for q in CONSUMER_QUEUES for t in needs.publishes & set(q.routing_keys)}
    assert {k for k in every_replay if re.fullmatch(topics[REPLAY.name]["write"], k)} == replays


def test_only_the_consumer_reads_a_queue(broker_definitions: dict[str, Any]) -> None:
    for queue in all_queue_names():
        readers = {
            p["user"]
            for p in broker_definitions["permissions"]
            if p["user"] in APP_SERVICES and re.search(p["read"], queue)
        }
        assert readers == {queue.split(".")[0]}, f"{queue} is read by {sorted(readers)}"


def test_the_broker_imports_the_definitions_at_every_boot(
    compose: dict[str, Any], raw_compose: dict[str, Any], broker_definitions: dict[str, Any]
) -> None:
    rabbitmq = compose["services"]["rabbitmq"]
    entrypoint = on_host(rabbitmq, rabbitmq["entrypoint"][-1])
    assert rabbitmq["command"] == ["rabbitmq-server"]
    assert "exec docker-entrypoint.sh" in entrypoint.read_text()
    # The configuration points the broker at the file the entrypoint writes.
    written = re.search(r"^definitions=(\S+)$", entrypoint.read_text(), re.MULTILINE)
    assert written, "entrypoint.sh should say where it writes the definitions"
    confs = [
        (source, target)
        for source, target, *_ in (v.split(":") for v in rabbitmq["volumes"])
        if target.startswith("/etc/rabbitmq/conf.d/")
    ]
    assert len(confs) == 1 and confs[0][1].endswith(".conf"), "mount rabbitmq.conf into /etc/rabbitmq/conf.d/"
    settings = dict(
        line.split(" = ", 1)
        for line in (ROOT / confs[0][0]).read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert settings == {
        "definitions.import_backend": "local_filesystem",
        "definitions.local.path": written[1],
        # What the local broker caps too (devstack/rabbitmq.py): no message over 1 MiB.
        "max_message_size": str(MAX_MESSAGE_SIZE),
    }
    assert on_host(
        rabbitmq, str(PurePosixPath(rabbitmq["entrypoint"][-1]).parent / "definitions.template.json")
    ) == (DEFINITIONS_TEMPLATE)

    # Every placeholder is filled from the container's environment, which holds nothing else.
    placeholders = set(PLACEHOLDER.findall(DEFINITIONS_TEMPLATE.read_text()))
    assert set(raw_compose["services"]["rabbitmq"]["environment"]) == placeholders
    for name, value in raw_compose["services"]["rabbitmq"]["environment"].items():
        assert [i.name for i in interpolations(value)] == [name]
    # Each service logs in with the password its broker user is given.
    for name in APP_SERVICES:
        user = next(u for u in broker_definitions["users"] if u["name"] == name)
        assert PLACEHOLDER.findall(user["password"]) == url_variables(raw_compose, name, "AMQP_URL")


def render_definitions(tmp_path: Path, variables: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **variables}
    return subprocess.run(
        [
            "bash",
            str(RABBITMQ_DEPLOY / "render-definitions.sh"),
            str(DEFINITIONS_TEMPLATE),
            str(tmp_path / "out.json"),
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def broker_variables() -> dict[str, str]:
    names = set(PLACEHOLDER.findall(DEFINITIONS_TEMPLATE.read_text()))
    return {name: "kim-admin" if name.endswith("_USER") else secrets.token_hex(16) for name in names}


def test_render_definitions_fills_in_the_passwords(
    tmp_path: Path, broker_definitions: dict[str, Any]
) -> None:
    variables = broker_variables()
    result = render_definitions(tmp_path, variables)
    assert result.returncode == 0, result.stderr
    output = tmp_path / "out.json"
    assert output.stat().st_mode & 0o777 == 0o600, (
        "the definitions hold passwords: only the broker reads them"
    )
    expected = DEFINITIONS_TEMPLATE.read_text()
    for name, value in variables.items():
        expected = expected.replace("{{" + name + "}}", value)
    assert json.loads(output.read_text()) == json.loads(expected)
    users = {u["name"]: u["password"] for u in json.loads(output.read_text())["users"]}
    assert users["kim-admin"] == variables["RABBITMQ_ADMIN_PASSWORD"]
    assert users["judging"] == variables["RABBITMQ_JUDGING_PASSWORD"]


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"RABBITMQ_JUDGING_PASSWORD": ""}, "RABBITMQ_JUDGING_PASSWORD is not set"),
        ({"RABBITMQ_ADMIN_PASSWORD": "change-me"}, "RABBITMQ_ADMIN_PASSWORD is a placeholder"),
        ({"RABBITMQ_REGISTRY_PASSWORD": 'a"b'}, "RABBITMQ_REGISTRY_PASSWORD may hold letters, digits"),
        ({"RABBITMQ_ADMIN_USER": "a b"}, "RABBITMQ_ADMIN_USER may hold letters, digits"),
    ],
)
def test_render_definitions_refuses_a_missing_placeholder_or_unsafe_value(
    tmp_path: Path, change: dict[str, str], complaint: str
) -> None:
    result = render_definitions(tmp_path, {**broker_variables(), **change})
    assert result.returncode != 0 and complaint in result.stderr
    assert not (tmp_path / "out.json").exists()


# The MongoDB side: service-users.js, run by the image on the first start and by
# the healthcheck when a user is missing. It is run here under Node.js with a
# stand-in `db` that records what it is asked to do.
MONGO_SHELL_STAND_IN = r"""
const fs = require("fs");
const vm = require("vm");
const [script, existing] = [process.argv[2], new Set(JSON.parse(process.argv[3]))];
const calls = [];
const database = (name) => ({
  getUser: (user) => (existing.has(`${name}/${user}`) ? { user: user } : null),
  createUser: (spec) => calls.push({ op: "createUser", db: name, ...spec }),
  updateUser: (user, spec) => calls.push({ op: "updateUser", db: name, user: user, ...spec }),
  auth: (user, pwd) => calls.push({ op: "auth", db: name, user: user, pwd: pwd }),
  runCommand: () => ({ authInfo: { authenticatedUsers: [] } }),
});
const context = { db: { getSiblingDB: database }, process: { env: process.env }, print: () => {} };
try {
  vm.runInNewContext(fs.readFileSync(script, "utf8"), context, { filename: script });
} catch (error) {
  console.error(String(error));
  process.exit(3);
}
console.log(JSON.stringify(calls));
"""


def run_service_users(tmp_path: Path, variables: Mapping[str, str], existing: list[str]) -> Any:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    harness = tmp_path / "stand-in.js"
    harness.write_text(MONGO_SHELL_STAND_IN)
    return subprocess.run(
        [node, str(harness), str(MONGODB_DEPLOY / "service-users.js"), json.dumps(existing)],
        env={"PATH": os.environ.get("PATH", ""), **variables},
        capture_output=True,
        text=True,
        check=False,
    )


def mongodb_variables() -> dict[str, str]:
    return {
        "MONGO_INITDB_ROOT_USERNAME": "kim",
        "MONGO_INITDB_ROOT_PASSWORD": "root-password",
        **{f"MONGO_{name.upper()}_PASSWORD": f"{name}-password" for name in APP_SERVICES},
    }


@pytest.mark.parametrize(
    "existing", [[], [f"{name}/{name}" for name in APP_SERVICES]], ids=["new", "existing"]
)
def test_each_mongodb_user_gets_read_write_on_its_own_database_only(
    tmp_path: Path, existing: list[str]
) -> None:
    result = run_service_users(tmp_path, mongodb_variables(), existing)
    assert result.returncode == 0, result.stderr
    calls = json.loads(result.stdout)
    assert calls[0] == {"op": "auth", "db": "admin", "user": "kim", "pwd": "root-password"}
    operation = "updateUser" if existing else "createUser"
    assert calls[1:] == [
        {
            "op": operation,
            "db": name,
            "user": name,
            "pwd": f"{name}-password",
            "roles": [{"role": "readWrite", "db": name}],
        }
        for name in APP_SERVICES
    ]


def test_mongodb_users_are_not_made_without_their_passwords(tmp_path: Path) -> None:
    variables = mongodb_variables()
    del variables["MONGO_JUDGING_PASSWORD"]
    result = run_service_users(tmp_path, variables, [])
    assert result.returncode != 0 and "set MONGO_JUDGING_PASSWORD" in result.stderr


def test_mongodb_makes_the_service_users_on_first_start_and_when_missing(
    compose: dict[str, Any], raw_compose: dict[str, Any]
) -> None:
    mongodb = compose["services"]["mongodb"]
    script = MONGODB_DEPLOY / "service-users.js"
    # The image runs /docker-entrypoint-initdb.d/*.js once, when the data volume is new.
    initdb = [
        target for source, target, *_ in (v.split(":") for v in mongodb["volumes"]) if "initdb.d" in target
    ]
    assert initdb == ["/docker-entrypoint-initdb.d/service-users.js"]
    assert on_host(mongodb, initdb[0]) == script
    # The healthcheck makes missing users (a data volume from before them) with the same script.
    check = mongodb["healthcheck"]["test"]
    healthcheck = on_host(mongodb, check[check.index("--file") + 1]).read_text()
    loaded = re.findall(r'load\("([^"]+)"\)', healthcheck)
    assert loaded and all(on_host(mongodb, path) == script for path in loaded)
    # It has the passwords it sets, and each service's URL uses the same one.
    environment = raw_compose["services"]["mongodb"]["environment"]
    for name in APP_SERVICES:
        variable = f"MONGO_{name.upper()}_PASSWORD"
        assert [i.name for i in interpolations(environment[variable])] == [variable]
        assert url_variables(raw_compose, name, "MONGODB_URL") == [variable]
    # The one role it grants (the stand-in run above checks on which database).
    assert re.findall(r"role:\s*\"([^\"]+)\"", script.read_text()) == ["readWrite"]


# A real RabbitMQ importing the rendered definitions at boot, as the container does.


@pytest.fixture(scope="module")
def broker_with_definitions(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[RabbitMQServer, dict[str, str]]]:
    if not rabbitmq_installed():
        pytest.skip("rabbitmq-server is not installed")
    workdir = tmp_path_factory.mktemp("broker-definitions")
    variables = broker_variables()
    result = render_definitions(workdir, variables)
    assert result.returncode == 0, result.stderr
    conf = (RABBITMQ_DEPLOY / "rabbitmq.conf").read_text()
    conf = re.sub(
        r"(?m)^definitions\.local\.path = .*$", f"definitions.local.path = {workdir / 'out.json'}", conf
    )
    server = RabbitMQServer(workdir / "node")
    # Start once for its configuration, then again, fresh, importing the definitions at boot.
    server.start()
    try:
        server.kill()
        config = workdir / "node" / "rabbitmq.conf"
        # The node's own listener and logging; the definitions and limits compose's.
        own = [
            line for line in config.read_text().splitlines() if not line.startswith(("definitions.", "max_"))
        ]
        config.write_text("\n".join(own) + "\n" + conf)
        shutil.rmtree(workdir / "node" / "mnesia")
        server.start_again()
        yield server, variables
    finally:
        server.stop()


def amqp_url(server: RabbitMQServer, user: str, password: str) -> str:
    return f"amqp://{user}:{password}@127.0.0.1:{server.port}/"


async def refused(attempt: Callable[[], Awaitable[object]]) -> str:
    with pytest.raises(aio_pika.exceptions.AMQPError) as error:
        await attempt()
    return str(error.value)


@pytest.mark.integration
async def test_a_real_broker_lets_each_service_do_its_work_and_nothing_else(
    broker_with_definitions: tuple[RabbitMQServer, dict[str, str]],
) -> None:
    server, variables = broker_with_definitions
    assert "ACCESS_REFUSED" in await refused(lambda: aio_pika.connect(amqp_url(server, "guest", "guest")))
    admin = await aio_pika.connect(amqp_url(server, "kim-admin", variables["RABBITMQ_ADMIN_PASSWORD"]))
    try:
        watch = await admin.channel()
        for name in APP_SERVICES:
            for queue in all_queue_names():
                await (await watch.declare_queue(queue, passive=True)).purge()
            await _service_works(server, variables, name)
            # What it published reached exactly the queues bound to it; the replay, one queue.
            for consumer in CONSUMER_QUEUES:
                queue = await watch.declare_queue(consumer.name, passive=True)
                expected = len(Needs.of(name).publishes & set(consumer.routing_keys))
                expected += consumer is NOTIFICATIONS
                assert queue.declaration_result.message_count == expected, (name, consumer.name)
            await _service_is_refused_the_rest(server, variables, name)
    finally:
        await admin.close()


async def _service_works(server: RabbitMQServer, variables: Mapping[str, str], name: str) -> None:
    """The service's own broker, wired as it runs, with DECLARE_TOPOLOGY=false: its
    subscribers (its queue, its dead letters) and publishers start; then it
    publishes each of its events and replays one."""
    password = variables[f"RABBITMQ_{name.upper()}_PASSWORD"]
    settings = settings_class(name)(amqp_url=amqp_url(server, name, password), declare_topology=False)
    bootstrap = importlib.import_module(f"{name}.bootstrap").bootstrap
    runtime = bootstrap(settings).runtime
    try:
        await runtime.broker.connect()
        await runtime.broker.start()  # the queues are empty: nothing is consumed
        assert {s.queue.name for s in runtime.broker.subscribers} == Needs.of(name).consumes
    finally:
        await runtime.broker.stop()
        runtime.mongo.close()

    runtime = bootstrap(settings).runtime  # publishing only, so nothing it sends is consumed here
    try:
        await runtime.broker.connect()
        assert runtime.publisher is not None
        for event_type in sorted(Needs.of(name).publishes):
            record = OutboxRecord(
                event_id=uuid4(),
                type=event_type,
                version=1,
                correlation_id="least-privilege",
                occurred_at=datetime.now(UTC),
                body="{}",
            )
            await runtime.publisher.publish(record)
            if event_type in NOTIFICATIONS.routing_keys:
                replayed = record
        await runtime.publisher.resend(replayed, NOTIFICATIONS.name)  # a replay, through kim.replay
    finally:
        await runtime.broker.stop()
        runtime.mongo.close()


async def _service_is_refused_the_rest(
    server: RabbitMQServer, variables: Mapping[str, str], name: str
) -> None:
    password = variables[f"RABBITMQ_{name.upper()}_PASSWORD"]
    connection = await aio_pika.connect(amqp_url(server, name, password))
    try:
        needs = Needs.of(name)
        # A requeue: a consumer takes from its dead letters and sends back through its requeue exchange.
        if needs.consumes:
            channel = await connection.channel(publisher_confirms=True)
            consumer = queue_of(name)
            assert consumer is not None
            await (await channel.declare_queue(consumer.dead_letter_name, passive=True)).get(fail=False)
            own_requeue = await channel.get_exchange(consumer.requeue_exchange().name, ensure=False)
            await own_requeue.publish(aio_pika.Message(b"{}", user_id=name), routing_key=consumer.name)
            # Taken back at once: the count of messages the caller checked stays as it was.
            await (await channel.declare_queue(consumer.name, passive=True)).purge()

        async def publish_to(exchange_name: str, routing_key: str, user_id: str | None = None) -> None:
            channel = await connection.channel(publisher_confirms=True)
            exchange = (
                channel.default_exchange
                if exchange_name == ""
                else await channel.get_exchange(exchange_name, ensure=False)
            )
            await exchange.publish(aio_pika.Message(b"{}", user_id=user_id), routing_key=routing_key)
            await channel.close()

        async def declare_a_queue() -> None:
            await (await connection.channel()).declare_queue("kim.sneaky", durable=True)

        async def declare_the_exchange() -> None:
            await (await connection.channel()).declare_exchange(
                EVENTS.name, aio_pika.ExchangeType.TOPIC, durable=True
            )

        async def publish_as(event_type: str) -> None:
            channel = await connection.channel(publisher_confirms=True)
            exchange = await channel.get_exchange(EVENTS.name, ensure=False)
            await exchange.publish(aio_pika.Message(b"{}"), routing_key=event_type)

        async def read(queue: str) -> None:
            channel = await connection.channel()
            await (await channel.declare_queue(queue, passive=True)).get(fail=False)

        async def bind() -> None:
            channel = await connection.channel()
            await (await channel.declare_queue(JUDGING.name, passive=True)).bind(EVENTS.name, "kim.sneaky")

        assert "ACCESS_REFUSED" in await refused(declare_a_queue)
        assert "ACCESS_REFUSED" in await refused(declare_the_exchange)
        assert "ACCESS_REFUSED" in await refused(bind)
        others = sorted(all_queue_names() - needs.consumes)
        assert "ACCESS_REFUSED" in await refused(lambda: read(others[0]))
        foreign = sorted({e.event_type for e in CATALOG.values()} - needs.publishes)
        assert "ACCESS_REFUSED" in await refused(lambda: publish_as(foreign[0]))
        # No path onto another service's queue: not the default exchange, not
        # another's requeue exchange, not a foreign type through kim.replay, and
        # never with another user's name.
        for consumer in CONSUMER_QUEUES:
            assert "ACCESS_REFUSED" in await refused(functools.partial(publish_to, "", consumer.name))
            if consumer.service != name:
                requeue = consumer.requeue_exchange().name
                assert "ACCESS_REFUSED" in await refused(
                    functools.partial(publish_to, requeue, consumer.name)
                )
            for event_type in sorted(set(consumer.routing_keys) - needs.publishes)[:1]:
                key = consumer.replay_key(event_type)
                assert "ACCESS_REFUSED" in await refused(functools.partial(publish_to, REPLAY.name, key))
        mine = sorted(needs.publishes)[0]
        other = next(s for s in APP_SERVICES if s != name)
        assert "PRECONDITION_FAILED" in await refused(lambda: publish_to(EVENTS.name, mine, user_id=other))
    finally:
        await connection.close()


# --- the image -----------------------------------------------------------------------------


def dockerignore_excludes(path: str) -> bool:
    """Whether .dockerignore keeps `path` out of the build context (last matching rule wins)."""
    excluded = False
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]  # the path and its parents
    for rule in DOCKERIGNORE.read_text().splitlines():
        rule = rule.strip()
        if not rule or rule.startswith("#"):
            continue
        negated = rule.startswith("!")
        pattern = rule.lstrip("!").strip("/")
        if any(fnmatchcase(candidate, pattern) for candidate in candidates) or (
            pattern.startswith("**/")
            and any(fnmatchcase(c.rpartition("/")[2], pattern[3:]) for c in candidates)
        ):
            excluded = not negated
    return excluded


def test_the_build_context_holds_the_project_and_no_secrets() -> None:
    for kept in ("pyproject.toml", "shared/platform/config.py", "services/registry/registry/main.py"):
        assert not dockerignore_excludes(kept), kept
    for left_out in (
        ".env",
        ".venv/bin/python",
        ".git/config",
        "tests/conftest.py",
        "shared/__pycache__/config.cpython-311.pyc",
    ):
        assert dockerignore_excludes(left_out), left_out


def test_the_image_installs_every_package_root_and_runs_unprivileged() -> None:
    dockerfile = DOCKERFILE.read_text()
    instructions = [line.split(None, 1) for line in dockerfile.splitlines() if line and line[0].isupper()]
    copied = [
        source
        for op, args in instructions
        if op == "COPY" and "--from" not in args
        for source in args.split()[:-1]
    ]
    for source in copied:
        assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which does not exist"
        assert not dockerignore_excludes(source), f"{source} is left out of the build context"
    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    packages = [
        package.relative_to(ROOT).as_posix()
        for root in find["where"]
        for include in find["include"]
        for package in (ROOT / root).glob(include.rstrip("*"))
        if (package / "__init__.py").is_file()
    ]
    assert {p.rpartition("/")[2] for p in packages} >= {"shared", *APP_SERVICES}
    for package in packages:
        assert any(package == c or package.startswith(f"{c}/") for c in copied), f"{package} not copied"
        assert not dockerignore_excludes(f"{package}/__init__.py"), f"{package} left out of the context"
    assert re.search(r"\bpip\b.* install --no-deps \.(\s|$)", dockerfile, re.MULTILINE), "install the project"
    assert not re.search(r"\bpip\b.* install .*\s(-e|--editable)(\s|=)", dockerfile), (
        "install it non-editable"
    )
    users = [args.strip() for op, args in instructions if op == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "the services must not run as root"
    assert not re.search(r"^(ENV|ARG)\s.*(PASS|SECRET|TOKEN)", dockerfile, re.MULTILINE | re.IGNORECASE)


def test_every_service_in_compose_is_restarted_unless_stopped(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        assert service.get("restart") == "unless-stopped", name


# --- the observability profile -------------------------------------------------------------


def test_the_observability_profile_adds_prometheus_grafana_and_jaeger_and_nothing_else(
    compose: dict[str, Any],
) -> None:
    profiled = {
        name: service["profiles"] for name, service in compose["services"].items() if "profiles" in service
    }
    assert profiled == {name: ["observability"] for name in OBSERVABILITY}
    for name in OBSERVABILITY:
        needs = set(compose["services"][name].get("depends_on", {}))
        assert needs <= set(OBSERVABILITY), f"{name} must not start or hold up the default stack"


def test_services_send_traces_only_when_an_otlp_endpoint_is_set(
    raw_compose: dict[str, Any], compose: dict[str, Any], example_env: dict[str, str]
) -> None:
    assert example_env[OTLP_ENDPOINT] == "", "off by default: the default stack sends no traces"
    for name in (*APP_SERVICES, CONSOLE):
        raw = raw_compose["services"][name]["environment"][OTLP_ENDPOINT]
        assert raw == f"${{{OTLP_ENDPOINT}:-}}", f"{name}: empty unless the operator sets it"
        assert compose["services"][name]["environment"][OTLP_ENDPOINT] == ""
    with_jaeger = resolved(raw_compose, {**example_env, OTLP_ENDPOINT: "http://jaeger:4318"})
    assert with_jaeger["services"]["registry"]["environment"][OTLP_ENDPOINT] == "http://jaeger:4318"
    assert "http://jaeger:4318" in ENV_EXAMPLE.read_text(), ".env.example says what to set it to"


def test_prometheus_scrapes_every_service_and_the_console(compose: dict[str, Any]) -> None:
    prometheus = compose["services"]["prometheus"]
    config_path = on_host(prometheus, "/etc/prometheus/prometheus.yml")
    config = yaml.safe_load(config_path.read_text())
    scraped = {
        job["job_name"]: (job.get("metrics_path", "/metrics"), target)
        for job in config["scrape_configs"]
        for static in job["static_configs"]
        for target in static["targets"]
    }
    expected = {
        name: ("/metrics", f"{name}:{command_port(compose['services'][name])}")
        for name in (*APP_SERVICES, CONSOLE)
    }
    assert scraped == expected


def test_grafana_reads_the_profiles_prometheus_and_the_dashboard_from_the_repository(
    compose: dict[str, Any],
) -> None:
    grafana = compose["services"]["grafana"]
    provisioning = on_host(grafana, "/etc/grafana/provisioning")
    (source,) = yaml.safe_load((provisioning / "datasources" / "prometheus.yml").read_text())["datasources"]
    port = compose["services"]["prometheus"]["ports"][0].rsplit(":", 1)[1]
    assert (source["type"], source["url"]) == ("prometheus", f"http://prometheus:{port}")
    (provider,) = yaml.safe_load((provisioning / "dashboards" / "kim-contest.yml").read_text())["providers"]
    dashboards = on_host(grafana, provider["options"]["path"])
    assert dashboards == OBSERVABILITY_DIR / "grafana" / "dashboards"
    dashboard = json.loads((dashboards / "kim-contest.json").read_text())
    home = grafana["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert on_host(grafana, home) == dashboards / "kim-contest.json"
    used = {target["datasource"]["uid"] for panel in dashboard["panels"] for target in panel["targets"]}
    assert used == {source["uid"]}
    assert grafana["environment"]["GF_AUTH_ANONYMOUS_ORG_ROLE"] == "Viewer", "read-only without a password"


def known_metric_names() -> set[str]:
    """Every sample name /metrics can serve: the shared figures, faststream's and the notifications'."""
    from notifications.adapters.metrics import watch_deliveries

    from shared.platform.metrics import Metrics, broker_middlewares, watch_dead_letters, watch_outbox

    metrics = Metrics("any")
    watch_outbox(metrics, lambda: None)  # type: ignore[arg-type, return-value]
    watch_dead_letters(metrics, lambda: None, "dead_letters")  # type: ignore[arg-type, return-value]
    watch_deliveries(metrics, lambda: None)  # type: ignore[arg-type, return-value]
    broker_middlewares(metrics)
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}
    return {family.name + suffix for family in metrics.registry.collect() for suffix in suffixes[family.type]}


def test_the_dashboard_shows_the_figures_and_only_metrics_that_exist() -> None:
    dashboard = json.loads((OBSERVABILITY_DIR / "grafana" / "dashboards" / "kim-contest.json").read_text())
    expressions = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    referenced = {name for expr in expressions for name in re.findall(r"\b(?:kim|faststream)_[a-z_]+", expr)}
    known = known_metric_names()
    assert referenced - known == set(), f"not served by any /metrics: {sorted(referenced - known)}"
    for figure in (
        "kim_http_requests_total",
        "kim_http_request_duration_seconds_bucket",
        "faststream_received_messages_total",
        "faststream_published_messages_total",
        "faststream_received_processed_messages_duration_seconds_bucket",
        "kim_outbox_pending",
        "kim_outbox_oldest_pending_age_seconds",
        "kim_dead_letters",
        "kim_notification_deliveries",
        "kim_consumer_redeliveries_total",
    ):
        assert figure in referenced, f"the dashboard has no panel of {figure}"
    assert len({panel["id"] for panel in dashboard["panels"]}) == len(dashboard["panels"])


def test_jaeger_takes_otlp_and_shows_traces_on_this_host_only(compose: dict[str, Any]) -> None:
    jaeger = compose["services"]["jaeger"]
    image, version = jaeger["image"].split(":")
    # Jaeger 2 is the all-in-one by default, with OTLP receivers on 4317 and 4318.
    assert image == "jaegertracing/jaeger" and int(version.split(".")[0]) >= 2
    assert jaeger["ports"] == ["127.0.0.1:16686:16686"]
