"""Wiring of the registry: the only place where its adapters are chosen."""

from __future__ import annotations

from pathlib import Path

from lienthong.api.registry.v1 import registry_pb2_grpc
from lienthong.platform.db import Database, run_migrations
from lienthong.platform.grpc import Servicer
from lienthong.platform.messaging import OutboxRelay, Transport
from lienthong.platform.messaging.factory import make_transport
from lienthong.platform.runtime import ServiceApp, serve_service
from lienthong.registry.entrypoints import grpc as grpc_entry
from lienthong.registry.entrypoints import rest
from lienthong.registry.service.use_cases import Registry
from lienthong.registry.settings import RegistrySettings

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"


def build_core(settings: RegistrySettings) -> tuple[Registry, Database]:
    """The registry's use cases on its migrated database (for the CLI and for :func:`build`)."""
    database = Database(settings.database_url)
    run_migrations(database.engine, MIGRATIONS)
    registry = Registry(database, issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                        token_ttl_s=settings.token_ttl_s)
    return registry, database


def build(settings: RegistrySettings | None = None, *, transport: Transport | None = None) -> ServiceApp:
    """The registry service, ready to serve."""
    settings = settings or RegistrySettings()
    registry, database = build_core(settings)
    transport = transport or make_transport(settings)
    relay = OutboxRelay(database.session_factory, transport.publisher(), name="registry-outbox")
    database.on_commit_with_events(relay.wake)
    return ServiceApp(
        name="registry",
        router=rest.router(registry),
        servicers=[Servicer(registry_pb2_grpc.add_RegistryServiceServicer_to_server,
                            grpc_entry.RegistryServicer(registry), "lienthong.api.registry.v1.RegistryService")],
        workers=[relay],
        health=database.ping,
        engines=[database.engine],
        on_close=[transport.close, database.dispose],
    )


def main() -> None:
    serve_service(build, RegistrySettings())
