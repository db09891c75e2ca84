"""Prometheus counters of documents sent, received and signed per agency, moved after commit.

They count what this process handled since it started (Prometheus' ``rate()`` and
``increase()`` take restarts in their stride); the read model holds the totals.
"""

from __future__ import annotations

from prometheus_client import Counter
from sqlalchemy import event

from lienthong.platform.db import UnitOfWork
from lienthong.reporting.domain.counts import AgencyDelta

DOCUMENTS_SENT = Counter("lienthong_documents_sent", "Documents submitted, per sender agency", ["agency"])
DOCUMENTS_RECEIVED = Counter("lienthong_documents_received", "Deliveries that reached their recipient, "
                             "per recipient agency", ["agency"])
DOCUMENTS_SIGNED = Counter("lienthong_documents_signed", "Documents submitted with a valid (TOTAL_PASSED) "
                           "signature, per sender agency", ["agency"])


def export(deltas: list[AgencyDelta]) -> None:
    """Add ``deltas`` to the exported counters now."""
    for delta in deltas:
        for counter, amount in ((DOCUMENTS_SENT, delta.sent), (DOCUMENTS_RECEIVED, delta.received),
                                (DOCUMENTS_SIGNED, delta.signed)):
            if amount:
                counter.labels(agency=delta.agency_code).inc(amount)


class PrometheusCountMetrics:
    """A :class:`~lienthong.reporting.service.ports.CountMetrics` on the process' default Prometheus registry."""

    def add_after_commit(self, uow: UnitOfWork, deltas: list[AgencyDelta]) -> None:
        """Export ``deltas`` when the unit of work's session commits; a rollback exports nothing."""
        if deltas:
            event.listen(uow.session, "after_commit", lambda _session: export(deltas), once=True)
