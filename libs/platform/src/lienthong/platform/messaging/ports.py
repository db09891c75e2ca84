"""The messaging port: what a transport must do. ``kafka`` and ``local`` both pass one contract suite."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from lienthong.platform.messaging.event import Event

Handler = Callable[[Event], None]
"""Processes one event. Returning means done (the transport commits); raising means retry."""


def dead_letter_topic(topic: str) -> str:
    """Where events that failed ``max_attempts`` times in some consumer group are parked."""
    return f"{topic}.dlq"


class Publisher(Protocol):
    def publish(self, events: Sequence[Event]) -> None:
        """Durably append ``events`` in order; returns only when all are stored (acks=all), else raises."""

    def close(self) -> None: ...


class Subscriber(Protocol):
    def run(self, stop: threading.Event) -> None:
        """Consume until ``stop`` is set.

        Delivers each event of the subscribed topics to the handler, in order per key.
        The position is committed only after the handler returns (at-least-once). A
        handler that raises is retried; after ``max_attempts`` failures the event goes,
        with an ``x-error`` header, to :func:`dead_letter_topic` and is committed.
        """


class Transport(Protocol):
    """Factory of publishers and subscribers on one broker (or one local log)."""

    def publisher(self) -> Publisher: ...

    def subscriber(self, group: str, topics: Sequence[str], handler: Handler) -> Subscriber: ...

    def close(self) -> None: ...
