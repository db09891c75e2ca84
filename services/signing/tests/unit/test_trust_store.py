"""The trust store: anchors versus intermediates, CRLs, reload on change, unreadable files."""

from __future__ import annotations

import os
import shutil

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from lienthong.signing.adapters.trust_store import TrustStore, TrustStoreError, load_trust_material


def test_self_signed_certificates_are_anchors_others_intermediates(pki):
    material = load_trust_material([pki.trust_dir])
    assert [a.subject.native["common_name"] for a in material.anchors] == ["LienThong Dev Root CA"]
    assert [c.subject.native["common_name"] for c in material.intermediates] == ["LienThong Dev Issuing CA"]
    assert len(material.crls) == 2


def test_pem_bundle_and_der_files_are_read(tmp_path, pki):
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(pki.root.cert_path.read_bytes() + pki.issuing.cert_path.read_bytes())
    crl = x509.load_pem_x509_crl(pki.issuing_crl_path.read_bytes())
    (tmp_path / "issuing.crl").write_bytes(crl.public_bytes(Encoding.DER))
    material = load_trust_material([tmp_path])
    assert (len(material.anchors), len(material.intermediates), len(material.crls)) == (1, 1, 1)


def test_store_reloads_when_files_change_and_keeps_contents_on_errors(tmp_path, pki, foreign_pki):
    shutil.copy(pki.root.cert_path, tmp_path / "root.pem")
    store = TrustStore([tmp_path])
    assert len(store.current().anchors) == 1
    shutil.copy(foreign_pki.root.cert_path, tmp_path / "foreign-root.pem")
    assert len(store.current().anchors) == 2
    (tmp_path / "broken.pem").write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    assert len(store.current().anchors) == 2  # the error is logged, the previous contents stay
    os.remove(tmp_path / "broken.pem")
    os.remove(tmp_path / "foreign-root.pem")
    assert len(store.current().anchors) == 1


def test_unreadable_trust_files_fail_at_start_up(tmp_path):
    (tmp_path / "junk.der").write_bytes(b"\x30\x03\x02\x01")
    with pytest.raises(TrustStoreError):
        TrustStore([tmp_path])
    with pytest.raises(TrustStoreError):
        TrustStore([tmp_path / "does-not-exist"])
