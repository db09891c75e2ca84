"""A throw-away PKI for development and tests, a PAdES signer using it, and a minimal PDF.

Nothing here is for production: keys are written unencrypted, the certificates
chain to a root nobody trusts but the operator who copies it into ``trust_roots``.
What the functions create mirrors the Vietnamese official-duty CA tree (root ->
issuing CA -> person and organisation certificates) closely enough to exercise
validation end to end:

* ``root`` and ``issuing`` CAs, and a CRL from each (the issuing CA's lists the
  ``revoked`` certificate; the root's lists nothing);
* signers ``person`` (a Vietnamese name, O = the agency), ``organisation`` (the
  agency itself, the "red seal" signature), ``revoked`` and ``expired``;
* ``not-yet-valid`` (valid from 30 days after generation) and ``wrong-usage``
  (key usage keyEncipherment only: not allowed to sign documents);
* ``tsa``, a time-stamping certificate (extended key usage timeStamping only);
* every signer also as a PKCS#12 file (passphrase :data:`DEV_P12_PASSPHRASE`), and
  ``organisation-seal.png``, a red transparent seal for visible signatures.

The ``trust/<trust list>/`` sub-folder (list ``vgca`` by default) holds exactly what
an operator puts in ``trust_roots``: both CA certificates and both CRLs. Without
``base_url`` the CRL distribution points name ``.invalid`` hosts, so nothing is ever
fetched and the CRLs in ``trust/`` are what revocation checking finds. With
``base_url`` (e.g. ``http://127.0.0.1:8790``) the certificates name that server for
their CRLs (``/crls/<ca>.crl``) and OCSP (``/ocsp/<ca>``), and the TSA is at
``/tsa``: :mod:`lienthong.signing.adapters.dev_services` serves all three.

Typical use in a test::

    pki = generate_dev_pki(tmp_path / "pki")
    signed = sign_pdf(minimal_pdf("Công văn số 1"), pki.out_dir, who="person")
"""

from __future__ import annotations

import io
import json
import math
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

AGENCY_NAME = "Sở Tài chính tỉnh Mẫu"
SIGNERS = ("person", "organisation", "revoked", "expired", "not-yet-valid", "wrong-usage")
"""Identities that :func:`sign_pdf` can sign as."""

FIELD_NAMES = {"person": "Sig_CaNhan", "organisation": "Sig_ToChuc"}
"""Signature field names by signer (NĐ 30/2020: person first, then the organisation)."""

_CRL_HOST = "http://pki.lienthong.invalid"
_PKI_INDEX = "index.json"
DEV_P12_PASSPHRASE = b"lienthong-dev"
"""Passphrase of the dev PKI's PKCS#12 files (``<signer>.p12``)."""
SEAL_IMAGE = "organisation-seal.png"


@dataclass(frozen=True)
class DevIdentity:
    """One certificate of the dev PKI and its key, as files."""

    name: str
    common_name: str
    organisation: str
    serial_number: int
    not_before: str
    not_after: str
    cert_path: Path
    key_path: Path


@dataclass(frozen=True)
class DevPki:
    """The files :func:`generate_dev_pki` wrote; ``trust_dir`` is what ``trust_roots`` should point to."""

    out_dir: Path
    trust_dir: Path
    root: DevIdentity
    issuing: DevIdentity
    tsa: DevIdentity
    signers: dict[str, DevIdentity] = field(default_factory=dict)
    root_crl_path: Path = Path()
    issuing_crl_path: Path = Path()
    base_url: str = ""
    trust_list: str = "vgca"

    @property
    def tsa_url(self) -> str:
        """The dev TSA's RFC 3161 URL (empty when the PKI has no ``base_url``)."""
        return f"{self.base_url}/tsa" if self.base_url else ""

    def p12_path(self, who: str) -> Path:
        """The PKCS#12 file (key, certificate, issuing CA) of signer ``who``."""
        return self.signer(who).cert_path.with_name(f"{who}.p12")

    @property
    def seal_image(self) -> Path:
        """A red, transparent seal image (PNG) for the organisation's visible signature."""
        return self.out_dir / SEAL_IMAGE

    def signer(self, who: str) -> DevIdentity:
        """The signer ``who`` (one of :data:`SIGNERS`)."""
        try:
            return self.signers[who]
        except KeyError:
            raise ValueError(f"unknown dev signer {who!r}; choose one of {', '.join(SIGNERS)}") from None


def _name(common_name: str, organisation: str, unit: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
             x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)]
    if unit:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attrs)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def issue_certificate(*, subject: x509.Name, issuer: x509.Name, public_key: rsa.RSAPublicKey,
                      issuer_key: CertificateIssuerPrivateKeyTypes, serial: int, not_before: datetime,
                      not_after: datetime, ca_path_length: int | None = None, is_ca: bool = False,
                      crl_url: str | None = None, ocsp_url: str | None = None, time_stamping: bool = False,
                      encipherment_only: bool = False) -> x509.Certificate:
    """A dev certificate: CA, signer (nonRepudiation + digitalSignature), TSA or keyEncipherment-only."""
    issuer_public = issuer_key.public_key()
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(serial).not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=is_ca, path_length=ca_path_length if is_ca else None),
                              critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False))
    if is_ca:
        usage = {"digital_signature": False, "content_commitment": False, "key_cert_sign": True, "crl_sign": True}
    elif time_stamping:
        usage = {"digital_signature": True, "content_commitment": False, "key_cert_sign": False, "crl_sign": False}
    elif encipherment_only:
        usage = {"digital_signature": False, "content_commitment": False, "key_cert_sign": False, "crl_sign": False}
    else:
        usage = {"digital_signature": True, "content_commitment": True, "key_cert_sign": False, "crl_sign": False}
    builder = builder.add_extension(x509.KeyUsage(key_encipherment=encipherment_only, data_encipherment=False,
                                                  key_agreement=False, encipher_only=False, decipher_only=False,
                                                  **usage), critical=True)
    if time_stamping:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    if crl_url:
        point = x509.DistributionPoint(full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None,
                                       reasons=None, crl_issuer=None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    if ocsp_url:
        builder = builder.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
            x509.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url))]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _crl(*, issuer: x509.Certificate, issuer_key: rsa.RSAPrivateKey, revoked: list[tuple[int, datetime]],
         this_update: datetime, next_update: datetime) -> x509.CertificateRevocationList:
    builder = (x509.CertificateRevocationListBuilder().issuer_name(issuer.subject)
               .last_update(this_update).next_update(next_update)
               .add_extension(x509.CRLNumber(1), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                              critical=False))
    for serial, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when)
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False).build())
    return builder.sign(issuer_key, hashes.SHA256())


def _write_pem(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


_README = """LienThong development PKI — FOR TESTS AND DEMOS ONLY (keys are not protected)

Generated {generated_at}. Algorithms: RSA-2048, SHA-256.

  root-ca.*        self-signed root CA            (trust anchor)
  issuing-ca.*     intermediate CA under the root (issues everything below)
  person.*         person signature:        CN={person_cn}, O={agency}
  organisation.*   organisation signature:  CN={agency}, O={agency}
  revoked.*        revoked on {revoked_at}, listed in issuing-ca.crl.pem
  expired.*        expired on {expired_at}
  not-yet-valid.*  valid from 30 days after generation
  wrong-usage.*    key usage keyEncipherment only (must not sign)
  *.p12            PKCS#12 of each signer, passphrase "lienthong-dev"
  tsa.*            time-stamping authority (EKU timeStamping)
  *.crl.pem        CRLs of both CAs
  organisation-seal.png  a red seal for the organisation's visible signature

CRL/OCSP/TSA server: {base_url}
  serve it with: lienthong signing dev-pki-serve --pki {out_dir}

Trust: point the signing service at trust/ (one folder per trust list; root and issuing CA, both CRLs):
  LIENTHONG_SIGNING_TRUST_ROOTS={trust_dir}

Sign a PDF:  lienthong signing dev-sign --pki {out_dir} --cert person --in IN.pdf --out OUT.pdf
index.json lists every certificate with its serial number, validity and files.
"""


def _seal_png(path: Path) -> None:
    """A round red seal on a transparent background (what the organisation's signature shows)."""
    from PIL import Image, ImageDraw

    size = 400
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (218, 37, 29, 255)
    draw.ellipse((8, 8, size - 8, size - 8), outline=red, width=18)
    draw.ellipse((60, 60, size - 60, size - 60), outline=red, width=6)
    centre = size // 2
    radii = [90 if i % 2 == 0 else 36 for i in range(10)]
    star = [(centre + r * math.cos(math.radians(90 + 36 * i)), centre - r * math.sin(math.radians(90 + 36 * i)))
            for i, r in enumerate(radii)]
    draw.polygon(star, fill=red)
    image.save(path, format="PNG")


def generate_dev_pki(out_dir: Path | str, *, now: datetime | None = None, base_url: str | None = None,
                     trust_list: str = "vgca") -> DevPki:
    """Create the dev PKI in ``out_dir`` (created if needed; existing files are overwritten).

    ``now`` fixes the reference time (default: the current time); certificates are valid
    from one day before it, the expired one ended 30 days before it, the revoked one was
    revoked one day before it, the not-yet-valid one starts 30 days after it.
    ``base_url`` (``http://host:port``) is baked into the certificates' CRL distribution
    points and OCSP addresses; serve it with :func:`lienthong.signing.adapters.dev_services.serve_dev_pki`.
    ``trust_list`` names the folder under ``trust/`` that holds the CA certificates and CRLs.
    """
    out = Path(out_dir)
    base = (base_url or "").rstrip("/")
    trust = out / "trust"
    list_dir = trust / trust_list
    list_dir.mkdir(parents=True, exist_ok=True)
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    start = now - timedelta(days=1)

    def crl_url(ca: str) -> str:
        return f"{base}/crls/{ca}.crl" if base else f"{_CRL_HOST}/{ca}.crl"

    root_key, issuing_key = _new_key(), _new_key()
    root_name = _name("LienThong Dev Root CA", "LienThong Dev PKI")
    issuing_name = _name("LienThong Dev Issuing CA", "LienThong Dev PKI")
    root_cert = issue_certificate(subject=root_name, issuer=root_name, public_key=root_key.public_key(),
                             issuer_key=root_key, serial=x509.random_serial_number(), not_before=start,
                             not_after=now + timedelta(days=3650), is_ca=True, ca_path_length=1)
    issuing_cert = issue_certificate(subject=issuing_name, issuer=root_name, public_key=issuing_key.public_key(),
                                issuer_key=root_key, serial=x509.random_serial_number(), not_before=start,
                                not_after=now + timedelta(days=1825), is_ca=True, ca_path_length=0,
                                crl_url=crl_url("root-ca"))

    revoked_at = now - timedelta(days=1)
    expired_at = now - timedelta(days=30)
    leaf_specs = {
        "person": ("Nguyễn Văn An", AGENCY_NAME, "Lãnh đạo Sở", start, now + timedelta(days=730)),
        "organisation": (AGENCY_NAME, AGENCY_NAME, None, start, now + timedelta(days=730)),
        "revoked": ("Trần Thị Bình", AGENCY_NAME, "Văn phòng Sở", now - timedelta(days=60),
                    now + timedelta(days=730)),
        "expired": ("Lê Văn Cường", AGENCY_NAME, "Văn phòng Sở", now - timedelta(days=760), expired_at),
        "not-yet-valid": ("Phạm Thị Dung", AGENCY_NAME, "Văn phòng Sở", now + timedelta(days=30),
                          now + timedelta(days=760)),
        "wrong-usage": ("Hoàng Văn Em", AGENCY_NAME, "Văn phòng Sở", start, now + timedelta(days=730)),
        "tsa": ("LienThong Dev TSA", "LienThong Dev PKI", None, start, now + timedelta(days=1825)),
    }
    identities: dict[str, DevIdentity] = {}
    revoked_serials: list[tuple[int, datetime]] = []
    issuing_pem = issuing_cert.public_bytes(serialization.Encoding.PEM)

    def save(name: str, cert: x509.Certificate, key: rsa.RSAPrivateKey, cn: str, org: str) -> DevIdentity:
        cert_path, key_path = out / f"{name}.cert.pem", out / f"{name}.key.pem"
        _write_pem(cert_path, cert.public_bytes(serialization.Encoding.PEM))
        _write_pem(key_path, _key_pem(key))
        return DevIdentity(name=name, common_name=cn, organisation=org, serial_number=cert.serial_number,
                           not_before=cert.not_valid_before_utc.isoformat(),
                           not_after=cert.not_valid_after_utc.isoformat(), cert_path=cert_path, key_path=key_path)

    root = save("root-ca", root_cert, root_key, "LienThong Dev Root CA", "LienThong Dev PKI")
    issuing = save("issuing-ca", issuing_cert, issuing_key, "LienThong Dev Issuing CA", "LienThong Dev PKI")
    for name, (cn, org, unit, not_before, not_after) in leaf_specs.items():
        key = _new_key()
        cert = issue_certificate(subject=_name(cn, org, unit), issuer=issuing_name, public_key=key.public_key(),
                            issuer_key=issuing_key, serial=x509.random_serial_number(), not_before=not_before,
                            not_after=not_after, crl_url=crl_url("issuing-ca"),
                            ocsp_url=f"{base}/ocsp/issuing-ca" if base else None,
                            time_stamping=name == "tsa", encipherment_only=name == "wrong-usage")
        identities[name] = save(name, cert, key, cn, org)
        if name != "tsa":
            (out / f"{name}.p12").write_bytes(pkcs12.serialize_key_and_certificates(
                name=name.encode(), key=key, cert=cert, cas=[issuing_cert],
                encryption_algorithm=serialization.BestAvailableEncryption(DEV_P12_PASSPHRASE)))
        if name == "revoked":
            revoked_serials.append((cert.serial_number, revoked_at))

    crl_window = {"this_update": now - timedelta(hours=1), "next_update": now + timedelta(days=365)}
    root_crl = _crl(issuer=root_cert, issuer_key=root_key, revoked=[], **crl_window)
    issuing_crl = _crl(issuer=issuing_cert, issuer_key=issuing_key, revoked=revoked_serials, **crl_window)
    root_crl_path, issuing_crl_path = out / "root-ca.crl.pem", out / "issuing-ca.crl.pem"
    for path, crl in ((root_crl_path, root_crl), (issuing_crl_path, issuing_crl)):
        _write_pem(path, crl.public_bytes(serialization.Encoding.PEM))
        _write_pem(list_dir / path.name, crl.public_bytes(serialization.Encoding.PEM))
    _write_pem(list_dir / root.cert_path.name, root.cert_path.read_bytes())
    _write_pem(list_dir / issuing.cert_path.name, issuing_pem)
    _seal_png(out / SEAL_IMAGE)

    pki = DevPki(out_dir=out, trust_dir=trust, root=root, issuing=issuing, tsa=identities.pop("tsa"),
                 signers=identities, root_crl_path=root_crl_path, issuing_crl_path=issuing_crl_path,
                 base_url=base, trust_list=trust_list)
    index = {
        "generated_at": now.isoformat(),
        "trust_dir": str(trust),
        "trust_list": trust_list,
        "base_url": base,
        "certificates": {i.name: {"common_name": i.common_name, "organisation": i.organisation,
                                  "serial_number": str(i.serial_number), "not_before": i.not_before,
                                  "not_after": i.not_after, "cert": i.cert_path.name, "key": i.key_path.name}
                         for i in (root, issuing, pki.tsa, *identities.values())},
        "crls": {"root-ca": root_crl_path.name, "issuing-ca": issuing_crl_path.name},
        "revoked": [{"serial_number": str(s), "revoked_at": t.isoformat()} for s, t in revoked_serials],
    }
    (out / _PKI_INDEX).write_text(json.dumps(index, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "README.txt").write_text(_README.format(
        generated_at=now.isoformat(), person_cn=identities["person"].common_name, agency=AGENCY_NAME,
        revoked_at=revoked_at.isoformat(), expired_at=expired_at.isoformat(), trust_dir=trust, out_dir=out,
        base_url=base or "(none: CRL/OCSP addresses are .invalid hosts)"),
        encoding="utf-8")
    return pki


def load_dev_pki(pki_dir: Path | str) -> DevPki:
    """Read back a PKI written by :func:`generate_dev_pki` (from its ``index.json``)."""
    out = Path(pki_dir)
    index_path = out / _PKI_INDEX
    if not index_path.is_file():
        raise FileNotFoundError(f"{out} is not a dev PKI folder (no {_PKI_INDEX}); run dev-pki first")
    index = json.loads(index_path.read_text(encoding="utf-8"))

    def ident(name: str) -> DevIdentity:
        c = index["certificates"][name]
        return DevIdentity(name=name, common_name=c["common_name"], organisation=c["organisation"],
                           serial_number=int(c["serial_number"]), not_before=c["not_before"],
                           not_after=c["not_after"], cert_path=out / c["cert"], key_path=out / c["key"])

    return DevPki(out_dir=out, trust_dir=out / "trust", root=ident("root-ca"), issuing=ident("issuing-ca"),
                  tsa=ident("tsa"), signers={name: ident(name) for name in SIGNERS if name in index["certificates"]},
                  root_crl_path=out / index["crls"]["root-ca"], issuing_crl_path=out / index["crls"]["issuing-ca"],
                  base_url=index.get("base_url", ""), trust_list=index.get("trust_list", "vgca"))


def sign_pdf(pdf_bytes: bytes, pki_dir: DevPki | Path | str, who: str = "person", *, timestamp: bool = False,
             field_name: str | None = None) -> bytes:
    """Sign ``pdf_bytes`` as ``who`` of the dev PKI in ``pki_dir`` (its folder or the :class:`DevPki`).

    PAdES B-B (``ETSI.CAdES.detached``, SHA-256), invisible signature field
    ``Sig_CaNhan`` / ``Sig_ToChuc`` / ``Sig_<who>`` unless ``field_name`` is given.
    ``timestamp=True`` adds a signature timestamp from the dev TSA (PAdES B-T, no network).
    The signature is appended as an incremental update: signing an already signed PDF
    adds a second signature and keeps the first valid.
    """
    pki = pki_dir if isinstance(pki_dir, DevPki) else load_dev_pki(pki_dir)
    identity = pki.signer(who)
    signer = signers.SimpleSigner.load(str(identity.key_path), str(identity.cert_path),
                                       ca_chain_files=(str(pki.issuing.cert_path),))
    if signer is None:
        raise ValueError(f"cannot load the key or certificate of {who!r} from {pki.out_dir}")
    timestamper = None
    if timestamp:
        issuing = load_cert_from_pemder(str(pki.issuing.cert_path))
        timestamper = DummyTimeStamper(tsa_cert=load_cert_from_pemder(str(pki.tsa.cert_path)),
                                       tsa_key=load_private_key_from_pemder(str(pki.tsa.key_path), passphrase=None),
                                       certs_to_embed=SimpleCertificateStore.from_certs([issuing]))
    meta = signers.PdfSignatureMetadata(field_name=field_name or FIELD_NAMES.get(who, f"Sig_{who}"),
                                        md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    return signers.PdfSigner(meta, signer=signer, timestamper=timestamper).sign_pdf(writer).getvalue()


def _pdf_text(text: str) -> str:
    """``text`` in what the built-in Helvetica can draw: diacritics dropped, PDF string escapes applied."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "replace").decode()
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(text: str = "LienThong test document", *, catalog_extra: bytes = b"",
                extra_objects: tuple[bytes, ...] = ()) -> bytes:
    """A valid one-page A4 PDF 1.7 showing ``text`` (one line per line of ``text``).

    ``catalog_extra`` is appended inside the catalogue dictionary, and ``extra_objects``
    become objects 6, 7, ... (tests use them for JavaScript, attachments or PDF bombs).

    Built by hand with exact cross-reference offsets. The built-in font cannot draw
    Vietnamese diacritics, so they are dropped from the drawn text (the PDF is a test
    vehicle, not a rendition of the document).
    """
    lines = text.splitlines() or [""]
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 770 Td"]
    for line in lines:
        ops.append(f"({_pdf_text(line)}) Tj T*")
    ops.append("ET")
    content = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] "
         b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at))
    return bytes(out)
