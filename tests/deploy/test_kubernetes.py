"""The Kubernetes deployment (deploy/kubernetes), checked offline in seconds.

No kustomize, kubectl or cluster here: a small renderer below applies the kustomize
features the overlays use (resources, namespace, images, JSON 6902 patches) and refuses
any other. Kubernetes' own kinds are validated against the Kubernetes 1.37 schemas
(`kubernetes-validate`, strict: an unknown field is an error); the operators' kinds
(`RabbitmqCluster`, `MongoDBCommunity`) against their CRDs' OpenAPI schemas, vendored in
tests/deploy/crds. Then what the schemas cannot say: two replicas, probes, resources and a
PodDisruptionBudget per service; each service's environment against docker-compose.yml
and its Settings; no secret in the repository; every Secret a manifest reads is one
create-secrets.sh makes (run here with a stand-in kubectl) or one the MongoDB operator
makes; the broker's definitions and the database's users against the services' URLs.

    python tests/deploy/test_kubernetes.py production   # prints the rendered overlay
"""

from __future__ import annotations

import copy
import functools
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import kubernetes_validate
import pytest
import yaml
from pydantic import SecretStr

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
BASE = KUBERNETES / "base"
OVERLAYS = ("local", "production")
CRDS = Path(__file__).with_name("crds")
KUBERNETES_VERSION = "1.37.0"
SERVICES = ("registry", "submissions", "judging", "notifications", "voting")
APPS = (*SERVICES, "console")
#: libyaml's loader where PyYAML has it: the RabbitmqCluster CRD is 350 kB.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
OPERATOR_KINDS = {
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"),
    ("mongodbcommunity.mongodb.com/v1", "MongoDBCommunity"),
}
CLUSTER_SCOPED = {"Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding"}
#: Environment variables the manifests add that no Settings reads (no service prefix):
#: a password, only to be put into a URL with $(NAME).
HELPER_VARIABLE = re.compile(r"^KIM_[A-Z_]+$")

# ---------------------------------------------------------------------------- rendering


class RenderError(Exception):
    pass


def pointer(path: str) -> list[str]:
    if not path.startswith("/"):
        raise RenderError(f"not a JSON pointer: {path!r}")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def apply_operation(document: Any, operation: dict[str, Any]) -> None:
    """One JSON Patch (RFC 6902) operation: add, replace or remove; replace and remove
    need the member to exist, as kustomize's JSON 6902 patches do."""
    op = operation["op"]
    if op not in {"add", "replace", "remove"}:
        raise RenderError(f"unsupported patch operation {op!r}")
    *parents, last = pointer(operation["path"])
    node = document
    for part in parents:
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, ValueError) as error:
            raise RenderError(f"{operation['path']}: no {part!r}") from error
    if isinstance(node, list):
        index = len(node) if last == "-" else int(last)
        if op == "add":
            node.insert(index, copy.deepcopy(operation["value"]))
        elif index >= len(node):
            raise RenderError(f"{operation['path']}: no element {index}")
        elif op == "replace":
            node[index] = copy.deepcopy(operation["value"])
        else:
            del node[index]
        return
    if op != "add" and last not in node:
        raise RenderError(f"{operation['path']}: nothing to {op}")
    if op == "remove":
        del node[last]
    else:
        node[last] = copy.deepcopy(operation["value"])


def containers(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    pod = document.get("spec", {}).get("template", {}).get("spec", {})
    yield from pod.get("initContainers", [])
    yield from pod.get("containers", [])


def render(directory: Path) -> list[dict[str, Any]]:
    """A kustomization's objects, as `kubectl kustomize` makes them for these files."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unsupported = set(kustomization) - {"apiVersion", "kind", "resources", "namespace", "images", "patches"}
    if unsupported:
        raise RenderError(f"{directory}: the test's renderer does not apply {sorted(unsupported)}")
    objects: list[dict[str, Any]] = []
    for entry in kustomization.get("resources", []):
        path = (directory / entry).resolve()
        if path.is_dir():
            objects += render(path)
        else:
            objects += [document for document in yaml.safe_load_all(path.read_text()) if document is not None]
    for patch in kustomization.get("patches", []):
        if set(patch) != {"target", "patch"} or not set(patch["target"]) <= {"kind", "name"}:
            raise RenderError(f"{directory}: only JSON 6902 patches with a target by kind and name: {patch}")
        target = patch["target"]
        matched = [
            document
            for document in objects
            if document["kind"] == target.get("kind", document["kind"])
            and document["metadata"]["name"] == target.get("name", document["metadata"]["name"])
        ]
        if not matched:
            raise RenderError(f"{directory}: a patch matches nothing: {target}")
        for document in matched:
            for operation in yaml.safe_load(patch["patch"]):
                apply_operation(document, operation)
    for image in kustomization.get("images", []):
        if not set(image) <= {"name", "newName", "newTag"}:
            raise RenderError(f"{directory}: unsupported image transformation {image}")
        used = False
        for document in objects:
            for container in containers(document):
                name, _, tag = container["image"].partition(":")
                if name == image["name"]:
                    container["image"] = f"{image.get('newName', name)}:{image.get('newTag', tag)}"
                    used = True
        if not used:
            raise RenderError(f"{directory}: no container runs the image {image['name']}")
    if "namespace" in kustomization:
        for document in objects:
            if document["kind"] not in CLUSTER_SCOPED:
                document["metadata"]["namespace"] = kustomization["namespace"]
    return objects


@pytest.fixture(scope="module", params=OVERLAYS)
def overlay(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def rendered(overlay: str) -> list[dict[str, Any]]:
    return render(KUBERNETES / "overlays" / overlay)


def find(objects: list[dict[str, Any]], kind: str, name: str | None = None) -> list[dict[str, Any]]:
    return [o for o in objects if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]


def one(objects: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    found = find(objects, kind, name)
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def container_of(objects: list[dict[str, Any]], app: str) -> dict[str, Any]:
    (container,) = one(objects, "Deployment", app)["spec"]["template"]["spec"]["containers"]
    return container


def env_of(objects: list[dict[str, Any]], app: str) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in container_of(objects, app)["env"]}


def test_the_renderer_applies_patches_strictly() -> None:
    document = {"spec": {"list": [1, 2]}}
    apply_operation(document, {"op": "replace", "path": "/spec/list/1", "value": 3})
    apply_operation(document, {"op": "add", "path": "/metadata", "value": {"a": 1}})
    apply_operation(document, {"op": "remove", "path": "/spec/list/0"})
    assert document == {"spec": {"list": [3]}, "metadata": {"a": 1}}
    for operation in (
        {"op": "replace", "path": "/spec/missing", "value": 1},
        {"op": "remove", "path": "/nothing/here"},
        {"op": "move", "path": "/spec", "from": "/x"},
    ):
        with pytest.raises(RenderError):
            apply_operation(copy.deepcopy(document), operation)


def test_the_overlays_render_each_object_once_in_their_namespace(
    overlay: str, rendered: list[dict[str, Any]]
) -> None:
    keys = [(o["kind"], o["metadata"]["name"]) for o in rendered]
    assert len(keys) == len(set(keys)), "an object is defined twice"
    (namespace,) = find(rendered, "Namespace")
    for document in rendered:
        if document["kind"] != "Namespace":
            assert document["metadata"]["namespace"] == namespace["metadata"]["name"]
    kinds = {kind for kind, _ in keys}
    assert {"Deployment", "Service", "PodDisruptionBudget", "Ingress", "ConfigMap"} <= kinds
    assert not find(rendered, "Secret"), "Secrets are made by create-secrets.sh, never kept in the repository"


# ---------------------------------------------------------------------------- schemas


def test_every_kubernetes_object_is_valid_against_the_kubernetes_schemas(
    rendered: list[dict[str, Any]],
) -> None:
    checked = 0
    for document in rendered:
        if (document["apiVersion"], document["kind"]) in OPERATOR_KINDS:
            continue
        try:
            kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(
                f"{document['kind']} {document['metadata']['name']}: {error.message} at {list(error.path)}"
            )
        checked += 1
    assert checked >= 16


def closed(schema: Any) -> Any:
    """The CRD's schema with unknown fields refused (kubectl --validate=strict)."""
    if isinstance(schema, dict):
        schema = {key: closed(value) for key, value in schema.items()}
        if (
            "properties" in schema
            and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")
        ):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [closed(value) for value in schema]
    return schema


@functools.cache
def crd_schemas() -> dict[tuple[str, str], dict[str, Any]]:
    schemas = {}
    for path in sorted(CRDS.glob("*.yaml")):
        for crd in yaml.load_all(path.read_text(), Loader=LOADER):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
            for version in crd["spec"]["versions"]:
                if version["served"]:
                    schemas[(f"{group}/{version['name']}", kind)] = closed(
                        version["schema"]["openAPIV3Schema"]
                    )
    return schemas


def test_the_vendored_crds_cover_the_operator_kinds_and_their_readme_names_them() -> None:
    assert set(crd_schemas()) >= OPERATOR_KINDS
    readme = (CRDS / "README.md").read_text()
    for path in CRDS.glob("*.yaml"):
        assert f"`{path.name}`" in readme


def test_operator_resources_are_valid_against_the_operators_crds(rendered: list[dict[str, Any]]) -> None:
    schemas = crd_schemas()
    found = 0
    for document in rendered:
        key = (document["apiVersion"], document["kind"])
        if key not in OPERATOR_KINDS:
            continue
        body = {k: v for k, v in document.items() if k != "metadata"}
        errors = sorted(jsonschema.Draft7Validator(schemas[key]).iter_errors(body), key=str)
        assert not errors, "\n".join(f"{document['kind']}: {e.message} at {list(e.path)}" for e in errors)
        found += 1
    assert found == 2


def test_the_mongodb_statefulset_override_is_a_valid_statefulset(rendered: list[dict[str, Any]]) -> None:
    """MCK's CRD keeps spec.statefulSet.spec open (it merges it into its StatefulSet), so
    it is checked as the StatefulSet spec it becomes, with the selector MCK sets."""
    override = copy.deepcopy(one(rendered, "MongoDBCommunity", "kim-mongodb")["spec"]["statefulSet"]["spec"])
    override.setdefault("selector", {"matchLabels": {"app": "kim-mongodb-svc"}})
    statefulset = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "kim-mongodb"}}
    kubernetes_validate.validate({**statefulset, "spec": override}, KUBERNETES_VERSION, strict=True)
    override["template"]["spec"]["containerz"] = []
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate({**statefulset, "spec": override}, KUBERNETES_VERSION, strict=True)


def test_the_crd_check_refuses_an_unknown_or_mistyped_field() -> None:
    schema = crd_schemas()[("rabbitmq.com/v1beta1", "RabbitmqCluster")]
    cluster = copy.deepcopy(one(render(BASE), "RabbitmqCluster", "kim-rabbitmq"))
    cluster.pop("metadata")
    assert jsonschema.Draft7Validator(schema).is_valid(cluster)
    cluster["spec"]["replica"] = 3
    assert not jsonschema.Draft7Validator(schema).is_valid(cluster)
    del cluster["spec"]["replica"]
    cluster["spec"]["replicas"] = "three"
    assert not jsonschema.Draft7Validator(schema).is_valid(cluster)


# ---------------------------------------------------------------------------- the services


@pytest.mark.parametrize("app", APPS)
def test_each_service_runs_two_replicas_spread_with_probes_and_resources(
    rendered: list[dict[str, Any]], app: str
) -> None:
    deployment = one(rendered, "Deployment", app)
    assert deployment["spec"]["replicas"] == 2
    pod = deployment["spec"]["template"]
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert selector.items() <= pod["metadata"]["labels"].items()
    spread = pod["spec"]["topologySpreadConstraints"]
    assert [c["topologyKey"] for c in spread] == ["kubernetes.io/hostname"]
    container = container_of(rendered, app)
    (port,) = container["ports"]
    assert container["readinessProbe"]["httpGet"] == {"path": "/ready", "port": port["name"]}
    assert container["livenessProbe"]["httpGet"] == {"path": "/health", "port": port["name"]}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["timeoutSeconds"] < container[probe]["periodSeconds"]
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][kind])
    # A stopping pod gets more than the service's own grace to finish its messages.
    grace = float(
        env_of(rendered, app).get(f"{app.upper()}_SHUTDOWN_GRACE_SECONDS", {"value": "10"})["value"]
    )
    assert pod["spec"]["terminationGracePeriodSeconds"] > grace
    assert container["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False


@pytest.mark.parametrize("app", APPS)
def test_each_service_has_a_disruption_budget_and_a_service(rendered: list[dict[str, Any]], app: str) -> None:
    deployment = one(rendered, "Deployment", app)
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    budget = one(rendered, "PodDisruptionBudget", app)["spec"]
    assert budget["selector"]["matchLabels"].items() <= labels.items()
    assert budget.get("minAvailable", 0) >= 1 or budget.get("maxUnavailable") == 1
    assert budget.get("minAvailable", 0) < deployment["spec"]["replicas"], "a drain could never move a pod"
    service = one(rendered, "Service", app)["spec"]
    assert service["selector"].items() <= labels.items()
    (port,) = container_of(rendered, app)["ports"]
    assert [(p["port"], p["targetPort"]) for p in service["ports"]] == [(port["containerPort"], port["name"])]


@functools.cache
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_fields(app: str) -> dict[str, Any]:
    settings = importlib.import_module(f"{app}.config").Settings
    return {f"{app.upper()}_{name.upper()}": field for name, field in settings.model_fields.items()}


def is_secret_field(field: Any) -> bool:
    return "SecretStr" in str(field.annotation) or field.annotation is SecretStr


@pytest.mark.parametrize("app", APPS)
def test_each_service_runs_what_compose_runs(rendered: list[dict[str, Any]], app: str) -> None:
    container = container_of(rendered, app)
    service = compose()["services"][app]
    assert container["command"] == service["command"]
    assert container["image"].rsplit(":", 1)[0].endswith(compose()["x-service"]["image"].split(":")[0])


@pytest.mark.parametrize("app", APPS)
def test_each_service_is_given_the_settings_compose_gives_it(
    rendered: list[dict[str, Any]], app: str
) -> None:
    env = env_of(rendered, app)
    compose_env: dict[str, str] = compose()["services"][app]["environment"]
    names = {name for name in env if not HELPER_VARIABLE.match(name)}
    fields = settings_fields(app)
    # OTEL_*: read by the OpenTelemetry exporter itself, not a field of the settings.
    unknown = {name for name in names - set(fields) if not name.startswith("OTEL_")}
    assert not unknown, f"{app}.config.Settings has no field for {sorted(unknown)}"
    missing = set(compose_env) - names
    assert not missing, f"{app} is not given {sorted(missing)}, which compose gives it"
    # WhatsApp: the settings compose's comment names, from an optional Secret.
    extra = names - set(compose_env)
    assert all(name.startswith("NOTIFICATIONS_WHATSAPP_") for name in extra), sorted(extra)
    for name in extra:
        assert env[name]["valueFrom"]["secretKeyRef"]["optional"] is True
    # The same fixed values; only the addresses and what compose takes from .env differ.
    for name, value in compose_env.items():
        if "$" in str(value) or name.endswith(("_URL", "_TRUSTED_PROXIES")):
            continue
        assert env[name].get("value") == str(value), (
            f"{name}: {env[name]} in the cluster, {value!r} in compose"
        )


@pytest.mark.parametrize("app", APPS)
def test_no_secret_is_written_in_a_manifest(rendered: list[dict[str, Any]], app: str) -> None:
    env = env_of(rendered, app)
    fields = settings_fields(app)
    from_secrets = {name for name, entry in env.items() if "secretKeyRef" in entry.get("valueFrom", {})}
    for name, entry in env.items():
        if HELPER_VARIABLE.match(name):
            assert name in from_secrets, f"{name} is a password, from a Secret"
        elif name.startswith("OTEL_"):  # the exporter's own settings: an address, no secret
            assert "configMapKeyRef" in entry.get("valueFrom", {}), name
        elif is_secret_field(fields[name]) and name not in from_secrets:
            # A URL with its password put in by Kubernetes from an earlier variable.
            url = urlsplit(entry["value"])
            password = re.fullmatch(r"\$\(([A-Z_]+)\)", url.password or "")
            assert password, f"{name} holds a secret: it must come from a Secret"
            names = list(env)
            assert password.group(1) in from_secrets
            assert names.index(password.group(1)) < names.index(name), (
                "$(NAME) expands only earlier variables"
            )


def test_no_secret_value_is_in_the_kubernetes_files() -> None:
    example = {
        line.split("=", 1)[1].strip('"')
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    for path in KUBERNETES.rglob("*.yaml"):
        text = path.read_text()
        assert not re.search(r"^kind:\s*Secret\s*$", text, re.MULTILINE), (
            f"{path}: a Secret in the repository"
        )
        assert not re.search(r"^\s*(stringData|data):", text, re.MULTILINE) or path.name == "settings.yaml", (
            path
        )
        assert "change-me" not in text
    assert "change-me" in example


def test_the_console_is_published_through_its_ingress_at_its_public_address(
    rendered: list[dict[str, Any]],
) -> None:
    ingress = one(rendered, "Ingress", "console")["spec"]
    public = urlsplit(one(rendered, "ConfigMap", "kim-settings")["data"]["console-public-url"])
    assert public.scheme == "https", "the console's cookies are Secure"
    (rule,) = ingress["rules"]
    assert rule["host"] == public.hostname
    assert ingress["tls"][0]["hosts"] == [public.hostname]
    (path,) = rule["http"]["paths"]
    assert path["path"] == "/"
    assert path["backend"]["service"] == {"name": "console", "port": {"name": "http"}}
    # Nothing else is published.
    assert [o["metadata"]["name"] for o in find(rendered, "Ingress")] == ["console"]
    assert all(o["spec"].get("type", "ClusterIP") == "ClusterIP" for o in find(rendered, "Service"))


def test_the_console_reaches_each_service_at_its_cluster_address(rendered: list[dict[str, Any]]) -> None:
    env = env_of(rendered, "console")
    for service in SERVICES:
        url = urlsplit(env[f"CONSOLE_{service.upper()}_URL"]["value"])
        port = one(rendered, "Service", url.hostname or "")["spec"]["ports"][0]["port"]
        assert (url.hostname, url.port) == (service, port)


def test_the_registry_believes_forwarded_for_only_from_the_pods_the_network_policy_lets_in(
    rendered: list[dict[str, Any]],
) -> None:
    policy = one(rendered, "NetworkPolicy", "registry")["spec"]
    assert policy["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "registry"}
    (rule,) = policy["ingress"]
    assert [source["podSelector"]["matchLabels"] for source in rule["from"]] == [
        {"app.kubernetes.io/name": "console"}
    ]
    assert one(rendered, "ConfigMap", "kim-settings")["data"]["trusted-proxies"]


def test_every_setting_read_from_the_config_map_is_in_it(rendered: list[dict[str, Any]]) -> None:
    data = one(rendered, "ConfigMap", "kim-settings")["data"]
    used = set()
    for app in APPS:
        for entry in env_of(rendered, app).values():
            reference = entry.get("valueFrom", {}).get("configMapKeyRef")
            if reference:
                assert reference["name"] == "kim-settings"
                assert reference["key"] in data
                used.add(reference["key"])
    assert used == set(data), f"unused settings: {sorted(set(data) - used)}"


def test_the_production_overlay_runs_a_pinned_image_from_a_registry() -> None:
    for document in find(render(KUBERNETES / "overlays" / "production"), "Deployment"):
        for container in containers(document):
            name, _, tag = container["image"].rpartition(":")
            assert "/" in name and tag and tag != "latest", container["image"]


# ---------------------------------------------------------------------------- the broker and the database


@functools.cache
def definitions_template() -> dict[str, Any]:
    return json.loads((ROOT / "deploy" / "rabbitmq" / "definitions.template.json").read_text())


def conf(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def test_rabbitmq_is_three_nodes_one_per_machine_in_production() -> None:
    cluster = one(render(KUBERNETES / "overlays" / "production"), "RabbitmqCluster", "kim-rabbitmq")["spec"]
    assert cluster["replicas"] == 3
    assert cluster["image"] == compose()["services"]["rabbitmq"]["image"]
    terms = cluster["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert [term["topologyKey"] for term in terms] == ["kubernetes.io/hostname"]
    budget = one(render(KUBERNETES / "overlays" / "production"), "PodDisruptionBudget", "kim-rabbitmq")[
        "spec"
    ]
    assert budget["maxUnavailable"] == 1
    assert budget["selector"]["matchLabels"] == {"app.kubernetes.io/name": "kim-rabbitmq"}


def test_rabbitmq_loads_our_definitions_from_a_secret_and_keeps_quorum_queues_on_three_nodes(
    rendered: list[dict[str, Any]],
) -> None:
    cluster = one(rendered, "RabbitmqCluster", "kim-rabbitmq")["spec"]
    settings = conf(cluster["rabbitmq"]["additionalConfig"])
    compose_conf = conf((ROOT / "deploy" / "rabbitmq" / "rabbitmq.conf").read_text())
    assert settings["max_message_size"] == compose_conf["max_message_size"]
    assert settings["quorum_queue.continuous_membership_reconciliation.enabled"] == "true"
    assert int(settings["quorum_queue.continuous_membership_reconciliation.target_group_size"]) == 3
    path = Path(settings["load_definitions"])
    pod = cluster["override"]["statefulSet"]["spec"]["template"]["spec"]
    (mount,) = [m for c in pod["containers"] if c["name"] == "rabbitmq" for m in c["volumeMounts"]]
    assert path.parent == Path(mount["mountPath"]) and mount["readOnly"] is True
    (volume,) = [v for v in pod["volumes"] if v["name"] == mount["name"]]
    assert volume["secret"]["secretName"] == "kim-rabbitmq-definitions"
    assert path.name == "definitions.json"
    # Every queue the definitions make is a quorum queue (replicated), with no per-queue
    # group size that would keep it below three.
    queues = definitions_template()["queues"]
    assert queues
    for queue in queues:
        assert queue["arguments"]["x-queue-type"] == "quorum", queue["name"]
        assert queue["arguments"].get("x-quorum-initial-group-size", 3) >= 3


@pytest.mark.parametrize("app", APPS)
def test_each_service_connects_to_the_broker_as_its_own_user(
    rendered: list[dict[str, Any]], app: str
) -> None:
    env = env_of(rendered, app)
    url = urlsplit(env[f"{app.upper()}_AMQP_URL"]["value"])
    # Compose's URL with its ${...} interpolations (the password) stood in for.
    compose_url = urlsplit(
        re.sub(r"\$\{[^}]*\}", "x", compose()["services"][app]["environment"][f"{app.upper()}_AMQP_URL"])
    )
    assert (url.scheme, url.username, url.port, url.path) == (
        compose_url.scheme,
        compose_url.username,
        compose_url.port,
        compose_url.path,
    )
    assert url.hostname == one(rendered, "RabbitmqCluster", "kim-rabbitmq")["metadata"]["name"]
    assert url.username in {user["name"] for user in definitions_template()["users"]}
    reference = env[re.fullmatch(r"\$\(([A-Z_]+)\)", url.password or "").group(1)]  # type: ignore[union-attr]
    assert reference["valueFrom"]["secretKeyRef"] == {"name": "kim-rabbitmq-users", "key": app}


def test_mongodb_is_a_three_member_replica_set_with_one_user_per_service(
    rendered: list[dict[str, Any]],
) -> None:
    database = one(rendered, "MongoDBCommunity", "kim-mongodb")["spec"]
    assert (database["type"], database["members"]) == ("ReplicaSet", 3)
    assert database["security"]["authentication"]["modes"] == ["SCRAM"]
    assert (
        database["version"].split(".")[0]
        == compose()["services"]["mongodb"]["image"].split(":")[1].split(".")[0]
    )
    users = {user["name"]: user for user in database["users"]}
    secret_names = [user["connectionStringSecretName"] for user in database["users"]]
    assert len(set(secret_names)) == len(secret_names)
    for service in SERVICES:
        user = users[service]
        # As service-users.js: readWrite on its own database only, defined there.
        assert user["db"] == service
        assert user["roles"] == [{"name": "readWrite", "db": service}]
        env = env_of(rendered, service)
        prefix = service.upper()
        assert env[f"{prefix}_MONGODB_URL"]["valueFrom"]["secretKeyRef"] == {
            "name": user["connectionStringSecretName"],
            "key": "connectionString.standard",
        }
        assert env[f"{prefix}_MONGODB_DATABASE"]["value"] == user["db"]
    assert set(users) == {*SERVICES, "kim-admin"}
    budget = one(rendered, "PodDisruptionBudget", "kim-mongodb")["spec"]
    # The operator labels the members app=<name>-svc.
    assert budget["selector"]["matchLabels"] == {"app": "kim-mongodb-svc"} and budget["maxUnavailable"] == 1


def test_mongodb_members_are_one_per_machine_in_production() -> None:
    database = one(render(KUBERNETES / "overlays" / "production"), "MongoDBCommunity", "kim-mongodb")["spec"]
    pod = database["statefulSet"]["spec"]["template"]["spec"]
    terms = pod["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert terms == [
        {
            "topologyKey": "kubernetes.io/hostname",
            "labelSelector": {"matchLabels": {"app": "kim-mongodb-svc"}},
        }
    ]


# ---------------------------------------------------------------------------- the Secrets

#: A stand-in kubectl: `create` keeps its arguments (one per line) and copies each
#: --from-file into $FAKE_KUBECTL_LOG/<secret>/<key>; `apply` reads its input.
FAKE_KUBECTL = r"""#!/bin/bash
set -euo pipefail
if [ "$1" = create ]; then
    secret="$4"
    mkdir -p "$FAKE_KUBECTL_LOG/$secret"
    printf '%s\n' "$@" > "$FAKE_KUBECTL_LOG/$secret.args"
    for arg in "$@"; do
        case "$arg" in --from-file=*)
            pair="${arg#--from-file=}"
            cp "${pair#*=}" "$FAKE_KUBECTL_LOG/$secret/${pair%%=*}"
        esac
    done
else
    cat > /dev/null
fi
"""


def secret_values(whatsapp: bool) -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            name, value = line.split("=", 1)
            values[name] = (
                f"{name.lower().replace('_', '-')}-{os.urandom(6).hex()}" if value == "change-me" else value
            )
    if whatsapp:
        for name in ("TOKEN", "PHONE_NUMBER_ID", "APP_SECRET", "VERIFY_TOKEN"):
            values[f"NOTIFICATIONS_WHATSAPP_{name}"] = f"whatsapp-{name.lower()}-{os.urandom(4).hex()}"
    return values


def run_create_secrets(
    tmp_path: Path, values: dict[str, str]
) -> tuple[dict[str, dict[str, str]], list[list[str]]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    kubectl = bin_dir / "kubectl"
    kubectl.write_text(FAKE_KUBECTL)
    kubectl.chmod(0o755)
    env_file = tmp_path / "cluster.env"
    env_file.write_text("# a comment\n\n" + "".join(f'{name}="{value}"\n' for name, value in values.items()))
    log = tmp_path / "kubectl"
    shutil.rmtree(log, ignore_errors=True)
    log.mkdir()
    subprocess.run(
        ["bash", str(KUBERNETES / "create-secrets.sh"), str(env_file), "kim-test"],
        check=True,
        timeout=30,
        env={"PATH": f"{bin_dir}:{os.environ['PATH']}", "FAKE_KUBECTL_LOG": str(log), "HOME": str(tmp_path)},
    )
    secrets: dict[str, dict[str, str]] = {}
    commands = []
    for arguments in sorted(log.glob("*.args")):
        args = arguments.read_text().splitlines()
        assert (
            args[:3] == ["create", "secret", "generic"] and args[args.index("--namespace") + 1] == "kim-test"
        )
        secrets[args[3]] = {path.name: path.read_text() for path in (log / args[3]).iterdir()}
        commands.append(args)
    return secrets, commands


@pytest.fixture(scope="module")
def made_secrets(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    values = secret_values(whatsapp=True)
    secrets, commands = run_create_secrets(tmp_path_factory.mktemp("secrets"), values)
    for args in commands:
        for secret in (v for k, v in values.items() if "PASSWORD" in k or "SECRET" in k or "TOKEN" in k):
            assert not any(secret in arg for arg in args), "a secret on kubectl's command line"
    return values, secrets


def operator_secrets(rendered: list[dict[str, Any]]) -> dict[str, set[str]]:
    """The Secrets MCK makes: each user's connection string."""
    database = one(rendered, "MongoDBCommunity", "kim-mongodb")["spec"]
    return {
        user["connectionStringSecretName"]: {
            "connectionString.standard",
            "connectionString.standardSrv",
            "username",
            "password",
        }
        for user in database["users"]
    }


def test_every_secret_a_manifest_reads_is_made(
    rendered: list[dict[str, Any]], made_secrets: tuple[dict[str, str], dict[str, dict[str, str]]]
) -> None:
    _, secrets = made_secrets
    available = {name: set(keys) for name, keys in secrets.items()} | operator_secrets(rendered)
    references = []
    for app in APPS:
        for entry in env_of(rendered, app).values():
            if "secretKeyRef" in entry.get("valueFrom", {}):
                references.append(entry["valueFrom"]["secretKeyRef"])
    database = one(rendered, "MongoDBCommunity", "kim-mongodb")["spec"]
    references += [user["passwordSecretRef"] for user in database["users"]]
    cluster = one(rendered, "RabbitmqCluster", "kim-rabbitmq")["spec"]
    for volume in cluster["override"]["statefulSet"]["spec"]["template"]["spec"]["volumes"]:
        references.append({"name": volume["secret"]["secretName"], "key": "definitions.json"})
    for reference in references:
        assert reference["key"] in available.get(reference["name"], set()), f"nothing makes {reference}"
    made = {reference["name"] for reference in references}
    assert set(secrets) <= made, f"made but never read: {sorted(set(secrets) - made)}"


def test_the_secrets_hold_the_env_files_values(
    made_secrets: tuple[dict[str, str], dict[str, dict[str, str]]],
) -> None:
    values, secrets = made_secrets
    for service in (*SERVICES, "console"):
        assert secrets["kim-rabbitmq-users"][service] == values[f"RABBITMQ_{service.upper()}_PASSWORD"]
    for service in SERVICES:
        assert secrets["kim-mongodb-passwords"][service] == values[f"MONGO_{service.upper()}_PASSWORD"]
    assert secrets["kim-auth"]["token-secret"] == values["AUTH_TOKEN_SECRET"]
    assert secrets["kim-console"]["session-secret"] == values["CONSOLE_SESSION_SECRET"]
    assert secrets["kim-first-admin"] == {
        "email": values["REGISTRY_FIRST_ADMIN_EMAIL"],
        "password": values["REGISTRY_FIRST_ADMIN_PASSWORD"],
    }
    assert secrets["kim-whatsapp"]["token"] == values["NOTIFICATIONS_WHATSAPP_TOKEN"]
    # The broker's definitions, with each service user's password the one its URL carries.
    definitions = json.loads(secrets["kim-rabbitmq-definitions"]["definitions.json"])
    assert "{{" not in json.dumps(definitions)
    users = {user["name"]: user for user in definitions["users"]}
    assert set(users) == {values["RABBITMQ_ADMIN_USER"], *SERVICES, "console"}
    template_users = {user["name"] for user in definitions_template()["users"]}
    assert set(users) - {values["RABBITMQ_ADMIN_USER"]} == template_users - {"{{RABBITMQ_ADMIN_USER}}"}


def test_create_secrets_makes_no_whatsapp_secret_without_whatsapp(tmp_path: Path) -> None:
    secrets, _ = run_create_secrets(tmp_path, secret_values(whatsapp=False))
    assert "kim-whatsapp" not in secrets
    assert {"kim-rabbitmq-definitions", "kim-rabbitmq-users", "kim-mongodb-passwords"} <= set(secrets)


def test_create_secrets_refuses_a_placeholder_or_a_missing_value(tmp_path: Path) -> None:
    values = secret_values(whatsapp=False)
    values["RABBITMQ_JUDGING_PASSWORD"] = "change-me"
    with pytest.raises(subprocess.CalledProcessError):
        run_create_secrets(tmp_path, values)
    values = secret_values(whatsapp=False)
    del values["CONSOLE_SESSION_SECRET"]
    with pytest.raises(subprocess.CalledProcessError):
        run_create_secrets(tmp_path, values)


def test_the_readme_walks_from_compose_to_the_cluster() -> None:
    readme = (ROOT / "deploy" / "README.md").read_text()
    for needed in (
        "deploy/kubernetes/create-secrets.sh",
        "kubectl apply -k deploy/kubernetes/overlays/production",
        "RabbitmqCluster",
        "MongoDBCommunity",
        "scale deployment/",
    ):
        assert needed in readme, needed


if __name__ == "__main__":
    print(yaml.safe_dump_all(render(KUBERNETES / "overlays" / sys.argv[1]), sort_keys=False), end="")
