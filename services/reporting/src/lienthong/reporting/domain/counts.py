"""Per-agency counters and the rules that move them.

- a document submitted counts as *sent* for its sender, and also as *signed* when
  its signature validation ended ``TOTAL_PASSED`` (indicator I.4 / II.4);
- a delivery that reached its recipient counts as *received* for that recipient.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from lienthong.platform.errors import FieldError, Forbidden, InvalidInput

SIGNATURE_VALID = "TOTAL_PASSED"


class Tally(StrEnum):
    """The counters kept per agency."""

    SENT = "sent"
    RECEIVED = "received"
    SIGNED = "signed"


@dataclass(frozen=True)
class Increment:
    """One counter of one agency goes up by one."""

    agency_code: str
    tally: Tally


@dataclass(frozen=True)
class AgencyDelta:
    """How much each counter of one agency goes up in one event."""

    agency_code: str
    sent: int = 0
    received: int = 0
    signed: int = 0


@dataclass(frozen=True)
class AgencyCounts:
    """An agency's counters as the read model holds them (``name``/``level`` once the registry told us)."""

    agency_code: str
    name: str | None
    level: str | None
    sent: int
    received: int
    signed: int
    updated_at: datetime


def _required(code: str, path: str) -> str:
    code = code.strip()
    if not code:
        raise InvalidInput("the event names no agency to count for", errors=[FieldError(path, "required")])
    return code


def submission_increments(sender_code: str, *, signed: bool, indication: str) -> list[Increment]:
    """What a submitted document counts: sent, and signed when its signature is valid (TOTAL_PASSED)."""
    sender = _required(sender_code, "document.sender_code")
    increments = [Increment(sender, Tally.SENT)]
    if signed and indication == SIGNATURE_VALID:
        increments.append(Increment(sender, Tally.SIGNED))
    return increments


def delivery_increments(recipient_code: str) -> list[Increment]:
    """What a delivery that reached its recipient counts: received, for the recipient."""
    return [Increment(_required(recipient_code, "delivery.recipient_code"), Tally.RECEIVED)]


def deltas(increments: Iterable[Increment]) -> list[AgencyDelta]:
    """The increments grouped per agency, in the order agencies first appear."""
    per_agency: dict[str, Counter[Tally]] = {}
    for increment in increments:
        per_agency.setdefault(increment.agency_code, Counter())[increment.tally] += 1
    return [AgencyDelta(agency_code=code, sent=c[Tally.SENT], received=c[Tally.RECEIVED], signed=c[Tally.SIGNED])
            for code, c in per_agency.items()]


class Caller(Protocol):
    """Who asks: the agencies it acts for, and whether it is an operator of the axis."""

    @property
    def agencies(self) -> frozenset[str]: ...

    @property
    def is_operator(self) -> bool: ...


def check_may_read_counts(agency_code: str, caller: Caller) -> None:
    """An agency reads only its own counters; operators read every agency's."""
    if caller.is_operator or agency_code in caller.agencies:
        return
    raise Forbidden(f"the counters of agency {agency_code} belong to that agency")


def check_operator(caller: Caller) -> None:
    """Refuse unless the caller is an operator of the axis."""
    if not caller.is_operator:
        raise Forbidden("only operators read the counters of every agency")
