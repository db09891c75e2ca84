"""REST API of the documents service, for agencies' document systems."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Response, UploadFile
from fastapi.responses import StreamingResponse

from lienthong.documents.service.use_cases import Documents, document_json
from lienthong.platform.auth import CurrentPrincipal
from lienthong.platform.errors import FieldError, InvalidInput, PayloadTooLarge

METADATA_EXAMPLE = json.dumps({
    "sender_code": "000.00.11.H99", "recipient_codes": ["000.00.12.H99", "000.00.13.H99"],
    "code_number": "15", "code_notation": "QĐ-STC", "subject": "Về việc phân bổ kinh phí năm 2026",
    "document_type": "Quyết định", "promulgation_date": "2026-11-25", "signer_name": "Nguyễn Văn An",
}, ensure_ascii=False)


def router(documents: Documents, *, max_metadata_bytes: int) -> APIRouter:
    """``/api/v1/documents``: submit, read, download attachments."""
    r = APIRouter(prefix="/api/v1/documents", tags=["documents"])

    @r.post("", status_code=201, summary="Submit a document with one PDF attachment",
            responses={201: {"description": "accepted and stored"}, 200: {"description": "idempotent replay"}})
    def submit(principal: CurrentPrincipal, response: Response,
               metadata: Annotated[str, Form(description="the document as JSON", examples=[METADATA_EXAMPLE])],
               file: Annotated[UploadFile, File(description="the PDF attachment")],
               idempotency_key: Annotated[str | None, Header(max_length=200)] = None) -> dict:
        if len(metadata.encode()) > max_metadata_bytes:
            raise PayloadTooLarge(f"metadata exceeds {max_metadata_bytes} bytes")
        try:
            parsed = json.loads(metadata)
        except json.JSONDecodeError as exc:
            raise InvalidInput("metadata is not JSON", errors=[FieldError("metadata", str(exc))]) from exc
        if not isinstance(parsed, dict):
            raise InvalidInput("metadata must be a JSON object", errors=[FieldError("metadata", "not an object")])
        document, created = documents.submit(principal, parsed, file.filename, file.file, idempotency_key)
        if not created:
            response.status_code = 200
        response.headers["Location"] = f"/api/v1/documents/{document.id}"
        return document_json(document)

    @r.get("/{document_id}", summary="A document's metadata (sender, recipients, operators)")
    def get(document_id: str, principal: CurrentPrincipal) -> dict:
        return document_json(documents.get(principal, document_id))

    @r.get("/{document_id}/attachments/{sha256}", summary="Download an attachment",
           response_class=StreamingResponse)
    def download(document_id: str, sha256: str, principal: CurrentPrincipal) -> StreamingResponse:
        document = documents.get(principal, document_id)
        attachment = next((a for a in document.attachments if a.sha256 == sha256), None)
        chunks = documents.read_attachment(document, sha256)
        assert attachment is not None
        return StreamingResponse(chunks, media_type=attachment.media_type, headers={
            "Content-Length": str(attachment.size), "Digest": f"sha-256={sha256}",
            "Content-Disposition": f"attachment; filename*=UTF-8''{_quote(attachment.name)}"})

    return r


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")
