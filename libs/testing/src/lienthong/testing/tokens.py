"""A test token issuer: an ES256 key whose JWKS is served over loopback HTTP, as the registry serves its own,
so that services' tests verify real JWTs through the platform's real TokenVerifier."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from lienthong.platform.auth import TokenVerifier
from lienthong.testing.net import free_port


@dataclass(frozen=True)
class SigningKey:
    """The issuer's key, its key id and where its JWKS is published."""

    key: ec.EllipticCurvePrivateKey
    kid: str
    jwks_url: str

    def sign(self, claims: dict[str, Any]) -> str:
        """``claims`` as an ES256 JWT with this key's ``kid``."""
        return jwt.encode(claims, self.key, algorithm="ES256", headers={"kid": self.kid})

    def verifier(self, *, issuer: str = "lienthong", audience: str = "lienthong") -> TokenVerifier:
        """The platform's verifier, reading this key from the JWKS URL."""
        return TokenVerifier(self.jwks_url, issuer=issuer, audience=audience)


@contextmanager
def jwks_issuer(kid: str) -> Iterator[SigningKey]:
    """A fresh P-256 key and an HTTP server publishing its JWKS on 127.0.0.1 while the context is open."""
    key = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    body = json.dumps({"keys": [{**jwk, "kid": kid, "alg": "ES256", "use": "sig"}]}).encode()

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Jwks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SigningKey(key=key, kid=kid, jwks_url=f"http://127.0.0.1:{server.server_address[1]}/jwks.json")
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
