"""The archive's use cases: archive a submitted document, keep its delivery trail, read, check fixity."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator

from lienthong.api.archive.v1 import events_pb2
from lienthong.archive.domain.records import (
    ArchivalRecord,
    Caller,
    FixityCheck,
    SubmittedDocument,
    TrailEntry,
    check_may_read,
)
from lienthong.archive.service.messages import record_message
from lienthong.archive.service.ports import AttachmentSource, PackageWriter, RecordCursor, RecordRepository
from lienthong.platform import clock
from lienthong.platform.blob.ports import BlobNotFound, BlobStore
from lienthong.platform.db import Database, UnitOfWork
from lienthong.platform.errors import NotFound
from lienthong.platform.messaging import Event

SERVICE = "archive"
MAX_PAGE = 500

log = logging.getLogger(__name__)


class Archive:
    """Archival records of documents: ingest, audit trail, access, fixity.

    ``repository`` gives the record repository of a unit of work; ``blobs`` is the
    archive's own write-once store; ``attachments`` reads documents' files from the
    documents service; ``packages`` builds the archival packages.
    """

    def __init__(self, database: Database, *, repository: Callable[[UnitOfWork], RecordRepository],
                 blobs: BlobStore, attachments: AttachmentSource, packages: PackageWriter):
        self._db = database
        self._repository = repository
        self._blobs = blobs
        self._attachments = attachments
        self._packages = packages

    # -- ingest (event handlers: they write in the consumer's unit of work, which commits) -------------------
    def archive_document(self, document: SubmittedDocument, uow: UnitOfWork) -> ArchivalRecord:
        """Build, store and record the document's archival package; emits ``RecordArchived``.

        A document already archived is left as it is (one record per document). Any
        attachment whose bytes differ from its declared digest or size raises
        :class:`~lienthong.archive.domain.records.AttachmentMismatch` before anything is recorded.
        """
        repo = self._repository(uow)
        existing = repo.for_document(document.id)
        if existing is not None:
            return existing
        package = self._packages.write(document, self._attachments)
        try:
            stored = self._blobs.put(package.stream())
        finally:
            package.close()
        record = ArchivalRecord(
            id=str(uuid.uuid4()), document_id=document.id, identifier=document.identifier,
            sender_code=document.sender_code, recipient_codes=document.recipient_codes,
            package_sha256=stored.sha256, package_size=stored.size, files=package.files, archived_at=clock.now())
        repo.add(record)
        uow.add_event(Event.of(events_pb2.RecordArchived(record=record_message(record)),
                               service=SERVICE, key=document.id))
        log.info("archived document %s (%s) as record %s, package %s (%d bytes)", document.id,
                 document.identifier, record.id, stored.sha256, stored.size)
        return record

    def record_trail_entry(self, entry: TrailEntry, uow: UnitOfWork) -> bool:
        """Append a routing event to its document's audit trail; False if this event id is already there."""
        repo = self._repository(uow)
        if repo.has_trail_entry(entry.event_id):
            return False
        repo.add_trail_entry(entry, recorded_at=clock.now())
        return True

    # -- reading --------------------------------------------------------------------------------------------
    def get_record(self, record_id: str, caller: Caller | None = None) -> ArchivalRecord:
        """The record ``record_id``; ``caller`` (when given) must be allowed to read it."""
        with self._db.unit_of_work() as uow:
            record = self._repository(uow).get(record_id)
        if record is None:
            raise NotFound(f"no archival record {record_id}")
        if caller is not None:
            check_may_read(record, caller)
        return record

    def list_records(self, caller: Caller, *, document_id: str | None = None, after: RecordCursor | None = None,
                     limit: int = 100) -> list[ArchivalRecord]:
        """Records the caller may read (all for operators), oldest first, optionally of one document."""
        readable_by = None if caller.is_operator else caller.agencies
        with self._db.unit_of_work() as uow:
            return self._repository(uow).list(readable_by=readable_by, document_id=document_id, after=after,
                                              limit=max(1, min(limit, MAX_PAGE)))

    def open_package(self, record_id: str, caller: Caller) -> tuple[ArchivalRecord, Iterator[bytes]]:
        """The record and its package's bytes, streamed and verified against the digest on the way."""
        record = self.get_record(record_id, caller)
        try:
            return record, self._blobs.get(record.package_sha256)
        except BlobNotFound as exc:
            log.error("package %s of record %s is missing from the archive store", record.package_sha256,
                      record.id)
            raise NotFound(f"the package of archival record {record.id} is missing from the store") from exc

    def trail(self, record_id: str, caller: Caller) -> tuple[ArchivalRecord, list[TrailEntry]]:
        """The record and the routing events of its document, in the order they were recorded."""
        record = self.get_record(record_id, caller)
        with self._db.unit_of_work() as uow:
            return record, self._repository(uow).trail(record.document_id)

    # -- fixity ---------------------------------------------------------------------------------------------
    def check_fixity(self, record_id: str, caller: Caller | None = None) -> FixityCheck:
        """Re-hash the stored package; record the outcome and emit ``FixityChecked``.

        A package missing from the store is reported as not intact.
        """
        record = self.get_record(record_id, caller)
        try:
            intact = self._blobs.verify(record.package_sha256)
        except BlobNotFound:
            intact = False
        check = FixityCheck(record_id=record.id, document_id=record.document_id, intact=intact,
                            checked_at=clock.now())
        if not intact:
            log.error("fixity check failed for record %s (package %s)", record.id, record.package_sha256)
        with self._db.unit_of_work() as uow:
            self._repository(uow).record_fixity(record.id, intact=intact, checked_at=check.checked_at)
            uow.add_event(Event.of(events_pb2.FixityChecked(record_id=record.id, intact=intact,
                                                            checked_at=clock.iso(check.checked_at)),
                                   service=SERVICE, key=record.document_id))
            uow.commit()
        return check
