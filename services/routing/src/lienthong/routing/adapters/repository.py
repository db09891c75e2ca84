"""SQL repository of deliveries, their timelines, change requests and push bookkeeping."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from lienthong.platform import clock
from lienthong.routing.adapters.tables import (
    change_requests,
    deliveries,
    delivery_statuses,
    push_attempts,
    routed_documents,
)
from lienthong.routing.domain.delivery import AVAILABLE, ChangeRequest, Delivery, StatusEntry
from lienthong.routing.service.ports import PushAttempt, PushInfo, PushJob, RoutedDocument

CHAIN_SEPARATOR = " > "


def _time(value: datetime | None) -> datetime | None:
    return clock.from_storage(value) if value is not None else None


def _delivery(r: Any) -> Delivery:
    return Delivery(id=r.id, document_id=r.document_id, sender_code=r.sender_code, recipient_code=r.recipient_code,
                    addressed_code=r.addressed_code, state=r.state, status_code=r.status_code,
                    created_at=clock.from_storage(r.created_at), updated_at=clock.from_storage(r.updated_at),
                    channel=r.channel, via_group=r.via_group,
                    succession=tuple(r.succession.split(CHAIN_SEPARATOR)) if r.succession else (),
                    note=r.note, lease_until=_time(r.lease_until), lease_holder=r.lease_holder)


def _request(r: Any) -> ChangeRequest:
    return ChangeRequest(id=r.id, delivery_id=r.delivery_id, kind=r.kind, requested_by=r.requested_by,
                         requested_at=clock.from_storage(r.requested_at), reason=r.reason,
                         related_document_id=r.related_document_id, outcome=r.outcome,
                         answer_reason=r.answer_reason, answered_at=_time(r.answered_at))


def _row(d: Delivery) -> dict[str, Any]:
    return {"document_id": d.document_id, "sender_code": d.sender_code, "recipient_code": d.recipient_code,
            "addressed_code": d.addressed_code, "state": d.state, "status_code": d.status_code,
            "created_at": d.created_at, "updated_at": d.updated_at, "channel": d.channel,
            "via_group": d.via_group, "succession": CHAIN_SEPARATOR.join(d.succession), "note": d.note,
            "lease_until": d.lease_until, "lease_holder": d.lease_holder}


class SqlDeliveryRepository:
    """Deliveries and everything hanging off them, in the routing database (SQLite or PostgreSQL)."""

    def __init__(self, session: Session):
        self.session = session
        self._skip_locked = session.get_bind().dialect.name == "postgresql"

    # documents

    def document(self, document_id: str) -> RoutedDocument | None:
        r = self.session.execute(select(routed_documents).where(routed_documents.c.id == document_id)).first()
        if r is None:
            return None
        return RoutedDocument(id=r.id, sender_code=r.sender_code, identifier=r.identifier,
                              edxml_document_id=r.edxml_document_id, business_type=r.business_type,
                              related_document_id=r.related_document_id, document=r.document,
                              routed_at=clock.from_storage(r.routed_at))

    def document_by_edxml_id(self, edxml_document_id: str) -> RoutedDocument | None:
        row = self.session.execute(
            select(routed_documents.c.id).where(routed_documents.c.edxml_document_id == edxml_document_id)
            .order_by(routed_documents.c.business_type, routed_documents.c.routed_at).limit(1)).first()
        return self.document(row.id) if row else None

    def add_document(self, doc: RoutedDocument, recipients_written: Sequence[str]) -> None:
        self.session.execute(routed_documents.insert().values(
            id=doc.id, sender_code=doc.sender_code, identifier=doc.identifier,
            edxml_document_id=doc.edxml_document_id, business_type=doc.business_type,
            related_document_id=doc.related_document_id,
            recipients_written=json.dumps(list(recipients_written), ensure_ascii=False),
            document=doc.document, routed_at=doc.routed_at))

    # deliveries

    def add_many(self, items: Sequence[tuple[Delivery, str]]) -> None:
        rows = []
        for d, endpoint in items:
            rows.append({**_row(d), "id": d.id, "push_endpoint": endpoint,
                         "push_state": "pending" if endpoint else "", "push_attempts": 0,
                         "next_attempt_at": d.created_at if endpoint else None, "last_error": ""})
        if rows:
            self.session.execute(deliveries.insert(), rows)

    def get(self, delivery_id: str, *, for_update: bool = False) -> Delivery | None:
        query = select(deliveries).where(deliveries.c.id == delivery_id)
        row = self.session.execute(query.with_for_update() if for_update else query).first()
        return _delivery(row) if row else None

    def of_document(self, document_id: str, *, for_update: bool = False) -> list[Delivery]:
        query = (select(deliveries).where(deliveries.c.document_id == document_id)
                 .order_by(deliveries.c.addressed_code, deliveries.c.id))
        if for_update:
            query = query.with_for_update()
        return [_delivery(r) for r in self.session.execute(query)]

    def save(self, d: Delivery) -> None:
        values = _row(d)
        for fixed in ("document_id", "sender_code", "recipient_code", "addressed_code", "created_at"):
            values.pop(fixed)
        self.session.execute(update(deliveries).where(deliveries.c.id == d.id).values(**values))

    def add_status(self, delivery_id: str, entry: StatusEntry, idempotency_key: str | None = None) -> None:
        self.session.execute(delivery_statuses.insert().values(
            delivery_id=delivery_id, status_code=entry.status_code, description=entry.description,
            reported_at=entry.reported_at, reported_by=entry.reported_by, idempotency_key=idempotency_key))

    def has_status_key(self, delivery_id: str, idempotency_key: str) -> bool:
        return self.session.execute(select(delivery_statuses.c.seq).where(
            delivery_statuses.c.delivery_id == delivery_id,
            delivery_statuses.c.idempotency_key == idempotency_key)).first() is not None

    def timelines(self, delivery_ids: Sequence[str]) -> dict[str, list[StatusEntry]]:
        out: dict[str, list[StatusEntry]] = {}
        ids = list(delivery_ids)
        for start in range(0, len(ids), 500):
            rows = self.session.execute(
                select(delivery_statuses).where(delivery_statuses.c.delivery_id.in_(ids[start:start + 500]))
                .order_by(delivery_statuses.c.seq))
            for r in rows:
                out.setdefault(r.delivery_id, []).append(
                    StatusEntry(r.status_code, r.description, clock.from_storage(r.reported_at), r.reported_by))
        return out

    def inbox(self, recipient_codes: Sequence[str], *, after: str | None, limit: int,
              states: Sequence[str] | None) -> list[Delivery]:
        query = (select(deliveries).where(deliveries.c.recipient_code.in_(list(recipient_codes)))
                 .order_by(deliveries.c.id).limit(limit))
        if states is not None:
            query = query.where(deliveries.c.state.in_(list(states)))
        if after:
            query = query.where(deliveries.c.id > after)
        return [_delivery(r) for r in self.session.execute(query)]

    def claim(self, recipient_codes: Sequence[str], *, holder: str, now: datetime, until: datetime,
              limit: int) -> list[Delivery]:
        query = (select(deliveries).where(
            deliveries.c.recipient_code.in_(list(recipient_codes)), deliveries.c.state == AVAILABLE,
            or_(deliveries.c.lease_until.is_(None), deliveries.c.lease_until <= now))
            .order_by(deliveries.c.created_at, deliveries.c.id).limit(limit))
        if self._skip_locked:
            query = query.with_for_update(skip_locked=True)
        claimed = [_delivery(r).lease(holder, until) for r in self.session.execute(query)]
        if claimed:
            self.session.execute(update(deliveries).where(deliveries.c.id.in_([d.id for d in claimed]))
                                 .values(lease_until=until, lease_holder=holder))
        return claimed

    # change requests

    def add_request(self, request: ChangeRequest, document_id: str) -> None:
        self.session.execute(change_requests.insert().values(
            id=request.id, delivery_id=request.delivery_id, document_id=document_id, kind=request.kind,
            requested_by=request.requested_by, requested_at=request.requested_at, reason=request.reason,
            related_document_id=request.related_document_id, outcome=request.outcome,
            answer_reason=request.answer_reason, answered_at=request.answered_at))

    def pending_request(self, delivery_id: str, *, for_update: bool = False) -> ChangeRequest | None:
        query = select(change_requests).where(change_requests.c.delivery_id == delivery_id,
                                              change_requests.c.outcome == "")
        row = self.session.execute(query.with_for_update() if for_update else query).first()
        return _request(row) if row else None

    def save_request(self, request: ChangeRequest) -> None:
        self.session.execute(update(change_requests).where(change_requests.c.id == request.id).values(
            outcome=request.outcome, answer_reason=request.answer_reason, answered_at=request.answered_at))

    def requests_of_document(self, document_id: str) -> list[ChangeRequest]:
        rows = self.session.execute(select(change_requests).where(change_requests.c.document_id == document_id)
                                    .order_by(change_requests.c.requested_at, change_requests.c.id))
        return [_request(r) for r in rows]

    # push

    def push_info(self, delivery_id: str) -> PushInfo:
        r = self.session.execute(select(deliveries.c.push_endpoint, deliveries.c.push_state,
                                        deliveries.c.push_attempts, deliveries.c.next_attempt_at,
                                        deliveries.c.last_error).where(deliveries.c.id == delivery_id)).one()
        return PushInfo(endpoint=r.push_endpoint, state=r.push_state, attempts=r.push_attempts,
                        next_attempt_at=_time(r.next_attempt_at), last_error=r.last_error)

    def claim_pushes(self, now: datetime, until: datetime, capacity: Mapping[str, int], *, default: int,
                     limit: int) -> list[PushJob]:
        query = (select(deliveries.c.id, deliveries.c.push_endpoint, deliveries.c.push_attempts)
                 .where(deliveries.c.push_state == "pending", deliveries.c.next_attempt_at <= now)
                 .order_by(deliveries.c.next_attempt_at).limit(limit * 4))
        full = [endpoint for endpoint, free in capacity.items() if free <= 0]
        if full:  # a busy (perhaps hanging) endpoint's backlog must not hide the others' due pushes
            query = query.where(deliveries.c.push_endpoint.not_in(full))
        candidates = self.session.execute(query).all()
        room = dict(capacity)
        chosen: dict[str, PushJob] = {}
        for r in candidates:
            if room.setdefault(r.push_endpoint, default) > 0 and len(chosen) < limit:
                room[r.push_endpoint] -= 1
                chosen[r.id] = PushJob(r.id, r.push_endpoint, r.push_attempts + 1)
        if not chosen:
            return []
        claimed = self.session.execute(
            update(deliveries).where(deliveries.c.id.in_(list(chosen)), deliveries.c.push_state == "pending",
                                     deliveries.c.next_attempt_at <= now)
            .values(next_attempt_at=until).returning(deliveries.c.id)).scalars().all()
        return [chosen[i] for i in claimed]

    def record_push(self, delivery_id: str, attempt: PushAttempt, *, state: str,
                    next_attempt_at: datetime | None) -> None:
        self.session.execute(push_attempts.insert().values(
            delivery_id=delivery_id, attempt=attempt.attempt, attempted_at=attempt.attempted_at,
            endpoint=attempt.endpoint, outcome=attempt.outcome, duration_ms=attempt.duration_ms))
        self.session.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(
            push_state=state, push_attempts=attempt.attempt, next_attempt_at=next_attempt_at,
            last_error="" if state == "pushed" else attempt.outcome))

    def push_attempts(self, delivery_id: str) -> list[PushAttempt]:
        rows = self.session.execute(select(push_attempts).where(push_attempts.c.delivery_id == delivery_id)
                                    .order_by(push_attempts.c.seq))
        return [PushAttempt(r.attempt, clock.from_storage(r.attempted_at), r.endpoint, r.outcome, r.duration_ms)
                for r in rows]

    def dead_letters(self, *, after: str | None, limit: int) -> list[Delivery]:
        query = (select(deliveries).where(deliveries.c.push_state == "dead")
                 .order_by(deliveries.c.id).limit(limit))
        if after:
            query = query.where(deliveries.c.id > after)
        return [_delivery(r) for r in self.session.execute(query)]

    def requeue_push(self, delivery_id: str, now: datetime) -> None:
        self.session.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(
            push_state="pending", push_attempts=0, next_attempt_at=now, last_error=""))

    def overdue_pushes(self, created_before: datetime, limit: int) -> list[tuple[Delivery, PushInfo]]:
        query = (select(deliveries).where(deliveries.c.push_state == "pending",
                                          deliveries.c.created_at < created_before)
                 .order_by(deliveries.c.created_at).limit(limit))
        if self._skip_locked:
            query = query.with_for_update(skip_locked=True)
        return [(_delivery(r), PushInfo(endpoint=r.push_endpoint, state=r.push_state, attempts=r.push_attempts,
                                        next_attempt_at=_time(r.next_attempt_at), last_error=r.last_error))
                for r in self.session.execute(query)]
