"""Idempotent inbox: a consumer group processes each event id once, in the handler's own transaction."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from lienthong.platform import clock
from lienthong.platform.db import Database, UnitOfWork
from lienthong.platform.messaging.event import Event
from lienthong.platform.messaging.ports import Handler
from lienthong.platform.messaging.tables import inbox_events
from lienthong.platform.telemetry import consuming_span

TransactionalHandler = Callable[[Event, UnitOfWork], None]


def idempotent(database: Database, group: str, handler: TransactionalHandler) -> Handler:
    """Wrap ``handler`` so each event id is handled once per ``group``.

    The inbox row and the handler's writes (and any events it adds to the outbox)
    commit together: a redelivered event finds its id and is skipped. The handler runs
    in a consumer span that continues the event's ``traceparent``, so the events it
    emits carry the same trace.
    """

    def handle(event: Event) -> None:
        with consuming_span(f"consume {event.type}", event.traceparent, **{
                "messaging.destination.name": event.topic, "messaging.message.id": event.id,
                "messaging.consumer.group.name": group}):
            _handle_once(event)

    def _handle_once(event: Event) -> None:
        with database.unit_of_work() as uow:
            seen = uow.session.execute(
                select(inbox_events.c.event_id).where(inbox_events.c.consumer_group == group,
                                                      inbox_events.c.event_id == event.id)
            ).first()
            if seen:
                return
            handler(event, uow)
            uow.session.execute(inbox_events.insert().values(
                consumer_group=group, event_id=event.id, event_type=event.type, processed_at=clock.now()))
            uow.commit()

    return handle


def dispatch(handlers: dict[str, TransactionalHandler]) -> TransactionalHandler:
    """A handler that routes by event type; types without a handler are acknowledged and ignored."""

    def handle(event: Event, uow: UnitOfWork) -> None:
        target = handlers.get(event.type)
        if target is not None:
            target(event, uow)

    return handle
