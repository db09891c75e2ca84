"""Deliveries and their state machine; statuses in the edXML status-code vocabulary."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from lienthong.platform.errors import FieldError, IllegalState, InvalidInput

STATUS_NAMES = {
    "01": "received",      # Đã đến
    "02": "rejected",      # Từ chối tiếp nhận (reason required)
    "03": "accepted",      # Đã tiếp nhận
    "04": "assigned",      # Phân công
    "05": "in-progress",   # Đang xử lý
    "06": "done",          # Hoàn thành
}
"""Processing statuses a recipient reports (QCVN 102 status codes)."""
TERMINAL = {"02", "06"}


def normalise_status_code(code: str) -> str:
    """``1``..``6`` are accepted for ``01``..``06`` (a real axis emits them); anything else must be listed."""
    code = code.strip()
    if code.isdigit() and len(code) == 1:
        code = "0" + code
    if code not in STATUS_NAMES:
        raise InvalidInput(f"unknown processing status code {code!r}",
                           errors=[FieldError("status_code", "expected one of " + ", ".join(STATUS_NAMES))])
    return code


@dataclass(frozen=True)
class StatusEntry:
    """One status a recipient reported."""

    status_code: str
    description: str
    reported_at: datetime
    reported_by: str


@dataclass(frozen=True)
class Delivery:
    """One document to one recipient: queued → available → acknowledged → processing statuses."""

    id: str
    document_id: str
    sender_code: str
    recipient_code: str
    addressed_code: str
    state: str
    status_code: str
    created_at: datetime
    updated_at: datetime

    def acknowledge(self, at: datetime) -> Delivery:
        """The recipient's system took the package; acknowledging twice changes nothing."""
        if self.state == "acknowledged" or self.status_code:
            return self
        if self.state != "available":
            raise IllegalState(f"delivery {self.id} is {self.state}: it cannot be acknowledged")
        return replace(self, state="acknowledged", updated_at=at)

    def report(self, code: str, description: str, at: datetime) -> Delivery:
        """Record a processing status. 01 also acknowledges; 02 needs a reason; nothing follows 02 or 06."""
        code = normalise_status_code(code)
        if code == "02" and not description.strip():
            raise InvalidInput("a refusal (02) must give its reason",
                               errors=[FieldError("description", "required for status 02")])
        if self.status_code in TERMINAL:
            raise IllegalState(f"delivery {self.id} is already {STATUS_NAMES[self.status_code]}")
        if self.state == "available" and code != "01":
            raise IllegalState(f"delivery {self.id} must be acknowledged (or reported 01) before status {code}")
        if self.status_code and code < self.status_code and code != "02":
            raise IllegalState(f"delivery {self.id} is {STATUS_NAMES[self.status_code]}: "
                               f"it cannot go back to {STATUS_NAMES[code]}")
        return replace(self, state=STATUS_NAMES[code], status_code=code, updated_at=at)
