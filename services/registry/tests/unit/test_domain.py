"""Domain rules of the registry: code grammar, folding, succession, plan validation (no I/O)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from lienthong.platform import clock
from lienthong.platform.errors import Conflict, InvalidInput, NotFound
from lienthong.registry.domain.agency import (
    DISSOLVED,
    MERGED,
    Agency,
    check_agency_code,
    code_problem,
    fold,
    parent_code_of,
)
from lienthong.registry.domain.identifier import SequenceReport, parse_identifier
from lienthong.registry.domain.plan import import_operations, parse_operations, simulate
from lienthong.registry.domain.succession import resolve

T0 = datetime(2025, 7, 1, tzinfo=clock.VN_TZ)
AT = datetime(2026, 1, 1, tzinfo=clock.VN_TZ)


def agency(code: str, parent: str | None = "000.00.00.H99", **kw: object) -> Agency:
    return Agency(code=code, name=kw.pop("name", f"Cơ quan {code}"), parent_code=parent,  # type: ignore[arg-type]
                  level=kw.pop("level", "province"), valid_from=T0, **kw)  # type: ignore[arg-type]


@pytest.fixture
def directory() -> dict[str, Agency]:
    rows = [agency("000.00.00.H99", None), agency("000.00.11.H99"), agency("000.00.12.H99"),
            agency("000.00.51.H99", level="commune"), agency("000.00.52.H99", level="commune"),
            agency("000.01.51.H99", "000.00.51.H99", level="unit"),
            agency("000.00.40.H99", status=DISSOLVED)]
    return {a.code: a for a in rows}


def test_code_grammar() -> None:
    assert code_problem("000.00.12.H99") is None
    assert code_problem("H99.201.01") is None  # QĐ 20/2020 form
    for bad in ("000.00.12.h99", "000.00.12.H99 ", "", "A" * 36, "000-00.12.H99", "000..12.H99"):
        assert code_problem(bad), bad
    with pytest.raises(InvalidInput):
        check_agency_code("not a code")
    assert parent_code_of("001.02.11.H99") == "000.02.11.H99"
    assert parent_code_of("000.02.11.H99") == "000.00.11.H99"
    assert parent_code_of("000.00.00.H99") is None


def test_fold_ignores_diacritics_case_and_d_bar() -> None:
    assert fold("Quyết Định") == "quyet dinh"
    assert fold("ĐẮK LẮK  Sở   Tài chính") == "dak lak so tai chinh"
    assert fold("Hòa") == fold("Hoà") == "hoa"  # NFC and legacy accent placement


def test_resolution_follows_succession_and_detects_loops() -> None:
    versions = {
        "A": agency("A", status=MERGED, successor_code="B"),
        "B": agency("B", status="renumbered", successor_code="C"),
        "C": agency("C"),
        "L1": agency("L1", status=MERGED, successor_code="L2"),
        "L2": agency("L2", status=MERGED, successor_code="L1"),
        "D": agency("D", status=DISSOLVED),
    }
    res = resolve("A", AT, lambda code, at: versions.get(code))
    assert res.agency.code == "C" and res.chain == ["A", "B", "C"]
    assert [(s.from_code, s.to_code, s.change) for s in res.steps] == [("A", "B", "merge"), ("B", "C", "change_code")]
    with pytest.raises(Conflict):
        resolve("L1", AT, lambda code, at: versions.get(code))
    with pytest.raises(NotFound):
        resolve("D", AT, lambda code, at: versions.get(code))
    with pytest.raises(NotFound):
        resolve("X", AT, lambda code, at: versions.get(code))


def plan(*rows: dict) -> list:
    operations, errors = parse_operations(rows)
    assert not errors
    return operations


def test_merge_into_new_successor_moves_children(directory: dict[str, Agency]) -> None:
    out = simulate(directory, plan(
        {"action": "merge", "old_code": "000.00.51.H99", "new_code": "000.00.60.H99", "name": "UBND xã Mới",
         "level": "commune", "kind": "people-committee"},
        {"action": "merge", "old_code": "000.00.52.H99", "new_code": "000.00.60.H99"}), AT)
    assert out.ok, out.errors
    assert out.changed["000.00.51.H99"].status == MERGED
    assert out.changed["000.00.51.H99"].successor_code == "000.00.60.H99"
    assert out.changed["000.01.51.H99"].parent_code == "000.00.60.H99"
    assert [e.type for e in out.events] == ["AgenciesMerged"]
    assert out.events[0].data["successor_created"] is True


def test_plan_reports_every_error_at_once(directory: dict[str, Agency]) -> None:
    out = simulate(directory, plan(
        {"action": "merge", "old_code": "000.00.51.H99", "new_code": "000.00.11.H99"},
        {"action": "dissolve", "old_code": "000.00.51.H99", "new_code": "000.00.12.H99"},  # two successors
        {"action": "rename", "old_code": "000.00.12.H99", "name": "Cơ quan 000.00.12.H99"},  # changes nothing
        {"action": "move", "old_code": "000.00.00.H99", "parent_code": "000.01.51.H99"},  # cycle
        {"action": "create", "new_code": "000.00.12.h99", "name": "x", "level": "province"},  # malformed
        {"action": "create", "new_code": "000.00.40.H99", "name": "x", "level": "province"},  # closed code reused
        {"action": "rename", "old_code": "000.00.77.H99", "name": "x"},  # unknown
        {"action": "dissolve", "old_code": "000.00.11.H99"},  # successor of the merge dissolved
    ), AT)
    messages = " | ".join(f"{e.path}: {e.message}" for e in out.errors)
    assert "two successors" in messages
    assert "changes nothing" in messages
    assert "cycle" in messages
    assert "rows[5].new_code" in messages
    assert "never reused" in messages
    assert "unknown agency 000.00.77.H99" in messages
    assert "successor 000.00.11.H99 of 000.00.51.H99 is itself dissolved" in messages


def test_split_needs_exactly_one_taker(directory: dict[str, Agency]) -> None:
    rows = [{"action": "split", "old_code": "000.00.51.H99", "new_code": "000.00.61.H99", "name": "A",
             "level": "commune"},
            {"action": "split", "old_code": "000.00.51.H99", "new_code": "000.00.62.H99", "name": "B",
             "level": "commune"}]
    out = simulate(directory, plan(*rows), AT)
    assert any("exactly one successor" in e.message for e in out.errors)
    rows[1]["takes_incoming"] = "true"
    out = simulate(directory, plan(*rows), AT)
    assert out.ok and out.changed["000.00.51.H99"].successor_code == "000.00.62.H99"
    assert out.changed["000.01.51.H99"].parent_code == "000.00.62.H99"


def test_effective_time_before_the_current_version_is_refused(directory: dict[str, Agency]) -> None:
    out = simulate(directory, plan({"action": "rename", "old_code": "000.00.11.H99", "name": "Mới"}),
                   T0 - timedelta(days=1))
    assert any("precedes" in e.message for e in out.errors)


def test_import_is_idempotent_and_refuses_duplicates(directory: dict[str, Agency]) -> None:
    same = [{"code": a.code, "name": a.name, "parent_code": a.parent_code, "level": a.level}
            for a in directory.values() if a.active]
    ops, unchanged, errors = import_operations(directory, same)
    assert ops == [] and unchanged == len(same) and not errors
    ops, _, errors = import_operations(directory, [same[1], same[1], {"code": "bad", "name": "", "level": ""}])
    paths = {e.path for e in errors}
    assert "rows[2].code" in paths and "rows[3].name" in paths and "rows[3].level" in paths


def test_identifiers_and_report() -> None:
    key = parse_identifier("000.00.12.H99-2026.15", "document_identifier")
    assert (key.agency_code, key.year, key.number) == ("000.00.12.H99", 2026, 15)
    for bad in ("000.00.12.H99-2026.0", "000.00.12.H99-26.1", "x-2026.1", ""):
        with pytest.raises(InvalidInput):
            parse_identifier(bad, "document_identifier")
    with pytest.raises(InvalidInput):
        parse_identifier("000.00.12.H99-2026.1", "nope")
    report = SequenceReport("A", "document_identifier", 2026, 3, 1, 1, [3], [])
    assert report.gapless and not report.closed
