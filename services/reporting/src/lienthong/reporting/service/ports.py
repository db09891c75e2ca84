"""What the reporting use cases need from the outside world, as protocols the adapters implement."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from lienthong.platform.db import UnitOfWork
from lienthong.reporting.domain.counts import AgencyCounts, AgencyDelta


class CountsRepository(Protocol):
    """The per-agency read model in reporting's database, inside one unit of work."""

    def add_to_counts(self, delta: AgencyDelta, *, at: datetime) -> tuple[int, int, int]:
        """Add ``delta`` atomically (creating the agency's row at zero first); returns (sent, received, signed)."""

    def first_time_delivered(self, delivery_id: str) -> bool:
        """Record that ``delivery_id`` was counted; False when it already was."""

    def save_agency(self, code: str, *, name: str, level: str, at: datetime) -> None:
        """Record or update an agency's name and level, and give it counters (at zero) if it has none."""

    def get(self, agency_code: str) -> AgencyCounts | None: ...

    def list(self, *, after: str | None, limit: int) -> list[AgencyCounts]:
        """Agencies' counters ordered by agency code, after the code ``after``."""


class CountMetrics(Protocol):
    """Counters exported to Prometheus."""

    def add_after_commit(self, uow: UnitOfWork, deltas: list[AgencyDelta]) -> None:
        """Add ``deltas`` to the exported counters once ``uow`` commits (never if it rolls back)."""
