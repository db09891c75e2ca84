"""The national axis' mailbox protocol as use cases over routing's deliveries (domain/national-axis.md §5, §7b).

Not a second store: a document sent with ``sendEdoc`` goes to the documents service exactly as a
REST submission does and is routed by the same event; a system's edoc mailbox is its agencies'
available deliveries; its status mailbox is the statuses of their deliveries' timelines addressed
to them (recipients' answers to the sender, the sender's recall to the recipients). This module
only adds what the protocol has and routing has not: per item, whether the system said ``done``,
how many times it said ``fail`` and until when ``processing`` hides it.

Item ids (``docId``): an edoc item is its delivery's id; a status item is
``<delivery id>.<sequence of the status in the timeline>``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, BinaryIO, Protocol

from lienthong.api.documents.v1 import documents_pb2
from lienthong.edxml.model import Organ, ResponseFor, StatusPackage
from lienthong.edxml.reader import Limits
from lienthong.edxml.reader import parse as parse_edxml
from lienthong.edxml.writer import build as build_edxml
from lienthong.platform import clock
from lienthong.platform.auth import Principal
from lienthong.platform.db import Database
from lienthong.platform.errors import (
    DomainError,
    FieldError,
    Forbidden,
    IllegalState,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
)
from lienthong.routing.domain.delivery import AVAILABLE, PUSHED, QUEUED, UNDELIVERABLE, Delivery, StatusEntry
from lienthong.routing.service.ports import DeliveryRepository
from lienthong.routing.service.use_cases import Routing
from lienthong.vxp.auth import SystemIdentity
from lienthong.vxp.protocol import (
    AckStatus,
    AgencyEntry,
    AgencyNotHeld,
    DocNotInMailbox,
    HostilePackage,
    InternalError,
    InvalidPackage,
    MalformedRequest,
    MessageType,
    PackageTooLarge,
    ReceivedEdoc,
    SentEdoc,
    StatusForUnreceivedDocument,
    SynchronizeUnit,
    UnknownDocId,
    UnknownRecipient,
    VxpError,
)

log = logging.getLogger(__name__)
EDOC_SEQ = 0
"""``status_seq`` of an edoc item's bookkeeping (statuses have sequence numbers from 1)."""
_PROLOGUE_BYTES = 64 * 1024
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_NOT_IN_REGISTRY = "is not in the registry"


@dataclass(frozen=True)
class StatusItem:
    """A status of a delivery's timeline, as an item of a status mailbox."""

    delivery: Delivery
    seq: int
    entry: StatusEntry

    @property
    def doc_id(self) -> str:
        return f"{self.delivery.id}.{self.seq}"

    @property
    def addressee(self) -> str:
        """The agency whose mailbox it goes to: the other party of the delivery."""
        d = self.delivery
        return d.sender_code if self.entry.reported_by == d.recipient_code else d.recipient_code


@dataclass(frozen=True)
class ItemMark:
    """What a system said of a mailbox item with ``updateStatus``."""

    delivery_id: str
    seq: int
    state: str                     # "", done, failed
    attempts: int                  # times it said fail
    hidden_until: datetime | None  # processing
    stored: bool


@dataclass(frozen=True)
class DirectoryEntry:
    """An agency of the registry, as the directory calls show it."""

    code: str
    name: str
    parent_code: str
    email: str
    served_by: str
    valid_from: str


class DocumentStore(Protocol):
    """The documents service, for edXML document packages."""

    def submit_edxml(self, agency_code: str, package: BinaryIO, idempotency_key: str = "") -> str:
        """Validate, store and announce a package sent for ``agency_code``; the document's id."""

    def read_edxml(self, document_id: str) -> bytes:
        """The package as received (rebuilt for documents submitted as JSON)."""


class AgencyList(Protocol):
    """The registry's directory."""

    def active_agencies(self) -> list[DirectoryEntry]: ...
    def unknown_codes(self, codes: Sequence[str]) -> list[str]:
        """Those of ``codes`` the registry never knew."""


class MailboxRepository(Protocol):
    """Views of routing's tables by mailbox, and the items' bookkeeping."""

    def pending_deliveries(self, recipient_codes: Sequence[str], *, now: datetime, since: datetime | None,
                           until: datetime | None, limit: int) -> list[Delivery]: ...
    def pending_statuses(self, codes: Sequence[str], *, now: datetime, since: datetime | None,
                         until: datetime | None, limit: int) -> list[StatusItem]: ...
    def count_pending_deliveries(self, recipient_codes: Sequence[str], now: datetime) -> int: ...
    def count_pending_statuses(self, codes: Sequence[str], now: datetime) -> int: ...
    def status_item(self, delivery_id: str, seq: int) -> StatusItem | None: ...
    def statuses_reported_by(self, codes: Sequence[str], limit: int) -> list[StatusItem]: ...
    def last_status(self, delivery_id: str, reported_by: str) -> StatusItem | None: ...
    def sent_deliveries(self, sender_codes: Sequence[str], limit: int) -> list[tuple[Delivery, bytes]]: ...
    def mark(self, delivery_id: str, seq: int) -> ItemMark: ...
    def save_mark(self, mark: ItemMark, now: datetime) -> None: ...


@dataclass(frozen=True)
class MailboxPolicy:
    """The configurable decisions of domain/national-axis.md §8 that the mailbox applies."""

    fail_max_attempts: int = 5
    """``updateStatus fail`` answers after which an item leaves the list (an operator is alerted in the log)."""
    processing_lease: timedelta = timedelta(minutes=30)
    """How long ``updateStatus processing`` hides an item."""
    list_limit: int = 1000
    """Items per list answer (the SDK has no paging; the rest follow once these are acknowledged)."""
    max_package_bytes: int = 50 * 1024 * 1024


def _principal(caller: SystemIdentity) -> Principal:
    return Principal(subject=f"vxp:{caller.system_id}", agencies=caller.agency_codes, scopes=frozenset())


def _fields(errors: Sequence[FieldError]) -> str:
    return "; ".join(f"{e.path}: {e.message}" for e in errors)


def refuse_if_hostile(package: BinaryIO) -> None:
    """Refuse (ErrorCode 14) a package declaring a DTD or entities before its root element; rewinds it."""
    head = package.read(_PROLOGUE_BYTES)
    package.seek(0)
    root = _ROOT_START.search(head)
    if _DTD.search(head[:root.start()] if root else head):
        raise HostilePackage("the package declares a DTD or entities (XML bomb, external entities): refused")


def package_error(exc: DomainError) -> VxpError:
    """The mailbox protocol's refusal for an error of the documents service or the edXML reader."""
    if isinstance(exc, VxpError):
        return exc
    if isinstance(exc, PayloadTooLarge):
        return PackageTooLarge(exc.detail)
    if isinstance(exc, Forbidden):
        return AgencyNotHeld(exc.detail)
    if isinstance(exc, InvalidInput):
        if any("DTD" in e.message or "DOCTYPE" in e.message for e in exc.errors) or "DTD" in exc.detail:
            return HostilePackage(exc.detail)
        if exc.errors and all(_NOT_IN_REGISTRY in e.message for e in exc.errors):
            return UnknownRecipient(f"no such recipient agency: {_fields(exc.errors)}")
        return InvalidPackage(f"{exc.detail}: {_fields(exc.errors)}" if exc.errors else exc.detail)
    return InternalError(f"{exc.detail} (retry later)")


class Mailbox:
    """The calls of the mailbox protocol for an authenticated system."""

    def __init__(self, database: Database, routing: Routing, documents: DocumentStore, agencies: AgencyList, *,
                 repository: Callable[[Any], MailboxRepository], deliveries: Callable[[Any], DeliveryRepository],
                 policy: MailboxPolicy = MailboxPolicy()):
        self._db = database
        self._deliveries = deliveries
        self._routing = routing
        self._documents = documents
        self._agencies = agencies
        self._repo = repository
        self.policy = policy

    # --- sendEdoc ------------------------------------------------------------------------------

    def send(self, caller: SystemIdentity, from_code: str, message_type: MessageType | None,
             to: Sequence[str] | None, package: BinaryIO) -> str:
        """``sendEdoc``: a document package (DocId = the document) or a status package (DocId = the status)."""
        if not caller.holds(from_code):
            raise AgencyNotHeld(f"system {caller.system_id} may not act for agency {from_code}")
        refuse_if_hostile(package)
        if message_type is None:
            message_type = MessageType.STATUS if isinstance(self._parse(package), StatusPackage) else MessageType.EDOC
            package.seek(0)
        if message_type is MessageType.STATUS:
            return self._send_status(caller, from_code, package)
        return self._send_document(from_code, to, package)

    def _parse(self, package: BinaryIO) -> Any:
        try:
            return parse_edxml(package, limits=Limits(max_input_bytes=self.policy.max_package_bytes)).package
        except DomainError as exc:
            raise package_error(exc) from exc

    def _send_document(self, from_code: str, to: Sequence[str] | None, package: BinaryIO) -> str:
        if to:
            try:
                unknown = self._agencies.unknown_codes(list(to))
            except DomainError as exc:
                raise InternalError(f"the registry could not be asked: {exc.detail} (retry later)") from exc
            if unknown:
                raise UnknownRecipient(f"no such recipient agency: {', '.join(unknown)}")
        try:
            return self._documents.submit_edxml(from_code, package)
        except DomainError as exc:
            raise package_error(exc) from exc

    def _send_status(self, caller: SystemIdentity, from_code: str, package: BinaryIO) -> str:
        status = self._parse(package)
        if not isinstance(status, StatusPackage):
            raise InvalidPackage("messagetype is status but the package is a document")
        reporter = status.from_.organ_id
        if not caller.holds(reporter):
            raise AgencyNotHeld(f"system {caller.system_id} may not act for {reporter} (From/OrganId)")
        if reporter != from_code:
            raise InvalidPackage(f"From/OrganId {reporter} differs from the from header {from_code}")
        try:
            deliveries = self._routing.report_edxml_status(_principal(caller), status)
        except (NotFound, Forbidden) as exc:
            raise StatusForUnreceivedDocument(exc.detail) from exc
        except (IllegalState, InvalidInput) as exc:
            raise InvalidPackage(exc.detail) from exc
        with self._db.unit_of_work() as uow:
            recorded = self._repo(uow.session).last_status(deliveries[0].id, reporter)
        return recorded.doc_id if recorded else deliveries[0].id

    # --- the receiver's calls ------------------------------------------------------------------

    def received(self, caller: SystemIdentity, message_type: MessageType, *, since: datetime | None = None,
                 until: datetime | None = None) -> list[ReceivedEdoc]:
        """``getReceivedEdocList``: the items waiting in one of the system's mailboxes, oldest first."""
        codes = sorted(caller.agency_codes)
        now = clock.now()
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            if message_type is MessageType.EDOC:
                return [ReceivedEdoc(doc_id=d.id, message_type=MessageType.EDOC.value,
                                     created_time=clock.iso(d.created_at), updated_time=clock.iso(d.updated_at),
                                     from_code=d.sender_code, to_code=d.recipient_code, status="pending",
                                     status_desc=d.state)
                        for d in repo.pending_deliveries(codes, now=now, since=since, until=until,
                                                         limit=self.policy.list_limit)]
            return [ReceivedEdoc(doc_id=s.doc_id, message_type=MessageType.STATUS.value,
                                 created_time=clock.iso(s.entry.reported_at), updated_time=clock.iso(s.entry.reported_at),
                                 from_code=s.entry.reported_by, to_code=s.addressee, status=s.entry.status_code,
                                 status_desc=s.entry.description)
                    for s in repo.pending_statuses(codes, now=now, since=since, until=until,
                                                   limit=self.policy.list_limit)]

    def count(self, caller: SystemIdentity, message_type: MessageType) -> int:
        """``countReceiveEdoc`` / ``countReceiveStatus``."""
        codes = sorted(caller.agency_codes)
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            if message_type is MessageType.EDOC:
                return repo.count_pending_deliveries(codes, clock.now())
            return repo.count_pending_statuses(codes, clock.now())

    def read(self, caller: SystemIdentity, doc_id: str) -> bytes:
        """``getEdoc`` / ``downloadEdoc``: the package of an item of the system's mailboxes."""
        with self._db.unit_of_work() as uow:
            item = self._item(uow.session, caller, doc_id)
            if isinstance(item, StatusItem):
                routed = self._routing_document(uow.session, item.delivery.document_id)
                return self._status_package(item, routed)
        try:
            return self._documents.read_edxml(item.document_id)
        except NotFound as exc:
            raise UnknownDocId(exc.detail) from exc
        except DomainError as exc:
            raise InternalError(f"{exc.detail} (retry later)") from exc

    def update(self, caller: SystemIdentity, doc_id: str, status: AckStatus) -> None:
        """``updateStatus``: done acknowledges (the item leaves the list), fail counts an attempt
        (after ``fail_max_attempts`` the item leaves the list for an operator), processing hides it."""
        with self._db.unit_of_work() as uow:
            item = self._item(uow.session, caller, doc_id)
        delivery = item.delivery if isinstance(item, StatusItem) else item
        seq = item.seq if isinstance(item, StatusItem) else EDOC_SEQ
        if status is AckStatus.DONE and seq == EDOC_SEQ:
            try:
                self._routing.acknowledge(_principal(caller), delivery.id)
            except IllegalState as exc:
                raise MalformedRequest(exc.detail) from exc
            return
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            now = clock.now()
            mark = repo.mark(delivery.id, seq)
            if status is AckStatus.DONE:
                mark = replace(mark, state="done", hidden_until=None)
            elif status is AckStatus.PROCESSING:
                mark = replace(mark, hidden_until=now + self.policy.processing_lease)
            else:
                attempts = mark.attempts + 1
                failed = attempts >= self.policy.fail_max_attempts
                mark = replace(mark, attempts=attempts, state="failed" if failed else mark.state, hidden_until=None)
                if failed:
                    log.warning("system %s failed mailbox item %s %d times: it leaves the list (operator: see "
                                "mailbox_items)", caller.system_id, doc_id, attempts)
            repo.save_mark(mark, now)
            uow.commit()

    def _item(self, session: Any, caller: SystemIdentity, doc_id: str) -> Delivery | StatusItem:
        delivery_id, _, seq_text = doc_id.strip().partition(".")
        if seq_text:
            if not seq_text.isdigit():
                raise UnknownDocId(f"no mailbox item {doc_id!r}")
            item = self._repo(session).status_item(delivery_id, int(seq_text))
            if item is None:
                raise UnknownDocId(f"no mailbox item {doc_id!r}")
            if not caller.holds(item.addressee):
                raise DocNotInMailbox(f"item {doc_id} is in the mailbox of {item.addressee}, "
                                      f"not of system {caller.system_id}")
            return item
        found = self._deliveries(session).get(delivery_id)
        if found is None:
            raise UnknownDocId(f"no mailbox item {doc_id!r}")
        if not caller.holds(found.recipient_code):
            raise DocNotInMailbox(f"item {doc_id} is in the mailbox of {found.recipient_code}, "
                                  f"not of system {caller.system_id}")
        return found

    def _routing_document(self, session: Any, document_id: str) -> documents_pb2.Document:
        routed = self._deliveries(session).document(document_id)
        document = documents_pb2.Document()
        if routed is not None:
            document.ParseFromString(routed.document)
            if routed.edxml_document_id and not document.edxml_document_id:
                document.edxml_document_id = routed.edxml_document_id
        return document

    @staticmethod
    def _status_package(item: StatusItem, document: documents_pb2.Document) -> bytes:
        code = (f"{document.code_number}/{document.code_notation}" if document.code_notation
                else document.code_number) or document.identifier or item.delivery.document_id
        promulgated = date.fromisoformat(document.promulgation_date) if document.promulgation_date else None
        package = StatusPackage.model_validate({
            "from": Organ(organ_id=item.entry.reported_by),
            "response_for": ResponseFor(organ_id=item.delivery.sender_code, code=code,
                                        promulgation_date=promulgated,
                                        document_id=document.edxml_document_id or item.delivery.document_id),
            "status_code": item.entry.status_code, "description": item.entry.description,
            "timestamp": item.entry.reported_at})
        return build_edxml(package)

    # --- the sender's view ---------------------------------------------------------------------

    def sent(self, caller: SystemIdentity, message_type: MessageType) -> list[SentEdoc]:
        """``getSentEdocList``: per (sent document, recipient), or per status the system's agencies sent."""
        codes = sorted(caller.agency_codes)
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            if message_type is MessageType.STATUS:
                return [SentEdoc(message_type=MessageType.STATUS.value, sender_doc_id=s.doc_id,
                                 receiver_doc_id=s.doc_id, from_code=s.entry.reported_by, to_code=s.addressee,
                                 notation=s.entry.status_code, title=s.entry.description,
                                 sent_time=clock.iso(s.entry.reported_at), send_status="done",
                                 send_status_desc="recorded")
                        for s in repo.statuses_reported_by(codes, self.policy.list_limit)]
            rows = repo.sent_deliveries(codes, self.policy.list_limit)
        items = []
        for d, raw in rows:
            document = documents_pb2.Document()
            document.ParseFromString(raw)
            notation = (f"{document.code_number}/{document.code_notation}" if document.code_notation
                        else document.code_number)
            send = "fail" if d.state == UNDELIVERABLE else "pending" if d.state == QUEUED else "done"
            received = d.state not in (QUEUED, AVAILABLE, PUSHED, UNDELIVERABLE)
            items.append(SentEdoc(
                sender_doc_id=d.document_id, receiver_doc_id=d.id, from_code=d.sender_code, to_code=d.recipient_code,
                notation=notation, title=document.subject, sent_time=clock.iso(d.created_at),
                received_time=clock.iso(d.updated_at) if received else "", send_status=send,
                send_status_desc=d.note or d.channel, receive_status="done" if received else "pending",
                receive_status_desc=d.status_code or d.state))
        return items

    # --- directory -----------------------------------------------------------------------------

    def agencies(self) -> list[AgencyEntry]:
        """``getAgenciesList``: the registry's active agencies."""
        return [AgencyEntry(id=a.code, code=a.code, pid=a.parent_code or None, name=a.name, mail=a.email)
                for a in self._directory()]

    def synchronize_units(self) -> list[SynchronizeUnit]:
        """``getSynchronizeUnit``: the same directory with the fields of the incremental sync."""
        return [SynchronizeUnit(id=a.code, code=a.code, pid=a.parent_code or None, name=a.name, mail=a.email,
                                version=a.valid_from, center_code=a.served_by or None, deleted=False,
                                modify_date=a.valid_from, is_agency=True)
                for a in self._directory()]

    def _directory(self) -> list[DirectoryEntry]:
        try:
            return self._agencies.active_agencies()
        except DomainError as exc:
            raise InternalError(f"the registry could not be asked: {exc.detail} (retry later)") from exc
