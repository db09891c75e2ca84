"""Auth: verify JWT access tokens against a JWKS and say which agencies the caller may act for.

Tokens are issued by the registry's token endpoint (or an external OIDC provider
publishing a JWKS). Claims used: ``sub`` (the client/system id), ``agencies`` (the
agency codes it may act for), ``scope`` (space-separated) and ``role``
(``agency-system`` or ``operator``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request

from lienthong.platform.errors import Forbidden, Unauthenticated

ALGORITHMS = ["ES256", "EdDSA", "RS256"]


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    subject: str
    agencies: frozenset[str]
    scopes: frozenset[str]
    role: str = "agency-system"

    @property
    def is_operator(self) -> bool:
        return self.role == "operator"

    def require_agency(self, code: str) -> None:
        """Refuse unless the caller may act for agency ``code``."""
        if code not in self.agencies:
            raise Forbidden(f"this client may not act for agency {code}")

    def require_scope(self, scope: str) -> None:
        if scope not in self.scopes:
            raise Forbidden(f"scope {scope!r} required")

    def acting_agency(self, requested: str | None) -> str:
        """The agency to act for: ``requested`` (which must be allowed) or the only one the token holds."""
        if requested:
            self.require_agency(requested)
            return requested
        if len(self.agencies) != 1:
            raise Forbidden("this client acts for several agencies: name one (X-Agency-Code header)")
        return next(iter(self.agencies))


class TokenVerifier:
    """Verifies bearer tokens with keys from a JWKS URL (cached, refreshed on an unknown ``kid``)."""

    def __init__(self, jwks_url: str, *, issuer: str, audience: str, leeway_s: int = 30):
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=5)
        self._issuer = issuer
        self._audience = audience
        self._leeway_s = leeway_s

    def verify(self, token: str) -> Principal:
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token, key.key, algorithms=ALGORITHMS, audience=self._audience, issuer=self._issuer,
                leeway=self._leeway_s, options={"require": ["exp", "iat", "sub"]})
        except jwt.PyJWKClientConnectionError as exc:
            raise Unauthenticated(f"cannot fetch token keys: {exc}") from exc
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"invalid access token: {exc}") from exc
        agencies = claims.get("agencies") or []
        if not isinstance(agencies, list) or not all(isinstance(a, str) for a in agencies):
            raise Unauthenticated("invalid access token: 'agencies' must be a list of codes")
        return Principal(subject=str(claims["sub"]), agencies=frozenset(agencies),
                         scopes=frozenset(str(claims.get("scope", "")).split()),
                         role=str(claims.get("role", "agency-system")))


def bearer_principal(request: Request) -> Principal:
    """FastAPI dependency: the verified caller of this request (401 problem+json otherwise)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("missing bearer token (Authorization: Bearer <token>)")
    verifier: TokenVerifier | None = getattr(request.app.state, "token_verifier", None)
    if verifier is None:
        raise Unauthenticated("this server has no token verifier configured")
    return verifier.verify(token.strip())


CurrentPrincipal = Annotated[Principal, Depends(bearer_principal)]
"""Type of an endpoint parameter that receives the verified caller."""
