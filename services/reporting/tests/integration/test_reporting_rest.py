"""REST API of reporting: an agency reads only its own counters; operators read all, page by page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from lienthong.platform.http import create_app
from lienthong.reporting.bootstrap import build_core
from lienthong.reporting.entrypoints import rest
from lienthong.reporting.entrypoints.consumers import event_handler
from lienthong.reporting.settings import ReportingSettings

FINANCE, HOME_AFFAIRS, HEALTH = "000.00.11.H99", "000.00.12.H99", "000.00.13.H99"


@pytest.fixture
def client(tmp_path, database_url, tokens, events):
    reporting, database = build_core(ReportingSettings(data_dir=tmp_path, database_url=database_url))
    handle = event_handler(reporting, database)
    for code, name in ((FINANCE, "Sở Tài chính tỉnh Mẫu"), (HOME_AFFAIRS, "Sở Nội vụ tỉnh Mẫu"),
                       (HEALTH, "Sở Y tế tỉnh Mẫu")):
        handle(events.agency_created(code, name))
    handle(events.submitted(FINANCE, [HOME_AFFAIRS], signed=True, indication="TOTAL_PASSED"))
    handle(events.delivered(FINANCE, HOME_AFFAIRS))
    app = create_app(title="reporting test", routers=[rest.router(reporting)], verifier=tokens.verifier)
    with TestClient(app) as c:
        yield c
    database.dispose()


def test_an_agency_reads_its_own_counts(client, tokens):
    response = client.get(f"/api/v1/reporting/agencies/{FINANCE}/counts", headers=tokens.headers(FINANCE))
    assert response.status_code == 200, response.text
    assert response.json() == {"agency_code": FINANCE, "name": "Sở Tài chính tỉnh Mẫu", "sent": 1, "received": 0,
                               "signed": 1}


def test_an_agency_cannot_read_another_agencys_counts(client, tokens):
    response = client.get(f"/api/v1/reporting/agencies/{HOME_AFFAIRS}/counts", headers=tokens.headers(FINANCE))
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "forbidden"
    assert client.get(f"/api/v1/reporting/agencies/{HOME_AFFAIRS}/counts").status_code == 401
    assert client.get("/api/v1/reporting/counts", headers=tokens.headers(FINANCE)).status_code == 403


def test_a_system_acting_for_several_agencies_reads_each_of_them(client, tokens):
    both = tokens.headers(FINANCE, HOME_AFFAIRS)
    body = client.get(f"/api/v1/reporting/agencies/{HOME_AFFAIRS}/counts", headers=both).json()
    assert (body["sent"], body["received"], body["signed"]) == (0, 1, 0)


def test_operators_read_every_agency_page_by_page(client, tokens):
    operator = tokens.headers(role="operator")
    assert client.get(f"/api/v1/reporting/agencies/{HEALTH}/counts", headers=operator).status_code == 200
    assert client.get("/api/v1/reporting/agencies/000.00.77.H99/counts", headers=operator).status_code == 404

    first = client.get("/api/v1/reporting/counts", params={"limit": 2}, headers=operator).json()
    assert [i["agency_code"] for i in first["items"]] == [FINANCE, HOME_AFFAIRS]
    assert first["next_cursor"] == HOME_AFFAIRS
    second = client.get("/api/v1/reporting/counts", params={"limit": 2, "cursor": first["next_cursor"]},
                        headers=operator).json()
    assert [i["agency_code"] for i in second["items"]] == [HEALTH]
    assert second["next_cursor"] is None
    assert set(second["items"][0]) == {"agency_code", "name", "sent", "received", "signed"}
