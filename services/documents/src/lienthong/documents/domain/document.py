"""A document as the axis accepts it: the metadata Decision 28/2018 Art. 10 requires, and its attachments."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from lienthong.platform.errors import FieldError, InvalidInput
from lienthong.platform.text import nfc

AGENCY_CODE = re.compile(r"^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}|[A-Z0-9]+(?:\.[A-Z0-9]+){0,9})$")
SECRET_LEVELS = ("mật", "tối mật", "tuyệt mật")
"""Classified documents never travel on the axis (seed 004 Art. 1.2)."""
MAX_FILE_NAME = 255
GROUP_PREFIX = "group:"
MAX_GROUP = 50
"""A recipient may be a group (``group:communes``, ``group:level=district,kind=people-committee``...): the
registry owns that grammar, resolves the group and refuses bad ones; here a group is only told apart from a
code and bounded in length."""


def is_group(recipient: str) -> bool:
    """True when ``recipient`` names a recipient group rather than one agency."""
    return recipient.strip().lower().startswith(GROUP_PREFIX)


@dataclass(frozen=True)
class Attachment:
    """A stored file: sanitised name, sniffed media type, SHA-256 and size."""

    name: str
    media_type: str
    sha256: str
    size: int
    content_id: str = ""
    description: str = ""
    signature_indication: str = ""
    """PDFs: signing's verdict on this file's signatures (TOTAL_PASSED, TOTAL_FAILED, INDETERMINATE, '')."""
    signature_report_id: str = ""
    """PDFs: the id of signing's validation report for this file."""


@dataclass(frozen=True)
class DocumentDraft:
    """What a sender submits, validated and normalised (NFC, trimmed)."""

    sender_code: str
    recipient_codes: tuple[str, ...]
    code_number: str
    code_notation: str
    subject: str
    document_type: str
    promulgation_date: date
    signer_name: str
    confidentiality: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Document:
    """An accepted document."""

    id: str
    identifier: str
    draft: DocumentDraft
    attachments: tuple[Attachment, ...]
    signature_signed: bool
    signature_indication: str
    signature_report_id: str
    submitted_at: datetime
    submitted_by: str
    business_doc_type: int = 0
    """edXML BussinessDocType: 0 new, 1 revoke, 2 update, 3 replace."""
    edxml_document_id: str = ""
    refers_to_ids: tuple[str, ...] = ()
    refers_to_edxml_ids: tuple[str, ...] = ()
    issuance_form: str = "electronic"
    """``electronic`` or ``electronic+paper`` (seed 003)."""
    paper_required: bool = False
    """The province's list says this document type must also go on paper (seed 004 Art. 7.2)."""
    package_json: str = ""
    """The whole edXML model as JSON: the outgoing edXML is rebuilt from it."""
    original_sha256: str = ""
    """The original edXML package as received (empty for JSON submissions)."""
    warnings: tuple[str, ...] = ()
    """edxml.md §9 warnings ("<element path>: <message>"): stored and forwarded, not refused."""

    @property
    def for_information_only(self) -> bool:
        """Unsigned or not validly signed: accepted for information only (seed 004 Art. 3.2)."""
        return not (self.signature_signed and self.signature_indication == "TOTAL_PASSED")

    def visible_to(self, agencies: frozenset[str]) -> bool:
        """The sender and the recipients written by code may read the document (group members and
        successors of a recipient are known to routing, which the service asks)."""
        return self.draft.sender_code in agencies or bool(agencies.intersection(self.draft.recipient_codes))


@dataclass(frozen=True)
class ViewQuery:
    """A page of an agency's outbox (documents it sent) or inbox (documents addressed to it)."""

    box: str
    agency: str
    limit: int = 50
    after: tuple[datetime, str] | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    document_type: str = ""
    counterpart: str = ""
    """outbox: a recipient; inbox: the sender."""
    business_doc_type: int | None = None
    signed: bool | None = None
    search: str = ""


def _text(value: object, path: str, errors: list[FieldError], *, required: bool = True, max_len: int = 2000) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(FieldError(path, "required"))
        return ""
    if not isinstance(value, str):
        errors.append(FieldError(path, "must be text"))
        return ""
    text = nfc(value).strip()
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text):
        errors.append(FieldError(path, "control characters are not allowed"))
    if len(text) > max_len:
        errors.append(FieldError(path, f"longer than {max_len} characters"))
    return text


def validate_draft(data: dict) -> DocumentDraft:
    """Check every rule at once and return the normalised draft, or raise InvalidInput listing all errors."""
    errors: list[FieldError] = []
    sender = _text(data.get("sender_code"), "sender_code", errors, max_len=35)
    if sender and not AGENCY_CODE.match(sender):
        errors.append(FieldError("sender_code", "not an agency identifier code"))
    recipients_raw = data.get("recipient_codes")
    recipients: list[str] = []
    if not isinstance(recipients_raw, list) or not recipients_raw:
        errors.append(FieldError("recipient_codes", "at least one recipient is required"))
    else:
        for i, code in enumerate(recipients_raw):
            group = isinstance(code, str) and is_group(code)
            code = _text(code, f"recipient_codes[{i}]", errors, max_len=MAX_GROUP if group else 35)
            if code and not group and not AGENCY_CODE.match(code):
                errors.append(FieldError(f"recipient_codes[{i}]", "not an agency identifier code"))
            elif code in recipients:
                errors.append(FieldError(f"recipient_codes[{i}]", "duplicate recipient"))
            elif code == sender and code:
                errors.append(FieldError(f"recipient_codes[{i}]", "the sender cannot be a recipient"))
            elif code:
                recipients.append(code)
    number = _text(data.get("code_number"), "code_number", errors, max_len=11)
    notation = _text(data.get("code_notation"), "code_notation", errors, max_len=30)
    subject = _text(data.get("subject"), "subject", errors)
    doc_type = _text(data.get("document_type"), "document_type", errors, max_len=100)
    signer = _text(data.get("signer_name"), "signer_name", errors, max_len=200)
    confidentiality = _text(data.get("confidentiality"), "confidentiality", errors, required=False, max_len=50)
    if confidentiality.lower() in SECRET_LEVELS:
        errors.append(FieldError("confidentiality",
                                 "classified documents (Mật, Tối mật, Tuyệt mật) may not be sent on the axis"))
    promulgation: date | None = None
    raw_date = data.get("promulgation_date")
    if not raw_date:
        errors.append(FieldError("promulgation_date", "required"))
    else:
        try:
            promulgation = date.fromisoformat(str(raw_date))
        except ValueError:
            errors.append(FieldError("promulgation_date", "expected YYYY-MM-DD"))
    if errors:
        raise InvalidInput("the document is not valid", errors=errors)
    assert promulgation is not None
    return DocumentDraft(sender_code=sender, recipient_codes=tuple(recipients), code_number=number,
                         code_notation=notation, subject=subject, document_type=doc_type,
                         promulgation_date=promulgation, signer_name=signer, confidentiality=confidentiality)


def sanitise_file_name(name: str | None) -> str:
    """A safe file name: no directories, no control characters, NFC, at most 255 characters."""
    raw = nfc(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    if not cleaned:
        raise InvalidInput("the attachment has no usable file name", errors=[FieldError("file", "empty file name")])
    if len(cleaned) > MAX_FILE_NAME:
        stem, dot, ext = cleaned.rpartition(".")
        cleaned = (stem[: MAX_FILE_NAME - len(ext) - 1] + dot + ext) if dot else cleaned[:MAX_FILE_NAME]
    return cleaned


def fold(text: str) -> str:
    """Text for search: lower-case words without Vietnamese diacritics or punctuation
    ("Quyết định 15/QĐ-STC" -> "quyet dinh 15 qd stc")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(re.findall(r"\w+", bare))
