"""The archive's records as ``lienthong.api.archive.v1`` messages (events and gRPC answers)."""

from __future__ import annotations

from lienthong.api.archive.v1 import archive_pb2
from lienthong.archive.domain.records import ArchivalRecord
from lienthong.platform import clock


def record_message(record: ArchivalRecord) -> archive_pb2.Record:
    """``record`` as the ``Record`` message of the archive contract."""
    return archive_pb2.Record(
        id=record.id, document_id=record.document_id, document_identifier=record.identifier,
        sender_code=record.sender_code, package_sha256=record.package_sha256, package_size=record.package_size,
        archived_at=clock.iso(record.archived_at), file_sha256=[f.sha256 for f in record.files])
