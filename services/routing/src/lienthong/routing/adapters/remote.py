"""gRPC client of the registry, as routing uses it (the :class:`Directory` port)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import grpc

from lienthong.api.registry.v1 import registry_pb2, registry_pb2_grpc
from lienthong.platform.errors import from_rpc_error
from lienthong.platform.grpc import channel
from lienthong.routing.service.mailbox import DirectoryEntry
from lienthong.routing.service.ports import Recipient, Resolution
from lienthong.vxp.auth import SystemIdentity
from lienthong.vxp.protocol import AuthenticationFailed, UnknownSystem

log = logging.getLogger(__name__)
PAGE_SIZE = 1000


def _recipient(resolved: registry_pb2.ResolvedRecipient) -> Recipient:
    chain = tuple(resolved.succession_chain)
    receivers = tuple(Resolution(code=a.code, chain=() if resolved.group or len(chain) <= 1 else chain,
                                 served_by=a.served_by, active=a.status in ("", "active"))
                      for a in resolved.agencies)
    return Recipient(written=resolved.recipient, group=resolved.group, receivers=receivers, error=resolved.error)


class GrpcDirectory:
    """ResolveRecipients and ListAgencySystems of the registry's gRPC contract."""

    def __init__(self, target: str, deadline_s: float):
        self._stub = registry_pb2_grpc.RegistryServiceStub(channel(target))
        self._deadline_s = deadline_s
        self._systems_unimplemented_logged = False

    def resolve_recipients(self, recipients: Sequence[str]) -> list[Recipient]:
        """The registry's ``ResolveRecipients``: codes resolved with succession, groups expanded."""
        try:
            resp = self._stub.ResolveRecipients(registry_pb2.ResolveRecipientsRequest(recipients=list(recipients)),
                                                timeout=self._deadline_s)
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        return [_recipient(r) for r in resp.recipients]

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


class GrpcSystemVerifier:
    """Registry ``VerifySystemSignature``: the mailbox protocol's :data:`lienthong.vxp.auth.SignatureVerifier`."""

    def __init__(self, target: str, deadline_s: float):
        self._stub = registry_pb2_grpc.RegistryServiceStub(channel(target))
        self._deadline_s = deadline_s

    def __call__(self, system_id: str, message: str, signature: str) -> SystemIdentity:
        try:
            resp = self._stub.VerifySystemSignature(registry_pb2.VerifySystemSignatureRequest(
                system_id=system_id, message=message, signature=signature), timeout=self._deadline_s)
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                raise UnknownSystem(f"unknown or disabled system {system_id!r}") from None
            if exc.code() == grpc.StatusCode.UNAUTHENTICATED:
                raise AuthenticationFailed(
                    f"the HMAC of the signed headers does not verify for system {system_id!r}") from None
            raise from_rpc_error(exc) from exc
        system = resp.system
        if system.status not in ("", "active"):
            raise UnknownSystem(f"system {system_id!r} is {system.status}")
        codes = set(system.agency_codes) or ({system.agency_code} if system.agency_code else set())
        return SystemIdentity(system_id, frozenset(codes), system.name)


class GrpcAgencyList:
    """Registry ``ListAgencies``: the directory the mailbox protocol's ``getAgenciesList`` serves."""

    def __init__(self, target: str, deadline_s: float):
        self._stub = registry_pb2_grpc.RegistryServiceStub(channel(target))
        self._deadline_s = deadline_s

    def unknown_codes(self, codes: Sequence[str]) -> list[str]:
        """Those of ``codes`` the registry never knew (``Resolve`` answers NOT_FOUND)."""
        unknown = []
        for code in codes:
            try:
                self._stub.Resolve(registry_pb2.ResolveRequest(code=code), timeout=self._deadline_s)
            except grpc.RpcError as exc:
                if exc.code() != grpc.StatusCode.NOT_FOUND:
                    raise from_rpc_error(exc) from exc
                unknown.append(code)
        return unknown

    def active_agencies(self) -> list[DirectoryEntry]:
        """Every active agency, in the registry's order."""
        entries: list[DirectoryEntry] = []
        token = ""
        while True:
            try:
                resp = self._stub.ListAgencies(registry_pb2.ListAgenciesRequest(page_size=PAGE_SIZE, page_token=token),
                                               timeout=self._deadline_s)
            except grpc.RpcError as exc:
                raise from_rpc_error(exc) from exc
            entries.extend(DirectoryEntry(code=a.code, name=a.name, parent_code=a.parent_code,
                                          email=a.contact.email, served_by=a.served_by,
                                          valid_from=a.valid_from) for a in resp.agencies)
            token = resp.next_page_token
            if not token:
                return entries
