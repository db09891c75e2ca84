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
