"""The trust store: anchors, intermediate certificates and CRLs read from the configured files.

``trust_roots`` names directories and/or files. Every regular file in a directory
(recursively, in name order) is read; PEM files may hold several blocks.

Anchors are grouped into named **trust lists**: a file under a first-level
sub-folder ``<root>/<list>/...`` belongs to the list ``<list>`` (e.g. ``vgca`` for the
Government's special-purpose CA, ``neac`` for the public CAs); a file directly in a
root folder, or a root given as a file, belongs to the list ``default``. Agency
policies (:mod:`lienthong.signing.adapters.policy_store`) name the lists they trust.
What a block is decides its role:

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
    anchor_lists: tuple[tuple[str, tuple[asn1_x509.Certificate, ...]], ...] = ()
    """``(list name, anchors)`` pairs, sorted by name."""

    def describe(self) -> str:
        lists = ", ".join(f"{name}: {len(anchors)}" for name, anchors in self.anchor_lists)
        return (f"{len(self.anchors)} anchor(s) ({lists or 'no list'}), {len(self.intermediates)} intermediate(s), "
                f"{len(self.crls)} CRL(s)")

    @property
    def list_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.anchor_lists)

    def restricted_to(self, names: Sequence[str] | None) -> TrustMaterial:
        """The same material trusting only the anchors of the lists ``names`` (all lists when ``None``)."""
        if names is None:
            return self
        wanted = set(names)
        lists = tuple((name, anchors) for name, anchors in self.anchor_lists if name in wanted)
        anchors = tuple(dict.fromkeys(a for _, group in lists for a in group))
        return TrustMaterial(anchors=anchors, intermediates=self.intermediates, crls=self.crls, anchor_lists=lists)

    def list_of(self, subject: asn1_x509.Name, public_key: object) -> str:
        """The name of the (first) trust list holding the anchor with ``subject`` and ``public_key``, or ``""``."""
        key = public_key.dump()  # type: ignore[attr-defined]
        for name, anchors in self.anchor_lists:
            if any(a.subject == subject and a.public_key.dump() == key for a in anchors):
                return name
        return ""


class TrustStoreError(ValueError):
    """A trust-store file or directory cannot be used."""


DEFAULT_LIST = "default"


def _listed_files(roots: Sequence[Path]) -> list[tuple[str, Path]]:
    """``(trust list, file)`` for every file under ``roots``."""
    files: list[tuple[str, Path]] = []
    for root in roots:
        if root.is_dir():
            for p in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
                parts = p.relative_to(root).parts
                files.append((parts[0] if len(parts) > 1 else DEFAULT_LIST, p))
        elif root.is_file():
            files.append((DEFAULT_LIST, root))
        else:
            raise TrustStoreError(f"trust root {root} does not exist")
    return files


def _files(roots: Sequence[Path]) -> list[Path]:
    return [p for _, p in _listed_files(roots)]


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
    lists: dict[str, list[asn1_x509.Certificate]] = {}
    for list_name, path in _listed_files(roots):
        certs, file_crls = _read(path)
        crls.extend(file_crls)
        for cert in certs:
            if cert.self_issued and cert.self_signed != "no":
                anchors.append(cert)
                lists.setdefault(list_name, []).append(cert)
            else:
                intermediates.append(cert)
    return TrustMaterial(anchors=tuple(anchors), intermediates=tuple(intermediates), crls=tuple(crls),
                         anchor_lists=tuple((name, tuple(lists[name])) for name in sorted(lists)))


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
