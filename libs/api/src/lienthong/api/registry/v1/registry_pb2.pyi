from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Agency(_message.Message):
    __slots__ = ("code", "name", "parent_code", "level", "status", "successor_code")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_CODE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUCCESSOR_CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    parent_code: str
    level: str
    status: str
    successor_code: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., parent_code: _Optional[str] = ..., level: _Optional[str] = ..., status: _Optional[str] = ..., successor_code: _Optional[str] = ...) -> None: ...

class GetAgencyRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class ResolveAgencyRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class ResolveAgencyResponse(_message.Message):
    __slots__ = ("agency", "succession_chain")
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    SUCCESSION_CHAIN_FIELD_NUMBER: _ClassVar[int]
    agency: Agency
    succession_chain: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, agency: _Optional[_Union[Agency, _Mapping]] = ..., succession_chain: _Optional[_Iterable[str]] = ...) -> None: ...

class IssueDocumentIdentifierRequest(_message.Message):
    __slots__ = ("agency_code", "issued_at")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    issued_at: str
    def __init__(self, agency_code: _Optional[str] = ..., issued_at: _Optional[str] = ...) -> None: ...

class IssueDocumentIdentifierResponse(_message.Message):
    __slots__ = ("identifier", "year", "number")
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    identifier: str
    year: int
    number: int
    def __init__(self, identifier: _Optional[str] = ..., year: _Optional[int] = ..., number: _Optional[int] = ...) -> None: ...
