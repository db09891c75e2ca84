"""The recipient-group grammar the registry owns (``group:<name>`` and ``group:key=value,...``)."""

from __future__ import annotations

import pytest

from lienthong.platform.errors import InvalidInput
from lienthong.registry.domain.recipients import NAMED_GROUPS, GroupSpec, is_group, parse_group


def test_named_groups():
    assert parse_group("group:communes") == GroupSpec(text="group:communes", level="commune")
    assert parse_group(" GROUP:Departments ") == GroupSpec(text="GROUP:Departments", kind="department")
    assert set(NAMED_GROUPS) == {"communes", "districts", "departments", "province", "people-committees"}


def test_filter_groups():
    spec = parse_group("group:level=district,kind=people-committee")
    assert (spec.level, spec.kind, spec.parent) == ("district", "people-committee", "")
    assert parse_group("group:parent=000.00.00.H99").parent == "000.00.00.H99"


def test_codes_are_not_groups():
    assert is_group("group:communes") and is_group(" Group:x") and not is_group("000.00.11.H99")


@pytest.mark.parametrize("text", ["group:", "group:everyone", "group:level=", "group:colour=red",
                                  "group:level=commune,level=district", "group:level", "group:parent=not-a-code"])
def test_bad_groups_are_refused_with_the_field(text):
    with pytest.raises(InvalidInput) as caught:
        parse_group(text, "recipient_codes[3]")
    assert caught.value.errors[0].path == "recipient_codes[3]"
