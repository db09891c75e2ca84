from lienthong.api.documents.v1 import documents_pb2 as _documents_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DocumentSubmitted(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: _documents_pb2.Document
    def __init__(self, document: _Optional[_Union[_documents_pb2.Document, _Mapping]] = ...) -> None: ...
