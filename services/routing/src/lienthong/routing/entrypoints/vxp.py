"""The national axis' mailbox protocol over HTTP (domain/national-axis.md §2-§4): one route per call,
``<prefix>/<call>`` exactly as the SDK appends it, every answer the SDK's JSON envelope."""

from __future__ import annotations

import logging
import tempfile
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from lienthong.routing.service.mailbox import Mailbox
from lienthong.vxp.auth import (
    AuthenticatedRequest,
    AuthPolicy,
    BodyHasher,
    SignatureVerifier,
    VxpHeaders,
    authenticate,
)
from lienthong.vxp.protocol import (
    COUNT_RECEIVE_EDOC,
    COUNT_RECEIVE_STATUS,
    DELETE_AGENCY,
    DOWNLOAD_EDOC,
    GET_AGENCIES_LIST,
    GET_EDOC,
    GET_RECEIVED_EDOC_LIST,
    GET_SENT_EDOC_LIST,
    GET_SYNCHRONIZE_UNIT,
    REGISTER_AGENCY,
    SEND_EDOC,
    UPDATE_STATUS,
    InternalError,
    MalformedRequest,
    MessageType,
    Operation,
    OperationNotPermitted,
    VxpError,
    count_reply,
    edoc_reply,
    fail_reply,
    list_reply,
    ok_reply,
    operation,
    read_doc_id,
    read_list,
    read_send_edoc,
    read_update_status,
    send_edoc_reply,
)

log = logging.getLogger(__name__)
SPOOL_BYTES = 1024 * 1024


def router(mailbox: Mailbox, verify_signature: SignatureVerifier, *, policy: AuthPolicy | None = None,
           prefix: str = "/vxp", http_error_status: bool = False) -> APIRouter:
    """The mailbox protocol's routes under ``prefix``.

    Refusals are FAIL envelopes with HTTP 200 (some SDK clients read only 200 bodies), or with
    the error's own HTTP status when ``http_error_status``.
    """
    policy = policy or AuthPolicy()
    api = APIRouter(prefix=prefix.rstrip("/"), tags=["national-axis mailbox (VXP)"])

    def _answer(op: Operation, auth: AuthenticatedRequest, body: Any) -> dict[str, Any] | bytes:
        system = auth.system
        if op is SEND_EDOC:
            params = read_send_edoc(auth)
            return send_edoc_reply(mailbox.send(system, params.from_code, params.message_type, params.to, body))
        if op is GET_RECEIVED_EDOC_LIST:
            params = read_list(auth)
            return list_reply(mailbox.received(system, params.message_type, since=params.from_date,
                                               until=params.to_date))
        if op is COUNT_RECEIVE_EDOC:
            return count_reply(mailbox.count(system, MessageType.EDOC))
        if op is COUNT_RECEIVE_STATUS:
            return count_reply(mailbox.count(system, MessageType.STATUS))
        if op is GET_EDOC:
            return edoc_reply(mailbox.read(system, read_doc_id(auth)))
        if op is DOWNLOAD_EDOC:
            return mailbox.read(system, read_doc_id(auth))
        if op is UPDATE_STATUS:
            params = read_update_status(auth)
            mailbox.update(system, params.doc_id, params.status)
            return ok_reply()
        if op is GET_SENT_EDOC_LIST:
            return list_reply(mailbox.sent(system, read_list(auth).message_type))
        if op is GET_AGENCIES_LIST:
            return list_reply(mailbox.agencies())
        if op is GET_SYNCHRONIZE_UNIT:
            return list_reply(mailbox.synchronize_units())
        if op in (REGISTER_AGENCY, DELETE_AGENCY):
            raise OperationNotPermitted(f"{op.name}: agencies are registered and closed by the axis' operators "
                                        "(registry), not through the mailbox protocol")
        raise MalformedRequest(f"{op.name} is not served")

    def _handle(op: Operation, headers: VxpHeaders, body: Any) -> dict[str, Any] | bytes:
        auth = authenticate(headers, verify_signature, policy=policy)
        return _answer(op, auth, body)

    async def _spool(request: Request, op: Operation, headers: VxpHeaders) -> Any:
        """The body of a sendEdoc, its hash-file checked while it streams into a spooled file."""
        auth = await run_in_threadpool(authenticate, headers, verify_signature, policy=policy)
        hash_file = read_send_edoc(auth).hash_file
        hasher = BodyHasher(policy)
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the caller
        try:
            async for chunk in request.stream():
                spool.write(hasher.update(chunk))
            check = hasher.finish(hash_file)
            spool.write(check.tail)
            spool.seek(0)
        except BaseException:
            spool.close()
            raise
        return auth, spool

    @api.api_route("/{name}", methods=["GET", "POST"], summary="A call of the national axis' mailbox protocol",
                   response_model=None)
    async def call(name: str, request: Request) -> Response:
        op: Operation | None = None
        try:
            op = operation(name)
            if request.method not in op.accepted_methods:
                raise MalformedRequest(f"{op.name} does not accept {request.method}")
            headers = VxpHeaders.from_raw(request.headers.raw)
            if op is SEND_EDOC:
                auth, spool = await _spool(request, op, headers)
                with spool:
                    answer = await run_in_threadpool(_answer, op, auth, spool)
            else:
                answer = await run_in_threadpool(_handle, op, headers, None)
        except VxpError as refused:
            return _fail(refused, op)
        except Exception:
            log.exception("mailbox call %s failed", name)
            return _fail(InternalError("the axis failed to answer (retry later)"), op)
        if isinstance(answer, bytes):
            return Response(answer, media_type="application/octet-stream")
        return JSONResponse(answer)

    def _fail(refused: VxpError, op: Operation | None) -> JSONResponse:
        log.info("mailbox call %s refused: %s %s", op.name if op else "?", refused.reply_code, refused.error_desc)
        return JSONResponse(fail_reply(refused, op), status_code=refused.http_status if http_error_status else 200)

    return api
