"""Wiring of the routing service: the only place where its adapters are chosen."""

from __future__ import annotations

from pathlib import Path

from lienthong.api.documents.v1 import events_pb2 as documents_events
from lienthong.api.routing.v1 import routing_pb2_grpc
from lienthong.platform.db import Database, run_migrations
from lienthong.platform.grpc import Servicer
from lienthong.platform.messaging import OutboxRelay, Transport, dispatch, idempotent, topic_of
from lienthong.platform.messaging.factory import make_transport
from lienthong.platform.runtime import NamedWorker, ServiceApp, serve_service
from lienthong.routing.adapters.remote import RegistryResolver
from lienthong.routing.adapters.repository import SqlDeliveryRepository
from lienthong.routing.entrypoints import grpc as grpc_entry
from lienthong.routing.entrypoints import rest
from lienthong.routing.service.use_cases import Routing
from lienthong.routing.settings import RoutingSettings

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"
GROUP = "routing"


def build(settings: RoutingSettings | None = None, *, transport: Transport | None = None) -> ServiceApp:
    """The routing service, ready to serve."""
    settings = settings or RoutingSettings()
    database = Database(settings.database_url)
    run_migrations(database.engine, MIGRATIONS)
    transport = transport or make_transport(settings)
    relay = OutboxRelay(database.session_factory, transport.publisher(), name="routing-outbox")
    database.on_commit_with_events(relay.wake)
    resolver = RegistryResolver(settings.registry_grpc_target or settings.grpc_self_target, settings.grpc_deadline_s)
    routing = Routing(database, resolver, repository=SqlDeliveryRepository)
    consumer = transport.subscriber(GROUP, [topic_of("documents")], idempotent(database, GROUP, dispatch({
        documents_events.DocumentSubmitted.DESCRIPTOR.full_name: routing.on_document_submitted,
    })))
    return ServiceApp(
        name="routing",
        router=rest.router(routing),
        servicers=[Servicer(routing_pb2_grpc.add_RoutingServiceServicer_to_server,
                            grpc_entry.RoutingServicer(routing), "lienthong.api.routing.v1.RoutingService")],
        workers=[relay, NamedWorker("consume", consumer.run)],
        health=database.ping,
        engines=[database.engine],
        on_close=[transport.close, database.dispose],
    )


def main() -> None:
    serve_service(build, RoutingSettings())
