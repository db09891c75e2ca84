"""Static checks of the deployment files, which cannot be run here (no Docker, no cluster).

- docker-compose.yml: valid against the Compose Specification schema (vendored by
  check-jsonschema), every service with an image or build, environment and healthcheck,
  the six services from one image in distributed mode, wired to each other as DESIGN.md says;
- Dockerfile, deploy/postgres (one database per service), deploy/nginx/gateway.conf;
- charts/lienthong: Chart.yaml fields, values.yaml against values.schema.json, and the chart
  rendered offline by Helm's own engine (helm-python-sdk bundles the Helm Go SDK).
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import stat
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
GATEWAY_CONF = ROOT / "deploy" / "nginx" / "gateway.conf"
PG_INIT = ROOT / "deploy" / "postgres" / "init-databases.sh"
CHART = ROOT / "charts" / "lienthong"

SERVICES = ("registry", "documents", "signing", "routing", "archive", "reporting")
INFRASTRUCTURE = ("postgres", "kafka", "minio", "gateway")
GRPC_CALLS = {
    "registry": [],
    "documents": ["registry", "signing", "routing"],
    "signing": [],
    "routing": ["registry", "documents"],
    "archive": ["documents"],
    "reporting": [],
}
"""Who calls whose gRPC API (DESIGN.md §3): LIENTHONG_<CALLER>_<CALLEE>_GRPC_TARGET."""
PER_REQUEST_CALLS = {("documents", "routing"), ("routing", "documents")}
"""Calls made per request only (documents' access checks, routing's mailbox facade): compose cannot express
a cycle of health dependencies, so these callers start without waiting for the callee."""

SHARED_ENV = {
    "LIENTHONG_MODE": "distributed",
    "LIENTHONG_TRANSPORT": "kafka",
    "LIENTHONG_KAFKA_BOOTSTRAP_SERVERS": "kafka:9092",
    "LIENTHONG_BLOB_BACKEND": "s3",
    "LIENTHONG_S3_ENDPOINT": "minio:9000",
    "LIENTHONG_JWKS_URL": "http://registry:8080/.well-known/jwks.json",
    "LIENTHONG_HTTP_HOST": "0.0.0.0",
    "LIENTHONG_GRPC_HOST": "0.0.0.0",
}


# ------------------------------------------------------------------ compose


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def compose_validator() -> jsonschema.protocols.Validator:
    text = (resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json").read_text("utf-8")
    schema = json.loads(text)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _errors(validator: jsonschema.protocols.Validator, instance: Any) -> list[str]:
    return sorted(f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
                  for e in validator.iter_errors(instance))


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def test_compose_file_is_valid_against_the_compose_spec(compose, compose_validator) -> None:
    assert _errors(compose_validator, compose) == []


@pytest.mark.parametrize("breakage", [
    lambda c: c["services"]["registry"].__setitem__("healthcheck", "yes"),
    lambda c: c["services"]["gateway"].__setitem__("ports", 8080),
    lambda c: c["services"]["kafka"].__setitem__("restart_policy", "always"),
    lambda c: c["services"]["documents"]["depends_on"]["registry"].__setitem__("condition", "up"),
])
def test_compose_schema_check_does_catch_mistakes(compose, compose_validator, breakage) -> None:
    broken = copy.deepcopy(compose)
    breakage(broken)
    assert _errors(compose_validator, broken)


def test_compose_has_the_six_services_and_the_infrastructure(compose) -> None:
    assert set(compose["services"]) == set(SERVICES) | set(INFRASTRUCTURE)


@pytest.mark.parametrize("name", SERVICES + INFRASTRUCTURE)
def test_every_compose_service_has_an_image_environment_and_healthcheck(compose, name) -> None:
    service = compose["services"][name]
    assert service.get("image") or service.get("build"), f"{name}: no image and no build"
    assert _env(service), f"{name}: no environment"
    healthcheck = service.get("healthcheck") or {}
    assert healthcheck.get("test") and not healthcheck.get("disable"), f"{name}: no healthcheck"


def test_the_six_services_share_one_image_built_from_the_dockerfile(compose) -> None:
    images = {compose["services"][name]["image"] for name in SERVICES}
    assert len(images) == 1
    for name in SERVICES:
        build = compose["services"][name]["build"]
        assert (ROOT / build["context"] / build.get("dockerfile", "Dockerfile")).resolve() == DOCKERFILE


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_runs_in_distributed_mode_with_its_own_database(compose, name) -> None:
    service = compose["services"][name]
    env = _env(service)
    assert service["command"] == ["serve", name]
    for key, value in SHARED_ENV.items():
        assert env.get(key) == value, key
    prefix = f"LIENTHONG_{name.upper()}_"
    url = env[prefix + "DATABASE_URL"]
    assert re.fullmatch(rf"postgresql\+psycopg://lienthong_{name}:[^@]+@postgres:5432/lienthong_{name}", url), url
    assert int(env[prefix + "HTTP_PORT"]) == 8080  # the port of the healthcheck, gateway and JWKS URL
    assert 1 <= int(env[prefix + "GRPC_PORT"]) <= 65535
    assert "8080" in service["healthcheck"]["test"][-1]
    for other in SERVICES:  # a service is configured for itself only
        if other != name:
            assert not any(k.startswith(f"LIENTHONG_{other.upper()}_") for k in env), other


@pytest.mark.parametrize("caller", SERVICES)
def test_grpc_targets_point_at_the_called_services(compose, caller) -> None:
    services = compose["services"]
    env = _env(services[caller])
    targets = {k: v for k, v in env.items() if k.endswith("_GRPC_TARGET")}
    expected = {}
    for callee in GRPC_CALLS[caller]:
        port = _env(services[callee])[f"LIENTHONG_{callee.upper()}_GRPC_PORT"]
        expected[f"LIENTHONG_{caller.upper()}_{callee.upper()}_GRPC_TARGET"] = f"{callee}:{port}"
        if (caller, callee) not in PER_REQUEST_CALLS:
            assert services[caller]["depends_on"][callee]["condition"] == "service_healthy"
    assert targets == expected


def test_dependencies_and_volumes_are_declared(compose) -> None:
    names = set(compose["services"])
    declared_volumes = set(compose.get("volumes") or {})
    for name, service in compose["services"].items():
        assert set(service.get("depends_on") or {}) <= names, name
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith((".", "/")):
                assert (ROOT / source).exists(), f"{name}: {source} does not exist"
            else:
                assert source in declared_volumes, f"{name}: volume {source} is not declared"
    for name in SERVICES:
        assert {"postgres", "kafka", "minio"} <= set(compose["services"][name]["depends_on"]), name


def test_postgres_init_script_creates_each_services_database(compose) -> None:
    postgres = compose["services"]["postgres"]
    assert "./deploy/postgres:/docker-entrypoint-initdb.d:ro" in postgres["volumes"]
    assert PG_INIT.stat().st_mode & stat.S_IXUSR
    assert set(_env(postgres)["LIENTHONG_DATABASES"].split()) == set(SERVICES)
    script = PG_INIT.read_text()
    assert "lienthong_${name}" in script and "CREATE DATABASE" in script and "CREATE ROLE" in script


@pytest.mark.postgres
def test_postgres_init_script_runs_and_is_idempotent() -> None:
    """Run the init script for two throw-away names against the test server, twice."""
    if not shutil.which("psql"):
        pytest.skip("psql is not installed")
    from sqlalchemy.engine import make_url

    url = make_url(os.environ.get("LIENTHONG_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    suffix = os.urandom(4).hex()
    names = [f"zzinit{suffix}a", f"zzinit{suffix}b"]
    env = {**os.environ, "PGHOST": url.host or "127.0.0.1", "PGPORT": str(url.port or 5432),
           "POSTGRES_USER": url.username or "postgres", "PGPASSWORD": url.password or "",
           "LIENTHONG_DATABASES": " ".join(names), "LIENTHONG_DB_PASSWORD": "it's a test"}
    psql = ["psql", "-v", "ON_ERROR_STOP=1", "-U", env["POSTGRES_USER"], "-d", "postgres", "-Atc"]
    try:
        for _ in range(2):
            subprocess.run(["bash", str(PG_INIT)], env=env, check=True, capture_output=True, timeout=60)
        query = ("SELECT datname || '=' || pg_get_userbyid(datdba) FROM pg_database "
                 f"WHERE datname LIKE 'lienthong_zzinit{suffix}%' ORDER BY 1")
        owners = subprocess.run(
            [*psql, query],
            env=env, check=True, capture_output=True, text=True, timeout=30).stdout.split()
        assert owners == [f"lienthong_{n}=lienthong_{n}" for n in names]
    finally:
        for n in names:
            subprocess.run([*psql, f'DROP DATABASE IF EXISTS "lienthong_{n}"'], env=env, capture_output=True, check=False)
            subprocess.run([*psql, f'DROP ROLE IF EXISTS "lienthong_{n}"'], env=env, capture_output=True, check=False)


# ------------------------------------------------------------------ Dockerfile and gateway


def test_dockerfile_builds_the_locked_workspace_on_python_311_slim() -> None:
    text = DOCKERFILE.read_text()
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim$", text, re.MULTILINE)
    assert re.search(r"^FROM \$\{PYTHON_IMAGE\}", text, re.MULTILINE)
    assert "uv sync --frozen --no-dev" in text
    assert re.search(r'^ENTRYPOINT \["lienthong"\]$', text, re.MULTILINE)
    scripts = _toml(ROOT / "apps" / "axis" / "pyproject.toml")["project"]["scripts"]
    assert "lienthong" in scripts  # the entry point the image runs
    for source in re.findall(r"^COPY (?!--from)(\S+)", text, re.MULTILINE):
        assert (ROOT / source).exists(), source


def _toml(path: Path) -> dict[str, Any]:
    import tomllib

    return tomllib.loads(path.read_text())


def _gateway_locations() -> dict[str, str]:
    """``location`` path -> the upstream it proxies to (the ``set $upstream`` of that block)."""
    text = GATEWAY_CONF.read_text()
    found = {}
    for path, body in re.findall(r"location\s+([^\s{]+)\s*\{([^}]*)\}", text):
        upstream = re.search(r"set\s+\$upstream\s+(\S+);", body)
        if upstream:
            assert "proxy_pass $upstream;" in body, path
            found[path] = upstream.group(1)
    return found


def test_gateway_routes_each_api_prefix_to_its_service_and_identity_to_the_registry(compose) -> None:
    locations = _gateway_locations()
    expected = {f"/api/v1/{name}/": f"http://{name}:8080" for name in SERVICES}
    expected |= {"/oauth2/": "http://registry:8080", "/.well-known/": "http://registry:8080"}
    expected |= {"/vxp/": "http://routing:8080", "/XrdAdapter/adapter/": "http://routing:8080"}  # mailbox protocol
    assert locations == expected
    gateway = compose["services"]["gateway"]
    assert "./deploy/nginx/gateway.conf:/etc/nginx/conf.d/default.conf:ro" in gateway["volumes"]
    health_path = re.search(r"http://127\.0\.0\.1(/\S+)", " ".join(gateway["healthcheck"]["test"])).group(1)
    assert f"location = {health_path} " in GATEWAY_CONF.read_text()


def test_gateway_config_passes_nginx_t(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        if os.environ.get("CI") == "true":  # .ci/run installs nginx: on CI the check must run
            pytest.fail("nginx is not installed on CI")
        pytest.skip("nginx is not installed (apt-get install nginx-light to run this check)")
    main = tmp_path / "nginx.conf"
    main.write_text(f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
                    f"http {{\n  access_log off;\n  include {GATEWAY_CONF};\n}}\n")
    result = subprocess.run([nginx, "-t", "-q", "-c", str(main), "-p", str(tmp_path)],
                            capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ Helm chart


@pytest.fixture(scope="module")
def values() -> dict[str, Any]:
    return yaml.safe_load((CHART / "values.yaml").read_text())


@pytest.fixture(scope="module")
def values_validator() -> jsonschema.Draft7Validator:
    schema = json.loads((CHART / "values.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_chart_yaml_has_the_required_fields() -> None:
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    assert chart["apiVersion"] == "v2"
    assert chart["name"] == CHART.name
    assert re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?", chart["version"])
    assert isinstance(chart["appVersion"], str) and chart["appVersion"]
    assert chart.get("type", "application") == "application"
    assert chart.get("description")


def test_values_yaml_validates_against_values_schema(values, values_validator) -> None:
    assert _errors(values_validator, values) == []


@pytest.mark.parametrize("breakage", [
    lambda v: v["services"]["registry"].__setitem__("replicas", -1),
    lambda v: v["services"].__setitem__("billing", {"enabled": True, "replicas": 1, "calls": []}),
    lambda v: v["services"]["routing"].__setitem__("calls", ["billing"]),
    lambda v: v["config"].__setitem__("kafkaBootstrapServers", "kafka"),
    lambda v: v["image"].__setitem__("pullPolicy", "Sometimes"),
    lambda v: v["ports"].__setitem__("grpc", 70000),
    lambda v: v["secrets"]["databaseUrls"].__setitem__("registry", "sqlite:///x.db"),
    lambda v: v.__setitem__("replicaCount", 3),
])
def test_values_schema_rejects_bad_values(values, values_validator, breakage) -> None:
    broken = copy.deepcopy(values)
    breakage(broken)
    assert _errors(values_validator, broken)


def test_chart_services_and_calls_match_compose(values) -> None:
    assert set(values["services"]) == set(SERVICES)
    for name, service in values["services"].items():
        assert sorted(service["calls"]) == sorted(GRPC_CALLS[name]), name


def _render(overrides: dict[str, Any] | None = None, release: str = "lt") -> dict[str, list[dict[str, Any]]]:
    """Render the chart offline with Helm's engine: template path -> its manifests."""
    import helm_python as helm

    with helm.Chart.load(str(CHART)) as chart:
        rendered = chart.render(overrides or {}, name=release, namespace="lienthong")
    out = {}
    for path, text in rendered.items():
        if path.endswith(".txt"):
            continue
        docs = [d for d in yaml.safe_load_all(text) if d]
        for doc in docs:
            assert doc.get("apiVersion") and doc.get("kind") and doc["metadata"].get("name"), path
        out[path] = docs
    return out


def _by_kind(rendered: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, dict[str, Any]]]:
    kinds: dict[str, dict[str, dict[str, Any]]] = {}
    for docs in rendered.values():
        for doc in docs:
            name = doc["metadata"]["name"]
            assert name not in kinds.setdefault(doc["kind"], {}), f"duplicate {doc['kind']} {name}"
            kinds[doc["kind"]][name] = doc
    return kinds


def test_chart_renders_a_deployment_and_service_per_service() -> None:
    kinds = _by_kind(_render())
    assert set(kinds) == {"ConfigMap", "Secret", "Deployment", "Service", "Ingress"}
    assert set(kinds["Deployment"]) == {f"lt-lienthong-{n}" for n in SERVICES}
    assert set(kinds["Service"]) == {f"lt-lienthong-{n}" for n in SERVICES}
    config = kinds["ConfigMap"]["lt-lienthong"]["data"]
    assert config["LIENTHONG_MODE"] == "distributed"
    assert config["LIENTHONG_TRANSPORT"] == "kafka"
    assert config["LIENTHONG_BLOB_BACKEND"] == "s3"
    assert config["LIENTHONG_JWKS_URL"] == "http://lt-lienthong-registry:8080/.well-known/jwks.json"
    secret = kinds["Secret"]["lt-lienthong"]["stringData"]
    for name in SERVICES:
        assert secret[f"{name}-database-url"].startswith("postgresql+psycopg://")
        deployment = kinds["Deployment"][f"lt-lienthong-{name}"]
        pod = deployment["spec"]["template"]
        assert deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
        service = kinds["Service"][f"lt-lienthong-{name}"]
        assert service["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
        (container,) = pod["spec"]["containers"]
        assert container["args"] == ["serve", name]
        assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
        env = {e["name"]: e for e in container["env"]}
        prefix = f"LIENTHONG_{name.upper()}_"
        assert env[prefix + "DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {
            "name": "lt-lienthong", "key": f"{name}-database-url"}
        assert env[prefix + "HTTP_PORT"]["value"] == "8080"
        assert env[prefix + "GRPC_PORT"]["value"] == "50051"
        targets = {k: v["value"] for k, v in env.items() if k.endswith("_GRPC_TARGET")}
        assert targets == {f"{prefix}{c.upper()}_GRPC_TARGET": f"lt-lienthong-{c}:50051" for c in GRPC_CALLS[name]}
        assert container["envFrom"] == [{"configMapRef": {"name": "lt-lienthong"}}]


def test_chart_ingress_routes_like_the_compose_gateway() -> None:
    (ingress,) = _by_kind(_render())["Ingress"].values()
    (rule,) = ingress["spec"]["rules"]
    routes = {p["path"]: p["backend"]["service"]["name"] for p in rule["http"]["paths"]}
    expected = {f"/api/v1/{n}": f"lt-lienthong-{n}" for n in SERVICES}
    expected |= {"/oauth2": "lt-lienthong-registry", "/.well-known": "lt-lienthong-registry"}
    expected |= {"/vxp": "lt-lienthong-routing", "/XrdAdapter/adapter": "lt-lienthong-routing"}
    assert routes == expected


def test_chart_options_disable_parts() -> None:
    kinds = _by_kind(_render({
        "ingress": {"enabled": False},
        "secrets": {"existingSecret": "lienthong-credentials"},
        "services": {"reporting": {"enabled": False, "replicas": 1, "calls": []}},
    }, release="lienthong"))
    assert "Ingress" not in kinds and "Secret" not in kinds
    assert set(kinds["Deployment"]) == {f"lienthong-{n}" for n in SERVICES if n != "reporting"}
    container = kinds["Deployment"]["lienthong-registry"]["spec"]["template"]["spec"]["containers"][0]
    refs = {e["valueFrom"]["secretKeyRef"]["name"] for e in container["env"] if "valueFrom" in e}
    assert refs == {"lienthong-credentials"}


def test_chart_refuses_bad_values_when_rendering() -> None:
    import helm_python as helm

    with pytest.raises(helm.HelmError, match="replicas"):
        _render({"services": {"registry": {"replicas": -1}}})
    with pytest.raises(helm.HelmError, match="not enabled"):
        _render({"services": {"signing": {"enabled": False, "replicas": 1, "calls": []}}})
    with pytest.raises(helm.HelmError, match="databaseUrls.routing"):
        _render({"secrets": {"databaseUrls": {"routing": ""}}})


def test_helm_lint_reports_no_error() -> None:
    import helm_python as helm

    report = helm.lint(str(CHART))
    assert report["errors"] == []
    # Severities of Helm's lint support package: 1 info, 2 warning, 3 error.
    assert [m for m in report["messages"] if m["severity"] >= 2] == []
