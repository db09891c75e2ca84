"""gRPC servicer of the archive (``lienthong.api.archive.v1.ArchiveService``), for the other services."""

from __future__ import annotations

import grpc

from lienthong.api.archive.v1 import archive_pb2, archive_pb2_grpc
from lienthong.archive.service.messages import record_message
from lienthong.archive.service.use_cases import Archive
from lienthong.platform import clock

SERVICE_NAME = "lienthong.api.archive.v1.ArchiveService"


class ArchiveServicer(archive_pb2_grpc.ArchiveServiceServicer):
    """Reads records and runs fixity checks on behalf of other services of the axis."""

    def __init__(self, archive: Archive):
        self._archive = archive

    def GetRecord(self, request: archive_pb2.GetRecordRequest, context: grpc.ServicerContext) -> archive_pb2.Record:
        return record_message(self._archive.get_record(request.id))

    def VerifyFixity(self, request: archive_pb2.VerifyFixityRequest,
                     context: grpc.ServicerContext) -> archive_pb2.VerifyFixityResponse:
        check = self._archive.check_fixity(request.record_id)
        return archive_pb2.VerifyFixityResponse(intact=check.intact, checked_at=clock.iso(check.checked_at))
