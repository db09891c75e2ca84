"""REST API of the archive: records, their packages, their delivery trail, fixity checks.

Operators read every record; an agency system reads the records of documents its
agencies sent or were addressed (403 otherwise).
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from lienthong.archive.domain.records import ArchivalRecord, FixityCheck, TrailEntry
from lienthong.archive.service.ports import RecordCursor
from lienthong.archive.service.use_cases import MAX_PAGE, Archive
from lienthong.platform import clock
from lienthong.platform.auth import CurrentPrincipal
from lienthong.platform.errors import FieldError, InvalidInput

PACKAGE_MEDIA_TYPE = "application/x-tar"


class ArchivedFileOut(BaseModel):
    """An attachment inside the package, byte for byte as submitted."""

    path: str = Field(examples=["data/files/cong-van-123.pdf"])
    name: str = Field(examples=["Công văn 123.pdf"])
    media_type: str = Field(examples=["application/pdf"])
    sha256: str = Field(examples=["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"])
    size: int = Field(examples=[482113])


class RecordOut(BaseModel):
    """An archival record: one document's package, stored write-once."""

    id: str = Field(examples=["5b0e8f0e-6d1c-4a8e-9f43-2b1f5a0c9e11"])
    document_id: str = Field(examples=["0f6a7c1e-3b7d-4f0e-8a55-7c2d9e4b1a20"])
    document_identifier: str = Field(examples=["000.00.11.H99-2026.17"])
    sender_code: str = Field(examples=["000.00.11.H99"])
    recipient_codes: list[str] = Field(examples=[["000.00.12.H99"]])
    package_sha256: str = Field(description="SHA-256 of the stored archival package (a BagIt bag in a tar)")
    package_size: int
    archived_at: str = Field(examples=["2026-03-02T09:15:04.120+07:00"])
    files: list[ArchivedFileOut]
    last_fixity_check_at: str | None = Field(examples=["2026-06-01T02:00:00.000+07:00"])
    last_fixity_intact: bool | None

    @classmethod
    def of(cls, r: ArchivalRecord) -> RecordOut:
        return cls(id=r.id, document_id=r.document_id, document_identifier=r.identifier,
                   sender_code=r.sender_code, recipient_codes=list(r.recipient_codes),
                   package_sha256=r.package_sha256, package_size=r.package_size,
                   archived_at=clock.iso(r.archived_at),
                   files=[ArchivedFileOut(path=f.path, name=f.name, media_type=f.media_type, sha256=f.sha256,
                                          size=f.size) for f in r.files],
                   last_fixity_check_at=clock.iso(r.last_fixity_check_at) if r.last_fixity_check_at else None,
                   last_fixity_intact=r.last_fixity_intact)


class RecordPage(BaseModel):
    """A page of records."""

    items: list[RecordOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page")


class FixityOut(BaseModel):
    """The outcome of re-hashing a stored package."""

    record_id: str
    intact: bool = Field(description="Whether the stored package still hashes to package_sha256")
    checked_at: str = Field(examples=["2026-06-01T02:00:00.000+07:00"])

    @classmethod
    def of(cls, check: FixityCheck) -> FixityOut:
        return cls(record_id=check.record_id, intact=check.intact, checked_at=clock.iso(check.checked_at))


class TrailEntryOut(BaseModel):
    """One routing event about the document (a delivery queued, delivered, acknowledged, a status)."""

    event_id: str
    event_type: str = Field(examples=["Delivered"])
    delivery_id: str
    sender_code: str
    recipient_code: str = Field(examples=["000.00.12.H99"])
    state: str = Field(examples=["available"])
    status_code: str = Field(examples=["03"])
    detail: str = Field(examples=["channel=inbox"])
    occurred_at: str = Field(examples=["2026-03-02T09:15:05.000+07:00"])

    @classmethod
    def of(cls, e: TrailEntry) -> TrailEntryOut:
        return cls(event_id=e.event_id, event_type=e.event_type, delivery_id=e.delivery_id,
                   sender_code=e.sender_code, recipient_code=e.recipient_code, state=e.state,
                   status_code=e.status_code, detail=e.detail, occurred_at=clock.iso(e.occurred_at))


class TrailOut(BaseModel):
    """The audit trail of a record's document."""

    record_id: str
    document_id: str
    entries: list[TrailEntryOut]


def encode_cursor(record: ArchivalRecord) -> str:
    """An opaque cursor pointing just after ``record``."""
    raw = json.dumps([record.archived_at.isoformat(), record.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> RecordCursor:
    """The position an :func:`encode_cursor` cursor points at; a malformed cursor is invalid input."""
    try:
        archived_at, record_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return clock.to_vn(datetime.fromisoformat(archived_at)), str(record_id)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise InvalidInput("malformed cursor", errors=[FieldError("cursor", "use next_cursor as given")]) from exc


def router(archive: Archive) -> APIRouter:
    """The archive's routes under ``/api/v1/archive``."""
    r = APIRouter(prefix="/api/v1/archive", tags=["archive"])

    @r.get("/records", response_model=RecordPage, summary="Archival records the caller may read, oldest first")
    def list_records(principal: CurrentPrincipal, document_id: str | None = None, cursor: str | None = None,
                     limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100) -> RecordPage:
        items = archive.list_records(principal, document_id=document_id,
                                     after=decode_cursor(cursor) if cursor else None, limit=limit)
        return RecordPage(items=[RecordOut.of(i) for i in items],
                          next_cursor=encode_cursor(items[-1]) if len(items) == limit else None)

    @r.get("/records/{record_id}", response_model=RecordOut, summary="One archival record")
    def get_record(record_id: str, principal: CurrentPrincipal) -> RecordOut:
        return RecordOut.of(archive.get_record(record_id, principal))

    @r.get("/records/{record_id}/package", response_class=StreamingResponse,
           summary="Download the archival package (BagIt bag in a tar), verified while streamed",
           responses={200: {"content": {PACKAGE_MEDIA_TYPE: {}}}})
    def download_package(record_id: str, principal: CurrentPrincipal) -> StreamingResponse:
        record, chunks = archive.open_package(record_id, principal)
        digest = base64.b64encode(bytes.fromhex(record.package_sha256)).decode()
        return StreamingResponse(chunks, media_type=PACKAGE_MEDIA_TYPE, headers={
            "Content-Length": str(record.package_size),
            "Content-Disposition": f'attachment; filename="aip-{record.id}.tar"',
            "ETag": f'"{record.package_sha256}"',
            "Repr-Digest": f"sha-256=:{digest}:",
        })

    @r.get("/records/{record_id}/trail", response_model=TrailOut,
           summary="The routing events of the record's document (deliveries and statuses)")
    def trail(record_id: str, principal: CurrentPrincipal) -> TrailOut:
        record, entries = archive.trail(record_id, principal)
        return TrailOut(record_id=record.id, document_id=record.document_id,
                        entries=[TrailEntryOut.of(e) for e in entries])

    @r.post("/records/{record_id}/fixity-check", response_model=FixityOut,
            summary="Re-hash the stored package now and record the outcome")
    def fixity_check(record_id: str, principal: CurrentPrincipal) -> FixityOut:
        return FixityOut.of(archive.check_fixity(record_id, principal))

    return r
