"""Messaging: the event envelope, the transport port, transactional outbox and idempotent inbox."""

from lienthong.platform.messaging.event import Event, topic_of
from lienthong.platform.messaging.inbox import dispatch, idempotent
from lienthong.platform.messaging.outbox import OutboxRelay
from lienthong.platform.messaging.ports import Handler, Publisher, Subscriber, Transport, dead_letter_topic

__all__ = ["Event", "Handler", "OutboxRelay", "Publisher", "Subscriber", "Transport", "dead_letter_topic",
           "dispatch", "idempotent", "topic_of"]
