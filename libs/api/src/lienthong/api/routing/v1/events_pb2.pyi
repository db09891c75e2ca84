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
