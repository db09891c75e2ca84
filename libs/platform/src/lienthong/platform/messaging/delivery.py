"""What both transports do with one consumed record: decode, handle with retries, or dead-letter.

The transports differ in how they fetch, commit and append; the delivery policy is
one: a handler that raises is retried in place after a short backoff, and after
``max_attempts`` failures the record is parked on :func:`dead_letter_topic` with the
``x-error`` and ``x-consumer-group`` headers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from lienthong.platform.messaging.event import Event
from lienthong.platform.messaging.ports import Handler

log = logging.getLogger(__name__)

ERROR_HEADER = "x-error"
GROUP_HEADER = "x-consumer-group"
BACKOFF_FIRST_S = 0.05
BACKOFF_MAX_S = 2.0


@dataclass(frozen=True)
class Outcome:
    """How a delivery ended: ``handled``, ``dead`` (``error`` says why) or ``stopped`` before it ended."""

    status: str
    error: str | None = None

    @property
    def done(self) -> bool:
        """True when the record's position may be committed (handled or dead-lettered)."""
        return self.status != "stopped"


HANDLED = Outcome("handled")
STOPPED = Outcome("stopped")


def backoff_s(attempt: int) -> float:
    """Wait before retry number ``attempt`` (1-based): 50 ms doubling, at most 2 s."""
    return min(BACKOFF_FIRST_S * 2 ** (attempt - 1), BACKOFF_MAX_S)


def deliver(handler: Handler, topic: str, key: bytes | str | None, value: bytes,
            headers: Sequence[tuple[str, bytes]] | None, *, group: str, max_attempts: int,
            stop: threading.Event) -> Outcome:
    """Hand one record to ``handler``, retrying failures; never raises an ``Exception`` of the handler.

    A record that is not a CloudEvent cannot succeed and is dead-lettered at once.
    ``BaseException`` (interpreter exit, a killed thread) propagates: nothing is committed.
    """
    try:
        event = Event.from_record(topic, key, value, list(headers or []))
    except ValueError as exc:
        log.error("group %s: undecodable record on %s dead-lettered: %s", group, topic, exc)
        return Outcome("dead", f"{type(exc).__name__}: {exc}")
    attempt = 1
    while True:
        try:
            handler(event)
            return HANDLED
        except Exception as exc:  # noqa: BLE001 - any failure of the handler is retried, then dead-lettered
            error = f"{type(exc).__name__}: {exc}"
            if attempt >= max_attempts:
                log.error("group %s: event %s (%s) failed %d times, dead-lettered: %s",
                          group, event.id, event.type, attempt, error)
                return Outcome("dead", error)
            log.warning("group %s: event %s (%s) failed (attempt %d of %d), retrying: %s",
                        group, event.id, event.type, attempt, max_attempts, error)
        if stop.wait(backoff_s(attempt)):
            return STOPPED
        attempt += 1


def dead_letter_headers(headers: Sequence[tuple[str, bytes]] | None, *, error: str,
                        group: str) -> list[tuple[str, bytes]]:
    """The original headers plus ``x-error`` and ``x-consumer-group`` (replacing earlier ones)."""
    kept = [(k, v) for k, v in (headers or []) if k not in (ERROR_HEADER, GROUP_HEADER)]
    return [*kept, (ERROR_HEADER, error.encode()), (GROUP_HEADER, group.encode())]
