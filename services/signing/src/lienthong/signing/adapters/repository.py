"""SQL store of validation reports: searchable columns plus the whole report as JSON."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lienthong.platform import clock
from lienthong.platform.errors import Conflict
from lienthong.signing.adapters.tables import signature_audit, validation_reports
from lienthong.signing.domain.keys import AuditEntry
from lienthong.signing.domain.report import Indication, SignatureResult, ValidationReport

_SIGNATURE_TIMES = ("signing_time", "timestamp_time", "certificate_not_before", "certificate_not_after")


def _time_text(moment: datetime | None) -> str | None:
    return clock.to_vn(moment).isoformat() if moment else None


def _time(text: str | None) -> datetime | None:
    return clock.parse_iso(text) if text else None


def report_to_json(report: ValidationReport) -> dict[str, Any]:
    """The report as JSON-ready data; times as ISO 8601 +07:00 at full precision."""
    signatures = []
    for s in report.signatures:
        item: dict[str, Any] = {
            "field_name": s.field_name, "indication": s.indication.value, "sub_indication": s.sub_indication,
            "signer_name": s.signer_name, "signer_organisation": s.signer_organisation,
            "coverage": s.coverage, "modification_level": s.modification_level, "checks": list(s.checks),
            "signer_certificate_sha256": s.signer_certificate_sha256,
            "signer_serial_number": s.signer_serial_number, "issuer_name": s.issuer_name,
            "level": s.level, "trust_list": s.trust_list,
        }
        item.update({name: _time_text(getattr(s, name)) for name in _SIGNATURE_TIMES})
        signatures.append(item)
    return {
        "id": report.id, "document_ref": report.document_ref, "agency_code": report.agency_code,
        "file_name": report.file_name, "pdf_sha256": report.pdf_sha256, "indication": report.indication,
        "validated_at": _time_text(report.validated_at), "summary_vi": report.summary_vi,
        "requested_by": report.requested_by, "signatures": signatures, "warnings": list(report.warnings),
        "policy": report.policy, "policy_violations": list(report.policy_violations),
    }


def report_from_json(data: dict[str, Any]) -> ValidationReport:
    """Inverse of :func:`report_to_json`."""
    signatures = []
    for item in data["signatures"]:
        fields = {k: v for k, v in item.items() if k not in _SIGNATURE_TIMES}
        fields.update({name: _time(item.get(name)) for name in _SIGNATURE_TIMES})
        fields["indication"] = Indication(fields["indication"])
        fields["checks"] = tuple(fields["checks"])
        signatures.append(SignatureResult(**fields))
    validated_at = _time(data["validated_at"])
    if validated_at is None:
        raise ValueError(f"stored report {data.get('id')} has no validated_at")
    return ValidationReport(
        id=data["id"], document_ref=data["document_ref"], agency_code=data["agency_code"],
        file_name=data["file_name"], pdf_sha256=data["pdf_sha256"], indication=data["indication"],
        signatures=tuple(signatures), validated_at=validated_at, summary_vi=data["summary_vi"],
        requested_by=data.get("requested_by", ""), warnings=tuple(data.get("warnings", ())),
        policy=data.get("policy", ""), policy_violations=tuple(data.get("policy_violations", ())))


class SqlReportRepository:
    """Validation reports in the signing service's database."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, report: ValidationReport, *, idempotency_key: str | None) -> None:
        """Insert ``report``; a taken (requested_by, idempotency_key) raises ``Conflict`` (the caller rolls back)."""
        try:
            self.session.execute(validation_reports.insert().values(
                id=report.id, document_ref=report.document_ref, agency_code=report.agency_code,
                file_name=report.file_name, pdf_sha256=report.pdf_sha256, indication=report.indication,
                signature_count=len(report.signatures), validated_at=report.validated_at,
                requested_by=report.requested_by, idempotency_key=idempotency_key,
                report=report_to_json(report)))
        except IntegrityError as exc:
            raise Conflict(f"a report for Idempotency-Key {idempotency_key!r} already exists") from exc

    def get(self, report_id: str) -> ValidationReport | None:
        row = self.session.execute(select(validation_reports.c.report)
                                   .where(validation_reports.c.id == report_id)).first()
        return report_from_json(row.report) if row else None

    def find_by_idempotency_key(self, requested_by: str, idempotency_key: str) -> ValidationReport | None:
        row = self.session.execute(select(validation_reports.c.report).where(
            validation_reports.c.requested_by == requested_by,
            validation_reports.c.idempotency_key == idempotency_key)).first()
        return report_from_json(row.report) if row else None


class SqlAuditLog:
    """The signature audit table: rows are only ever inserted."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, entry: AuditEntry) -> None:
        self.session.execute(signature_audit.insert().values(**dataclasses.asdict(entry)))

    def latest(self, *, agency_code: str | None, limit: int) -> list[AuditEntry]:
        query = select(signature_audit).order_by(signature_audit.c.at.desc(), signature_audit.c.id).limit(limit)
        if agency_code:
            query = query.where(signature_audit.c.agency_code == agency_code)
        rows = self.session.execute(query).mappings().all()
        return [AuditEntry(**{**row, "at": clock.from_storage(row["at"])}) for row in rows]
