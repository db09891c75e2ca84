"""The delivery state machine and the status vocabulary."""

from __future__ import annotations

from datetime import datetime

import pytest

from lienthong.platform import clock
from lienthong.platform.errors import IllegalState, InvalidInput
from lienthong.routing.domain.delivery import STATUS_CODES, ChangeRequest, Delivery, normalise_status_code

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


def queued() -> Delivery:
    return Delivery(id="d2", document_id="doc", sender_code="000.00.11.H99", recipient_code="000.00.12.H99",
                    addressed_code="000.00.12.H99", state="queued", status_code="", created_at=T0, updated_at=T0,
                    channel="push")


def test_queued_becomes_available_or_pushed_once():
    assert queued().make_available(T0).state == "available"
    assert queued().mark_pushed(T0).state == "pushed"
    with pytest.raises(IllegalState):
        queued().mark_pushed(T0).make_available(T0)
    with pytest.raises(IllegalState):
        available().mark_pushed(T0)


def test_nothing_is_acknowledged_or_reported_while_queued():
    with pytest.raises(IllegalState):
        queued().acknowledge(T0)
    with pytest.raises(IllegalState):
        queued().report("01", "", T0)


def test_a_pushed_delivery_is_acknowledged_by_01():
    d = queued().mark_pushed(T0).report("01", "", T0)
    assert (d.state, d.status_code) == ("received", "01")


def test_rejection_only_before_acceptance():
    accepted = available().acknowledge(T0).report("03", "", T0)
    with pytest.raises(IllegalState):
        accepted.report("02", "Sai thẩm quyền", T0)
    assert available().acknowledge(T0).report("01", "", T0).report("02", "Sai", T0).state == "rejected"


def test_a_status_may_repeat_but_not_go_back():
    d = available().acknowledge(T0).report("05", "", T0).report("05", "vẫn đang xử lý", T0)
    assert d.state == "in-progress"


def test_redrive_only_from_the_inbox_before_acknowledgement():
    assert available().requeue(T0).state == "queued"
    with pytest.raises(IllegalState):
        available().acknowledge(T0).requeue(T0)


def test_a_lease_is_only_on_an_available_delivery():
    leased = available().lease("poller-1", T0)
    assert leased.lease_holder == "poller-1" and leased.lease_until == T0
    assert leased.acknowledge(T0).lease_holder == ""
    with pytest.raises(IllegalState):
        available().acknowledge(T0).lease("poller-1", T0)


def _request(kind: str = "recall") -> ChangeRequest:
    return ChangeRequest(id="r1", delivery_id="d1", kind=kind, requested_by="000.00.11.H99", requested_at=T0,
                         reason="Thu hồi", related_document_id="")


def test_recall_agreed_withdraws_the_copy_and_ends_it():
    d = available().acknowledge(T0).report("03", "", T0)
    d.request("recall")
    answered = _request().answer("15", "", T0)
    withdrawn = d.agree(answered, T0)
    assert (withdrawn.state, withdrawn.status_code, withdrawn.final) == ("recalled", "15", True)
    with pytest.raises(IllegalState):
        withdrawn.report("05", "", T0)
    with pytest.raises(IllegalState):
        withdrawn.request("recall")
    assert available().agree(_request("replace"), T0).state == "replaced"


def test_a_refusal_needs_a_reason_and_a_request_is_answered_once():
    with pytest.raises(InvalidInput):
        _request().answer("16", " ", T0)
    refused = _request().answer("16", "Đã ban hành văn bản thực hiện", T0)
    assert not refused.pending and refused.outcome == "16"
    with pytest.raises(IllegalState):
        refused.answer("15", "", T0)


def test_a_document_done_cannot_be_recalled():
    done = available().acknowledge(T0).report("06", "", T0)
    with pytest.raises(IllegalState, match="06"):
        done.request("recall")
    with pytest.raises(InvalidInput):
        available().request("delete")


def test_edxml_codes_13_15_16_are_accepted_where_allowed():
    assert normalise_status_code("15", STATUS_CODES) == "15"
    with pytest.raises(InvalidInput):
        normalise_status_code("14", STATUS_CODES)
