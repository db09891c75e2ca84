"""The routing service's use cases: fan a document out, serve inboxes, carry statuses and requests back.

Every change of a delivery is made under a row lock in one transaction, with its event written
to the outbox of that transaction (topic ``lienthong.routing.v1``, key = document id, so the
events of one document keep their order).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from lienthong.api.documents.v1 import documents_pb2
from lienthong.api.documents.v1 import events_pb2 as documents_events
from lienthong.api.routing.v1 import events_pb2, routing_pb2
from lienthong.edxml.model import StatusPackage
from lienthong.platform import clock
from lienthong.platform.auth import Principal
from lienthong.platform.db import Database, UnitOfWork
from lienthong.platform.errors import FieldError, Forbidden, IllegalState, InvalidInput, NotFound
from lienthong.platform.messaging import Event
from lienthong.routing.domain.delivery import (
    AGREE,
    AVAILABLE,
    PROCESSING,
    QUEUED,
    RECALL,
    REFUSE,
    WITHDRAWN,
    ChangeRequest,
    Delivery,
    StatusEntry,
    normalise_status_code,
)
from lienthong.routing.service.directory import CachedDirectory
from lienthong.routing.service.ports import (
    DeliveryRepository,
    PushAttempt,
    PushInfo,
    Resolution,
    RoutedDocument,
)

log = logging.getLogger(__name__)
SERVICE = "routing"
BATCH = 500
"""Deliveries inserted (and their events written) per statement during a fan-out."""
BUSINESS_KINDS = {1: "recall", 2: "update", 3: "replace"}
"""edXML BussinessDocType → the request it makes of the recipients of the document it refers to."""


@dataclass(frozen=True)
class DeliveryView:
    delivery: Delivery
    timeline: list[StatusEntry]


@dataclass(frozen=True)
class RequestView:
    request: ChangeRequest
    recipient_code: str


def delivery_message(d: Delivery) -> routing_pb2.Delivery:
    """A delivery as its protobuf contract."""
    return routing_pb2.Delivery(id=d.id, document_id=d.document_id, sender_code=d.sender_code,
                                recipient_code=d.recipient_code, addressed_code=d.addressed_code, state=d.state,
                                status_code=d.status_code, created_at=clock.iso(d.created_at),
                                updated_at=clock.iso(d.updated_at), channel=d.channel, via_group=d.via_group,
                                succession_chain=list(d.succession))


def request_message(r: ChangeRequest, document_id: str, recipient_code: str) -> routing_pb2.ChangeRequest:
    """A change request as its protobuf contract."""
    return routing_pb2.ChangeRequest(
        id=r.id, delivery_id=r.delivery_id, document_id=document_id, kind=r.kind, requested_by=r.requested_by,
        requested_at=clock.iso(r.requested_at), reason=r.reason, related_document_id=r.related_document_id,
        outcome=r.outcome, answer_reason=r.answer_reason,
        answered_at=clock.iso(r.answered_at) if r.answered_at else "", recipient_code=recipient_code)


def edxml_document_id_of(document: documents_pb2.Document) -> str:
    """The edXML DocumentId ``{sender},{yyyy/MM/dd},{number}/{notation}`` recomputed from the metadata."""
    if not (document.code_number and document.promulgation_date):
        return ""
    full_code = f"{document.code_number}/{document.code_notation}" if document.code_notation else document.code_number
    return f"{document.sender_code},{document.promulgation_date.replace('-', '/')},{full_code}"


def routing_event(message: Any, document_id: str) -> Event:
    """An event of lienthong.routing.v1 keyed by document id (per-document ordering)."""
    return Event.of(message, service=SERVICE, key=document_id)


class Routing:
    """Deliveries: one per (document, receiving agency)."""

    def __init__(self, database: Database, directory: CachedDirectory, *,
                 repository: Callable[[Any], DeliveryRepository], lease_s: float = 300.0,
                 status_14_as_15: bool = False):
        self._db = database
        self.directory = directory
        self._repo = repository
        self._lease = timedelta(seconds=lease_s)
        self._status_14_as_15 = status_14_as_15

    # --- fan-out -------------------------------------------------------------------------------

    def on_document_submitted(self, event: Event, uow: UnitOfWork) -> None:
        """Create one delivery per receiving agency and put it in the inbox (or queue it for push).

        Groups are expanded and codes resolved through the registry (following succession) at
        this moment, and the resolved recipients are stored with the codes the sender wrote.
        An agency reached twice (directly and through a group, or by an old and a new code)
        receives once. For an update, replacement or revocation, every recipient of the
        referred document is also asked to accept it.
        """
        submitted = event.parse(documents_events.DocumentSubmitted)
        document = submitted.document
        repo = self._repo(uow.session)
        if repo.document(document.id) is not None:
            log.info("document %s was already routed", document.id)
            return
        now = clock.now()
        business_type = submitted.business_doc_type or document.business_doc_type
        refers_to = list(submitted.refers_to_document_ids or document.refers_to_document_ids)
        routed = RoutedDocument(
            id=document.id, sender_code=document.sender_code, identifier=document.identifier,
            edxml_document_id=(submitted.edxml_document_id or document.edxml_document_id
                               or edxml_document_id_of(document)),
            business_type=business_type, related_document_id=refers_to[0] if refers_to else "",
            document=document.SerializeToString(), routed_at=now)
        repo.add_document(routed, list(document.recipient_codes))
        planned = self._plan(document.sender_code, list(document.recipient_codes))
        endpoints = self.directory.push_endpoints_many(
            [p[1].code for p in planned if p[1].active and not p[1].served_by])
        endpoint_iter = iter(endpoints)
        batch: list[tuple[Delivery, str]] = []
        events: list[Event] = []
        for addressed, resolution, group in planned:
            delivery = Delivery(
                id=str(uuid.uuid4()), document_id=document.id, sender_code=document.sender_code,
                recipient_code=resolution.code, addressed_code=addressed, state=QUEUED, status_code="",
                created_at=now, updated_at=now, via_group=group, succession=resolution.chain)
            endpoint = ""
            events.append(routing_event(events_pb2.DeliveryQueued(delivery=delivery_message(delivery)), document.id))
            if not resolution.active:
                delivery = delivery.undeliverable(f"{addressed} resolves to no active agency", now)
                events.append(routing_event(events_pb2.DeliveryUndeliverable(
                    delivery=delivery_message(delivery), reason=delivery.note), document.id))
            elif resolution.served_by:
                delivery = replace(delivery, channel="upstream")  # waits for the national-axis link
            else:
                pushes = next(endpoint_iter)
                if pushes:
                    endpoint = pushes[0]
                    delivery = replace(delivery, channel="push")
                else:
                    delivery = delivery.make_available(now)
                    events.append(routing_event(events_pb2.Delivered(delivery=delivery_message(delivery), channel="inbox"),
                                         document.id))
            batch.append((delivery, endpoint))
            if len(batch) >= BATCH:
                self._flush(repo, uow, batch, events)
        self._flush(repo, uow, batch, events)
        kind = BUSINESS_KINDS.get(business_type)
        if kind:
            for old_id in refers_to:
                self._request_change(uow, repo, old_id, kind, requested_by=document.sender_code,
                                     reason=f"{kind}: document {document.identifier or document.id}",
                                     related_document_id=document.id, only_open=True)
        log.info("document %s routed to %d recipients", document.id, len(planned))

    @staticmethod
    def _flush(repo: DeliveryRepository, uow: UnitOfWork, batch: list[tuple[Delivery, str]],
               events: list[Event]) -> None:
        if batch:
            repo.add_many(batch)
            uow.add_events(events)
            batch.clear()
            events.clear()

    def _plan(self, sender: str, written: list[str]) -> list[tuple[str, Resolution, str]]:
        """(addressed code, resolution, group) per receiving agency, first mention wins, sender excluded.

        Codes come before groups; a code nobody receives for is planned as undeliverable; a group the
        registry cannot expand (it matched nobody by now) is logged and skipped.
        """
        recipients = self.directory.resolve_recipients(written)
        planned: list[tuple[str, Resolution, str]] = []
        seen = {sender}
        for recipient in sorted(recipients, key=lambda r: r.group):
            if recipient.error:
                if recipient.group:
                    log.warning("recipient group %r reaches nobody: %s", recipient.written, recipient.error)
                    continue
                receivers = (Resolution(code=recipient.written, active=False),)
            else:
                receivers = recipient.receivers
            for resolution in receivers:
                if resolution.code in seen:
                    continue
                seen.add(resolution.code)
                addressed = resolution.code if recipient.group else recipient.written
                planned.append((addressed, resolution, recipient.written if recipient.group else ""))
        return planned

    def on_registry_event(self, event: Event, uow: UnitOfWork) -> None:
        """Any change in the registry may change resolutions, groups or push endpoints: forget them."""
        self.directory.invalidate()

    # --- pull ----------------------------------------------------------------------------------

    def inbox(self, principal: Principal, agency: str | None, *, after: str | None, limit: int,
              states: Sequence[str] | None = None) -> list[Delivery]:
        """Deliveries to the caller's agency (or all its agencies when none is named), oldest first.

        Copies withdrawn by an agreed recall, update or replacement are left out unless asked for
        by state.
        """
        codes = [principal.acting_agency(agency)] if agency else sorted(principal.agencies)
        if states is None:
            states = [s for s in (QUEUED, AVAILABLE, "pushed", "acknowledged", *PROCESSING.values())]
        with self._db.unit_of_work() as uow:
            return self._repo(uow.session).inbox(codes, after=after, limit=limit, states=states)

    def claim(self, principal: Principal, agency: str | None, *, limit: int) -> list[Delivery]:
        """Pending deliveries offered to this poller: each is leased to it for the lease time.

        Another poller of the same agency does not get them as new until the lease runs out; a
        delivery that is not acknowledged by then is offered again.
        """
        codes = [principal.acting_agency(agency)] if agency else sorted(principal.agencies)
        with self._db.unit_of_work() as uow:
            now = clock.now()
            claimed = self._repo(uow.session).claim(codes, holder=principal.subject, now=now,
                                                    until=now + self._lease, limit=limit)
            uow.commit()
            return claimed

    def acknowledge(self, principal: Principal, delivery_id: str) -> Delivery:
        """The recipient's system took the package (idempotent)."""
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            current = self._recipients_delivery(repo, principal, delivery_id)
            updated = current.acknowledge(clock.now())
            if updated is not current:
                repo.save(updated)
                uow.add_event(routing_event(events_pb2.DeliveryAcknowledged(delivery=delivery_message(updated)),
                                     updated.document_id))
                uow.commit()
            return updated

    # --- statuses ------------------------------------------------------------------------------

    def report_status(self, principal: Principal, delivery_id: str, code: str, description: str,
                      idempotency_key: str | None = None) -> Delivery:
        """The recipient reports a status: 01-06, or 15/16 to answer a pending change request.

        A retry with the same ``idempotency_key`` returns the delivery as it is and records nothing.
        """
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            current = self._recipients_delivery(repo, principal, delivery_id)
            if idempotency_key and repo.has_status_key(current.id, idempotency_key):
                return current
            updated = self._apply_status(uow, repo, current, code, description, idempotency_key)
            uow.commit()
            return updated

    def report_document_status(self, principal: Principal, document_id: str, code: str, description: str,
                               agency: str | None = None, recipients: Sequence[str] | None = None,
                               idempotency_key: str | None = None) -> list[Delivery]:
        """A status about a document, as an edXML status message names it (ResponseFor = the document).

        From the sender, 13 recalls the document from ``recipients`` (default: every recipient).
        From a recipient, 01-06 and 15/16 apply to its own delivery. Anyone else is told that it
        never received the document.
        """
        code = normalise_status_code(code, (*PROCESSING, RECALL, AGREE, REFUSE))
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            routed = repo.document(document_id)
            if routed is None:
                raise NotFound(f"document {document_id} was never routed by this axis")
            if code == RECALL:
                if agency and agency != routed.sender_code:
                    principal.require_agency(agency)
                    raise Forbidden(f"only the sender {routed.sender_code} may recall document {document_id}")
                if routed.sender_code not in principal.agencies:
                    raise Forbidden(f"only the sender {routed.sender_code} may recall document {document_id}")
                made = self._recall(uow, repo, routed, description, recipients)
                uow.commit()
                return [d for d, _ in made]
            codes = [principal.acting_agency(agency)] if agency else sorted(principal.agencies)
            mine = [d for d in repo.of_document(document_id, for_update=True) if d.recipient_code in codes]
            if not mine:
                raise Forbidden(f"agency {', '.join(codes)} never received document {document_id}")
            if len(mine) > 1:
                raise InvalidInput("this client receives the document for several agencies: name one "
                                   "(X-Agency-Code header)")
            if idempotency_key and repo.has_status_key(mine[0].id, idempotency_key):
                return [mine[0]]
            updated = self._apply_status(uow, repo, mine[0], code, description, idempotency_key)
            uow.commit()
            return [updated]

    def _apply_status(self, uow: UnitOfWork, repo: DeliveryRepository, current: Delivery, code: str,
                      description: str, idempotency_key: str | None = None) -> Delivery:
        code = normalise_status_code(code, (*PROCESSING, AGREE, REFUSE, RECALL))
        if code == RECALL:
            raise Forbidden("13 (recall) is the sender's: post it on the document, not on a delivery")
        now = clock.now()
        if code in (AGREE, REFUSE):
            return self._answer(uow, repo, current, code, description, now, idempotency_key)
        updated = current.report(code, description, now)
        entry = StatusEntry(code, description.strip(), now, current.recipient_code)
        repo.save(updated)
        repo.add_status(updated.id, entry, idempotency_key)
        uow.add_event(routing_event(events_pb2.StatusReported(
            delivery=delivery_message(updated), status_code=code, description=entry.description,
            reported_at=clock.iso(now), reported_by=entry.reported_by), updated.document_id))
        return updated

    def report_edxml_status(self, principal: Principal, status: StatusPackage) -> list[Delivery]:
        """An edXML status package (edxml.md §7): matched by ResponseFor, reported by From.OrganId.

        The match is ResponseFor/DocumentId (required by the parser) against the document's edXML
        DocumentId. The reporter must be an agency the caller acts for.
        A repeat of the same message (From, ResponseFor, StatusCode, Timestamp: the dedupe key of
        edxml.md §7.2) records nothing new.
        """
        reporter = status.from_.organ_id
        principal.require_agency(reporter)
        answer = status.response_for
        wanted = answer.document_id
        with self._db.unit_of_work() as uow:
            routed = self._repo(uow.session).document_by_edxml_id(wanted)
        if routed is None or routed.sender_code != answer.organ_id:
            raise NotFound(f"no document {wanted!r} of {answer.organ_id} was routed by this axis",
                           errors=[FieldError("ResponseFor/DocumentId", "matches no routed document")])
        code = status.status_code
        if code == "14" and self._status_14_as_15:
            code = AGREE
        stamp = clock.iso(status.timestamp) if status.timestamp else ""
        key = f"edxml:{reporter}:{wanted}:{code}:{stamp}" if stamp else None
        return self.report_document_status(principal, routed.id, code, status.description, agency=reporter,
                                           idempotency_key=key)

    # --- recall, update, replace ---------------------------------------------------------------

    def recall(self, principal: Principal, document_id: str, reason: str,
               recipients: Sequence[str] | None = None) -> list[RequestView]:
        """The sender recalls a document (13): every targeted recipient is asked to agree (15) or refuse (16).

        Targets: ``recipients``, or every recipient whose copy is still open (not rejected, withdrawn
        or undeliverable). Refused as a whole, changing nothing, when a targeted recipient has
        finished handling it (06), when a request to one is still pending, or when the caller is
        not the sender.
        """
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            routed = repo.document(document_id)
            if routed is None:
                raise NotFound(f"document {document_id} was never routed by this axis")
            if routed.sender_code not in principal.agencies:
                raise Forbidden(f"only the sender {routed.sender_code} may recall document {document_id}")
            made = self._recall(uow, repo, routed, reason, recipients)
            uow.commit()
            return [RequestView(r, d.recipient_code) for d, r in made]

    def _recall(self, uow: UnitOfWork, repo: DeliveryRepository, routed: RoutedDocument, reason: str,
                recipients: Sequence[str] | None) -> list[tuple[Delivery, ChangeRequest]]:
        if not reason.strip():
            raise InvalidInput("a recall must give its reason", errors=[FieldError("reason", "required")])
        return self._request_change(uow, repo, routed.id, "recall", requested_by=routed.sender_code,
                                    reason=reason.strip(), related_document_id="", recipients=recipients)

    def _request_change(self, uow: UnitOfWork, repo: DeliveryRepository, document_id: str, kind: str, *,
                        requested_by: str, reason: str, related_document_id: str,
                        recipients: Sequence[str] | None = None,
                        only_open: bool = False) -> list[tuple[Delivery, ChangeRequest]]:
        """Ask each targeted recipient of ``document_id``; all or nothing unless ``only_open``.

        ``only_open`` (updates and replacements arriving as documents): recipients that cannot be
        asked are skipped instead of refusing the whole request.
        """
        deliveries = repo.of_document(document_id, for_update=True)
        if recipients:
            wanted = set(recipients)
            unknown = sorted(wanted - {d.recipient_code for d in deliveries})
            if unknown:
                raise InvalidInput(f"document {document_id} was not delivered to {', '.join(unknown)}",
                                   errors=[FieldError("recipient_codes", f"not a recipient: {c}") for c in unknown])
            deliveries = [d for d in deliveries if d.recipient_code in wanted]
        targets: list[Delivery] = []
        problems: list[str] = []
        for d in deliveries:
            try:
                d.request(kind)
                if repo.pending_request(d.id) is not None:
                    raise IllegalState(f"a request to {d.recipient_code} is still pending")
                targets.append(d)
            except IllegalState as exc:
                skippable = d.final and d.state != "done" and not recipients
                if not (only_open or skippable):
                    problems.append(exc.detail)
        if problems:
            raise IllegalState(f"cannot {kind} document {document_id}: " + "; ".join(problems))
        if not targets and not only_open:
            raise IllegalState(f"document {document_id} has no recipient left to {kind}")
        now = clock.now()
        made: list[tuple[Delivery, ChangeRequest]] = []
        for d in targets:
            request = ChangeRequest(id=str(uuid.uuid4()), delivery_id=d.id, kind=kind, requested_by=requested_by,
                                    requested_at=now, reason=reason, related_document_id=related_document_id)
            repo.add_request(request, document_id)
            if kind == "recall":
                repo.add_status(d.id, StatusEntry(RECALL, reason, now, requested_by))
            touched = replace(d, updated_at=now)
            repo.save(touched)
            uow.add_event(routing_event(events_pb2.ChangeRequested(
                delivery=delivery_message(touched),
                request=request_message(request, document_id, d.recipient_code)), document_id))
            made.append((touched, request))
        return made

    def _answer(self, uow: UnitOfWork, repo: DeliveryRepository, current: Delivery, code: str, reason: str,
                now: datetime, idempotency_key: str | None = None) -> Delivery:
        request = repo.pending_request(current.id, for_update=True)
        if request is None:
            raise IllegalState(f"there is no pending recall, update or replacement of delivery {current.id} "
                               f"to answer with {code}")
        answered = request.answer(code, reason, now)
        updated = current.agree(answered, now) if code == AGREE else replace(current, updated_at=now)
        repo.save_request(answered)
        repo.save(updated)
        repo.add_status(current.id, StatusEntry(code, answered.answer_reason, now, current.recipient_code),
                        idempotency_key)
        uow.add_event(routing_event(events_pb2.ChangeAnswered(
            delivery=delivery_message(updated),
            request=request_message(answered, current.document_id, current.recipient_code)), current.document_id))
        return updated

    def requests(self, principal: Principal, document_id: str) -> list[RequestView]:
        """Every change request of a document and its outcome; pending ones have an empty outcome."""
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            deliveries = {d.id: d for d in self._visible(repo, principal, document_id)}
            return [RequestView(r, deliveries[r.delivery_id].recipient_code)
                    for r in repo.requests_of_document(document_id) if r.delivery_id in deliveries]

    # --- views ---------------------------------------------------------------------------------

    def document_deliveries(self, principal: Principal | None, document_id: str) -> list[DeliveryView]:
        """Per recipient of a document: the delivery and its status timeline.

        The sender (and operators) see every recipient; a recipient sees its own delivery.
        ``principal=None`` is the other services' internal view.
        """
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            found = self._visible(repo, principal, document_id)
            timelines = repo.timelines([d.id for d in found])
            return [DeliveryView(d, timelines.get(d.id, [])) for d in found]

    def received_by(self, document_id: str, agencies: Sequence[str]) -> list[str]:
        """Those of ``agencies`` that hold a delivery of the document (withdrawn copies excluded)."""
        with self._db.unit_of_work() as uow:
            wanted = set(agencies)
            return sorted({d.recipient_code for d in self._repo(uow.session).of_document(document_id)
                           if d.recipient_code in wanted and d.state not in WITHDRAWN})

    def delivery(self, principal: Principal, delivery_id: str) -> tuple[Delivery, list[StatusEntry], PushInfo,
                                                                         list[PushAttempt]]:
        """One delivery with its timeline and push history (its sender, its recipient or an operator)."""
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            d = repo.get(delivery_id)
            if d is None:
                raise NotFound(f"delivery {delivery_id} does not exist")
            if not (principal.is_operator or d.sender_code in principal.agencies
                    or d.recipient_code in principal.agencies):
                raise Forbidden("only the sender, the recipient and operators may see this delivery")
            return d, repo.timelines([d.id]).get(d.id, []), repo.push_info(d.id), repo.push_attempts(d.id)

    def _visible(self, repo: DeliveryRepository, principal: Principal | None, document_id: str) -> list[Delivery]:
        found = repo.of_document(document_id)
        if not found:
            raise NotFound(f"no deliveries for document {document_id}")
        is_sender = principal is None or principal.is_operator or found[0].sender_code in principal.agencies
        if not is_sender:
            found = [d for d in found if d.recipient_code in principal.agencies]
            if not found:
                raise Forbidden("only the sender and the recipients may see these deliveries")
        return found

    @staticmethod
    def _recipients_delivery(repo: DeliveryRepository, principal: Principal, delivery_id: str) -> Delivery:
        delivery = repo.get(delivery_id, for_update=True)
        if delivery is None:
            raise NotFound(f"delivery {delivery_id} does not exist")
        if delivery.recipient_code not in principal.agencies:
            raise Forbidden("only the recipient may act on this delivery")
        return delivery

    # --- dead letters (operators) --------------------------------------------------------------

    def dead_letters(self, principal: Principal, *, after: str | None, limit: int) -> list[Delivery]:
        """Deliveries whose push gave up (they wait in the inbox for pull)."""
        _require_operator(principal)
        with self._db.unit_of_work() as uow:
            return self._repo(uow.session).dead_letters(after=after, limit=limit)

    def redrive(self, principal: Principal, delivery_id: str) -> Delivery:
        """Push a dead-lettered delivery again (attempts start over) if the recipient has not taken it."""
        _require_operator(principal)
        with self._db.unit_of_work() as uow:
            repo = self._repo(uow.session)
            d = repo.get(delivery_id, for_update=True)
            if d is None:
                raise NotFound(f"delivery {delivery_id} does not exist")
            if repo.push_info(d.id).state != "dead":
                raise IllegalState(f"delivery {delivery_id} is not dead-lettered")
            now = clock.now()
            requeued = d.requeue(now)
            repo.save(requeued)
            repo.requeue_push(d.id, now)
            uow.add_event(routing_event(events_pb2.DeadLetterRedriven(
                delivery=delivery_message(requeued), redriven_by=principal.subject, redriven_at=clock.iso(now)),
                d.document_id))
            uow.commit()
            return requeued


def _require_operator(principal: Principal) -> None:
    if not principal.is_operator:
        raise Forbidden("operator role required")

