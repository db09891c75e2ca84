"""Reporting's event consumer: every topic of the axis, each event counted once (inbox dedupe)."""

from __future__ import annotations

from lienthong.api.documents.v1.events_pb2 import DocumentSubmitted
from lienthong.api.registry.v1.events_pb2 import AgencyCreated
from lienthong.api.routing.v1.events_pb2 import Delivered
from lienthong.platform.db import Database, UnitOfWork
from lienthong.platform.messaging import Event, Handler, dispatch, idempotent, topic_of
from lienthong.reporting.service.use_cases import Reporting

GROUP = "reporting"
TOPICS = [topic_of(service) for service in ("documents", "routing", "signing", "registry", "archive")]


def event_handler(reporting: Reporting, database: Database) -> Handler:
    """The consumer group's handler; event types it does not count are acknowledged and skipped."""

    def submitted(event: Event, uow: UnitOfWork) -> None:
        document = event.parse(DocumentSubmitted).document
        reporting.count_submission(document.sender_code, signed=document.signature.signed,
                                   indication=document.signature.indication, uow=uow)

    def delivered(event: Event, uow: UnitOfWork) -> None:
        delivery = event.parse(Delivered).delivery
        reporting.count_delivery(delivery.recipient_code, delivery.id, uow)

    def agency_created(event: Event, uow: UnitOfWork) -> None:
        agency = event.parse(AgencyCreated)
        reporting.register_agency(agency.code, name=agency.name, level=agency.level, uow=uow)

    return idempotent(database, GROUP, dispatch({
        DocumentSubmitted.DESCRIPTOR.full_name: submitted,
        Delivered.DESCRIPTOR.full_name: delivered,
        AgencyCreated.DESCRIPTOR.full_name: agency_created,
    }))
