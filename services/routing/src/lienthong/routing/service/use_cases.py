"""The routing service's use cases: fan a document out, serve inboxes, carry statuses back."""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from lienthong.api.documents.v1 import events_pb2 as documents_events
from lienthong.api.routing.v1 import events_pb2, routing_pb2
from lienthong.platform import clock
from lienthong.platform.auth import Principal
from lienthong.platform.db import Database, UnitOfWork
from lienthong.platform.errors import Forbidden, NotFound
from lienthong.platform.messaging import Event
from lienthong.routing.domain.delivery import Delivery, StatusEntry

log = logging.getLogger(__name__)
SERVICE = "routing"


class Resolver(Protocol):
    def resolve(self, code: str) -> str:
        """The code of the agency that receives for ``code`` now; raises NotFound if none."""


class DeliveryRepository(Protocol):
    def exists(self, document_id: str, addressed_code: str) -> bool: ...
    def add(self, d: Delivery) -> None: ...
    def get_for_update(self, delivery_id: str) -> Delivery | None: ...
    def save(self, d: Delivery) -> None: ...
    def add_status(self, delivery_id: str, entry: StatusEntry) -> None: ...
    def inbox(self, recipient_codes: list[str], *, after: str | None, limit: int) -> list[Delivery]: ...
    def of_document(self, document_id: str) -> list[Delivery]: ...
    def timeline(self, delivery_id: str) -> list[StatusEntry]: ...


@dataclass(frozen=True)
class DeliveryView:
    delivery: Delivery
    timeline: list[StatusEntry]


def delivery_message(d: Delivery) -> routing_pb2.Delivery:
    """A delivery as its protobuf contract."""
    return routing_pb2.Delivery(id=d.id, document_id=d.document_id, sender_code=d.sender_code,
                                recipient_code=d.recipient_code, addressed_code=d.addressed_code, state=d.state,
                                status_code=d.status_code, created_at=clock.iso(d.created_at),
                                updated_at=clock.iso(d.updated_at))


class Routing:
    """Deliveries: one per (document, addressed recipient)."""

    def __init__(self, database: Database, resolver: Resolver, *,
                 repository: Callable[[Any], DeliveryRepository]):
        self._db = database
        self._resolver = resolver
        self._repo = repository

    def on_document_submitted(self, event: Event, uow: UnitOfWork) -> None:
        """Create one delivery per recipient (resolved through the registry) and put it in the inbox."""
        document = event.parse(documents_events.DocumentSubmitted).document
        repo = self._repo(uow.session)
        for addressed in document.recipient_codes:
            if repo.exists(document.id, addressed):
                continue
            recipient = self._resolver.resolve(addressed)
            now = clock.now()
            delivery = Delivery(id=str(uuid.uuid4()), document_id=document.id, sender_code=document.sender_code,
                                recipient_code=recipient, addressed_code=addressed, state="available",
                                status_code="", created_at=now, updated_at=now)
            repo.add(delivery)
            queued = dataclasses.replace(delivery, state="queued")
            uow.add_event(Event.of(events_pb2.DeliveryQueued(delivery=delivery_message(queued)),
                                   service=SERVICE, key=document.id))
            uow.add_event(Event.of(events_pb2.Delivered(delivery=delivery_message(delivery), channel="inbox"),
                                   service=SERVICE, key=document.id))
            log.info("delivery %s of document %s to %s (addressed %s)", delivery.id, document.id, recipient,
                     addressed)

    def inbox(self, principal: Principal, agency: str | None, *, after: str | None, limit: int) -> list[Delivery]:
        """Deliveries addressed to the caller's agency (or all its agencies when none is named)."""
        codes = [principal.acting_agency(agency)] if agency else sorted(principal.agencies)
        with self._db.unit_of_work() as uow:
            return self._repo(uow.session).inbox(codes, after=after, limit=limit)

    def acknowledge(self, principal: Principal, delivery_id: str) -> Delivery:
        """The recipient's system took the package (idempotent)."""
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            current = self._recipients_delivery(repo, principal, delivery_id)
            updated = current.acknowledge(clock.now())
            if updated is not current:
                repo.save(updated)
                uow.add_event(Event.of(events_pb2.DeliveryAcknowledged(delivery=delivery_message(updated)),
                                       service=SERVICE, key=updated.document_id))
                uow.commit()
            return updated

    def report_status(self, principal: Principal, delivery_id: str, code: str, description: str) -> Delivery:
        """The recipient reports a processing status; it travels back to the sender."""
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            current = self._recipients_delivery(repo, principal, delivery_id)
            now = clock.now()
            updated = current.report(code, description, now)
            entry = StatusEntry(updated.status_code, description.strip(), now, current.recipient_code)
            repo.save(updated)
            repo.add_status(updated.id, entry)
            uow.add_event(Event.of(events_pb2.StatusReported(
                delivery=delivery_message(updated), status_code=entry.status_code, description=entry.description,
                reported_at=clock.iso(now), reported_by=entry.reported_by), service=SERVICE, key=updated.document_id))
            uow.commit()
            return updated

    def document_deliveries(self, principal: Principal | None, document_id: str) -> list[DeliveryView]:
        """Per recipient of a document: the delivery and its status timeline.

        The sender (and operators) see every recipient; a recipient sees its own delivery.
        ``principal=None`` is the other services' internal view.
        """
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            found = repo.of_document(document_id)
            if not found:
                raise NotFound(f"no deliveries for document {document_id}")
            is_sender = principal is None or principal.is_operator or found[0].sender_code in principal.agencies
            if not is_sender:
                found = [d for d in found if d.recipient_code in principal.agencies]
                if not found:
                    raise Forbidden("only the sender and the recipients may see these deliveries")
            return [DeliveryView(d, repo.timeline(d.id)) for d in found]

    @staticmethod
    def _recipients_delivery(repo: DeliveryRepository, principal: Principal, delivery_id: str) -> Delivery:
        delivery = repo.get_for_update(delivery_id)
        if delivery is None:
            raise NotFound(f"delivery {delivery_id} does not exist")
        if delivery.recipient_code not in principal.agencies:
            raise Forbidden("only the recipient may act on this delivery")
        return delivery
