"""What the signing use cases need from the outside world."""

from __future__ import annotations

from typing import Any, Protocol

from lienthong.signing.domain.report import SignatureResult, ValidationReport


class PdfSignatureValidator(Protocol):
    """Validates every signature of a PDF (PAdES) against the configured trust."""

    def validate(self, pdf: bytes) -> list[SignatureResult]:
        """One result per signature, in the order they were applied; ``[]`` for an unsigned PDF.

        Raises :class:`lienthong.platform.errors.InvalidInput` when ``pdf`` is not a readable PDF.
        """


class ReportRepository(Protocol):
    """Stored validation reports (one unit of work's view)."""

    def add(self, report: ValidationReport, *, idempotency_key: str | None) -> None:
        """Store ``report``; raises ``Conflict`` if (requested_by, idempotency_key) is already taken."""

    def get(self, report_id: str) -> ValidationReport | None: ...

    def find_by_idempotency_key(self, requested_by: str, idempotency_key: str) -> ValidationReport | None: ...


class ReportRepositoryFactory(Protocol):
    def __call__(self, session: Any) -> ReportRepository: ...
