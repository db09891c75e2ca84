"""Wiring of the registry: the only place where its adapters are chosen."""

from __future__ import annotations

from pathlib import Path

from lienthong.api.documents.v1 import events_pb2 as documents_events
from lienthong.api.registry.v1 import registry_pb2_grpc
from lienthong.platform.db import Database, UnitOfWork, run_migrations
from lienthong.platform.grpc import Servicer
from lienthong.platform.messaging import Event, OutboxRelay, Transport, dispatch, idempotent, topic_of
from lienthong.platform.messaging.factory import make_transport
from lienthong.platform.runtime import NamedWorker, ServiceApp, serve_service
from lienthong.registry.adapters.crypto import SecretBox
from lienthong.registry.entrypoints import grpc as grpc_entry
from lienthong.registry.entrypoints import rest
from lienthong.registry.service.use_cases import PeriodicWorker, Registry
from lienthong.registry.settings import RegistrySettings

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"
GROUP = "registry"


def build_core(settings: RegistrySettings) -> tuple[Registry, Database]:
    """The registry's use cases on its migrated database (for the CLI and for :func:`build`)."""
    database = Database(settings.database_url)
    run_migrations(database.engine, MIGRATIONS)
    keys = settings.secret_encryption_keys.get_secret_value() if settings.secret_encryption_keys else None
    box = SecretBox.from_setting(keys, Path(settings.data_dir) / "registry-secrets.key")
    registry = Registry(database, box, issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                        token_ttl_s=settings.token_ttl_s, key_rollover_s=settings.token_key_rollover_s,
                        secret_overlap_s=settings.secret_rotation_overlap_s,
                        reservation_ttl_s=settings.reservation_ttl_s)
    return registry, database


def build(settings: RegistrySettings | None = None, *, transport: Transport | None = None) -> ServiceApp:
    """The registry service, ready to serve."""
    settings = settings or RegistrySettings()
    registry, database = build_core(settings)
    transport = transport or make_transport(settings)
    relay = OutboxRelay(database.session_factory, transport.publisher(), name="registry-outbox")
    database.on_commit_with_events(relay.wake)

    def confirm_document_identifier(event: Event, uow: UnitOfWork) -> None:
        document = event.parse(documents_events.DocumentSubmitted).document
        registry.numbering.confirm_carried(uow, document.identifier, document.id)

    consumer = transport.subscriber(GROUP, [topic_of("documents")], idempotent(database, GROUP, dispatch({
        documents_events.DocumentSubmitted.DESCRIPTOR.full_name: confirm_document_identifier})))
    return ServiceApp(
        name="registry",
        router=rest.router(registry),
        servicers=[Servicer(registry_pb2_grpc.add_RegistryServiceServicer_to_server,
                            grpc_entry.RegistryServicer(registry), "lienthong.api.registry.v1.RegistryService")],
        workers=[relay, NamedWorker("consume", consumer.run),
                 PeriodicWorker("registry-plans", registry.directory.apply_due_plans, settings.plan_poll_s),
                 PeriodicWorker("registry-reservations", registry.numbering.expire_due,
                                settings.reservation_sweep_s)],
        health=database.ping,
        engines=[database.engine],
        on_close=[transport.close, database.dispose],
    )


def main() -> None:
    serve_service(build, RegistrySettings())
