"""REST API of the registry: the directory (read for every client, changes for operators), plans, import and
export, the numbering report, the audit log, connected systems (agencies manage their own), the OAuth2 token
endpoint and the JWKS."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import BaseModel, Field

from lienthong.platform import clock
from lienthong.platform.auth import CurrentPrincipal, Principal
from lienthong.platform.errors import FieldError, Forbidden, IllegalState, InvalidInput, Unauthenticated
from lienthong.registry.adapters.formats import agencies_csv, read_rows
from lienthong.registry.domain.agency import Agency
from lienthong.registry.service.directory import PlanResult, parse_at
from lienthong.registry.service.identities import ConnectedSystem
from lienthong.registry.service.use_cases import Registry

TAG = "registry"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class ContactModel(BaseModel):
    email: str = ""
    phone: str = ""
    address: str = ""
    website: str = ""


class AgencyOut(BaseModel):
    code: str = Field(examples=["000.00.12.H99"])
    name: str = Field(examples=["Sở Nội vụ tỉnh Mẫu"])
    short_name: str
    parent_code: str | None = Field(examples=["000.00.00.H99"])
    level: str = Field(examples=["province"])
    kind: str
    status: str
    successor_code: str | None
    contact: ContactModel
    served_by: str
    valid_from: str | None
    valid_to: str | None

    @classmethod
    def of(cls, a: Agency) -> AgencyOut:
        return cls(code=a.code, name=a.name, short_name=a.short_name, parent_code=a.parent_code, level=a.level,
                   kind=a.kind, status=a.status, successor_code=a.successor_code,
                   contact=ContactModel(**a.contact.as_dict()), served_by=a.served_by,
                   valid_from=clock.iso(a.valid_from) if a.valid_from else None,
                   valid_to=clock.iso(a.valid_to) if a.valid_to else None)


class AgencyIn(BaseModel):
    code: str
    name: str
    short_name: str = ""
    parent_code: str | None = None
    level: str
    kind: str = ""


class AgencyPage(BaseModel):
    items: list[AgencyOut]
    next_cursor: str | None


class StepOut(BaseModel):
    from_code: str
    to_code: str
    change: str
    effective_at: str | None


class ResolutionOut(BaseModel):
    agency: AgencyOut
    succession_chain: list[str]
    steps: list[StepOut]


class AgencyPatch(BaseModel):
    level: str | None = None
    kind: str | None = None
    contact: ContactModel | None = None
    served_by: str | None = Field(None, description="empty: this axis serves it; else the node, e.g. national")
    effective_at: str | None = None


class RenameIn(BaseModel):
    name: str = ""
    short_name: str = ""
    effective_at: str | None = None


class MoveIn(BaseModel):
    parent_code: str
    effective_at: str | None = None


class MergeIn(BaseModel):
    codes: list[str] = Field(examples=[["000.00.51.H99", "000.00.52.H99"]])
    successor_code: str
    name: str = Field("", description="required when the successor is new")
    short_name: str = ""
    level: str = ""
    kind: str = ""
    parent_code: str = ""
    effective_at: str | None = None


class SuccessorIn(BaseModel):
    code: str
    name: str = ""
    short_name: str = ""
    level: str = ""
    kind: str = ""
    parent_code: str = ""
    takes_incoming: bool = False


class SplitIn(BaseModel):
    successors: list[SuccessorIn]
    effective_at: str | None = None


class DissolveIn(BaseModel):
    successor_code: str = ""
    effective_at: str | None = None


class ChangeCodeIn(BaseModel):
    new_code: str
    name: str = ""
    effective_at: str | None = None


class PlanIn(BaseModel):
    rows: list[dict[str, Any]] | None = Field(None, description="plan rows (action, old_code, new_code, ...)")
    csv: str | None = Field(None, description="the same rows as CSV text, instead of rows")
    effective_at: str = Field(examples=["2026-07-01T00:00:00+07:00"])
    description: str = ""
    dry_run: bool = False


class PlanOut(BaseModel):
    plan_id: str | None
    status: str
    effective_at: str
    events: int
    errors: list[dict[str, str]]
    diff: list[dict[str, Any]]


class ImportIn(BaseModel):
    agencies: list[dict[str, Any]] | None = None
    csv: str | None = None
    update: bool = Field(True, description="also update agencies whose data changed")
    dry_run: bool = False


class ImportOut(BaseModel):
    added: int
    updated: int
    unchanged: int
    dry_run: bool
    diff: list[dict[str, Any]]


class SystemIn(BaseModel):
    owner_agency: str = Field(examples=["000.00.11.H99"])
    name: str
    agency_codes: list[str] = []
    vendor: str = ""
    push_endpoint: str = ""
    public_key_pem: str = ""
    certificate_pem: str = ""
    system_id: str = ""


class SystemPatch(BaseModel):
    name: str | None = None
    vendor: str | None = None
    push_endpoint: str | None = None
    public_key_pem: str | None = None
    certificate_pem: str | None = None
    agency_codes: list[str] | None = None


class SystemOut(BaseModel):
    system_id: str
    owner_agency: str
    agency_codes: list[str]
    name: str
    vendor: str
    push_endpoint: str
    public_key_pem: str
    certificate_pem: str
    status: str

    @classmethod
    def of(cls, s: ConnectedSystem) -> SystemOut:
        return cls(**s.__dict__)


class SystemCreated(BaseModel):
    system: SystemOut
    secret: str = Field(description="mailbox-protocol HMAC secret, shown only once")
    client_id: str
    client_secret: str = Field(description="OAuth2 client secret, shown only once")


class ClientIn(BaseModel):
    name: str
    agency_codes: list[str] = []
    operator: bool = False


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    scope: str


def _operator(principal: Principal) -> str:
    if not principal.is_operator:
        raise Forbidden("only operators may do this")
    return f"operator:{principal.subject}"


def _when(text: str | None) -> datetime | None:
    return parse_at(text, "effective_at") if text else None


def _plan_out(result: PlanResult) -> PlanOut:
    return PlanOut(plan_id=result.plan_id, status=result.status, effective_at=clock.iso(result.effective_at),
                   events=result.events, errors=[e.as_dict() for e in result.outcome.errors],
                   diff=result.outcome.diff)


def _rows(rows: list[dict[str, Any]] | None, csv_text: str | None, key: str) -> list[dict[str, Any]]:
    if (rows is None) == (csv_text is None):
        raise InvalidInput(f"give either {key} or csv", errors=[FieldError(key, "exactly one of rows and csv")])
    return rows if rows is not None else read_rows(csv_text.encode("utf-8"), "csv", key)[0]


def router(registry: Registry) -> APIRouter:
    """The registry's routes: ``/api/v1/registry/...``, ``/oauth2/token``, ``/.well-known/jwks.json``."""
    r = APIRouter()
    directory, identities = registry.directory, registry.identities

    # -- directory, read ---------------------------------------------------------------------------------------
    @r.get("/api/v1/registry/agencies", response_model=AgencyPage, tags=[TAG])
    def list_agencies(_: CurrentPrincipal, at: str | None = None, level: str = "", kind: str = "",
                      parent_code: str = "", status: str = "", cursor: str | None = None,
                      limit: Annotated[int, Query(ge=1, le=5000)] = 100) -> AgencyPage:
        """Agencies valid at ``at`` (now by default), filtered; ``status=any`` includes closed ones."""
        items, token = directory.list(at=parse_at(at) if at else None, level=level, kind=kind,
                                      parent_code=parent_code, status=status, page_token=cursor or "",
                                      page_size=limit)
        return AgencyPage(items=[AgencyOut.of(a) for a in items], next_cursor=token or None)

    @r.get("/api/v1/registry/agencies/{code}", response_model=AgencyOut, tags=[TAG])
    def get_agency(code: str, _: CurrentPrincipal, at: str | None = None) -> AgencyOut:
        return AgencyOut.of(directory.get(code, parse_at(at) if at else None))

    @r.get("/api/v1/registry/agencies/{code}/history", response_model=list[AgencyOut], tags=[TAG])
    def history(code: str, _: CurrentPrincipal) -> list[AgencyOut]:
        return [AgencyOut.of(a) for a in directory.history(code)]

    @r.get("/api/v1/registry/agencies/{code}/resolution", response_model=ResolutionOut, tags=[TAG])
    def resolve(code: str, _: CurrentPrincipal, at: str | None = None) -> ResolutionOut:
        res = directory.resolve(code, parse_at(at) if at else None)
        return ResolutionOut(agency=AgencyOut.of(res.agency), succession_chain=res.chain, steps=[
            StepOut(from_code=s.from_code, to_code=s.to_code, change=s.change,
                    effective_at=clock.iso(s.effective_at) if s.effective_at else None) for s in res.steps])

    @r.get("/api/v1/registry/search", response_model=list[AgencyOut], tags=[TAG])
    def search(q: str, _: CurrentPrincipal, at: str | None = None,
               limit: Annotated[int, Query(ge=1, le=200)] = 20) -> list[AgencyOut]:
        """Search names ignoring diacritics and case ("so tai chinh" finds "Sở Tài chính")."""
        return [AgencyOut.of(a) for a in directory.search(q, at=parse_at(at) if at else None, limit=limit)]

    @r.get("/api/v1/registry/tree", tags=[TAG])
    def tree(_: CurrentPrincipal, at: str | None = None) -> dict:
        """The whole directory (every status) as of a time, in the import format."""
        return {"at": clock.iso(parse_at(at)), "agencies": directory.export(parse_at(at) if at else None)}

    @r.get("/api/v1/registry/export", tags=[TAG])
    def export(principal: CurrentPrincipal, format: str = "json", at: str | None = None) -> Response:
        _operator(principal)
        rows = directory.export(parse_at(at) if at else None)
        if format == "csv":
            return Response(agencies_csv(rows), media_type="text/csv; charset=utf-8")
        if format != "json":
            raise InvalidInput("unknown format", errors=[FieldError("format", "json or csv")])
        return Response(json.dumps({"agencies": rows}, ensure_ascii=False), media_type="application/json")

    # -- directory, operators' changes -------------------------------------------------------------------------
    @r.post("/api/v1/registry/agencies", response_model=AgencyOut, status_code=201, tags=[TAG])
    def create_agency(body: AgencyIn, principal: CurrentPrincipal) -> AgencyOut:
        return AgencyOut.of(directory.create(actor=_operator(principal), code=body.code, name=body.name,
                                             short_name=body.short_name, parent_code=body.parent_code,
                                             level=body.level, kind=body.kind))

    @r.patch("/api/v1/registry/agencies/{code}", response_model=AgencyOut, tags=[TAG])
    def update_agency(code: str, body: AgencyPatch, principal: CurrentPrincipal) -> AgencyOut:
        """Change level, kind, contact or serving node (rename, move... are their own commands)."""
        return AgencyOut.of(directory.update(
            actor=_operator(principal), code=code, level=body.level, kind=body.kind,
            contact=body.contact.model_dump() if body.contact else None, served_by=body.served_by,
            at=_when(body.effective_at)))

    @r.post("/api/v1/registry/agencies/{code}/rename", response_model=AgencyOut, tags=[TAG])
    def rename(code: str, body: RenameIn, principal: CurrentPrincipal) -> AgencyOut:
        return AgencyOut.of(directory.rename(actor=_operator(principal), code=code, name=body.name,
                                             short_name=body.short_name, at=_when(body.effective_at)))

    @r.post("/api/v1/registry/agencies/{code}/move", response_model=AgencyOut, tags=[TAG])
    def move(code: str, body: MoveIn, principal: CurrentPrincipal) -> AgencyOut:
        return AgencyOut.of(directory.move(actor=_operator(principal), code=code, parent_code=body.parent_code,
                                           at=_when(body.effective_at)))

    @r.post("/api/v1/registry/merges", response_model=AgencyOut, tags=[TAG])
    def merge(body: MergeIn, principal: CurrentPrincipal) -> AgencyOut:
        """Merge N agencies into one successor (existing, or new when name and level are given)."""
        return AgencyOut.of(directory.merge(actor=_operator(principal), codes=body.codes,
                                            successor_code=body.successor_code, name=body.name,
                                            short_name=body.short_name, level=body.level, kind=body.kind,
                                            parent_code=body.parent_code, at=_when(body.effective_at)))

    @r.post("/api/v1/registry/agencies/{code}/split", response_model=list[AgencyOut], tags=[TAG])
    def split(code: str, body: SplitIn, principal: CurrentPrincipal) -> list[AgencyOut]:
        return [AgencyOut.of(a) for a in directory.split(actor=_operator(principal), code=code,
                                                          successors=[s.model_dump() for s in body.successors],
                                                          at=_when(body.effective_at))]

    @r.post("/api/v1/registry/agencies/{code}/dissolve", response_model=AgencyOut, tags=[TAG])
    def dissolve(code: str, body: DissolveIn, principal: CurrentPrincipal) -> AgencyOut:
        return AgencyOut.of(directory.dissolve(actor=_operator(principal), code=code,
                                               successor_code=body.successor_code, at=_when(body.effective_at)))

    @r.post("/api/v1/registry/agencies/{code}/change-code", response_model=AgencyOut, tags=[TAG])
    def change_code(code: str, body: ChangeCodeIn, principal: CurrentPrincipal) -> AgencyOut:
        return AgencyOut.of(directory.change_code(actor=_operator(principal), code=code, new_code=body.new_code,
                                                  name=body.name, at=_when(body.effective_at)))

    @r.post("/api/v1/registry/plans", response_model=PlanOut, tags=[TAG])
    def submit_plan(body: PlanIn, principal: CurrentPrincipal, response: Response) -> PlanOut:
        """Validate a reorganisation plan as a whole (``dry_run`` lists the diff and every error); otherwise
        apply it now (effective now or earlier) or store it until its effective time."""
        actor = _operator(principal)
        rows = _rows(body.rows, body.csv, "rows")
        result = directory.submit_plan(rows, effective_at=parse_at(body.effective_at, "effective_at"), actor=actor,
                                       description=body.description, dry_run=body.dry_run)
        response.status_code = 200 if body.dry_run else 201
        return _plan_out(result)

    @r.get("/api/v1/registry/plans", tags=[TAG])
    def list_plans(principal: CurrentPrincipal, status: str = "") -> list[dict]:
        _operator(principal)
        return [_plan_row(p) for p in directory.plans(status)]

    @r.get("/api/v1/registry/plans/{plan_id}", tags=[TAG])
    def get_plan(plan_id: str, principal: CurrentPrincipal) -> dict:
        _operator(principal)
        return {**_plan_row(directory.plan(plan_id)), "rows": directory.plan(plan_id).operations}

    @r.post("/api/v1/registry/plans/{plan_id}/apply", response_model=PlanOut, tags=[TAG])
    def apply_plan(plan_id: str, principal: CurrentPrincipal) -> PlanOut:
        """Apply a stored plan whose effective time has come (the worker does it on its own too)."""
        actor = _operator(principal)
        plan = directory.plan(plan_id)
        if clock.from_storage(plan.effective_at) > clock.now():
            raise IllegalState(f"plan {plan_id} is effective at {clock.iso(clock.from_storage(plan.effective_at))}")
        return _plan_out(directory.apply_plan(plan_id, actor=actor))

    @r.post("/api/v1/registry/import", response_model=ImportOut, tags=[TAG])
    def import_directory(body: ImportIn, principal: CurrentPrincipal) -> ImportOut:
        """Import agencies (idempotent; ``dry_run`` shows the diff). Closed agencies are never reopened."""
        actor = _operator(principal)
        rows = _rows(body.agencies, body.csv, "agencies")
        result = directory.import_rows(rows, actor=actor, dry_run=body.dry_run, only_new=not body.update)
        return ImportOut(added=result.added, updated=result.updated, unchanged=result.unchanged,
                         dry_run=result.dry_run, diff=result.diff)

    # -- numbering, audit, keys --------------------------------------------------------------------------------
    @r.get("/api/v1/registry/numbering/report", tags=[TAG])
    def numbering_report(principal: CurrentPrincipal, agency_code: str = "", year: int = 0,
                         sequence: str = "") -> dict:
        """Per agency, sequence and year: every N from 1 to the maximum is confirmed, voided or (listed)
        still reserved; ``missing`` must be empty. Agencies see their own sequences only."""
        if not principal.is_operator:
            if not agency_code:
                raise InvalidInput("name the agency", errors=[FieldError("agency_code", "required")])
            principal.require_agency(agency_code)
        reports = registry.numbering.report(agency_code=agency_code, year=year, sequence=sequence)
        return {"sequences": [{**rep.__dict__, "gapless": rep.gapless, "closed": rep.closed} for rep in reports],
                "gapless": all(rep.gapless for rep in reports)}

    @r.get("/api/v1/registry/audit", tags=[TAG])
    def audit(principal: CurrentPrincipal, after: int = 0,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict]:
        """The operators' audit log, oldest first (append-only, each entry hashes the previous one)."""
        _operator(principal)
        return [e.__dict__ for e in registry.audit.entries(after=after, limit=limit)]

    @r.get("/api/v1/registry/audit/verification", tags=[TAG])
    def verify_audit(principal: CurrentPrincipal) -> dict:
        _operator(principal)
        intact, count, broken = registry.audit.verify()
        return {"intact": intact, "entries": count, "first_broken_seq": broken}

    @r.post("/api/v1/registry/token-keys/rotate", tags=[TAG])
    def rotate_key(principal: CurrentPrincipal) -> dict:
        """Sign with a new key; the previous one stays in the JWKS for the rollover window."""
        return {"kid": identities.rotate_signing_key(actor=_operator(principal))}

    @r.post("/api/v1/registry/clients", status_code=201, tags=[TAG])
    def add_client(body: ClientIn, principal: CurrentPrincipal) -> dict:
        """An OAuth2 client for agencies (or an operator); the secret is shown only once."""
        creds = identities.add_client(name=body.name, agency_codes=body.agency_codes, operator=body.operator,
                                      actor=_operator(principal))
        return {"client_id": creds.client_id, "client_secret": creds.client_secret}

    # -- connected systems -------------------------------------------------------------------------------------
    def owned(system_id: str, principal: Principal) -> ConnectedSystem:
        system = identities.get_system(system_id)
        identities.require_owner(system, principal.agencies, principal.is_operator)
        return system

    def actor_of(principal: Principal) -> str:
        return f"{'operator' if principal.is_operator else 'agency'}:{principal.subject}"

    @r.get("/api/v1/registry/systems", response_model=list[SystemOut], tags=[TAG])
    def list_systems(principal: CurrentPrincipal) -> list[SystemOut]:
        """Operators see every system; an agency sees the systems of its own agencies."""
        systems = identities.systems_of()
        return [SystemOut.of(s) for s in systems if principal.is_operator or s.owner_agency in principal.agencies]

    @r.post("/api/v1/registry/systems", response_model=SystemCreated, status_code=201, tags=[TAG])
    def register_system(body: SystemIn, principal: CurrentPrincipal) -> SystemCreated:
        """Register a system; an agency may register systems only for agencies its token holds."""
        if not principal.is_operator:
            for code in [body.owner_agency, *body.agency_codes]:
                principal.require_agency(code.strip())
        creds = identities.register_system(owner_agency=body.owner_agency, name=body.name,
                                           agency_codes=body.agency_codes, vendor=body.vendor,
                                           push_endpoint=body.push_endpoint, public_key_pem=body.public_key_pem,
                                           certificate_pem=body.certificate_pem, system_id=body.system_id,
                                           actor=actor_of(principal))
        return SystemCreated(system=SystemOut.of(identities.get_system(creds.system_id)), secret=creds.secret,
                             client_id=creds.client_id, client_secret=creds.client_secret)

    @r.get("/api/v1/registry/systems/{system_id}", response_model=SystemOut, tags=[TAG])
    def get_system(system_id: str, principal: CurrentPrincipal) -> SystemOut:
        return SystemOut.of(owned(system_id, principal))

    @r.patch("/api/v1/registry/systems/{system_id}", response_model=SystemOut, tags=[TAG])
    def update_system(system_id: str, body: SystemPatch, principal: CurrentPrincipal) -> SystemOut:
        owned(system_id, principal)
        changes = body.model_dump(exclude_unset=True)
        codes = changes.pop("agency_codes", None)
        if codes is not None and not principal.is_operator:
            for code in codes:
                principal.require_agency(code.strip())
        return SystemOut.of(identities.update_system(system_id, actor=actor_of(principal), agency_codes=codes,
                                                     **changes))

    @r.post("/api/v1/registry/systems/{system_id}/rotate-secret", tags=[TAG])
    def rotate_secret(system_id: str, principal: CurrentPrincipal) -> dict:
        """A new mailbox secret (shown once); the previous one stays valid for the overlap window."""
        owned(system_id, principal)
        return {"system_id": system_id,
                "secret": identities.rotate_system_secret(system_id, actor=actor_of(principal))}

    @r.post("/api/v1/registry/systems/{system_id}/rotate-client-secret", tags=[TAG])
    def rotate_client_secret(system_id: str, principal: CurrentPrincipal) -> dict:
        owned(system_id, principal)
        return {"client_id": system_id,
                "client_secret": identities.rotate_client_secret(system_id, actor=actor_of(principal))}

    @r.post("/api/v1/registry/systems/{system_id}/status", response_model=SystemOut, tags=[TAG])
    def set_status(system_id: str, principal: CurrentPrincipal,
                   status: Annotated[str, Query(pattern="^(active|disabled)$")]) -> SystemOut:
        owned(system_id, principal)
        return SystemOut.of(identities.set_system_status(system_id, status, actor=actor_of(principal)))

    # -- identity ----------------------------------------------------------------------------------------------
    @r.post("/oauth2/token", response_model=TokenOut, tags=["identity"],
            summary="OAuth2 client credentials grant (RFC 6749 §4.4)")
    def token(request: Request, grant_type: Annotated[str, Form()],
              client_id: Annotated[str | None, Form()] = None,
              client_secret: Annotated[str | None, Form()] = None,
              client_assertion_type: Annotated[str | None, Form()] = None,
              client_assertion: Annotated[str | None, Form()] = None) -> TokenOut:
        """Client authentication by secret (form fields or HTTP Basic) or by ``private_key_jwt``."""
        if grant_type != "client_credentials":
            raise Unauthenticated("unsupported grant_type: only client_credentials")
        if client_assertion is not None:
            if client_assertion_type != JWT_BEARER:
                raise Unauthenticated(f"client_assertion_type must be {JWT_BEARER}")
            endpoint = str(request.url).split("?", 1)[0]
            access_token, ttl, scope = identities.issue_token_for_assertion(
                client_assertion, [endpoint, registry.issuer])
            return TokenOut(access_token=access_token, expires_in=ttl, scope=scope)
        if client_id is None or client_secret is None:
            scheme, _, value = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "basic":
                raise Unauthenticated("client credentials missing (form fields or HTTP Basic)")
            try:
                client_id, _, client_secret = base64.b64decode(value, validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError) as exc:
                raise Unauthenticated("malformed HTTP Basic credentials") from exc
        access_token, ttl, scope = identities.issue_token(client_id, client_secret)
        return TokenOut(access_token=access_token, expires_in=ttl, scope=scope)

    @r.get("/.well-known/jwks.json", tags=["identity"], summary="Keys that verify access tokens")
    def jwks() -> dict:
        return identities.jwks()

    return r


def _plan_row(p: Any) -> dict:
    return {"plan_id": p.id, "status": p.status, "effective_at": clock.iso(clock.from_storage(p.effective_at)),
            "created_at": clock.iso(clock.from_storage(p.created_at)), "created_by": p.created_by,
            "description": p.description, "events": p.events, "error": p.error,
            "applied_at": clock.iso(clock.from_storage(p.applied_at)) if p.applied_at else None}
