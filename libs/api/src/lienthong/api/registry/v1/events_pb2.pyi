from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AgencySnapshot(_message.Message):
    __slots__ = ("code", "name", "short_name", "parent_code", "level", "kind", "status", "successor_code", "valid_from")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SHORT_NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_CODE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUCCESSOR_CODE_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    short_name: str
    parent_code: str
    level: str
    kind: str
    status: str
    successor_code: str
    valid_from: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., short_name: _Optional[str] = ..., parent_code: _Optional[str] = ..., level: _Optional[str] = ..., kind: _Optional[str] = ..., status: _Optional[str] = ..., successor_code: _Optional[str] = ..., valid_from: _Optional[str] = ...) -> None: ...

class AgencyCreated(_message.Message):
    __slots__ = ("code", "name", "parent_code", "level", "created_at", "short_name", "kind", "plan_id")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_CODE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    SHORT_NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    parent_code: str
    level: str
    created_at: str
    short_name: str
    kind: str
    plan_id: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., parent_code: _Optional[str] = ..., level: _Optional[str] = ..., created_at: _Optional[str] = ..., short_name: _Optional[str] = ..., kind: _Optional[str] = ..., plan_id: _Optional[str] = ...) -> None: ...

class AgencyUpdated(_message.Message):
    __slots__ = ("agency", "effective_at", "plan_id")
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    agency: AgencySnapshot
    effective_at: str
    plan_id: str
    def __init__(self, agency: _Optional[_Union[AgencySnapshot, _Mapping]] = ..., effective_at: _Optional[str] = ..., plan_id: _Optional[str] = ...) -> None: ...

class AgencyRenamed(_message.Message):
    __slots__ = ("code", "old_name", "new_name", "old_short_name", "new_short_name", "effective_at", "plan_id")
    CODE_FIELD_NUMBER: _ClassVar[int]
    OLD_NAME_FIELD_NUMBER: _ClassVar[int]
    NEW_NAME_FIELD_NUMBER: _ClassVar[int]
    OLD_SHORT_NAME_FIELD_NUMBER: _ClassVar[int]
    NEW_SHORT_NAME_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    code: str
    old_name: str
    new_name: str
    old_short_name: str
    new_short_name: str
    effective_at: str
    plan_id: str
    def __init__(self, code: _Optional[str] = ..., old_name: _Optional[str] = ..., new_name: _Optional[str] = ..., old_short_name: _Optional[str] = ..., new_short_name: _Optional[str] = ..., effective_at: _Optional[str] = ..., plan_id: _Optional[str] = ...) -> None: ...

class AgencyMoved(_message.Message):
    __slots__ = ("code", "old_parent_code", "new_parent_code", "effective_at", "plan_id")
    CODE_FIELD_NUMBER: _ClassVar[int]
    OLD_PARENT_CODE_FIELD_NUMBER: _ClassVar[int]
    NEW_PARENT_CODE_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    code: str
    old_parent_code: str
    new_parent_code: str
    effective_at: str
    plan_id: str
    def __init__(self, code: _Optional[str] = ..., old_parent_code: _Optional[str] = ..., new_parent_code: _Optional[str] = ..., effective_at: _Optional[str] = ..., plan_id: _Optional[str] = ...) -> None: ...

class AgenciesMerged(_message.Message):
    __slots__ = ("merged_codes", "successor_code", "successor_created", "moved_children", "effective_at", "plan_id", "successor")
    MERGED_CODES_FIELD_NUMBER: _ClassVar[int]
    SUCCESSOR_CODE_FIELD_NUMBER: _ClassVar[int]
    SUCCESSOR_CREATED_FIELD_NUMBER: _ClassVar[int]
    MOVED_CHILDREN_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    SUCCESSOR_FIELD_NUMBER: _ClassVar[int]
    merged_codes: _containers.RepeatedScalarFieldContainer[str]
    successor_code: str
    successor_created: bool
    moved_children: _containers.RepeatedScalarFieldContainer[str]
    effective_at: str
    plan_id: str
    successor: AgencySnapshot
    def __init__(self, merged_codes: _Optional[_Iterable[str]] = ..., successor_code: _Optional[str] = ..., successor_created: _Optional[bool] = ..., moved_children: _Optional[_Iterable[str]] = ..., effective_at: _Optional[str] = ..., plan_id: _Optional[str] = ..., successor: _Optional[_Union[AgencySnapshot, _Mapping]] = ...) -> None: ...

class AgencySplit(_message.Message):
    __slots__ = ("code", "successor_codes", "takes_incoming_code", "created_codes", "moved_children", "effective_at", "plan_id")
    CODE_FIELD_NUMBER: _ClassVar[int]
    SUCCESSOR_CODES_FIELD_NUMBER: _ClassVar[int]
    TAKES_INCOMING_CODE_FIELD_NUMBER: _ClassVar[int]
    CREATED_CODES_FIELD_NUMBER: _ClassVar[int]
    MOVED_CHILDREN_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    code: str
    successor_codes: _containers.RepeatedScalarFieldContainer[str]
    takes_incoming_code: str
    created_codes: _containers.RepeatedScalarFieldContainer[str]
    moved_children: _containers.RepeatedScalarFieldContainer[str]
    effective_at: str
    plan_id: str
    def __init__(self, code: _Optional[str] = ..., successor_codes: _Optional[_Iterable[str]] = ..., takes_incoming_code: _Optional[str] = ..., created_codes: _Optional[_Iterable[str]] = ..., moved_children: _Optional[_Iterable[str]] = ..., effective_at: _Optional[str] = ..., plan_id: _Optional[str] = ...) -> None: ...

class AgencyDissolved(_message.Message):
    __slots__ = ("code", "successor_code", "moved_children", "effective_at", "plan_id")
    CODE_FIELD_NUMBER: _ClassVar[int]
    SUCCESSOR_CODE_FIELD_NUMBER: _ClassVar[int]
    MOVED_CHILDREN_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    code: str
    successor_code: str
    moved_children: _containers.RepeatedScalarFieldContainer[str]
    effective_at: str
    plan_id: str
    def __init__(self, code: _Optional[str] = ..., successor_code: _Optional[str] = ..., moved_children: _Optional[_Iterable[str]] = ..., effective_at: _Optional[str] = ..., plan_id: _Optional[str] = ...) -> None: ...

class AgencyCodeChanged(_message.Message):
    __slots__ = ("old_code", "new_code", "moved_children", "effective_at", "plan_id", "agency")
    OLD_CODE_FIELD_NUMBER: _ClassVar[int]
    NEW_CODE_FIELD_NUMBER: _ClassVar[int]
    MOVED_CHILDREN_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    old_code: str
    new_code: str
    moved_children: _containers.RepeatedScalarFieldContainer[str]
    effective_at: str
    plan_id: str
    agency: AgencySnapshot
    def __init__(self, old_code: _Optional[str] = ..., new_code: _Optional[str] = ..., moved_children: _Optional[_Iterable[str]] = ..., effective_at: _Optional[str] = ..., plan_id: _Optional[str] = ..., agency: _Optional[_Union[AgencySnapshot, _Mapping]] = ...) -> None: ...

class ReorganisationPlanApplied(_message.Message):
    __slots__ = ("plan_id", "effective_at", "operations", "events")
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    OPERATIONS_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    plan_id: str
    effective_at: str
    operations: int
    events: int
    def __init__(self, plan_id: _Optional[str] = ..., effective_at: _Optional[str] = ..., operations: _Optional[int] = ..., events: _Optional[int] = ...) -> None: ...

class DocumentIdentifierIssued(_message.Message):
    __slots__ = ("agency_code", "identifier", "year", "number", "issued_at", "sequence", "reserved_until", "purpose")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    RESERVED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    identifier: str
    year: int
    number: int
    issued_at: str
    sequence: str
    reserved_until: str
    purpose: str
    def __init__(self, agency_code: _Optional[str] = ..., identifier: _Optional[str] = ..., year: _Optional[int] = ..., number: _Optional[int] = ..., issued_at: _Optional[str] = ..., sequence: _Optional[str] = ..., reserved_until: _Optional[str] = ..., purpose: _Optional[str] = ...) -> None: ...

class IdentifierConfirmed(_message.Message):
    __slots__ = ("agency_code", "identifier", "sequence", "year", "number", "reference", "confirmed_at")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_AT_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    identifier: str
    sequence: str
    year: int
    number: int
    reference: str
    confirmed_at: str
    def __init__(self, agency_code: _Optional[str] = ..., identifier: _Optional[str] = ..., sequence: _Optional[str] = ..., year: _Optional[int] = ..., number: _Optional[int] = ..., reference: _Optional[str] = ..., confirmed_at: _Optional[str] = ...) -> None: ...

class IdentifierVoided(_message.Message):
    __slots__ = ("agency_code", "identifier", "sequence", "year", "number", "reason", "voided_at")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    VOIDED_AT_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    identifier: str
    sequence: str
    year: int
    number: int
    reason: str
    voided_at: str
    def __init__(self, agency_code: _Optional[str] = ..., identifier: _Optional[str] = ..., sequence: _Optional[str] = ..., year: _Optional[int] = ..., number: _Optional[int] = ..., reason: _Optional[str] = ..., voided_at: _Optional[str] = ...) -> None: ...

class AgencySystemChanged(_message.Message):
    __slots__ = ("system_id", "agency_codes", "name", "push_endpoint", "status", "change", "changed_at")
    SYSTEM_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODES_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PUSH_ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    system_id: str
    agency_codes: _containers.RepeatedScalarFieldContainer[str]
    name: str
    push_endpoint: str
    status: str
    change: str
    changed_at: str
    def __init__(self, system_id: _Optional[str] = ..., agency_codes: _Optional[_Iterable[str]] = ..., name: _Optional[str] = ..., push_endpoint: _Optional[str] = ..., status: _Optional[str] = ..., change: _Optional[str] = ..., changed_at: _Optional[str] = ...) -> None: ...
