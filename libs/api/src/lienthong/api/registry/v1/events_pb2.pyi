from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class AgencyCreated(_message.Message):
    __slots__ = ("code", "name", "parent_code", "level", "created_at")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_CODE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    parent_code: str
    level: str
    created_at: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., parent_code: _Optional[str] = ..., level: _Optional[str] = ..., created_at: _Optional[str] = ...) -> None: ...

class DocumentIdentifierIssued(_message.Message):
    __slots__ = ("agency_code", "identifier", "year", "number", "issued_at")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    identifier: str
    year: int
    number: int
    issued_at: str
    def __init__(self, agency_code: _Optional[str] = ..., identifier: _Optional[str] = ..., year: _Optional[int] = ..., number: _Optional[int] = ..., issued_at: _Optional[str] = ...) -> None: ...
