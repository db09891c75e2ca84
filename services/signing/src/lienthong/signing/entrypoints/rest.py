"""REST API of the signing service: public verification, validation reports, signing for agencies."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Response, UploadFile
from pydantic import BaseModel, Field

from lienthong.platform import clock
from lienthong.platform.auth import CurrentPrincipal, Principal
from lienthong.platform.errors import FieldError, Forbidden, InvalidInput, PayloadTooLarge
from lienthong.platform.text import nfc
from lienthong.signing.domain.keys import Appearance, KeyInfo
from lienthong.signing.domain.report import SignatureResult, ValidationReport, signature_time_text
from lienthong.signing.service.signing_ops import SignatureOperations, SignedPdf
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
    level: str = Field(default="", examples=["B-LTA"], description="PAdES baseline level: B-B, B-T, B-LT, B-LTA")
    trust_list: str = Field(default="", examples=["vgca"], description="trust list of the anchor the chain ends in")

    @classmethod
    def of(cls, s: SignatureResult) -> SignatureOut:
        return cls(field_name=s.field_name, indication=s.indication.value, sub_indication=s.sub_indication,
                   signer_name=s.signer_name, signer_organisation=s.signer_organisation,
                   signing_time=_time_or_none(s.signing_time), timestamp_time=_time_or_none(s.timestamp_time), coverage=s.coverage,
                   modification_level=s.modification_level, checks=list(s.checks),
                   signer_certificate_sha256=s.signer_certificate_sha256,
                   signer_serial_number=s.signer_serial_number, issuer_name=s.issuer_name,
                   certificate_not_before=_time_or_none(s.certificate_not_before),
                   certificate_not_after=_time_or_none(s.certificate_not_after), level=s.level,
                   trust_list=s.trust_list)


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
    warnings: list[str] = Field(default_factory=list, description="JavaScript, embedded files (not validated)")
    policy: str = Field(default="", examples=["default"], description="the agency policy applied")
    policy_violations: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, r: ValidationReport) -> ReportOut:
        return cls(id=r.id, document_ref=r.document_ref, agency_code=r.agency_code, file_name=r.file_name,
                   pdf_sha256=r.pdf_sha256, indication=r.indication, signature_count=len(r.signatures),
                   signatures=[SignatureOut.of(s) for s in r.signatures], validated_at=clock.iso(r.validated_at),
                   summary_vi=r.summary_vi, warnings=list(r.warnings), policy=r.policy,
                   policy_violations=list(r.policy_violations))


class KeyOut(BaseModel):
    """A signing key of the inventory (the private key stays in its token or file)."""

    key_id: str = Field(examples=["stc-seal"])
    backend: str = Field(examples=["pkcs11"])
    role: str = Field(examples=["organisation"])
    agency_codes: list[str]
    subject_name: str
    organisation: str
    issuer_name: str
    serial_number: str
    certificate_sha256: str
    not_before: str
    not_after: str
    has_seal_image: bool

    @classmethod
    def of(cls, k: KeyInfo) -> KeyOut:
        return cls(key_id=k.key_id, backend=k.backend, role=k.role.value, agency_codes=sorted(k.agency_codes),
                   subject_name=k.subject_name, organisation=k.organisation, issuer_name=k.issuer_name,
                   serial_number=k.serial_number, certificate_sha256=k.certificate_sha256,
                   not_before=clock.iso(k.not_before), not_after=clock.iso(k.not_after),
                   has_seal_image=k.has_seal_image)


class EvidenceOut(BaseModel):
    """Whether a PDF's long-term evidence is due for renewal (dry run)."""

    has_document_timestamp: bool
    last_timestamp_at: str | None
    tsa_certificate_not_after: str | None
    due: bool
    reason: str


class AuditOut(BaseModel):
    """One audited signing operation."""

    id: str
    at: str
    operation: str
    outcome: str
    key_id: str
    agency_code: str
    requested_by: str
    document_ref: str
    input_sha256: str
    output_sha256: str
    level: str
    field_name: str
    certificate_sha256: str
    detail: str


def _agency_for(principal: Principal, requested: str | None) -> str:
    """An agency system acts for one of its agencies; an operator may name any agency, or none."""
    if principal.is_operator:
        return (requested or "").strip()
    return principal.acting_agency((requested or "").strip() or None)


def _read_upload(file: UploadFile, max_pdf_bytes: int) -> bytes:
    pdf = file.file.read(max_pdf_bytes + 1)
    if len(pdf) > max_pdf_bytes:
        raise PayloadTooLarge(f"the PDF exceeds {max_pdf_bytes} bytes")
    if not pdf:
        raise InvalidInput("the uploaded file is empty", errors=[FieldError("file", "a PDF is required")])
    return pdf


def _pdf_response(result: SignedPdf) -> Response:
    a = result.audit
    return Response(content=result.pdf, media_type="application/pdf", headers={
        "X-Audit-Id": a.id, "X-Signature-Level": a.level, "X-Signature-Field": a.field_name,
        "X-Output-SHA256": a.output_sha256, "X-Signed-At": clock.iso(a.at)})


def _box(text: str) -> tuple[float, float, float, float] | None:
    if not text.strip():
        return None
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4:
        raise InvalidInput("the appearance box is not valid", errors=[FieldError("box", "x1,y1,x2,y2 in points")])
    return values  # type: ignore[return-value]


def router(signing: Signing, *, max_pdf_bytes: int, operations: SignatureOperations | None = None) -> APIRouter:
    """The signing routes under ``/api/v1/signing`` and ``/api/v1/signatures``."""
    r = APIRouter(tags=["signing"])

    @r.post("/api/v1/signatures/validate", response_model=ReportOut,
            summary="Public verification: validate the signatures of an uploaded PDF (no account needed)",
            responses={413: {"description": "the PDF is too large"},
                       422: {"description": "not a PDF, or a malformed one"}})
    def public_validate(file: Annotated[UploadFile, File(description="the PDF (application/pdf)")],
                        agency_code: Annotated[str, Form(description="apply this agency's policy")] = "",
                        ) -> ReportOut:
        pdf = _read_upload(file, max_pdf_bytes)
        return ReportOut.of(signing.check_report(pdf, agency_code=agency_code.strip(),
                                                 file_name=file.filename or ""))

    if operations is not None:
        _signing_routes(r, operations, max_pdf_bytes)

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
        pdf = _read_upload(file, max_pdf_bytes)
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


def _signing_routes(r: APIRouter, operations: SignatureOperations, max_pdf_bytes: int) -> None:
    @r.post("/api/v1/signatures/sign", response_class=Response,
            summary="Sign a PDF with one of your agency's keys (returns the signed PDF)",
            responses={200: {"content": {"application/pdf": {}}, "description": "the signed PDF; X-Audit-Id"},
                       403: {"description": "the key is not bound to your agency"},
                       409: {"description": "the field is already signed"}})
    def sign(principal: CurrentPrincipal,
             file: Annotated[UploadFile, File(description="the PDF to sign")],
             key_id: Annotated[str, Form(description="a key bound to your agency (GET /api/v1/signatures/keys)")],
             level: Annotated[str, Form(description="B-T, B-LT or B-LTA")] = "B-T",
             appearance: Annotated[str, Form(description="seal, text or none")] = "seal",
             page: Annotated[int, Form(description="0-based page; -1 = last")] = -1,
             box: Annotated[str, Form(description="x1,y1,x2,y2 in points; empty = default")] = "",
             number_symbol: Annotated[str, Form(description="for text: e.g. 123/QĐ-UBND")] = "",
             field_name: Annotated[str, Form()] = "",
             document_ref: Annotated[str, Form()] = "",
             x_agency_code: Annotated[str | None, Header(description="agency to act for")] = None) -> Response:
        agency = principal.acting_agency((x_agency_code or "").strip() or None)
        pdf = _read_upload(file, max_pdf_bytes)
        result = operations.sign(pdf, key_id=key_id.strip(), agencies=frozenset({agency}),
                                 requested_by=principal.subject, level=level.strip(),
                                 appearance=Appearance(kind=appearance.strip(), page=page, box=_box(box),
                                                       number_symbol=nfc(number_symbol.strip())),
                                 field_name=field_name.strip(), document_ref=document_ref.strip())
        return _pdf_response(result)

    @r.post("/api/v1/signatures/extend", response_class=Response,
            summary="Extend a signed PDF to B-LT (revocation data) or B-LTA (plus a document timestamp)",
            responses={200: {"content": {"application/pdf": {}}, "description": "the extended PDF"}})
    def extend(principal: CurrentPrincipal, file: Annotated[UploadFile, File()],
               level: Annotated[str, Form(description="B-LT or B-LTA")] = "B-LTA",
               document_ref: Annotated[str, Form()] = "",
               x_agency_code: Annotated[str | None, Header()] = None) -> Response:
        agency = _agency_for(principal, x_agency_code)
        result = operations.extend(_read_upload(file, max_pdf_bytes), level=level.strip(), agency_code=agency,
                                   requested_by=principal.subject, document_ref=document_ref.strip())
        return _pdf_response(result)

    @r.post("/api/v1/signatures/evidence", response_model=EvidenceOut,
            summary="Dry run of evidence renewal: is the last document timestamp due for renewal?")
    def evidence(principal: CurrentPrincipal, file: Annotated[UploadFile, File()]) -> EvidenceOut:
        status = operations.evidence_status(_read_upload(file, max_pdf_bytes))
        return EvidenceOut(has_document_timestamp=status.has_document_timestamp,
                           last_timestamp_at=_time_or_none(status.last_timestamp_at),
                           tsa_certificate_not_after=_time_or_none(status.tsa_certificate_not_after),
                           due=status.due, reason=status.reason)

    @r.post("/api/v1/signatures/renew", response_class=Response,
            summary="Add a fresh document timestamp when the evidence is due (204 when it is not)",
            responses={200: {"content": {"application/pdf": {}}}, 204: {"description": "not due"}})
    def renew(principal: CurrentPrincipal, file: Annotated[UploadFile, File()],
              force: Annotated[bool, Form()] = False, document_ref: Annotated[str, Form()] = "",
              x_agency_code: Annotated[str | None, Header()] = None) -> Response:
        agency = _agency_for(principal, x_agency_code)
        result = operations.renew(_read_upload(file, max_pdf_bytes), agency_code=agency,
                                  requested_by=principal.subject, document_ref=document_ref.strip(), force=force)
        return Response(status_code=204) if result is None else _pdf_response(result)

    @r.get("/api/v1/signatures/keys", response_model=list[KeyOut],
           summary="The signing keys bound to your agencies (operators: all keys)")
    def keys(principal: CurrentPrincipal) -> list[KeyOut]:
        found = operations.list_keys(None if principal.is_operator else principal.agencies)
        return [KeyOut.of(k) for k in found]

    @r.get("/api/v1/signatures/audit", response_model=list[AuditOut],
           summary="The latest signing operations of an agency (operators: all)")
    def audit(principal: CurrentPrincipal, limit: int = 100,
              x_agency_code: Annotated[str | None, Header()] = None) -> list[AuditOut]:
        agency = _agency_for(principal, x_agency_code)
        entries = operations.audit_entries(agency_code=agency or None, limit=limit)
        return [AuditOut(**{**dataclasses.asdict(e), "at": clock.iso(e.at)}) for e in entries]
