"""The delivery state machine and the status vocabulary."""

from __future__ import annotations

from datetime import datetime

import pytest

from lienthong.platform import clock
from lienthong.platform.errors import IllegalState, InvalidInput
from lienthong.routing.domain.delivery import Delivery, normalise_status_code

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=clock.VN_TZ)


def available() -> Delivery:
    return Delivery(id="d1", document_id="doc", sender_code="000.00.11.H99", recipient_code="000.00.12.H99",
                    addressed_code="000.00.12.H99", state="available", status_code="", created_at=T0, updated_at=T0)


def test_acknowledge_is_idempotent():
    acked = available().acknowledge(T0)
    assert acked.state == "acknowledged"
    assert acked.acknowledge(T0) is acked


def test_processing_statuses_follow_acknowledgement():
    with pytest.raises(IllegalState):
        available().report("03", "", T0)
    d = available().report("1", "", T0)  # "1" is accepted for "01" and acknowledges
    assert (d.state, d.status_code) == ("received", "01")
    d = d.report("03", "", T0).report("05", "", T0).report("06", "", T0)
    assert d.state == "done"
    with pytest.raises(IllegalState):
        d.report("05", "", T0)


def test_rejection_needs_a_reason_and_ends_the_delivery():
    acked = available().acknowledge(T0)
    with pytest.raises(InvalidInput):
        acked.report("02", "  ", T0)
    rejected = acked.report("02", "Sai thẩm quyền", T0)
    with pytest.raises(IllegalState):
        rejected.report("03", "", T0)


def test_statuses_do_not_go_back():
    d = available().acknowledge(T0).report("05", "", T0)
    with pytest.raises(IllegalState):
        d.report("03", "", T0)


@pytest.mark.parametrize("code", ["13", "99", "", "7", "abc"])
def test_unknown_codes_are_refused(code):
    with pytest.raises(InvalidInput):
        normalise_status_code(code)
