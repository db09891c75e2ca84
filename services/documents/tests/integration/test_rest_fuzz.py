"""Fuzz target of the REST doors (multipart and edXML bodies): random requests get a problem+json answer,
never a server error, and never store anything they should not."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lienthong.documents.entrypoints.rest import router
from lienthong.documents.service.use_cases import Documents
from lienthong.platform.auth import Principal, bearer_principal
from lienthong.platform.http import create_app


@pytest.fixture
def client(embedded_documents: Documents, sender: Principal) -> TestClient:
    app = create_app(title="documents", routers=[router(embedded_documents, max_metadata_bytes=64 * 1024)], verifier=None)
    app.dependency_overrides[bearer_principal] = lambda: sender
    return TestClient(app, raise_server_exceptions=False)


tokens = st.sampled_from([b"--B", b"\r\n", b"Content-Disposition: form-data; name=\"metadata\"",
                          b"Content-Disposition: form-data; name=\"file\"; filename=\"../x.pdf\"",
                          b"Content-Type: application/pdf", b"{\"header\": {}}", b"%PDF-1.7", b"--B--", b"\x00",
                          b"{\"sender_code\": \"000.00.07.H99\"}", b"filename*=UTF-8''%C3%A9.pdf"])
bodies = st.lists(tokens | st.binary(max_size=30), max_size=25).map(b"".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(body=bodies, xml=st.booleans())
def test_random_requests_never_cause_a_server_error(client: TestClient, body: bytes, xml: bool) -> None:
    if xml:
        resp = client.post("/api/v1/documents/edxml", content=body, headers={"Content-Type": "application/xml"})
    else:
        resp = client.post("/api/v1/documents", content=body,
                           headers={"Content-Type": "multipart/form-data; boundary=B"})
    assert resp.status_code < 500, resp.text
    assert resp.status_code in (200, 201) or resp.headers["content-type"] == "application/problem+json"
