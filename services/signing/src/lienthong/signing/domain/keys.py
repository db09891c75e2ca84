"""Signing keys as the domain sees them: who may use a key, what its certificate says, when it expires."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from lienthong.platform.errors import Forbidden


class KeyRole(StrEnum):
    """Whose signature a key makes (NĐ 30/2020 Art. 5: the person first, then the organisation)."""

    PERSON = "person"
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class KeyInfo:
    """A signing key of the inventory (the private key itself stays in its store)."""

    key_id: str
    backend: str
    """``pkcs11`` (a token or HSM: the key never leaves it) or ``pkcs12`` (a software key file)."""
    role: KeyRole
    agency_codes: frozenset[str]
    subject_name: str
    organisation: str
    issuer_name: str
    serial_number: str
    certificate_sha256: str
    not_before: datetime
    not_after: datetime
    has_seal_image: bool = False

    def require_usable_by(self, agencies: frozenset[str]) -> str:
        """The agency code under which the caller uses this key; ``Forbidden`` unless it is bound to one of theirs.

        There is no exception for operators: a key is used only by an agency it is bound to.
        """
        allowed = sorted(self.agency_codes & agencies)
        if not allowed:
            raise Forbidden(f"key {self.key_id} is not bound to any agency you act for")
        return allowed[0]

    def expires_within(self, now: datetime, window: timedelta) -> bool:
        """Whether the certificate ends before ``now + window``."""
        return self.not_after <= now + window

    def valid_at(self, moment: datetime) -> bool:
        return self.not_before <= moment <= self.not_after


@dataclass(frozen=True)
class Appearance:
    """How a new signature shows on the page (NĐ 30/2020 Phụ lục I; signatures.md §4)."""

    kind: str = "seal"
    """``seal`` (the organisation's seal image), ``text`` (number/symbol and signing time) or ``none``."""
    page: int = -1
    """0-based page; negative counts from the end (-1 = the last page)."""
    box: tuple[float, float, float, float] | None = None
    """``(x1, y1, x2, y2)`` in points from the lower-left corner; a default per kind when absent."""
    number_symbol: str = ""
    """Số, ký hiệu shown by a ``text`` appearance (e.g. ``123/QĐ-UBND``); the organisation's name when empty."""


APPEARANCE_KINDS = ("seal", "text", "none")
SIGNING_LEVELS = ("B-T", "B-LT", "B-LTA")
EXTENSION_LEVELS = ("B-LT", "B-LTA")


@dataclass(frozen=True)
class EvidenceStatus:
    """Whether a PDF's long-term evidence (its last document timestamp) needs renewing."""

    has_document_timestamp: bool
    last_timestamp_at: datetime | None
    tsa_certificate_not_after: datetime | None
    due: bool
    reason: str


@dataclass(frozen=True)
class AuditEntry:
    """One signing operation as the audit table records it (successful or refused)."""

    id: str
    at: datetime
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
