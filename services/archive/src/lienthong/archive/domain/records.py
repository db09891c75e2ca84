"""Archival records, the documents they preserve, the delivery audit trail, and who may read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from lienthong.platform.errors import Forbidden, IllegalState


class AttachmentMismatch(IllegalState):
    """An attachment's bytes are not the ones the document declared (digest or size): nothing is archived."""


@dataclass(frozen=True)
class DeclaredAttachment:
    """An attachment as the documents service declared it: the bytes archived must match it exactly."""

    name: str
    media_type: str
    sha256: str
    size: int


@dataclass(frozen=True)
class SubmittedDocument:
    """What the archive knows of a document when it was accepted by the documents service."""

    id: str
    identifier: str
    sender_code: str
    recipient_codes: tuple[str, ...]
    subject: str
    submitted_at: str
    attachments: tuple[DeclaredAttachment, ...]
    signed: bool
    signature_indication: str
    signature_report_id: str
    metadata_json: str


@dataclass(frozen=True)
class ArchivedFile:
    """One attachment inside an archival package, at ``path`` (``data/files/<name>``)."""

    path: str
    name: str
    media_type: str
    sha256: str
    size: int


@dataclass(frozen=True)
class FixityCheck:
    """The outcome of re-hashing a record's stored package."""

    record_id: str
    document_id: str
    intact: bool
    checked_at: datetime


@dataclass(frozen=True)
class ArchivalRecord:
    """A document's archival package, stored write-once and addressed by its SHA-256."""

    id: str
    document_id: str
    identifier: str
    sender_code: str
    recipient_codes: tuple[str, ...]
    package_sha256: str
    package_size: int
    files: tuple[ArchivedFile, ...]
    archived_at: datetime
    last_fixity_check_at: datetime | None = None
    last_fixity_intact: bool | None = None

    @property
    def readers(self) -> frozenset[str]:
        """The agencies that may read this record: its sender and its recipients."""
        return frozenset((self.sender_code, *self.recipient_codes))


@dataclass(frozen=True)
class TrailEntry:
    """One routing event about a document, kept in its audit trail (idempotent by ``event_id``)."""

    event_id: str
    event_type: str
    document_id: str
    delivery_id: str
    sender_code: str
    recipient_code: str
    state: str
    status_code: str
    detail: str
    occurred_at: datetime


class Caller(Protocol):
    """Who asks: the agencies it acts for, and whether it is an operator of the axis."""

    @property
    def agencies(self) -> frozenset[str]: ...

    @property
    def is_operator(self) -> bool: ...


def check_may_read(record: ArchivalRecord, caller: Caller) -> None:
    """Refuse unless ``caller`` is an operator, the document's sender, or one of its recipients."""
    if caller.is_operator or caller.agencies & record.readers:
        return
    raise Forbidden(f"archival record {record.id} belongs to other agencies")
