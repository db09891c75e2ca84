"""gRPC servicer of the registry."""

from __future__ import annotations

import grpc

from lienthong.api.registry.v1 import registry_pb2, registry_pb2_grpc
from lienthong.platform import clock
from lienthong.platform.errors import FieldError, InvalidInput
from lienthong.registry.domain.agency import Agency
from lienthong.registry.service.use_cases import Registry


def agency_message(a: Agency) -> registry_pb2.Agency:
    return registry_pb2.Agency(code=a.code, name=a.name, parent_code=a.parent_code or "", level=a.level,
                               status=a.status, successor_code=a.successor_code or "")


class RegistryServicer(registry_pb2_grpc.RegistryServiceServicer):
    def __init__(self, registry: Registry):
        self._registry = registry

    def GetAgency(self, request: registry_pb2.GetAgencyRequest, context: grpc.ServicerContext) -> registry_pb2.Agency:
        return agency_message(self._registry.get_agency(request.code))

    def Resolve(self, request: registry_pb2.ResolveRequest,
                context: grpc.ServicerContext) -> registry_pb2.ResolveResponse:
        res = self._registry.resolve(request.code)
        return registry_pb2.ResolveResponse(agency=agency_message(res.agency), succession_chain=res.chain)

    def IssueIdentifier(self, request: registry_pb2.IssueIdentifierRequest,
                        context: grpc.ServicerContext) -> registry_pb2.IssueIdentifierResponse:
        issued_at = None
        if request.issued_at:
            try:
                issued_at = clock.parse_iso(request.issued_at)
            except ValueError as exc:
                raise InvalidInput("issued_at is not ISO 8601 with an offset",
                                   errors=[FieldError("issued_at", str(exc))]) from exc
        issued = self._registry.issue_document_identifier(request.agency_code, issued_at)
        return registry_pb2.IssueIdentifierResponse(identifier=issued.identifier, year=issued.year,
                                                    number=issued.number)
