from lienthong.api.documents.v1 import documents_pb2 as _documents_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DocumentSubmitted(_message.Message):
    __slots__ = ("document", "business_doc_type", "edxml_document_id", "refers_to_document_ids", "refers_to_edxml_document_ids")
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_DOC_TYPE_FIELD_NUMBER: _ClassVar[int]
    EDXML_DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REFERS_TO_DOCUMENT_IDS_FIELD_NUMBER: _ClassVar[int]
    REFERS_TO_EDXML_DOCUMENT_IDS_FIELD_NUMBER: _ClassVar[int]
    document: _documents_pb2.Document
    business_doc_type: int
    edxml_document_id: str
    refers_to_document_ids: _containers.RepeatedScalarFieldContainer[str]
    refers_to_edxml_document_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, document: _Optional[_Union[_documents_pb2.Document, _Mapping]] = ..., business_doc_type: _Optional[int] = ..., edxml_document_id: _Optional[str] = ..., refers_to_document_ids: _Optional[_Iterable[str]] = ..., refers_to_edxml_document_ids: _Optional[_Iterable[str]] = ...) -> None: ...
