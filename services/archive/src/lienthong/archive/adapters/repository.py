"""SQL repository of the archive: records, their readers, and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from lienthong.archive.adapters.tables import audit_trail, record_readers, records
from lienthong.archive.domain.records import ArchivalRecord, ArchivedFile, TrailEntry
from lienthong.archive.service.ports import RecordCursor
from lienthong.platform import clock


def as_vn(moment: datetime | None) -> datetime | None:
    """A stored time in +07:00; SQLite gives back the naive +07:00 wall clock it was written with."""
    return None if moment is None else clock.from_storage(moment)


def _record(row: Any) -> ArchivalRecord:
    return ArchivalRecord(
        id=row.id, document_id=row.document_id, identifier=row.identifier, sender_code=row.sender_code,
        recipient_codes=tuple(row.recipient_codes), package_sha256=row.package_sha256,
        package_size=row.package_size, files=tuple(ArchivedFile(**f) for f in row.files),
        archived_at=as_vn(row.archived_at), last_fixity_check_at=as_vn(row.last_fixity_check_at),
        last_fixity_intact=row.last_fixity_intact)


def _trail_entry(row: Any) -> TrailEntry:
    return TrailEntry(event_id=row.event_id, event_type=row.event_type, document_id=row.document_id,
                      delivery_id=row.delivery_id, sender_code=row.sender_code, recipient_code=row.recipient_code,
                      state=row.state, status_code=row.status_code, detail=row.detail,
                      occurred_at=as_vn(row.occurred_at))


class SqlRecordRepository:
    """The archive's records and audit trail, in the session of one unit of work."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, record_id: str) -> ArchivalRecord | None:
        row = self.session.execute(select(records).where(records.c.id == record_id)).first()
        return _record(row) if row else None

    def for_document(self, document_id: str) -> ArchivalRecord | None:
        row = self.session.execute(select(records).where(records.c.document_id == document_id)).first()
        return _record(row) if row else None

    def add(self, record: ArchivalRecord) -> None:
        self.session.execute(records.insert().values(
            id=record.id, document_id=record.document_id, identifier=record.identifier,
            sender_code=record.sender_code, recipient_codes=list(record.recipient_codes),
            package_sha256=record.package_sha256, package_size=record.package_size,
            files=[{"path": f.path, "name": f.name, "media_type": f.media_type, "sha256": f.sha256,
                    "size": f.size} for f in record.files],
            archived_at=record.archived_at))
        self.session.execute(record_readers.insert(), [
            {"record_id": record.id, "agency_code": code} for code in sorted(record.readers)])

    def list(self, *, readable_by: frozenset[str] | None, document_id: str | None,
             after: RecordCursor | None, limit: int) -> list[ArchivalRecord]:
        query = select(records).order_by(records.c.archived_at, records.c.id).limit(limit)
        if readable_by is not None:
            query = query.where(records.c.id.in_(
                select(record_readers.c.record_id).where(record_readers.c.agency_code.in_(sorted(readable_by)))))
        if document_id is not None:
            query = query.where(records.c.document_id == document_id)
        if after is not None:
            archived_at, record_id = after
            query = query.where(or_(records.c.archived_at > archived_at,
                                    and_(records.c.archived_at == archived_at, records.c.id > record_id)))
        return [_record(r) for r in self.session.execute(query)]

    def record_fixity(self, record_id: str, *, intact: bool, checked_at: datetime) -> None:
        self.session.execute(update(records).where(records.c.id == record_id).values(
            last_fixity_check_at=checked_at, last_fixity_intact=intact))

    def has_trail_entry(self, event_id: str) -> bool:
        return self.session.execute(
            select(audit_trail.c.seq).where(audit_trail.c.event_id == event_id)).first() is not None

    def add_trail_entry(self, entry: TrailEntry, *, recorded_at: datetime) -> None:
        self.session.execute(audit_trail.insert().values(
            event_id=entry.event_id, document_id=entry.document_id, event_type=entry.event_type,
            delivery_id=entry.delivery_id, sender_code=entry.sender_code, recipient_code=entry.recipient_code,
            state=entry.state, status_code=entry.status_code, detail=entry.detail,
            occurred_at=entry.occurred_at, recorded_at=recorded_at))

    def trail(self, document_id: str) -> list[TrailEntry]:
        rows = self.session.execute(
            select(audit_trail).where(audit_trail.c.document_id == document_id).order_by(audit_trail.c.seq))
        return [_trail_entry(r) for r in rows]
