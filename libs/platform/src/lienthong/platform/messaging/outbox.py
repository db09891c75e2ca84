"""Transactional outbox: events are rows written in the business transaction, relayed after commit."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from lienthong.platform import clock
from lienthong.platform.messaging.event import Event
from lienthong.platform.messaging.ports import Publisher
from lienthong.platform.messaging.tables import outbox_events

log = logging.getLogger(__name__)


def _outbox_row(event: Event) -> dict[str, Any]:
    return {"event_id": event.id, "topic": event.topic, "event_key": event.key, "event_type": event.type,
            "source": event.source, "event_time": event.time, "content_type": event.content_type,
            "traceparent": event.traceparent, "data": event.data}


def write_to_outbox(session: Session, event: Event) -> None:
    """Insert ``event`` into the outbox within ``session``'s transaction."""
    session.execute(outbox_events.insert().values(**_outbox_row(event)))


def write_many_to_outbox(session: Session, events: Sequence[Event]) -> None:
    """Insert ``events``, in order, into the outbox within ``session``'s transaction (one executemany)."""
    session.execute(outbox_events.insert(), [_outbox_row(e) for e in events])


class OutboxRelay:
    """Publishes committed outbox rows in commit order, then marks them published.

    At-least-once: a crash between publish and mark republishes the batch, and
    consumers' inboxes drop the duplicates. One relay per service database;
    ``wake()`` (called after each commit with events) avoids waiting for the poll.
    """

    def __init__(self, session_factory: sessionmaker[Session], publisher: Publisher, *,
                 batch_size: int = 200, poll_interval_s: float = 1.0, name: str = "outbox"):
        self._session_factory = session_factory
        self._publisher = publisher
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s
        self._wakeup = threading.Event()
        self.name = name

    def wake(self) -> None:
        self._wakeup.set()

    def relay_once(self) -> int:
        """Publish one batch of pending events; returns how many were published."""
        with self._session_factory() as session:
            rows = session.execute(
                select(outbox_events).where(outbox_events.c.published_at.is_(None))
                .order_by(outbox_events.c.seq).limit(self._batch_size)
            ).all()
            if not rows:
                return 0
            events = [Event(id=r.event_id, type=r.event_type, source=r.source, time=r.event_time,
                            topic=r.topic, key=r.event_key, data=r.data, content_type=r.content_type,
                            traceparent=r.traceparent) for r in rows]
            self._publisher.publish(events)
            session.execute(update(outbox_events).where(outbox_events.c.seq.in_([r.seq for r in rows]))
                            .values(published_at=clock.now()))
            session.commit()
            return len(rows)

    def run(self, stop: threading.Event) -> None:
        """Relay until ``stop`` is set; failures are logged and retried after the poll interval."""
        while not stop.is_set():
            try:
                while self.relay_once() and not stop.is_set():
                    pass
            except Exception:
                log.exception("outbox relay %s failed; retrying", self.name)
                stop.wait(self._poll_interval_s)
            self._wakeup.wait(self._poll_interval_s)
            self._wakeup.clear()
