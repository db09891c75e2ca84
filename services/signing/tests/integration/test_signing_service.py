"""The ValidatePdf use case on real databases: report stored, event in the outbox, same transaction."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from lienthong.api.signing.v1 import events_pb2
from lienthong.platform.errors import Conflict, InvalidInput, NotFound, PayloadTooLarge
from lienthong.platform.messaging.event import Event
from lienthong.platform.messaging.tables import outbox_events
from lienthong.signing.adapters.dev_pki import sign_pdf
from lienthong.signing.adapters.tables import validation_reports
from lienthong.signing.bootstrap import build_core
from lienthong.signing.settings import SigningSettings

AGENCY = "000.00.11.H99"


@pytest.fixture
def service(tmp_path, pki, database_url):
    settings = SigningSettings(data_dir=tmp_path, trust_roots=[pki.trust_dir], database_url=database_url,
                               max_pdf_bytes=200_000)
    signing, database = build_core(settings)
    yield signing, database
    database.dispose()


def outbox(database) -> list[Event]:
    with database.engine.connect() as conn:
        rows = conn.execute(select(outbox_events).order_by(outbox_events.c.seq)).all()
    return [Event(id=r.event_id, type=r.event_type, source=r.source, time=r.event_time, topic=r.topic,
                  key=r.event_key, data=r.data) for r in rows]


def count_reports(database) -> int:
    with database.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(validation_reports)).scalar_one()


def test_report_is_stored_and_the_event_is_in_the_outbox(service, signed_pdf, pki):
    signing, database = service
    pdf = sign_pdf(signed_pdf("person"), pki.out_dir, "organisation")
    report = signing.validate_pdf(pdf, file_name="cong-van-15.pdf", agency_code=AGENCY,
                                  document_ref="000.00.11.H99-2026.15", requested_by="client-1")
    assert report.indication == "TOTAL_PASSED" and len(report.signatures) == 2
    assert report.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert report.validated_at.utcoffset().total_seconds() == 7 * 3600
    assert report.summary_vi.startswith("Chữ ký hợp lệ: Nguyễn Văn An (Sở Tài chính tỉnh Mẫu), ký lúc ")
    assert "; Chữ ký hợp lệ: Sở Tài chính tỉnh Mẫu, ký lúc " in report.summary_vi

    assert signing.get_report(report.id) == report
    [event] = outbox(database)
    assert event.topic == "lienthong.signing.v1" and event.key == "000.00.11.H99-2026.15"
    message = event.parse(events_pb2.SignatureValidated)
    assert (message.report_id, message.agency_code, message.pdf_sha256, message.indication,
            message.signature_count) == (report.id, AGENCY, report.pdf_sha256, "TOTAL_PASSED", 2)
    assert message.validated_at.endswith("+07:00")


def test_worst_signature_decides_and_unsigned_reports_are_empty(service, signed_pdf, unsigned_pdf, pki):
    signing, database = service
    mixed = sign_pdf(signed_pdf("person"), pki.out_dir, "revoked")
    report = signing.validate_pdf(mixed, agency_code=AGENCY)
    assert [s.indication.value for s in report.signatures] == ["TOTAL_PASSED", "INDETERMINATE"]
    assert report.indication == "INDETERMINATE"

    unsigned = signing.validate_pdf(unsigned_pdf, agency_code=AGENCY)
    assert (unsigned.indication, unsigned.signatures) == ("", ())
    assert unsigned.summary_vi.startswith("Tệp không có chữ ký số")
    events = [e.parse(events_pb2.SignatureValidated) for e in outbox(database)]
    assert [(e.indication, e.signature_count) for e in events] == [("INDETERMINATE", 2), ("", 0)]
    assert events[1].document_ref == "" and outbox(database)[1].key == unsigned.id


def test_bad_input_changes_nothing(service, signed_pdf):
    signing, database = service
    with pytest.raises(InvalidInput):
        signing.validate_pdf(b"GIF89a not a pdf", agency_code=AGENCY)
    with pytest.raises(InvalidInput):
        signing.validate_pdf(b"", agency_code=AGENCY)
    with pytest.raises(InvalidInput):
        signing.validate_pdf(signed_pdf("person"), agency_code="X" * 36)
    with pytest.raises(PayloadTooLarge):
        signing.validate_pdf(b"%PDF-1.7\n" + bytes(200_000))
    assert count_reports(database) == 0 and outbox(database) == []


def test_idempotency_key_replays_the_first_report(service, signed_pdf, unsigned_pdf):
    signing, database = service
    first = signing.validate_pdf(signed_pdf("person"), agency_code=AGENCY, requested_by="client-1",
                                 idempotency_key="req-1")
    again = signing.validate_pdf(signed_pdf("person"), agency_code=AGENCY, requested_by="client-1",
                                 idempotency_key="req-1")
    assert again == first
    other_caller = signing.validate_pdf(signed_pdf("person"), agency_code=AGENCY, requested_by="client-2",
                                        idempotency_key="req-1")
    assert other_caller.id != first.id
    with pytest.raises(Conflict):
        signing.validate_pdf(unsigned_pdf, agency_code=AGENCY, requested_by="client-1", idempotency_key="req-1")
    assert count_reports(database) == 2 and len(outbox(database)) == 2


def test_unknown_report_is_not_found(service):
    signing, _ = service
    with pytest.raises(NotFound):
        signing.get_report("6f1c2a9e-5b7d-4c3e-8a1f-0d9e8b7c6a5f")
    with pytest.raises(NotFound):
        signing.get_report("not-a-uuid")


def test_default_trust_folder_is_created_empty(tmp_path, signed_pdf):
    settings = SigningSettings(data_dir=tmp_path)
    signing, database = build_core(settings)
    try:
        assert (tmp_path / "trust").is_dir() and not any((tmp_path / "trust").iterdir())
        report = signing.validate_pdf(signed_pdf("person"))
        assert (report.indication, report.signatures[0].sub_indication) == (
            "INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND")
    finally:
        database.dispose()
