"""PAdES validation with pyHanko against the dev PKI: indications, signer details, malformed input."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from lienthong.platform.errors import InvalidInput
from lienthong.signing.adapters.dev_pki import AGENCY_NAME, DevPki, sign_pdf
from lienthong.signing.adapters.pades import PadesValidator
from lienthong.signing.adapters.trust_store import TrustStore
from lienthong.signing.domain.report import Indication, overall_indication


def validator_for(*roots: Path, revocation_mode: str = "soft-fail") -> PadesValidator:
    return PadesValidator(TrustStore(list(roots)).current, revocation_mode=revocation_mode)


@pytest.fixture(scope="module")
def validator(pki: DevPki) -> PadesValidator:
    return validator_for(pki.trust_dir)


def test_valid_person_signature_passes_with_signer_details(validator, signed_pdf, pki):
    [sig] = validator.validate(signed_pdf("person"))
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, "")
    assert sig.field_name == "Sig_CaNhan"
    assert sig.signer_name == "Nguyễn Văn An" and sig.signer_organisation == AGENCY_NAME
    assert sig.signing_time is not None and sig.signing_time.utcoffset() is not None
    assert sig.timestamp_time is None
    assert (sig.coverage, sig.modification_level) == ("ENTIRE_FILE", "NONE")
    assert sig.issuer_name == "LienThong Dev Issuing CA"
    assert sig.signer_serial_number == format(pki.signer("person").serial_number, "x")
    assert [c.split(":")[0] for c in sig.checks] == [
        "format", "integrity", "signature value", "certificate chain", "revocation", "signature timestamp",
        "modifications after signing", "PAdES level"]
    assert (sig.level, sig.trust_list) == ("B-B", "vgca")
    assert "certificate chain: OK — anchored at LienThong Dev Root CA" in sig.checks
    assert ("revocation: NOT REVOKED in the available data — soft-fail; trust store 2 CRL(s), no DSS, "
            "fetching off") in sig.checks
    assert sig.describe_vi().startswith("Chữ ký hợp lệ: Nguyễn Văn An (Sở Tài chính tỉnh Mẫu), ký lúc ")
    assert sig.describe_vi().endswith("+07:00")


def test_bytes_changed_inside_the_signed_range_fail_integrity(validator, signed_pdf):
    signed = signed_pdf("person")
    assert signed.count(b"Cong van so 15") == 1
    tampered = signed.replace(b"Cong van so 15", b"Cong van so 16")
    [sig] = validator.validate(tampered)
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_FAILED, "HASH_FAILURE")
    assert "integrity: FAILED — the signed bytes were changed after signing" in sig.checks
    assert "nội dung tệp đã bị thay đổi sau khi ký" in sig.describe_vi()


def test_signature_from_an_untrusted_root_is_indeterminate(validator, unsigned_pdf, foreign_pki):
    [sig] = validator.validate(sign_pdf(unsigned_pdf, foreign_pki.out_dir, "person"))
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND")
    assert any(c.startswith("revocation: NOT CONCLUSIVE") for c in sig.checks)
    assert sig.signer_name == "Nguyễn Văn An"  # the details are still reported


def test_intermediate_alone_is_not_a_trust_anchor(signed_pdf, pki):
    [sig] = validator_for(pki.issuing.cert_path).validate(signed_pdf("person"))
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND")


def test_person_then_organisation_both_pass(validator, signed_pdf, pki):
    both = sign_pdf(signed_pdf("person"), pki, "organisation")
    person, organisation = validator.validate(both)
    assert [s.field_name for s in (person, organisation)] == ["Sig_CaNhan", "Sig_ToChuc"]
    assert person.indication is organisation.indication is Indication.TOTAL_PASSED
    assert (person.coverage, person.modification_level) == ("ENTIRE_REVISION", "FORM_FILLING")
    assert (organisation.coverage, organisation.modification_level) == ("ENTIRE_FILE", "NONE")
    assert organisation.signer_name == organisation.signer_organisation == AGENCY_NAME
    assert organisation.describe_vi().startswith(f"Chữ ký hợp lệ: {AGENCY_NAME}, ký lúc ")


def test_page_content_replaced_after_signing_violates_the_modification_policy(validator, signed_pdf):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf("person")))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    forged = generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 770 Td (Cong van so 99) Tj ET")
    page["/Contents"] = writer.add_object(forged)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    [sig] = validator.validate(out.getvalue())
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE, "SIG_CONSTRAINTS_FAILURE")
    assert sig.modification_level == "OTHER"
    assert any(c.startswith("modifications after signing: NOT ALLOWED") for c in sig.checks)


def test_revoked_certificate_without_time_proof_is_indeterminate(validator, signed_pdf):
    [sig] = validator.validate(signed_pdf("revoked"))
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE, "REVOKED_NO_POE")
    assert any(c.startswith("revocation: REVOKED — the signer's certificate since") for c in sig.checks)


def test_revoked_certificate_used_after_revocation_per_timestamp_fails(validator, signed_pdf):
    [sig] = validator.validate(signed_pdf("revoked", timestamp=True))
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_FAILED, "REVOKED")
    assert sig.timestamp_time is not None


def test_expired_certificate_is_out_of_bounds(validator, signed_pdf):
    [sig] = validator.validate(signed_pdf("expired"))
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE, "OUT_OF_BOUNDS_NO_POE")


def test_timestamped_signature_reports_the_timestamp_time(validator, signed_pdf):
    [sig] = validator.validate(signed_pdf("person", timestamp=True))
    assert sig.indication is Indication.TOTAL_PASSED
    assert sig.timestamp_time is not None and sig.signing_time is not None
    assert abs(sig.timestamp_time - sig.signing_time) < timedelta(minutes=1)
    assert any(c.startswith("signature timestamp: OK — ") and c.endswith("by LienThong Dev TSA")
               for c in sig.checks)


def test_hard_fail_needs_the_crls_the_certificates_declare(signed_pdf, pki):
    with_crls = validator_for(pki.trust_dir, revocation_mode="hard-fail")
    assert with_crls.validate(signed_pdf("person"))[0].indication is Indication.TOTAL_PASSED
    without_crls = validator_for(pki.root.cert_path, pki.issuing.cert_path, revocation_mode="hard-fail")
    [sig] = without_crls.validate(signed_pdf("person"))
    assert sig.indication is Indication.INDETERMINATE
    assert sig.sub_indication == "TRY_LATER"


def test_unsigned_pdf_has_no_signatures(validator, unsigned_pdf):
    assert validator.validate(unsigned_pdf) == []
    assert overall_indication([]) == ""


def test_validation_is_deterministic(validator, signed_pdf, pki):
    both = sign_pdf(signed_pdf("person"), pki.out_dir, "organisation")
    assert validator.validate(both) == validator.validate(both)


@pytest.mark.parametrize("data", [
    b"",
    b"hello, this is not a PDF",
    b"\x89PNG\r\n\x1a\n" + bytes(64),
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",  # no xref, no trailer
    b"%PDF-1.7\n" + bytes(range(256)) * 8,
], ids=["empty", "text", "png", "no-trailer", "binary-noise"])
def test_input_that_is_not_a_readable_pdf_is_invalid_input(validator, data):
    with pytest.raises(InvalidInput) as exc:
        validator.validate(data)
    assert exc.value.errors and exc.value.errors[0].path == "pdf"


def test_truncated_signed_pdf_is_invalid_input(validator, signed_pdf):
    signed = signed_pdf("person")
    with pytest.raises(InvalidInput):
        validator.validate(signed[: len(signed) // 2])
