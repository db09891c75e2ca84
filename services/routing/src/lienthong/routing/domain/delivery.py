"""Deliveries and their state machine; statuses in the edXML status-code vocabulary (edxml.md §7-8).

A delivery is one document to one receiving agency. Its ``state`` moves along::

    queued ──► available (in the recipient's inbox, pull)
       │           ▲  └──► queued (an operator re-drives a dead-lettered push)
       └──► pushed (the recipient system's endpoint took the POST)
    available | pushed ──► acknowledged (the recipient's system took the package)
    acknowledged ──► received 01 ──► accepted 03 ──► assigned 04 ──► in-progress 05 ──► done 06
                 └──► rejected 02 (reason required; from acknowledged or received only)
    any non-final state ──► recalled | updated | replaced (the recipient agreed, 15, to the sender's
                            recall 13, or to an update / replacement of the document)

A processing status may skip ahead (03 straight after the acknowledgement) and may repeat
(a later 05), never go back. 01 reported on an available or pushed delivery also acknowledges
it. ``rejected``, ``done``, ``recalled``, ``updated``, ``replaced`` and ``undeliverable`` are final.

Recall, update and replacement are *requests* to each recipient, answered 15 (agree) or 16
(refuse, reason required); at most one request per delivery is pending at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from lienthong.platform.errors import FieldError, IllegalState, InvalidInput

PROCESSING = {
    "01": "received",      # Đã đến
    "02": "rejected",      # Từ chối tiếp nhận (reason required)
    "03": "accepted",      # Đã tiếp nhận
    "04": "assigned",      # Phân công
    "05": "in-progress",   # Đang xử lý
    "06": "done",          # Hoàn thành
}
"""Processing statuses a recipient reports (QCVN 102 status codes) and the state each one sets."""
STATUS_NAMES = PROCESSING  # the name the walking skeleton exported
RECALL = "13"   # Lấy lại: the sender asks to take a document back
AGREE = "15"    # Đồng ý cập nhật/lấy lại/thu hồi
REFUSE = "16"   # Từ chối cập nhật/lấy lại/thu hồi
STATUS_CODES = (*PROCESSING, RECALL, AGREE, REFUSE)
"""Every code stored on a timeline (edxml.md §7.1)."""

QUEUED, AVAILABLE, PUSHED, ACKNOWLEDGED, UNDELIVERABLE = (
    "queued", "available", "pushed", "acknowledged", "undeliverable")
REQUEST_KINDS = {"recall": "recalled", "update": "updated", "replace": "replaced"}
"""What a sender may ask of a recipient, and the state the delivery takes when the recipient agrees."""
WITHDRAWN = frozenset(REQUEST_KINDS.values())
"""States of a copy that left the recipient's inbox (it stays in the archive)."""
FINAL = frozenset({"rejected", "done", UNDELIVERABLE, *WITHDRAWN})
STATES = (QUEUED, AVAILABLE, PUSHED, ACKNOWLEDGED, *PROCESSING.values(), UNDELIVERABLE, *WITHDRAWN)
_RANK = {code: int(code) for code in PROCESSING}


def normalise_status_code(code: str, allowed: tuple[str, ...] = tuple(PROCESSING)) -> str:
    """``1``..``6`` are accepted for ``01``..``06`` (a real axis emits them); anything else must be listed."""
    code = code.strip()
    if code.isdigit() and len(code) == 1:
        code = "0" + code
    if code not in allowed:
        raise InvalidInput(f"unknown status code {code!r}",
                           errors=[FieldError("status_code", "expected one of " + ", ".join(allowed))])
    return code


@dataclass(frozen=True)
class StatusEntry:
    """One entry of a delivery's timeline: a status code, who reported it, when."""

    status_code: str
    description: str
    reported_at: datetime
    reported_by: str


@dataclass(frozen=True)
class ChangeRequest:
    """A sender's recall, update or replacement request to one recipient, and its answer."""

    id: str
    delivery_id: str
    kind: str                   # recall, update, replace
    requested_by: str
    requested_at: datetime
    reason: str
    related_document_id: str    # update/replace: the new document
    outcome: str = ""           # "" pending, "15" agreed, "16" refused
    answer_reason: str = ""
    answered_at: datetime | None = None

    @property
    def pending(self) -> bool:
        return not self.outcome

    def answer(self, code: str, reason: str, at: datetime) -> ChangeRequest:
        """The recipient agrees (15) or refuses (16, reason required)."""
        if not self.pending:
            raise IllegalState(f"the {self.kind} request {self.id} was already answered {self.outcome}")
        if code == REFUSE and not reason.strip():
            raise InvalidInput("a refusal (16) must give its reason",
                               errors=[FieldError("description", "required for status 16")])
        return replace(self, outcome=code, answer_reason=reason.strip(), answered_at=at)


@dataclass(frozen=True)
class Delivery:
    """One document to one recipient (see the module docstring for the state machine)."""

    id: str
    document_id: str
    sender_code: str
    recipient_code: str
    addressed_code: str
    state: str
    status_code: str
    created_at: datetime
    updated_at: datetime
    channel: str = "inbox"          # inbox, push, upstream
    via_group: str = ""             # the recipient group that named this recipient, if any
    succession: tuple[str, ...] = ()  # codes followed from addressed_code to recipient_code
    note: str = ""                  # why a delivery is undeliverable
    lease_until: datetime | None = None
    lease_holder: str = ""

    @property
    def final(self) -> bool:
        return self.state in FINAL

    def _moved(self, state: str, at: datetime, **changes: object) -> Delivery:
        return replace(self, state=state, updated_at=at, **changes)  # type: ignore[arg-type]

    def make_available(self, at: datetime) -> Delivery:
        """queued → available: in the recipient's inbox for pull (also the fallback of a dead push)."""
        if self.state != QUEUED:
            raise IllegalState(f"delivery {self.id} is {self.state}: only a queued delivery becomes available")
        return self._moved(AVAILABLE, at)

    def mark_pushed(self, at: datetime) -> Delivery:
        """queued → pushed: the recipient system's endpoint accepted the POST."""
        if self.state != QUEUED:
            raise IllegalState(f"delivery {self.id} is {self.state}: only a queued delivery can be pushed")
        return self._moved(PUSHED, at)

    def requeue(self, at: datetime) -> Delivery:
        """available → queued: an operator re-drives a dead-lettered push the recipient has not taken yet."""
        if self.state != AVAILABLE:
            raise IllegalState(f"delivery {self.id} is {self.state}: only a delivery still waiting in the "
                               f"inbox can be pushed again")
        return self._moved(QUEUED, at, lease_until=None, lease_holder="")

    def lease(self, holder: str, until: datetime) -> Delivery:
        """Offer the delivery to one poller until ``until`` (the others do not see it as new meanwhile)."""
        if self.state != AVAILABLE:
            raise IllegalState(f"delivery {self.id} is {self.state}: only an available delivery can be leased")
        return replace(self, lease_until=until, lease_holder=holder)

    def acknowledge(self, at: datetime) -> Delivery:
        """The recipient's system took the package; acknowledging again changes nothing."""
        if self.state in (AVAILABLE, PUSHED):
            return self._moved(ACKNOWLEDGED, at, lease_until=None, lease_holder="")
        if self.state == QUEUED:
            raise IllegalState(f"delivery {self.id} is still queued: there is nothing to acknowledge yet")
        if self.state in (UNDELIVERABLE, *WITHDRAWN):
            raise IllegalState(f"delivery {self.id} is {self.state}: it cannot be acknowledged")
        return self

    def report(self, code: str, description: str, at: datetime) -> Delivery:
        """Record a processing status (01-06) reported by the recipient."""
        code = normalise_status_code(code)
        if code == "02" and not description.strip():
            raise InvalidInput("a refusal (02) must give its reason",
                               errors=[FieldError("description", "required for status 02")])
        if self.final:
            raise IllegalState(f"delivery {self.id} is already {self.state}: no status may follow")
        if self.state == QUEUED:
            raise IllegalState(f"delivery {self.id} is still queued: the recipient has not got it yet")
        if self.state in (AVAILABLE, PUSHED) and code != "01":
            raise IllegalState(f"delivery {self.id} must be acknowledged (or reported 01) before status {code}")
        if code == "02" and self.status_code not in ("", "01"):
            raise IllegalState(f"delivery {self.id} is {self.state}: it can no longer be rejected (02)")
        if self.status_code and _RANK[code] < _RANK[self.status_code]:
            raise IllegalState(f"delivery {self.id} is {self.state}: it cannot go back to {PROCESSING[code]}")
        return self._moved(PROCESSING[code], at, status_code=code, lease_until=None, lease_holder="")

    def request(self, kind: str) -> None:
        """Check that the sender may ask this recipient to accept a recall, update or replacement."""
        if kind not in REQUEST_KINDS:
            raise InvalidInput(f"unknown request kind {kind!r}")
        if self.state == "done":
            raise IllegalState(f"the recipient {self.recipient_code} has finished handling the document (06): "
                               f"it can no longer be {REQUEST_KINDS[kind]}")
        if self.final:
            raise IllegalState(f"delivery {self.id} to {self.recipient_code} is {self.state}: "
                               f"there is nothing left to {kind}")

    def agree(self, request: ChangeRequest, at: datetime) -> Delivery:
        """The recipient agreed (15): its copy leaves the inbox (the archive keeps it)."""
        return self._moved(REQUEST_KINDS[request.kind], at, status_code=AGREE, lease_until=None, lease_holder="")

    def undeliverable(self, note: str, at: datetime) -> Delivery:
        """queued → undeliverable: the addressed code resolves to no agency that can receive."""
        if self.state != QUEUED:
            raise IllegalState(f"delivery {self.id} is {self.state}: it was already delivered")
        return self._moved(UNDELIVERABLE, at, note=note)
