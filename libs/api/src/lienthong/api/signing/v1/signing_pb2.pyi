from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

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
    __slots__ = ("field_name", "indication", "sub_indication", "signer_name", "signer_organisation", "signing_time", "timestamp_time", "coverage", "modification_level", "checks")
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
    def __init__(self, field_name: _Optional[str] = ..., indication: _Optional[str] = ..., sub_indication: _Optional[str] = ..., signer_name: _Optional[str] = ..., signer_organisation: _Optional[str] = ..., signing_time: _Optional[str] = ..., timestamp_time: _Optional[str] = ..., coverage: _Optional[str] = ..., modification_level: _Optional[str] = ..., checks: _Optional[_Iterable[str]] = ...) -> None: ...

class ValidationReport(_message.Message):
    __slots__ = ("id", "document_ref", "pdf_sha256", "indication", "signatures", "validated_at", "summary_vi")
    ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REF_FIELD_NUMBER: _ClassVar[int]
    PDF_SHA256_FIELD_NUMBER: _ClassVar[int]
    INDICATION_FIELD_NUMBER: _ClassVar[int]
    SIGNATURES_FIELD_NUMBER: _ClassVar[int]
    VALIDATED_AT_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_VI_FIELD_NUMBER: _ClassVar[int]
    id: str
    document_ref: str
    pdf_sha256: str
    indication: str
    signatures: _containers.RepeatedCompositeFieldContainer[SignatureResult]
    validated_at: str
    summary_vi: str
    def __init__(self, id: _Optional[str] = ..., document_ref: _Optional[str] = ..., pdf_sha256: _Optional[str] = ..., indication: _Optional[str] = ..., signatures: _Optional[_Iterable[_Union[SignatureResult, _Mapping]]] = ..., validated_at: _Optional[str] = ..., summary_vi: _Optional[str] = ...) -> None: ...

class GetReportRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...
