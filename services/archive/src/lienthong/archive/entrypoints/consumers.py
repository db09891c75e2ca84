"""The archive's event consumer: documents and routing events, mapped to use cases, handled once each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from google.protobuf.message import Message

from lienthong.api.documents.v1 import documents_pb2
from lienthong.api.documents.v1.events_pb2 import DocumentSubmitted
from lienthong.api.routing.v1 import events_pb2 as routing_events
from lienthong.archive.domain.records import DeclaredAttachment, SubmittedDocument, TrailEntry
from lienthong.archive.service.use_cases import Archive
from lienthong.platform import clock
from lienthong.platform.db import Database, UnitOfWork
from lienthong.platform.errors import FieldError, InvalidInput
from lienthong.platform.messaging import Event, Handler, dispatch, idempotent, topic_of

GROUP = "archive"
TOPICS = [topic_of("documents"), topic_of("routing")]
_TRAIL_DETAIL_FIELDS = ("channel", "description", "reported_by")


def submitted_document(message: documents_pb2.Document) -> SubmittedDocument:
    """The archive's view of a ``Document`` message; refuses one without id or sender."""
    errors = [FieldError(name, "required") for name in ("id", "sender_code") if not getattr(message, name)]
    if errors:
        raise InvalidInput("the submitted document cannot be archived", errors=errors)
    return SubmittedDocument(
        id=message.id, identifier=message.identifier, sender_code=message.sender_code,
        recipient_codes=tuple(message.recipient_codes), subject=message.subject,
        submitted_at=message.submitted_at,
        attachments=tuple(DeclaredAttachment(name=a.name, media_type=a.media_type, sha256=a.sha256.lower(),
                                             size=a.size) for a in message.attachments),
        signed=message.signature.signed, signature_indication=message.signature.indication,
        signature_report_id=message.signature.report_id, metadata_json=message.metadata_json)


def routing_event_classes() -> dict[str, type[Message]]:
    """Every routing event about a delivery (a message of routing's events with a ``delivery`` field)."""
    classes: dict[str, type[Message]] = {}
    for name, descriptor in routing_events.DESCRIPTOR.message_types_by_name.items():
        if "delivery" in descriptor.fields_by_name:
            classes[descriptor.full_name] = getattr(routing_events, name)
    return classes


def _time_or_now(text: str) -> datetime:
    try:
        return clock.parse_iso(text)
    except ValueError:
        return clock.now()


def trail_entry(event: Event, message: Message) -> TrailEntry:
    """The audit-trail entry of a routing event: what happened to which delivery, when."""
    delivery = message.delivery  # type: ignore[attr-defined]
    fields = message.DESCRIPTOR.fields_by_name
    status_code = getattr(message, "status_code", "") if "status_code" in fields else ""
    detail = "; ".join(f"{name}={getattr(message, name)}" for name in _TRAIL_DETAIL_FIELDS
                       if name in fields and getattr(message, name))
    reported_at = getattr(message, "reported_at", "") if "reported_at" in fields else ""
    return TrailEntry(
        event_id=event.id, event_type=message.DESCRIPTOR.name, document_id=delivery.document_id or event.key,
        delivery_id=delivery.id, sender_code=delivery.sender_code, recipient_code=delivery.recipient_code,
        state=delivery.state, status_code=status_code or delivery.status_code, detail=detail,
        occurred_at=_time_or_now(reported_at or event.time))


def _archive_submitted(archive: Archive) -> Callable[[Event, UnitOfWork], None]:
    def handle(event: Event, uow: UnitOfWork) -> None:
        archive.archive_document(submitted_document(event.parse(DocumentSubmitted).document), uow)
    return handle


def _append_to_trail(archive: Archive, message_class: type[Message]) -> Callable[[Event, UnitOfWork], None]:
    def handle(event: Event, uow: UnitOfWork) -> None:
        archive.record_trail_entry(trail_entry(event, event.parse(message_class)), uow)
    return handle


def event_handler(archive: Archive, database: Database) -> Handler:
    """The consumer group's handler: each event id once, its writes in the inbox transaction."""
    handlers = {DocumentSubmitted.DESCRIPTOR.full_name: _archive_submitted(archive)}
    for type_name, message_class in routing_event_classes().items():
        handlers[type_name] = _append_to_trail(archive, message_class)
    return idempotent(database, GROUP, dispatch(handlers))
