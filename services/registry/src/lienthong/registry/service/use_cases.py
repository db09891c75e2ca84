"""The registry's use cases."""

from __future__ import annotations

import dataclasses
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from lienthong.api.registry.v1 import events_pb2
from lienthong.platform import clock
from lienthong.platform.db import Database
from lienthong.platform.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from lienthong.platform.messaging import Event
from lienthong.registry.adapters.repository import SqlRegistryRepository
from lienthong.registry.adapters.tokens import new_private_key_pem, public_jwk, sign_token
from lienthong.registry.domain.agency import Agency, check_agency_code
from lienthong.registry.domain.identifier import format_identifier

SERVICE = "registry"
AGENCY_SCOPES = "documents:write documents:read routing:read routing:write reports:read"
OPERATOR_SCOPES = "registry:admin reports:read archive:read"


@dataclass(frozen=True)
class IssuedIdentifier:
    identifier: str
    year: int
    number: int


@dataclass(frozen=True)
class ClientCredentials:
    """A client's id and secret, shown once when the client is created."""

    client_id: str
    client_secret: str


@dataclass(frozen=True)
class Resolution:
    agency: Agency
    chain: list[str]


class Registry:
    """Agencies, resolution, document identifiers, clients and tokens."""

    def __init__(self, database: Database, *, issuer: str, audience: str, token_ttl_s: int,
                 repository: Callable[[Any], SqlRegistryRepository] = SqlRegistryRepository):
        self._db = database
        self._repo = repository
        self._issuer = issuer
        self._audience = audience
        self._token_ttl_s = token_ttl_s
        self._hasher = PasswordHasher()

    # -- agencies -------------------------------------------------------------------------------------------
    def create_agency(self, *, code: str, name: str, parent_code: str | None, level: str, kind: str = "") -> Agency:
        """Add an agency; its parent must exist. Emits ``AgencyCreated``."""
        agency = Agency.new(code=code, name=name, parent_code=parent_code, level=level, kind=kind)
        agency = dataclasses.replace(agency, created_at=clock.now())
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            if repo.get_agency(agency.code):
                raise Conflict(f"agency {agency.code} already exists")
            if agency.parent_code and not repo.get_agency(agency.parent_code):
                raise InvalidInput(f"parent agency {agency.parent_code} is unknown")
            repo.add_agency(agency)
            uow.add_event(Event.of(events_pb2.AgencyCreated(
                code=agency.code, name=agency.name, parent_code=agency.parent_code or "", level=agency.level,
                created_at=clock.iso(agency.created_at)), service=SERVICE, key=agency.code))
            uow.commit()
        return agency

    def import_agencies(self, rows: list[dict[str, str]]) -> int:
        """Create the agencies of ``rows`` that do not exist yet, parents first; returns how many were added."""
        with self._db.unit_of_work() as uow:
            known = {a.code for a in self._repo(uow.session).list_agencies(after=None, limit=1_000_000)}
        pending = [r for r in rows if r["code"].strip() not in known]
        added = 0
        while pending:
            ready = [r for r in pending if not r.get("parent_code") or r["parent_code"].strip() in known]
            if not ready:
                raise InvalidInput("agencies with unknown parents: " + ", ".join(r["code"] for r in pending))
            for row in ready:
                self.create_agency(code=row["code"], name=row["name"], parent_code=row.get("parent_code") or None,
                                   level=row["level"], kind=row.get("kind", ""))
                known.add(row["code"].strip())
                added += 1
            pending = [r for r in pending if r not in ready]
        return added

    def get_agency(self, code: str) -> Agency:
        code = check_agency_code(code)
        with self._db.unit_of_work() as uow:
            agency = self._repo(uow.session).get_agency(code)
        if agency is None:
            raise NotFound(f"agency {code} is not in the registry")
        return agency

    def list_agencies(self, *, after: str | None = None, limit: int = 100) -> list[Agency]:
        with self._db.unit_of_work() as uow:
            return self._repo(uow.session).list_agencies(after=after, limit=max(1, min(limit, 1000)))

    def resolve(self, code: str) -> Resolution:
        """The agency that receives for ``code`` now, following successors of closed agencies."""
        code = check_agency_code(code)
        chain = [code]
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            agency = repo.get_agency(code)
            while agency is not None and agency.status != "active" and agency.successor_code:
                if agency.successor_code in chain:
                    raise Conflict(f"succession of {code} loops: {' -> '.join(chain)}")
                chain.append(agency.successor_code)
                agency = repo.get_agency(agency.successor_code)
        if agency is None:
            raise NotFound(f"agency {chain[-1]} is not in the registry")
        if agency.status != "active":
            raise NotFound(f"agency {agency.code} is {agency.status} and has no successor")
        return Resolution(agency=agency, chain=chain)

    # -- document identifiers -------------------------------------------------------------------------------
    def issue_document_identifier(self, agency_code: str, issued_at: datetime | None = None) -> IssuedIdentifier:
        """Take the next ``<code>-YYYY.N`` of an active agency; the year is the year of issue in +07:00."""
        agency = self.get_agency(agency_code)
        if agency.status != "active":
            raise Conflict(f"agency {agency.code} is {agency.status}: it cannot issue documents")
        moment = clock.to_vn(issued_at) if issued_at else clock.now()
        with self._db.unit_of_work() as uow:
            number = self._repo(uow.session).next_document_number(agency.code, moment.year)
            issued = IssuedIdentifier(format_identifier(agency.code, moment.year, number), moment.year, number)
            uow.add_event(Event.of(events_pb2.DocumentIdentifierIssued(
                agency_code=agency.code, identifier=issued.identifier, year=issued.year, number=number,
                issued_at=clock.iso(moment)), service=SERVICE, key=agency.code))
            uow.commit()
        return issued

    # -- clients and tokens ---------------------------------------------------------------------------------
    def add_client(self, *, name: str, agency_codes: list[str], operator: bool = False) -> ClientCredentials:
        """Register a system acting for ``agency_codes`` (or an operator); the secret is returned only here."""
        if not operator and not agency_codes:
            raise InvalidInput("an agency system must act for at least one agency")
        for code in agency_codes:
            self.get_agency(code)
        credentials = ClientCredentials(client_id=str(uuid.uuid4()), client_secret=secrets.token_urlsafe(32))
        with self._db.unit_of_work() as uow:
            self._repo(uow.session).add_client(
                client_id=credentials.client_id, name=name.strip(),
                secret_hash=self._hasher.hash(credentials.client_secret), agency_codes=sorted(set(agency_codes)),
                scopes=OPERATOR_SCOPES if operator else AGENCY_SCOPES,
                role="operator" if operator else "agency-system")
            uow.commit()
        return credentials

    def issue_token(self, client_id: str, client_secret: str) -> tuple[str, int, str]:
        """OAuth2 client credentials: returns (access token, lifetime in seconds, scope)."""
        with self._db.unit_of_work() as uow:
            client = self._repo(uow.session).get_client(client_id)
        try:
            if client is None:
                raise VerificationError("unknown client")
            self._hasher.verify(client.secret_hash, client_secret)
        except VerificationError as exc:
            raise Unauthenticated("invalid client credentials") from exc
        kid, pem = self._signing_key()
        token, ttl = sign_token(kid=kid, private_pem=pem, issuer=self._issuer, audience=self._audience,
                                subject=client.client_id, agencies=list(client.agency_codes), scope=client.scopes,
                                role=client.role, ttl_s=self._token_ttl_s)
        return token, ttl, client.scopes

    def jwks(self) -> dict[str, Any]:
        """The public keys that verify the registry's tokens."""
        self._signing_key()
        with self._db.unit_of_work() as uow:
            keys = self._repo(uow.session).token_keys()
        return {"keys": [public_jwk(k.kid, k.private_pem) for k in keys if k.active]}

    def _signing_key(self) -> tuple[str, str]:
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            active = [k for k in repo.token_keys() if k.active]
            if active:
                return active[-1].kid, active[-1].private_pem
            kid, pem = uuid.uuid4().hex, new_private_key_pem()
            repo.add_token_key(kid, pem)
            uow.commit()
            return kid, pem
