"""The counting rules and who reads which counters (plain domain code)."""

from __future__ import annotations

import pytest

from lienthong.platform.errors import Forbidden, InvalidInput
from lienthong.reporting.domain.counts import (
    AgencyDelta,
    Increment,
    Tally,
    check_may_read_counts,
    check_operator,
    delivery_increments,
    deltas,
    submission_increments,
)


@pytest.mark.parametrize(("signed", "indication", "expected"), [
    (True, "TOTAL_PASSED", [Tally.SENT, Tally.SIGNED]),
    (True, "TOTAL_FAILED", [Tally.SENT]),
    (True, "INDETERMINATE", [Tally.SENT]),
    (False, "TOTAL_PASSED", [Tally.SENT]),
    (False, "", [Tally.SENT]),
])
def test_a_submission_counts_signed_only_when_the_signature_passed(signed, indication, expected):
    increments = submission_increments(" A ", signed=signed, indication=indication)
    assert increments == [Increment("A", t) for t in expected]


def test_counting_needs_an_agency():
    with pytest.raises(InvalidInput):
        submission_increments("  ", signed=False, indication="")
    with pytest.raises(InvalidInput):
        delivery_increments("")


def test_increments_are_grouped_per_agency_in_first_seen_order():
    grouped = deltas([Increment("B", Tally.RECEIVED), Increment("A", Tally.SENT), Increment("A", Tally.SIGNED),
                      Increment("B", Tally.RECEIVED)])
    assert grouped == [AgencyDelta("B", received=2), AgencyDelta("A", sent=1, signed=1)]


class Caller:
    def __init__(self, *agencies: str, operator: bool = False):
        self.agencies, self.is_operator = frozenset(agencies), operator


def test_an_agency_reads_its_own_counters_and_operators_read_all():
    check_may_read_counts("A", Caller("A"))
    check_may_read_counts("A", Caller(operator=True))
    check_operator(Caller(operator=True))
    with pytest.raises(Forbidden):
        check_may_read_counts("A", Caller("B"))
    with pytest.raises(Forbidden):
        check_operator(Caller("A"))
