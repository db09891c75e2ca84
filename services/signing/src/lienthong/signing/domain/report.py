"""Validation reports of PDF signatures, in the terms of ETSI EN 319 102-1.

Each signature gets a main indication (``TOTAL_PASSED``, ``TOTAL_FAILED``,
``INDETERMINATE``) and, unless it passed, a sub-indication naming the reason.
A report's overall indication is the worst of its signatures (failed before
indeterminate before passed) and empty for a PDF without signatures, which the
province rule treats as "for information only" (seed 004 Art. 3.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from lienthong.platform import clock
from lienthong.platform.text import nfc


class Indication(StrEnum):
    """Main status indication of EN 319 102-1."""

    TOTAL_PASSED = "TOTAL_PASSED"
    TOTAL_FAILED = "TOTAL_FAILED"
    INDETERMINATE = "INDETERMINATE"


class SubIndication(StrEnum):
    """The sub-indications of EN 319 102-1 that the validator emits (names as in the standard)."""

    FORMAT_FAILURE = "FORMAT_FAILURE"
    HASH_FAILURE = "HASH_FAILURE"
    SIG_CRYPTO_FAILURE = "SIG_CRYPTO_FAILURE"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"
    NOT_YET_VALID = "NOT_YET_VALID"
    SIG_CONSTRAINTS_FAILURE = "SIG_CONSTRAINTS_FAILURE"
    CHAIN_CONSTRAINTS_FAILURE = "CHAIN_CONSTRAINTS_FAILURE"
    CERTIFICATE_CHAIN_GENERAL_FAILURE = "CERTIFICATE_CHAIN_GENERAL_FAILURE"
    CRYPTO_CONSTRAINTS_FAILURE = "CRYPTO_CONSTRAINTS_FAILURE"
    CRYPTO_CONSTRAINTS_FAILURE_NO_POE = "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"
    NO_CERTIFICATE_CHAIN_FOUND = "NO_CERTIFICATE_CHAIN_FOUND"
    NO_SIGNING_CERTIFICATE_FOUND = "NO_SIGNING_CERTIFICATE_FOUND"
    REVOKED_NO_POE = "REVOKED_NO_POE"
    REVOKED_CA_NO_POE = "REVOKED_CA_NO_POE"
    OUT_OF_BOUNDS_NO_POE = "OUT_OF_BOUNDS_NO_POE"
    OUT_OF_BOUNDS_NOT_REVOKED = "OUT_OF_BOUNDS_NOT_REVOKED"
    NO_POE = "NO_POE"
    TIMESTAMP_ORDER_FAILURE = "TIMESTAMP_ORDER_FAILURE"
    TRY_LATER = "TRY_LATER"
    SIGNED_DATA_NOT_FOUND = "SIGNED_DATA_NOT_FOUND"
    POLICY_PROCESSING_ERROR = "POLICY_PROCESSING_ERROR"
    SIGNATURE_POLICY_NOT_AVAILABLE = "SIGNATURE_POLICY_NOT_AVAILABLE"
    GENERIC = "GENERIC"


_SEVERITY = {Indication.TOTAL_PASSED: 0, Indication.INDETERMINATE: 1, Indication.TOTAL_FAILED: 2}

_REASON_VI: dict[str, str] = {
    SubIndication.FORMAT_FAILURE: "chữ ký không đúng định dạng",
    SubIndication.HASH_FAILURE: "nội dung tệp đã bị thay đổi sau khi ký",
    SubIndication.SIG_CRYPTO_FAILURE: "giá trị chữ ký không khớp với chứng thư số",
    SubIndication.REVOKED: "chứng thư số đã bị thu hồi trước thời điểm ký",
    SubIndication.EXPIRED: "chứng thư số đã hết hạn trước thời điểm ký",
    SubIndication.NOT_YET_VALID: "chứng thư số chưa có hiệu lực tại thời điểm ký",
    SubIndication.SIG_CONSTRAINTS_FAILURE: "tệp đã bị sửa đổi ngoài phạm vi cho phép sau khi ký",
    SubIndication.CHAIN_CONSTRAINTS_FAILURE: "chứng thư số không đúng mục đích sử dụng hoặc chính sách",
    SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE: "chuỗi chứng thư số không hợp lệ",
    SubIndication.CRYPTO_CONSTRAINTS_FAILURE: "thuật toán mật mã không còn được chấp nhận",
    SubIndication.CRYPTO_CONSTRAINTS_FAILURE_NO_POE: "thuật toán mật mã không còn được chấp nhận",
    SubIndication.NO_CERTIFICATE_CHAIN_FOUND: "chứng thư số không do tổ chức chứng thực được tin cậy cấp",
    SubIndication.NO_SIGNING_CERTIFICATE_FOUND: "không tìm thấy chứng thư số của người ký",
    SubIndication.REVOKED_NO_POE: "chứng thư số đã bị thu hồi",
    SubIndication.REVOKED_CA_NO_POE: "chứng thư số của tổ chức chứng thực đã bị thu hồi",
    SubIndication.OUT_OF_BOUNDS_NO_POE: "chứng thư số đã hết hạn, không có dấu thời gian chứng minh thời điểm ký",
    SubIndication.OUT_OF_BOUNDS_NOT_REVOKED: "chứng thư số đã hết hạn",
    SubIndication.NO_POE: "không có bằng chứng hợp lệ về thời điểm ký",
    SubIndication.TIMESTAMP_ORDER_FAILURE: "các dấu thời gian không nhất quán",
    SubIndication.TRY_LATER: "không kiểm tra được trạng thái chứng thư số",
    SubIndication.SIGNED_DATA_NOT_FOUND: "không tìm thấy dữ liệu được ký",
    SubIndication.POLICY_PROCESSING_ERROR: "không xử lý được chính sách chữ ký",
    SubIndication.SIGNATURE_POLICY_NOT_AVAILABLE: "không có chính sách chữ ký",
    SubIndication.GENERIC: "lỗi khác khi kiểm tra chữ ký",
}

_VERDICT_VI = {
    Indication.TOTAL_PASSED: "Chữ ký hợp lệ",
    Indication.TOTAL_FAILED: "Chữ ký không hợp lệ",
    Indication.INDETERMINATE: "Chưa xác định được tính hợp lệ của chữ ký",
}

UNSIGNED_SUMMARY_VI = "Tệp không có chữ ký số (văn bản chỉ có giá trị để biết, tham khảo)"


def signature_time_text(moment: datetime | None) -> str:
    """A signature's time as ISO 8601 +07:00 to the second (as signing times are recorded), or ``""``."""
    return clock.to_vn(moment).isoformat(timespec="seconds") if moment else ""


@dataclass(frozen=True)
class SignatureResult:
    """The outcome of validating one signature of a PDF.

    ``checks`` lists, in a fixed order, what was verified and how it came out
    (``"<check>: <result> — <detail>"``); ``coverage`` and ``modification_level``
    use pyHanko's names (``ENTIRE_FILE``/``ENTIRE_REVISION``/..., ``NONE``/``FORM_FILLING``/...).
    """

    field_name: str
    indication: Indication
    sub_indication: str
    signer_name: str
    signer_organisation: str
    signing_time: datetime | None
    timestamp_time: datetime | None
    coverage: str
    modification_level: str
    checks: tuple[str, ...]
    signer_certificate_sha256: str = ""
    signer_serial_number: str = ""
    issuer_name: str = ""
    certificate_not_before: datetime | None = None
    certificate_not_after: datetime | None = None
    level: str = ""
    """PAdES baseline level: ``B-B``, ``B-T``, ``B-LT`` or ``B-LTA``."""
    trust_list: str = ""
    """The trust list whose anchor the signer's chain ends in (empty when no chain was found)."""

    def describe_vi(self) -> str:
        """One Vietnamese sentence: verdict, signer (organisation), signing time, and the reason if not valid."""
        who = nfc(self.signer_name) or "không rõ người ký"
        organisation = nfc(self.signer_organisation)
        if organisation and organisation != who:
            who = f"{who} ({organisation})"
        text = f"{_VERDICT_VI[self.indication]}: {who}"
        best_time = self.timestamp_time or self.signing_time
        if best_time:
            text += f", ký lúc {signature_time_text(best_time)}"
        if self.indication is not Indication.TOTAL_PASSED:
            text += f" — {_REASON_VI.get(self.sub_indication, self.sub_indication)}"
        return nfc(text)


def overall_indication(signatures: tuple[SignatureResult, ...] | list[SignatureResult]) -> str:
    """The worst indication of ``signatures``; ``""`` when there are none."""
    if not signatures:
        return ""
    return str(max((s.indication for s in signatures), key=_SEVERITY.__getitem__))


def summary_vi(signatures: tuple[SignatureResult, ...] | list[SignatureResult]) -> str:
    """Short Vietnamese summary (NFC): one sentence per signature, in the order they were applied."""
    if not signatures:
        return UNSIGNED_SUMMARY_VI
    return nfc("; ".join(s.describe_vi() for s in signatures))


@dataclass(frozen=True)
class ValidationReport:
    """All signatures of one PDF, validated at ``validated_at`` on behalf of ``agency_code``."""

    id: str
    document_ref: str
    agency_code: str
    file_name: str
    pdf_sha256: str
    indication: str
    signatures: tuple[SignatureResult, ...]
    validated_at: datetime
    summary_vi: str
    requested_by: str = ""
    warnings: tuple[str, ...] = ()
    """What else the PDF carries (JavaScript, embedded files), reported but not validated."""
    policy: str = ""
    """The agency policy applied (``default`` or the agency code)."""
    policy_violations: tuple[str, ...] = ()

    @classmethod
    def of(cls, *, report_id: str, document_ref: str, agency_code: str, file_name: str, pdf_sha256: str,
           signatures: list[SignatureResult], validated_at: datetime, requested_by: str = "",
           warnings: list[str] | tuple[str, ...] = (), policy: str = "",
           policy_violations: list[str] | tuple[str, ...] = ()) -> ValidationReport:
        """Assemble a report: the overall indication and the summary follow from the signatures."""
        summary = summary_vi(signatures)
        if policy_violations:
            summary = nfc(f"{summary}. Không đạt chính sách ký số của cơ quan ({len(policy_violations)} vi phạm)")
        if warnings:
            summary = nfc(f"{summary}. Cảnh báo: tệp có nội dung chủ động hoặc tệp đính kèm")
        return cls(id=report_id, document_ref=nfc(document_ref.strip()), agency_code=agency_code.strip(),
                   file_name=nfc(file_name.strip()), pdf_sha256=pdf_sha256, indication=overall_indication(signatures),
                   signatures=tuple(signatures), validated_at=clock.to_vn(validated_at),
                   summary_vi=summary, requested_by=requested_by, warnings=tuple(warnings), policy=policy,
                   policy_violations=tuple(policy_violations))

    def visible_to(self, agencies: frozenset[str], *, operator: bool) -> bool:
        """Operators see every report; an agency only the reports made for one of its agencies."""
        return operator or (bool(self.agency_code) and self.agency_code in agencies)
