from lienthong.api.routing.v1 import routing_pb2 as _routing_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DeliveryQueued(_message.Message):
    __slots__ = ("delivery",)
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    delivery: _routing_pb2.Delivery
    def __init__(self, delivery: _Optional[_Union[_routing_pb2.Delivery, _Mapping]] = ...) -> None: ...

class Delivered(_message.Message):
    __slots__ = ("delivery", "channel")
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    delivery: _routing_pb2.Delivery
    channel: str
    def __init__(self, delivery: _Optional[_Union[_routing_pb2.Delivery, _Mapping]] = ..., channel: _Optional[str] = ...) -> None: ...

class DeliveryAcknowledged(_message.Message):
    __slots__ = ("delivery",)
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    delivery: _routing_pb2.Delivery
    def __init__(self, delivery: _Optional[_Union[_routing_pb2.Delivery, _Mapping]] = ...) -> None: ...

class StatusReported(_message.Message):
    __slots__ = ("delivery", "status_code", "description", "reported_at", "reported_by")
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    REPORTED_AT_FIELD_NUMBER: _ClassVar[int]
    REPORTED_BY_FIELD_NUMBER: _ClassVar[int]
    delivery: _routing_pb2.Delivery
    status_code: str
    description: str
    reported_at: str
    reported_by: str
    def __init__(self, delivery: _Optional[_Union[_routing_pb2.Delivery, _Mapping]] = ..., status_code: _Optional[str] = ..., description: _Optional[str] = ..., reported_at: _Optional[str] = ..., reported_by: _Optional[str] = ...) -> None: ...

class ChangeRequested(_message.Message):
    __slots__ = ("delivery", "request")
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    delivery: _routing_pb2.Delivery
    request: _routing_pb2.ChangeRequest
    def __init__(self, delivery: _Optional[_Union[_routing_pb2.Delivery, _Mapping]] = ..., request: _Optional[_Union[_routing_pb2.ChangeRequest, _Mapping]] = ...) -> None: ...

class ChangeAnswered(_message.Message):
    __slots__ = ("delivery", "request")
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    delivery: _routing_pb2.Delivery
    request: _routing_pb2.ChangeRequest
    def __init__(self, delivery: _Optional[_Union[_routing_pb2.Delivery, _Mapping]] = ..., request: _Optional[_Union[_routing_pb2.ChangeRequest, _Mapping]] = ...) -> None: ...

class DeliveryFailed(_message.Message):
    __slots__ = ("delivery", "attempt", "error", "failed_at", "next_attempt_at")
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    FAILED_AT_FIELD_NUMBER: _ClassVar[int]
    NEXT_ATTEMPT_AT_FIELD_NUMBER: _ClassVar[int]
    delivery: _routing_pb2.Delivery
    attempt: int
    error: str
    failed_at: str
    next_attempt_at: str
    def __init__(self, delivery: _Optional[_Union[_routing_pb2.Delivery, _Mapping]] = ..., attempt: _Optional[int] = ..., error: _Optional[str] = ..., failed_at: _Optional[str] = ..., next_attempt_at: _Optional[str] = ...) -> None: ...

class DeadLettered(_message.Message):
    __slots__ = ("delivery", "attempts", "error", "dead_lettered_at")
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    DEAD_LETTERED_AT_FIELD_NUMBER: _ClassVar[int]
    delivery: _routing_pb2.Delivery
    attempts: int
    error: str
    dead_lettered_at: str
    def __init__(self, delivery: _Optional[_Union[_routing_pb2.Delivery, _Mapping]] = ..., attempts: _Optional[int] = ..., error: _Optional[str] = ..., dead_lettered_at: _Optional[str] = ...) -> None: ...

class DeadLetterRedriven(_message.Message):
    __slots__ = ("delivery", "redriven_by", "redriven_at")
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    REDRIVEN_BY_FIELD_NUMBER: _ClassVar[int]
    REDRIVEN_AT_FIELD_NUMBER: _ClassVar[int]
    delivery: _routing_pb2.Delivery
    redriven_by: str
    redriven_at: str
    def __init__(self, delivery: _Optional[_Union[_routing_pb2.Delivery, _Mapping]] = ..., redriven_by: _Optional[str] = ..., redriven_at: _Optional[str] = ...) -> None: ...

class DeliveryUndeliverable(_message.Message):
    __slots__ = ("delivery", "reason")
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    delivery: _routing_pb2.Delivery
    reason: str
    def __init__(self, delivery: _Optional[_Union[_routing_pb2.Delivery, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...
