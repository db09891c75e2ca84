"""REST API of the registry: agencies, the OAuth2 token endpoint and the JWKS."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from pydantic import BaseModel, Field

from lienthong.platform.auth import CurrentPrincipal
from lienthong.platform.errors import Forbidden, Unauthenticated
from lienthong.registry.domain.agency import Agency
from lienthong.registry.service.use_cases import Registry


class AgencyOut(BaseModel):
    code: str = Field(examples=["000.00.12.H99"])
    name: str = Field(examples=["Sở Tài chính tỉnh Mẫu"])
    parent_code: str | None = Field(examples=["000.00.00.H99"])
    level: str = Field(examples=["province"])
    kind: str
    status: str
    successor_code: str | None

    @classmethod
    def of(cls, a: Agency) -> AgencyOut:
        return cls(code=a.code, name=a.name, parent_code=a.parent_code, level=a.level, kind=a.kind,
                   status=a.status, successor_code=a.successor_code)


class AgencyIn(BaseModel):
    code: str
    name: str
    parent_code: str | None = None
    level: str
    kind: str = ""


class AgencyPage(BaseModel):
    items: list[AgencyOut]
    next_cursor: str | None


class ResolutionOut(BaseModel):
    agency: AgencyOut
    succession_chain: list[str]


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    scope: str


def router(registry: Registry) -> APIRouter:
    """The registry's routes: ``/api/v1/registry/...``, ``/oauth2/token``, ``/.well-known/jwks.json``."""
    r = APIRouter()

    @r.get("/api/v1/registry/agencies", response_model=AgencyPage, tags=["registry"])
    def list_agencies(_: CurrentPrincipal, cursor: str | None = None,
                      limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> AgencyPage:
        items = registry.list_agencies(after=cursor, limit=limit)
        return AgencyPage(items=[AgencyOut.of(a) for a in items],
                          next_cursor=items[-1].code if len(items) == limit else None)

    @r.get("/api/v1/registry/agencies/{code}", response_model=AgencyOut, tags=["registry"])
    def get_agency(code: str, _: CurrentPrincipal) -> AgencyOut:
        return AgencyOut.of(registry.get_agency(code))

    @r.get("/api/v1/registry/agencies/{code}/resolution", response_model=ResolutionOut, tags=["registry"])
    def resolve(code: str, _: CurrentPrincipal) -> ResolutionOut:
        res = registry.resolve(code)
        return ResolutionOut(agency=AgencyOut.of(res.agency), succession_chain=res.chain)

    @r.post("/api/v1/registry/agencies", response_model=AgencyOut, status_code=201, tags=["registry"])
    def create_agency(body: AgencyIn, principal: CurrentPrincipal) -> AgencyOut:
        if not principal.is_operator:
            raise Forbidden("only operators may change the directory")
        return AgencyOut.of(registry.create_agency(code=body.code, name=body.name, parent_code=body.parent_code,
                                                   level=body.level, kind=body.kind))

    @r.post("/oauth2/token", response_model=TokenOut, tags=["identity"],
            summary="OAuth2 client credentials grant (RFC 6749 §4.4)")
    def token(request: Request, grant_type: Annotated[str, Form()],
              client_id: Annotated[str | None, Form()] = None,
              client_secret: Annotated[str | None, Form()] = None) -> TokenOut:
        if grant_type != "client_credentials":
            raise Unauthenticated("unsupported grant_type: only client_credentials")
        if client_id is None or client_secret is None:
            scheme, _, value = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "basic":
                raise Unauthenticated("client credentials missing (form fields or HTTP Basic)")
            try:
                client_id, _, client_secret = base64.b64decode(value, validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError) as exc:
                raise Unauthenticated("malformed HTTP Basic credentials") from exc
        access_token, ttl, scope = registry.issue_token(client_id, client_secret)
        return TokenOut(access_token=access_token, expires_in=ttl, scope=scope)

    @r.get("/.well-known/jwks.json", tags=["identity"], summary="Keys that verify access tokens")
    def jwks() -> dict:
        return registry.jwks()

    return r
