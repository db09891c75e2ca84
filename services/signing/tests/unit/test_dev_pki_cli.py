"""The dev PKI commands: certificates load, the CRL lists the revoked one, the expired one is expired."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from typer.testing import CliRunner

from lienthong.signing.adapters.dev_pki import load_dev_pki, minimal_pdf, sign_pdf
from lienthong.signing.entrypoints.cli import app

runner = CliRunner()


def cert(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    parent.public_key().verify(child.signature, child.tbs_certificate_bytes, padding.PKCS1v15(),
                               child.signature_hash_algorithm)
    return child.issuer == parent.subject


def test_dev_pki_writes_a_loadable_pki(tmp_path):
    result = runner.invoke(app, ["dev-pki", "--out", str(tmp_path / "pki")])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["signers"] == ["expired", "not-yet-valid", "organisation", "person", "revoked", "wrong-usage"]
    pki = load_dev_pki(tmp_path / "pki")
    now = datetime.now(UTC)

    root, issuing = cert(pki.root.cert_path), cert(pki.issuing.cert_path)
    assert issued_by(root, root) and issued_by(issuing, root)
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    for name in ("person", "organisation", "revoked", "expired"):
        leaf = cert(pki.signer(name).cert_path)
        assert issued_by(leaf, issuing)
        assert leaf.signature_hash_algorithm.name == "sha256" and leaf.public_key().key_size == 2048
        key_usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
        assert key_usage.digital_signature and key_usage.content_commitment
        private = pki.signer(name).key_path.read_bytes()
        assert b"BEGIN PRIVATE KEY" in private
    person = cert(pki.signer("person").cert_path)
    assert person.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Nguyễn Văn An"
    assert person.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Sở Tài chính tỉnh Mẫu"

    expired = cert(pki.signer("expired").cert_path)
    assert expired.not_valid_after_utc < now
    assert person.not_valid_before_utc < now < person.not_valid_after_utc

    crl = x509.load_pem_x509_crl(pki.issuing_crl_path.read_bytes())
    assert crl.is_signature_valid(issuing.public_key())
    revoked_serial = cert(pki.signer("revoked").cert_path).serial_number
    assert crl.get_revoked_certificate_by_serial_number(revoked_serial) is not None
    assert crl.get_revoked_certificate_by_serial_number(person.serial_number) is None
    assert len(list(x509.load_pem_x509_crl(pki.root_crl_path.read_bytes()))) == 0

    tsa = cert(pki.tsa.cert_path)
    eku = tsa.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]

    assert [p.name for p in pki.trust_dir.iterdir()] == ["vgca"]
    assert sorted(p.name for p in (pki.trust_dir / "vgca").iterdir()) == [
        "issuing-ca.cert.pem", "issuing-ca.crl.pem", "root-ca.cert.pem", "root-ca.crl.pem"]
    assert "LIENTHONG_SIGNING_TRUST_ROOTS=" in (pki.out_dir / "README.txt").read_text(encoding="utf-8")


def test_dev_sign_signs_a_pdf_twice(tmp_path, pki):
    source, first, second = tmp_path / "in.pdf", tmp_path / "person.pdf", tmp_path / "both.pdf"
    source.write_bytes(minimal_pdf("Quyết định số 7"))
    for cert_name, inp, out in (("person", source, first), ("organisation", first, second)):
        result = runner.invoke(app, ["dev-sign", "--pki", str(pki.out_dir), "--cert", cert_name,
                                     "--in", str(inp), "--out", str(out)])
        assert result.exit_code == 0, result.output
    reader = PdfFileReader(second.open("rb"))
    assert [s.field_name for s in reader.embedded_signatures] == ["Sig_CaNhan", "Sig_ToChuc"]
    assert second.read_bytes().startswith(first.read_bytes())  # incremental update


def test_dev_sign_refuses_unknown_signers_and_missing_files(tmp_path, pki):
    result = runner.invoke(app, ["dev-sign", "--pki", str(pki.out_dir), "--cert", "mayor",
                                 "--in", str(tmp_path / "x.pdf"), "--out", str(tmp_path / "y.pdf")])
    assert result.exit_code != 0
    result = runner.invoke(app, ["dev-sign", "--pki", str(pki.out_dir), "--cert", "person",
                                 "--in", str(tmp_path / "missing.pdf"), "--out", str(tmp_path / "y.pdf")])
    assert result.exit_code != 0 and not (tmp_path / "y.pdf").exists()


def test_minimal_pdf_is_a_readable_one_page_pdf():
    pdf = minimal_pdf("Công văn (khẩn)\\ số 1")
    reader = PdfFileReader(io.BytesIO(pdf))
    assert reader.root["/Pages"]["/Count"] == 1
    assert b"(Cong van \\(khan\\)\\\\ so 1) Tj" in pdf


def test_dev_pki_with_a_base_url_names_its_servers(tmp_path):
    result = runner.invoke(app, ["dev-pki", "--out", str(tmp_path / "pki"), "--base-url", "http://127.0.0.1:8790"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["tsa_url"] == "http://127.0.0.1:8790/tsa"
    person = cert(load_dev_pki(tmp_path / "pki").signer("person").cert_path)
    aia = person.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    assert [d.access_location.value for d in aia] == ["http://127.0.0.1:8790/ocsp/issuing-ca"]
    cdp = person.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert cdp[0].full_name[0].value == "http://127.0.0.1:8790/crls/issuing-ca.crl"


def test_validate_and_renew_dry_run_commands(tmp_path, pki, monkeypatch):
    monkeypatch.setenv("LIENTHONG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LIENTHONG_SIGNING_TRUST_ROOTS", str(pki.trust_dir))
    signed = tmp_path / "in" / "signed.pdf"
    signed.parent.mkdir()
    signed.write_bytes(sign_pdf(minimal_pdf("x"), pki, "person"))
    result = runner.invoke(app, ["validate", "--in", str(signed)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["indication"] == "TOTAL_PASSED" and report["signatures"][0]["level"] == "B-B"
    result = runner.invoke(app, ["renew", "--in-dir", str(signed.parent), "--dry-run"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert row["file"] == "signed.pdf" and row["due"] is False and "no document timestamp" in row["reason"]
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    assert runner.invoke(app, ["validate", "--in", str(bad)]).exit_code == 1
    assert runner.invoke(app, ["renew", "--in-dir", str(signed.parent)]).exit_code != 0  # needs --out-dir
