from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Delivery(_message.Message):
    __slots__ = ("id", "document_id", "sender_code", "recipient_code", "addressed_code", "state", "status_code", "created_at", "updated_at", "channel", "via_group", "succession_chain")
    ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SENDER_CODE_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_CODE_FIELD_NUMBER: _ClassVar[int]
    ADDRESSED_CODE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    VIA_GROUP_FIELD_NUMBER: _ClassVar[int]
    SUCCESSION_CHAIN_FIELD_NUMBER: _ClassVar[int]
    id: str
    document_id: str
    sender_code: str
    recipient_code: str
    addressed_code: str
    state: str
    status_code: str
    created_at: str
    updated_at: str
    channel: str
    via_group: str
    succession_chain: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., document_id: _Optional[str] = ..., sender_code: _Optional[str] = ..., recipient_code: _Optional[str] = ..., addressed_code: _Optional[str] = ..., state: _Optional[str] = ..., status_code: _Optional[str] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ..., channel: _Optional[str] = ..., via_group: _Optional[str] = ..., succession_chain: _Optional[_Iterable[str]] = ...) -> None: ...

class ListDeliveriesRequest(_message.Message):
    __slots__ = ("document_id",)
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    def __init__(self, document_id: _Optional[str] = ...) -> None: ...

class ListDeliveriesResponse(_message.Message):
    __slots__ = ("deliveries",)
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    deliveries: _containers.RepeatedCompositeFieldContainer[Delivery]
    def __init__(self, deliveries: _Optional[_Iterable[_Union[Delivery, _Mapping]]] = ...) -> None: ...

class CheckRecipientRequest(_message.Message):
    __slots__ = ("document_id", "agency_codes")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODES_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    agency_codes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, document_id: _Optional[str] = ..., agency_codes: _Optional[_Iterable[str]] = ...) -> None: ...

class CheckRecipientResponse(_message.Message):
    __slots__ = ("received_by",)
    RECEIVED_BY_FIELD_NUMBER: _ClassVar[int]
    received_by: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, received_by: _Optional[_Iterable[str]] = ...) -> None: ...

class ChangeRequest(_message.Message):
    __slots__ = ("id", "delivery_id", "document_id", "kind", "requested_by", "requested_at", "reason", "related_document_id", "outcome", "answer_reason", "answered_at", "recipient_code")
    ID_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RELATED_DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    ANSWER_REASON_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_CODE_FIELD_NUMBER: _ClassVar[int]
    id: str
    delivery_id: str
    document_id: str
    kind: str
    requested_by: str
    requested_at: str
    reason: str
    related_document_id: str
    outcome: str
    answer_reason: str
    answered_at: str
    recipient_code: str
    def __init__(self, id: _Optional[str] = ..., delivery_id: _Optional[str] = ..., document_id: _Optional[str] = ..., kind: _Optional[str] = ..., requested_by: _Optional[str] = ..., requested_at: _Optional[str] = ..., reason: _Optional[str] = ..., related_document_id: _Optional[str] = ..., outcome: _Optional[str] = ..., answer_reason: _Optional[str] = ..., answered_at: _Optional[str] = ..., recipient_code: _Optional[str] = ...) -> None: ...
