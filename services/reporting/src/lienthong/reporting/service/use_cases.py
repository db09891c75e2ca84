"""Reporting's use cases: count what happened per agency, and read the counts."""

from __future__ import annotations

from collections.abc import Callable

from lienthong.api.reporting.v1 import events_pb2
from lienthong.platform import clock
from lienthong.platform.db import Database, UnitOfWork
from lienthong.platform.errors import NotFound
from lienthong.platform.messaging import Event
from lienthong.platform.text import nfc
from lienthong.reporting.domain.counts import (
    AgencyCounts,
    AgencyDelta,
    Caller,
    Increment,
    check_may_read_counts,
    check_operator,
    delivery_increments,
    deltas,
    submission_increments,
)
from lienthong.reporting.service.ports import CountMetrics, CountsRepository

SERVICE = "reporting"
MAX_PAGE = 1000


class Reporting:
    """Per-agency counters of documents sent, received and signed.

    The counting methods are event handlers: they write in the consumer's unit of
    work (the inbox transaction), which commits; each emits ``AgencyCountsChanged``
    per agency whose counters moved, and the exported metrics follow after commit.
    """

    def __init__(self, database: Database, *, repository: Callable[[UnitOfWork], CountsRepository],
                 metrics: CountMetrics):
        self._db = database
        self._repository = repository
        self._metrics = metrics

    # -- counting (event handlers) --------------------------------------------------------------------------
    def count_submission(self, sender_code: str, *, signed: bool, indication: str, uow: UnitOfWork) -> None:
        """A document was submitted: the sender sent one (and signed one when its signature is valid)."""
        self._apply(submission_increments(sender_code, signed=signed, indication=indication), uow)

    def count_delivery(self, recipient_code: str, delivery_id: str, uow: UnitOfWork) -> None:
        """A delivery reached its recipient: the recipient received one (once per delivery, however many
        times routing announces it)."""
        if self._repository(uow).first_time_delivered(delivery_id):
            self._apply(delivery_increments(recipient_code), uow)

    def register_agency(self, code: str, *, name: str, level: str, uow: UnitOfWork) -> None:
        """The registry created an agency: keep its name and level, and start its counters at zero."""
        self._repository(uow).save_agency(code.strip(), name=nfc(name).strip(), level=level.strip(), at=clock.now())

    def _apply(self, increments: list[Increment], uow: UnitOfWork) -> None:
        repo = self._repository(uow)
        now = clock.now()
        changes: list[AgencyDelta] = deltas(increments)
        for delta in changes:
            sent, received, signed = repo.add_to_counts(delta, at=now)
            uow.add_event(Event.of(events_pb2.AgencyCountsChanged(
                agency_code=delta.agency_code, sent=sent, received=received, signed=signed,
                changed_at=clock.iso(now)), service=SERVICE, key=delta.agency_code))
        self._metrics.add_after_commit(uow, changes)

    # -- reading --------------------------------------------------------------------------------------------
    def agency_counts(self, agency_code: str, caller: Caller | None = None) -> AgencyCounts:
        """One agency's counters; ``caller`` (when given) must be that agency or an operator."""
        agency_code = agency_code.strip()
        if caller is not None:
            check_may_read_counts(agency_code, caller)
        with self._db.unit_of_work() as uow:
            counts = self._repository(uow).get(agency_code)
        if counts is None:
            raise NotFound(f"reporting knows no agency {agency_code}")
        return counts

    def list_counts(self, caller: Caller, *, after: str | None = None, limit: int = 100) -> list[AgencyCounts]:
        """Every agency's counters, by agency code (operators only)."""
        check_operator(caller)
        with self._db.unit_of_work() as uow:
            return self._repository(uow).list(after=after, limit=max(1, min(limit, MAX_PAGE)))
