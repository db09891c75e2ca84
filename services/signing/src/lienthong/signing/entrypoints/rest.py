"""REST API of the signing service: validate an uploaded PDF, read a stored report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Response, UploadFile
from pydantic import BaseModel, Field

from lienthong.platform import clock
from lienthong.platform.auth import CurrentPrincipal, Principal
from lienthong.platform.errors import FieldError, Forbidden, InvalidInput, PayloadTooLarge
from lienthong.signing.domain.report import SignatureResult, ValidationReport, signature_time_text
from lienthong.signing.service.use_cases import Signing


def _time_or_none(moment: datetime | None) -> str | None:
    return signature_time_text(moment) or None


class SignatureOut(BaseModel):
    """One signature of the PDF and its ETSI EN 319 102-1 verdict."""

    field_name: str = Field(examples=["Sig_CaNhan"])
    indication: str = Field(examples=["TOTAL_PASSED"], description="TOTAL_PASSED, TOTAL_FAILED or INDETERMINATE")
    sub_indication: str = Field(examples=["NO_CERTIFICATE_CHAIN_FOUND"], description="empty when passed")
    signer_name: str = Field(examples=["Nguyễn Văn An"], description="CN of the signer's certificate")
    signer_organisation: str = Field(examples=["Sở Tài chính tỉnh Mẫu"], description="O of the certificate")
    signing_time: str | None = Field(examples=["2026-11-25T10:00:00+07:00"], description="claimed by the signer")
    timestamp_time: str | None = Field(examples=[None], description="from a signature timestamp, if any")
    coverage: str = Field(examples=["ENTIRE_FILE"])
    modification_level: str = Field(examples=["NONE"])
    checks: list[str] = Field(examples=[["integrity: OK — the signed byte range matches the signed digest"]])
    signer_certificate_sha256: str
    signer_serial_number: str
    issuer_name: str = Field(examples=["LienThong Dev Issuing CA"])
    certificate_not_before: str | None
    certificate_not_after: str | None

    @classmethod
    def of(cls, s: SignatureResult) -> SignatureOut:
        return cls(field_name=s.field_name, indication=s.indication.value, sub_indication=s.sub_indication,
                   signer_name=s.signer_name, signer_organisation=s.signer_organisation,
                   signing_time=_time_or_none(s.signing_time), timestamp_time=_time_or_none(s.timestamp_time), coverage=s.coverage,
                   modification_level=s.modification_level, checks=list(s.checks),
                   signer_certificate_sha256=s.signer_certificate_sha256,
                   signer_serial_number=s.signer_serial_number, issuer_name=s.issuer_name,
                   certificate_not_before=_time_or_none(s.certificate_not_before),
                   certificate_not_after=_time_or_none(s.certificate_not_after))


class ReportOut(BaseModel):
    """A validation report: every signature of one PDF."""

    id: str = Field(examples=["0b9a3f4e-6c1d-4d8e-9a51-2f7c3e1b5a90"])
    document_ref: str = Field(examples=["000.00.11.H99-2026.15"])
    agency_code: str = Field(examples=["000.00.11.H99"])
    file_name: str = Field(examples=["cong-van-15.pdf"])
    pdf_sha256: str
    indication: str = Field(examples=["TOTAL_PASSED"], description="worst of the signatures; empty if unsigned")
    signature_count: int
    signatures: list[SignatureOut]
    validated_at: str = Field(examples=["2026-11-25T10:00:05.123+07:00"])
    summary_vi: str = Field(examples=["Chữ ký hợp lệ: Nguyễn Văn An (Sở Tài chính tỉnh Mẫu), ký lúc "
                                      + "2026-11-25T10:00:00+07:00"])

    @classmethod
    def of(cls, r: ValidationReport) -> ReportOut:
        return cls(id=r.id, document_ref=r.document_ref, agency_code=r.agency_code, file_name=r.file_name,
                   pdf_sha256=r.pdf_sha256, indication=r.indication, signature_count=len(r.signatures),
                   signatures=[SignatureOut.of(s) for s in r.signatures], validated_at=clock.iso(r.validated_at),
                   summary_vi=r.summary_vi)


def _agency_for(principal: Principal, requested: str | None) -> str:
    """An agency system acts for one of its agencies; an operator may name any agency, or none."""
    if principal.is_operator:
        return (requested or "").strip()
    return principal.acting_agency((requested or "").strip() or None)


def router(signing: Signing, *, max_pdf_bytes: int) -> APIRouter:
    """The signing routes under ``/api/v1/signing``."""
    r = APIRouter(tags=["signing"])

    @r.post("/api/v1/signing/validations", response_model=ReportOut, status_code=201,
            summary="Validate the signatures of an uploaded PDF and store the report",
            responses={201: {"description": "the report, also readable at its Location"},
                       413: {"description": "the PDF is too large"},
                       422: {"description": "not a PDF, or a malformed one"}})
    def validate(principal: CurrentPrincipal, response: Response,
                 file: Annotated[UploadFile, File(description="the PDF (application/pdf)")],
                 document_ref: Annotated[str, Form(description="your reference, e.g. the document id")] = "",
                 x_agency_code: Annotated[str | None, Header(description="agency to act for")] = None,
                 idempotency_key: Annotated[str | None, Header()] = None) -> ReportOut:
        agency_code = _agency_for(principal, x_agency_code)
        pdf = file.file.read(max_pdf_bytes + 1)
        if len(pdf) > max_pdf_bytes:
            raise PayloadTooLarge(f"the PDF exceeds {max_pdf_bytes} bytes")
        if not pdf:
            raise InvalidInput("the uploaded file is empty", errors=[FieldError("file", "a PDF is required")])
        report = signing.validate_pdf(pdf, file_name=file.filename or "", agency_code=agency_code,
                                      document_ref=document_ref, requested_by=principal.subject,
                                      idempotency_key=(idempotency_key or "").strip() or None)
        response.headers["Location"] = f"/api/v1/signing/reports/{report.id}"
        return ReportOut.of(report)

    @r.get("/api/v1/signing/reports/{report_id}", response_model=ReportOut,
           summary="A stored validation report (your agencies' reports; operators: all)")
    def get_report(report_id: str, principal: CurrentPrincipal) -> ReportOut:
        report = signing.get_report(report_id)
        if not report.visible_to(principal.agencies, operator=principal.is_operator):
            raise Forbidden("this report belongs to another agency")
        return ReportOut.of(report)

    return r
