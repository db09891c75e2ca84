"""gRPC helpers: one server for one or more servicers with the standard health service, error mapping,
and client channels whose calls carry a deadline."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent import futures
from dataclasses import dataclass
from typing import Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from lienthong.platform.errors import DomainError, grpc_abort

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 128 * 1024 * 1024
_OPTIONS = [("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES)]


@dataclass(frozen=True)
class Servicer:
    """A servicer and how to add it: ``add(servicer, server)`` as generated, and its full service name."""

    add: Callable[[Any, grpc.Server], None]
    servicer: Any
    name: str


class DomainErrorInterceptor(grpc.ServerInterceptor):
    """Turns a :class:`DomainError` raised by a unary or streaming handler into its gRPC status."""

    def intercept_service(self, continuation: Callable[..., Any], handler_call_details: Any) -> Any:
        handler = continuation(handler_call_details)
        if handler is None:
            return None

        def wrap_unary(fn: Callable[..., Any]) -> Callable[..., Any]:
            def call(request: Any, context: grpc.ServicerContext) -> Any:
                try:
                    return fn(request, context)
                except DomainError as exc:
                    grpc_abort(context, exc)
            return call

        def wrap_stream(fn: Callable[..., Any]) -> Callable[..., Any]:
            def call(request: Any, context: grpc.ServicerContext) -> Any:
                try:
                    yield from fn(request, context)
                except DomainError as exc:
                    grpc_abort(context, exc)
            return call

        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(wrap_unary(handler.unary_unary),
                                                       handler.request_deserializer, handler.response_serializer)
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(wrap_stream(handler.unary_stream),
                                                        handler.request_deserializer, handler.response_serializer)
        return handler


def build_server(address: str, servicers: Sequence[Servicer], *, max_workers: int = 32) -> grpc.Server:
    """A started-ready server on ``address`` with the servicers, reflection-free health service, error mapping."""
    interceptors: list[grpc.ServerInterceptor] = [DomainErrorInterceptor()]
    try:
        from opentelemetry.instrumentation.grpc import server_interceptor

        interceptors.insert(0, server_interceptor())
    except ImportError:  # telemetry extras absent: serve without tracing
        pass
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=max_workers), interceptors=interceptors,
                         options=_OPTIONS)
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for s in servicers:
        s.add(s.servicer, server)
        health_servicer.set(s.name, health_pb2.HealthCheckResponse.SERVING)
    health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    bound = server.add_insecure_port(address)
    if bound == 0:
        raise OSError(f"cannot bind gRPC server to {address}")
    return server


def channel(target: str) -> grpc.Channel:
    """A client channel to ``target`` (host:port), traced when OpenTelemetry is configured."""
    ch = grpc.insecure_channel(target, options=_OPTIONS)
    try:
        from opentelemetry.instrumentation.grpc import client_interceptor
        from opentelemetry.instrumentation.grpc.grpcext import intercept_channel
    except ImportError:  # telemetry extras absent: an untraced channel
        return ch
    return intercept_channel(ch, client_interceptor())


def check_health(target: str, service: str = "", timeout_s: float = 2.0) -> bool:
    """Ask a server's standard health service whether ``service`` is SERVING."""
    with grpc.insecure_channel(target) as ch:
        stub = health_pb2_grpc.HealthStub(ch)
        try:
            resp = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=timeout_s)
        except grpc.RpcError:
            return False
        return resp.status == health_pb2.HealthCheckResponse.SERVING
