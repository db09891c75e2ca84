"""The versioned directory on SQLite and PostgreSQL: as-of reads, search, lifecycle, plans, import/export."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from lienthong.platform import clock
from lienthong.platform.errors import InvalidInput, NotFound
from lienthong.platform.messaging.tables import outbox_events
from lienthong.registry.adapters.tables import agency_versions
from lienthong.registry.entrypoints.cli import sample_agencies

FINANCE, HOME, HEALTH = "000.00.11.H99", "000.00.12.H99", "000.00.13.H99"
HOA_BINH, THANG_LOI, TAN_PHU = "000.00.51.H99", "000.00.52.H99", "000.00.31.H99"


def counts(registry) -> tuple[int, int]:
    with registry.database.engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(agency_versions)).scalar_one(),
                conn.execute(select(func.count()).select_from(outbox_events)).scalar_one())


def test_sample_is_loaded_once_with_known_codes(registry) -> None:
    assert len(sample_agencies()) > 1800
    assert registry.directory.get(HOME).name == "Sở Nội vụ tỉnh Mẫu"
    assert registry.directory.get("000.01.11.H99").name == "Phòng Ngân sách, Sở Tài chính tỉnh Mẫu"
    before = counts(registry)
    assert registry.import_agencies(sample_agencies()) == 0
    assert counts(registry) == before
    communes, token = registry.directory.list(level="commune", page_size=60)
    rest, last = registry.directory.list(level="commune", page_size=60, page_token=token)
    assert len(communes) + len(rest) == 100 and token and not last


def test_rename_is_versioned_and_readable_as_of(registry) -> None:
    t1 = clock.now()
    decomposed = unicodedata.normalize("NFD", "Sở Nội vụ và Lao động tỉnh Mẫu")
    renamed = registry.directory.rename(actor="t", code=HOME, name=decomposed)
    assert renamed.name == unicodedata.normalize("NFC", decomposed)
    assert registry.directory.get(HOME, t1 - timedelta(seconds=1)).name == "Sở Nội vụ tỉnh Mẫu"
    assert registry.directory.get(HOME).name == renamed.name
    assert [v.name for v in registry.directory.history(HOME)] == ["Sở Nội vụ tỉnh Mẫu", renamed.name]
    with pytest.raises(InvalidInput, match="not valid"):
        registry.directory.rename(actor="t", code=HOME, name=renamed.name)  # changes nothing
    with pytest.raises(NotFound):
        registry.directory.get(HOME, datetime(2020, 1, 1, tzinfo=clock.VN_TZ))


def test_search_ignores_diacritics_and_case(registry) -> None:
    names = [a.name for a in registry.directory.search("SO tai CHINH")]
    assert names[0] == "Sở Tài chính tỉnh Mẫu"
    assert any(a.code == HOA_BINH for a in registry.directory.search("uy ban nhan dan xa hoa binh"))
    assert registry.directory.search("dao tao")[0].code == "000.00.14.H99"  # đ folds to d


def test_merge_resolves_to_successor_now_and_not_before(registry) -> None:
    before = clock.now()
    registry.directory.merge(actor="t", codes=[THANG_LOI, TAN_PHU], successor_code=HOA_BINH)
    res = registry.directory.resolve(THANG_LOI)
    assert res.agency.code == HOA_BINH and res.chain == [THANG_LOI, HOA_BINH]
    assert res.steps[0].change == "merge"
    assert registry.directory.resolve(THANG_LOI, before - timedelta(seconds=1)).agency.code == THANG_LOI
    units, _ = registry.directory.list(parent_code=HOA_BINH, page_size=100)
    assert len(units) == 27  # its own 9 units and the 9 of each merged commune


def test_invalid_plan_changes_nothing_and_lists_every_error(registry) -> None:
    before = counts(registry)
    rows = [{"action": "rename", "old_code": FINANCE, "name": "Sở Tài chính (mới)"},
            {"action": "merge", "old_code": HEALTH, "new_code": "000.00.99.H99"},  # new successor without name
            {"action": "move", "old_code": "000.00.00.H99", "parent_code": "000.01.11.H99"},  # cycle
            {"action": "dissolve", "old_code": "000.00.12.h99"}]  # malformed
    dry = registry.directory.submit_plan(rows, effective_at=clock.now(), actor="t", dry_run=True)
    assert len(dry.outcome.errors) == 3 and dry.plan_id is None
    with pytest.raises(InvalidInput) as exc:
        registry.directory.submit_plan(rows, effective_at=clock.now(), actor="t")
    assert len(exc.value.errors) == 3
    assert counts(registry) == before
    assert registry.directory.get(FINANCE).name == "Sở Tài chính tỉnh Mẫu"


def test_future_plan_is_stored_then_applied_when_due(registry) -> None:
    when = clock.now() + timedelta(days=30)
    rows = [{"action": "split", "old_code": HEALTH, "new_code": "H99.500", "name": "Sở Y tế", "level":
             "province", "takes_incoming": "yes"},
            {"action": "split", "old_code": HEALTH, "new_code": "H99.501", "name": "Sở Dân số",
             "level": "province"}]
    result = registry.directory.submit_plan(rows, effective_at=when, actor="t")
    assert result.status == "pending"
    assert registry.directory.get(HEALTH).active
    assert registry.directory.apply_due_plans(clock.now()) == 0
    assert registry.directory.apply_due_plans(when + timedelta(seconds=1)) == 1
    assert registry.directory.get(HEALTH).status == "split"
    assert registry.directory.resolve(HEALTH).agency.code == HEALTH  # now is still before the split
    assert registry.directory.resolve(HEALTH, when).agency.code == "H99.500"
    assert registry.directory.plan(result.plan_id).status == "applied"


def test_import_update_and_export_round_trip(registry) -> None:
    exported = registry.directory.export()
    assert len(exported) == len(sample_agencies())
    changed = [dict(r) for r in exported]
    changed[1]["name"] = "Tên mới"
    dry = registry.directory.import_rows(changed, actor="t", dry_run=True)
    assert (dry.added, dry.updated) == (0, 1) and dry.diff[0]["after"]["name"] == "Tên mới"
    assert registry.directory.get(changed[1]["code"]).name != "Tên mới"
    done = registry.directory.import_rows(changed, actor="t")
    assert done.updated == 1 and registry.directory.get(changed[1]["code"]).name == "Tên mới"
    assert registry.directory.import_rows(changed, actor="t").updated == 0  # idempotent
    with pytest.raises(InvalidInput, match="not valid"):
        registry.directory.import_rows([changed[0], changed[0]], actor="t")
    intact, entries, _ = registry.audit.verify()
    assert intact and entries >= 2


def test_each_lifecycle_command_emits_one_event(registry) -> None:
    def types_after(action) -> list[str]:
        with registry.database.engine.connect() as conn:
            last = conn.execute(select(func.max(outbox_events.c.seq))).scalar_one()
        action()
        with registry.database.engine.connect() as conn:
            return [t.rsplit(".", 1)[1] for t in conn.execute(
                select(outbox_events.c.event_type).where(outbox_events.c.seq > last)).scalars()]

    d = registry.directory
    assert types_after(lambda: d.create(actor="t", code="H99.500", name="Sở Mới", parent_code=None,
                                        level="province", kind="department")) == ["AgencyCreated"]
    assert types_after(lambda: d.move(actor="t", code="H99.500", parent_code="000.00.00.H99")) == \
        ["AgencyMoved"]
    assert types_after(lambda: d.change_code(actor="t", code="H99.500", new_code="H99.501")) == \
        ["AgencyCodeChanged"]
    assert d.resolve("H99.500").steps[0].change == "change_code"
    assert types_after(lambda: d.dissolve(actor="t", code="H99.501")) == ["AgencyDissolved"]
    with pytest.raises(NotFound, match="no successor"):
        d.resolve("H99.500")
    with pytest.raises(InvalidInput):  # a dissolved code is never reused
        d.create(actor="t", code="H99.501", name="Lại", parent_code=None, level="province")
