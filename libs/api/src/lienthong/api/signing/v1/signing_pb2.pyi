from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RenewEvidenceRequest(_message.Message):
    __slots__ = ("pdf", "dry_run", "force", "agency_code", "document_ref")
    PDF_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    FORCE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    pdf: bytes
    dry_run: bool
    force: bool
    agency_code: str
    document_ref: str
    def __init__(self, pdf: _Optional[bytes] = ..., dry_run: _Optional[bool] = ..., force: _Optional[bool] = ..., agency_code: _Optional[str] = ..., document_ref: _Optional[str] = ...) -> None: ...

class RenewEvidenceResponse(_message.Message):
    __slots__ = ("has_document_timestamp", "due", "reason", "last_timestamp_at", "tsa_certificate_not_after", "renewed", "pdf", "audit_id")
    HAS_DOCUMENT_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    DUE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    LAST_TIMESTAMP_AT_FIELD_NUMBER: _ClassVar[int]
    TSA_CERTIFICATE_NOT_AFTER_FIELD_NUMBER: _ClassVar[int]
    RENEWED_FIELD_NUMBER: _ClassVar[int]
    PDF_FIELD_NUMBER: _ClassVar[int]
    AUDIT_ID_FIELD_NUMBER: _ClassVar[int]
    has_document_timestamp: bool
    due: bool
    reason: str
    last_timestamp_at: str
    tsa_certificate_not_after: str
    renewed: bool
    pdf: bytes
    audit_id: str
    def __init__(self, has_document_timestamp: _Optional[bool] = ..., due: _Optional[bool] = ..., reason: _Optional[str] = ..., last_timestamp_at: _Optional[str] = ..., tsa_certificate_not_after: _Optional[str] = ..., renewed: _Optional[bool] = ..., pdf: _Optional[bytes] = ..., audit_id: _Optional[str] = ...) -> None: ...

class ValidateRequest(_message.Message):
    __slots__ = ("data", "file_name", "agency_code", "document_ref")
    DATA_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    file_name: str
    agency_code: str
    document_ref: str
    def __init__(self, data: _Optional[bytes] = ..., file_name: _Optional[str] = ..., agency_code: _Optional[str] = ..., document_ref: _Optional[str] = ...) -> None: ...

class SignAppearance(_message.Message):
    __slots__ = ("kind", "page", "box", "number_symbol")
    KIND_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    BOX_FIELD_NUMBER: _ClassVar[int]
    NUMBER_SYMBOL_FIELD_NUMBER: _ClassVar[int]
    kind: str
    page: int
    box: _containers.RepeatedScalarFieldContainer[float]
    number_symbol: str
    def __init__(self, kind: _Optional[str] = ..., page: _Optional[int] = ..., box: _Optional[_Iterable[float]] = ..., number_symbol: _Optional[str] = ...) -> None: ...

class SignRequest(_message.Message):
    __slots__ = ("pdf", "key_id", "level", "appearance", "field_name", "document_ref", "agency_code")
    PDF_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    APPEARANCE_FIELD_NUMBER: _ClassVar[int]
    FIELD_NAME_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    pdf: bytes
    key_id: str
    level: str
    appearance: SignAppearance
    field_name: str
    document_ref: str
    agency_code: str
    def __init__(self, pdf: _Optional[bytes] = ..., key_id: _Optional[str] = ..., level: _Optional[str] = ..., appearance: _Optional[_Union[SignAppearance, _Mapping]] = ..., field_name: _Optional[str] = ..., document_ref: _Optional[str] = ..., agency_code: _Optional[str] = ...) -> None: ...

class SignResponse(_message.Message):
    __slots__ = ("pdf", "audit_id", "level", "field_name", "output_sha256", "at")
    PDF_FIELD_NUMBER: _ClassVar[int]
    AUDIT_ID_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    FIELD_NAME_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_SHA256_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    pdf: bytes
    audit_id: str
    level: str
    field_name: str
    output_sha256: str
    at: str
    def __init__(self, pdf: _Optional[bytes] = ..., audit_id: _Optional[str] = ..., level: _Optional[str] = ..., field_name: _Optional[str] = ..., output_sha256: _Optional[str] = ..., at: _Optional[str] = ...) -> None: ...

class ExtendRequest(_message.Message):
    __slots__ = ("pdf", "level", "agency_code", "document_ref")
    PDF_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    pdf: bytes
    level: str
    agency_code: str
    document_ref: str
    def __init__(self, pdf: _Optional[bytes] = ..., level: _Optional[str] = ..., agency_code: _Optional[str] = ..., document_ref: _Optional[str] = ...) -> None: ...

class ListKeysRequest(_message.Message):
    __slots__ = ("agency_code",)
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    def __init__(self, agency_code: _Optional[str] = ...) -> None: ...

class KeyInfo(_message.Message):
    __slots__ = ("key_id", "backend", "role", "agency_codes", "subject_name", "organisation", "issuer_name", "serial_number", "certificate_sha256", "not_before", "not_after", "has_seal_image")
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    BACKEND_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODES_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_NAME_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    ISSUER_NAME_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_SHA256_FIELD_NUMBER: _ClassVar[int]
    NOT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    NOT_AFTER_FIELD_NUMBER: _ClassVar[int]
    HAS_SEAL_IMAGE_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    backend: str
    role: str
    agency_codes: _containers.RepeatedScalarFieldContainer[str]
    subject_name: str
    organisation: str
    issuer_name: str
    serial_number: str
    certificate_sha256: str
    not_before: str
    not_after: str
    has_seal_image: bool
    def __init__(self, key_id: _Optional[str] = ..., backend: _Optional[str] = ..., role: _Optional[str] = ..., agency_codes: _Optional[_Iterable[str]] = ..., subject_name: _Optional[str] = ..., organisation: _Optional[str] = ..., issuer_name: _Optional[str] = ..., serial_number: _Optional[str] = ..., certificate_sha256: _Optional[str] = ..., not_before: _Optional[str] = ..., not_after: _Optional[str] = ..., has_seal_image: _Optional[bool] = ...) -> None: ...

class ListKeysResponse(_message.Message):
    __slots__ = ("keys",)
    KEYS_FIELD_NUMBER: _ClassVar[int]
    keys: _containers.RepeatedCompositeFieldContainer[KeyInfo]
    def __init__(self, keys: _Optional[_Iterable[_Union[KeyInfo, _Mapping]]] = ...) -> None: ...

class ValidatePdfRequest(_message.Message):
    __slots__ = ("pdf", "file_name", "agency_code", "document_ref")
    PDF_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    pdf: bytes
    file_name: str
    agency_code: str
    document_ref: str
    def __init__(self, pdf: _Optional[bytes] = ..., file_name: _Optional[str] = ..., agency_code: _Optional[str] = ..., document_ref: _Optional[str] = ...) -> None: ...

class SignatureResult(_message.Message):
    __slots__ = ("field_name", "indication", "sub_indication", "signer_name", "signer_organisation", "signing_time", "timestamp_time", "coverage", "modification_level", "checks", "level", "trust_list", "signer_certificate_sha256", "signer_serial_number", "issuer_name", "certificate_not_before", "certificate_not_after")
    FIELD_NAME_FIELD_NUMBER: _ClassVar[int]
    INDICATION_FIELD_NUMBER: _ClassVar[int]
    SUB_INDICATION_FIELD_NUMBER: _ClassVar[int]
    SIGNER_NAME_FIELD_NUMBER: _ClassVar[int]
    SIGNER_ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    SIGNING_TIME_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_TIME_FIELD_NUMBER: _ClassVar[int]
    COVERAGE_FIELD_NUMBER: _ClassVar[int]
    MODIFICATION_LEVEL_FIELD_NUMBER: _ClassVar[int]
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    TRUST_LIST_FIELD_NUMBER: _ClassVar[int]
    SIGNER_CERTIFICATE_SHA256_FIELD_NUMBER: _ClassVar[int]
    SIGNER_SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ISSUER_NAME_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_NOT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_NOT_AFTER_FIELD_NUMBER: _ClassVar[int]
    field_name: str
    indication: str
    sub_indication: str
    signer_name: str
    signer_organisation: str
    signing_time: str
    timestamp_time: str
    coverage: str
    modification_level: str
    checks: _containers.RepeatedScalarFieldContainer[str]
    level: str
    trust_list: str
    signer_certificate_sha256: str
    signer_serial_number: str
    issuer_name: str
    certificate_not_before: str
    certificate_not_after: str
    def __init__(self, field_name: _Optional[str] = ..., indication: _Optional[str] = ..., sub_indication: _Optional[str] = ..., signer_name: _Optional[str] = ..., signer_organisation: _Optional[str] = ..., signing_time: _Optional[str] = ..., timestamp_time: _Optional[str] = ..., coverage: _Optional[str] = ..., modification_level: _Optional[str] = ..., checks: _Optional[_Iterable[str]] = ..., level: _Optional[str] = ..., trust_list: _Optional[str] = ..., signer_certificate_sha256: _Optional[str] = ..., signer_serial_number: _Optional[str] = ..., issuer_name: _Optional[str] = ..., certificate_not_before: _Optional[str] = ..., certificate_not_after: _Optional[str] = ...) -> None: ...

class ValidationReport(_message.Message):
    __slots__ = ("id", "document_ref", "pdf_sha256", "indication", "signatures", "validated_at", "summary_vi", "warnings", "policy", "policy_violations", "agency_code", "file_name")
    ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    PDF_SHA256_FIELD_NUMBER: _ClassVar[int]
    INDICATION_FIELD_NUMBER: _ClassVar[int]
    SIGNATURES_FIELD_NUMBER: _ClassVar[int]
    VALIDATED_AT_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_VI_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    POLICY_VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    id: str
    document_ref: str
    pdf_sha256: str
    indication: str
    signatures: _containers.RepeatedCompositeFieldContainer[SignatureResult]
    validated_at: str
    summary_vi: str
    warnings: _containers.RepeatedScalarFieldContainer[str]
    policy: str
    policy_violations: _containers.RepeatedScalarFieldContainer[str]
    agency_code: str
    file_name: str
    def __init__(self, id: _Optional[str] = ..., document_ref: _Optional[str] = ..., pdf_sha256: _Optional[str] = ..., indication: _Optional[str] = ..., signatures: _Optional[_Iterable[_Union[SignatureResult, _Mapping]]] = ..., validated_at: _Optional[str] = ..., summary_vi: _Optional[str] = ..., warnings: _Optional[_Iterable[str]] = ..., policy: _Optional[str] = ..., policy_violations: _Optional[_Iterable[str]] = ..., agency_code: _Optional[str] = ..., file_name: _Optional[str] = ...) -> None: ...

class GetReportRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...
