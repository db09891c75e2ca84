"""Events emitted while handling an event continue its trace (W3C traceparent)."""

from __future__ import annotations

from google.protobuf import wrappers_pb2

from lienthong.platform.db import Database
from lienthong.platform.messaging import Event, idempotent
from lienthong.platform.messaging.tables import _metadata, outbox_events

INCOMING_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def test_handler_events_carry_the_incoming_trace(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'svc.sqlite3'}")
    _metadata.create_all(database.engine)
    incoming = Event.of(wrappers_pb2.StringValue(value="in"), service="documents", key="k",
                        traceparent=f"00-{INCOMING_TRACE}-00f067aa0ba902b7-01")

    def handler(event, uow):
        uow.add_event(Event.of(wrappers_pb2.StringValue(value="out"), service="routing", key="k"))

    handle = idempotent(database, "routing", handler)
    handle(incoming)
    handle(incoming)  # redelivered: skipped by the inbox
    with database.engine.connect() as conn:
        rows = conn.execute(outbox_events.select()).all()
    assert len(rows) == 1
    assert rows[0].traceparent.split("-")[1] == INCOMING_TRACE
