"""Counting real events through the idempotent handler, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select

from lienthong.api.reporting.v1.events_pb2 import AgencyCountsChanged
from lienthong.api.routing.v1.events_pb2 import Delivered
from lienthong.platform.errors import InvalidInput
from lienthong.platform.messaging import Event
from lienthong.platform.messaging.tables import outbox_events
from lienthong.reporting.bootstrap import build_core
from lienthong.reporting.entrypoints.consumers import event_handler
from lienthong.reporting.settings import ReportingSettings

FINANCE, HOME_AFFAIRS, HEALTH = "000.00.11.H99", "000.00.12.H99", "000.00.13.H99"


@pytest.fixture
def core(tmp_path, database_url):
    reporting, database = build_core(ReportingSettings(data_dir=tmp_path, database_url=database_url))
    yield reporting, database, event_handler(reporting, database)
    database.dispose()


def counts(reporting, code: str) -> tuple[int, int, int]:
    c = reporting.agency_counts(code)
    return c.sent, c.received, c.signed


def announced(database) -> list[AgencyCountsChanged]:
    with database.session_factory() as s:
        rows = s.execute(select(outbox_events).where(
            outbox_events.c.event_type == AgencyCountsChanged.DESCRIPTOR.full_name).order_by(outbox_events.c.seq))
        return [AgencyCountsChanged.FromString(r.data) for r in rows]


def test_sent_received_and_signed_follow_the_counting_rules(core, events):
    reporting, _, handle = core
    for event in [
        events.agency_created(FINANCE, "Sở Tài chính tỉnh Mẫu"),
        events.submitted(FINANCE, [HOME_AFFAIRS, HEALTH], signed=True, indication="TOTAL_PASSED"),
        events.submitted(FINANCE, [HOME_AFFAIRS], signed=True, indication="INDETERMINATE"),
        events.submitted(FINANCE, [HOME_AFFAIRS], signed=False),
        events.submitted(HOME_AFFAIRS, [FINANCE], signed=True, indication="TOTAL_FAILED"),
        events.delivered(FINANCE, HOME_AFFAIRS),
        events.delivered(FINANCE, HEALTH, addressed="000.00.99.H99"),
        events.delivered(HOME_AFFAIRS, FINANCE),
        events.queued(FINANCE, HOME_AFFAIRS),
        events.signature_validated(FINANCE),
        events.record_archived("some-document"),
    ]:
        handle(event)

    assert counts(reporting, FINANCE) == (3, 1, 1)
    assert counts(reporting, HOME_AFFAIRS) == (1, 1, 0)
    assert counts(reporting, HEALTH) == (0, 1, 0)
    assert reporting.agency_counts(FINANCE).name == "Sở Tài chính tỉnh Mẫu"
    assert reporting.agency_counts(HOME_AFFAIRS).name is None


def test_each_event_is_counted_once_and_announced_once(core, events):
    reporting, database, handle = core
    signed = events.submitted(FINANCE, [HOME_AFFAIRS], signed=True, indication="TOTAL_PASSED")
    delivery = events.delivered(FINANCE, HOME_AFFAIRS)
    for event in (signed, signed, delivery, signed, delivery):
        handle(event)

    assert counts(reporting, FINANCE) == (1, 0, 1)
    assert counts(reporting, HOME_AFFAIRS) == (0, 1, 0)
    changes = announced(database)
    assert [(c.agency_code, c.sent, c.received, c.signed) for c in changes] == [
        (FINANCE, 1, 0, 1), (HOME_AFFAIRS, 0, 1, 0)]
    assert all(c.changed_at.endswith("+07:00") for c in changes)


def test_a_delivery_announced_twice_is_received_once(core, events):
    """Routing announces a delivery again when a re-driven push succeeds after the inbox fallback."""
    reporting, _, handle = core
    first = events.delivered(FINANCE, HOME_AFFAIRS)
    again = Event.of(Delivered(delivery=first.parse(Delivered).delivery, channel="push"), service="routing",
                     key=first.key)
    assert again.id != first.id
    for event in (first, again, events.delivered(FINANCE, HOME_AFFAIRS)):
        handle(event)
    assert counts(reporting, HOME_AFFAIRS) == (0, 2, 0)


def test_an_agency_created_later_keeps_its_counters(core, events):
    reporting, _, handle = core
    handle(events.submitted(HEALTH, [FINANCE]))
    handle(events.agency_created(HEALTH, "Sở Y tế tỉnh Mẫu"))
    handle(events.agency_created(FINANCE, "Sở Tài chính tỉnh Mẫu"))

    assert counts(reporting, HEALTH) == (1, 0, 0)
    assert counts(reporting, FINANCE) == (0, 0, 0)
    assert [c.agency_code for c in reporting.list_counts(_Operator())] == [FINANCE, HEALTH]


def test_an_event_naming_no_agency_is_refused_and_counts_nothing(core, events):
    reporting, database, handle = core
    with pytest.raises(InvalidInput):
        handle(events.delivered(FINANCE, ""))
    assert reporting.list_counts(_Operator()) == []
    assert announced(database) == []


def test_prometheus_counters_move_only_after_commit(core, events):
    reporting, database, handle = core
    agency = f"TEST.{uuid.uuid4().hex[:8].upper()}"

    def exported(name: str) -> float:
        return REGISTRY.get_sample_value(f"lienthong_documents_{name}_total", {"agency": agency}) or 0.0

    with database.unit_of_work() as uow:
        reporting.count_submission(agency, signed=True, indication="TOTAL_PASSED", uow=uow)
        assert exported("sent") == 0.0
        # leaving without commit rolls back
    assert exported("sent") == 0.0
    assert reporting.list_counts(_Operator()) == []

    submitted = events.submitted(agency, [FINANCE], signed=True, indication="TOTAL_PASSED")
    handle(submitted)
    handle(submitted)
    handle(events.delivered(FINANCE, agency))
    assert (exported("sent"), exported("signed"), exported("received")) == (1.0, 1.0, 1.0)


class _Operator:
    agencies = frozenset()
    is_operator = True
