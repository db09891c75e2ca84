"""Every validation check on the dev PKI: online revocation (OCSP/CRL over loopback), unreachable responders,
certificate states, byte ranges, active content, PDF bombs, the modification policy, trust lists, fuzzing."""

from __future__ import annotations

import io
import re
import socket
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils.reader import PdfFileReader

from lienthong.platform.errors import InvalidInput
from lienthong.signing.adapters.dev_pki import DevPki, generate_dev_pki, minimal_pdf, sign_pdf
from lienthong.signing.adapters.keys import KeyRing
from lienthong.signing.adapters.pades import PadesValidator
from lienthong.signing.adapters.pades_signer import PadesSigner
from lienthong.signing.adapters.trust_store import TrustStore
from lienthong.signing.domain.keys import Appearance
from lienthong.signing.domain.report import Indication


def validator_for(*roots: Path, **kwargs) -> PadesValidator:
    return PadesValidator(TrustStore(list(roots)).current, **kwargs)


def anchors_only(pki: DevPki) -> list[Path]:
    """The CA certificates without the CRLs: revocation must then come from the network."""
    return [pki.root.cert_path, pki.issuing.cert_path]


@pytest.fixture(scope="module")
def validator(pki: DevPki) -> PadesValidator:
    return validator_for(pki.trust_dir)


# -- revocation over the network -----------------------------------------------------------------------------
def test_ocsp_is_fetched_and_cached_in_hard_fail_mode(online_pki):
    pki, server = online_pki
    online = validator_for(*anchors_only(pki), revocation_mode="hard-fail", allow_fetching=True,
                           fetch_timeout_s=5)
    signed = sign_pdf(minimal_pdf("ocsp"), pki, "person")
    before = dict(server.requests)
    [sig] = online.validate(signed)
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, "")
    fetched = server.requests["ocsp"] + server.requests["crl"] - before["ocsp"] - before["crl"]
    assert fetched >= 1
    middle = dict(server.requests)
    assert online.validate(signed)[0].indication is Indication.TOTAL_PASSED
    assert server.requests == middle  # the second validation used the cached responses


def test_revoked_certificate_found_by_ocsp(online_pki):
    pki, _ = online_pki
    online = validator_for(*anchors_only(pki), revocation_mode="hard-fail", allow_fetching=True)
    [sig] = online.validate(sign_pdf(minimal_pdf("revoked"), pki, "revoked"))
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE, "REVOKED_NO_POE")
    [stamped] = online.validate(sign_pdf(minimal_pdf("revoked"), pki, "revoked", timestamp=True))
    assert (stamped.indication, stamped.sub_indication) == (Indication.TOTAL_FAILED, "REVOKED")


@pytest.fixture(scope="module")
def blackhole() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    yield sock.getsockname()[1]
    sock.close()


def test_unreachable_ocsp_and_crl_give_try_later_within_a_bounded_wait(tmp_path, blackhole):
    pki = generate_dev_pki(tmp_path / "pki", base_url=f"http://127.0.0.1:{blackhole}")
    online = validator_for(*anchors_only(pki), revocation_mode="hard-fail", allow_fetching=True,
                           fetch_timeout_s=0.5)
    signed = sign_pdf(minimal_pdf("unreachable"), pki, "person")
    started = time.monotonic()
    [sig] = online.validate(signed)
    assert time.monotonic() - started < 15
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE, "TRY_LATER")
    assert "không kiểm tra được trạng thái chứng thư số" in sig.describe_vi()


# -- certificate states ------------------------------------------------------------------------------------
def test_not_yet_valid_certificate_fails(validator, signed_pdf):
    [sig] = validator.validate(signed_pdf("not-yet-valid"))
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_FAILED, "NOT_YET_VALID")


def test_wrong_key_usage_violates_chain_constraints(validator, signed_pdf):
    [sig] = validator.validate(signed_pdf("wrong-usage"))
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE, "CHAIN_CONSTRAINTS_FAILURE")


# -- byte ranges -------------------------------------------------------------------------------------------
def test_bytes_after_the_signed_range_are_not_accepted(validator, signed_pdf):
    [sig] = validator.validate(signed_pdf("person") + b"\n% appended after signing\n")
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE, "SIG_CONSTRAINTS_FAILURE")
    assert any(c.startswith("byte range: NOT THE WHOLE FILE") for c in sig.checks)


def test_byte_range_shortened_fails_integrity(validator, signed_pdf):
    signed = signed_pdf("person")
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", signed)
    a, b, c, d = map(int, match.groups())
    forged = (b"/ByteRange [%d %d %d %d]" % (a, b, c, d - 10)).ljust(len(match.group(0)))
    [sig] = validator.validate(signed[:match.start()] + forged + signed[match.end():])
    assert sig.indication is Indication.TOTAL_FAILED


# -- active content and bombs ------------------------------------------------------------------------------
def _catalog_with(pdf: bytes, extra: bytes) -> bytes:
    body = re.findall(rb"\n1 0 obj\n(.*?)\nendobj", pdf, re.DOTALL)[-1].strip()
    return body[:-2] + extra + b">>"


def _append_revision(pdf: bytes, objects: dict[int, bytes], size: int) -> bytes:
    """A hand-written incremental update (what an attacker can append to a signed file)."""
    prev = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n" + b"".join(b"%d 1\n%010d 00000 n \n" % (n, offsets[n]) for n in sorted(offsets))
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, prev, xref_at)
    return bytes(out)


def test_javascript_and_embedded_files_are_reported(validator, pki):
    pdf = minimal_pdf("js", catalog_extra=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "
                                          b"/Names << /EmbeddedFiles 6 0 R >> ", extra_objects=(b"<< /Names [] >>",))
    outcome = validator.validate_document(sign_pdf(pdf, pki, "person"))
    assert [s.indication for s in outcome.signatures] == [Indication.TOTAL_PASSED]
    assert [w.split(":")[0] for w in outcome.warnings] == ["javascript", "embedded files"]
    assert validator.validate_document(minimal_pdf("plain")).warnings == []


def test_javascript_added_after_signing_is_reported_and_not_allowed(validator, signed_pdf):
    signed = signed_pdf("person")
    size = PdfFileReader(io.BytesIO(signed)).trailer["/Size"]
    forged = _append_revision(signed, {1: _catalog_with(signed, b" /OpenAction << /S /JavaScript /JS (x) >> ")},
                              size)
    outcome = validator.validate_document(forged)
    assert outcome.signatures[0].sub_indication == "SIG_CONSTRAINTS_FAILURE"
    assert outcome.warnings[0].startswith("javascript")


def test_pdf_bombs_finish_quickly(validator, signed_pdf):
    signed = signed_pdf("person")
    size = PdfFileReader(io.BytesIO(signed)).trailer["/Size"]
    deep = _append_revision(signed, {1: _catalog_with(signed, b" /Deep %d 0 R " % size),
                                     size: b"[" * 100_000 + b"]" * 100_000}, size + 1)
    flate = zlib.compress(bytes(200 * 1024 * 1024), 9)  # 200 MB of zeros in ~200 kB
    huge = _append_revision(signed, {1: _catalog_with(signed, b" /Big %d 0 R " % size),
                                     size: b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(flate) + flate
                                     + b"\nendstream"}, size + 1)
    for bomb in (deep, huge):
        started = time.monotonic()
        [sig] = validator.validate(bomb)
        assert time.monotonic() - started < 10
        assert sig.indication is not Indication.TOTAL_PASSED


def test_deeply_nested_unsigned_pdf_is_harmless(validator):
    deep = minimal_pdf("deep", catalog_extra=b"/Deep 6 0 R ", extra_objects=(b"[" * 100_000 + b"]" * 100_000,))
    assert validator.validate_document(deep).signatures == []


# -- the modification policy, both sides -------------------------------------------------------------------
@pytest.fixture(scope="module")
def pades_signer(online_pki, tmp_path_factory, write_keys) -> Iterator[PadesSigner]:
    pki, _ = online_pki
    ring = KeyRing(write_keys(tmp_path_factory.mktemp("keys") / "keys.toml", pki))
    trust = TrustStore([pki.trust_dir])
    yield PadesSigner(ring, tsa_url=pki.tsa_url, trust=trust.current,
                      font_path=Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
    ring.close()


def test_three_sequential_visible_signatures_all_pass(online_pki, pades_signer):
    pki, _ = online_pki
    pdf = minimal_pdf("Quyet dinh")
    pdf = pades_signer.sign(pdf, "person-p12", field_name="Sig_CaNhan", level="B-T",
                            appearance=Appearance(kind="text", page=0, box=(300, 100, 500, 140),
                                                  number_symbol="Nguyễn Văn An"))
    pdf = pades_signer.sign(pdf, "org-p12", field_name="Sig_ToChuc", level="B-T", appearance=Appearance())
    pdf = pades_signer.sign(pdf, "org-p12", field_name="Sig_VanThu", level="B-T",
                            appearance=Appearance(kind="text", page=0, number_symbol="123/QĐ-UBND"))
    results = validator_for(pki.trust_dir).validate(pdf)
    assert [r.field_name for r in results] == ["Sig_CaNhan", "Sig_ToChuc", "Sig_VanThu"]
    assert all(r.indication is Indication.TOTAL_PASSED for r in results), [r.checks for r in results]
    assert [r.coverage for r in results] == ["ENTIRE_REVISION", "ENTIRE_REVISION", "ENTIRE_FILE"]
    assert results[0].modification_level == "FORM_FILLING"
    assert all(r.level == "B-T" for r in results)


def test_content_changed_after_visible_signatures_fails(online_pki, pades_signer):
    pki, _ = online_pki
    pdf = pades_signer.sign(minimal_pdf("Quyet dinh so 1"), "person-p12", field_name="Sig_CaNhan", level="B-T",
                            appearance=Appearance(kind="text", page=0))
    size = PdfFileReader(io.BytesIO(pdf)).trailer["/Size"]
    content = b"BT /F1 12 Tf 72 770 Td (Quyet dinh so 9) Tj ET"
    page_swap = _append_revision(pdf, {5: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"},
                                 size)
    [sig] = validator_for(pki.trust_dir).validate(page_swap)
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE, "SIG_CONSTRAINTS_FAILURE")
    assert sig.modification_level == "OTHER"


# -- levels --------------------------------------------------------------------------------------------------
def test_levels_b_b_to_b_lta_are_recognised(online_pki, pades_signer):
    pki, _ = online_pki
    check = validator_for(pki.trust_dir, revocation_mode="hard-fail")
    person = sign_pdf(minimal_pdf("levels"), pki, "person")
    assert check.validate(person)[0].level == "B-B"
    bt = pades_signer.sign(person, "org-p12", field_name="Sig_ToChuc", level="B-T", appearance=Appearance())
    assert [r.level for r in check.validate(bt)] == ["B-B", "B-T"]
    blt = pades_signer.extend(bt, "B-LT")
    assert [r.level for r in check.validate(blt)] == ["B-B", "B-LT"]
    blta = pades_signer.extend(bt, "B-LTA")
    results = check.validate(blta)
    assert [r.level for r in results] == ["B-B", "B-LTA"]
    assert all(r.indication is Indication.TOTAL_PASSED for r in results)


# -- trust lists ---------------------------------------------------------------------------------------------
def test_trust_lists_restrict_the_anchors(tmp_path, pki, foreign_pki, signed_pdf):
    (tmp_path / "trust").mkdir()
    for source, name in ((pki, "vgca"), (foreign_pki, "neac")):
        target = tmp_path / "trust" / name
        target.mkdir()
        for f in (source.trust_dir / "vgca").iterdir():
            (target / f.name).write_bytes(f.read_bytes())
    v = validator_for(tmp_path / "trust")
    assert v.validate_document(signed_pdf("person"), trust_lists=["vgca"]).signatures[0].trust_list == "vgca"
    [sig] = v.validate_document(signed_pdf("person"), trust_lists=["neac"]).signatures
    assert (sig.indication, sig.sub_indication) == (Indication.INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND")


# -- fuzz --------------------------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_signed_pdfs_give_a_report_or_invalid_input(validator, signed_pdf, data):
    """Random byte edits, truncations and insertions: a report or InvalidInput, never another error."""
    pdf = bytearray(signed_pdf("person"))
    for _ in range(data.draw(st.integers(1, 4))):
        kind = data.draw(st.sampled_from(["flip", "truncate", "insert"]))
        at = data.draw(st.integers(0, len(pdf) - 1))
        if kind == "flip":
            pdf[at] ^= data.draw(st.integers(1, 255))
        elif kind == "truncate":
            del pdf[at:]
            if not pdf:
                pdf += b"%"
        else:
            pdf[at:at] = data.draw(st.binary(min_size=1, max_size=32))
    try:
        results = validator.validate(bytes(pdf))
    except InvalidInput:
        return
    assert all(isinstance(r.indication, Indication) for r in results)


def test_revocation_data_from_the_dss_replaces_fetching(online_pki, pades_signer):
    """Offline and hard-fail with no CRL in the trust store: B-T is TRY_LATER, the B-LTA copy passes by its DSS."""
    pki, _ = online_pki
    offline = validator_for(*anchors_only(pki), revocation_mode="hard-fail")
    bt = pades_signer.sign(sign_pdf(minimal_pdf("dss"), pki, "person", timestamp=True), "org-p12",
                           field_name="Sig_ToChuc", level="B-T", appearance=Appearance(kind="none"))
    assert [(r.indication, r.sub_indication) for r in offline.validate(bt)] == [
        (Indication.INDETERMINATE, "TRY_LATER")] * 2
    lta = pades_signer.extend(bt, "B-LTA")
    results = offline.validate(lta)
    assert [(r.indication, r.level) for r in results] == [(Indication.TOTAL_PASSED, "B-LTA")] * 2
    assert all("DSS" in next(c for c in r.checks if c.startswith("revocation:")) for r in results)
