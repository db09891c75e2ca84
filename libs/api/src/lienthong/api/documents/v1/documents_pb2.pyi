from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SubmitEdxmlRequest(_message.Message):
    __slots__ = ("agency_code", "idempotency_key", "data")
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    agency_code: str
    idempotency_key: str
    data: bytes
    def __init__(self, agency_code: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., data: _Optional[bytes] = ...) -> None: ...

class SubmitEdxmlResponse(_message.Message):
    __slots__ = ("document", "created")
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    document: Document
    created: bool
    def __init__(self, document: _Optional[_Union[Document, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class ReadEdxmlRequest(_message.Message):
    __slots__ = ("document_id", "original")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    original: bool
    def __init__(self, document_id: _Optional[str] = ..., original: _Optional[bool] = ...) -> None: ...

class Attachment(_message.Message):
    __slots__ = ("name", "media_type", "sha256", "size", "signature_indication", "signature_report_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_INDICATION_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    media_type: str
    sha256: str
    size: int
    signature_indication: str
    signature_report_id: str
    def __init__(self, name: _Optional[str] = ..., media_type: _Optional[str] = ..., sha256: _Optional[str] = ..., size: _Optional[int] = ..., signature_indication: _Optional[str] = ..., signature_report_id: _Optional[str] = ...) -> None: ...

class SignatureSummary(_message.Message):
    __slots__ = ("signed", "indication", "report_id")
    SIGNED_FIELD_NUMBER: _ClassVar[int]
    INDICATION_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    signed: bool
    indication: str
    report_id: str
    def __init__(self, signed: _Optional[bool] = ..., indication: _Optional[str] = ..., report_id: _Optional[str] = ...) -> None: ...

class Document(_message.Message):
    __slots__ = ("id", "identifier", "sender_code", "recipient_codes", "code_number", "code_notation", "subject", "document_type", "promulgation_date", "signer_name", "attachments", "signature", "submitted_at", "metadata_json", "business_doc_type", "edxml_document_id", "refers_to_document_ids", "refers_to_edxml_document_ids", "paper_copy", "for_information_only")
    ID_FIELD_NUMBER: _ClassVar[int]
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    SENDER_CODE_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_CODES_FIELD_NUMBER: _ClassVar[int]
    CODE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CODE_NOTATION_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    PROMULGATION_DATE_FIELD_NUMBER: _ClassVar[int]
    SIGNER_NAME_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    METADATA_JSON_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    EDXML_DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REFERS_TO_DOCUMENT_IDS_FIELD_NUMBER: _ClassVar[int]
    REFERS_TO_EDXML_DOCUMENT_IDS_FIELD_NUMBER: _ClassVar[int]
    PAPER_COPY_FIELD_NUMBER: _ClassVar[int]
    FOR_INFORMATION_ONLY_FIELD_NUMBER: _ClassVar[int]
    id: str
    identifier: str
    sender_code: str
    recipient_codes: _containers.RepeatedScalarFieldContainer[str]
    code_number: str
    code_notation: str
    subject: str
    document_type: str
    promulgation_date: str
    signer_name: str
    attachments: _containers.RepeatedCompositeFieldContainer[Attachment]
    signature: SignatureSummary
    submitted_at: str
    metadata_json: str
    business_doc_type: int
    edxml_document_id: str
    refers_to_document_ids: _containers.RepeatedScalarFieldContainer[str]
    refers_to_edxml_document_ids: _containers.RepeatedScalarFieldContainer[str]
    paper_copy: bool
    for_information_only: bool
    def __init__(self, id: _Optional[str] = ..., identifier: _Optional[str] = ..., sender_code: _Optional[str] = ..., recipient_codes: _Optional[_Iterable[str]] = ..., code_number: _Optional[str] = ..., code_notation: _Optional[str] = ..., subject: _Optional[str] = ..., document_type: _Optional[str] = ..., promulgation_date: _Optional[str] = ..., signer_name: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[Attachment, _Mapping]]] = ..., signature: _Optional[_Union[SignatureSummary, _Mapping]] = ..., submitted_at: _Optional[str] = ..., metadata_json: _Optional[str] = ..., business_doc_type: _Optional[int] = ..., edxml_document_id: _Optional[str] = ..., refers_to_document_ids: _Optional[_Iterable[str]] = ..., refers_to_edxml_document_ids: _Optional[_Iterable[str]] = ..., paper_copy: _Optional[bool] = ..., for_information_only: _Optional[bool] = ...) -> None: ...

class GetDocumentRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ReadAttachmentRequest(_message.Message):
    __slots__ = ("document_id", "sha256")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    sha256: str
    def __init__(self, document_id: _Optional[str] = ..., sha256: _Optional[str] = ...) -> None: ...

class Chunk(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    def __init__(self, data: _Optional[bytes] = ...) -> None: ...
