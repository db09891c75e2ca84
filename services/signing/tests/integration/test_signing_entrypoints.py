"""The signing service as built by bootstrap: gRPC over a loopback server, REST through TestClient."""

from __future__ import annotations

import grpc
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lienthong.api.signing.v1 import signing_pb2, signing_pb2_grpc
from lienthong.platform.errors import InvalidInput, NotFound, from_rpc_error
from lienthong.platform.grpc import build_server, check_health
from lienthong.platform.http import create_app
from lienthong.platform.messaging.local import LocalLogTransport
from lienthong.platform.messaging.tables import outbox_events
from lienthong.signing.adapters.dev_pki import sign_pdf
from lienthong.signing.bootstrap import SERVICE_NAME, build
from lienthong.testing.net import free_port

AGENCY = "000.00.11.H99"
OTHER_AGENCY = "000.00.12.H99"


@pytest.fixture
def app(settings, tmp_path):
    service = build(settings, transport=LocalLogTransport(tmp_path / "events.sqlite3"))
    yield service
    service.close()


@pytest.fixture
def stub(app):
    address = f"127.0.0.1:{free_port()}"
    server = build_server(address, app.servicers)
    server.start()
    with grpc.insecure_channel(address) as ch:
        yield signing_pb2_grpc.SigningServiceStub(ch), address
    server.stop(grace=None).wait(5)


@pytest.fixture
def client(app, tokens):
    http = create_app(title="signing test", routers=[app.router], verifier=tokens.verifier,
                      health_checks={app.name: app.health})
    with TestClient(http) as c:
        yield c


def test_grpc_validate_and_get_report(stub, app, signed_pdf, pki):
    signing_stub, address = stub
    assert check_health(address, SERVICE_NAME)
    pdf = sign_pdf(signed_pdf("person"), pki.out_dir, "organisation")
    report = signing_stub.ValidatePdf(signing_pb2.ValidatePdfRequest(
        pdf=pdf, file_name="cv.pdf", agency_code=AGENCY, document_ref="000.00.11.H99-2026.15"), timeout=10)
    assert report.indication == "TOTAL_PASSED" and report.document_ref == "000.00.11.H99-2026.15"
    person, organisation = report.signatures
    assert (person.signer_name, person.signer_organisation) == ("Nguyễn Văn An", "Sở Tài chính tỉnh Mẫu")
    assert person.signing_time.endswith("+07:00") and person.timestamp_time == ""
    assert (person.coverage, organisation.coverage) == ("ENTIRE_REVISION", "ENTIRE_FILE")
    assert list(person.checks)[1].startswith("integrity: OK")
    assert report.validated_at.endswith("+07:00") and report.summary_vi.startswith("Chữ ký hợp lệ: ")
    assert signing_stub.GetReport(signing_pb2.GetReportRequest(id=report.id), timeout=10) == report

    # the outbox relay worker publishes the committed event
    relay = app.workers[0]
    assert relay.relay_once() == 1
    with app.engines[0].connect() as conn:
        assert conn.execute(select(outbox_events.c.published_at)).scalar_one() is not None


def test_grpc_errors_map_back_to_domain_errors(stub):
    signing_stub, _ = stub
    with pytest.raises(grpc.RpcError) as exc:
        signing_stub.ValidatePdf(signing_pb2.ValidatePdfRequest(pdf=b"not a pdf at all"), timeout=10)
    assert exc.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    error = from_rpc_error(exc.value)
    assert isinstance(error, InvalidInput) and "not a PDF" in error.detail
    with pytest.raises(grpc.RpcError) as exc:
        signing_stub.GetReport(signing_pb2.GetReportRequest(id="6f1c2a9e-5b7d-4c3e-8a1f-0d9e8b7c6a5f"), timeout=10)
    assert isinstance(from_rpc_error(exc.value), NotFound)


def test_rest_upload_returns_the_report_and_it_can_be_read_back(client, tokens, signed_pdf):
    headers = tokens.headers(AGENCY)
    resp = client.post("/api/v1/signing/validations", headers=headers,
                       files={"file": ("công-văn.pdf", signed_pdf("person"), "application/pdf")},
                       data={"document_ref": "000.00.11.H99-2026.15"})
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert resp.headers["location"] == f"/api/v1/signing/reports/{body['id']}"
    assert (body["indication"], body["agency_code"], body["file_name"]) == ("TOTAL_PASSED", AGENCY, "công-văn.pdf")
    [sig] = body["signatures"]
    assert (sig["signer_name"], sig["sub_indication"], sig["timestamp_time"]) == ("Nguyễn Văn An", "", None)
    assert body["summary_vi"] == (f"Chữ ký hợp lệ: Nguyễn Văn An (Sở Tài chính tỉnh Mẫu), ký lúc {sig['signing_time']}")

    assert client.get(f"/api/v1/signing/reports/{body['id']}", headers=headers).json() == body
    operator = tokens.headers(role="operator")
    assert client.get(f"/api/v1/signing/reports/{body['id']}", headers=operator).status_code == 200
    other = client.get(f"/api/v1/signing/reports/{body['id']}", headers=tokens.headers(OTHER_AGENCY))
    assert other.status_code == 403 and other.headers["content-type"] == "application/problem+json"


def test_rest_rejects_bad_requests_with_problem_json(client, tokens, signed_pdf):
    url = "/api/v1/signing/validations"
    unauthenticated = client.post(url, files={"file": ("a.pdf", signed_pdf("person"), "application/pdf")})
    assert unauthenticated.status_code == 401
    garbage = client.post(url, headers=tokens.headers(AGENCY), files={"file": ("a.pdf", b"<html>", "text/html")})
    assert garbage.status_code == 422 and garbage.json()["code"] == "invalid-input"
    assert garbage.json()["errors"][0]["path"] == "pdf"
    missing = client.post(url, headers=tokens.headers(AGENCY))
    assert missing.status_code == 422
    foreign = client.post(url, headers={**tokens.headers(AGENCY), "X-Agency-Code": OTHER_AGENCY},
                          files={"file": ("a.pdf", signed_pdf("person"), "application/pdf")})
    assert foreign.status_code == 403
    several = client.post(url, headers=tokens.headers(AGENCY, OTHER_AGENCY),
                          files={"file": ("a.pdf", signed_pdf("person"), "application/pdf")})
    assert several.status_code == 403
    unknown = client.get("/api/v1/signing/reports/6f1c2a9e-5b7d-4c3e-8a1f-0d9e8b7c6a5f",
                         headers=tokens.headers(AGENCY))
    assert unknown.status_code == 404


def test_rest_idempotency_key_returns_the_same_report(client, tokens, signed_pdf):
    headers = {**tokens.headers(AGENCY), "Idempotency-Key": "upload-42"}
    files = {"file": ("a.pdf", signed_pdf("person"), "application/pdf")}
    first = client.post("/api/v1/signing/validations", headers=headers, files=files)
    second = client.post("/api/v1/signing/validations", headers=headers, files=files)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    reused = client.post("/api/v1/signing/validations", headers=headers,
                         files={"file": ("b.pdf", signed_pdf("organisation"), "application/pdf")})
    assert reused.status_code == 409


def test_operator_may_validate_without_an_agency(client, tokens, unsigned_pdf):
    resp = client.post("/api/v1/signing/validations", headers=tokens.headers(role="operator"),
                       files={"file": ("plain.pdf", unsigned_pdf, "application/pdf")})
    assert resp.status_code == 201
    assert (resp.json()["indication"], resp.json()["signatures"], resp.json()["agency_code"]) == ("", [], "")
