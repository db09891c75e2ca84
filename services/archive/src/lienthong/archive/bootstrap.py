"""Wiring of the archive: the only place where its adapters are chosen."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lienthong.api.archive.v1 import archive_pb2_grpc
from lienthong.archive.adapters.documents_client import GrpcAttachmentSource
from lienthong.archive.adapters.repository import SqlRecordRepository
from lienthong.archive.adapters.tar_bag import TarBagWriter
from lienthong.archive.entrypoints import consumers, rest
from lienthong.archive.entrypoints import grpc as grpc_entry
from lienthong.archive.service.use_cases import Archive
from lienthong.archive.settings import ArchiveSettings
from lienthong.platform.blob.factory import make_blob_store
from lienthong.platform.blob.ports import BlobStore
from lienthong.platform.db import Database, run_migrations
from lienthong.platform.grpc import Servicer, channel
from lienthong.platform.messaging import OutboxRelay, Transport
from lienthong.platform.messaging.factory import make_transport
from lienthong.platform.runtime import NamedWorker, ServiceApp, serve_service

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"


@dataclass
class ArchiveCore:
    """The archive's use cases and the resources they hold."""

    archive: Archive
    database: Database
    blobs: BlobStore
    attachments: GrpcAttachmentSource

    def close(self) -> None:
        self.attachments.close()
        self.database.dispose()


def build_core(settings: ArchiveSettings) -> ArchiveCore:
    """The archive's use cases on its migrated database, its blob store and the documents service."""
    database = Database(settings.database_url)
    run_migrations(database.engine, MIGRATIONS)
    blobs = make_blob_store(settings)
    attachments = GrpcAttachmentSource(channel(settings.documents_grpc_target),
                                       deadline_s=settings.attachment_stream_deadline_s)
    archive = Archive(database, repository=lambda uow: SqlRecordRepository(uow.session), blobs=blobs,
                      attachments=attachments, packages=TarBagWriter(settings.spool_dir))
    return ArchiveCore(archive=archive, database=database, blobs=blobs, attachments=attachments)


def build(settings: ArchiveSettings | None = None, *, transport: Transport | None = None) -> ServiceApp:
    """The archive service, ready to serve: REST, gRPC, its outbox relay and its event consumer."""
    settings = settings or ArchiveSettings()
    core = build_core(settings)
    transport = transport or make_transport(settings)
    relay = OutboxRelay(core.database.session_factory, transport.publisher(), name="archive-outbox")
    core.database.on_commit_with_events(relay.wake)
    subscriber = transport.subscriber(group=consumers.GROUP, topics=consumers.TOPICS,
                                      handler=consumers.event_handler(core.archive, core.database))
    return ServiceApp(
        name="archive",
        router=rest.router(core.archive),
        servicers=[Servicer(archive_pb2_grpc.add_ArchiveServiceServicer_to_server,
                            grpc_entry.ArchiveServicer(core.archive), grpc_entry.SERVICE_NAME)],
        workers=[relay, NamedWorker("consume", subscriber.run)],
        health=core.database.ping,
        engines=[core.database.engine],
        on_close=[transport.close, core.close],
    )


def main() -> None:
    serve_service(build, ArchiveSettings())
