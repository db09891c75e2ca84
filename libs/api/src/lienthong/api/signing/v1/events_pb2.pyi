from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class SignatureValidated(_message.Message):
    __slots__ = ("report_id", "document_ref", "agency_code", "pdf_sha256", "indication", "signature_count", "validated_at")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    PDF_SHA256_FIELD_NUMBER: _ClassVar[int]
    INDICATION_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_COUNT_FIELD_NUMBER: _ClassVar[int]
    VALIDATED_AT_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    document_ref: str
    agency_code: str
    pdf_sha256: str
    indication: str
    signature_count: int
    validated_at: str
    def __init__(self, report_id: _Optional[str] = ..., document_ref: _Optional[str] = ..., agency_code: _Optional[str] = ..., pdf_sha256: _Optional[str] = ..., indication: _Optional[str] = ..., signature_count: _Optional[int] = ..., validated_at: _Optional[str] = ...) -> None: ...

class PdfSigned(_message.Message):
    __slots__ = ("audit_id", "operation", "key_id", "agency_code", "document_ref", "input_sha256", "output_sha256", "level", "field_name", "at")
    AUDIT_ID_FIELD_NUMBER: _ClassVar[int]
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    INPUT_SHA256_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_SHA256_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    FIELD_NAME_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    audit_id: str
    operation: str
    key_id: str
    agency_code: str
    document_ref: str
    input_sha256: str
    output_sha256: str
    level: str
    field_name: str
    at: str
    def __init__(self, audit_id: _Optional[str] = ..., operation: _Optional[str] = ..., key_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., document_ref: _Optional[str] = ..., input_sha256: _Optional[str] = ..., output_sha256: _Optional[str] = ..., level: _Optional[str] = ..., field_name: _Optional[str] = ..., at: _Optional[str] = ...) -> None: ...
