"""SQL repositories of the registry (one class per aggregate, all on the caller's session)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from lienthong.platform import clock
from lienthong.registry.adapters.tables import (
    agency_versions,
    audit_log,
    clients,
    plans,
    sequence_counters,
    sequence_numbers,
    system_secrets,
    systems,
    token_keys,
    used_assertions,
)
from lienthong.registry.domain.agency import ACTIVE, Agency, Contact, fold
from lienthong.registry.domain.identifier import CONFIRMED, RESERVED, NumberKey

CHUNK = 500
_RESERVE_PG = text(
    "WITH agency AS (SELECT 1 FROM agency_versions WHERE code = :a AND valid_to IS NULL AND status = 'active'), "
    "counter AS (INSERT INTO sequence_counters (agency_code, sequence, year, last_number) "
    "SELECT :a, :s, :y, 1 FROM agency ON CONFLICT (agency_code, sequence, year) "
    "DO UPDATE SET last_number = sequence_counters.last_number + 1 RETURNING last_number) "
    "INSERT INTO sequence_numbers (agency_code, sequence, year, number, state, purpose, reference, reason, "
    "reserved_at, reserved_until) SELECT :a, :s, :y, last_number, 'reserved', :p, '', '', :at, :u FROM counter "
    "RETURNING number")


def db_time(moment: datetime) -> datetime:
    """Times are written in +07:00 (SQLite keeps the wall clock, so every write must use the same zone)."""
    return clock.to_vn(moment)


def _agency(row: Any) -> Agency:
    return Agency(code=row.code, name=row.name, parent_code=row.parent_code, level=row.level, kind=row.kind,
                  status=row.status, successor_code=row.successor_code, short_name=row.short_name,
                  contact=Contact.of(row.contact), served_by=row.served_by,
                  valid_from=clock.from_storage(row.valid_from),
                  valid_to=clock.from_storage(row.valid_to) if row.valid_to else None)


def _valid_at(at: datetime) -> Any:
    t = db_time(at)
    return and_(agency_versions.c.valid_from <= t,
                or_(agency_versions.c.valid_to.is_(None), agency_versions.c.valid_to > t))


class SqlDirectory:
    """The versioned agency directory."""

    def __init__(self, session: Session):
        self.session = session

    def current(self) -> dict[str, Agency]:
        """Every agency's current version, closed agencies included."""
        rows = self.session.execute(select(agency_versions).where(agency_versions.c.valid_to.is_(None)))
        return {r.code: _agency(r) for r in rows}

    def current_version(self, code: str) -> Agency | None:
        row = self.session.execute(select(agency_versions).where(
            agency_versions.c.code == code, agency_versions.c.valid_to.is_(None))).first()
        return _agency(row) if row else None

    def version_at(self, code: str, at: datetime) -> Agency | None:
        row = self.session.execute(select(agency_versions).where(agency_versions.c.code == code, _valid_at(at))
                                   .order_by(agency_versions.c.valid_from.desc()).limit(1)).first()
        return _agency(row) if row else None

    def history(self, code: str) -> list[Agency]:
        rows = self.session.execute(select(agency_versions).where(agency_versions.c.code == code)
                                    .order_by(agency_versions.c.valid_from, agency_versions.c.id))
        return [_agency(r) for r in rows]

    def list_at(self, at: datetime, *, level: str = "", kind: str = "", parent_code: str = "",
                status: str = ACTIVE, after: str = "", limit: int = 500) -> list[Agency]:
        query = select(agency_versions).where(_valid_at(at)).order_by(agency_versions.c.code).limit(limit)
        for column, value in ((agency_versions.c.level, level), (agency_versions.c.kind, kind),
                              (agency_versions.c.parent_code, parent_code), (agency_versions.c.status, status)):
            if value:
                query = query.where(column == value)
        if after:
            query = query.where(agency_versions.c.code > after)
        return [_agency(r) for r in self.session.execute(query)]

    def search(self, words: list[str], at: datetime, limit: int) -> list[Agency]:
        """Agencies valid at ``at`` whose folded names contain every folded word."""
        query = select(agency_versions).where(_valid_at(at))
        for word in words:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(agency_versions.c.folded_name.like(f"%{escaped}%", escape="\\"))
        query = query.order_by(agency_versions.c.status != ACTIVE, func.length(agency_versions.c.name),
                               agency_versions.c.code).limit(limit)
        return [_agency(r) for r in self.session.execute(query)]

    def write(self, changed: dict[str, Agency], at: datetime, plan_id: str | None) -> None:
        """Close the current versions of the changed codes at ``at`` and insert their new versions."""
        t = db_time(at)
        codes = list(changed)
        for i in range(0, len(codes), CHUNK):
            self.session.execute(update(agency_versions).where(
                agency_versions.c.code.in_(codes[i:i + CHUNK]), agency_versions.c.valid_to.is_(None))
                .values(valid_to=t))
        rows = [{"code": a.code, "name": a.name, "short_name": a.short_name,
                 "folded_name": fold(f"{a.name} {a.short_name}"), "parent_code": a.parent_code, "level": a.level,
                 "kind": a.kind, "status": a.status, "successor_code": a.successor_code,
                 "contact": a.contact.as_dict(), "served_by": a.served_by, "valid_from": t, "valid_to": None,
                 "plan_id": plan_id} for a in changed.values()]
        for i in range(0, len(rows), CHUNK):
            self.session.execute(agency_versions.insert(), rows[i:i + CHUNK])


class SqlSequences:
    """Counters and the numbers issued from them."""

    def __init__(self, session: Session):
        self.session = session

    def reserve(self, agency_code: str, sequence: str, year: int, *, at: datetime, until: datetime,
                purpose: str) -> int | None:
        """Take the next number of an active agency atomically (row lock on PostgreSQL, write lock on SQLite)
        and record it; None (and nothing taken) when the agency is unknown or closed.

        On PostgreSQL one statement checks the agency, takes the number and records it.
        """
        values = {"a": agency_code, "s": sequence, "y": year, "p": purpose, "at": db_time(at), "u": db_time(until)}
        if self.session.get_bind().dialect.name == "postgresql":
            number = self.session.execute(_RESERVE_PG, values).scalar()
            return None if number is None else int(number)
        active = self.session.execute(select(agency_versions.c.id).where(
            agency_versions.c.code == agency_code, agency_versions.c.valid_to.is_(None),
            agency_versions.c.status == ACTIVE)).first()
        if active is None:
            return None
        stmt = sqlite.insert(sequence_counters).values(
            agency_code=agency_code, sequence=sequence, year=year, last_number=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[sequence_counters.c.agency_code, sequence_counters.c.sequence, sequence_counters.c.year],
            set_={"last_number": sequence_counters.c.last_number + 1},
        ).returning(sequence_counters.c.last_number)
        number = int(self.session.execute(stmt).scalar_one())
        self.session.execute(sequence_numbers.insert().values(
            agency_code=agency_code, sequence=sequence, year=year, number=number, state=RESERVED,
            purpose=purpose, reference="", reason="", reserved_at=values["at"], reserved_until=values["u"]))
        return number

    def get(self, key: NumberKey) -> Any | None:
        return self.session.execute(select(sequence_numbers).where(
            sequence_numbers.c.agency_code == key.agency_code, sequence_numbers.c.sequence == key.sequence,
            sequence_numbers.c.year == key.year, sequence_numbers.c.number == key.number)).first()

    def close(self, key: NumberKey, *, state: str, at: datetime, reference: str = "", reason: str = "") -> bool:
        """Move a reserved number to ``state``; False if it was no longer reserved (a concurrent close)."""
        result = self.session.execute(update(sequence_numbers).where(
            sequence_numbers.c.agency_code == key.agency_code, sequence_numbers.c.sequence == key.sequence,
            sequence_numbers.c.year == key.year, sequence_numbers.c.number == key.number,
            sequence_numbers.c.state == RESERVED).values(state=state, closed_at=db_time(at), reference=reference,
                                                        reason=reason))
        return result.rowcount == 1

    def confirm_carried(self, key: NumberKey, *, at: datetime, reference: str, note: str) -> None:
        """Mark a number confirmed whatever its state (a document carries it); ``note`` keeps what it was."""
        self.session.execute(update(sequence_numbers).where(
            sequence_numbers.c.agency_code == key.agency_code, sequence_numbers.c.sequence == key.sequence,
            sequence_numbers.c.year == key.year, sequence_numbers.c.number == key.number,
            sequence_numbers.c.state != CONFIRMED).values(state=CONFIRMED, closed_at=db_time(at),
                                                          reference=reference, reason=note))

    def expired(self, now: datetime, limit: int) -> list[NumberKey]:
        rows = self.session.execute(select(sequence_numbers).where(
            sequence_numbers.c.state == RESERVED, sequence_numbers.c.reserved_until < db_time(now)).limit(limit))
        return [NumberKey(r.agency_code, r.sequence, r.year, r.number) for r in rows]

    def counters(self, *, agency_code: str = "", year: int = 0, sequence: str = "") -> list[Any]:
        query = select(sequence_counters).order_by(sequence_counters.c.agency_code, sequence_counters.c.year,
                                                   sequence_counters.c.sequence)
        if agency_code:
            query = query.where(sequence_counters.c.agency_code == agency_code)
        if year:
            query = query.where(sequence_counters.c.year == year)
        if sequence:
            query = query.where(sequence_counters.c.sequence == sequence)
        return list(self.session.execute(query))

    def states(self, agency_code: str, sequence: str, year: int) -> list[tuple[int, str]]:
        """(number, state) of every number of one counter, in order."""
        rows = self.session.execute(select(sequence_numbers.c.number, sequence_numbers.c.state).where(
            sequence_numbers.c.agency_code == agency_code, sequence_numbers.c.sequence == sequence,
            sequence_numbers.c.year == year).order_by(sequence_numbers.c.number))
        return [(int(r.number), r.state) for r in rows]


class SqlIdentities:
    """OAuth2 clients, connected systems and their secrets, token keys."""

    def __init__(self, session: Session):
        self.session = session

    def add_client(self, *, client_id: str, name: str, secret_hash: str, agency_codes: list[str], scopes: str,
                   role: str, system_id: str | None = None) -> None:
        self.session.execute(clients.insert().values(
            client_id=client_id, name=name, secret_hash=secret_hash, agency_codes=agency_codes, scopes=scopes,
            role=role, created_at=db_time(clock.now()), system_id=system_id, enabled=True))

    def get_client(self, client_id: str) -> Any | None:
        return self.session.execute(select(clients).where(clients.c.client_id == client_id)).first()

    def update_client(self, client_id: str, **values: Any) -> None:
        self.session.execute(update(clients).where(clients.c.client_id == client_id).values(**values))

    def token_keys(self) -> list[Any]:
        return list(self.session.execute(select(token_keys).order_by(token_keys.c.created_at)))

    def add_token_key(self, kid: str, private_pem_encrypted: str) -> None:
        self.session.execute(token_keys.insert().values(kid=kid, private_pem=private_pem_encrypted, active=True,
                                                        created_at=db_time(clock.now()), retire_at=None))

    def retire_token_keys(self, retire_at: datetime) -> None:
        self.session.execute(update(token_keys).where(token_keys.c.active.is_(True))
                             .values(active=False, retire_at=db_time(retire_at)))

    def use_assertion(self, jti: str, client_id: str, expires_at: datetime, now: datetime) -> bool:
        """Record a client assertion's ``jti``; False if it was already used (a replay)."""
        self.session.execute(used_assertions.delete().where(used_assertions.c.expires_at < db_time(now)))
        if self.session.execute(select(used_assertions.c.jti).where(used_assertions.c.jti == jti)).first():
            return False
        self.session.execute(used_assertions.insert().values(jti=jti, client_id=client_id,
                                                             expires_at=db_time(expires_at)))
        return True

    def add_system(self, values: dict[str, Any]) -> None:
        now = db_time(clock.now())
        self.session.execute(systems.insert().values(**values, created_at=now, updated_at=now))

    def update_system(self, system_id: str, **values: Any) -> None:
        self.session.execute(update(systems).where(systems.c.system_id == system_id)
                             .values(**values, updated_at=db_time(clock.now())))

    def get_system(self, system_id: str) -> Any | None:
        return self.session.execute(select(systems).where(systems.c.system_id == system_id)).first()

    def systems(self, owner_agency: str | None = None) -> list[Any]:
        query = select(systems).order_by(systems.c.created_at, systems.c.system_id)
        if owner_agency:
            query = query.where(systems.c.owner_agency == owner_agency)
        return list(self.session.execute(query))

    def add_secret(self, system_id: str, ciphertext: str) -> None:
        self.session.execute(system_secrets.insert().values(system_id=system_id, ciphertext=ciphertext,
                                                            created_at=db_time(clock.now()), expires_at=None))

    def expire_secrets(self, system_id: str, at: datetime) -> None:
        """Make the system's open-ended secrets expire at ``at`` (the rotation's overlap end)."""
        self.session.execute(update(system_secrets).where(system_secrets.c.system_id == system_id,
                                                          system_secrets.c.expires_at.is_(None))
                             .values(expires_at=db_time(at)))
        self.session.execute(update(system_secrets).where(system_secrets.c.system_id == system_id,
                                                          system_secrets.c.expires_at > db_time(at))
                             .values(expires_at=db_time(at)))

    def active_secrets(self, system_id: str, now: datetime) -> list[str]:
        """Ciphertexts of the secrets valid at ``now``, newest first."""
        rows = self.session.execute(select(system_secrets.c.ciphertext).where(
            system_secrets.c.system_id == system_id,
            or_(system_secrets.c.expires_at.is_(None), system_secrets.c.expires_at > db_time(now)))
            .order_by(system_secrets.c.id.desc()))
        return [r.ciphertext for r in rows]


class SqlPlans:
    """Stored reorganisation plans."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, values: dict[str, Any]) -> None:
        self.session.execute(plans.insert().values(**values))

    def get(self, plan_id: str, *, for_update: bool = False) -> Any | None:
        query = select(plans).where(plans.c.id == plan_id)
        if for_update:
            query = query.with_for_update()
        return self.session.execute(query).first()

    def list(self, status: str = "") -> list[Any]:
        query = select(plans).order_by(plans.c.effective_at, plans.c.created_at)
        if status:
            query = query.where(plans.c.status == status)
        return list(self.session.execute(query))

    def due(self, now: datetime) -> list[str]:
        rows = self.session.execute(select(plans.c.id).where(plans.c.status == "pending",
                                                             plans.c.effective_at <= db_time(now))
                                    .order_by(plans.c.effective_at))
        return [r.id for r in rows]

    def set(self, plan_id: str, **values: Any) -> None:
        self.session.execute(update(plans).where(plans.c.id == plan_id).values(**values))


class SqlAuditLog:
    """The hash-chained audit log of operators' actions."""

    def __init__(self, session: Session):
        self.session = session

    def lock(self) -> None:
        """Serialise appends so the chain stays linear (SQLite transactions already hold the write lock)."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(select(func.pg_advisory_xact_lock(7_265_726)))

    def last_hash(self) -> str | None:
        return self.session.execute(select(audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)).scalar()

    def append(self, values: dict[str, Any]) -> None:
        self.session.execute(audit_log.insert().values(**values))

    def entries(self, *, after: int = 0, limit: int = 100) -> list[Any]:
        return list(self.session.execute(select(audit_log).where(audit_log.c.seq > after)
                                         .order_by(audit_log.c.seq).limit(limit)))

    def all_entries(self) -> Iterable[Any]:
        return self.session.execute(select(audit_log).order_by(audit_log.c.seq))
