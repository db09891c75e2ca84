"""SQL repository of deliveries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lienthong.platform import clock
from lienthong.routing.adapters.tables import deliveries, delivery_statuses
from lienthong.routing.domain.delivery import Delivery, StatusEntry


def _delivery(r: Any) -> Delivery:
    return Delivery(id=r.id, document_id=r.document_id, sender_code=r.sender_code, recipient_code=r.recipient_code,
                    addressed_code=r.addressed_code, state=r.state, status_code=r.status_code,
                    created_at=clock.from_storage(r.created_at), updated_at=clock.from_storage(r.updated_at))


class SqlDeliveryRepository:
    """Deliveries and their status timelines in the routing database."""

    def __init__(self, session: Session):
        self.session = session

    def exists(self, document_id: str, addressed_code: str) -> bool:
        return self.session.execute(select(deliveries.c.id).where(
            deliveries.c.document_id == document_id, deliveries.c.addressed_code == addressed_code)).first() is not None

    def add(self, d: Delivery) -> None:
        self.session.execute(deliveries.insert().values(
            id=d.id, document_id=d.document_id, sender_code=d.sender_code, recipient_code=d.recipient_code,
            addressed_code=d.addressed_code, state=d.state, status_code=d.status_code, created_at=d.created_at,
            updated_at=d.updated_at))

    def get_for_update(self, delivery_id: str) -> Delivery | None:
        row = self.session.execute(select(deliveries).where(deliveries.c.id == delivery_id).with_for_update()).first()
        return _delivery(row) if row else None

    def save(self, d: Delivery) -> None:
        self.session.execute(update(deliveries).where(deliveries.c.id == d.id).values(
            state=d.state, status_code=d.status_code, updated_at=d.updated_at))

    def add_status(self, delivery_id: str, entry: StatusEntry) -> None:
        self.session.execute(delivery_statuses.insert().values(
            delivery_id=delivery_id, status_code=entry.status_code, description=entry.description,
            reported_at=entry.reported_at, reported_by=entry.reported_by))

    def inbox(self, recipient_codes: list[str], *, after: str | None, limit: int) -> list[Delivery]:
        query = (select(deliveries).where(deliveries.c.recipient_code.in_(recipient_codes))
                 .order_by(deliveries.c.id).limit(limit))
        if after:
            query = query.where(deliveries.c.id > after)
        return [_delivery(r) for r in self.session.execute(query)]

    def of_document(self, document_id: str) -> list[Delivery]:
        rows = self.session.execute(select(deliveries).where(deliveries.c.document_id == document_id)
                                    .order_by(deliveries.c.addressed_code))
        return [_delivery(r) for r in rows]

    def timeline(self, delivery_id: str) -> list[StatusEntry]:
        rows = self.session.execute(select(delivery_statuses).where(delivery_statuses.c.delivery_id == delivery_id)
                                    .order_by(delivery_statuses.c.seq))
        return [StatusEntry(r.status_code, r.description, clock.from_storage(r.reported_at), r.reported_by) for r in rows]
