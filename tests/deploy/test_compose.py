"""The `docker compose` deployment, checked without a Docker engine.

No engine runs here or in CI, so these tests read docker-compose.yml,
.env.example, deploy/Dockerfile and .dockerignore as files: the Compose
Specification, healthchecks and start order, variables and secrets, and that
each service's environment is what its `Settings` class reads.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import secrets
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
import yaml
from pydantic import ValidationError

from shared.config import PLACEHOLDER_SECRETS, ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

APP_SERVICES = ("registry", "submissions", "judging", "notifications")
INFRASTRUCTURE = ("rabbitmq", "mongodb")
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


def test_it_runs_the_infrastructure_and_the_four_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {*INFRASTRUCTURE, *APP_SERVICES}


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
    assert {"RABBITMQ_DEFAULT_PASS", "MONGO_INITDB_ROOT_PASSWORD", "SMTP_PASSWORD"} <= required
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

    def on_host(container_path: str) -> Path:
        for source, target, *_ in volumes:
            if source.startswith(".") and PurePosixPath(container_path).is_relative_to(target):
                return ROOT / source / PurePosixPath(container_path).relative_to(target)
        raise AssertionError(f"{container_path} is not mounted from the repository")

    assert on_host(mongodb["entrypoint"][-1]).is_file()
    check = mongodb["healthcheck"]["test"]
    script = on_host(check[check.index("--file") + 1])
    assert "rs.initiate" in script.read_text() and "isWritablePrimary" in script.read_text()


# --- the four services ---------------------------------------------------------------------


@pytest.mark.parametrize("name", APP_SERVICES)
def test_service_waits_for_a_healthy_broker_and_database(compose: dict[str, Any], name: str) -> None:
    depends_on = compose["services"][name]["depends_on"]
    for server in INFRASTRUCTURE:
        assert depends_on[server]["condition"] == "service_healthy", f"{name} -> {server}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_service_runs_its_own_package(compose: dict[str, Any], name: str) -> None:
    command = compose["services"][name]["command"]
    assert command[:3] == ["uvicorn", f"{name}.main:create_app", "--factory"]
    assert command[command.index("--host") + 1] == "0.0.0.0"


def test_the_services_share_one_image_built_from_deploy_dockerfile(compose: dict[str, Any]) -> None:
    services = [compose["services"][name] for name in APP_SERVICES]
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
    unknown = set(environment) - fields
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
    assert (amqp.username, amqp.password) == (
        example_env["RABBITMQ_DEFAULT_USER"],
        example_env["RABBITMQ_DEFAULT_PASS"],
    )
    mongodb = compose["services"]["mongodb"]
    mongo = urlsplit(environment[f"{prefix}MONGODB_URL"])
    query = parse_qs(mongo.query)
    assert mongo.netloc.rpartition("@")[2] == mongodb["environment"]["MONGO_REPLICA_SET_HOST"]
    assert query["replicaSet"] == [mongodb["command"][mongodb["command"].index("--replSet") + 1]]
    assert query["authSource"] == ["admin"]
    assert (mongo.username, mongo.password) == (
        example_env["MONGO_INITDB_ROOT_USERNAME"],
        example_env["MONGO_INITDB_ROOT_PASSWORD"],
    )


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


@pytest.mark.parametrize("name", APP_SERVICES)
def test_production_refuses_the_example_placeholders(
    monkeypatch: pytest.MonkeyPatch,
    raw_compose: dict[str, Any],
    example_env: dict[str, str],
    name: str,
) -> None:
    with pytest.raises(ValidationError, match="placeholder secret"):
        build_settings(monkeypatch, raw_compose, name, example_env)

    # Each secret this service holds is checked, not just the first one.
    environment = raw_compose["services"][name]["environment"]
    used = {i.name for text in strings(environment) for i in interpolations(text)}
    real = real_secrets(example_env)
    held = sorted(v for v in used if is_secret(v, example_env[v]))
    assert held, f"{name} holds no secret from .env"
    for secret in held:
        with pytest.raises(ValidationError, match="placeholder secret"):
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
    for kept in ("pyproject.toml", "shared/config.py", "services/registry/registry/main.py"):
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
