"""REST API of routing: inboxes with leases, acknowledgements, statuses, recalls, the sender's view,
dead letters for operators, and the push-signing key."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from lienthong.edxml.model import StatusPackage
from lienthong.edxml.reader import Limits
from lienthong.edxml.reader import parse as parse_edxml
from lienthong.platform import clock
from lienthong.platform.auth import CurrentPrincipal
from lienthong.platform.errors import FieldError, InvalidInput, PayloadTooLarge
from lienthong.routing.domain.delivery import STATES, Delivery, StatusEntry
from lienthong.routing.service.ports import PushAttempt, PushInfo
from lienthong.routing.service.use_cases import RequestView, Routing

EDXML_MEDIA_TYPES = ("application/xml", "text/xml", "application/edxml+xml")
AgencyHeader = Annotated[str | None, Header(description="the agency to act for, when the client has several")]
IdempotencyKey = Annotated[str | None, Header(max_length=200, description="a retried POST with the same key "
                                                                          "records nothing new")]


class StatusOut(BaseModel):
    status_code: str = Field(examples=["03"], description="edXML status code: 01-06, 13, 15, 16")
    description: str
    reported_at: str = Field(examples=["2026-11-25T10:15:00.000+07:00"])
    reported_by: str


class DeliveryOut(BaseModel):
    id: str
    document_id: str
    sender_code: str
    recipient_code: str = Field(description="the agency that receives (after succession)")
    addressed_code: str = Field(description="the code the sender wrote (or the group member)")
    state: str = Field(examples=["available"])
    status_code: str
    created_at: str
    updated_at: str
    channel: str = Field(examples=["inbox"], description="inbox, push or upstream")
    via_group: str = Field(description="the recipient group that named this recipient, if any")
    succession_chain: list[str] = Field(description="codes followed from addressed_code to recipient_code")
    note: str = ""
    lease_until: str | None = None
    timeline: list[StatusOut] | None = None

    @classmethod
    def of(cls, d: Delivery, timeline: list[StatusEntry] | None = None) -> DeliveryOut:
        return cls(id=d.id, document_id=d.document_id, sender_code=d.sender_code, recipient_code=d.recipient_code,
                   addressed_code=d.addressed_code, state=d.state, status_code=d.status_code,
                   created_at=clock.iso(d.created_at), updated_at=clock.iso(d.updated_at), channel=d.channel,
                   via_group=d.via_group, succession_chain=list(d.succession), note=d.note,
                   lease_until=clock.iso(d.lease_until) if d.lease_until else None,
                   timeline=None if timeline is None else [
                       StatusOut(status_code=s.status_code, description=s.description,
                                 reported_at=clock.iso(s.reported_at), reported_by=s.reported_by) for s in timeline])


class PushAttemptOut(BaseModel):
    attempt: int
    attempted_at: str
    endpoint: str
    outcome: str
    duration_ms: int

    @classmethod
    def of(cls, a: PushAttempt) -> PushAttemptOut:
        return cls(attempt=a.attempt, attempted_at=clock.iso(a.attempted_at), endpoint=a.endpoint,
                   outcome=a.outcome, duration_ms=a.duration_ms)


class PushOut(BaseModel):
    endpoint: str
    state: str = Field(description="'' (pull only), pending, pushed, dead, cancelled")
    attempts: int
    next_attempt_at: str | None
    last_error: str
    history: list[PushAttemptOut]

    @classmethod
    def of(cls, info: PushInfo, history: list[PushAttempt]) -> PushOut:
        return cls(endpoint=info.endpoint, state=info.state, attempts=info.attempts,
                   next_attempt_at=clock.iso(info.next_attempt_at) if info.next_attempt_at else None,
                   last_error=info.last_error, history=[PushAttemptOut.of(a) for a in history])


class DeliveryDetail(DeliveryOut):
    push: PushOut


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None


class StatusIn(BaseModel):
    status_code: str = Field(description="01-06 (processing), 15 agree / 16 refuse (answer to a request)",
                             examples=["03"], max_length=2)
    description: str = Field(default="", max_length=2000, description="reason; required for 02 and 16")


class DocumentStatusIn(StatusIn):
    status_code: str = Field(description="from a recipient: 01-06, 15, 16; from the sender: 13 (recall)",
                             examples=["03"], max_length=2)
    recipient_codes: list[str] | None = Field(default=None, description="13 only: the recipients to recall "
                                                                        "from (default: every open one)")


class RecallIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, examples=["Thu hồi để điều chỉnh nội dung"])
    recipient_codes: list[str] | None = Field(default=None, description="default: every recipient still open")


class RequestOut(BaseModel):
    id: str
    delivery_id: str
    recipient_code: str
    kind: str = Field(examples=["recall"], description="recall, update or replace")
    requested_by: str
    requested_at: str
    reason: str
    related_document_id: str
    outcome: str = Field(description="'' pending, 15 agreed, 16 refused")
    pending: bool
    answer_reason: str
    answered_at: str | None

    @classmethod
    def of(cls, v: RequestView) -> RequestOut:
        r = v.request
        return cls(id=r.id, delivery_id=r.delivery_id, recipient_code=v.recipient_code, kind=r.kind,
                   requested_by=r.requested_by, requested_at=clock.iso(r.requested_at), reason=r.reason,
                   related_document_id=r.related_document_id, outcome=r.outcome, pending=r.pending,
                   answer_reason=r.answer_reason, answered_at=clock.iso(r.answered_at) if r.answered_at else None)


class ClaimIn(BaseModel):
    limit: int = Field(default=50, ge=1, le=500)


def router(routing: Routing, push_key_jwk: dict[str, str], *, edxml_max_bytes: int = 1_000_000) -> APIRouter:
    """``/api/v1/routing/...``; ``push_key_jwk`` is the public key that verifies pushes."""
    r = APIRouter(prefix="/api/v1/routing", tags=["routing"])

    @r.post("/statuses", response_model=list[DeliveryOut], status_code=201,
            summary="Post an edXML status package (QCVN 102:2016 §7): 01-06, 15, 16 from a recipient, 13 from "
                    "the sender; matched by ResponseFor, reported by From/OrganId",
            openapi_extra={"requestBody": {"required": True, "content": {"application/xml": {}}}})
    async def edxml_status(request: Request, principal: CurrentPrincipal) -> list[DeliveryOut]:
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in EDXML_MEDIA_TYPES:
            raise InvalidInput("post the edXML status package as application/xml",
                               errors=[FieldError("Content-Type", f"{media_type or '(none)'} is not one of "
                                                                   + ", ".join(EDXML_MEDIA_TYPES))])
        body = await request.body()
        if len(body) > edxml_max_bytes:
            raise PayloadTooLarge(f"a status package is at most {edxml_max_bytes} bytes")
        parsed = parse_edxml(body, limits=Limits(max_input_bytes=edxml_max_bytes))
        if not isinstance(parsed.package, StatusPackage):
            raise InvalidInput("this is a document package, not a status package: send documents to the "
                               "documents service", errors=[FieldError("StatusCode", "missing")])
        deliveries = await run_in_threadpool(routing.report_edxml_status, principal, parsed.package)
        return [DeliveryOut.of(d) for d in deliveries]

    @r.get("/inbox", response_model=DeliveryPage, summary="Deliveries addressed to the caller's agency")
    def inbox(principal: CurrentPrincipal, cursor: str | None = None,
              limit: Annotated[int, Query(ge=1, le=500)] = 100,
              state: Annotated[list[str] | None, Query(description="filter; default: every state but the "
                                                                   "withdrawn and undeliverable ones")] = None,
              x_agency_code: AgencyHeader = None) -> DeliveryPage:
        if state:
            unknown = sorted(set(state) - set(STATES))
            if unknown:
                raise InvalidInput(f"unknown state {', '.join(unknown)}",
                                   errors=[FieldError("state", "expected one of " + ", ".join(STATES))])
        items = routing.inbox(principal, x_agency_code, after=cursor, limit=limit, states=state)
        return DeliveryPage(items=[DeliveryOut.of(d) for d in items],
                            next_cursor=items[-1].id if len(items) == limit else None)

    @r.post("/inbox/claim", response_model=list[DeliveryOut],
            summary="Take pending deliveries: each is leased to this poller (hidden from the others) until "
                    "lease_until; unacknowledged ones are offered again after it")
    def claim(principal: CurrentPrincipal, body: ClaimIn | None = None,
              x_agency_code: AgencyHeader = None) -> list[DeliveryOut]:
        return [DeliveryOut.of(d) for d in routing.claim(principal, x_agency_code,
                                                         limit=(body or ClaimIn()).limit)]

    @r.get("/deliveries/{delivery_id}", response_model=DeliveryDetail,
           summary="One delivery: timeline and push history (sender, recipient, operators)")
    def delivery(delivery_id: str, principal: CurrentPrincipal) -> DeliveryDetail:
        d, timeline, info, history = routing.delivery(principal, delivery_id)
        return DeliveryDetail(**DeliveryOut.of(d, timeline).model_dump(), push=PushOut.of(info, history))

    @r.post("/deliveries/{delivery_id}/ack", response_model=DeliveryOut,
            summary="The recipient's system took the package (idempotent)")
    def acknowledge(delivery_id: str, principal: CurrentPrincipal) -> DeliveryOut:
        return DeliveryOut.of(routing.acknowledge(principal, delivery_id))

    @r.post("/deliveries/{delivery_id}/statuses", response_model=DeliveryOut, status_code=201,
            summary="Report a status: 01 received ... 06 done (02 needs a reason); 15/16 answer a recall, "
                    "update or replacement (16 needs a reason)")
    def report(delivery_id: str, body: StatusIn, principal: CurrentPrincipal,
               idempotency_key: IdempotencyKey = None) -> DeliveryOut:
        return DeliveryOut.of(routing.report_status(principal, delivery_id, body.status_code, body.description,
                                                    idempotency_key))

    @r.get("/documents/{document_id}/deliveries", response_model=list[DeliveryOut],
           summary="Per recipient: the delivery and its status timeline")
    def document_deliveries(document_id: str, principal: CurrentPrincipal) -> list[DeliveryOut]:
        return [DeliveryOut.of(v.delivery, v.timeline) for v in routing.document_deliveries(principal, document_id)]

    @r.post("/documents/{document_id}/statuses", response_model=list[DeliveryOut], status_code=201,
            summary="A status about a document (as an edXML status message): a recipient's 01-06/15/16, "
                    "or the sender's 13 (recall)")
    def document_status(document_id: str, body: DocumentStatusIn, principal: CurrentPrincipal,
                        x_agency_code: AgencyHeader = None, idempotency_key: IdempotencyKey = None,
                        ) -> list[DeliveryOut]:
        return [DeliveryOut.of(d) for d in routing.report_document_status(
            principal, document_id, body.status_code, body.description, x_agency_code, body.recipient_codes,
            idempotency_key)]

    @r.post("/documents/{document_id}/recall", response_model=list[RequestOut], status_code=201,
            summary="The sender recalls the document (13): each recipient answers 15 agree or 16 refuse")
    def recall(document_id: str, body: RecallIn, principal: CurrentPrincipal) -> list[RequestOut]:
        return [RequestOut.of(v) for v in routing.recall(principal, document_id, body.reason, body.recipient_codes)]

    @r.get("/documents/{document_id}/requests", response_model=list[RequestOut],
           summary="Recall, update and replacement requests of a document, per recipient, with outcomes")
    def requests(document_id: str, principal: CurrentPrincipal) -> list[RequestOut]:
        return [RequestOut.of(v) for v in routing.requests(principal, document_id)]

    @r.get("/dead-letters", response_model=DeliveryPage, summary="Dead-lettered pushes (operators)")
    def dead_letters(principal: CurrentPrincipal, cursor: str | None = None,
                     limit: Annotated[int, Query(ge=1, le=500)] = 100) -> DeliveryPage:
        items = routing.dead_letters(principal, after=cursor, limit=limit)
        return DeliveryPage(items=[DeliveryOut.of(d) for d in items],
                            next_cursor=items[-1].id if len(items) == limit else None)

    @r.post("/dead-letters/{delivery_id}/redrive", response_model=DeliveryOut,
            summary="Push a dead-lettered delivery again, attempts starting over (operators)")
    def redrive(delivery_id: str, principal: CurrentPrincipal) -> DeliveryOut:
        return DeliveryOut.of(routing.redrive(principal, delivery_id))

    @r.get("/push-key", summary="The public key (JWK) that verifies the axis' signed pushes (RFC 9421)")
    def push_key() -> dict[str, str]:
        return push_key_jwk

    return r
