"""Wiring of the documents service: the only place where its adapters are chosen."""

from __future__ import annotations

from pathlib import Path

from lienthong.api.documents.v1 import documents_pb2_grpc
from lienthong.documents.adapters.remote import RegistryClient, RoutingClient, SigningClient
from lienthong.documents.adapters.repository import SqlDocumentRepository
from lienthong.documents.entrypoints import grpc as grpc_entry
from lienthong.documents.entrypoints import rest
from lienthong.documents.service.use_cases import Documents
from lienthong.documents.settings import DocumentsSettings
from lienthong.platform.blob.factory import make_blob_store
from lienthong.platform.db import Database, run_migrations
from lienthong.platform.grpc import Servicer
from lienthong.platform.messaging import OutboxRelay, Transport
from lienthong.platform.messaging.factory import make_transport
from lienthong.platform.runtime import ServiceApp, serve_service

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"


def build(settings: DocumentsSettings | None = None, *, transport: Transport | None = None) -> ServiceApp:
    """The documents service, ready to serve."""
    settings = settings or DocumentsSettings()
    database = Database(settings.database_url)
    run_migrations(database.engine, MIGRATIONS)
    transport = transport or make_transport(settings)
    relay = OutboxRelay(database.session_factory, transport.publisher(), name="documents-outbox")
    database.on_commit_with_events(relay.wake)
    documents = Documents(
        database, make_blob_store(settings),
        RegistryClient(settings.registry_grpc_target or settings.grpc_self_target, settings.grpc_deadline_s),
        SigningClient(settings.signing_grpc_target or settings.grpc_self_target, settings.grpc_deadline_s),
        deliveries=RoutingClient(settings.routing_grpc_target or settings.grpc_self_target, settings.grpc_deadline_s),
        repository=SqlDocumentRepository, limits=settings.edxml_limits(),
        paper_document_types=frozenset(settings.paper_document_types))
    return ServiceApp(
        name="documents",
        router=rest.router(documents, max_metadata_bytes=settings.max_metadata_bytes),
        servicers=[Servicer(documents_pb2_grpc.add_DocumentsServiceServicer_to_server,
                            grpc_entry.DocumentsServicer(documents), "lienthong.api.documents.v1.DocumentsService")],
        workers=[relay],
        health=database.ping,
        engines=[database.engine],
        on_close=[transport.close, database.dispose],
    )


def main() -> None:
    serve_service(build, DocumentsSettings())
