"""REST API of the documents service, for agencies' document systems."""

from __future__ import annotations

import base64
import binascii
import json
import re
import tempfile
from collections.abc import Callable, Coroutine, Iterator
from typing import Annotated, Any, BinaryIO
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Header, Query, Request, Response, UploadFile
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.types import Message

from lienthong.documents.domain.document import Document, ViewQuery
from lienthong.documents.service.use_cases import (
    SPOOL_BYTES,
    Documents,
    IncomingFile,
    decode_cursor,
    document_json,
)
from lienthong.edxml import MessageHeader, TraceHeaderList
from lienthong.platform import clock
from lienthong.platform.auth import CurrentPrincipal, Principal
from lienthong.platform.blob import CHUNK_SIZE
from lienthong.platform.errors import FieldError, InvalidInput, NotFound, PayloadTooLarge
from lienthong.platform.text import nfc

METADATA_EXAMPLE = json.dumps({
    "sender_code": "000.00.11.H99", "recipient_codes": ["000.00.12.H99", "000.00.13.H99"],
    "code_number": "15", "code_notation": "QĐ-STC", "subject": "Về việc phân bổ kinh phí năm 2026",
    "document_type": "Quyết định", "promulgation_date": "2026-11-25", "signer_name": "Nguyễn Văn An",
}, ensure_ascii=False)


MODEL_EXAMPLE = json.dumps({
    "header": {
        "from": {"organ_id": "000.00.11.H99", "organ_name": "Sở Tài chính tỉnh Hòa Sơn"},
        "to": [{"organ_id": "000.00.12.H99", "organ_name": "Sở Y tế tỉnh Hòa Sơn"}],
        "code": {"code_number": "15", "code_notation": "QĐ-STC"},
        "promulgation_info": {"place": "Hòa Sơn", "promulgation_date": "2026-11-25"},
        "document_type": {"type": 1, "type_name": "Quyết định"},
        "subject": "Về việc phân bổ kinh phí năm 2026",
        "signer_info": {"competence": "KT. GIÁM ĐỐC", "position": "PHÓ GIÁM ĐỐC", "full_name": "Nguyễn Văn An"},
        "document_id": "000.00.11.H99,2026/11/25,15/QĐ-STC",
    },
    "trace_header_list": {"bussiness": {"bussiness_doc_type": 0, "paper": 0}},
}, ensure_ascii=False)
EDXML_MEDIA_TYPES = ("application/xml", "text/xml", "application/octet-stream", "application/edxml+xml")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class JsonAttachment(BaseModel):
    """An attachment inside a JSON submission (small files; use multipart or edXML for large ones)."""

    model_config = ConfigDict(extra="forbid")
    attachment_name: str = Field(examples=["15-QĐ-STC.pdf"])
    description: str = ""
    content_id: str = ""
    content_base64: str = Field(description="the file's bytes, base64 (RFC 4648)")


class JsonSubmission(BaseModel):
    """The edXML model as JSON: the same fields, names and rules as an edXML package."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        **json.loads(MODEL_EXAMPLE), "attachments": [{
            "attachment_name": "15-QĐ-STC.pdf", "description": "Quyết định (bản ký số)",
            "content_base64": "JVBERi0xLjcK..."}]}]})
    header: MessageHeader
    trace_header_list: TraceHeaderList | None = None
    attachments: list[JsonAttachment] = Field(default_factory=list)
    signature_xml: str = Field("", description="an envelope Signature kept verbatim (decoration, never evidence)")


def _limited_route(limit: int) -> type[APIRoute]:
    """Routes that refuse a request body over ``limit`` bytes while it streams in (413), never reading it all."""

    class LimitedRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def limited(request: Request) -> Response:
                declared = request.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise PayloadTooLarge(f"the request exceeds {limit} bytes")
                receive, received, exceeded = request.receive, 0, False

                async def counting() -> Message:
                    nonlocal received, exceeded
                    message = await receive()
                    received += len(message.get("body", b""))
                    if received > limit:
                        exceeded = True
                        raise PayloadTooLarge(f"the request exceeds {limit} bytes")
                    return message

                request._receive = counting  # the body is read through this from now on
                try:
                    return await handler(request)
                except Exception:
                    if exceeded:  # FastAPI reports a form that failed to parse as 400: say why
                        raise PayloadTooLarge(f"the request exceeds {limit} bytes") from None
                    raise

            return limited

    return LimitedRoute


def router(documents: Documents, *, max_metadata_bytes: int) -> APIRouter:
    """``/api/v1/documents``: submit (multipart, JSON, edXML), views, read, download package, edXML, attachments."""
    r = APIRouter(prefix="/api/v1/documents", tags=["documents"],
                  route_class=_limited_route(documents.limits.max_input_bytes))

    @r.post("", status_code=201, summary="Submit a document: JSON metadata and its attachments (multipart)",
            description="The `metadata` part is either the flat metadata of the first API (example 1) or the "
                        "edXML model as JSON (example 2, the same fields as `POST /api/v1/documents/edxml`). "
                        "Attachments are `file` parts (several allowed): txt, rtf, doc, docx, odt, csv, xls, "
                        "xlsx, ods, pdf, jpeg, png, decided by content.",
            responses={201: {"description": "accepted and stored"}, 200: {"description": "idempotent replay"}})
    def submit(principal: CurrentPrincipal, response: Response,
               metadata: Annotated[str, Form(description="the document as JSON",
                                             examples=[METADATA_EXAMPLE, MODEL_EXAMPLE])],
               file: Annotated[list[UploadFile] | None, File(description="the attachments")] = None,
               idempotency_key: Annotated[str | None, Header(max_length=200)] = None) -> dict:
        if len(metadata.encode()) > max_metadata_bytes:
            raise PayloadTooLarge(f"metadata exceeds {max_metadata_bytes} bytes")
        try:
            parsed = json.loads(metadata)
        except json.JSONDecodeError as exc:
            raise InvalidInput("metadata is not JSON", errors=[FieldError("metadata", str(exc))]) from None
        if not isinstance(parsed, dict):
            raise InvalidInput("metadata must be a JSON object", errors=[FieldError("metadata", "not an object")])
        files = [IncomingFile(upload.filename, upload.file) for upload in file or []]
        document, created = documents.submit(principal, parsed, files, idempotency_key)
        return _created(response, document, created)

    @r.post("/json", status_code=201, summary="Submit a document as JSON (the edXML model), files in base64",
            description="The same model as an edXML package (see `GET /api/v1/documents/{id}` → `package`): "
                        "a document submitted here and the same one as edXML give the same record and the same "
                        "outgoing edXML.",
            responses={201: {"description": "accepted and stored"}, 200: {"description": "replay"}})
    def submit_json(body: JsonSubmission, principal: CurrentPrincipal, response: Response,
                    idempotency_key: Annotated[str | None, Header(max_length=200)] = None) -> dict:
        files, errors = [], []
        try:
            for i, attachment in enumerate(body.attachments):
                spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed below)
                files.append(IncomingFile(attachment.attachment_name, spool, attachment.content_id,
                                          attachment.description))
                try:
                    spool.write(base64.b64decode(attachment.content_base64, validate=True))
                except binascii.Error as exc:
                    errors.append(FieldError(f"attachments[{i}].content_base64", f"invalid base64: {exc}"))
                spool.seek(0)
            if errors:
                raise InvalidInput("the document is not valid", errors=errors)
            metadata = body.model_dump(mode="json", by_alias=True, exclude={"attachments"}, exclude_none=True)
            document, created = documents.submit(principal, metadata, files, idempotency_key)
        finally:
            for incoming in files:
                incoming.file.close()
        return _created(response, document, created)

    @r.post("/edxml", status_code=201, summary="Submit an edXML document package (QCVN 102:2016)",
            description="The request body is the edXML package itself (Content-Type `application/xml`, "
                        "`text/xml` or `application/octet-stream`). Attachments are base64 inside the package "
                        "and are decoded while the body streams in. The same sender and DocumentId sent twice "
                        "returns the first document (200).",
            openapi_extra={"requestBody": {"required": True, "content": {
                t: {"schema": {"type": "string", "format": "binary"}} for t in EDXML_MEDIA_TYPES}}},
            responses={201: {"description": "accepted and stored"}, 200: {"description": "replay"}})
    async def submit_edxml(request: Request, principal: CurrentPrincipal, response: Response,
                           idempotency_key: Annotated[str | None, Header(max_length=200)] = None) -> dict:
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in EDXML_MEDIA_TYPES:
            raise InvalidInput("an edXML package is expected", errors=[FieldError(
                "Content-Type", f"{media_type or '(none)'} is not one of {', '.join(EDXML_MEDIA_TYPES)}")])
        limit = documents.limits.max_input_bytes
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise PayloadTooLarge(f"the package exceeds {limit} bytes")
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            size = 0
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"the package exceeds {limit} bytes")
                spool.write(chunk)
            spool.seek(0)
            document, created = await run_in_threadpool(documents.submit_edxml, principal, spool, idempotency_key)
        return _created(response, document, created)

    def view(box: str, principal: Principal, agency: str | None, cursor: str | None, limit: int,
             submitted_from: str | None, submitted_to: str | None, document_type: str | None,
             counterpart: str | None, business_doc_type: int | None, signed: bool | None, q: str | None) -> dict:
        errors = []
        moments = {}
        for name, value in (("submitted_from", submitted_from), ("submitted_to", submitted_to)):
            if value:
                try:
                    moments[name] = clock.parse_iso(value)
                except ValueError:
                    errors.append(FieldError(name, "expected ISO 8601 with an offset, e.g. 2026-11-01T00:00:00+07:00"))
        if errors:
            raise InvalidInput("invalid filters", errors=errors)
        query = ViewQuery(box=box, agency=principal.acting_agency(agency), limit=limit,
                          after=decode_cursor(cursor) if cursor else None,
                          submitted_from=moments.get("submitted_from"), submitted_to=moments.get("submitted_to"),
                          document_type=nfc(document_type or "").strip(), counterpart=counterpart or "",
                          business_doc_type=business_doc_type, signed=signed, search=nfc(q or ""))
        page, next_cursor = documents.view(principal, query)
        return {"items": [document_json(d, with_package=False) for d in page], "next_cursor": next_cursor}

    @r.get("/outbox", summary="The agency's outbox: documents it sent, newest first (cursor pagination)")
    def outbox(principal: CurrentPrincipal, agency: Agency = None, cursor: Cursor = None, limit: Limit = 50,
               submitted_from: Moment = None, submitted_to: Moment = None, document_type: DocType = None,
               recipient: Annotated[str | None, Query(description="only documents sent to this agency")] = None,
               business_doc_type: BusinessType = None, signed: Signed = None, q: Search = None) -> dict:
        return view("outbox", principal, agency, cursor, limit, submitted_from, submitted_to, document_type,
                    recipient, business_doc_type, signed, q)

    @r.get("/inbox", summary="The agency's inbox: documents addressed to it, newest first (cursor pagination)")
    def inbox(principal: CurrentPrincipal, agency: Agency = None, cursor: Cursor = None, limit: Limit = 50,
              submitted_from: Moment = None, submitted_to: Moment = None, document_type: DocType = None,
              sender: Annotated[str | None, Query(description="only documents from this agency")] = None,
              business_doc_type: BusinessType = None, signed: Signed = None, q: Search = None) -> dict:
        return view("inbox", principal, agency, cursor, limit, submitted_from, submitted_to, document_type,
                    sender, business_doc_type, signed, q)

    @r.get("/{document_id}", summary="A document's metadata (sender, recipients, operators)")
    def get(document_id: str, principal: CurrentPrincipal) -> dict:
        return document_json(documents.get(principal, document_id))

    @r.get("/{document_id}/edxml", summary="The document as edXML, rebuilt by the axis",
           response_class=StreamingResponse)
    def rebuilt(document_id: str, principal: CurrentPrincipal) -> StreamingResponse:
        document = documents.get(principal, document_id)
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by the response)
        documents.write_edxml(document, spool)
        spool.seek(0)
        return StreamingResponse(_drain(spool), media_type="application/xml", headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{_quote(document.identifier)}.edxml"})

    @r.get("/{document_id}/package", summary="The original edXML package as received",
           response_class=StreamingResponse)
    def original(document_id: str, principal: CurrentPrincipal, range_header: RangeHeader = None) -> Response:
        document = documents.get(principal, document_id)
        if not document.original_sha256:
            raise NotFound(f"document {document_id} was not submitted as edXML: use /edxml")
        return _ranged(documents.read_blob(document.original_sha256), documents.blob_size(document.original_sha256),
                       "application/xml", f"{document.identifier}.edxml", document.original_sha256, range_header)

    @r.get("/{document_id}/attachments/{sha256}", summary="Download an attachment (HTTP Range supported)",
           response_class=StreamingResponse)
    def download(document_id: str, sha256: str, principal: CurrentPrincipal,
                 range_header: RangeHeader = None) -> Response:
        document = documents.get(principal, document_id)
        attachment = next((a for a in document.attachments if a.sha256 == sha256), None)
        chunks = documents.read_attachment(document, sha256)
        assert attachment is not None
        return _ranged(chunks, attachment.size, attachment.media_type, attachment.name, sha256, range_header)

    return r


RangeHeader = Annotated[str | None, Header(alias="Range")]
Agency = Annotated[str | None, Query(description="the agency (required when the token holds several)")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page")]
Limit = Annotated[int, Query(ge=1, le=200)]
Moment = Annotated[str | None, Query(description="ISO 8601 with offset (submission time)",
                                     examples=["2026-11-01T00:00:00+07:00"])]
DocType = Annotated[str | None, Query(description="document type name, e.g. Quyết định")]
BusinessType = Annotated[int | None, Query(ge=0, le=3, description="0 new, 1 revoke, 2 update, 3 replace")]
Signed = Annotated[bool | None, Query(description="true: validly signed; false: for information only")]
Search = Annotated[str | None, Query(max_length=200, description="words of the subject or notation; "
                                     "diacritics and case are ignored (\"quyet dinh\" finds \"Quyết định\")")]


def _created(response: Response, document: Document, created: bool) -> dict:
    if not created:
        response.status_code = 200
    response.headers["Location"] = f"/api/v1/documents/{document.id}"
    return document_json(document)


def _drain(spool: BinaryIO) -> Iterator[bytes]:
    try:
        while chunk := spool.read(CHUNK_SIZE):
            yield chunk
    finally:
        spool.close()


def _ranged(chunks: Iterator[bytes], size: int, media_type: str, name: str, sha256: str,
            range_header: str | None) -> Response:
    headers = {"Accept-Ranges": "bytes", "Digest": f"sha-256={sha256}",
               "Content-Disposition": f"attachment; filename*=UTF-8''{_quote(name)}"}
    match = _RANGE.match(range_header.strip()) if range_header else None
    if match is None or match.groups() == ("", ""):
        # no range, or a form this server does not serve (several ranges...): the whole file (RFC 9110 §14.2)
        return StreamingResponse(chunks, media_type=media_type, headers={**headers, "Content-Length": str(size)})
    first, last = match.groups()
    if first == "":
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
    return StreamingResponse(_slice(chunks, start, end), status_code=206, media_type=media_type, headers={
        **headers, "Content-Range": f"bytes {start}-{end}/{size}", "Content-Length": str(end - start + 1)})


def _slice(chunks: Iterator[bytes], start: int, end: int) -> Iterator[bytes]:
    position = 0
    for chunk in chunks:
        chunk_end = position + len(chunk)
        if chunk_end > start and position <= end:
            yield chunk[max(start - position, 0): end - position + 1]
        position = chunk_end
        if position > end:
            break


def _quote(name: str) -> str:
    return quote(name, safe="")
