"""What the archive's use cases need from the outside world, as protocols the adapters implement."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import BinaryIO, Protocol

from lienthong.archive.domain.records import ArchivalRecord, ArchivedFile, SubmittedDocument, TrailEntry

RecordCursor = tuple[datetime, str]
"""Position in the list of records: (archived_at, id) of the last record seen."""


class AttachmentSource(Protocol):
    """Where the archive reads a document's attachments (the documents service)."""

    def read(self, document_id: str, sha256: str) -> Iterator[bytes]:
        """The stored attachment's bytes in chunks; raises a domain error if the document service refuses."""


class BuiltPackage(Protocol):
    """An archival package spooled to a temporary file, deleted on ``close()``."""

    files: tuple[ArchivedFile, ...]

    def stream(self) -> BinaryIO:
        """The package's bytes from the start."""

    def close(self) -> None: ...


class PackageWriter(Protocol):
    """Builds a document's archival package, verifying every attachment against its declared digest."""

    def write(self, document: SubmittedDocument, source: AttachmentSource) -> BuiltPackage:
        """Stream the attachments from ``source`` into a new package; raises
        :class:`~lienthong.archive.domain.records.AttachmentMismatch` if any differs from its declaration."""


class RecordRepository(Protocol):
    """Archival records and audit trails in the archive's database, inside one unit of work."""

    def get(self, record_id: str) -> ArchivalRecord | None: ...

    def for_document(self, document_id: str) -> ArchivalRecord | None: ...

    def add(self, record: ArchivalRecord) -> None: ...

    def list(self, *, readable_by: frozenset[str] | None, document_id: str | None,
             after: RecordCursor | None, limit: int) -> list[ArchivalRecord]:
        """Records ordered by (archived_at, id); ``readable_by=None`` means all records."""

    def record_fixity(self, record_id: str, *, intact: bool, checked_at: datetime) -> None: ...

    def has_trail_entry(self, event_id: str) -> bool: ...

    def add_trail_entry(self, entry: TrailEntry, *, recorded_at: datetime) -> None: ...

    def trail(self, document_id: str) -> list[TrailEntry]:
        """The document's trail entries in the order they were recorded."""
