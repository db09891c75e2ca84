"""The operators' audit log: every operator action is appended in the same transaction as the action."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from lienthong.platform import clock
from lienthong.platform.db import Database
from lienthong.registry.adapters.repository import SqlAuditLog
from lienthong.registry.domain.audit import GENESIS, entry_hash


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    target: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


def _hashed_fields(at: str, actor: str, action: str, target: str, details: dict[str, Any]) -> dict[str, Any]:
    return {"at": at, "actor": actor, "action": action, "target": target, "details": details}


class Audit:
    """Appends to and reads the hash-chained log."""

    def __init__(self, database: Database):
        self._db = database

    @staticmethod
    def record(session: Session, *, actor: str, action: str, target: str, details: dict[str, Any]) -> None:
        """Append an entry inside the caller's transaction (it commits or rolls back with the action)."""
        log = SqlAuditLog(session)
        log.lock()
        previous = log.last_hash() or GENESIS
        now = clock.now()
        moment = now.replace(microsecond=now.microsecond // 1000 * 1000)
        at = clock.iso(moment)
        digest = entry_hash(previous, _hashed_fields(at, actor, action, target, details))
        log.append({"at": clock.to_vn(moment), "actor": actor, "action": action, "target": target,
                    "details": details, "prev_hash": previous, "hash": digest})

    def entries(self, *, after: int = 0, limit: int = 100) -> list[AuditEntry]:
        with self._db.unit_of_work() as uow:
            rows = SqlAuditLog(uow.session).entries(after=after, limit=max(1, min(limit, 1000)))
        return [AuditEntry(seq=r.seq, at=clock.iso(clock.from_storage(r.at)), actor=r.actor, action=r.action,
                           target=r.target, details=r.details, prev_hash=r.prev_hash, hash=r.hash) for r in rows]

    def verify(self) -> tuple[bool, int, int | None]:
        """Recompute the chain: (intact, entries checked, first broken seq or None)."""
        previous, count = GENESIS, 0
        with self._db.unit_of_work() as uow:
            for r in SqlAuditLog(uow.session).all_entries():
                at = clock.iso(clock.from_storage(r.at))
                expected = entry_hash(previous, _hashed_fields(at, r.actor, r.action, r.target, r.details))
                if r.prev_hash != previous or r.hash != expected:
                    return False, count, r.seq
                previous, count = r.hash, count + 1
        return True, count, None
