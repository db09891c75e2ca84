"""REST API of reporting: per-agency counters of documents sent, received and signed.

An agency system reads its own agencies' counters (403 otherwise); operators read every agency's.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from lienthong.platform.auth import CurrentPrincipal
from lienthong.reporting.domain.counts import AgencyCounts
from lienthong.reporting.service.use_cases import MAX_PAGE, Reporting


class AgencyCountsOut(BaseModel):
    """An agency's counters of documents sent, received and signed."""

    agency_code: str = Field(examples=["000.00.11.H99"])
    name: str | None = Field(examples=["Sở Tài chính tỉnh Mẫu"],
                             description="null until the registry's AgencyCreated reached reporting")
    sent: int = Field(examples=[120], description="documents the agency submitted")
    received: int = Field(examples=[342], description="deliveries that reached the agency")
    signed: int = Field(examples=[117], description="documents submitted with a valid (TOTAL_PASSED) signature")

    @classmethod
    def of(cls, c: AgencyCounts) -> AgencyCountsOut:
        return cls(agency_code=c.agency_code, name=c.name, sent=c.sent, received=c.received, signed=c.signed)


class AgencyCountsPage(BaseModel):
    """A page of agencies' counters, by agency code."""

    items: list[AgencyCountsOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page")


def router(reporting: Reporting) -> APIRouter:
    """Reporting's routes under ``/api/v1/reporting``."""
    r = APIRouter(prefix="/api/v1/reporting", tags=["reporting"])

    @r.get("/agencies/{code}/counts", response_model=AgencyCountsOut,
           summary="An agency's counters (the agency itself or an operator)")
    def agency_counts(code: str, principal: CurrentPrincipal) -> AgencyCountsOut:
        return AgencyCountsOut.of(reporting.agency_counts(code, principal))

    @r.get("/counts", response_model=AgencyCountsPage, summary="Every agency's counters, by code (operators)")
    def all_counts(principal: CurrentPrincipal, cursor: str | None = None,
                   limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100) -> AgencyCountsPage:
        items = reporting.list_counts(principal, after=cursor, limit=limit)
        return AgencyCountsPage(items=[AgencyCountsOut.of(c) for c in items],
                                next_cursor=items[-1].agency_code if len(items) == limit else None)

    return r
