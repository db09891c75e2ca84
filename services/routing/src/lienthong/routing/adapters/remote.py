"""gRPC client of the registry, as routing uses it (the :class:`Directory` port)."""

from __future__ import annotations

import logging

import grpc

from lienthong.api.registry.v1 import registry_pb2, registry_pb2_grpc
from lienthong.platform.errors import from_rpc_error
from lienthong.platform.grpc import channel
from lienthong.routing.domain.recipients import GroupSpec
from lienthong.routing.service.ports import Member, Resolution

log = logging.getLogger(__name__)
PAGE_SIZE = 1000


class GrpcDirectory:
    """Resolve, ListAgencies and ListAgencySystems of the registry's gRPC contract."""

    def __init__(self, target: str, deadline_s: float):
        self._stub = registry_pb2_grpc.RegistryServiceStub(channel(target))
        self._deadline_s = deadline_s
        self._systems_unimplemented_logged = False

    def resolve(self, code: str) -> Resolution:
        try:
            resp = self._stub.Resolve(registry_pb2.ResolveRequest(code=code), timeout=self._deadline_s)
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        agency = resp.agency
        chain = tuple(resp.succession_chain)
        if len(chain) <= 1 and agency.code == code:
            chain = ()
        return Resolution(code=agency.code, chain=chain, served_by=agency.served_by,
                          active=agency.status in ("", "active"))

    def group_members(self, group: GroupSpec) -> list[Member]:
        members: list[Member] = []
        token = ""
        while True:
            try:
                resp = self._stub.ListAgencies(registry_pb2.ListAgenciesRequest(
                    level=group.level, kind=group.kind, parent_code=group.parent, page_size=PAGE_SIZE,
                    page_token=token), timeout=self._deadline_s)
            except grpc.RpcError as exc:
                raise from_rpc_error(exc) from exc
            members.extend(Member(a.code, a.served_by) for a in resp.agencies)
            token = resp.next_page_token
            if not token:
                return members

    def push_endpoints(self, agency_code: str) -> list[str]:
        try:
            resp = self._stub.ListAgencySystems(registry_pb2.ListAgencySystemsRequest(agency_code=agency_code),
                                                timeout=self._deadline_s)
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.UNIMPLEMENTED:
                if not self._systems_unimplemented_logged:
                    log.warning("the registry does not serve ListAgencySystems yet: every agency pulls")
                    self._systems_unimplemented_logged = True
                return []
            raise from_rpc_error(exc) from exc
        return [s.push_endpoint for s in resp.systems if s.push_endpoint and s.status in ("", "active")]
