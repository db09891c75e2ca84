"""SQL repository of reporting's per-agency read model."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lienthong.platform import clock
from lienthong.reporting.adapters.tables import agencies, agency_counts, counted_deliveries
from lienthong.reporting.domain.counts import AgencyCounts, AgencyDelta


def _counts(row: Any) -> AgencyCounts:
    return AgencyCounts(agency_code=row.agency_code, name=row.name, level=row.level, sent=row.sent,
                        received=row.received, signed=row.signed, updated_at=clock.from_storage(row.updated_at))


_COUNTS_WITH_AGENCY = (
    select(agency_counts, agencies.c.name, agencies.c.level)
    .select_from(agency_counts.outerjoin(agencies, agencies.c.code == agency_counts.c.agency_code))
)


class SqlCountsRepository:
    """Counters and agencies in the session of one unit of work."""

    def __init__(self, session: Session):
        self.session = session

    def _insert(self) -> Any:
        dialect = self.session.get_bind().dialect.name
        return postgresql.insert if dialect == "postgresql" else sqlite.insert

    def add_to_counts(self, delta: AgencyDelta, *, at: datetime) -> tuple[int, int, int]:
        stmt = self._insert()(agency_counts).values(agency_code=delta.agency_code, sent=delta.sent,
                                                    received=delta.received, signed=delta.signed, updated_at=at)
        stmt = stmt.on_conflict_do_update(
            index_elements=[agency_counts.c.agency_code],
            set_={"sent": agency_counts.c.sent + delta.sent,
                  "received": agency_counts.c.received + delta.received,
                  "signed": agency_counts.c.signed + delta.signed,
                  "updated_at": at},
        ).returning(agency_counts.c.sent, agency_counts.c.received, agency_counts.c.signed)
        sent, received, signed = self.session.execute(stmt).one()
        return int(sent), int(received), int(signed)

    def first_time_delivered(self, delivery_id: str) -> bool:
        inserted = self.session.execute(
            self._insert()(counted_deliveries).values(delivery_id=delivery_id)
            .on_conflict_do_nothing(index_elements=[counted_deliveries.c.delivery_id])
            .returning(counted_deliveries.c.delivery_id)).first()
        return inserted is not None

    def save_agency(self, code: str, *, name: str, level: str, at: datetime) -> None:
        insert = self._insert()
        self.session.execute(insert(agencies).values(code=code, name=name, level=level).on_conflict_do_update(
            index_elements=[agencies.c.code], set_={"name": name, "level": level}))
        self.session.execute(insert(agency_counts).values(
            agency_code=code, sent=0, received=0, signed=0, updated_at=at).on_conflict_do_nothing(
            index_elements=[agency_counts.c.agency_code]))

    def get(self, agency_code: str) -> AgencyCounts | None:
        row = self.session.execute(_COUNTS_WITH_AGENCY.where(agency_counts.c.agency_code == agency_code)).first()
        return _counts(row) if row else None

    def list(self, *, after: str | None, limit: int) -> list[AgencyCounts]:
        query = _COUNTS_WITH_AGENCY.order_by(agency_counts.c.agency_code).limit(limit)
        if after:
            query = query.where(agency_counts.c.agency_code > after)
        return [_counts(r) for r in self.session.execute(query)]
