"""The REST doors in process (FastAPI app on SQLite): JSON equals edXML, limits while streaming, OpenAPI."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lienthong.documents.entrypoints.rest import router
from lienthong.documents.service.use_cases import Documents
from lienthong.edxml import Limits, parse
from lienthong.platform.auth import Principal, bearer_principal
from lienthong.platform.http import create_app

FIXTURES = Path(__file__).resolve().parents[4] / "tests" / "fixtures" / "edxml"
STUB = b"%PDF-1.7\n% LienThong example stub\n"


def app_for(documents: Documents, principal: Principal) -> TestClient:
    app = create_app(title="documents", routers=[router(documents, max_metadata_bytes=64 * 1024)], verifier=None)
    app.dependency_overrides[bearer_principal] = lambda: principal
    return TestClient(app)


@pytest.fixture
def client(embedded_documents: Documents, sender: Principal) -> TestClient:
    return app_for(embedded_documents, sender)


def test_json_and_edxml_doors_give_the_same_record_and_edxml(client: TestClient, second_axis: Documents,
                                                            sender: Principal) -> None:
    raw = (FIXTURES / "valid_replace.edxml").read_bytes()
    original = (FIXTURES / "valid_new_document.edxml").read_bytes()
    model = parse(raw).package.model_dump(mode="json", by_alias=True, exclude={"attachments", "kind"})
    body = {**model, "attachments": [{"attachment_name": "03-KH-SKHCN.pdf", "description": "Kế hoạch (bản ký số)",
                                      "content_id": "5b0e9d4c-2f51-4a39-9a53-0c1d7e6f8a21",
                                      "content_base64": base64.b64encode(STUB).decode()}]}
    # both axes first receive the replaced document
    assert client.post("/api/v1/documents/edxml", content=original,
                       headers={"Content-Type": "application/xml"}).status_code == 201
    other = app_for(second_axis, sender)
    assert other.post("/api/v1/documents/edxml", content=original,
                      headers={"Content-Type": "application/xml"}).status_code == 201
    as_json = client.post("/api/v1/documents/json", json=body)
    as_edxml = other.post("/api/v1/documents/edxml", content=raw, headers={"Content-Type": "text/xml"})
    assert as_json.status_code == as_edxml.status_code == 201, (as_json.text, as_edxml.text)
    differ = {"id", "identifier", "submitted_at", "has_original_package", "refers_to_ids", "signature"}
    a, b = as_json.json(), as_edxml.json()
    assert {k: v for k, v in a.items() if k not in differ} == {k: v for k, v in b.items() if k not in differ}
    assert a["business_doc_type"] == 3 and a["issuance_form"] == "electronic+paper"
    rebuilt_json = client.get(f"/api/v1/documents/{a['id']}/edxml").content
    rebuilt_edxml = other.get(f"/api/v1/documents/{b['id']}/edxml").content
    assert rebuilt_json == rebuilt_edxml


def test_json_errors_carry_field_paths(client: TestClient) -> None:
    resp = client.post("/api/v1/documents/json", json={"header": {"from": {"organ_id": "000.00.07.H99"}},
                                                      "attachments": [{"attachment_name": "a.pdf",
                                                                       "content_base64": "***"}]})
    assert resp.status_code == 422 and resp.headers["content-type"] == "application/problem+json"
    paths = {e["path"] for e in resp.json()["errors"]}
    assert {"body.header.to", "body.header.code", "body.header.subject"} <= paths


def test_bodies_over_the_limit_are_refused_while_streaming(embedded_documents: Documents,
                                                           sender: Principal) -> None:
    embedded_documents.limits = Limits(max_input_bytes=4096)
    small = app_for(embedded_documents, sender)
    declared = small.post("/api/v1/documents", headers={"Content-Type": "multipart/form-data; boundary=B",
                                                         "Content-Length": "1000000"}, content=b"x" * 10)
    assert declared.status_code == 413
    def body():  # chunked: no Content-Length, the limit applies as the bytes arrive
        for _ in range(100):
            yield b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n" + b"y" * 1000
    streamed = small.post("/api/v1/documents", headers={"Content-Type": "multipart/form-data; boundary=B"},
                          content=body())
    assert streamed.status_code == 413 and streamed.headers["content-type"] == "application/problem+json"
    xml = small.post("/api/v1/documents/edxml", headers={"Content-Type": "application/xml"}, content=body())
    assert xml.status_code == 413


def test_openapi_documents_every_door(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/documents", "/api/v1/documents/json", "/api/v1/documents/edxml",
                 "/api/v1/documents/outbox", "/api/v1/documents/inbox", "/api/v1/documents/{document_id}/edxml",
                 "/api/v1/documents/{document_id}/package",
                 "/api/v1/documents/{document_id}/attachments/{sha256}"):
        assert path in paths, path
    assert "application/xml" in paths["/api/v1/documents/edxml"]["post"]["requestBody"]["content"]
