"""The new signing APIs on a real loopback gRPC server and the REST router: streamed Validate, Sign, Extend,
ListKeys; the public verification endpoint; signing endpoints for authorised agencies."""

from __future__ import annotations

import grpc
import pytest
from fastapi.testclient import TestClient

from lienthong.api.signing.v1 import signing_pb2, signing_pb2_grpc
from lienthong.platform.grpc import build_server
from lienthong.platform.http import create_app
from lienthong.platform.messaging.local import LocalLogTransport
from lienthong.signing.adapters.dev_pki import minimal_pdf, sign_pdf
from lienthong.signing.bootstrap import build
from lienthong.signing.entrypoints.grpc import MAX_CHUNK_BYTES
from lienthong.signing.settings import SigningSettings
from lienthong.testing.net import free_port

AGENCY = "000.00.11.H99"
OTHER = "000.00.12.H99"


@pytest.fixture
def app(tmp_path, online_pki, softhsm_token, write_keys):
    pki, _ = online_pki
    settings = SigningSettings(data_dir=tmp_path, trust_roots=[pki.trust_dir], tsa_url=pki.tsa_url,
                               keys_file=write_keys(tmp_path / "keys.toml", pki, softhsm_token),
                               max_pdf_bytes=3 * 1024 * 1024)
    service = build(settings, transport=LocalLogTransport(tmp_path / "events.sqlite3"))
    yield service
    service.close()


@pytest.fixture
def stub(app):
    address = f"127.0.0.1:{free_port()}"
    server = build_server(address, app.servicers)
    server.start()
    with grpc.insecure_channel(address) as ch:
        yield signing_pb2_grpc.SigningServiceStub(ch)
    server.stop(grace=None).wait(5)


@pytest.fixture
def client(app, tokens):
    http = create_app(title="signing test", routers=[app.router], verifier=tokens.verifier,
                      health_checks={app.name: app.health})
    with TestClient(http) as c:
        yield c


@pytest.fixture
def person_signed(online_pki) -> bytes:
    return sign_pdf(minimal_pdf("Công văn 15/STC-VP"), online_pki[0], "person", timestamp=True)


def chunks(pdf: bytes, size: int, **meta):
    yield signing_pb2.ValidateRequest(data=pdf[:size], **meta)
    for at in range(size, len(pdf), size):
        yield signing_pb2.ValidateRequest(data=pdf[at:at + size])


def test_streamed_validate_matches_validate_pdf(stub, person_signed):
    whole = stub.ValidatePdf(signing_pb2.ValidatePdfRequest(pdf=person_signed, agency_code=AGENCY), timeout=20)
    streamed = stub.Validate(chunks(person_signed, 4096, file_name="cv.pdf", agency_code=AGENCY,
                                    document_ref="ref-1"), timeout=20)
    assert streamed.indication == whole.indication == "TOTAL_PASSED"
    assert streamed.pdf_sha256 == whole.pdf_sha256 and streamed.document_ref == "ref-1"
    assert streamed.file_name == "cv.pdf" and streamed.policy == "default"
    [sig] = streamed.signatures
    assert (sig.level, sig.trust_list) == ("B-T", "vgca") and sig.certificate_not_after.endswith("+07:00")


def test_streamed_validate_limits(stub):
    with pytest.raises(grpc.RpcError) as exc:
        stub.Validate(iter([signing_pb2.ValidateRequest(data=b"x" * (MAX_CHUNK_BYTES + 1))]), timeout=20)
    assert exc.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.RpcError) as exc:
        stub.Validate(chunks(b"%PDF-" + bytes(4 * 1024 * 1024), MAX_CHUNK_BYTES), timeout=20)
    assert exc.value.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
    with pytest.raises(grpc.RpcError) as exc:
        stub.Validate(iter([]), timeout=20)
    assert exc.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.RpcError) as exc:
        stub.Validate(chunks(b"not a pdf at all", 4), timeout=20)
    assert exc.value.code() is grpc.StatusCode.INVALID_ARGUMENT


def test_grpc_sign_extend_and_list_keys(stub, person_signed):
    signed = stub.Sign(signing_pb2.SignRequest(pdf=person_signed, key_id="org-hsm", agency_code=AGENCY,
                                               level="B-T", document_ref="doc-1"), timeout=30)
    assert signed.field_name == "Sig_ToChuc" and signed.at.endswith("+07:00") and signed.audit_id
    extended = stub.Extend(signing_pb2.ExtendRequest(pdf=signed.pdf, level="B-LTA", agency_code=AGENCY),
                           timeout=30)
    report = stub.ValidatePdf(signing_pb2.ValidatePdfRequest(pdf=extended.pdf), timeout=20)
    assert [s.level for s in report.signatures] == ["B-LTA", "B-LTA"] and report.indication == "TOTAL_PASSED"
    dry = stub.RenewEvidence(signing_pb2.RenewEvidenceRequest(pdf=extended.pdf, dry_run=True), timeout=30)
    assert dry.has_document_timestamp and not dry.due and not dry.renewed and dry.tsa_certificate_not_after
    forced = stub.RenewEvidence(signing_pb2.RenewEvidenceRequest(pdf=extended.pdf, force=True), timeout=30)
    assert forced.renewed and forced.pdf.startswith(extended.pdf) and forced.audit_id
    unsigned = stub.RenewEvidence(signing_pb2.RenewEvidenceRequest(pdf=person_signed), timeout=30)
    assert not unsigned.has_document_timestamp and not unsigned.renewed
    with pytest.raises(grpc.RpcError) as exc:
        stub.Sign(signing_pb2.SignRequest(pdf=person_signed, key_id="org-hsm", agency_code=OTHER), timeout=30)
    assert exc.value.code() is grpc.StatusCode.PERMISSION_DENIED
    keys = stub.ListKeys(signing_pb2.ListKeysRequest(agency_code=AGENCY), timeout=10).keys
    assert {k.key_id: k.backend for k in keys} == {"org-p12": "pkcs12", "person-p12": "pkcs12",
                                                   "expired-p12": "pkcs12", "org-hsm": "pkcs11"}
    assert stub.ListKeys(signing_pb2.ListKeysRequest(agency_code=OTHER), timeout=10).keys == []


def test_public_validate_needs_no_token(client, person_signed):
    resp = client.post("/api/v1/signatures/validate", files={"file": ("cv.pdf", person_signed, "application/pdf")})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["indication"] == "TOTAL_PASSED" and body["signatures"][0]["level"] == "B-T"
    assert body["summary_vi"].startswith("Chữ ký hợp lệ: Nguyễn Văn An")
    again = client.post("/api/v1/signatures/validate", files={"file": ("cv.pdf", person_signed, "application/pdf")})
    assert {k: v for k, v in again.json().items() if k != "validated_at"} == {
        k: v for k, v in body.items() if k != "validated_at"}  # deterministic apart from the validation time
    bad = client.post("/api/v1/signatures/validate", files={"file": ("x.pdf", b"hello", "application/pdf")})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    big = client.post("/api/v1/signatures/validate",
                      files={"file": ("x.pdf", b"%PDF-" + bytes(3 * 1024 * 1024), "application/pdf")})
    assert big.status_code == 413


def test_rest_signing_for_authorised_agencies(client, tokens, person_signed):
    files = {"file": ("cv.pdf", person_signed, "application/pdf")}
    assert client.post("/api/v1/signatures/sign", files=files, data={"key_id": "org-p12"}).status_code == 401
    refused = client.post("/api/v1/signatures/sign", files=files, data={"key_id": "org-p12"},
                          headers=tokens.headers(OTHER))
    assert refused.status_code == 403
    resp = client.post("/api/v1/signatures/sign", files=files,
                       data={"key_id": "org-p12", "level": "B-T", "appearance": "text",
                             "number_symbol": "15/STC-VP", "page": "0"}, headers=tokens.headers(AGENCY))
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == "application/pdf" and resp.headers["X-Signature-Field"] == "Sig_ToChuc"
    check = client.post("/api/v1/signatures/validate", files={"file": ("s.pdf", resp.content, "application/pdf")})
    assert [s["indication"] for s in check.json()["signatures"]] == ["TOTAL_PASSED", "TOTAL_PASSED"]
    keys = client.get("/api/v1/signatures/keys", headers=tokens.headers(AGENCY)).json()
    assert {k["key_id"] for k in keys} == {"org-p12", "person-p12", "expired-p12", "org-hsm"}
    assert client.get("/api/v1/signatures/keys", headers=tokens.headers(OTHER)).json() == []
    audit = client.get("/api/v1/signatures/audit", headers=tokens.headers(AGENCY)).json()
    assert [(a["operation"], a["outcome"]) for a in audit] == [("sign", "done")]
    evidence = client.post("/api/v1/signatures/evidence", files=files, headers=tokens.headers(AGENCY)).json()
    assert evidence["has_document_timestamp"] is False and evidence["due"] is False
