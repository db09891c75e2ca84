"""gRPC servicer of the documents service, for the other services."""

from __future__ import annotations

from collections.abc import Iterator

import grpc

from lienthong.api.documents.v1 import documents_pb2, documents_pb2_grpc
from lienthong.documents.service.use_cases import Documents, document_message


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
