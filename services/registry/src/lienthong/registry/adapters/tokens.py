"""Access tokens: ES256 JWTs signed with the registry's key, published as a JWKS."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def new_private_key_pem() -> str:
    """A fresh P-256 private key, PKCS#8 PEM."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def public_jwk(kid: str, private_pem: str) -> dict[str, Any]:
    """The public half of a key as a JWK for the JWKS document."""
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": kid, "use": "sig", "alg": "ES256"})
    return jwk


def sign_token(*, kid: str, private_pem: str, issuer: str, audience: str, subject: str, agencies: list[str],
               scope: str, role: str, ttl_s: int) -> tuple[str, int]:
    """Sign an access token; returns the JWT and its lifetime in seconds."""
    now = int(time.time())
    claims = {"iss": issuer, "aud": audience, "sub": subject, "iat": now, "nbf": now, "exp": now + ttl_s,
              "jti": str(uuid.uuid4()), "agencies": agencies, "scope": scope, "role": role}
    return jwt.encode(claims, private_pem, algorithm="ES256", headers={"kid": kid}), ttl_s
