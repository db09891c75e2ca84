"""SQL views and bookkeeping of the national-axis mailbox, over routing's deliveries and timelines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from lienthong.platform import clock
from lienthong.routing.adapters.repository import _delivery
from lienthong.routing.adapters.tables import deliveries, delivery_statuses, mailbox_items, routed_documents
from lienthong.routing.domain.delivery import AVAILABLE, Delivery, StatusEntry
from lienthong.routing.service.mailbox import EDOC_SEQ, ItemMark, StatusItem

_PENDING = or_(mailbox_items.c.state.is_(None), mailbox_items.c.state == "")


def _visible(now: datetime):
    return and_(_PENDING, or_(mailbox_items.c.hidden_until.is_(None), mailbox_items.c.hidden_until <= now))


def _status_item(r) -> StatusItem:
    return StatusItem(delivery=_delivery(r), seq=r.seq, entry=StatusEntry(
        r.st_code, r.st_description, clock.from_storage(r.st_reported_at), r.st_reported_by))


class SqlMailboxRepository:
    """Which deliveries and statuses wait in a system's mailboxes, and what the system said of them."""

    def __init__(self, session: Session):
        self.session = session

    def pending_deliveries(self, recipient_codes: Sequence[str], *, now: datetime, since: datetime | None,
                           until: datetime | None, limit: int) -> list[Delivery]:
        """Available deliveries to these agencies not yet acknowledged, failed out or hidden, oldest first."""
        joined = deliveries.outerjoin(mailbox_items, and_(mailbox_items.c.delivery_id == deliveries.c.id,
                                                          mailbox_items.c.status_seq == EDOC_SEQ))
        query = (select(deliveries).select_from(joined)
                 .where(deliveries.c.recipient_code.in_(list(recipient_codes)), deliveries.c.state == AVAILABLE,
                        _visible(now)))
        if since is not None:
            query = query.where(deliveries.c.created_at >= since)
        if until is not None:
            query = query.where(deliveries.c.created_at <= until)
        rows = self.session.execute(query.order_by(deliveries.c.created_at, deliveries.c.id).limit(limit)).all()
        return [_delivery(r) for r in rows]

    def _status_query(self, codes: Sequence[str]):
        wanted = list(codes)
        joined = delivery_statuses.join(deliveries, deliveries.c.id == delivery_statuses.c.delivery_id).outerjoin(
            mailbox_items, and_(mailbox_items.c.delivery_id == delivery_statuses.c.delivery_id,
                                mailbox_items.c.status_seq == delivery_statuses.c.seq))
        to_sender = and_(delivery_statuses.c.reported_by == deliveries.c.recipient_code,
                         deliveries.c.sender_code.in_(wanted))
        to_recipient = and_(delivery_statuses.c.reported_by == deliveries.c.sender_code,
                            deliveries.c.recipient_code.in_(wanted))
        return (select(deliveries, delivery_statuses.c.seq, delivery_statuses.c.status_code.label("st_code"),
                       delivery_statuses.c.description.label("st_description"),
                       delivery_statuses.c.reported_at.label("st_reported_at"),
                       delivery_statuses.c.reported_by.label("st_reported_by"))
                .select_from(joined).where(or_(to_sender, to_recipient)))

    def pending_statuses(self, codes: Sequence[str], *, now: datetime, since: datetime | None,
                         until: datetime | None, limit: int) -> list[StatusItem]:
        """Statuses addressed to these agencies (recipients' answers to their senders, senders' recalls to
        their recipients) that their system has not acknowledged, oldest first."""
        query = self._status_query(codes).where(_visible(now))
        if since is not None:
            query = query.where(delivery_statuses.c.reported_at >= since)
        if until is not None:
            query = query.where(delivery_statuses.c.reported_at <= until)
        rows = self.session.execute(query.order_by(delivery_statuses.c.seq).limit(limit)).all()
        return [_status_item(r) for r in rows]

    def status_item(self, delivery_id: str, seq: int) -> StatusItem | None:
        """One status of a delivery's timeline, whoever it is addressed to."""
        joined = delivery_statuses.join(deliveries, deliveries.c.id == delivery_statuses.c.delivery_id)
        row = self.session.execute(
            select(deliveries, delivery_statuses.c.seq, delivery_statuses.c.status_code.label("st_code"),
                   delivery_statuses.c.description.label("st_description"),
                   delivery_statuses.c.reported_at.label("st_reported_at"),
                   delivery_statuses.c.reported_by.label("st_reported_by"))
            .select_from(joined).where(delivery_statuses.c.delivery_id == delivery_id,
                                       delivery_statuses.c.seq == seq)).first()
        return _status_item(row) if row else None

    def last_status(self, delivery_id: str, reported_by: str) -> StatusItem | None:
        """The latest status an agency reported on a delivery."""
        row = self.session.execute(
            select(delivery_statuses.c.seq).where(delivery_statuses.c.delivery_id == delivery_id,
                                                  delivery_statuses.c.reported_by == reported_by)
            .order_by(delivery_statuses.c.seq.desc()).limit(1)).first()
        return self.status_item(delivery_id, row.seq) if row else None

    def statuses_reported_by(self, codes: Sequence[str], limit: int) -> list[StatusItem]:
        """Statuses these agencies reported (their system's sent status packages), oldest first."""
        joined = delivery_statuses.join(deliveries, deliveries.c.id == delivery_statuses.c.delivery_id)
        rows = self.session.execute(
            select(deliveries, delivery_statuses.c.seq, delivery_statuses.c.status_code.label("st_code"),
                   delivery_statuses.c.description.label("st_description"),
                   delivery_statuses.c.reported_at.label("st_reported_at"),
                   delivery_statuses.c.reported_by.label("st_reported_by"))
            .select_from(joined).where(delivery_statuses.c.reported_by.in_(list(codes)))
            .order_by(delivery_statuses.c.seq).limit(limit)).all()
        return [_status_item(r) for r in rows]

    def sent_deliveries(self, sender_codes: Sequence[str], limit: int) -> list[tuple[Delivery, bytes]]:
        """Deliveries of documents these agencies sent, with the routed document (protobuf bytes)."""
        joined = deliveries.join(routed_documents, routed_documents.c.id == deliveries.c.document_id)
        rows = self.session.execute(
            select(deliveries, routed_documents.c.document.label("routed_document")).select_from(joined)
            .where(deliveries.c.sender_code.in_(list(sender_codes)))
            .order_by(deliveries.c.created_at, deliveries.c.id).limit(limit)).all()
        return [(_delivery(r), r.routed_document) for r in rows]

    def mark(self, delivery_id: str, seq: int) -> ItemMark:
        """The bookkeeping of an item, locked for this transaction (a fresh one when none is stored)."""
        row = self.session.execute(
            select(mailbox_items).where(mailbox_items.c.delivery_id == delivery_id,
                                        mailbox_items.c.status_seq == seq).with_for_update()).first()
        if row is None:
            return ItemMark(delivery_id, seq, "", 0, None, stored=False)
        return ItemMark(delivery_id, seq, row.state, row.attempts,
                        clock.from_storage(row.hidden_until) if row.hidden_until else None, stored=True)

    def save_mark(self, mark: ItemMark, now: datetime) -> None:
        values = {"state": mark.state, "attempts": mark.attempts, "hidden_until": mark.hidden_until,
                  "updated_at": now}
        if mark.stored:
            self.session.execute(mailbox_items.update().where(
                mailbox_items.c.delivery_id == mark.delivery_id, mailbox_items.c.status_seq == mark.seq)
                .values(**values))
        else:
            self.session.execute(mailbox_items.insert().values(delivery_id=mark.delivery_id,
                                                               status_seq=mark.seq, **values))

    def count_pending_deliveries(self, recipient_codes: Sequence[str], now: datetime) -> int:
        joined = deliveries.outerjoin(mailbox_items, and_(mailbox_items.c.delivery_id == deliveries.c.id,
                                                          mailbox_items.c.status_seq == EDOC_SEQ))
        return self.session.execute(
            select(func.count()).select_from(joined)
            .where(deliveries.c.recipient_code.in_(list(recipient_codes)), deliveries.c.state == AVAILABLE,
                   _visible(now))).scalar_one()

    def count_pending_statuses(self, codes: Sequence[str], now: datetime) -> int:
        query = self._status_query(codes).where(_visible(now)).subquery()
        return self.session.execute(select(func.count()).select_from(query)).scalar_one()
