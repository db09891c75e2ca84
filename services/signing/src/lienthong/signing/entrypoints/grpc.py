"""gRPC servicer of the signing service (``lienthong.api.signing.v1.SigningService``)."""

from __future__ import annotations

import grpc

from lienthong.api.signing.v1 import signing_pb2, signing_pb2_grpc
from lienthong.platform import clock
from lienthong.signing.domain.report import ValidationReport, signature_time_text
from lienthong.signing.service.use_cases import Signing

GRPC_CALLER = "grpc"
"""``requested_by`` of reports requested over gRPC (service-to-service calls inside the axis)."""


def report_message(report: ValidationReport) -> signing_pb2.ValidationReport:
    """The protobuf form of a report; absent times are empty strings."""
    return signing_pb2.ValidationReport(
        id=report.id, document_ref=report.document_ref, pdf_sha256=report.pdf_sha256,
        indication=report.indication, validated_at=clock.iso(report.validated_at), summary_vi=report.summary_vi,
        signatures=[signing_pb2.SignatureResult(
            field_name=s.field_name, indication=s.indication.value, sub_indication=s.sub_indication,
            signer_name=s.signer_name, signer_organisation=s.signer_organisation,
            signing_time=signature_time_text(s.signing_time), timestamp_time=signature_time_text(s.timestamp_time),
            coverage=s.coverage, modification_level=s.modification_level, checks=list(s.checks))
            for s in report.signatures])


class SigningServicer(signing_pb2_grpc.SigningServiceServicer):
    """ValidatePdf and GetReport; domain errors become gRPC statuses in the platform's interceptor."""

    def __init__(self, signing: Signing):
        self._signing = signing

    def ValidatePdf(self, request: signing_pb2.ValidatePdfRequest,
                    context: grpc.ServicerContext) -> signing_pb2.ValidationReport:
        report = self._signing.validate_pdf(request.pdf, file_name=request.file_name,
                                            agency_code=request.agency_code, document_ref=request.document_ref,
                                            requested_by=GRPC_CALLER)
        return report_message(report)

    def GetReport(self, request: signing_pb2.GetReportRequest,
                  context: grpc.ServicerContext) -> signing_pb2.ValidationReport:
        return report_message(self._signing.get_report(request.id))
