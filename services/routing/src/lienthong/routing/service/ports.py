"""The routing service's ports: what its use cases need from the registry, the database and the network."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from lienthong.routing.domain.delivery import ChangeRequest, Delivery, StatusEntry


@dataclass(frozen=True)
class Resolution:
    """Who receives for an addressed code now."""

    code: str                      # the receiving agency
    chain: tuple[str, ...] = ()    # codes followed from the addressed one to ``code`` (empty: itself)
    served_by: str = ""            # empty: this axis serves it; else the node to forward to (upstream)
    active: bool = True            # False: dissolved without successor, nobody receives


@dataclass(frozen=True)
class Recipient:
    """What one recipient the sender wrote stands for now (the registry's ``ResolveRecipients``).

    An agency code: one receiving agency (inactive when nobody receives for it). A ``group:...``:
    its active members. ``error`` says why a recipient could not be resolved (unknown code, malformed
    or empty group); a code with an error has no receiver, a group with an error no members.
    """

    written: str
    group: bool
    receivers: tuple[Resolution, ...] = ()
    error: str = ""


class Directory(Protocol):
    """The registry as routing sees it."""

    def resolve_recipients(self, recipients: Sequence[str]) -> list[Recipient]:
        """What each written recipient (agency code or ``group:...``) stands for now, in order; raises only
        when the registry cannot answer."""

    def push_endpoints(self, agency_code: str) -> list[str]:
        """Push endpoints of the active systems registered for an agency (empty: the agency pulls)."""


@dataclass(frozen=True)
class RoutedDocument:
    """What routing keeps of a document it routed."""

    id: str
    sender_code: str
    identifier: str
    edxml_document_id: str
    business_type: int
    related_document_id: str
    document: bytes                # lienthong.api.documents.v1.Document, serialized
    routed_at: datetime


@dataclass(frozen=True)
class PushJob:
    """A push attempt claimed by one dispatcher."""

    delivery_id: str
    endpoint: str
    attempt: int                   # 1-based number of this attempt


@dataclass(frozen=True)
class PushAttempt:
    """One recorded push attempt."""

    attempt: int
    attempted_at: datetime
    endpoint: str
    outcome: str
    duration_ms: int


@dataclass(frozen=True)
class PushInfo:
    """The push bookkeeping of a delivery."""

    endpoint: str
    state: str                     # "", pending, pushed, dead
    attempts: int
    next_attempt_at: datetime | None
    last_error: str


class DeliveryRepository(Protocol):
    """Deliveries, their timelines, change requests and push bookkeeping."""

    def document(self, document_id: str) -> RoutedDocument | None: ...
    def document_by_edxml_id(self, edxml_document_id: str) -> RoutedDocument | None:
        """The original (business type 0 first) document with this edXML DocumentId."""
    def add_document(self, doc: RoutedDocument, recipients_written: Sequence[str]) -> None: ...
    def add_many(self, deliveries: Sequence[tuple[Delivery, str]]) -> None:
        """Insert deliveries, each with its push endpoint ("" for none), in one statement."""
    def get(self, delivery_id: str, *, for_update: bool = False) -> Delivery | None: ...
    def of_document(self, document_id: str, *, for_update: bool = False) -> list[Delivery]: ...
    def save(self, d: Delivery) -> None: ...
    def add_status(self, delivery_id: str, entry: StatusEntry, idempotency_key: str | None = None) -> None: ...
    def has_status_key(self, delivery_id: str, idempotency_key: str) -> bool:
        """Whether a status with this Idempotency-Key was already recorded on the delivery."""
    def timelines(self, delivery_ids: Sequence[str]) -> dict[str, list[StatusEntry]]: ...
    def inbox(self, recipient_codes: Sequence[str], *, after: str | None, limit: int,
              states: Sequence[str] | None) -> list[Delivery]: ...
    def claim(self, recipient_codes: Sequence[str], *, holder: str, now: datetime, until: datetime,
              limit: int) -> list[Delivery]: ...
    def add_request(self, request: ChangeRequest, document_id: str) -> None: ...
    def pending_request(self, delivery_id: str, *, for_update: bool = False) -> ChangeRequest | None: ...
    def save_request(self, request: ChangeRequest) -> None: ...
    def requests_of_document(self, document_id: str) -> list[ChangeRequest]: ...
    def push_info(self, delivery_id: str) -> PushInfo: ...
    def claim_pushes(self, now: datetime, until: datetime, capacity: Mapping[str, int], *, default: int,
                     limit: int) -> list[PushJob]:
        """Claim due pushes (at most ``limit``, and per endpoint its ``capacity`` or ``default``) until ``until``."""
    def record_push(self, delivery_id: str, attempt: PushAttempt, *, state: str,
                    next_attempt_at: datetime | None) -> None: ...
    def push_attempts(self, delivery_id: str) -> list[PushAttempt]: ...
    def overdue_pushes(self, created_before: datetime, limit: int) -> list[tuple[Delivery, PushInfo]]:
        """Pending pushes of deliveries created before ``created_before`` (locked for this transaction)."""
    def dead_letters(self, *, after: str | None, limit: int) -> list[Delivery]: ...
    def requeue_push(self, delivery_id: str, now: datetime) -> None: ...


@dataclass(frozen=True)
class PushResult:
    """What the recipient system's endpoint answered."""

    ok: bool
    outcome: str                   # "HTTP 204", "HTTP 500", "timeout", "connection refused", ...


class PushSender(Protocol):
    """Posts a signed envelope to a recipient system's endpoint within bounded time."""

    def send(self, endpoint: str, body: bytes) -> PushResult: ...
