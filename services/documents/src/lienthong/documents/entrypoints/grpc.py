"""gRPC servicer of the documents service, for the other services."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

import grpc

from lienthong.api.documents.v1 import documents_pb2, documents_pb2_grpc
from lienthong.documents.service.use_cases import SPOOL_BYTES, Documents, document_message
from lienthong.platform.auth import Principal
from lienthong.platform.blob import CHUNK_SIZE
from lienthong.platform.errors import (
    DomainError,
    FieldError,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    grpc_abort,
)


class DocumentsServicer(documents_pb2_grpc.DocumentsServiceServicer):
    def __init__(self, documents: Documents):
        self._documents = documents

    def GetDocument(self, request: documents_pb2.GetDocumentRequest,
                    context: grpc.ServicerContext) -> documents_pb2.Document:
        return document_message(self._documents.get_internal(request.id))

    def ReadAttachment(self, request: documents_pb2.ReadAttachmentRequest,
                       context: grpc.ServicerContext) -> Iterator[documents_pb2.Chunk]:
        document = self._documents.get_internal(request.document_id)
        for data in self._documents.read_attachment(document, request.sha256):
            yield documents_pb2.Chunk(data=data)

    def SubmitEdxml(self, request_iterator: Iterator[documents_pb2.SubmitEdxmlRequest],
                    context: grpc.ServicerContext) -> documents_pb2.SubmitEdxmlResponse:
        # the platform's interceptor maps errors of unary-request methods; this one streams its request
        try:
            return self._submit_edxml(request_iterator)
        except DomainError as exc:
            grpc_abort(context, exc)
            raise  # grpc_abort raises; this line is never reached

    def _submit_edxml(self, request_iterator: Iterator[documents_pb2.SubmitEdxmlRequest]
                      ) -> documents_pb2.SubmitEdxmlResponse:
        limit = self._documents.limits.max_input_bytes
        agency, key = "", ""
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            size = 0
            for i, message in enumerate(request_iterator):
                if i == 0:
                    agency, key = message.agency_code, message.idempotency_key
                size += len(message.data)
                if size > limit:
                    raise PayloadTooLarge(f"the package exceeds {limit} bytes")
                spool.write(message.data)
            if not agency:
                raise InvalidInput("the first message must name the agency",
                                   errors=[FieldError("agency_code", "required")])
            spool.seek(0)
            caller = Principal(subject=f"grpc:{agency}", agencies=frozenset({agency}), scopes=frozenset())
            document, created = self._documents.submit_edxml(caller, spool, key or None)
        return documents_pb2.SubmitEdxmlResponse(document=document_message(document), created=created)

    def ReadEdxml(self, request: documents_pb2.ReadEdxmlRequest,
                  context: grpc.ServicerContext) -> Iterator[documents_pb2.Chunk]:
        document = self._documents.get_internal(request.document_id)
        if request.original:
            if not document.original_sha256:
                raise NotFound(f"document {document.id} was not submitted as edXML")
            for data in self._documents.read_blob(document.original_sha256):
                yield documents_pb2.Chunk(data=data)
            return
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            self._documents.write_edxml(document, spool)
            spool.seek(0)
            while data := spool.read(CHUNK_SIZE):
                yield documents_pb2.Chunk(data=data)
