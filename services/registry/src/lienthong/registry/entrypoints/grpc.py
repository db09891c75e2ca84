"""gRPC servicer of the registry (``lienthong.api.registry.v1.RegistryService``)."""

from __future__ import annotations

from datetime import datetime

import grpc

from lienthong.api.registry.v1 import registry_pb2, registry_pb2_grpc
from lienthong.platform import clock
from lienthong.platform.errors import FieldError, InvalidInput
from lienthong.registry.domain.agency import Agency
from lienthong.registry.domain.identifier import (
    DOCUMENT_IDENTIFIER_SEQUENCE,
    INCOMING_ARRIVAL,
    OUTGOING_REGISTRATION,
)
from lienthong.registry.service.directory import (
    EMPTY_GROUP,
    INVALID_RECIPIENT,
    UNKNOWN_RECIPIENT,
    ResolvedRecipient,
    parse_at,
)
from lienthong.registry.service.identities import AGENCY_ROLE, ConnectedSystem
from lienthong.registry.service.use_cases import Registry

SEQUENCE_NAMES = {
    registry_pb2.SEQUENCE_UNSPECIFIED: DOCUMENT_IDENTIFIER_SEQUENCE,
    registry_pb2.SEQUENCE_DOCUMENT_IDENTIFIER: DOCUMENT_IDENTIFIER_SEQUENCE,
    registry_pb2.SEQUENCE_OUTGOING_REGISTRATION: OUTGOING_REGISTRATION,
    registry_pb2.SEQUENCE_INCOMING_ARRIVAL: INCOMING_ARRIVAL,
}
SEQUENCE_ENUMS = {DOCUMENT_IDENTIFIER_SEQUENCE: registry_pb2.SEQUENCE_DOCUMENT_IDENTIFIER,
                  OUTGOING_REGISTRATION: registry_pb2.SEQUENCE_OUTGOING_REGISTRATION,
                  INCOMING_ARRIVAL: registry_pb2.SEQUENCE_INCOMING_ARRIVAL}


def agency_message(a: Agency) -> registry_pb2.Agency:
    """The wire form of an agency version."""
    c = a.contact
    return registry_pb2.Agency(
        code=a.code, name=a.name, parent_code=a.parent_code or "", level=a.level, status=a.status,
        successor_code=a.successor_code or "", short_name=a.short_name, kind=a.kind,
        contact=registry_pb2.Contact(email=c.email, phone=c.phone, address=c.address, website=c.website),
        valid_from=clock.iso(a.valid_from) if a.valid_from else "",
        valid_to=clock.iso(a.valid_to) if a.valid_to else "", served_by=a.served_by)


def system_message(s: ConnectedSystem) -> registry_pb2.AgencySystem:
    return registry_pb2.AgencySystem(id=s.system_id, agency_code=s.owner_agency, agency_codes=s.agency_codes,
                                     name=s.name, vendor=s.vendor, push_endpoint=s.push_endpoint,
                                     public_key_pem=s.public_key_pem, certificate_pem=s.certificate_pem,
                                     status=s.status)


RECIPIENT_ERRORS = {"": registry_pb2.RECIPIENT_ERROR_UNSPECIFIED, INVALID_RECIPIENT: registry_pb2.RECIPIENT_ERROR_INVALID,
                    UNKNOWN_RECIPIENT: registry_pb2.RECIPIENT_ERROR_UNKNOWN,
                    EMPTY_GROUP: registry_pb2.RECIPIENT_ERROR_EMPTY_GROUP}


def recipient_message(r: ResolvedRecipient) -> registry_pb2.ResolvedRecipient:
    """The wire form of one resolved recipient."""
    return registry_pb2.ResolvedRecipient(
        recipient=r.recipient, group=r.group, agencies=[agency_message(a) for a in r.agencies],
        succession_chain=r.chain, error=r.error, error_reason=RECIPIENT_ERRORS[r.reason])


def _sequence(value: int) -> str:
    if value not in SEQUENCE_NAMES:
        raise InvalidInput(f"unknown sequence {value}", errors=[FieldError("sequence", "not a Sequence value")])
    return SEQUENCE_NAMES[value]


def _at(text: str, field_name: str = "at") -> datetime | None:
    return parse_at(text, field_name) if text else None


class RegistryServicer(registry_pb2_grpc.RegistryServiceServicer):
    """Thin mapping between the wire and the registry's use cases (errors map through the interceptor)."""

    def __init__(self, registry: Registry):
        self._registry = registry

    def GetAgency(self, request: registry_pb2.GetAgencyRequest, context: grpc.ServicerContext) -> registry_pb2.Agency:
        return agency_message(self._registry.directory.get(request.code, _at(request.at)))

    def ListAgencies(self, request: registry_pb2.ListAgenciesRequest,
                     context: grpc.ServicerContext) -> registry_pb2.ListAgenciesResponse:
        items, token = self._registry.directory.list(
            at=_at(request.at), level=request.level, kind=request.kind, parent_code=request.parent_code,
            status=request.status, page_token=request.page_token, page_size=request.page_size)
        return registry_pb2.ListAgenciesResponse(agencies=[agency_message(a) for a in items], next_page_token=token)

    def SearchAgencies(self, request: registry_pb2.SearchAgenciesRequest,
                       context: grpc.ServicerContext) -> registry_pb2.SearchAgenciesResponse:
        items = self._registry.directory.search(request.query, at=_at(request.at), limit=request.limit)
        return registry_pb2.SearchAgenciesResponse(agencies=[agency_message(a) for a in items])

    def Resolve(self, request: registry_pb2.ResolveRequest,
                context: grpc.ServicerContext) -> registry_pb2.ResolveResponse:
        res = self._registry.directory.resolve(request.code, _at(request.at))
        steps = [registry_pb2.SuccessionStep(from_code=s.from_code, to_code=s.to_code, change=s.change,
                                             effective_at=clock.iso(s.effective_at) if s.effective_at else "")
                 for s in res.steps]
        return registry_pb2.ResolveResponse(agency=agency_message(res.agency), succession_chain=res.chain,
                                            steps=steps)

    def IssueIdentifier(self, request: registry_pb2.IssueIdentifierRequest,
                        context: grpc.ServicerContext) -> registry_pb2.IssueIdentifierResponse:
        sequence = _sequence(request.sequence)
        issued = self._registry.numbering.issue(request.agency_code, sequence=sequence,
                                                issued_at=_at(request.issued_at, "issued_at"),
                                                purpose=request.purpose)
        return registry_pb2.IssueIdentifierResponse(
            identifier=issued.identifier, year=issued.key.year, number=issued.key.number,
            sequence=SEQUENCE_ENUMS[sequence], reserved_until=clock.iso(issued.reserved_until))

    def ConfirmIdentifier(self, request: registry_pb2.ConfirmIdentifierRequest,
                          context: grpc.ServicerContext) -> registry_pb2.ConfirmIdentifierResponse:
        state = self._registry.numbering.confirm(request.identifier, sequence=_sequence(request.sequence),
                                                 reference=request.reference)
        return registry_pb2.ConfirmIdentifierResponse(identifier=request.identifier.strip(), state=state)

    def VoidIdentifier(self, request: registry_pb2.VoidIdentifierRequest,
                       context: grpc.ServicerContext) -> registry_pb2.VoidIdentifierResponse:
        state = self._registry.numbering.void(request.identifier, sequence=_sequence(request.sequence),
                                              reason=request.reason)
        return registry_pb2.VoidIdentifierResponse(identifier=request.identifier.strip(), state=state)

    def VerifyCredential(self, request: registry_pb2.VerifyCredentialRequest,
                         context: grpc.ServicerContext) -> registry_pb2.VerifyCredentialResponse:
        client = self._registry.identities.verify_credential(request.client_id, request.client_secret)
        return registry_pb2.VerifyCredentialResponse(
            client_id=client.client_id, agency_codes=client.agency_codes, scopes=client.scopes,
            role="agency" if client.role == AGENCY_ROLE else client.role)

    def ListAgencySystems(self, request: registry_pb2.ListAgencySystemsRequest,
                          context: grpc.ServicerContext) -> registry_pb2.ListAgencySystemsResponse:
        systems = self._registry.identities.systems_acting_for(request.agency_code)
        return registry_pb2.ListAgencySystemsResponse(systems=[system_message(s) for s in systems])

    def VerifySystemSignature(self, request: registry_pb2.VerifySystemSignatureRequest,
                              context: grpc.ServicerContext) -> registry_pb2.VerifySystemSignatureResponse:
        system = self._registry.identities.verify_signature(request.system_id, request.message, request.signature)
        return registry_pb2.VerifySystemSignatureResponse(system=system_message(system))

    def ResolveRecipients(self, request: registry_pb2.ResolveRecipientsRequest,
                          context: grpc.ServicerContext) -> registry_pb2.ResolveRecipientsResponse:
        resolved = self._registry.directory.resolve_recipients(list(request.recipients), at=_at(request.at),
                                                               sender_code=request.sender_code)
        return registry_pb2.ResolveRecipientsResponse(recipients=[recipient_message(r) for r in resolved])
