"""gRPC client of the registry, as routing uses it."""

from __future__ import annotations

import grpc

from lienthong.api.registry.v1 import registry_pb2, registry_pb2_grpc
from lienthong.platform.errors import from_rpc_error
from lienthong.platform.grpc import channel


class RegistryResolver:
    """Resolves an addressed agency code to the agency that receives for it now."""

    def __init__(self, target: str, deadline_s: float):
        self._stub = registry_pb2_grpc.RegistryServiceStub(channel(target))
        self._deadline_s = deadline_s

    def resolve(self, code: str) -> str:
        try:
            resp = self._stub.Resolve(registry_pb2.ResolveRequest(code=code), timeout=self._deadline_s)
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        return resp.agency.code
