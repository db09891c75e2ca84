"""An SDK-compatible client of the mailbox protocol: what SDKVXP sends, from Python.

Use it to talk to the national axis (the upstream connector), to a LienThong axis (tests, and
vendors checking their own integration), or to any server of the same protocol::

    with VxpClient("https://axis.example.gov.vn/vxp", "00.53.W00", secret) as vxp:
        doc_id = vxp.send_edoc("outgoing.edxml", from_code="000.00.12.H53", to=["000.00.00.G22"])
        for item in vxp.get_received_edoc_list(MessageType.EDOC):
            package = vxp.get_edoc(item.doc_id)
            ...  # validate and store it, then:
            vxp.update_status(item.doc_id, AckStatus.DONE)

Every call signs its headers with :func:`lienthong.vxp.auth.sign_headers` (Java HashMap order,
compact Gson JSON, HMAC-SHA256 keyed with the UTF-8 secret), sends a fresh ``timestamp`` and
raises the typed :class:`~lienthong.vxp.protocol.VxpError` of a FAIL envelope. :class:`SdkQuirks`
reproduces what SDKVXP 2.0.x does on the wire (trailing CRLF after the file, a timestamp frozen at
construction, a header map never cleared) so a server can be tested against it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import ssl
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Self

import httpx
from pydantic import ValidationError

from lienthong.platform import clock
from lienthong.vxp.auth import SignedHeaders, gson_json, sdk_header_map, sign_headers
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
    SDK_LIST_DATE_FORMAT,
    SEND_EDOC,
    SERVICE_TYPE_EDOC,
    UPDATE_STATUS,
    AckStatus,
    AgencyEntry,
    DownloadFailed,
    ErrorCode,
    HashStyle,
    MessageType,
    Operation,
    ReceivedEdoc,
    ReplyStatus,
    SentEdoc,
    SynchronizeUnit,
    VxpError,
    format_sdk_timestamp,
    hash_file_hex,
    operation,
)

_CHUNK = 64 * 1024
_CRLF = b"\r\n"


class MalformedReply(Exception):
    """The server's reply does not follow the protocol (not JSON, no envelope, a non-string ErrorCode...)."""


@dataclass(frozen=True)
class SdkQuirks:
    """What SDKVXP 2.0.x does on the wire that a plain client would not."""

    trailing_crlf: bool = True
    """Append ``\\r\\n`` after the file in ``sendEdoc`` (``MultipartUtility.addInputStreamPart``; Q4)."""
    frozen_timestamp: bool = False
    """Send the timestamp taken when the client was built, not a fresh one per request (Q3)."""
    leak_headers: bool = False
    """Keep one header map for the client's life: keys of earlier calls are sent and signed again (Q2)."""
    html_safe_json: bool = False
    """Escape ``< > & = '`` in the signed JSON (Gson's HTML-safe mode; SDKVXP's ``toString`` does not)."""


class VxpClient:
    """A synchronous client of the mailbox protocol, speaking it as SDKVXP does (httpx)."""

    def __init__(self, endpoint: str, system_id: str, secret: str, *,
                 hash_style: HashStyle = HashStyle.UNPADDED, quirks: SdkQuirks = SdkQuirks(),
                 timeout: float = 30.0, verify: bool | ssl.SSLContext = True, http: httpx.Client | None = None):
        """``endpoint`` is the base URL the SDK appends ``/<operation>`` to (e.g. ``https://host/vxp``).

        ``hash_style`` spells ``hash-file`` (SDKVXP: unpadded). ``http`` lets a caller bring its own
        ``httpx.Client`` (transport, proxies, TLS); the client then does not close it.
        """
        self.endpoint = endpoint.rstrip("/")
        self.system_id = system_id
        self._secret = secret
        self.hash_style = hash_style
        self.quirks = quirks
        self._own_http = http is None
        self.http = http or httpx.Client(timeout=timeout, verify=verify)
        self._born = format_sdk_timestamp(clock.now())
        self._leaked: dict[str, str] = {"timestamp": self._born, "systemid": system_id}

    # -------------------------------------------------------------------------------- plumbing

    def close(self) -> None:
        """Close the HTTP connection pool (unless it was passed in)."""
        if self._own_http:
            self.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def signed_headers(self, op: Operation, params: Mapping[str, str] | None = None) -> SignedHeaders:
        """The signed headers of one request of ``op`` with the call's keys ``params`` (in put order)."""
        timestamp = self._born if self.quirks.frozen_timestamp else format_sdk_timestamp(clock.now())
        if self.quirks.leak_headers:
            self._leaked["timestamp"] = timestamp
            self._leaked["Content-Type"] = op.content_type
            self._leaked.update(params or {})
            header_map = dict(self._leaked)
        else:
            header_map = sdk_header_map(self.system_id, timestamp, op.content_type, params or {})
        return sign_headers(self._secret, header_map, html_safe=self.quirks.html_safe_json)

    def build_request(self, op: Operation | str, params: Mapping[str, str] | None = None, *,
                      content: bytes | Iterable[bytes] | None = None,
                      content_length: int | None = None) -> httpx.Request:
        """A signed request of ``op``, not sent yet (tests may alter it before :meth:`send`)."""
        op = operation(op) if isinstance(op, str) else op
        signed = self.signed_headers(op, params)
        headers: list[tuple[str, bytes]] = [(name, value.encode("utf-8")) for name, value in signed.headers]
        if content is None:
            content = op.sdk_body
        if content_length is not None:
            headers.append(("Content-Length", str(content_length).encode("ascii")))
        method = op.sdk_method
        return self.http.build_request(method, self.endpoint + op.path, headers=headers,
                                       content=content if method != "GET" else None)

    def send(self, request: httpx.Request, op: Operation | str) -> dict[str, Any]:
        """Send a request and return its OK envelope; raise the typed :class:`VxpError` of a FAIL one."""
        op = operation(op) if isinstance(op, str) else op
        return self._envelope(self.http.send(request), op)

    def call(self, op: Operation | str, params: Mapping[str, str] | None = None, *,
             content: bytes | Iterable[bytes] | None = None,
             content_length: int | None = None) -> dict[str, Any]:
        """Sign, send and check one call; the OK envelope as a dict (for calls without a typed method)."""
        op = operation(op) if isinstance(op, str) else op
        return self.send(self.build_request(op, params, content=content, content_length=content_length), op)

    @staticmethod
    def _envelope(response: httpx.Response, op: Operation) -> dict[str, Any]:
        try:
            reply = response.json()
        except ValueError:
            raise MalformedReply(
                f"{op.name}: HTTP {response.status_code}, not JSON: {response.text[:200]!r}") from None
        if not isinstance(reply, dict) or not isinstance(reply.get("status"), str):
            raise MalformedReply(f"{op.name}: HTTP {response.status_code}, no envelope: {str(reply)[:200]!r}")
        code = reply.get("ErrorCode")
        if not isinstance(code, str):
            raise MalformedReply(f"{op.name}: ErrorCode must be a string, got {code!r}")
        if reply["status"] != ReplyStatus.OK.value or code != ErrorCode.OK.value:
            raise VxpError.from_reply(code, str(reply.get("ErrorDesc") or ""))
        return reply

    @staticmethod
    def _list(reply: dict[str, Any], op: Operation, model: type[Any]) -> list[Any]:
        data = reply.get("data")
        if not isinstance(data, list):
            raise MalformedReply(f"{op.name}: data must be a JSON array, got {type(data).__name__}")
        try:
            return [model.model_validate(item) for item in data]
        except ValidationError as exc:
            raise MalformedReply(f"{op.name}: unexpected item in data: {exc}") from None

    # -------------------------------------------------------------------------------- the calls

    def send_edoc(self, package: bytes | str | os.PathLike[str], *, from_code: str,
                  message_type: MessageType = MessageType.EDOC, to: Iterable[str] | None = None,
                  service_type: str = SERVICE_TYPE_EDOC) -> str:
        """``sendEdoc``: upload a package (bytes, or a path streamed from disk); returns the ``DocId``.

        ``to`` (documents only) becomes the ``to`` header, a JSON array as a string; statuses never
        carry it (quirk Q6).
        """
        params = {"from": from_code, "servicetype": service_type, "messagetype": message_type.value}
        if to is not None and message_type is MessageType.EDOC:
            params["to"] = gson_json(list(to))
        suffix = _CRLF if self.quirks.trailing_crlf else b""
        if isinstance(package, (bytes, bytearray, memoryview)):
            data = bytes(package)
            params["hash-file"] = hash_file_hex(hashlib.sha256(data).digest(), self.hash_style)
            content: bytes | Iterable[bytes] = data + suffix
            length = len(data) + len(suffix)
        else:
            path = Path(package)
            params["hash-file"] = hash_file_hex(_sha256_file(path), self.hash_style)
            content = _stream_file(path, suffix)
            length = path.stat().st_size + len(suffix)
        reply = self.call(SEND_EDOC, params, content=content, content_length=length)
        doc_id = reply.get("DocId")
        if not isinstance(doc_id, str) or not doc_id:
            raise MalformedReply(f"sendEdoc: OK reply without a DocId: {reply!r}")
        return doc_id

    def get_received_edoc_list(self, message_type: MessageType = MessageType.EDOC, *,
                               service_type: str = SERVICE_TYPE_EDOC, from_date: datetime | None = None,
                               to_date: datetime | None = None) -> list[ReceivedEdoc]:
        """``getReceivedEdocList``: the pending packages of one mailbox (optional date range, datetimes)."""
        params = {"servicetype": service_type, "messagetype": message_type.value}
        for name, moment in (("fromDate", from_date), ("toDate", to_date)):
            if moment is not None:
                params[name] = clock.to_vn(moment).strftime(SDK_LIST_DATE_FORMAT)
        return self._list(self.call(GET_RECEIVED_EDOC_LIST, params), GET_RECEIVED_EDOC_LIST, ReceivedEdoc)

    def get_edoc(self, doc_id: str) -> bytes:
        """``getEdoc``: the package's bytes (the reply carries them as base64); it stays pending."""
        reply = self.call(GET_EDOC, {"docId": doc_id})
        data = reply.get("data")
        if not isinstance(data, str):
            raise MalformedReply("getEdoc: data must be a base64 string")
        try:
            return base64.b64decode(data, validate=True)
        except ValueError:
            raise MalformedReply("getEdoc: data is not valid base64") from None

    def download_edoc(self, doc_id: str) -> bytes:
        """``downloadEdoc``: the package as a raw stream; an empty body is a failure (ErrorCode 100)."""
        response = self.http.send(self.build_request(DOWNLOAD_EDOC, {"docId": doc_id}))
        if "json" in response.headers.get("content-type", ""):
            self._envelope(response, DOWNLOAD_EDOC)
        if response.status_code != 200 or not response.content:
            raise DownloadFailed(
                f"downloadEdoc {doc_id}: HTTP {response.status_code}, {len(response.content)} bytes")
        return response.content

    def update_status(self, doc_id: str, status: AckStatus = AckStatus.DONE) -> None:
        """``updateStatus``: ``done`` acknowledges (the package leaves the list), ``fail`` reports
        a failure (it stays pending), ``processing`` leases it."""
        self.call(UPDATE_STATUS, {"docId": doc_id, "status": AckStatus(status).value})

    def get_sent_edoc_list(self, message_type: MessageType = MessageType.EDOC, *,
                           service_type: str = SERVICE_TYPE_EDOC) -> list[SentEdoc]:
        """``getSentEdocList``: per-recipient tracking of what this system sent."""
        params = {"servicetype": service_type, "messagetype": message_type.value}
        return self._list(self.call(GET_SENT_EDOC_LIST, params), GET_SENT_EDOC_LIST, SentEdoc)

    def count_receive_edoc(self, *, service_type: str = SERVICE_TYPE_EDOC) -> int:
        """``countReceiveEdoc``: how many documents are pending."""
        return self._count(COUNT_RECEIVE_EDOC, MessageType.EDOC, service_type)

    def count_receive_status(self, *, service_type: str = SERVICE_TYPE_EDOC) -> int:
        """``countReceiveStatus``: how many status packages are pending."""
        return self._count(COUNT_RECEIVE_STATUS, MessageType.STATUS, service_type)

    def _count(self, op: Operation, message_type: MessageType, service_type: str) -> int:
        reply = self.call(op, {"servicetype": service_type, "messagetype": message_type.value})
        count = reply.get("count")
        if isinstance(count, bool) or not isinstance(count, int):
            raise MalformedReply(f"{op.name}: count must be an integer, got {count!r}")
        return count

    def get_agencies_list(self) -> list[AgencyEntry]:
        """``getAgenciesList``: the agency directory."""
        return self._list(self.call(GET_AGENCIES_LIST), GET_AGENCIES_LIST, AgencyEntry)

    def get_synchronize_unit(self) -> list[SynchronizeUnit]:
        """``getSynchronizeUnit``: the directory for incremental sync."""
        return self._list(self.call(GET_SYNCHRONIZE_UNIT), GET_SYNCHRONIZE_UNIT, SynchronizeUnit)

    def register_agency(self, agency: AgencyEntry) -> None:
        """``registerAgency``: JSON ``{code, pcode, name, mail}`` (operator-confirmed upstream)."""
        body = agency.model_dump(by_alias=True, exclude_none=True)
        self.call(REGISTER_AGENCY, content=gson_json({k: str(v) for k, v in body.items()}).encode("utf-8"))

    def delete_agency(self, agency_code: str) -> None:
        """``deleteAgency``: remove an agency from the directory (header ``AgencyCode``)."""
        self.call(DELETE_AGENCY, {"AgencyCode": agency_code})


def _sha256_file(path: Path) -> bytes:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.digest()


def _stream_file(path: Path, suffix: bytes) -> Iterator[bytes]:
    with path.open("rb") as stream:
        yield from iter(lambda: stream.read(_CHUNK), b"")
    if suffix:
        yield suffix


__all__ = ["AckStatus", "HashStyle", "MalformedReply", "MessageType", "SdkQuirks", "VxpClient"]
