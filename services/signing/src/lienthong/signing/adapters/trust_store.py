"""The trust store: anchors, intermediate certificates and CRLs read from the configured files.

``trust_roots`` names directories and/or files. Every regular file in a directory
(recursively, in name order) is read; PEM files may hold several blocks. What a
block is decides its role:

* a self-signed certificate is a **trust anchor**;
* any other certificate is an **intermediate**: a helper for path building, never
  trusted by itself (signatures.md §8);
* a CRL (PEM ``X509 CRL``, or a DER file named ``*.crl``) is revocation data, used
  offline; a CRL counts only if it verifies against its issuer and is current.

The store re-reads the files when any of them changes (name, size or mtime), so an
operator can update anchors and CRLs without restarting the service. A file that
cannot be read is an error at start-up; after start-up the previous contents stay
in use and the error is logged.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509

log = logging.getLogger(__name__)

_CERT_PEM_TYPES = {"CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"}
_CRL_PEM_TYPES = {"X509 CRL", "CRL"}


@dataclass(frozen=True)
class TrustMaterial:
    """One consistent snapshot of the trust store."""

    anchors: tuple[asn1_x509.Certificate, ...]
    intermediates: tuple[asn1_x509.Certificate, ...]
    crls: tuple[asn1_crl.CertificateList, ...]

    def describe(self) -> str:
        return f"{len(self.anchors)} anchor(s), {len(self.intermediates)} intermediate(s), {len(self.crls)} CRL(s)"


class TrustStoreError(ValueError):
    """A trust-store file or directory cannot be used."""


def _files(roots: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for root in roots:
        if root.is_dir():
            files.extend(sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")))
        elif root.is_file():
            files.append(root)
        else:
            raise TrustStoreError(f"trust root {root} does not exist")
    return files


def _fingerprint(files: list[Path]) -> tuple[tuple[str, int, int], ...]:
    out = []
    for f in files:
        st = f.stat()
        out.append((str(f), st.st_size, st.st_mtime_ns))
    return tuple(out)


def _read(path: Path) -> tuple[list[asn1_x509.Certificate], list[asn1_crl.CertificateList]]:
    data = path.read_bytes()
    certs: list[asn1_x509.Certificate] = []
    crls: list[asn1_crl.CertificateList] = []
    try:
        if pem.detect(data):
            for kind, _headers, der in pem.unarmor(data, multiple=True):
                if kind in _CERT_PEM_TYPES:
                    certs.append(asn1_x509.Certificate.load(der))
                elif kind in _CRL_PEM_TYPES:
                    crls.append(asn1_crl.CertificateList.load(der))
                else:
                    log.info("trust store: ignoring PEM block %r in %s", kind, path)
        elif path.suffix.lower() == ".crl":
            crls.append(asn1_crl.CertificateList.load(data))
        else:
            certs.append(asn1_x509.Certificate.load(data))
        for cert in certs:  # asn1crypto parses lazily: force it so broken files fail here
            _ = cert.subject.native, cert.public_key.native
        for crl in crls:
            _ = crl.issuer.native, crl["tbs_cert_list"]["this_update"].native
    except (ValueError, TypeError, KeyError) as exc:
        raise TrustStoreError(f"{path} is not a PEM/DER certificate or CRL: {exc}") from exc
    return certs, crls


def load_trust_material(roots: Sequence[Path]) -> TrustMaterial:
    """Read every anchor, intermediate and CRL under ``roots``."""
    anchors: list[asn1_x509.Certificate] = []
    intermediates: list[asn1_x509.Certificate] = []
    crls: list[asn1_crl.CertificateList] = []
    for path in _files(roots):
        certs, file_crls = _read(path)
        crls.extend(file_crls)
        for cert in certs:
            (anchors if cert.self_issued and cert.self_signed != "no" else intermediates).append(cert)
    return TrustMaterial(anchors=tuple(anchors), intermediates=tuple(intermediates), crls=tuple(crls))


class TrustStore:
    """The current :class:`TrustMaterial` of ``roots``, re-read when the files change."""

    def __init__(self, roots: Sequence[Path]):
        self._roots = [Path(r) for r in roots]
        self._lock = threading.Lock()
        files = _files(self._roots)
        self._fingerprint = _fingerprint(files)
        self._material = load_trust_material(self._roots)
        if not self._material.anchors:
            log.warning("trust store %s holds no trust anchor: every signature will be INDETERMINATE",
                        ", ".join(map(str, self._roots)))
        log.info("trust store loaded: %s", self._material.describe())

    def current(self) -> TrustMaterial:
        """The material as of now (reloaded first if a file was added, removed or changed)."""
        with self._lock:
            try:
                fingerprint = _fingerprint(_files(self._roots))
                if fingerprint != self._fingerprint:
                    self._fingerprint = fingerprint  # a broken file is reported once, retried when it changes
                    self._material = load_trust_material(self._roots)
                    log.info("trust store reloaded: %s", self._material.describe())
            except (OSError, TrustStoreError) as exc:
                log.error("trust store reload failed, keeping the previous contents: %s", exc)
            return self._material
