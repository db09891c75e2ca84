"""gRPC servicer of reporting (``lienthong.api.reporting.v1.ReportingService``), for the other services."""

from __future__ import annotations

import grpc

from lienthong.api.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from lienthong.reporting.service.use_cases import Reporting

SERVICE_NAME = "lienthong.api.reporting.v1.ReportingService"


class ReportingServicer(reporting_pb2_grpc.ReportingServiceServicer):
    """Answers other services' questions about agencies' counters."""

    def __init__(self, reporting: Reporting):
        self._reporting = reporting

    def GetAgencyCounts(self, request: reporting_pb2.GetAgencyCountsRequest,
                        context: grpc.ServicerContext) -> reporting_pb2.AgencyCounts:
        counts = self._reporting.agency_counts(request.agency_code)
        return reporting_pb2.AgencyCounts(agency_code=counts.agency_code, sent=counts.sent,
                                          received=counts.received, signed=counts.signed)
