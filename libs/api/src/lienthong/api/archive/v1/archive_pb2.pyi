from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class Record(_message.Message):
    __slots__ = ("id", "document_id", "document_identifier", "sender_code", "package_sha256", "package_size", "archived_at", "file_sha256")
    ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    SENDER_CODE_FIELD_NUMBER: _ClassVar[int]
    PACKAGE_SHA256_FIELD_NUMBER: _ClassVar[int]
    PACKAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    ARCHIVED_AT_FIELD_NUMBER: _ClassVar[int]
    FILE_SHA256_FIELD_NUMBER: _ClassVar[int]
    id: str
    document_id: str
    document_identifier: str
    sender_code: str
    package_sha256: str
    package_size: int
    archived_at: str
    file_sha256: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., document_id: _Optional[str] = ..., document_identifier: _Optional[str] = ..., sender_code: _Optional[str] = ..., package_sha256: _Optional[str] = ..., package_size: _Optional[int] = ..., archived_at: _Optional[str] = ..., file_sha256: _Optional[_Iterable[str]] = ...) -> None: ...

class GetRecordRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class VerifyFixityRequest(_message.Message):
    __slots__ = ("record_id",)
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    record_id: str
    def __init__(self, record_id: _Optional[str] = ...) -> None: ...

class VerifyFixityResponse(_message.Message):
    __slots__ = ("intact", "checked_at")
    INTACT_FIELD_NUMBER: _ClassVar[int]
    CHECKED_AT_FIELD_NUMBER: _ClassVar[int]
    intact: bool
    checked_at: str
    def __init__(self, intact: _Optional[bool] = ..., checked_at: _Optional[str] = ...) -> None: ...
