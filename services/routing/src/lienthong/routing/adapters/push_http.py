"""Push over HTTP: a POST of the delivery envelope, signed with the axis key (RFC 9421).

The request carries ``Content-Type: application/json``, ``Content-Digest`` (RFC 9530, sha-256
of the body) and ``Signature-Input``/``Signature`` (RFC 9421, label ``axis``, algorithm
``ed25519``, tag ``lienthong-push``) covering ``@method``, ``@target-uri``, ``content-type`` and
``content-digest``, with ``created`` and ``keyid``. Receivers fetch the public key from
``GET /api/v1/routing/push-key`` (a JWK with the same ``kid``) and verify with any RFC 9421
library; :func:`verify_push` is the reference.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from http_message_signatures import HTTPMessageSigner, HTTPMessageVerifier, algorithms
from http_message_signatures.resolvers import MappingKeyResolver

from lienthong.routing.service.ports import PushResult

log = logging.getLogger(__name__)
LABEL = "axis"
TAG = "lienthong-push"
COVERED = ("@method", "@target-uri", "content-type", "content-digest")


class AxisKey:
    """The axis' Ed25519 push-signing key, loaded from a PEM file (PKCS#8)."""

    def __init__(self, private_key: Ed25519PrivateKey):
        self.private_key = private_key
        self.public_key = private_key.public_key()
        raw = self.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.key_id = "lienthong-axis-" + hashlib.sha256(raw).hexdigest()[:16]

    @classmethod
    def load_or_create(cls, path: Path, *, create: bool) -> AxisKey:
        """Load the key at ``path``; generate one there first when it is missing and ``create`` is set (dev)."""
        if not path.exists():
            if not create:
                raise FileNotFoundError(f"push signing key {path} does not exist")
            path.parent.mkdir(parents=True, exist_ok=True)
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(pem)
            log.warning("generated a development push signing key at %s", path)
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise TypeError(f"push signing key {path} is not an Ed25519 private key")
        return cls(loaded)

    def jwk(self) -> dict[str, str]:
        """The public key as a JSON Web Key (RFC 8037)."""
        raw = self.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode(),
                "kid": self.key_id, "alg": "EdDSA", "use": "sig"}


def _resolver(key_id: str, public: Ed25519PublicKey, private: Ed25519PrivateKey | None = None) -> MappingKeyResolver:
    return MappingKeyResolver(public_keys={key_id: public}, private_keys={key_id: private} if private else {})


def sign_request(request: httpx.Request, key: AxisKey) -> None:
    """Add Content-Digest, Signature-Input and Signature to ``request`` (its body must be read)."""
    signer = HTTPMessageSigner(signature_algorithm=algorithms.ED25519,
                               key_resolver=_resolver(key.key_id, key.public_key, key.private_key))
    signer.sign(request, key_id=key.key_id, label=LABEL, tag=TAG, covered_component_ids=COVERED,
                body=request.content)


def verify_push(request: Any, body: bytes, key_id: str, public_key: Ed25519PublicKey) -> None:
    """Verify a received push (an object with ``method``, ``url`` and ``headers``); raises if invalid."""
    verifier = HTTPMessageVerifier(signature_algorithm=algorithms.ED25519,
                                   key_resolver=_resolver(key_id, public_key))
    verifier.verify(request, expect_tag=TAG, require_components=COVERED, body=body)


class HttpPushSender:
    """Posts signed envelopes with bounded connect/read timeouts; one connection pool for all endpoints."""

    def __init__(self, key: AxisKey, *, timeout_s: float, max_connections: int = 64):
        self._key = key
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 3.0)),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            follow_redirects=False)

    def send(self, endpoint: str, body: bytes) -> PushResult:
        request = self._client.build_request("POST", endpoint, content=body,
                                             headers={"Content-Type": "application/json"})
        sign_request(request, self._key)
        try:
            response = self._client.send(request, stream=True)
        except httpx.TimeoutException:
            return PushResult(False, "timeout")
        except httpx.HTTPError as exc:
            return PushResult(False, f"{type(exc).__name__}: {exc}"[:500])
        response.close()
        return PushResult(200 <= response.status_code < 300, f"HTTP {response.status_code}")

    def close(self) -> None:
        self._client.close()
