"""Reporting as its bootstrap wires it: events in through the transport, AgencyCountsChanged out, gRPC API."""

from __future__ import annotations

import threading

import grpc
import pytest

from lienthong.api.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from lienthong.api.reporting.v1.events_pb2 import AgencyCountsChanged
from lienthong.platform.grpc import build_server
from lienthong.platform.messaging import Event, topic_of
from lienthong.platform.messaging.local import LocalLogTransport
from lienthong.reporting.bootstrap import build
from lienthong.reporting.settings import ReportingSettings
from lienthong.testing.net import free_port

FINANCE, HOME_AFFAIRS = "000.00.11.H99", "000.00.12.H99"


def test_events_published_on_the_axis_are_counted_and_served(tmp_path, events):
    settings = ReportingSettings(data_dir=tmp_path, grpc_port=free_port())
    transport = LocalLogTransport(tmp_path / "events.sqlite3", poll_interval_s=0.02)
    app = build(settings, transport=transport)
    server = build_server(settings.grpc_self_target, app.servicers)
    server.start()

    changes: list[AgencyCountsChanged] = []
    both_counted = threading.Event()

    def collect(event: Event) -> None:
        changes.append(event.parse(AgencyCountsChanged))
        if {c.agency_code for c in changes} == {FINANCE, HOME_AFFAIRS}:
            both_counted.set()

    stop = threading.Event()
    listener = transport.subscriber("reporting-test-listener", [topic_of("reporting")], collect)
    threads = [threading.Thread(target=w.run, args=(stop,)) for w in [*app.workers, listener]]
    for t in threads:
        t.start()
    try:
        publisher = transport.publisher()
        publisher.publish([events.agency_created(FINANCE, "Sở Tài chính tỉnh Mẫu"),
                           events.submitted(FINANCE, [HOME_AFFAIRS], signed=True, indication="TOTAL_PASSED")])
        publisher.publish([events.delivered(FINANCE, HOME_AFFAIRS)])

        assert both_counted.wait(20), f"AgencyCountsChanged seen so far: {changes}"
        with grpc.insecure_channel(settings.grpc_self_target) as ch:
            stub = reporting_pb2_grpc.ReportingServiceStub(ch)
            answer = stub.GetAgencyCounts(reporting_pb2.GetAgencyCountsRequest(agency_code=FINANCE), timeout=5)
            assert (answer.agency_code, answer.sent, answer.received, answer.signed) == (FINANCE, 1, 0, 1)
            with pytest.raises(grpc.RpcError) as unknown:
                stub.GetAgencyCounts(reporting_pb2.GetAgencyCountsRequest(agency_code="000.00.77.H99"), timeout=5)
            assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
        assert app.health()
    finally:
        stop.set()
        for t in threads:
            t.join(10)
        server.stop(grace=None).wait(5)
        app.close()
