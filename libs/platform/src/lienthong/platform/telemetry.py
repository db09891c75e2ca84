"""Telemetry: OpenTelemetry traces (HTTP, gRPC, SQL, events), Prometheus metrics, JSON logs with trace ids."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from pythonjsonlogger.json import JsonFormatter

from lienthong.platform.clock import VN_TZ

_configured = False


class _VietnamTimeJsonFormatter(JsonFormatter):
    """JSON log lines whose ``time`` is ISO 8601 with +07:00."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, VN_TZ).isoformat(timespec="milliseconds")


class _TraceIdsFilter(logging.Filter):
    """Adds ``trace_id`` and ``span_id`` of the current span to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = trace.get_current_span().get_span_context()
        record.trace_id = format(ctx.trace_id, "032x") if ctx.is_valid else None
        record.span_id = format(ctx.span_id, "016x") if ctx.is_valid else None
        return True


def setup_telemetry(service_name: str, *, log_level: str = "INFO", otlp_endpoint: str | None = None) -> None:
    """Configure JSON logging and the tracer provider once per process (later calls are no-ops)."""
    global _configured
    if _configured:
        return
    _configured = True
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_VietnamTimeJsonFormatter(
        "{asctime}{levelname}{name}{message}{trace_id}{span_id}", style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}, json_ensure_ascii=False,
    ))
    handler.addFilter(_TraceIdsFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(log_level.upper())
    for noisy in ("uvicorn.access",):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=otlp_endpoint, insecure=True)))
    trace.set_tracer_provider(provider)


def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the current span, to travel in an event's headers."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


@contextmanager
def consuming_span(name: str, traceparent: str | None, **attributes: str) -> Iterator[trace.Span]:
    """A consumer span continuing the trace of the event's ``traceparent`` header."""
    parent = propagate.extract({"traceparent": traceparent} if traceparent else {})
    token = otel_context.attach(parent)
    try:
        tracer = trace.get_tracer("lienthong.messaging")
        with tracer.start_as_current_span(name, kind=trace.SpanKind.CONSUMER, attributes=attributes) as span:
            yield span
    finally:
        otel_context.detach(token)
