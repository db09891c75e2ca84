"""What the signing use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from lienthong.signing.domain.keys import Appearance, AuditEntry, EvidenceStatus, KeyInfo
from lienthong.signing.domain.report import SignatureResult, ValidationReport


@dataclass(frozen=True)
class DocumentValidation:
    """Every signature of a PDF, and what else the PDF carries that a reader should know about."""

    signatures: list[SignatureResult]
    warnings: list[str]


class PdfSignatureValidator(Protocol):
    """Validates every signature of a PDF (PAdES) against the configured trust."""

    def validate(self, pdf: bytes) -> list[SignatureResult]:
        """One result per signature, in the order they were applied; ``[]`` for an unsigned PDF.

        Raises :class:`lienthong.platform.errors.InvalidInput` when ``pdf`` is not a readable PDF.
        """

    def validate_document(self, pdf: bytes, *, trust_lists: Sequence[str] | None = None) -> DocumentValidation:
        """Like :meth:`validate`, trusting only the anchors of ``trust_lists`` (all when ``None``), plus warnings."""


class ReportRepository(Protocol):
    """Stored validation reports (one unit of work's view)."""

    def add(self, report: ValidationReport, *, idempotency_key: str | None) -> None:
        """Store ``report``; raises ``Conflict`` if (requested_by, idempotency_key) is already taken."""

    def get(self, report_id: str) -> ValidationReport | None: ...

    def find_by_idempotency_key(self, requested_by: str, idempotency_key: str) -> ValidationReport | None: ...


class ReportRepositoryFactory(Protocol):
    def __call__(self, session: Any) -> ReportRepository: ...


class PdfSigningEngine(Protocol):
    """Signs, extends and renews PDFs with the configured keys, TSA and trust store."""

    def key_infos(self) -> list[KeyInfo]: ...

    def key_info(self, key_id: str) -> KeyInfo:
        """``NotFound`` if there is no such key."""

    def sign(self, pdf: bytes, key_id: str, *, field_name: str, level: str, appearance: Appearance) -> bytes: ...

    def extend(self, pdf: bytes, level: str) -> bytes: ...

    def evidence_status(self, pdf: bytes, *, renew_within: timedelta, now: datetime) -> EvidenceStatus: ...

    def renew(self, pdf: bytes) -> bytes: ...


class AuditLog(Protocol):
    """The signature audit table (one unit of work's view); append-only."""

    def add(self, entry: AuditEntry) -> None: ...

    def latest(self, *, agency_code: str | None, limit: int) -> list[AuditEntry]: ...


class AuditLogFactory(Protocol):
    def __call__(self, session: Any) -> AuditLog: ...
