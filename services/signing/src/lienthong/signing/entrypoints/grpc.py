"""gRPC servicer of the signing service (``lienthong.api.signing.v1.SigningService``)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator

import grpc

from lienthong.api.signing.v1 import signing_pb2, signing_pb2_grpc
from lienthong.platform import clock
from lienthong.platform.errors import DomainError, FieldError, InvalidInput, PayloadTooLarge, grpc_abort
from lienthong.signing.domain.keys import Appearance, KeyInfo
from lienthong.signing.domain.report import ValidationReport, signature_time_text
from lienthong.signing.service.signing_ops import SignatureOperations, SignedPdf
from lienthong.signing.service.use_cases import Signing

MAX_CHUNK_BYTES = 1024 * 1024
"""Largest data chunk of one ``Validate`` message."""
SPOOL_IN_MEMORY_BYTES = 2 * 1024 * 1024
"""A streamed PDF stays in memory up to this size, then goes to a temporary file."""

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
            coverage=s.coverage, modification_level=s.modification_level, checks=list(s.checks),
            level=s.level, trust_list=s.trust_list, signer_certificate_sha256=s.signer_certificate_sha256,
            signer_serial_number=s.signer_serial_number, issuer_name=s.issuer_name,
            certificate_not_before=signature_time_text(s.certificate_not_before),
            certificate_not_after=signature_time_text(s.certificate_not_after))
            for s in report.signatures],
        warnings=list(report.warnings), policy=report.policy, policy_violations=list(report.policy_violations),
        agency_code=report.agency_code, file_name=report.file_name)


def key_message(key: KeyInfo) -> signing_pb2.KeyInfo:
    """The protobuf form of a key's inventory entry."""
    return signing_pb2.KeyInfo(
        key_id=key.key_id, backend=key.backend, role=key.role.value, agency_codes=sorted(key.agency_codes),
        subject_name=key.subject_name, organisation=key.organisation, issuer_name=key.issuer_name,
        serial_number=key.serial_number, certificate_sha256=key.certificate_sha256,
        not_before=clock.iso(key.not_before), not_after=clock.iso(key.not_after), has_seal_image=key.has_seal_image)


def _signed_message(result: SignedPdf) -> signing_pb2.SignResponse:
    return signing_pb2.SignResponse(pdf=result.pdf, audit_id=result.audit.id, level=result.audit.level,
                                    field_name=result.audit.field_name, output_sha256=result.audit.output_sha256,
                                    at=clock.iso(result.audit.at))


def _appearance(message: signing_pb2.SignAppearance, present: bool) -> Appearance:
    if not present:
        return Appearance()
    box = tuple(message.box)
    if box and len(box) != 4:
        raise InvalidInput("the appearance box is not valid", errors=[FieldError("appearance.box", "x1, y1, x2, y2")])
    return Appearance(kind=message.kind or "seal", page=message.page if message.page else -1,
                      box=box or None, number_symbol=message.number_symbol)  # type: ignore[arg-type]


class SigningServicer(signing_pb2_grpc.SigningServiceServicer):
    """Validation (whole or streamed), reports, signing, extension, keys.

    Domain errors become gRPC statuses in the platform's interceptor (unary calls) or
    here (the client-streaming ``Validate``).
    """

    def __init__(self, signing: Signing, operations: SignatureOperations | None = None):
        self._signing = signing
        self._operations = operations

    def _ops(self) -> SignatureOperations:
        if self._operations is None:
            raise InvalidInput("signing is not configured on this server")
        return self._operations

    def Validate(self, request_iterator: Iterator[signing_pb2.ValidateRequest],
                 context: grpc.ServicerContext) -> signing_pb2.ValidationReport:
        try:
            return self._validate_stream(request_iterator)
        except DomainError as exc:
            grpc_abort(context, exc)
            raise  # grpc_abort raises; this keeps type checkers content

    def _validate_stream(self, chunks: Iterator[signing_pb2.ValidateRequest]) -> signing_pb2.ValidationReport:
        limit = self._signing.max_pdf_bytes
        meta: signing_pb2.ValidateRequest | None = None
        size = 0
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES, prefix="lienthong-validate-") as spool:
            for chunk in chunks:
                if meta is None:
                    meta = chunk
                if len(chunk.data) > MAX_CHUNK_BYTES:
                    raise InvalidInput(f"a chunk has {len(chunk.data)} bytes; send at most {MAX_CHUNK_BYTES} per "
                                       "message", errors=[FieldError("data", "chunk too large")])
                size += len(chunk.data)
                if size > limit:
                    raise PayloadTooLarge(f"the PDF exceeds {limit} bytes")
                spool.write(chunk.data)
            if meta is None or size == 0:
                raise InvalidInput("no PDF data was streamed", errors=[FieldError("data", "a PDF is required")])
            spool.seek(0)
            pdf = bytearray()
            shutil.copyfileobj(spool, _Sink(pdf))
        report = self._signing.validate_pdf(bytes(pdf), file_name=meta.file_name, agency_code=meta.agency_code,
                                            document_ref=meta.document_ref, requested_by=GRPC_CALLER)
        return report_message(report)

    def Sign(self, request: signing_pb2.SignRequest, context: grpc.ServicerContext) -> signing_pb2.SignResponse:
        agency = request.agency_code.strip()
        result = self._ops().sign(
            request.pdf, key_id=request.key_id, agencies=frozenset({agency}) if agency else frozenset(),
            requested_by=GRPC_CALLER, level=request.level or "B-T",
            appearance=_appearance(request.appearance, request.HasField("appearance")),
            field_name=request.field_name, document_ref=request.document_ref)
        return _signed_message(result)

    def Extend(self, request: signing_pb2.ExtendRequest, context: grpc.ServicerContext) -> signing_pb2.SignResponse:
        result = self._ops().extend(request.pdf, level=request.level or "B-LTA",
                                    agency_code=request.agency_code.strip(), requested_by=GRPC_CALLER,
                                    document_ref=request.document_ref)
        return _signed_message(result)

    def RenewEvidence(self, request: signing_pb2.RenewEvidenceRequest,
                      context: grpc.ServicerContext) -> signing_pb2.RenewEvidenceResponse:
        ops = self._ops()
        status = ops.evidence_status(request.pdf)
        response = signing_pb2.RenewEvidenceResponse(
            has_document_timestamp=status.has_document_timestamp, due=status.due, reason=status.reason,
            last_timestamp_at=signature_time_text(status.last_timestamp_at),
            tsa_certificate_not_after=signature_time_text(status.tsa_certificate_not_after))
        if request.dry_run or not status.has_document_timestamp:
            return response
        result = ops.renew(request.pdf, agency_code=request.agency_code.strip(), requested_by=GRPC_CALLER,
                           document_ref=request.document_ref, force=request.force)
        if result is not None:
            response.renewed = True
            response.pdf = result.pdf
            response.audit_id = result.audit.id
        return response

    def ListKeys(self, request: signing_pb2.ListKeysRequest,
                 context: grpc.ServicerContext) -> signing_pb2.ListKeysResponse:
        agency = request.agency_code.strip()
        keys = self._ops().list_keys(frozenset({agency}) if agency else None)
        return signing_pb2.ListKeysResponse(keys=[key_message(k) for k in keys])

    def ValidatePdf(self, request: signing_pb2.ValidatePdfRequest,
                    context: grpc.ServicerContext) -> signing_pb2.ValidationReport:
        report = self._signing.validate_pdf(request.pdf, file_name=request.file_name,
                                            agency_code=request.agency_code, document_ref=request.document_ref,
                                            requested_by=GRPC_CALLER)
        return report_message(report)

    def GetReport(self, request: signing_pb2.GetReportRequest,
                  context: grpc.ServicerContext) -> signing_pb2.ValidationReport:
        return report_message(self._signing.get_report(request.id))


class _Sink:
    """A write-only file object appending to a bytearray (copying the spool without a second full copy)."""

    def __init__(self, buffer: bytearray):
        self._buffer = buffer

    def write(self, data: bytes) -> int:
        self._buffer += data
        return len(data)
