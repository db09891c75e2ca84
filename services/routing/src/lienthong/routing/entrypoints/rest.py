"""REST API of routing: inboxes, acknowledgements, statuses, the sender's view."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query
from pydantic import BaseModel, Field

from lienthong.platform import clock
from lienthong.platform.auth import CurrentPrincipal
from lienthong.routing.domain.delivery import Delivery, StatusEntry
from lienthong.routing.service.use_cases import Routing


class StatusOut(BaseModel):
    status_code: str = Field(examples=["03"])
    description: str
    reported_at: str = Field(examples=["2026-11-25T10:15:00.000+07:00"])
    reported_by: str


class DeliveryOut(BaseModel):
    id: str
    document_id: str
    sender_code: str
    recipient_code: str
    addressed_code: str
    state: str = Field(examples=["available"])
    status_code: str
    created_at: str
    updated_at: str
    timeline: list[StatusOut] | None = None

    @classmethod
    def of(cls, d: Delivery, timeline: list[StatusEntry] | None = None) -> DeliveryOut:
        return cls(id=d.id, document_id=d.document_id, sender_code=d.sender_code, recipient_code=d.recipient_code,
                   addressed_code=d.addressed_code, state=d.state, status_code=d.status_code,
                   created_at=clock.iso(d.created_at), updated_at=clock.iso(d.updated_at),
                   timeline=None if timeline is None else [
                       StatusOut(status_code=s.status_code, description=s.description,
                                 reported_at=clock.iso(s.reported_at), reported_by=s.reported_by) for s in timeline])


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None


class StatusIn(BaseModel):
    status_code: str = Field(description="edXML status code 01-06", examples=["03"], max_length=2)
    description: str = Field(default="", max_length=2000, description="reason; required for 02")


def router(routing: Routing) -> APIRouter:
    """``/api/v1/routing/...``."""
    r = APIRouter(prefix="/api/v1/routing", tags=["routing"])

    @r.get("/inbox", response_model=DeliveryPage, summary="Deliveries addressed to the caller's agency")
    def inbox(principal: CurrentPrincipal, cursor: str | None = None,
              limit: Annotated[int, Query(ge=1, le=500)] = 100,
              x_agency_code: Annotated[str | None, Header()] = None) -> DeliveryPage:
        items = routing.inbox(principal, x_agency_code, after=cursor, limit=limit)
        return DeliveryPage(items=[DeliveryOut.of(d) for d in items],
                            next_cursor=items[-1].id if len(items) == limit else None)

    @r.post("/deliveries/{delivery_id}/ack", response_model=DeliveryOut,
            summary="The recipient's system took the package (idempotent)")
    def acknowledge(delivery_id: str, principal: CurrentPrincipal) -> DeliveryOut:
        return DeliveryOut.of(routing.acknowledge(principal, delivery_id))

    @r.post("/deliveries/{delivery_id}/statuses", response_model=DeliveryOut, status_code=201,
            summary="Report a processing status (01 received ... 06 done; 02 rejected needs a reason)")
    def report(delivery_id: str, body: StatusIn, principal: CurrentPrincipal) -> DeliveryOut:
        return DeliveryOut.of(routing.report_status(principal, delivery_id, body.status_code, body.description))

    @r.get("/documents/{document_id}/deliveries", response_model=list[DeliveryOut],
           summary="Per recipient: the delivery and its status timeline")
    def document_deliveries(document_id: str, principal: CurrentPrincipal) -> list[DeliveryOut]:
        return [DeliveryOut.of(v.delivery, v.timeline) for v in routing.document_deliveries(principal, document_id)]

    return r
