"""Use cases of the signing service: validate the signatures of a PDF, read a stored report."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable

from lienthong.api.signing.v1 import events_pb2
from lienthong.platform import clock
from lienthong.platform.db import Database
from lienthong.platform.errors import Conflict, FieldError, InvalidInput, NotFound, PayloadTooLarge
from lienthong.platform.messaging import Event
from lienthong.signing.domain.policy import PolicyBook
from lienthong.signing.domain.report import ValidationReport
from lienthong.signing.service.ports import PdfSignatureValidator, ReportRepositoryFactory

SERVICE = "signing"
MAX_AGENCY_CODE = 35
MAX_DOCUMENT_REF = 200
MAX_FILE_NAME = 255
MAX_IDEMPOTENCY_KEY = 200


class Signing:
    """Validation of PAdES signatures and the store of validation reports."""

    def __init__(self, database: Database, validator: PdfSignatureValidator, *,
                 repository: ReportRepositoryFactory, max_pdf_bytes: int,
                 policies: Callable[[], PolicyBook] | None = None):
        self._db = database
        self._validator = validator
        self._repo = repository
        self._max_pdf_bytes = max_pdf_bytes
        self._policies = policies or PolicyBook

    @property
    def max_pdf_bytes(self) -> int:
        """The largest PDF accepted."""
        return self._max_pdf_bytes

    def check_report(self, pdf: bytes, *, agency_code: str = "", file_name: str = "") -> ValidationReport:
        """Validate ``pdf`` under ``agency_code``'s policy without storing anything (public verification)."""
        self._check_request(pdf, file_name=file_name, agency_code=agency_code, document_ref="", idempotency_key=None)
        return self._build_report(pdf, report_id="", file_name=file_name, agency_code=agency_code,
                                  document_ref="", requested_by="", digest=hashlib.sha256(pdf).hexdigest())

    def _build_report(self, pdf: bytes, *, report_id: str, file_name: str, agency_code: str, document_ref: str,
                      requested_by: str, digest: str) -> ValidationReport:
        policy = self._policies().for_agency(agency_code)
        outcome = self._validator.validate_document(pdf, trust_lists=policy.trust_lists)
        return ValidationReport.of(
            report_id=report_id, document_ref=document_ref, agency_code=agency_code, file_name=file_name,
            pdf_sha256=digest, signatures=outcome.signatures, validated_at=clock.now(), requested_by=requested_by,
            warnings=outcome.warnings, policy=policy.name,
            policy_violations=policy.violations([s.level for s in outcome.signatures]))

    def validate_pdf(self, pdf: bytes, *, file_name: str = "", agency_code: str = "", document_ref: str = "",
                     requested_by: str = "", idempotency_key: str | None = None) -> ValidationReport:
        """Validate every signature of ``pdf``, store the report and emit ``SignatureValidated``.

        The report and the event are written in one transaction; the event's key is
        ``document_ref`` (the report id when there is none). With an ``idempotency_key``
        a repeated request of the same caller returns the report stored the first time
        (``Conflict`` if the key was used for another PDF).
        """
        self._check_request(pdf, file_name=file_name, agency_code=agency_code, document_ref=document_ref,
                            idempotency_key=idempotency_key)
        digest = hashlib.sha256(pdf).hexdigest()
        if idempotency_key:
            earlier = self._replay(requested_by, idempotency_key, digest)
            if earlier is not None:
                return earlier
        report = self._build_report(pdf, report_id=str(uuid.uuid4()), file_name=file_name, agency_code=agency_code,
                                    document_ref=document_ref, requested_by=requested_by, digest=digest)
        try:
            with self._db.unit_of_work() as uow:
                self._repo(uow.session).add(report, idempotency_key=idempotency_key)
                uow.add_event(Event.of(events_pb2.SignatureValidated(
                    report_id=report.id, document_ref=report.document_ref, agency_code=report.agency_code,
                    pdf_sha256=report.pdf_sha256, indication=report.indication,
                    signature_count=len(report.signatures), validated_at=clock.iso(report.validated_at)),
                    service=SERVICE, key=report.document_ref or report.id))
                uow.commit()
        except Conflict:
            if not idempotency_key:
                raise
            earlier = self._replay(requested_by, idempotency_key, digest)
            if earlier is None:
                raise
            return earlier
        return report

    def get_report(self, report_id: str) -> ValidationReport:
        """A stored report; ``NotFound`` if there is none with this id."""
        report_id = report_id.strip()
        try:
            uuid.UUID(report_id)
        except ValueError:
            raise NotFound(f"no validation report {report_id!r}") from None
        with self._db.unit_of_work() as uow:
            report = self._repo(uow.session).get(report_id)
        if report is None:
            raise NotFound(f"no validation report {report_id}")
        return report

    def _replay(self, requested_by: str, idempotency_key: str, digest: str) -> ValidationReport | None:
        with self._db.unit_of_work() as uow:
            earlier = self._repo(uow.session).find_by_idempotency_key(requested_by, idempotency_key)
        if earlier is not None and earlier.pdf_sha256 != digest:
            raise Conflict("this Idempotency-Key was already used for another PDF",
                           errors=[FieldError("Idempotency-Key", f"first used for report {earlier.id}")])
        return earlier

    def _check_request(self, pdf: bytes, *, file_name: str, agency_code: str, document_ref: str,
                       idempotency_key: str | None) -> None:
        if len(pdf) > self._max_pdf_bytes:
            raise PayloadTooLarge(f"the PDF has {len(pdf)} bytes; at most {self._max_pdf_bytes} are accepted")
        errors = []
        if not pdf:
            errors.append(FieldError("pdf", "empty: a PDF file is required"))
        for path, value, limit in (("file_name", file_name, MAX_FILE_NAME),
                                   ("agency_code", agency_code, MAX_AGENCY_CODE),
                                   ("document_ref", document_ref, MAX_DOCUMENT_REF),
                                   ("Idempotency-Key", idempotency_key or "", MAX_IDEMPOTENCY_KEY)):
            if len(value) > limit:
                errors.append(FieldError(path, f"at most {limit} characters"))
        if errors:
            raise InvalidInput("the validation request is not valid", errors=errors)
