"""Identities: OAuth2 clients (agency systems and operators), the token endpoint's keys and their
rotation, connected systems with their mailbox secrets (encrypted at rest, rotated with an overlap)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from lienthong.api.registry.v1 import events_pb2
from lienthong.platform import clock
from lienthong.platform.db import Database
from lienthong.platform.errors import FieldError, Forbidden, InvalidInput, NotFound, Unauthenticated
from lienthong.platform.messaging import Event
from lienthong.platform.text import nfc
from lienthong.registry.adapters.crypto import SecretBox
from lienthong.registry.adapters.repository import SqlDirectory, SqlIdentities
from lienthong.registry.adapters.tokens import new_private_key_pem, public_jwk, sign_token
from lienthong.registry.domain.agency import check_agency_code
from lienthong.registry.service.audit import Audit

SERVICE = "registry"
AGENCY_SCOPES = "documents:write documents:read routing:read routing:write reports:read registry:read"
OPERATOR_SCOPES = "registry:admin registry:read reports:read archive:read"
AGENCY_ROLE, OPERATOR_ROLE = "agency-system", "operator"
ACTIVE, DISABLED = "active", "disabled"
SYSTEM_FIELDS = ("name", "vendor", "push_endpoint", "public_key_pem", "certificate_pem")
ASSERTION_ALGORITHMS = ["ES256", "EdDSA", "RS256", "PS256"]
MAX_ASSERTION_LIFETIME_S = 300


@dataclass(frozen=True)
class ClientCredentials:
    """A client's id and secret, shown once when the client is created."""

    client_id: str
    client_secret: str


@dataclass(frozen=True)
class VerifiedClient:
    client_id: str
    agency_codes: list[str]
    scopes: list[str]
    role: str


@dataclass(frozen=True)
class ConnectedSystem:
    """A system acting for agencies (national-axis ``ConnectedSystem``); never carries its secrets."""

    system_id: str
    owner_agency: str
    agency_codes: list[str]
    name: str
    vendor: str
    push_endpoint: str
    public_key_pem: str
    certificate_pem: str
    status: str


@dataclass(frozen=True)
class SystemCredentials:
    """Shown once: the mailbox-protocol secret (HMAC key) and the OAuth2 client secret."""

    system_id: str
    secret: str
    client_id: str
    client_secret: str


def _system(row: Any) -> ConnectedSystem:
    return ConnectedSystem(system_id=row.system_id, owner_agency=row.owner_agency,
                           agency_codes=list(row.agency_codes), name=row.name, vendor=row.vendor,
                           push_endpoint=row.push_endpoint, public_key_pem=row.public_key_pem,
                           certificate_pem=row.certificate_pem, status=row.status)


def new_mailbox_secret() -> str:
    """44 base64 characters, like the national axis SDK's ``SecretKey``."""
    return base64.b64encode(secrets.token_bytes(32)).decode()


class Identities:
    """Clients, tokens, keys and connected systems."""

    def __init__(self, database: Database, box: SecretBox, *, issuer: str, audience: str, token_ttl_s: int,
                 key_rollover_s: int, secret_overlap_s: int):
        self._db = database
        self._box = box
        self._issuer = issuer
        self._audience = audience
        self._token_ttl_s = token_ttl_s
        self._rollover = timedelta(seconds=key_rollover_s)
        self._overlap = timedelta(seconds=secret_overlap_s)
        self._hasher = PasswordHasher()

    # -- OAuth2 clients ---------------------------------------------------------------------------------------
    def _check_agencies(self, session: Any, codes: list[str]) -> list[str]:
        directory = SqlDirectory(session)
        out = []
        for i, raw in enumerate(codes):
            code = check_agency_code(raw, f"agency_codes[{i}]")
            agency = directory.current_version(code)
            if agency is None:
                raise NotFound(f"agency {code} is not in the registry")
            if not agency.active:
                raise InvalidInput(f"agency {code} is {agency.status}",
                                   errors=[FieldError(f"agency_codes[{i}]", "not an active agency")])
            out.append(code)
        return sorted(set(out))

    def add_client(self, *, name: str, agency_codes: list[str], operator: bool = False,
                   actor: str = "cli") -> ClientCredentials:
        """Register an OAuth2 client acting for ``agency_codes`` (or an operator); the secret is shown once."""
        name = nfc(name).strip()
        if not name:
            raise InvalidInput("a client needs a name", errors=[FieldError("name", "required")])
        if not operator and not agency_codes:
            raise InvalidInput("an agency system must act for at least one agency",
                               errors=[FieldError("agency_codes", "required")])
        credentials = ClientCredentials(client_id=str(uuid.uuid4()), client_secret=secrets.token_urlsafe(32))
        with self._db.unit_of_work() as uow:
            codes = self._check_agencies(uow.session, agency_codes)
            SqlIdentities(uow.session).add_client(
                client_id=credentials.client_id, name=name,
                secret_hash=self._hasher.hash(credentials.client_secret), agency_codes=codes,
                scopes=OPERATOR_SCOPES if operator else AGENCY_SCOPES,
                role=OPERATOR_ROLE if operator else AGENCY_ROLE)
            Audit.record(uow.session, actor=actor, action="client.create", target=credentials.client_id,
                         details={"name": name, "agency_codes": codes, "operator": operator})
            uow.commit()
        return credentials

    def verify_credential(self, client_id: str, client_secret: str) -> VerifiedClient:
        """Check a client's id and secret (Argon2); Unauthenticated on any mismatch or a disabled client."""
        with self._db.unit_of_work() as uow:
            client = SqlIdentities(uow.session).get_client(client_id or "")
        try:
            if client is None or not client.enabled:
                raise VerificationError("unknown or disabled client")
            self._hasher.verify(client.secret_hash, client_secret or "")
        except (VerificationError, InvalidHashError) as exc:
            raise Unauthenticated("invalid client credentials") from exc
        return VerifiedClient(client.client_id, list(client.agency_codes), client.scopes.split(), client.role)

    def issue_token(self, client_id: str, client_secret: str) -> tuple[str, int, str]:
        """OAuth2 client credentials: returns (access token, lifetime in seconds, scope)."""
        client = self.verify_credential(client_id, client_secret)
        kid, pem = self._signing_key()
        scope = " ".join(client.scopes)
        token, ttl = sign_token(kid=kid, private_pem=pem, issuer=self._issuer, audience=self._audience,
                                subject=client.client_id, agencies=client.agency_codes, scope=scope,
                                role=client.role, ttl_s=self._token_ttl_s)
        return token, ttl, scope

    def issue_token_for_assertion(self, assertion: str, audiences: list[str]) -> tuple[str, int, str]:
        """OAuth2 ``private_key_jwt`` (RFC 7523): a JWT signed with the system's registered key, ``iss`` and
        ``sub`` = its client id, ``aud`` = the token endpoint, short-lived, with a ``jti`` used once."""
        try:
            unverified = jwt.decode(assertion, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"malformed client assertion: {exc}") from exc
        client_id = str(unverified.get("sub") or "")
        if not client_id or unverified.get("iss") != client_id:
            raise Unauthenticated("the client assertion's iss and sub must both be the client id")
        with self._db.unit_of_work() as uow:
            repo = SqlIdentities(uow.session)
            client = repo.get_client(client_id)
            system = repo.get_system(client.system_id) if client is not None and client.system_id else None
        if client is None or not client.enabled or system is None or not system.public_key_pem:
            raise Unauthenticated("unknown client, or no public key registered for private_key_jwt")
        try:
            claims = jwt.decode(assertion, system.public_key_pem, algorithms=ASSERTION_ALGORITHMS, audience=audiences,
                                options={"require": ["exp", "iat", "jti", "sub", "iss"]}, leeway=30)
        except (jwt.PyJWTError, ValueError) as exc:
            raise Unauthenticated(f"invalid client assertion: {exc}") from exc
        if claims["exp"] - claims["iat"] > MAX_ASSERTION_LIFETIME_S:
            raise Unauthenticated(f"client assertions may live at most {MAX_ASSERTION_LIFETIME_S} s")
        now = clock.now()
        with self._db.unit_of_work() as uow:
            fresh = SqlIdentities(uow.session).use_assertion(
                str(claims["jti"]), client_id, datetime.fromtimestamp(claims["exp"], clock.VN_TZ) + timedelta(
                    seconds=30), now)
            uow.commit()
        if not fresh:
            raise Unauthenticated("this client assertion was already used")
        kid, pem = self._signing_key()
        token, ttl = sign_token(kid=kid, private_pem=pem, issuer=self._issuer, audience=self._audience,
                                subject=client_id, agencies=list(client.agency_codes), scope=client.scopes,
                                role=client.role, ttl_s=self._token_ttl_s)
        return token, ttl, client.scopes

    # -- token keys -------------------------------------------------------------------------------------------
    def jwks(self) -> dict[str, Any]:
        """The public keys that verify the registry's tokens: the signing key and, during a rollover
        window, the keys it replaced."""
        self._signing_key()
        now = clock.now()
        with self._db.unit_of_work() as uow:
            keys = SqlIdentities(uow.session).token_keys()
        published = [k for k in keys if k.active or (k.retire_at and clock.from_storage(k.retire_at) > now)]
        return {"keys": [public_jwk(k.kid, self._box.decrypt(k.private_pem)) for k in reversed(published)]}

    def rotate_signing_key(self, *, actor: str) -> str:
        """Start signing with a new key; the previous one stays published for the rollover window."""
        kid, pem = uuid.uuid4().hex, new_private_key_pem()
        with self._db.unit_of_work() as uow:
            repo = SqlIdentities(uow.session)
            repo.retire_token_keys(clock.now() + self._rollover)
            repo.add_token_key(kid, self._box.encrypt(pem))
            Audit.record(uow.session, actor=actor, action="token_key.rotate", target=kid,
                         details={"rollover_s": int(self._rollover.total_seconds())})
            uow.commit()
        return kid

    def _signing_key(self) -> tuple[str, str]:
        with self._db.unit_of_work() as uow:
            repo = SqlIdentities(uow.session)
            active = [k for k in repo.token_keys() if k.active]
            if active:
                return active[-1].kid, self._box.decrypt(active[-1].private_pem)
            kid, pem = uuid.uuid4().hex, new_private_key_pem()
            repo.add_token_key(kid, self._box.encrypt(pem))
            uow.commit()
            return kid, pem

    # -- connected systems ------------------------------------------------------------------------------------
    def register_system(self, *, owner_agency: str, name: str, agency_codes: list[str] | None = None,
                        vendor: str = "", push_endpoint: str = "", public_key_pem: str = "",
                        certificate_pem: str = "", system_id: str = "", actor: str) -> SystemCredentials:
        """Register a system acting for ``owner_agency`` (and ``agency_codes``); returns its secrets once."""
        owner = check_agency_code(owner_agency, "agency")
        name = nfc(name or "").strip()
        errors = [] if name else [FieldError("name", "required")]
        system_id = (system_id or "").strip() or str(uuid.uuid4())
        if len(system_id) > 64 or not all(c.isalnum() or c in ".-_" for c in system_id):
            errors.append(FieldError("system_id", "letters, digits, '.', '-' and '_', at most 64"))
        if push_endpoint and not push_endpoint.startswith(("https://", "http://")):
            errors.append(FieldError("push_endpoint", "an http(s) URL"))
        if errors:
            raise InvalidInput("the system is not valid", errors=errors)
        secret, client_secret = new_mailbox_secret(), secrets.token_urlsafe(32)
        with self._db.unit_of_work() as uow:
            repo = SqlIdentities(uow.session)
            codes = self._check_agencies(uow.session, [owner, *(agency_codes or [])])
            if repo.get_system(system_id) or repo.get_client(system_id):
                raise InvalidInput(f"system {system_id} already exists",
                                   errors=[FieldError("system_id", "already used")])
            repo.add_system({"system_id": system_id, "owner_agency": owner, "agency_codes": codes, "name": name,
                             "vendor": nfc(vendor).strip(), "push_endpoint": push_endpoint.strip(),
                             "public_key_pem": public_key_pem.strip(), "certificate_pem": certificate_pem.strip(),
                             "status": ACTIVE})
            repo.add_secret(system_id, self._box.encrypt(secret))
            repo.add_client(client_id=system_id, name=name, secret_hash=self._hasher.hash(client_secret),
                            agency_codes=codes, scopes=AGENCY_SCOPES, role=AGENCY_ROLE, system_id=system_id)
            uow.add_event(self._system_event(repo, system_id, "registered"))
            Audit.record(uow.session, actor=actor, action="system.register", target=system_id,
                         details={"owner_agency": owner, "agency_codes": codes, "name": name})
            uow.commit()
        return SystemCredentials(system_id, secret, system_id, client_secret)

    def get_system(self, system_id: str) -> ConnectedSystem:
        with self._db.unit_of_work() as uow:
            row = SqlIdentities(uow.session).get_system(system_id)
        if row is None:
            raise NotFound(f"system {system_id} does not exist")
        return _system(row)

    def systems_of(self, owner_agency: str | None = None) -> list[ConnectedSystem]:
        with self._db.unit_of_work() as uow:
            return [_system(r) for r in SqlIdentities(uow.session).systems(owner_agency)]

    def systems_acting_for(self, agency_code: str) -> list[ConnectedSystem]:
        """Active systems that may act for ``agency_code``."""
        code = check_agency_code(agency_code, "agency_code")
        return [s for s in self.systems_of() if code in s.agency_codes and s.status == ACTIVE]

    def update_system(self, system_id: str, *, actor: str, agency_codes: list[str] | None = None,
                      **changes: str) -> ConnectedSystem:
        """Change a system's name, vendor, push endpoint, keys or the agencies it acts for."""
        unknown = set(changes) - set(SYSTEM_FIELDS)
        if unknown:
            raise InvalidInput("unknown fields", errors=[FieldError(k, "not a system field") for k in unknown])
        values = {k: nfc(v).strip() for k, v in changes.items() if v is not None}
        if "name" in values and not values["name"]:
            raise InvalidInput("a system needs a name", errors=[FieldError("name", "required")])
        endpoint = values.get("push_endpoint")
        if endpoint and not endpoint.startswith(("https://", "http://")):
            raise InvalidInput("the push endpoint is not valid", errors=[FieldError("push_endpoint", "http(s) URL")])
        with self._db.unit_of_work() as uow:
            repo = SqlIdentities(uow.session)
            row = repo.get_system(system_id)
            if row is None:
                raise NotFound(f"system {system_id} does not exist")
            if agency_codes is not None:
                values["agency_codes"] = self._check_agencies(uow.session, [row.owner_agency, *agency_codes])
                repo.update_client(system_id, agency_codes=values["agency_codes"])
            if values:
                repo.update_system(system_id, **values)
            uow.add_event(self._system_event(repo, system_id, "updated"))
            Audit.record(uow.session, actor=actor, action="system.update", target=system_id,
                         details={k: v for k, v in values.items() if not k.endswith("_pem")})
            uow.commit()
        return self.get_system(system_id)

    def set_system_status(self, system_id: str, status: str, *, actor: str) -> ConnectedSystem:
        if status not in (ACTIVE, DISABLED):
            raise InvalidInput("unknown status", errors=[FieldError("status", "active or disabled")])
        with self._db.unit_of_work() as uow:
            repo = SqlIdentities(uow.session)
            if repo.get_system(system_id) is None:
                raise NotFound(f"system {system_id} does not exist")
            repo.update_system(system_id, status=status)
            repo.update_client(system_id, enabled=status == ACTIVE)
            uow.add_event(self._system_event(repo, system_id, status))
            Audit.record(uow.session, actor=actor, action=f"system.{status}", target=system_id, details={})
            uow.commit()
        return self.get_system(system_id)

    def rotate_system_secret(self, system_id: str, *, actor: str) -> str:
        """A new mailbox secret; the previous one stays valid for the overlap window (two active secrets)."""
        secret = new_mailbox_secret()
        with self._db.unit_of_work() as uow:
            repo = SqlIdentities(uow.session)
            if repo.get_system(system_id) is None:
                raise NotFound(f"system {system_id} does not exist")
            repo.expire_secrets(system_id, clock.now() + self._overlap)
            repo.add_secret(system_id, self._box.encrypt(secret))
            uow.add_event(self._system_event(repo, system_id, "secret_rotated"))
            Audit.record(uow.session, actor=actor, action="system.rotate_secret", target=system_id,
                         details={"overlap_s": int(self._overlap.total_seconds())})
            uow.commit()
        return secret

    def rotate_client_secret(self, system_id: str, *, actor: str) -> str:
        """A new OAuth2 client secret for a system (the old one stops working at once)."""
        client_secret = secrets.token_urlsafe(32)
        with self._db.unit_of_work() as uow:
            repo = SqlIdentities(uow.session)
            if repo.get_client(system_id) is None:
                raise NotFound(f"system {system_id} has no OAuth2 client")
            repo.update_client(system_id, secret_hash=self._hasher.hash(client_secret))
            Audit.record(uow.session, actor=actor, action="system.rotate_client_secret", target=system_id,
                         details={})
            uow.commit()
        return client_secret

    def verify_signature(self, system_id: str, message: str, signature: str) -> ConnectedSystem:
        """Check the mailbox protocol's HMAC-SHA256 (lowercase hex; key = UTF-8 bytes of the secret) over the
        signed-header JSON against every active secret of an enabled system.

        An unknown or disabled system is NotFound and a wrong signature Unauthenticated, so that the mailbox
        facade can answer each with its own ErrorCode."""
        now = clock.now()
        with self._db.unit_of_work() as uow:
            repo = SqlIdentities(uow.session)
            row = repo.get_system((system_id or "").strip())
            ciphertexts = repo.active_secrets(row.system_id, now) if row is not None else []
        if row is None or row.status != ACTIVE or not ciphertexts:
            raise NotFound(f"unknown or disabled system {system_id!r}")
        given = (signature or "").strip().lower()
        for ciphertext in ciphertexts:
            secret = self._box.decrypt(ciphertext)
            good = hmac.new(secret.encode("utf-8"), (message or "").encode("utf-8"), hashlib.sha256).hexdigest()
            if hmac.compare_digest(good, given):
                return _system(row)
        raise Unauthenticated("bad signature")

    @staticmethod
    def require_owner(system: ConnectedSystem, agencies: frozenset[str], is_operator: bool) -> None:
        """An agency sees and changes only the systems of its own agencies; operators see every system."""
        if not is_operator and system.owner_agency not in agencies:
            raise Forbidden(f"system {system.system_id} belongs to another agency")

    def _system_event(self, repo: SqlIdentities, system_id: str, change: str) -> Event:
        row = repo.get_system(system_id)
        return Event.of(events_pb2.AgencySystemChanged(
            system_id=system_id, agency_codes=list(row.agency_codes), name=row.name,
            push_endpoint=row.push_endpoint, status=row.status, change=change, changed_at=clock.iso()),
            service=SERVICE, key=row.owner_agency)

