"""Use cases of the versioned agency directory: queries as of a time, resolution, lifecycle commands,
reorganisation plans, import and export."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from lienthong.api.registry.v1 import events_pb2
from lienthong.platform import clock
from lienthong.platform.db import Database, UnitOfWork
from lienthong.platform.errors import DomainError, FieldError, InvalidInput, NotFound
from lienthong.platform.messaging import Event
from lienthong.registry.adapters.repository import SqlDirectory, SqlPlans
from lienthong.registry.domain.agency import ACTIVE, STATUSES, Agency, Contact, check_agency_code, fold
from lienthong.registry.domain.plan import (
    CHANGE_CODE,
    CREATE,
    DISSOLVE,
    MERGE,
    MOVE,
    RENAME,
    SPLIT_ACTION,
    UPDATE,
    DirectoryEvent,
    Operation,
    PlanOutcome,
    import_operations,
    parse_operations,
    simulate,
)
from lienthong.registry.domain.recipients import GroupSpec, is_group, parse_group
from lienthong.registry.domain.succession import Resolution, resolve
from lienthong.registry.service.audit import Audit

SERVICE = "registry"
PENDING, APPLIED, FAILED = "pending", "applied", "failed"
_DIRECTORY_LOCK = 7_265_727
MAX_RECIPIENTS = 5000
"""Most recipients resolved in one ``resolve_recipients`` call."""
INVALID_RECIPIENT, UNKNOWN_RECIPIENT, EMPTY_GROUP = "invalid", "unknown", "empty_group"
"""Why a recipient could not be resolved (see :class:`ResolvedRecipient`)."""


def parse_at(text: str | None, field_name: str = "at") -> datetime:
    """An ISO 8601 time with an offset (empty means now), in +07:00."""
    if not text:
        return clock.now()
    try:
        return clock.parse_iso(text)
    except ValueError as exc:
        raise InvalidInput(f"{field_name} is not ISO 8601 with an offset: {text!r}",
                           errors=[FieldError(field_name, "expected e.g. 2026-07-01T00:00:00+07:00")]) from exc


def encode_cursor(code: str) -> str:
    return base64.urlsafe_b64encode(code.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> str:
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("malformed page token", errors=[FieldError("page_token", "not a cursor")]) from exc


@dataclass(frozen=True)
class PlanResult:
    """What a plan did or would do."""

    plan_id: str | None
    status: str  # dry_run, pending, applied
    effective_at: datetime
    outcome: PlanOutcome
    events: int = 0


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    diff: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False


@dataclass(frozen=True)
class ResolvedRecipient:
    """What one written recipient (an agency code or a ``group:...``) stands for.

    A code: the one active agency that receives for it and the succession chain followed. A group: its
    active members. When it cannot be resolved, ``agencies`` is empty and ``error`` says why, with
    ``reason`` one of ``invalid`` (malformed code or group), ``unknown`` (no agency receives for the code)
    or ``empty_group`` (the group matches no active agency besides the sender).
    """

    recipient: str
    group: bool
    agencies: list[Agency] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)
    error: str = ""
    reason: str = ""


def _describe(exc: DomainError) -> str:
    details = "; ".join(e.message for e in exc.errors)
    return f"{exc.detail}: {details}" if details else exc.detail


def _snapshot(agency: Agency, valid_from: str) -> events_pb2.AgencySnapshot:
    return events_pb2.AgencySnapshot(
        code=agency.code, name=agency.name, short_name=agency.short_name, parent_code=agency.parent_code or "",
        level=agency.level, kind=agency.kind, status=agency.status, successor_code=agency.successor_code or "",
        valid_from=valid_from)


def event_message(event: DirectoryEvent, effective_at: str, plan_id: str) -> Any:
    """The protobuf message of a directory event (events.proto)."""
    data = {k: (_snapshot(v, effective_at) if isinstance(v, Agency) else v) for k, v in event.data.items()}
    message_class = getattr(events_pb2, event.type)
    if event.type == "AgencyCreated":
        return message_class(**data, created_at=effective_at, plan_id=plan_id)
    return message_class(**data, effective_at=effective_at, plan_id=plan_id)


class Directory:
    """The agency directory: every change versioned, readable as of any time."""

    def __init__(self, database: Database, audit: Audit):
        self._db = database
        self._audit = audit

    # -- queries ----------------------------------------------------------------------------------------------
    def get(self, code: str, at: datetime | None = None) -> Agency:
        """The agency's version valid at ``at`` (now by default); closed agencies included."""
        code = check_agency_code(code)
        with self._db.unit_of_work() as uow:
            repo = SqlDirectory(uow.session)
            agency = repo.current_version(code) if at is None else repo.version_at(code, at)
        if agency is None:
            when = "" if at is None else f" at {clock.iso(at)}"
            raise NotFound(f"agency {code} is not in the registry{when}")
        return agency

    def history(self, code: str) -> list[Agency]:
        code = check_agency_code(code)
        with self._db.unit_of_work() as uow:
            versions = SqlDirectory(uow.session).history(code)
        if not versions:
            raise NotFound(f"agency {code} is not in the registry")
        return versions

    def list(self, *, at: datetime | None = None, level: str = "", kind: str = "", parent_code: str = "",
             status: str = "", page_token: str = "", page_size: int = 500) -> tuple[list[Agency], str]:
        """One page of the agencies valid at ``at`` matching the filters (status defaults to active;
        ``any`` lists every status); returns (agencies, next page token or "")."""
        status = status or ACTIVE
        if status not in (*STATUSES, "any"):
            raise InvalidInput(f"unknown status {status!r}",
                               errors=[FieldError("status", "one of " + ", ".join((*STATUSES, "any")))])
        if parent_code:
            parent_code = check_agency_code(parent_code, "parent_code")
        page_size = max(1, min(page_size or 500, 5000))
        after = decode_cursor(page_token) if page_token else ""
        with self._db.unit_of_work() as uow:
            items = SqlDirectory(uow.session).list_at(
                at or clock.now(), level=level, kind=kind, parent_code=parent_code,
                status="" if status == "any" else status, after=after, limit=page_size + 1)
        more = len(items) > page_size
        items = items[:page_size]
        return items, encode_cursor(items[-1].code) if more else ""

    def search(self, query: str, *, at: datetime | None = None, limit: int = 20) -> list[Agency]:
        """Agencies whose full or short name contains every word of ``query``, ignoring diacritics and case."""
        words = fold(query).split()
        if not words:
            raise InvalidInput("the search query is empty", errors=[FieldError("query", "required")])
        with self._db.unit_of_work() as uow:
            return SqlDirectory(uow.session).search(words, at or clock.now(), max(1, min(limit or 20, 200)))

    def resolve(self, code: str, at: datetime | None = None) -> Resolution:
        """The agency that receives for ``code`` at ``at`` (now by default), following successors."""
        code = check_agency_code(code)
        with self._db.unit_of_work() as uow:
            repo = SqlDirectory(uow.session)
            return resolve(code, at or clock.now(), repo.version_at)

    def resolve_recipients(self, recipients: list[str], *, at: datetime | None = None,
                           sender_code: str = "") -> list[ResolvedRecipient]:
        """Resolve each written recipient at ``at`` (now by default), in order, in one transaction.

        A code is resolved as by :meth:`resolve` (following succession); a ``group:...`` stands for the
        agencies active then that match it (grammar in :mod:`lienthong.registry.domain.recipients`), less
        ``sender_code``. A recipient that cannot be resolved carries its error instead of failing the call.
        """
        if len(recipients) > MAX_RECIPIENTS:
            raise InvalidInput(f"more than {MAX_RECIPIENTS} recipients in one call",
                               errors=[FieldError("recipients", f"at most {MAX_RECIPIENTS}")])
        at = at or clock.now()
        sender_code = (sender_code or "").strip()
        members_of: dict[GroupSpec, list[Agency]] = {}
        resolved: list[ResolvedRecipient] = []
        with self._db.unit_of_work() as uow:
            repo = SqlDirectory(uow.session)
            for i, written in enumerate(recipients):
                text = (written or "").strip()
                group = is_group(text)
                try:
                    if not group:
                        found = resolve(check_agency_code(text, f"recipients[{i}]"), at, repo.version_at)
                        resolved.append(ResolvedRecipient(text, False, [found.agency], found.chain))
                        continue
                    spec = parse_group(text, f"recipients[{i}]")
                    key = GroupSpec(text="", level=spec.level, kind=spec.kind, parent=spec.parent)
                    if key not in members_of:
                        members_of[key] = self._group_members(repo, spec, at)
                    members = [a for a in members_of[key] if a.code != sender_code]
                    if members:
                        resolved.append(ResolvedRecipient(text, True, members))
                    else:
                        resolved.append(ResolvedRecipient(text, True, error=f"the group {text!r} matches no active "
                                                          "agency", reason=EMPTY_GROUP))
                except NotFound as exc:
                    resolved.append(ResolvedRecipient(text, group, error=_describe(exc), reason=UNKNOWN_RECIPIENT))
                except DomainError as exc:
                    resolved.append(ResolvedRecipient(text, group, error=_describe(exc), reason=INVALID_RECIPIENT))
        return resolved

    @staticmethod
    def _group_members(repo: SqlDirectory, spec: GroupSpec, at: datetime) -> list[Agency]:
        members: list[Agency] = []
        while True:
            page = repo.list_at(at, level=spec.level, kind=spec.kind, parent_code=spec.parent, status=ACTIVE,
                                after=members[-1].code if members else "", limit=MAX_RECIPIENTS)
            members += page
            if len(page) < MAX_RECIPIENTS:
                return members

    def current(self) -> dict[str, Agency]:
        with self._db.unit_of_work() as uow:
            return SqlDirectory(uow.session).current()

    # -- changes ----------------------------------------------------------------------------------------------
    def _lock(self, uow: UnitOfWork) -> None:
        if uow.session.get_bind().dialect.name == "postgresql":
            uow.session.execute(select(func.pg_advisory_xact_lock(_DIRECTORY_LOCK)))

    def _apply(self, uow: UnitOfWork, operations: list[Operation], at: datetime, plan_id: str | None,
               *, actor: str, action: str, details: dict[str, Any]) -> PlanOutcome:
        """Validate and write ``operations`` in the caller's transaction; InvalidInput lists every error."""
        self._lock(uow)
        repo = SqlDirectory(uow.session)
        outcome = simulate(repo.current(), operations, at)
        if outcome.errors:
            raise InvalidInput(f"the change is not valid ({len(outcome.errors)} errors); nothing was changed",
                               errors=outcome.errors)
        repo.write(outcome.changed, at, plan_id)
        effective = clock.iso(at)
        for ev in outcome.events:
            uow.add_event(Event.of(event_message(ev, effective, plan_id or ""), service=SERVICE, key=ev.key))
        Audit.record(uow.session, actor=actor, action=action, target=details.get("target", ""),
                     details={**details, "operations": len(operations), "events": len(outcome.events)})
        return outcome

    def execute(self, operations: list[Operation], *, actor: str, action: str, target: str,
                at: datetime | None = None) -> PlanOutcome:
        """Apply a lifecycle command (a plan of one or a few operations) now; one event per operation."""
        at = at or clock.now()
        with self._db.unit_of_work() as uow:
            outcome = self._apply(uow, operations, at, None, actor=actor, action=action,
                                  details={"target": target, "rows": [o.__dict__ | {"contact": None}
                                                                      for o in operations]})
            uow.commit()
        return outcome

    def create(self, *, actor: str, code: str, name: str, parent_code: str | None, level: str, kind: str = "",
               short_name: str = "", at: datetime | None = None) -> Agency:
        outcome = self.execute([Operation(CREATE, 1, new_code=code.strip(), name=name, short_name=short_name,
                                          parent_code=(parent_code or "").strip(), level=level, kind=kind)],
                               actor=actor, action="agency.create", target=code, at=at)
        return outcome.changed[code.strip()]

    def rename(self, *, actor: str, code: str, name: str = "", short_name: str = "",
               at: datetime | None = None) -> Agency:
        outcome = self.execute([Operation(RENAME, 1, old_code=code, name=name, short_name=short_name)],
                               actor=actor, action="agency.rename", target=code, at=at)
        return outcome.changed[code]

    def update(self, *, actor: str, code: str, level: str | None = None, kind: str | None = None,
               contact: dict[str, str] | None = None, served_by: str | None = None,
               at: datetime | None = None) -> Agency:
        """Change an agency's level, kind, contact or serving node (names and parents have their own
        commands); refused when it changes nothing. Emits ``AgencyUpdated``."""
        current = self.get(code)
        new_contact = Contact.of({**current.contact.as_dict(), **(contact or {})})
        op = Operation(UPDATE, 1, old_code=current.code, name=current.name, short_name=current.short_name,
                       parent_code=current.parent_code or "", level=current.level if level is None else level,
                       kind=current.kind if kind is None else kind, contact=new_contact,
                       served_by=served_by)
        if not (op.level or "").strip():
            raise InvalidInput("the level cannot be empty", errors=[FieldError("level", "required")])
        if (op.level.strip(), op.kind.strip(), new_contact, current.served_by if served_by is None else served_by) \
                == (current.level, current.kind, current.contact, current.served_by):
            raise InvalidInput(f"the update of {current.code} changes nothing",
                               errors=[FieldError("body", "no attribute differs")])
        outcome = self.execute([op], actor=actor, action="agency.update", target=current.code, at=at)
        return outcome.changed[current.code]

    def move(self, *, actor: str, code: str, parent_code: str, at: datetime | None = None) -> Agency:
        outcome = self.execute([Operation(MOVE, 1, old_code=code, parent_code=parent_code)],
                               actor=actor, action="agency.move", target=code, at=at)
        return outcome.changed[code]

    def merge(self, *, actor: str, codes: list[str], successor_code: str, name: str = "", level: str = "",
              kind: str = "", short_name: str = "", parent_code: str = "", at: datetime | None = None) -> Agency:
        ops = [Operation(MERGE, i, old_code=c, new_code=successor_code, name=name if i == 1 else "",
                         level=level, kind=kind, short_name=short_name, parent_code=parent_code)
               for i, c in enumerate(codes, start=1)]
        if not ops:
            raise InvalidInput("a merge needs the codes to merge", errors=[FieldError("codes", "required")])
        self.execute(ops, actor=actor, action="agency.merge", target=successor_code, at=at)
        return self.get(successor_code)

    def split(self, *, actor: str, code: str, successors: list[dict[str, Any]],
              at: datetime | None = None) -> list[Agency]:
        ops = [Operation(SPLIT_ACTION, i, old_code=code, new_code=str(s.get("code", "")).strip(),
                         name=str(s.get("name", "")), short_name=str(s.get("short_name", "")),
                         parent_code=str(s.get("parent_code", "") or ""), level=str(s.get("level", "")),
                         kind=str(s.get("kind", "")), takes_incoming=bool(s.get("takes_incoming")))
               for i, s in enumerate(successors, start=1)]
        self.execute(ops, actor=actor, action="agency.split", target=code, at=at)
        return [self.get(op.new_code) for op in ops]

    def dissolve(self, *, actor: str, code: str, successor_code: str = "", at: datetime | None = None) -> Agency:
        outcome = self.execute([Operation(DISSOLVE, 1, old_code=code, new_code=successor_code)],
                               actor=actor, action="agency.dissolve", target=code, at=at)
        return outcome.changed[code]

    def change_code(self, *, actor: str, code: str, new_code: str, name: str = "",
                    at: datetime | None = None) -> Agency:
        outcome = self.execute([Operation(CHANGE_CODE, 1, old_code=code, new_code=new_code, name=name)],
                               actor=actor, action="agency.change_code", target=code, at=at)
        return outcome.changed[new_code]

    # -- reorganisation plans ---------------------------------------------------------------------------------
    def submit_plan(self, rows: list[dict[str, Any]], *, effective_at: datetime, actor: str,
                    description: str = "", dry_run: bool = False) -> PlanResult:
        """Validate a plan as a whole; a dry run only reports. Otherwise a plan effective now or earlier is
        applied at once (atomically), a later one is stored and applied by the worker when due."""
        operations, errors = parse_operations(rows)
        if errors:
            raise InvalidInput(f"the plan is not valid ({len(errors)} errors); nothing was changed", errors=errors)
        if not operations:
            raise InvalidInput("the plan has no rows", errors=[FieldError("rows", "required")])
        now = clock.now()
        outcome = simulate(self.current(), operations, effective_at)
        if dry_run:
            return PlanResult(None, "dry_run", effective_at, outcome)
        if outcome.errors:
            raise InvalidInput(f"the plan is not valid ({len(outcome.errors)} errors); nothing was changed",
                               errors=outcome.errors)
        plan_id = str(uuid.uuid4())
        with self._db.unit_of_work() as uow:
            SqlPlans(uow.session).add({
                "id": plan_id, "status": PENDING, "effective_at": clock.to_vn(effective_at),
                "created_at": clock.to_vn(now), "created_by": actor, "description": description,
                "operations": rows, "events": 0, "error": ""})
            Audit.record(uow.session, actor=actor, action="plan.submit", target=plan_id,
                         details={"effective_at": clock.iso(effective_at), "rows": len(rows),
                                  "description": description})
            uow.commit()
        if effective_at <= now:
            return self.apply_plan(plan_id, actor=actor)
        return PlanResult(plan_id, PENDING, effective_at, outcome)

    def apply_plan(self, plan_id: str, *, actor: str) -> PlanResult:
        """Apply a stored plan at its effective time, atomically: every operation or none."""
        with self._db.unit_of_work() as uow:
            plans = SqlPlans(uow.session)
            self._lock(uow)
            plan = plans.get(plan_id, for_update=True)
            if plan is None:
                raise NotFound(f"plan {plan_id} does not exist")
            effective_at = clock.from_storage(plan.effective_at)
            if plan.status != PENDING:
                outcome = PlanOutcome(changed={}, events=[], diff=[], errors=[])
                return PlanResult(plan_id, plan.status, effective_at, outcome, plan.events)
            operations, _ = parse_operations(plan.operations)
            outcome = self._apply(uow, operations, effective_at, plan_id, actor=actor, action="plan.apply",
                                  details={"target": plan_id, "effective_at": clock.iso(effective_at)})
            uow.add_event(Event.of(events_pb2.ReorganisationPlanApplied(
                plan_id=plan_id, effective_at=clock.iso(effective_at), operations=len(operations),
                events=len(outcome.events)), service=SERVICE, key=plan_id))
            plans.set(plan_id, status=APPLIED, applied_at=clock.now(), events=len(outcome.events))
            uow.commit()
        return PlanResult(plan_id, APPLIED, effective_at, outcome, len(outcome.events))

    def apply_due_plans(self, now: datetime | None = None) -> int:
        """Apply every stored plan whose effective time has come; a plan that no longer validates is marked
        failed with its errors (and changes nothing). Returns how many were applied."""
        with self._db.unit_of_work() as uow:
            due = SqlPlans(uow.session).due(now or clock.now())
        applied = 0
        for plan_id in due:
            try:
                self.apply_plan(plan_id, actor="scheduler")
                applied += 1
            except InvalidInput as exc:
                with self._db.unit_of_work() as uow:
                    detail = exc.detail + ": " + "; ".join(f"{e.path}: {e.message}" for e in exc.errors)
                    SqlPlans(uow.session).set(plan_id, status=FAILED, error=detail)
                    uow.commit()
        return applied

    def plans(self, status: str = "") -> list[Any]:
        with self._db.unit_of_work() as uow:
            return SqlPlans(uow.session).list(status)

    def plan(self, plan_id: str) -> Any:
        with self._db.unit_of_work() as uow:
            plan = SqlPlans(uow.session).get(plan_id)
        if plan is None:
            raise NotFound(f"plan {plan_id} does not exist")
        return plan

    # -- import and export ------------------------------------------------------------------------------------
    def import_rows(self, rows: list[dict[str, Any]], *, actor: str, dry_run: bool = False,
                    at: datetime | None = None, only_new: bool = False) -> ImportResult:
        """Add new agencies and update changed ones (idempotent: an unchanged row does nothing).

        Agencies absent from the file are left as they are, and closed agencies are not reopened: closing
        and reopening are lifecycle commands. ``only_new`` adds missing agencies and leaves existing ones
        untouched. ``at`` is the time the new versions start (now by default). Every error is reported at once.
        """
        at = at or clock.now()
        with self._db.unit_of_work() as uow:
            self._lock(uow)
            repo = SqlDirectory(uow.session)
            directory = repo.current()
            operations, unchanged, errors = import_operations(directory, rows)
            if only_new:
                unchanged += sum(1 for o in operations if o.action != CREATE)
                operations = [o for o in operations if o.action == CREATE]
            if errors:
                raise InvalidInput(f"the import is not valid ({len(errors)} errors); nothing was changed",
                                   errors=errors)
            outcome = simulate(directory, operations, at)
            added = sum(1 for o in operations if o.action == CREATE)
            result = ImportResult(added=added, updated=len(operations) - added, unchanged=unchanged,
                                  diff=outcome.diff, dry_run=dry_run)
            if dry_run or not operations:
                if outcome.errors:
                    raise InvalidInput(f"the import is not valid ({len(outcome.errors)} errors)",
                                       errors=outcome.errors)
                return result
            self._apply(uow, operations, at, None, actor=actor, action="directory.import",
                        details={"target": "directory", "added": result.added, "updated": result.updated})
            uow.commit()
        return result

    def export(self, at: datetime | None = None) -> list[dict[str, Any]]:
        """Every agency valid at ``at`` (all statuses), in the import format."""
        items, token = self.list(at=at, status="any", page_size=5000)
        while token:
            more, token = self.list(at=at, status="any", page_size=5000, page_token=token)
            items += more
        return [{"code": a.code, "name": a.name, "short_name": a.short_name, "parent_code": a.parent_code or "",
                 "level": a.level, "kind": a.kind, "status": a.status, "successor_code": a.successor_code or "",
                 "contact": a.contact.as_dict(), "served_by": a.served_by,
                 "valid_from": clock.iso(a.valid_from) if a.valid_from else ""} for a in items]
