"""Reorganisations of the directory: lifecycle operations, validated as a whole, then applied at once.

A plan is a list of operations (one per row of a CSV or JSON file) with one effective time.
:func:`simulate` runs them against the directory as it stands, in row order, and returns the agencies
each change leaves behind (the new versions to write), one domain event per operation, a diff, and every
error found (not just the first): malformed or unknown codes, duplicates, two successors for one code,
cycles, a successor or parent that is itself closed at the effective time.  A single lifecycle command
(rename, merge...) is a plan of one operation; an import is a plan of ``create`` and ``update`` rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from lienthong.platform.errors import FieldError
from lienthong.platform.text import nfc
from lienthong.registry.domain.agency import (
    DISSOLVED,
    MERGED,
    RENUMBERED,
    SPLIT,
    Agency,
    Contact,
    agency_problems,
    code_problem,
)

CREATE, RENAME, MOVE, MERGE, SPLIT_ACTION, DISSOLVE, CHANGE_CODE, UPDATE = (
    "create", "rename", "move", "merge", "split", "dissolve", "change_code", "update")
PLAN_ACTIONS = (CREATE, RENAME, MOVE, MERGE, SPLIT_ACTION, DISSOLVE, CHANGE_CODE)
"""What a reorganisation plan may do (``update`` is reserved to imports)."""
PLAN_COLUMNS = ("action", "old_code", "new_code", "name", "short_name", "parent_code", "level", "kind",
                "takes_incoming")
TRUE_WORDS = {"1", "true", "yes", "x", "có", "co"}


@dataclass(frozen=True)
class Operation:
    """One row of a plan. Which fields matter depends on ``action``:

    create: new_code, name, level, [short_name, parent_code, kind] · rename: old_code, name and/or short_name ·
    move: old_code, parent_code · merge: old_code → new_code (rows sharing new_code merge together; a new
    successor needs name and level) · split: old_code → new_code (one row per successor, one with
    takes_incoming) · dissolve: old_code, [new_code = successor] · change_code: old_code → new_code, [name].
    """

    action: str
    row: int
    old_code: str = ""
    new_code: str = ""
    name: str = ""
    short_name: str = ""
    parent_code: str = ""
    level: str = ""
    kind: str = ""
    takes_incoming: bool = False
    contact: Contact | None = None
    served_by: str | None = None


@dataclass(frozen=True)
class DirectoryEvent:
    """A domain event of the directory: ``type`` names the message, ``data`` its fields."""

    type: str
    key: str
    data: dict[str, Any]


@dataclass
class PlanOutcome:
    """What applying a plan would do (or did)."""

    changed: dict[str, Agency]
    events: list[DirectoryEvent]
    diff: list[dict[str, Any]]
    errors: list[FieldError]
    operations: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_operations(rows: Iterable[Mapping[str, Any]], *, allowed: tuple[str, ...] = PLAN_ACTIONS,
                     first_row: int = 1) -> tuple[list[Operation], list[FieldError]]:
    """Turn plan rows (dicts with :data:`PLAN_COLUMNS`) into operations; errors name the row."""
    operations, errors = [], []
    for index, raw in enumerate(rows, start=first_row):
        def text(key: str, raw: Mapping[str, Any] = raw) -> str:
            value = raw.get(key)
            return nfc(str(value)).strip() if value is not None else ""

        action = text("action").lower()
        if action not in allowed:
            errors.append(FieldError(f"rows[{index}].action",
                                     f"{action!r} is not one of: {', '.join(allowed)}"))
            continue
        takes = raw.get("takes_incoming")
        takes_incoming = takes if isinstance(takes, bool) else str(takes or "").strip().lower() in TRUE_WORDS
        contact = Contact.of(raw["contact"]) if isinstance(raw.get("contact"), dict) else None
        served_by = text("served_by") if "served_by" in raw else None
        operations.append(Operation(action=action, row=index, old_code=text("old_code"), new_code=text("new_code"),
                                    name=text("name"), short_name=text("short_name"),
                                    parent_code=text("parent_code"), level=text("level"), kind=text("kind"),
                                    takes_incoming=takes_incoming, contact=contact, served_by=served_by))
    return operations, errors


def import_operations(directory: Mapping[str, Agency],
                      rows: Iterable[Mapping[str, Any]]) -> tuple[list[Operation], int, list[FieldError]]:
    """An import as a plan: ``create`` for new codes, ``update`` for changed ones; unchanged rows are skipped.

    Returns (operations, number of unchanged rows, errors). Duplicate codes in the file are errors.
    """
    operations, errors, seen = [], [], {}
    unchanged = 0
    for index, raw in enumerate(rows, start=1):
        code = str(raw.get("code") or "").strip()
        parent = str(raw.get("parent_code") or "").strip()
        problems = agency_problems(code=code, name=str(raw.get("name") or ""), parent_code=parent,
                                   level=str(raw.get("level") or ""), prefix=f"rows[{index}].")
        if code in seen:
            problems.append(FieldError(f"rows[{index}].code", f"duplicate code {code} (also row {seen[code]})"))
        if problems:
            errors.extend(problems)
            continue
        seen[code] = index
        candidate = Agency.new(code=code, name=str(raw["name"]), parent_code=parent or None,
                               level=str(raw["level"]), kind=str(raw.get("kind") or ""),
                               short_name=str(raw.get("short_name") or ""), contact=Contact.of(raw.get("contact")),
                               served_by=str(raw.get("served_by") or ""))
        fields = {"name": candidate.name, "short_name": candidate.short_name,
                  "parent_code": candidate.parent_code or "", "level": candidate.level, "kind": candidate.kind,
                  "contact": candidate.contact, "served_by": candidate.served_by}
        current = directory.get(code)
        if current is not None and not current.active:
            unchanged += 1  # an import never reopens a closed agency
        elif current is None:
            operations.append(Operation(action=CREATE, row=index, new_code=code, **fields))
        elif current.same_attributes(replace(candidate, status=current.status,
                                             successor_code=current.successor_code)):
            unchanged += 1
        else:
            operations.append(Operation(action=UPDATE, row=index, old_code=code, **fields))
    return operations, unchanged, errors


def simulate(directory: Mapping[str, Agency], operations: list[Operation], at: datetime) -> PlanOutcome:
    """Run ``operations`` at ``at`` against ``directory`` (every agency's current version, closed ones
    included) without changing it; see the module docstring."""
    simulation = _Simulation(directory, at)
    simulation.run([_normalised(op) for op in operations])
    return simulation.outcome(len(operations))


def _normalised(op: Operation) -> Operation:
    """Trimmed codes and NFC text, whichever way the operation was built."""
    return replace(op, old_code=op.old_code.strip(), new_code=op.new_code.strip(), name=nfc(op.name).strip(),
                   short_name=nfc(op.short_name).strip(), parent_code=op.parent_code.strip(),
                   level=op.level.strip(), kind=op.kind.strip())


@dataclass
class _Simulation:
    before: Mapping[str, Agency]
    at: datetime
    state: dict[str, Agency] = field(init=False)
    touched: dict[str, int] = field(default_factory=dict)  # code -> last row that changed it
    created: dict[str, int] = field(default_factory=dict)
    closed: dict[str, int] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)
    events: list[DirectoryEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.state = dict(self.before)
        self._children: dict[str, set[str]] | None = None

    # -- helpers ----------------------------------------------------------------------------------------------
    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(FieldError(f"rows[{row}].{column}", message))

    def code(self, op: Operation, column: str, *, required: bool = True) -> str | None:
        value = getattr(op, column)
        if not value:
            if required:
                self.error(op.row, column, f"required for {op.action}")
            return None
        problem = code_problem(value)
        if problem:
            self.error(op.row, column, f"{value!r}: {problem}")
            return None
        return value

    def active(self, op: Operation, column: str, code: str | None) -> Agency | None:
        if code is None:
            return None
        agency = self.state.get(code)
        if agency is None:
            self.error(op.row, column, f"unknown agency {code}")
            return None
        if code in self.closed:
            self.error(op.row, column,
                       f"{code} is already closed by row {self.closed[code]}: two successors for one code")
            return None
        if not agency.active:
            self.error(op.row, column, f"agency {code} is {agency.status}: closed agencies cannot change")
            return None
        return agency

    def new_code(self, op: Operation, column: str) -> str | None:
        code = self.code(op, column)
        if code is None:
            return None
        if code in self.created:
            self.error(op.row, column, f"duplicate code {code}: also created by row {self.created[code]}")
            return None
        existing = self.state.get(code)
        if existing is not None:
            reason = ("already exists" if existing.active
                      else f"was {existing.status}: closed codes are never reused")
            self.error(op.row, column, f"agency {code} {reason}")
            return None
        return code

    def put(self, agency: Agency, row: int) -> None:
        old = self.state.get(agency.code)
        if old is not None and old.valid_from is not None and old.valid_from > self.at and \
                agency.code not in self.touched:
            self.error(row, "effective_at", f"the effective time precedes the current version of {agency.code} "
                                            f"(valid from {old.valid_from.isoformat()})")
        if old is not None and old.parent_code != agency.parent_code and self._children is not None:
            self._children.get(old.parent_code or "", set()).discard(agency.code)
            self._children.setdefault(agency.parent_code or "", set()).add(agency.code)
        self.state[agency.code] = agency
        self.touched[agency.code] = row

    def children_of(self, code: str) -> list[str]:
        if self._children is None:
            self._children = {}
            for a in self.state.values():
                self._children.setdefault(a.parent_code or "", set()).add(a.code)
        return sorted(c for c in self._children.get(code, ()) if self.state[c].active)

    def move_children(self, old_parent: str, new_parent: str, row: int) -> list[str]:
        moved = self.children_of(old_parent)
        for child in moved:
            self.put(replace(self.state[child], parent_code=new_parent), row)
        return moved

    def close(self, agency: Agency, status: str, successor: str | None, row: int) -> None:
        self.put(agency.closed(status, successor), row)
        self.closed[agency.code] = row

    def create(self, op: Operation, code: str, *, parent: str | None) -> Agency | None:
        problems = agency_problems(code=code, name=op.name, parent_code=parent, level=op.level,
                                   prefix=f"rows[{op.row}].")
        if problems:
            self.errors.extend(problems)
            return None
        agency = Agency.new(code=code, name=op.name, parent_code=parent, level=op.level, kind=op.kind,
                            short_name=op.short_name, contact=op.contact, served_by=op.served_by or "")
        self.put(agency, op.row)
        self.created[code] = op.row
        return agency

    # -- operations -------------------------------------------------------------------------------------------
    def run(self, operations: list[Operation]) -> None:
        merges: dict[str, list[Operation]] = {}
        splits: dict[str, list[Operation]] = {}
        for op in operations:
            if op.action == MERGE:
                merges.setdefault(op.new_code, []).append(op)
            elif op.action == SPLIT_ACTION:
                splits.setdefault(op.old_code, []).append(op)
        done: set[tuple[str, str]] = set()
        for op in operations:
            if op.action == MERGE:
                if (MERGE, op.new_code) not in done:
                    done.add((MERGE, op.new_code))
                    self.merge(merges[op.new_code])
            elif op.action == SPLIT_ACTION:
                if (SPLIT_ACTION, op.old_code) not in done:
                    done.add((SPLIT_ACTION, op.old_code))
                    self.split(splits[op.old_code])
            else:
                getattr(self, f"op_{op.action}")(op)
        self.check_final_state()

    def op_create(self, op: Operation) -> None:
        code = self.new_code(op, "new_code")
        if code is None:
            return
        parent = self.code(op, "parent_code", required=False)
        agency = self.create(op, code, parent=parent)
        if agency:
            self.events.append(DirectoryEvent("AgencyCreated", code, {
                "code": code, "name": agency.name, "parent_code": agency.parent_code or "",
                "level": agency.level, "short_name": agency.short_name, "kind": agency.kind}))

    def op_update(self, op: Operation) -> None:
        agency = self.active(op, "old_code", self.code(op, "old_code"))
        if agency is None:
            return
        updated = replace(agency, name=op.name, short_name=op.short_name, parent_code=op.parent_code or None,
                          level=op.level, kind=op.kind, contact=op.contact or agency.contact,
                          served_by=agency.served_by if op.served_by is None else op.served_by)
        self.put(updated, op.row)
        self.events.append(DirectoryEvent("AgencyUpdated", agency.code, {"agency": updated}))

    def op_rename(self, op: Operation) -> None:
        agency = self.active(op, "old_code", self.code(op, "old_code"))
        if agency is None:
            return
        if not op.name and not op.short_name:
            self.error(op.row, "name", "a rename needs a new name or short name")
            return
        name = op.name or agency.name
        short_name = op.short_name or agency.short_name
        if name == agency.name and short_name == agency.short_name:
            self.error(op.row, "name", f"the rename of {agency.code} changes nothing")
            return
        self.put(replace(agency, name=name, short_name=short_name), op.row)
        self.events.append(DirectoryEvent("AgencyRenamed", agency.code, {
            "code": agency.code, "old_name": agency.name, "new_name": name,
            "old_short_name": agency.short_name, "new_short_name": short_name}))

    def op_move(self, op: Operation) -> None:
        agency = self.active(op, "old_code", self.code(op, "old_code"))
        parent = self.code(op, "parent_code")
        if agency is None or parent is None:
            return
        if parent == agency.code:
            self.error(op.row, "parent_code", "an agency cannot be its own parent")
            return
        if parent == agency.parent_code:
            self.error(op.row, "parent_code", f"{agency.code} is already under {parent}: the move changes nothing")
            return
        self.put(replace(agency, parent_code=parent), op.row)
        self.events.append(DirectoryEvent("AgencyMoved", agency.code, {
            "code": agency.code, "old_parent_code": agency.parent_code or "", "new_parent_code": parent}))

    def merge(self, ops: list[Operation]) -> None:
        first = ops[0]
        successor_code = self.code(first, "new_code")
        sources: list[Agency] = []
        for op in ops:
            source = self.active(op, "old_code", self.code(op, "old_code"))
            if source is None:
                continue
            if source.code == successor_code:
                self.error(op.row, "old_code", f"{source.code} cannot be merged into itself")
                continue
            if any(s.code == source.code for s in sources):
                self.error(op.row, "old_code", f"{source.code} is listed twice in the merge into {successor_code}")
                continue
            sources.append(source)
        if successor_code is None:
            return
        created = False
        if successor_code not in self.state:
            described = next((op for op in ops if op.name), None)
            if described is None:
                self.error(first.row, "name", f"the new successor {successor_code} needs a name and a level")
                return
            parent = self.code(described, "parent_code", required=False) or (
                sources[0].parent_code if sources else None)
            if self.create(described, successor_code, parent=parent) is None:
                return
            created = True
        elif successor_code in self.closed or not self.state[successor_code].active:
            self.error(first.row, "new_code",
                       f"successor {successor_code} is {self.state[successor_code].status} at the effective time")
            return
        if not sources or len(sources) != len(ops):
            return
        moved: list[str] = []
        for source in sources:
            self.close(source, MERGED, successor_code, first.row)
            moved += self.move_children(source.code, successor_code, first.row)
        self.events.append(DirectoryEvent("AgenciesMerged", successor_code, {
            "merged_codes": [s.code for s in sources], "successor_code": successor_code,
            "successor_created": created, "moved_children": moved, "successor": self.state[successor_code]}))

    def split(self, ops: list[Operation]) -> None:
        first = ops[0]
        agency = self.active(first, "old_code", self.code(first, "old_code"))
        if agency is None:
            return
        if len(ops) < 2:
            self.error(first.row, "new_code", f"a split of {agency.code} needs at least two successors")
            return
        takers = [op for op in ops if op.takes_incoming]
        if len(takers) != 1:
            self.error(first.row, "takes_incoming",
                       f"name exactly one successor of {agency.code} that takes incoming documents "
                       f"({len(takers)} named)")
        successors, created = [], []
        for op in ops:
            code = self.code(op, "new_code")
            if code is None:
                continue
            if code == agency.code or code in successors:
                self.error(op.row, "new_code", f"{code} is listed twice or is the split agency itself")
                continue
            if code in self.state:
                if self.active(op, "new_code", code) is None:
                    continue
            else:
                parent = self.code(op, "parent_code", required=False) or agency.parent_code
                if self.create(op, code, parent=parent) is None:
                    continue
                created.append(code)
            successors.append(code)
        if len(takers) != 1 or len(successors) != len(ops):
            return
        taker = takers[0].new_code
        self.close(agency, SPLIT, taker, first.row)
        moved = self.move_children(agency.code, taker, first.row)
        self.events.append(DirectoryEvent("AgencySplit", agency.code, {
            "code": agency.code, "successor_codes": successors, "takes_incoming_code": taker,
            "created_codes": created, "moved_children": moved}))

    def op_dissolve(self, op: Operation) -> None:
        agency = self.active(op, "old_code", self.code(op, "old_code"))
        successor = self.code(op, "new_code", required=False)
        if agency is None:
            return
        if successor == agency.code:
            self.error(op.row, "new_code", "an agency cannot succeed itself")
            return
        if successor is not None and successor not in self.state:
            self.error(op.row, "new_code", f"unknown successor {successor}")
            return
        self.close(agency, DISSOLVED, successor, op.row)
        moved = self.move_children(agency.code, successor, op.row) if successor else []
        self.events.append(DirectoryEvent("AgencyDissolved", agency.code, {
            "code": agency.code, "successor_code": successor or "", "moved_children": moved}))

    def op_change_code(self, op: Operation) -> None:
        agency = self.active(op, "old_code", self.code(op, "old_code"))
        new_code = self.new_code(op, "new_code")
        if agency is None or new_code is None:
            return
        renamed = replace(agency, code=new_code, name=op.name or agency.name,
                          short_name=op.short_name or agency.short_name, valid_from=None, valid_to=None)
        self.put(renamed, op.row)
        self.created[new_code] = op.row
        self.close(agency, RENUMBERED, new_code, op.row)
        moved = self.move_children(agency.code, new_code, op.row)
        self.events.append(DirectoryEvent("AgencyCodeChanged", agency.code, {
            "old_code": agency.code, "new_code": new_code, "moved_children": moved, "agency": renamed}))

    # -- whole-plan checks ------------------------------------------------------------------------------------
    def check_final_state(self) -> None:
        for code, row in self.closed.items():
            successor = self.state[code].successor_code
            if successor and successor in self.state and not self.state[successor].active:
                self.error(row, "new_code", f"successor {successor} of {code} is itself "
                                            f"{self.state[successor].status} at the effective time")
        for code in self.state:
            agency = self.state[code]
            if not agency.active or not agency.parent_code:
                continue
            if code not in self.touched and agency.parent_code not in self.touched:
                continue
            row = self.touched.get(code) or self.touched.get(agency.parent_code, 0)
            parent = self.state.get(agency.parent_code)
            if parent is None:
                self.error(row, "parent_code", f"parent {agency.parent_code} of {code} is unknown")
            elif not parent.active:
                self.error(row, "parent_code",
                           f"parent {agency.parent_code} of {code} is {parent.status} at the effective time")
        reported: set[str] = set()
        for code in self.touched:
            seen = [code]
            current = self.state[code].parent_code
            while current and current in self.state and len(seen) <= len(self.state):
                if current == code:
                    if not reported & set(seen):
                        self.error(self.touched[code], "parent_code",
                                   "cycle in the hierarchy: " + " -> ".join([*seen, code]))
                    reported.update(seen)
                    break
                seen.append(current)
                current = self.state[current].parent_code

    def outcome(self, operations: int) -> PlanOutcome:
        diff = []
        for code in self.touched:
            before = self.before.get(code)
            after = self.state[code]
            change = "created" if before is None else ("closed" if before.active and not after.active
                                                        else "updated")
            diff.append({"code": code, "change": change, "row": self.touched[code],
                         "before": before.describe() if before else None, "after": after.describe()})
        changed = {code: self.state[code] for code in self.touched}
        return PlanOutcome(changed=changed, events=self.events, diff=diff, errors=self.errors,
                           operations=operations)
