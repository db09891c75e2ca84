"""The event envelope: a protobuf payload with CloudEvents attributes (Kafka binary binding)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TypeVar

from google.protobuf.message import Message

from lienthong.platform import clock

SPEC_VERSION = "1.0"
PROTOBUF = "application/protobuf"
M = TypeVar("M", bound=Message)


def topic_of(service: str) -> str:
    """The one topic a service produces to: ``lienthong.<service>.v1``."""
    return f"lienthong.{service}.v1"


@dataclass(frozen=True)
class Event:
    """One event as it travels: CloudEvents attributes, the partition key and the encoded payload.

    ``type`` is the payload's full protobuf name (``lienthong.api.documents.v1.DocumentSubmitted``),
    ``key`` the aggregate id (document id, agency code), which fixes ordering per key.
    """

    id: str
    type: str
    source: str
    time: str
    topic: str
    key: str
    data: bytes
    content_type: str = PROTOBUF
    traceparent: str | None = None
    extra_headers: tuple[tuple[str, str], ...] = field(default=())

    @classmethod
    def of(cls, message: Message, *, service: str, key: str, event_id: str | None = None,
           traceparent: str | None = None) -> Event:
        """Wrap a protobuf message produced by ``service`` (topic ``lienthong.<service>.v1``)."""
        if traceparent is None:
            from lienthong.platform.telemetry import current_traceparent

            traceparent = current_traceparent()
        return cls(
            id=event_id or str(uuid.uuid4()),
            type=message.DESCRIPTOR.full_name,
            source=f"lienthong/{service}",
            time=clock.iso(),
            topic=topic_of(service),
            key=key,
            data=message.SerializeToString(),
            traceparent=traceparent,
        )

    def parse(self, message_class: type[M]) -> M:
        """Decode the payload as ``message_class``; refuses a payload of another type."""
        if message_class.DESCRIPTOR.full_name != self.type:
            raise TypeError(f"event {self.id} is {self.type}, not {message_class.DESCRIPTOR.full_name}")
        return message_class.FromString(self.data)

    def headers(self) -> list[tuple[str, bytes]]:
        """Kafka headers of the CloudEvents binary content mode, plus W3C ``traceparent``."""
        out = [
            ("ce_specversion", SPEC_VERSION.encode()),
            ("ce_id", self.id.encode()),
            ("ce_type", self.type.encode()),
            ("ce_source", self.source.encode()),
            ("ce_time", self.time.encode()),
            ("content-type", self.content_type.encode()),
        ]
        if self.traceparent:
            out.append(("traceparent", self.traceparent.encode()))
        out.extend((k, v.encode()) for k, v in self.extra_headers)
        return out

    @classmethod
    def from_record(cls, topic: str, key: bytes | str | None, value: bytes,
                    headers: list[tuple[str, bytes]] | None) -> Event:
        """Rebuild an event from a transport record (topic, key, value, headers)."""
        h = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in (headers or [])}
        known = {"ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time", "content-type", "traceparent"}
        if "ce_id" not in h or "ce_type" not in h:
            raise ValueError("record is not a CloudEvent: ce_id/ce_type headers missing")
        return cls(
            id=h["ce_id"],
            type=h["ce_type"],
            source=h.get("ce_source", ""),
            time=h.get("ce_time", ""),
            topic=topic,
            key=key.decode() if isinstance(key, bytes) else (key or ""),
            data=value,
            content_type=h.get("content-type", PROTOBUF),
            traceparent=h.get("traceparent"),
            extra_headers=tuple((k, v) for k, v in h.items() if k not in known),
        )
