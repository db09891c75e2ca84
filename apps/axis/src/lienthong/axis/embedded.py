"""The embedded mode: all six services in one process, one HTTP port, one gRPC port, files under one folder."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from lienthong.archive import bootstrap as archive
from lienthong.archive.settings import ArchiveSettings
from lienthong.documents import bootstrap as documents
from lienthong.documents.settings import DocumentsSettings
from lienthong.platform.runtime import Runner, ServiceApp, token_verifier_for
from lienthong.platform.telemetry import setup_telemetry
from lienthong.registry import bootstrap as registry
from lienthong.registry.entrypoints.cli import load_sample
from lienthong.registry.settings import RegistrySettings
from lienthong.reporting import bootstrap as reporting
from lienthong.reporting.settings import ReportingSettings
from lienthong.routing import bootstrap as routing
from lienthong.routing.settings import RoutingSettings
from lienthong.signing import bootstrap as signing
from lienthong.signing.settings import SigningSettings

log = logging.getLogger(__name__)

SERVICES: list[tuple[Any, Any]] = [
    (registry, RegistrySettings),
    (signing, SigningSettings),
    (documents, DocumentsSettings),
    (routing, RoutingSettings),
    (archive, ArchiveSettings),
    (reporting, ReportingSettings),
]


def build_embedded(overrides: dict[str, Any], *, sample_data: bool = False) -> tuple[Runner, RegistrySettings]:
    """Build every service with the same data folder and ports (``overrides`` beat the environment)."""
    overrides = {k: v for k, v in overrides.items() if v is not None}
    registry_settings = RegistrySettings(**overrides)
    setup_telemetry("lienthong-axis", log_level=registry_settings.log_level,
                    otlp_endpoint=registry_settings.otlp_endpoint)
    if sample_data:
        core, database = registry.build_core(registry_settings)
        try:
            added = load_sample(core)
            log.info("sample province loaded: %d agencies added", added)
        finally:
            database.dispose()
    apps: list[ServiceApp] = [module.build(settings_cls(**overrides)) for module, settings_cls in SERVICES]
    runner = Runner(apps, http_host=registry_settings.http_host, http_port=registry_settings.http_port,
                    grpc_address=registry_settings.grpc_self_target, verifier=token_verifier_for(registry_settings),
                    title="LienThong — trục liên thông văn bản (embedded)")
    return runner, registry_settings


def describe(settings: RegistrySettings) -> str:
    """Where the embedded axis listens, for the operator starting it."""
    base = f"http://{settings.http_host}:{settings.http_port}"
    data = Path(settings.data_dir).resolve()
    return (f"LienThong axis (embedded mode) is up:\n"
            f"  HTTP    {base}   (OpenAPI docs {base}/docs, health {base}/healthz, metrics {base}/metrics)\n"
            f"  gRPC    {settings.grpc_self_target}   (all six services, standard health service)\n"
            f"  tokens  {base}/oauth2/token   keys {base}/.well-known/jwks.json\n"
            f"  data    {data}   (SQLite per service, event log, blobs)\n"
            f"Create a client for an agency:  uv run lienthong registry add-client --name 'QLVB' "
            f"--agency 000.00.11.H99")
