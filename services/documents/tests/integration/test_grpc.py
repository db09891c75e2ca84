"""The documents gRPC API on loopback: submit an edXML package for an agency, read it back as edXML."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from lienthong.api.documents.v1 import documents_pb2, documents_pb2_grpc
from lienthong.documents.entrypoints.grpc import DocumentsServicer
from lienthong.documents.service.use_cases import Documents
from lienthong.edxml import parse
from lienthong.platform.errors import Forbidden, InvalidInput, NotFound, from_rpc_error
from lienthong.platform.grpc import Servicer, build_server, channel
from lienthong.testing.net import free_port

FIXTURES = Path(__file__).resolve().parents[4] / "tests" / "fixtures" / "edxml"


@pytest.fixture
def stub(embedded_documents: Documents) -> Iterator[documents_pb2_grpc.DocumentsServiceStub]:
    address = f"127.0.0.1:{free_port()}"
    server = build_server(address, [Servicer(documents_pb2_grpc.add_DocumentsServiceServicer_to_server,
                                             DocumentsServicer(embedded_documents),
                                             "lienthong.api.documents.v1.DocumentsService")])
    server.start()
    yield documents_pb2_grpc.DocumentsServiceStub(channel(address))
    server.stop(grace=None).wait(5)


def chunks(agency: str, raw: bytes, key: str = "") -> Iterator[documents_pb2.SubmitEdxmlRequest]:
    yield documents_pb2.SubmitEdxmlRequest(agency_code=agency, idempotency_key=key, data=raw[:100])
    for i in range(100, len(raw), 700):
        yield documents_pb2.SubmitEdxmlRequest(data=raw[i:i + 700])


def call_error(fn, *args) -> Exception:
    with pytest.raises(grpc.RpcError) as caught:
        fn(*args)
    return from_rpc_error(caught.value)


def test_submit_and_read_edxml_over_grpc(stub: documents_pb2_grpc.DocumentsServiceStub) -> None:
    raw = (FIXTURES / "valid_new_document.edxml").read_bytes()
    answer = stub.SubmitEdxml(chunks("000.00.07.H99", raw, "k-1"), timeout=30)
    assert answer.created and answer.document.edxml_document_id == "000.00.07.H99,2025/03/05,03/KH-SKHCN"
    assert answer.document.business_doc_type == 0 and answer.document.for_information_only
    again = stub.SubmitEdxml(chunks("000.00.07.H99", raw), timeout=30)
    assert not again.created and again.document.id == answer.document.id
    original = b"".join(c.data for c in stub.ReadEdxml(documents_pb2.ReadEdxmlRequest(
        document_id=answer.document.id, original=True), timeout=30))
    assert original == raw
    rebuilt = b"".join(c.data for c in stub.ReadEdxml(documents_pb2.ReadEdxmlRequest(
        document_id=answer.document.id), timeout=30))
    assert parse(rebuilt).package.header == parse(raw).package.header  # type: ignore[union-attr]
    assert isinstance(call_error(stub.SubmitEdxml, chunks("000.00.11.H99", raw)), Forbidden)
    refused = call_error(stub.SubmitEdxml, chunks("000.00.07.H99", (FIXTURES / "invalid_xxe.edxml").read_bytes()))
    assert isinstance(refused, InvalidInput) and "DTD" in refused.detail
    assert isinstance(call_error(stub.SubmitEdxml, chunks("", raw)), InvalidInput)
    missing = call_error(lambda: list(stub.ReadEdxml(documents_pb2.ReadEdxmlRequest(
        document_id="00000000-0000-0000-0000-000000000000"), timeout=30)))
    assert isinstance(missing, NotFound)
