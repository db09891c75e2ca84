"""Gapless numbering: reserve the next number of an agency's sequence in a +07:00 year, then confirm or
void it. Expired reservations are voided with reason "expired"; no number is ever reissued."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from lienthong.api.registry.v1 import events_pb2
from lienthong.platform import clock
from lienthong.platform.db import Database, UnitOfWork
from lienthong.platform.errors import Conflict, FieldError, IllegalState, InvalidInput, NotFound
from lienthong.platform.messaging import Event
from lienthong.registry.adapters.repository import SqlDirectory, SqlSequences
from lienthong.registry.domain.agency import check_agency_code
from lienthong.registry.domain.identifier import (
    CONFIRMED,
    DOCUMENT_IDENTIFIER_SEQUENCE,
    EXPIRED_REASON,
    RESERVED,
    SEQUENCES,
    VOIDED,
    IssuedNumber,
    NumberKey,
    SequenceReport,
    parse_identifier,
)
from lienthong.registry.service.audit import Audit

SERVICE = "registry"
LOCK_STRIPES = 256


class Numbering:
    """The three sequences of every agency: document identifier, outgoing registration, incoming arrival."""

    def __init__(self, database: Database, *, reservation_ttl_s: int):
        self._db = database
        self._ttl = timedelta(seconds=reservation_ttl_s)
        # Threads of this process taking numbers of the same counter queue here rather than on the database's
        # row lock: the lock holder is not starved by waiters. The database lock still decides, across processes.
        self._stripes = [threading.Lock() for _ in range(LOCK_STRIPES)]

    def issue(self, agency_code: str, *, sequence: str = DOCUMENT_IDENTIFIER_SEQUENCE,
              issued_at: datetime | None = None, purpose: str = "") -> IssuedNumber:
        """Reserve the next number of an active agency; the year is the year of ``issued_at`` in +07:00."""
        code = check_agency_code(agency_code, "agency_code")
        if sequence not in SEQUENCES:
            raise InvalidInput(f"unknown sequence {sequence!r}",
                               errors=[FieldError("sequence", "one of " + ", ".join(SEQUENCES))])
        now = clock.now()
        moment = clock.to_vn(issued_at) if issued_at else now
        until = now + self._ttl
        stripe = self._stripes[hash((code, sequence, moment.year)) % LOCK_STRIPES]
        with stripe, self._db.unit_of_work() as uow:
            number = SqlSequences(uow.session).reserve(code, sequence, moment.year, at=now, until=until,
                                                       purpose=purpose.strip())
            if number is None:
                agency = SqlDirectory(uow.session).current_version(code)
                if agency is None:
                    raise NotFound(f"agency {code} is not in the registry")
                raise IllegalState(f"agency {code} is {agency.status}: it cannot issue numbers")
            issued = IssuedNumber(NumberKey(code, sequence, moment.year, number), until)
            uow.add_event(Event.of(events_pb2.DocumentIdentifierIssued(
                agency_code=code, identifier=issued.identifier, year=moment.year, number=number,
                issued_at=clock.iso(moment), sequence=sequence, reserved_until=clock.iso(until),
                purpose=purpose.strip()), service=SERVICE, key=code))
            uow.commit()
        return issued

    def confirm(self, identifier: str, *, sequence: str = DOCUMENT_IDENTIFIER_SEQUENCE,
                reference: str = "") -> str:
        """Confirm a reserved number (idempotent). A voided or expired number cannot be confirmed."""
        key = parse_identifier(identifier, sequence)
        now = clock.now()
        with self._db.unit_of_work() as uow:
            repo = SqlSequences(uow.session)
            row = repo.get(key)
            if row is None:
                raise NotFound(f"{key.identifier} ({sequence}) was never issued")
            if row.state == CONFIRMED:
                if reference and row.reference and reference != row.reference:
                    raise Conflict(f"{key.identifier} is already confirmed for {row.reference}")
                return CONFIRMED
            if row.state == VOIDED:
                raise IllegalState(f"{key.identifier} was voided ({row.reason}): it cannot be confirmed")
            if clock.from_storage(row.reserved_until) < now:
                if repo.close(key, state=VOIDED, at=now, reason=EXPIRED_REASON):
                    uow.add_event(self._voided_event(key, EXPIRED_REASON, now))
                    uow.commit()
                raise IllegalState(f"the reservation of {key.identifier} expired: it was voided")
            if not repo.close(key, state=CONFIRMED, at=now, reference=reference.strip()):
                raise Conflict(f"{key.identifier} changed concurrently; retry")
            uow.add_event(Event.of(events_pb2.IdentifierConfirmed(
                agency_code=key.agency_code, identifier=key.identifier, sequence=sequence, year=key.year,
                number=key.number, reference=reference.strip(), confirmed_at=clock.iso(now)),
                service=SERVICE, key=key.agency_code))
            uow.commit()
        return CONFIRMED

    def confirm_carried(self, uow: UnitOfWork, identifier: str, reference: str) -> None:
        """Confirm the document identifier that a stored document carries, inside ``uow`` (the consumer's
        transaction of the documents service's ``DocumentSubmitted`` event; idempotent).

        The event proves that the document exists with this number, so it confirms the number even when
        its reservation meanwhile expired or was voided because the documents service could not reach
        the registry at the time: the report then counts it as confirmed, which is the truth.
        """
        key = parse_identifier(identifier, DOCUMENT_IDENTIFIER_SEQUENCE)
        repo = SqlSequences(uow.session)
        row = repo.get(key)
        if row is None or row.state == CONFIRMED:
            return
        now = clock.now()
        note = f"confirmed by the document's DocumentSubmitted event after: {row.reason}" if row.reason else ""
        repo.confirm_carried(key, at=now, reference=reference, note=note)
        uow.add_event(Event.of(events_pb2.IdentifierConfirmed(
            agency_code=key.agency_code, identifier=key.identifier, sequence=key.sequence, year=key.year,
            number=key.number, reference=reference, confirmed_at=clock.iso(now)),
            service=SERVICE, key=key.agency_code))

    def void(self, identifier: str, *, sequence: str = DOCUMENT_IDENTIFIER_SEQUENCE, reason: str,
             actor: str = "") -> str:
        """Void a reserved number with a reason (idempotent); the number stays used and is never reissued."""
        key = parse_identifier(identifier, sequence)
        reason = (reason or "").strip()
        if not reason:
            raise InvalidInput("voiding a number needs a reason", errors=[FieldError("reason", "required")])
        now = clock.now()
        with self._db.unit_of_work() as uow:
            repo = SqlSequences(uow.session)
            row = repo.get(key)
            if row is None:
                raise NotFound(f"{key.identifier} ({sequence}) was never issued")
            if row.state == VOIDED:
                return VOIDED
            if row.state == CONFIRMED:
                raise IllegalState(f"{key.identifier} is confirmed: a confirmed number keeps its document")
            if not repo.close(key, state=VOIDED, at=now, reason=reason):
                raise Conflict(f"{key.identifier} changed concurrently; retry")
            uow.add_event(self._voided_event(key, reason, now))
            if actor:
                Audit.record(uow.session, actor=actor, action="number.void", target=key.identifier,
                             details={"sequence": sequence, "reason": reason})
            uow.commit()
        return VOIDED

    def expire_due(self, now: datetime | None = None, batch: int = 500) -> int:
        """Void every reservation whose time-to-live has run out (reason "expired"); returns how many."""
        now = now or clock.now()
        total = 0
        while True:
            with self._db.unit_of_work() as uow:
                repo = SqlSequences(uow.session)
                keys = repo.expired(now, batch)
                for key in keys:
                    if repo.close(key, state=VOIDED, at=now, reason=EXPIRED_REASON):
                        uow.add_event(self._voided_event(key, EXPIRED_REASON, now))
                        total += 1
                uow.commit()
            if len(keys) < batch:
                return total

    def report(self, *, agency_code: str = "", year: int = 0, sequence: str = "") -> list[SequenceReport]:
        """Per agency, sequence and year: the maximum N, how many are confirmed and voided, which are still
        reserved, and which N between 1 and the maximum have no row at all (must be empty)."""
        if agency_code:
            agency_code = check_agency_code(agency_code, "agency_code")
        if sequence and sequence not in SEQUENCES:
            raise InvalidInput(f"unknown sequence {sequence!r}",
                               errors=[FieldError("sequence", "one of " + ", ".join(SEQUENCES))])
        reports = []
        with self._db.unit_of_work() as uow:
            repo = SqlSequences(uow.session)
            for counter in repo.counters(agency_code=agency_code, year=year, sequence=sequence):
                states = repo.states(counter.agency_code, counter.sequence, counter.year)
                present = {n for n, _ in states}
                top = max(int(counter.last_number), max(present, default=0))
                reports.append(SequenceReport(
                    agency_code=counter.agency_code, sequence=counter.sequence, year=counter.year, max_number=top,
                    confirmed=sum(1 for _, s in states if s == CONFIRMED),
                    voided=sum(1 for _, s in states if s == VOIDED),
                    reserved=[n for n, s in states if s == RESERVED],
                    missing=[n for n in range(1, top + 1) if n not in present]))
        return reports

    @staticmethod
    def _voided_event(key: NumberKey, reason: str, now: datetime) -> Event:
        return Event.of(events_pb2.IdentifierVoided(
            agency_code=key.agency_code, identifier=key.identifier, sequence=key.sequence, year=key.year,
            number=key.number, reason=reason, voided_at=clock.iso(now)), service=SERVICE, key=key.agency_code)
