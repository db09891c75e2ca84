"""A SoftHSM2 token holding an organisation key of the dev PKI — FOR TESTS AND DEMOS ONLY.

The key pair is generated **on the token** (private key sensitive, not extractable);
only the public key comes out, and the dev PKI's issuing CA certifies it. The
certificate is written back to the token under the same CKA_ID, which is what
:class:`lienthong.signing.adapters.keys.KeyRing` selects by.

SoftHSM2 reads ``SOFTHSM2_CONF`` when the PKCS#11 library is first loaded in a
process, so :func:`provision_token` sets it (to a config whose token directory is
inside ``token_dir``) before touching the library; use one token directory per process.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from lienthong.signing.adapters.dev_pki import AGENCY_NAME, DevPki, issue_certificate

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


@dataclass(frozen=True)
class DevToken:
    """Where the token is and how to reach its key."""

    module: str
    token_label: str
    pin: str
    key_id_hex: str
    config_path: Path
    certificate_pem: Path


def softhsm_available(module: str = SOFTHSM_MODULE) -> bool:
    """Whether SoftHSM2's module and ``softhsm2-util`` are installed."""
    from shutil import which

    return Path(module).is_file() and which("softhsm2-util") is not None


def provision_token(pki: DevPki, token_dir: Path, *, label: str = "lienthong-dev", pin: str = "1234",
                    key_id_hex: str = "01", module: str = SOFTHSM_MODULE,
                    common_name: str = AGENCY_NAME) -> DevToken:
    """Create a token in ``token_dir``, generate an RSA-2048 key on it, certify it with the dev issuing CA."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
    from pkcs11.util.rsa import encode_rsa_public_key

    token_dir = Path(token_dir)
    (token_dir / "tokens").mkdir(parents=True, exist_ok=True)
    config = token_dir / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {token_dir / 'tokens'}\nobjectstore.backend = file\n"
                      "log.level = ERROR\n", encoding="utf-8")
    os.environ["SOFTHSM2_CONF"] = str(config)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", pin],
                   check=True, capture_output=True, env={**os.environ, "SOFTHSM2_CONF": str(config)})
    key_id = bytes.fromhex(key_id_hex)
    lib = pkcs11.lib(module)
    token = lib.get_token(token_label=label)
    issuing_cert = x509.load_pem_x509_certificate(pki.issuing.cert_path.read_bytes())
    issuing_key = serialization.load_pem_private_key(pki.issuing.key_path.read_bytes(), password=None)
    with token.open(rw=True, user_pin=pin) as session:
        public, _private = session.generate_keypair(
            KeyType.RSA, 2048, id=key_id, label=label, store=True,
            private_template={Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False})
        public_key = serialization.load_der_public_key(_spki(encode_rsa_public_key(public)))
        now = datetime.now(UTC).replace(microsecond=0)
        subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                             x509.NameAttribute(NameOID.ORGANIZATION_NAME, AGENCY_NAME),
                             x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        base = pki.base_url
        cert = issue_certificate(subject=subject, issuer=issuing_cert.subject, public_key=public_key,
                            issuer_key=issuing_key, serial=x509.random_serial_number(),
                            not_before=now - timedelta(days=1), not_after=now + timedelta(days=730),
                            crl_url=f"{base}/crls/issuing-ca.crl" if base else None,
                            ocsp_url=f"{base}/ocsp/issuing-ca" if base else None)
        der = cert.public_bytes(serialization.Encoding.DER)
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.ID: key_id, Attribute.LABEL: label, Attribute.VALUE: der,
            Attribute.SUBJECT: subject.public_bytes()})
    pem = token_dir / f"{label}.cert.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return DevToken(module=module, token_label=label, pin=pin, key_id_hex=key_id_hex, config_path=config,
                    certificate_pem=pem)


def _spki(rsa_public_key_der: bytes) -> bytes:
    """Wrap a PKCS#1 RSAPublicKey in a SubjectPublicKeyInfo (asn1crypto does the DER)."""
    from asn1crypto import keys

    return keys.PublicKeyInfo({"algorithm": {"algorithm": "rsa"},
                               "public_key": keys.RSAPublicKey.load(rsa_public_key_der)}).dump()
