from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Sequence(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEQUENCE_UNSPECIFIED: _ClassVar[Sequence]
    SEQUENCE_DOCUMENT_IDENTIFIER: _ClassVar[Sequence]
    SEQUENCE_OUTGOING_REGISTRATION: _ClassVar[Sequence]
    SEQUENCE_INCOMING_ARRIVAL: _ClassVar[Sequence]

class RecipientError(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RECIPIENT_ERROR_UNSPECIFIED: _ClassVar[RecipientError]
    RECIPIENT_ERROR_INVALID: _ClassVar[RecipientError]
    RECIPIENT_ERROR_UNKNOWN: _ClassVar[RecipientError]
    RECIPIENT_ERROR_EMPTY_GROUP: _ClassVar[RecipientError]
SEQUENCE_UNSPECIFIED: Sequence
SEQUENCE_DOCUMENT_IDENTIFIER: Sequence
SEQUENCE_OUTGOING_REGISTRATION: Sequence
SEQUENCE_INCOMING_ARRIVAL: Sequence
RECIPIENT_ERROR_UNSPECIFIED: RecipientError
RECIPIENT_ERROR_INVALID: RecipientError
RECIPIENT_ERROR_UNKNOWN: RecipientError
RECIPIENT_ERROR_EMPTY_GROUP: RecipientError

class Contact(_message.Message):
    __slots__ = ("email", "phone", "address", "website")
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    WEBSITE_FIELD_NUMBER: _ClassVar[int]
    email: str
    phone: str
    address: str
    website: str
    def __init__(self, email: _Optional[str] = ..., phone: _Optional[str] = ..., address: _Optional[str] = ..., website: _Optional[str] = ...) -> None: ...

class Agency(_message.Message):
    __slots__ = ("code", "name", "parent_code", "level", "status", "successor_code", "short_name", "kind", "contact", "valid_from", "valid_to", "served_by")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_CODE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUCCESSOR_CODE_FIELD_NUMBER: _ClassVar[int]
    SHORT_NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_TO_FIELD_NUMBER: _ClassVar[int]
    SERVED_BY_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    parent_code: str
    level: str
    status: str
    successor_code: str
    short_name: str
    kind: str
    contact: Contact
    valid_from: str
    valid_to: str
    served_by: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., parent_code: _Optional[str] = ..., level: _Optional[str] = ..., status: _Optional[str] = ..., successor_code: _Optional[str] = ..., short_name: _Optional[str] = ..., kind: _Optional[str] = ..., contact: _Optional[_Union[Contact, _Mapping]] = ..., valid_from: _Optional[str] = ..., valid_to: _Optional[str] = ..., served_by: _Optional[str] = ...) -> None: ...

class GetAgencyRequest(_message.Message):
    __slots__ = ("code", "at")
    CODE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    code: str
    at: str
    def __init__(self, code: _Optional[str] = ..., at: _Optional[str] = ...) -> None: ...

class ListAgenciesRequest(_message.Message):
    __slots__ = ("level", "kind", "parent_code", "status", "at", "page_size", "page_token")
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PARENT_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    level: str
    kind: str
    parent_code: str
    status: str
    at: str
    page_size: int
    page_token: str
    def __init__(self, level: _Optional[str] = ..., kind: _Optional[str] = ..., parent_code: _Optional[str] = ..., status: _Optional[str] = ..., at: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListAgenciesResponse(_message.Message):
    __slots__ = ("agencies", "next_page_token")
    AGENCIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    agencies: _containers.RepeatedCompositeFieldContainer[Agency]
    next_page_token: str
    def __init__(self, agencies: _Optional[_Iterable[_Union[Agency, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class SearchAgenciesRequest(_message.Message):
    __slots__ = ("query", "limit", "at")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    query: str
    limit: int
    at: str
    def __init__(self, query: _Optional[str] = ..., limit: _Optional[int] = ..., at: _Optional[str] = ...) -> None: ...

class SearchAgenciesResponse(_message.Message):
    __slots__ = ("agencies",)
    AGENCIES_FIELD_NUMBER: _ClassVar[int]
    agencies: _containers.RepeatedCompositeFieldContainer[Agency]
    def __init__(self, agencies: _Optional[_Iterable[_Union[Agency, _Mapping]]] = ...) -> None: ...

class ResolveRequest(_message.Message):
    __slots__ = ("code", "at")
    CODE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    code: str
    at: str
    def __init__(self, code: _Optional[str] = ..., at: _Optional[str] = ...) -> None: ...

class SuccessionStep(_message.Message):
    __slots__ = ("from_code", "to_code", "change", "effective_at")
    FROM_CODE_FIELD_NUMBER: _ClassVar[int]
    TO_CODE_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    from_code: str
    to_code: str
    change: str
    effective_at: str
    def __init__(self, from_code: _Optional[str] = ..., to_code: _Optional[str] = ..., change: _Optional[str] = ..., effective_at: _Optional[str] = ...) -> None: ...

class ResolveResponse(_message.Message):
    __slots__ = ("agency", "succession_chain", "steps")
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    SUCCESSION_CHAIN_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    agency: Agency
    succession_chain: _containers.RepeatedScalarFieldContainer[str]
    steps: _containers.RepeatedCompositeFieldContainer[SuccessionStep]
    def __init__(self, agency: _Optional[_Union[Agency, _Mapping]] = ..., succession_chain: _Optional[_Iterable[str]] = ..., steps: _Optional[_Iterable[_Union[SuccessionStep, _Mapping]]] = ...) -> None: ...

class IssueIdentifierRequest(_message.Message):
    __slots__ = ("agency_code", "issued_at", "sequence", "purpose")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    issued_at: str
    sequence: Sequence
    purpose: str
    def __init__(self, agency_code: _Optional[str] = ..., issued_at: _Optional[str] = ..., sequence: _Optional[_Union[Sequence, str]] = ..., purpose: _Optional[str] = ...) -> None: ...

class IssueIdentifierResponse(_message.Message):
    __slots__ = ("identifier", "year", "number", "sequence", "reserved_until")
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    RESERVED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    identifier: str
    year: int
    number: int
    sequence: Sequence
    reserved_until: str
    def __init__(self, identifier: _Optional[str] = ..., year: _Optional[int] = ..., number: _Optional[int] = ..., sequence: _Optional[_Union[Sequence, str]] = ..., reserved_until: _Optional[str] = ...) -> None: ...

class ConfirmIdentifierRequest(_message.Message):
    __slots__ = ("identifier", "sequence", "reference")
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    identifier: str
    sequence: Sequence
    reference: str
    def __init__(self, identifier: _Optional[str] = ..., sequence: _Optional[_Union[Sequence, str]] = ..., reference: _Optional[str] = ...) -> None: ...

class ConfirmIdentifierResponse(_message.Message):
    __slots__ = ("identifier", "state")
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    identifier: str
    state: str
    def __init__(self, identifier: _Optional[str] = ..., state: _Optional[str] = ...) -> None: ...

class VoidIdentifierRequest(_message.Message):
    __slots__ = ("identifier", "sequence", "reason")
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    identifier: str
    sequence: Sequence
    reason: str
    def __init__(self, identifier: _Optional[str] = ..., sequence: _Optional[_Union[Sequence, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class VoidIdentifierResponse(_message.Message):
    __slots__ = ("identifier", "state")
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    identifier: str
    state: str
    def __init__(self, identifier: _Optional[str] = ..., state: _Optional[str] = ...) -> None: ...

class VerifyCredentialRequest(_message.Message):
    __slots__ = ("client_id", "client_secret")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_SECRET_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    client_secret: str
    def __init__(self, client_id: _Optional[str] = ..., client_secret: _Optional[str] = ...) -> None: ...

class VerifyCredentialResponse(_message.Message):
    __slots__ = ("client_id", "agency_codes", "scopes", "role")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODES_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    agency_codes: _containers.RepeatedScalarFieldContainer[str]
    scopes: _containers.RepeatedScalarFieldContainer[str]
    role: str
    def __init__(self, client_id: _Optional[str] = ..., agency_codes: _Optional[_Iterable[str]] = ..., scopes: _Optional[_Iterable[str]] = ..., role: _Optional[str] = ...) -> None: ...

class ListAgencySystemsRequest(_message.Message):
    __slots__ = ("agency_code",)
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    def __init__(self, agency_code: _Optional[str] = ...) -> None: ...

class AgencySystem(_message.Message):
    __slots__ = ("id", "agency_code", "agency_codes", "name", "vendor", "push_endpoint", "public_key_pem", "certificate_pem", "status")
    ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODES_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_FIELD_NUMBER: _ClassVar[int]
    PUSH_ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_PEM_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_PEM_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    id: str
    agency_code: str
    agency_codes: _containers.RepeatedScalarFieldContainer[str]
    name: str
    vendor: str
    push_endpoint: str
    public_key_pem: str
    certificate_pem: str
    status: str
    def __init__(self, id: _Optional[str] = ..., agency_code: _Optional[str] = ..., agency_codes: _Optional[_Iterable[str]] = ..., name: _Optional[str] = ..., vendor: _Optional[str] = ..., push_endpoint: _Optional[str] = ..., public_key_pem: _Optional[str] = ..., certificate_pem: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class ListAgencySystemsResponse(_message.Message):
    __slots__ = ("systems",)
    SYSTEMS_FIELD_NUMBER: _ClassVar[int]
    systems: _containers.RepeatedCompositeFieldContainer[AgencySystem]
    def __init__(self, systems: _Optional[_Iterable[_Union[AgencySystem, _Mapping]]] = ...) -> None: ...

class VerifySystemSignatureRequest(_message.Message):
    __slots__ = ("system_id", "message", "signature")
    SYSTEM_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    system_id: str
    message: str
    signature: str
    def __init__(self, system_id: _Optional[str] = ..., message: _Optional[str] = ..., signature: _Optional[str] = ...) -> None: ...

class VerifySystemSignatureResponse(_message.Message):
    __slots__ = ("system",)
    SYSTEM_FIELD_NUMBER: _ClassVar[int]
    system: AgencySystem
    def __init__(self, system: _Optional[_Union[AgencySystem, _Mapping]] = ...) -> None: ...

class ResolveRecipientsRequest(_message.Message):
    __slots__ = ("recipients", "at", "sender_code")
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    SENDER_CODE_FIELD_NUMBER: _ClassVar[int]
    recipients: _containers.RepeatedScalarFieldContainer[str]
    at: str
    sender_code: str
    def __init__(self, recipients: _Optional[_Iterable[str]] = ..., at: _Optional[str] = ..., sender_code: _Optional[str] = ...) -> None: ...

class ResolvedRecipient(_message.Message):
    __slots__ = ("recipient", "group", "agencies", "succession_chain", "error", "error_reason")
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    AGENCIES_FIELD_NUMBER: _ClassVar[int]
    SUCCESSION_CHAIN_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ERROR_REASON_FIELD_NUMBER: _ClassVar[int]
    recipient: str
    group: bool
    agencies: _containers.RepeatedCompositeFieldContainer[Agency]
    succession_chain: _containers.RepeatedScalarFieldContainer[str]
    error: str
    error_reason: RecipientError
    def __init__(self, recipient: _Optional[str] = ..., group: _Optional[bool] = ..., agencies: _Optional[_Iterable[_Union[Agency, _Mapping]]] = ..., succession_chain: _Optional[_Iterable[str]] = ..., error: _Optional[str] = ..., error_reason: _Optional[_Union[RecipientError, str]] = ...) -> None: ...

class ResolveRecipientsResponse(_message.Message):
    __slots__ = ("recipients",)
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    recipients: _containers.RepeatedCompositeFieldContainer[ResolvedRecipient]
    def __init__(self, recipients: _Optional[_Iterable[_Union[ResolvedRecipient, _Mapping]]] = ...) -> None: ...
