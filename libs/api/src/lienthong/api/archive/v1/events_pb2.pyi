from lienthong.api.archive.v1 import archive_pb2 as _archive_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RecordArchived(_message.Message):
    __slots__ = ("record",)
    RECORD_FIELD_NUMBER: _ClassVar[int]
    record: _archive_pb2.Record
    def __init__(self, record: _Optional[_Union[_archive_pb2.Record, _Mapping]] = ...) -> None: ...

class FixityChecked(_message.Message):
    __slots__ = ("record_id", "intact", "checked_at")
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    INTACT_FIELD_NUMBER: _ClassVar[int]
    CHECKED_AT_FIELD_NUMBER: _ClassVar[int]
    record_id: str
    intact: bool
    checked_at: str
    def __init__(self, record_id: _Optional[str] = ..., intact: _Optional[bool] = ..., checked_at: _Optional[str] = ...) -> None: ...
