"""gRPC client of the documents service: reads attachments as streams of chunks."""

from __future__ import annotations

from collections.abc import Iterator

import grpc

from lienthong.api.documents.v1 import documents_pb2, documents_pb2_grpc
from lienthong.platform.errors import from_rpc_error


class GrpcAttachmentSource:
    """An :class:`~lienthong.archive.service.ports.AttachmentSource` over ``DocumentsService.ReadAttachment``.

    ``deadline_s`` bounds one whole attachment transfer. The source owns ``channel`` and closes it.
    """

    def __init__(self, channel: grpc.Channel, *, deadline_s: float):
        self._channel = channel
        self._stub = documents_pb2_grpc.DocumentsServiceStub(self._channel)
        self._deadline_s = deadline_s

    def read(self, document_id: str, sha256: str) -> Iterator[bytes]:
        """The attachment's bytes, chunk by chunk; a failed call raises the domain error the server raised."""
        call = self._stub.ReadAttachment(
            documents_pb2.ReadAttachmentRequest(document_id=document_id, sha256=sha256), timeout=self._deadline_s)
        try:
            for chunk in call:
                yield chunk.data
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        finally:
            # Stop the transfer if the reader gave up early: a plain call is cancelled, a traced one
            # (a generator around the call) is closed.
            stop = getattr(call, "cancel", None) or call.close
            stop()

    def close(self) -> None:
        self._channel.close()
