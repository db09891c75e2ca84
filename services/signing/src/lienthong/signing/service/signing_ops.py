"""Use cases of signing on behalf of agencies: sign, extend to B-LT/B-LTA, renew evidence, list keys.

Rules (signatures.md §3, §6):

* an agency signs only with keys bound to one of its codes (``Forbidden`` otherwise,
  and the refusal is audited);
* a key whose certificate is not valid now is never used (TT 15/2025 "check before
  signing");
* an organisation signature needs a person signature that passes first (NĐ 30/2020
  Art. 32(2)(d)), unless ``require_person_first`` is off;
* every signature (and every extension or renewal) is written to the audit table in
  the same transaction as its ``PdfSigned`` event.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from lienthong.api.signing.v1 import events_pb2
from lienthong.platform import clock
from lienthong.platform.db import Database
from lienthong.platform.errors import (
    Conflict,
    FieldError,
    Forbidden,
    IllegalState,
    InvalidInput,
    PayloadTooLarge,
)
from lienthong.platform.messaging import Event
from lienthong.signing.domain.keys import (
    APPEARANCE_KINDS,
    EXTENSION_LEVELS,
    SIGNING_LEVELS,
    Appearance,
    AuditEntry,
    EvidenceStatus,
    KeyInfo,
    KeyRole,
)
from lienthong.signing.domain.report import Indication
from lienthong.signing.service.ports import AuditLogFactory, PdfSignatureValidator, PdfSigningEngine

SERVICE = "signing"
_FIELD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,99}$")


@dataclass(frozen=True)
class SignedPdf:
    """The result of a signing operation: the new PDF and its audit record."""

    pdf: bytes
    audit: AuditEntry


class SignatureOperations:
    """Signing, extension and evidence renewal for authorised agencies."""

    def __init__(self, database: Database, engine: PdfSigningEngine, validator: PdfSignatureValidator, *,
                 audit_log: AuditLogFactory, max_pdf_bytes: int, require_person_first: bool = True,
                 renew_within: timedelta = timedelta(days=90)):
        self._db = database
        self._engine = engine
        self._validator = validator
        self._audit = audit_log
        self._max_pdf_bytes = max_pdf_bytes
        self._require_person_first = require_person_first
        self._renew_within = renew_within

    # -- keys ---------------------------------------------------------------------------------------------
    def list_keys(self, agencies: frozenset[str] | None = None) -> list[KeyInfo]:
        """The key inventory; only the keys bound to ``agencies`` when given."""
        infos = self._engine.key_infos()
        return infos if agencies is None else [k for k in infos if k.agency_codes & agencies]

    # -- sign ---------------------------------------------------------------------------------------------
    def sign(self, pdf: bytes, *, key_id: str, agencies: frozenset[str], requested_by: str, level: str = "B-T",
             appearance: Appearance | None = None, field_name: str = "", document_ref: str = "") -> SignedPdf:
        """Add a PAdES signature with ``key_id`` to ``pdf``, for a caller acting for ``agencies``."""
        appearance = appearance or Appearance()
        self._check_pdf(pdf)
        errors = []
        if level not in SIGNING_LEVELS:
            errors.append(FieldError("level", f"one of {', '.join(SIGNING_LEVELS)}"))
        if appearance.kind not in APPEARANCE_KINDS:
            errors.append(FieldError("appearance", f"one of {', '.join(APPEARANCE_KINDS)}"))
        if field_name and not _FIELD_NAME.match(field_name):
            errors.append(FieldError("field_name", "letters, digits, _ . - (at most 100), starting with a letter"))
        if len(document_ref) > 200:
            errors.append(FieldError("document_ref", "at most 200 characters"))
        if errors:
            raise InvalidInput("the signing request is not valid", errors=errors)
        info = self._engine.key_info(key_id)
        digest = hashlib.sha256(pdf).hexdigest()
        try:
            agency = info.require_usable_by(agencies)
        except Forbidden as exc:
            self._record(AuditEntry(str(uuid.uuid4()), clock.now(), "sign", "refused", key_id,
                                    ",".join(sorted(agencies))[:35], requested_by, document_ref, digest, "", level,
                                    field_name, info.certificate_sha256, str(exc)))
            raise
        now = clock.now()
        if not info.valid_at(now):
            raise IllegalState(f"the certificate of key {key_id} is not valid now "
                               f"({clock.iso(info.not_before)} – {clock.iso(info.not_after)}): it must not sign")
        field_name = field_name or ("Sig_ToChuc" if info.role is KeyRole.ORGANISATION else "Sig_CaNhan")
        existing = self._validator.validate(pdf)
        if field_name in {s.field_name for s in existing}:
            raise Conflict(f"the PDF already has a signature in field {field_name}; choose another field_name",
                           errors=[FieldError("field_name", "already signed")])
        if info.role is KeyRole.ORGANISATION and self._require_person_first:
            passed = [s for s in existing if s.indication is Indication.TOTAL_PASSED]
            if not passed or any(s.indication is Indication.TOTAL_FAILED for s in existing):
                raise IllegalState("the organisation signs only after a person signature that passes "
                                   "(NĐ 30/2020 Art. 32(2)(d)); validate the PDF to see why it does not")
        signed = self._engine.sign(pdf, key_id, field_name=field_name, level=level, appearance=appearance)
        entry = AuditEntry(str(uuid.uuid4()), clock.now(), "sign", "done", key_id, agency, requested_by,
                           document_ref, digest, hashlib.sha256(signed).hexdigest(), level, field_name,
                           info.certificate_sha256, f"appearance {appearance.kind}")
        self._record(entry, emit=True)
        return SignedPdf(signed, entry)

    # -- extend / renew -----------------------------------------------------------------------------------
    def extend(self, pdf: bytes, *, level: str, agency_code: str, requested_by: str,
               document_ref: str = "") -> SignedPdf:
        """``pdf`` extended to B-LT or B-LTA (no agency key is used: revocation data and a TSA timestamp)."""
        self._check_pdf(pdf)
        if level not in EXTENSION_LEVELS:
            raise InvalidInput("the extension level is not valid",
                               errors=[FieldError("level", f"one of {', '.join(EXTENSION_LEVELS)}")])
        extended = self._engine.extend(pdf, level)
        entry = AuditEntry(str(uuid.uuid4()), clock.now(), "extend", "done", "", agency_code, requested_by,
                           document_ref, hashlib.sha256(pdf).hexdigest(), hashlib.sha256(extended).hexdigest(),
                           level, "", "", f"extended to {level}")
        self._record(entry, emit=True)
        return SignedPdf(extended, entry)

    def evidence_status(self, pdf: bytes) -> EvidenceStatus:
        """Whether ``pdf``'s last document timestamp is due for renewal (the dry run of :meth:`renew`)."""
        self._check_pdf(pdf)
        return self._engine.evidence_status(pdf, renew_within=self._renew_within, now=clock.now())

    def renew(self, pdf: bytes, *, agency_code: str, requested_by: str, document_ref: str = "",
              force: bool = False) -> SignedPdf | None:
        """A fresh document timestamp when the evidence is due (or ``force``); ``None`` when not due."""
        status = self.evidence_status(pdf)
        if not status.has_document_timestamp:
            raise IllegalState(status.reason)
        if not (status.due or force):
            return None
        renewed = self._engine.renew(pdf)
        entry = AuditEntry(str(uuid.uuid4()), clock.now(), "renew", "done", "", agency_code, requested_by,
                           document_ref, hashlib.sha256(pdf).hexdigest(), hashlib.sha256(renewed).hexdigest(),
                           "B-LTA", "", "", status.reason)
        self._record(entry, emit=True)
        return SignedPdf(renewed, entry)

    def audit_entries(self, *, agency_code: str | None = None, limit: int = 100) -> list[AuditEntry]:
        """The latest audit entries, newest first (one agency's when ``agency_code`` is given)."""
        with self._db.unit_of_work() as uow:
            return self._audit(uow.session).latest(agency_code=agency_code, limit=max(1, min(limit, 1000)))

    # -- helpers ------------------------------------------------------------------------------------------
    def _check_pdf(self, pdf: bytes) -> None:
        if len(pdf) > self._max_pdf_bytes:
            raise PayloadTooLarge(f"the PDF has {len(pdf)} bytes; at most {self._max_pdf_bytes} are accepted")
        if not pdf:
            raise InvalidInput("empty: a PDF file is required", errors=[FieldError("pdf", "a PDF is required")])

    def _record(self, entry: AuditEntry, *, emit: bool = False) -> None:
        with self._db.unit_of_work() as uow:
            self._audit(uow.session).add(entry)
            if emit:
                uow.add_event(Event.of(events_pb2.PdfSigned(
                    audit_id=entry.id, operation=entry.operation, key_id=entry.key_id,
                    agency_code=entry.agency_code, document_ref=entry.document_ref,
                    input_sha256=entry.input_sha256, output_sha256=entry.output_sha256, level=entry.level,
                    field_name=entry.field_name, at=clock.iso(entry.at)),
                    service=SERVICE, key=entry.document_ref or entry.id))
            uow.commit()
