from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class AgencyCountsChanged(_message.Message):
    __slots__ = ("agency_code", "sent", "received", "signed", "changed_at")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    SENT_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_FIELD_NUMBER: _ClassVar[int]
    SIGNED_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    sent: int
    received: int
    signed: int
    changed_at: str
    def __init__(self, agency_code: _Optional[str] = ..., sent: _Optional[int] = ..., received: _Optional[int] = ..., signed: _Optional[int] = ..., changed_at: _Optional[str] = ...) -> None: ...
