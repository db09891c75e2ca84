"""gRPC client of the documents service, as the national-axis mailbox uses it (the :class:`DocumentStore` port)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

import grpc

from lienthong.api.documents.v1 import documents_pb2, documents_pb2_grpc
from lienthong.platform.errors import NotFound, from_rpc_error
from lienthong.platform.grpc import channel

CHUNK_BYTES = 256 * 1024


class GrpcDocumentStore:
    """``SubmitEdxml`` and ``ReadEdxml`` of the documents service."""

    def __init__(self, target: str, deadline_s: float):
        self._stub = documents_pb2_grpc.DocumentsServiceStub(channel(target))
        self._deadline_s = deadline_s

    def submit_edxml(self, agency_code: str, package: BinaryIO, idempotency_key: str = "") -> str:
        """Store an edXML document package sent for ``agency_code``; the document's id."""
        def requests() -> Iterator[documents_pb2.SubmitEdxmlRequest]:
            yield documents_pb2.SubmitEdxmlRequest(agency_code=agency_code, idempotency_key=idempotency_key)
            while data := package.read(CHUNK_BYTES):
                yield documents_pb2.SubmitEdxmlRequest(data=data)
        try:
            response = self._stub.SubmitEdxml(requests(), timeout=self._deadline_s * 4)
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        return response.document.id

    def read_edxml(self, document_id: str) -> bytes:
        """The document as edXML: the package as received, or rebuilt when it was submitted as JSON."""
        try:
            return self._read(document_id, original=True)
        except NotFound:
            return self._read(document_id, original=False)

    def _read(self, document_id: str, *, original: bool) -> bytes:
        try:
            chunks = self._stub.ReadEdxml(documents_pb2.ReadEdxmlRequest(document_id=document_id, original=original),
                                          timeout=self._deadline_s * 4)
            return b"".join(c.data for c in chunks)
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
