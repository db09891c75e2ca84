"""Signing keys behind one port: PKCS#11 tokens/HSMs and PKCS#12 software keys, listed in a TOML file.

The key file (setting ``keys_file``) lists every key the service may sign with::

    [[keys]]
    id = "stc-seal"                         # the name callers use
    role = "organisation"                   # or "person"
    agency_codes = ["000.00.11.H99"]        # only these agencies may sign with it
    backend = "pkcs11"
    module = "/usr/lib/softhsm/libsofthsm2.so"
    token_label = "lienthong"
    pin_env = "LIENTHONG_STC_PIN"           # the PIN comes from the environment, never the file
    key_id = "01"                           # CKA_ID in hex (key and certificate share it)
    chain = ["/etc/lienthong/trust/vgca/issuing-ca.cert.pem"]   # intermediates to embed
    seal_image = "/etc/lienthong/seals/stc.png"                 # optional: organisation seal

    [[keys]]
    id = "dev-person"
    role = "person"
    agency_codes = ["000.00.11.H99"]
    backend = "pkcs12"
    path = "/srv/pki/person.p12"
    passphrase_env = "LIENTHONG_DEV_P12"    # or passphrase = "..." for development only

Relative paths are resolved against the key file's folder. PKCS#11: one login per
token per process, shared by the keys on that token (python-pkcs11 refuses a second
login); signing on one key is serialised. The private key of a PKCS#11 key never
leaves the token; a PKCS#12 key is parsed once and kept in memory.
"""

from __future__ import annotations

import hashlib
import os
import threading
import tomllib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.keys import load_cert_from_pemder
from pyhanko.sign import signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko_certvalidator.registry import SimpleCertificateStore

from lienthong.platform.errors import NotFound
from lienthong.platform.text import nfc
from lienthong.signing.domain.keys import KeyInfo, KeyRole

_COMMON = {"id", "role", "agency_codes", "backend", "chain", "seal_image"}
_BACKEND_KEYS = {"pkcs12": {"path", "passphrase", "passphrase_env"},
                 "pkcs11": {"module", "token_label", "pin", "pin_env", "key_id"}}


class KeyConfigError(ValueError):
    """The key file, or one key in it, cannot be used."""


class CachedKeySigner(signers.SimpleSigner):
    """A PKCS#12 signer that parses its private key once (pyHanko re-parses it for every raw signature)."""

    def __init__(self, base: signers.SimpleSigner, extra_certs: Sequence[asn1_x509.Certificate] = ()):
        registry = SimpleCertificateStore.from_certs([*base.cert_registry, *extra_certs])
        super().__init__(signing_cert=base.signing_cert, signing_key=base.signing_key, cert_registry=registry)
        self._private = serialization.load_der_private_key(base.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            name = mechanism.signature_algo
        except ValueError:
            name = mechanism["algorithm"].native
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if name == "rsassa_pkcs1v15" and isinstance(self._private, RSAPrivateKey):
            return self._private.sign(data, PKCS1v15(), hash_algo)
        if name == "ecdsa" and isinstance(self._private, EllipticCurvePrivateKey):
            return self._private.sign(data, ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)  # PSS and others: pyHanko's own path


def _name_attr(name: asn1_x509.Name, attr: str) -> str:
    value = name.native.get(attr, "")
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return nfc(str(value)).strip()


@dataclass
class LoadedKey:
    """A key of the ring: its inventory entry, and how to get a pyHanko signer for it."""

    info: KeyInfo
    signer: signers.Signer
    seal_image: Path | None
    lock: threading.Lock = field(default_factory=threading.Lock)


def _info(key_id: str, backend: str, role: KeyRole, agencies: frozenset[str], cert: asn1_x509.Certificate,
          seal: Path | None) -> KeyInfo:
    return KeyInfo(key_id=key_id, backend=backend, role=role, agency_codes=agencies,
                   subject_name=_name_attr(cert.subject, "common_name"),
                   organisation=_name_attr(cert.subject, "organization_name"),
                   issuer_name=_name_attr(cert.issuer, "common_name"), serial_number=format(cert.serial_number, "x"),
                   certificate_sha256=hashlib.sha256(cert.dump()).hexdigest(),
                   not_before=cert.not_valid_before, not_after=cert.not_valid_after, has_seal_image=seal is not None)


def _secret(entry: dict[str, Any], name: str, key_id: str) -> str:
    if f"{name}_env" in entry:
        value = os.environ.get(entry[f"{name}_env"])
        if value is None:
            raise KeyConfigError(f"key {key_id}: environment variable {entry[f'{name}_env']} is not set")
        return value
    if name in entry:
        return str(entry[name])
    raise KeyConfigError(f"key {key_id}: give {name}_env (or {name} for development)")


class KeyRing:
    """The keys of a key file, loaded at start-up (a key that cannot be loaded is a start-up error)."""

    def __init__(self, keys_file: Path | None):
        self._keys: dict[str, LoadedKey] = {}
        self._sessions: dict[tuple[str, str], Any] = {}
        if keys_file is None:
            return
        try:
            data = tomllib.loads(keys_file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise KeyConfigError(f"key file {keys_file}: {exc}") from exc
        for entry in data.get("keys", []):
            key = self._load(entry, keys_file.parent)
            if key.info.key_id in self._keys:
                raise KeyConfigError(f"key {key.info.key_id} is listed twice")
            self._keys[key.info.key_id] = key

    def _load(self, entry: dict[str, Any], base: Path) -> LoadedKey:
        key_id = str(entry.get("id", "")).strip()
        if not key_id:
            raise KeyConfigError("every [[keys]] entry needs an id")
        backend = entry.get("backend")
        if backend not in _BACKEND_KEYS:
            raise KeyConfigError(f"key {key_id}: backend must be pkcs11 or pkcs12")
        unknown = set(entry) - _COMMON - _BACKEND_KEYS[backend]
        if unknown:
            raise KeyConfigError(f"key {key_id}: unknown settings {sorted(unknown)}")
        try:
            role = KeyRole(entry.get("role", "organisation"))
        except ValueError:
            raise KeyConfigError(f"key {key_id}: role must be person or organisation") from None
        agencies = frozenset(str(c).strip() for c in entry.get("agency_codes", []) if str(c).strip())
        if not agencies:
            raise KeyConfigError(f"key {key_id}: agency_codes must name at least one agency")
        chain = [load_cert_from_pemder(str(base / p)) for p in entry.get("chain", [])]
        seal = base / entry["seal_image"] if "seal_image" in entry else None
        if seal is not None and not seal.is_file():
            raise KeyConfigError(f"key {key_id}: seal image {seal} does not exist")
        if backend == "pkcs12":
            signer = self._pkcs12(entry, base, key_id, chain)
        else:
            signer = self._pkcs11(entry, key_id, chain)
        return LoadedKey(_info(key_id, backend, role, agencies, signer.signing_cert, seal), signer, seal)

    @staticmethod
    def _pkcs12(entry: dict[str, Any], base: Path, key_id: str, chain: list) -> signers.Signer:
        path = base / str(entry.get("path", ""))
        passphrase = _secret(entry, "passphrase", key_id).encode()
        try:
            loaded = signers.SimpleSigner.load_pkcs12(str(path), passphrase=passphrase)
        except (OSError, ValueError) as exc:
            raise KeyConfigError(f"key {key_id}: cannot read {path}: {exc}") from exc
        if loaded is None:
            raise KeyConfigError(f"key {key_id}: cannot read {path} (wrong passphrase?)")
        return CachedKeySigner(loaded, chain)

    def _pkcs11(self, entry: dict[str, Any], key_id: str, chain: list) -> signers.Signer:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        module, label = str(entry.get("module", "")), str(entry.get("token_label", ""))
        if not module or not label or "key_id" not in entry:
            raise KeyConfigError(f"key {key_id}: pkcs11 needs module, token_label and key_id")
        try:
            object_id = bytes.fromhex(str(entry["key_id"]))
        except ValueError:
            raise KeyConfigError(f"key {key_id}: key_id must be hexadecimal") from None
        session = self._sessions.get((module, label))
        try:
            if session is None:
                session = open_pkcs11_session(module, token_criteria=TokenCriteria(label=label),
                                              user_pin=_secret(entry, "pin", key_id))
                self._sessions[(module, label)] = session
            signer = PKCS11Signer(session, key_id=object_id, cert_id=object_id, ca_chain=chain or None,
                                  other_certs_to_pull=None)
            _ = signer.signing_cert  # the certificate must be on the token
        except KeyConfigError:
            raise
        except Exception as exc:
            raise KeyConfigError(f"key {key_id}: PKCS#11 token {label!r} via {module}: {exc}") from exc
        return signer

    def infos(self) -> list[KeyInfo]:
        """The inventory, sorted by key id."""
        return [self._keys[k].info for k in sorted(self._keys)]

    def get(self, key_id: str) -> LoadedKey:
        """The key ``key_id``; ``NotFound`` if the ring has none by that id."""
        try:
            return self._keys[key_id]
        except KeyError:
            raise NotFound(f"no signing key {key_id!r}") from None

    @contextmanager
    def using(self, key_id: str) -> Iterator[LoadedKey]:
        """The key, held exclusively (a token session signs one thing at a time)."""
        key = self.get(key_id)
        with key.lock:
            yield key

    def close(self) -> None:
        """Log out of and close every PKCS#11 session."""
        for session in self._sessions.values():
            try:
                session.close()
            except Exception:  # noqa: BLE001, S110 - closing at shutdown: nothing left to do on failure
                pass
        self._sessions.clear()
