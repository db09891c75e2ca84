"""Report rules (worst indication, Vietnamese summary in NFC) and the settings' trust_roots parsing."""

from __future__ import annotations

import os
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from lienthong.signing.domain.report import (
    Indication,
    SignatureResult,
    ValidationReport,
    overall_indication,
    summary_vi,
)
from lienthong.signing.settings import SigningSettings


def result(indication: Indication, sub: str = "", *, name: str = "Nguyễn Văn A",
           organisation: str = "Sở Tài chính", timestamp: datetime | None = None) -> SignatureResult:
    return SignatureResult(field_name="Sig", indication=indication, sub_indication=sub, signer_name=name,
                           signer_organisation=organisation, signing_time=datetime(2026, 11, 25, 3, 0, tzinfo=UTC),
                           timestamp_time=timestamp, coverage="ENTIRE_FILE", modification_level="NONE", checks=())


def test_overall_indication_is_the_worst_and_empty_when_unsigned():
    passed, undecided = result(Indication.TOTAL_PASSED), result(Indication.INDETERMINATE, "TRY_LATER")
    failed = result(Indication.TOTAL_FAILED, "HASH_FAILURE")
    assert overall_indication([]) == ""
    assert overall_indication([passed, passed]) == "TOTAL_PASSED"
    assert overall_indication([passed, undecided]) == "INDETERMINATE"
    assert overall_indication([failed, undecided, passed]) == "TOTAL_FAILED"


def test_summary_is_vietnamese_nfc_in_vietnam_time():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn A")
    text = summary_vi([result(Indication.TOTAL_PASSED, name=decomposed)])
    assert text == "Chữ ký hợp lệ: Nguyễn Văn A (Sở Tài chính), ký lúc 2026-11-25T10:00:00+07:00"
    assert unicodedata.is_normalized("NFC", text)
    failed = summary_vi([result(Indication.TOTAL_FAILED, "HASH_FAILURE"),
                         result(Indication.INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND", name="Sở Tài chính")])
    assert failed == ("Chữ ký không hợp lệ: Nguyễn Văn A (Sở Tài chính), ký lúc 2026-11-25T10:00:00+07:00"
                      " — nội dung tệp đã bị thay đổi sau khi ký; "
                      "Chưa xác định được tính hợp lệ của chữ ký: Sở Tài chính, ký lúc 2026-11-25T10:00:00+07:00"
                      " — chứng thư số không do tổ chức chứng thực được tin cậy cấp")
    stamped = result(Indication.TOTAL_PASSED, timestamp=datetime(2026, 11, 25, 3, 0, 7, 500000, tzinfo=UTC))
    assert stamped.describe_vi().endswith("ký lúc 2026-11-25T10:00:07+07:00")


def test_report_visibility():
    report = ValidationReport.of(report_id="r", document_ref="d", agency_code="000.00.11.H99", file_name="",
                                 pdf_sha256="0" * 64, signatures=[], validated_at=datetime.now(UTC))
    assert report.visible_to(frozenset({"000.00.11.H99"}), operator=False)
    assert not report.visible_to(frozenset({"000.00.12.H99"}), operator=False)
    assert report.visible_to(frozenset(), operator=True)
    anonymous = ValidationReport.of(report_id="r", document_ref="", agency_code="", file_name="",
                                    pdf_sha256="0" * 64, signatures=[], validated_at=datetime.now(UTC))
    assert not anonymous.visible_to(frozenset({""}), operator=False)


def test_trust_roots_default_and_environment_forms(tmp_path, monkeypatch):
    assert SigningSettings(data_dir=tmp_path).trust_roots == [tmp_path / "trust"]
    assert SigningSettings(data_dir=tmp_path).revocation_mode == "soft-fail"
    assert SigningSettings(data_dir=tmp_path).allow_fetching is False
    monkeypatch.setenv("LIENTHONG_SIGNING_TRUST_ROOTS", os.pathsep.join(["/etc/vgca", "/etc/neac/root.pem"]))
    monkeypatch.setenv("LIENTHONG_SIGNING_REVOCATION_MODE", "hard-fail")
    settings = SigningSettings(data_dir=tmp_path)
    assert settings.trust_roots == [Path("/etc/vgca"), Path("/etc/neac/root.pem")]
    assert settings.revocation_mode == "hard-fail"
    monkeypatch.setenv("LIENTHONG_SIGNING_TRUST_ROOTS", '["/a", "/b"]')
    assert SigningSettings(data_dir=tmp_path).trust_roots == [Path("/a"), Path("/b")]
