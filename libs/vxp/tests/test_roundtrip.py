"""VxpClient against a mailbox server over real HTTP on loopback: every call and every refusal.

The server here is test fixture code: a small FastAPI app that authenticates with
``lienthong.vxp.auth`` and answers from an in-memory dict. The real facade (over routing and
documents) lives in the axis; this module proves that the client and the protocol library
agree on the wire, including the SDK's quirks.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from xml.etree import ElementTree

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from lienthong.platform import clock
from lienthong.testing.net import free_port
from lienthong.vxp.auth import (
    AuthenticatedRequest,
    AuthPolicy,
    BodyHasher,
    VxpHeaders,
    authenticate,
    secret_table_verifier,
)
from lienthong.vxp.client import SdkQuirks, VxpClient
from lienthong.vxp.protocol import (
    DOWNLOAD_EDOC,
    GET_EDOC,
    SEND_EDOC,
    UPDATE_STATUS,
    AckStatus,
    AgencyEntry,
    DocNotInMailbox,
    ErrorCode,
    HashStyle,
    HostilePackage,
    InvalidPackage,
    MalformedRequest,
    MessageType,
    Operation,
    OperationNotPermitted,
    ReceivedEdoc,
    SentEdoc,
    StatusForUnreceivedDocument,
    SynchronizeUnit,
    UnknownDocId,
    UnknownRecipient,
    VxpError,
    count_reply,
    edoc_reply,
    fail_reply,
    list_reply,
    ok_reply,
    operation,
    read_agency_code,
    read_doc_id,
    read_list,
    read_register_agency,
    read_send_edoc,
    read_update_status,
    send_edoc_reply,
)

SENDER, SENDER_SECRET = "00.53.W00", "c2VuZGVyLXNlY3JldC1mb3ItdGVzdHMtb25seS0xMjM="
RECEIVER, RECEIVER_SECRET = "00.54.W00", "cmVjZWl2ZXItc2VjcmV0LWZvci10ZXN0cy1vbmx5LTE="
OPERATOR, OPERATOR_SECRET = "00.00.OPS", "b3BlcmF0b3Itc2VjcmV0LWZvci10ZXN0cy1vbmx5LTE="
SKHCN, SXD, XA_TAN_PHU = "000.00.07.H99", "000.00.08.H99", "000.00.31.H99"
MAX_PACKAGE = 64 * 1024
NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


def document(document_id: str = f"{SKHCN},2025/03/05,03/KH-SKHCN", *, sender: str = SKHCN,
             to: str = XA_TAN_PHU, subject: str = "Kế hoạch thử nghiệm chữ ký số") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader><edXML:MessageHeader>
<edXML:From><edXML:OrganId>{sender}</edXML:OrganId></edXML:From>
<edXML:To><edXML:OrganId>{to}</edXML:OrganId></edXML:To>
<edXML:Code><edXML:CodeNumber>03</edXML:CodeNumber><edXML:CodeNotation>KH-SKHCN</edXML:CodeNotation></edXML:Code>
<edXML:Subject>{subject}</edXML:Subject>
<edXML:DocumentId>{document_id}</edXML:DocumentId>
</edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>
""".encode()


def status(document_id: str, code: str = "03", *, emitter: str = XA_TAN_PHU,
           original_sender: str = SKHCN) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader><edXML:MessageHeader>
<edXML:From><edXML:OrganId>{emitter}</edXML:OrganId></edXML:From>
<edXML:ResponseFor><edXML:OrganId>{original_sender}</edXML:OrganId><edXML:Code>03/KH-SKHCN</edXML:Code>
<edXML:DocumentId>{document_id}</edXML:DocumentId></edXML:ResponseFor>
<edXML:StatusCode>{code}</edXML:StatusCode><edXML:Timestamp>2025/03/05 16:05:27</edXML:Timestamp>
</edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>
""".encode()


# ------------------------------------------------------------------------------------------------
# The in-memory mailbox server (test fixture)
# ------------------------------------------------------------------------------------------------


@dataclass
class Item:
    doc_id: str
    sender_system: str
    recipient_system: str
    message_type: MessageType
    package: bytes
    from_code: str
    to_code: str
    document_id: str
    created: str = field(default_factory=clock.iso)
    state: str = "pending"
    failures: int = 0


@dataclass
class Mailbox:
    systems: dict[str, tuple[list[str], list[str]]]
    operators: set[str]
    agencies: dict[str, AgencyEntry]
    items: dict[str, Item] = field(default_factory=dict)
    received: set[tuple[str, str]] = field(default_factory=set)  # (agency, DocumentId) acknowledged

    def system_serving(self, agency: str) -> str | None:
        return next((sid for sid, (_, codes) in self.systems.items() if agency in codes), None)


def _text(root: ElementTree.Element, path: str) -> list[str]:
    return [(e.text or "").strip() for e in root.iterfind(path, {"e": NS})]


def _parse_package(package: bytes) -> ElementTree.Element:
    head = package[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in package.upper():
        raise HostilePackage("the package declares a DTD or entities")
    try:
        return ElementTree.fromstring(package)
    except ElementTree.ParseError as exc:
        raise InvalidPackage(f"the package is not well-formed XML: {exc}") from None


async def _send_edoc(box: Mailbox, auth: AuthenticatedRequest, request: Request, policy: AuthPolicy) -> dict:
    params = read_send_edoc(auth)
    auth.require_agency(params.from_code)
    hasher = BodyHasher(policy)
    parts = [hasher.update(chunk) async for chunk in request.stream()]
    check = hasher.finish(params.hash_file)
    package = b"".join(parts) + check.tail
    root = _parse_package(package)
    header = ".//e:MessageHeader/"
    is_status = params.message_type is MessageType.STATUS or (
        params.message_type is None and _text(root, header + "e:StatusCode"))
    new: list[Item] = []
    if is_status:
        emitter = (_text(root, header + "e:From/e:OrganId") or [""])[0]
        auth.require_agency(emitter)
        original_sender = (_text(root, header + "e:ResponseFor/e:OrganId") or [""])[0]
        document_id = (_text(root, header + "e:ResponseFor/e:DocumentId") or [""])[0]
        if (emitter, document_id) not in box.received:
            raise StatusForUnreceivedDocument(f"{emitter} never received document {document_id!r}")
        targets, message_type = [original_sender], MessageType.STATUS
    else:
        targets = list(params.to or _text(root, header + "e:To/e:OrganId"))
        document_id = (_text(root, header + "e:DocumentId") or [""])[0]
        message_type = MessageType.EDOC
    for agency in targets:
        system = box.system_serving(agency)
        if system is None:
            raise UnknownRecipient(f"no system serves agency {agency}")
        new.append(Item(str(uuid.uuid4()), auth.system_id, system, message_type, package, params.from_code,
                        agency, document_id))
    box.items.update((item.doc_id, item) for item in new)  # all or nothing: checks are done above
    return send_edoc_reply(new[0].doc_id)


def _own_item(box: Mailbox, auth: AuthenticatedRequest) -> Item:
    doc_id = read_doc_id(auth)
    item = box.items.get(doc_id)
    if item is None:
        raise UnknownDocId(f"no package {doc_id}")
    if item.recipient_system != auth.system_id:
        raise DocNotInMailbox(f"package {doc_id} is not in the mailbox of {auth.system_id}")
    return item


def _pending(box: Mailbox, auth: AuthenticatedRequest, message_type: MessageType) -> list[Item]:
    return [i for i in box.items.values() if i.recipient_system == auth.system_id
            and i.message_type is message_type and i.state == "pending"]


def _require_operator(box: Mailbox, auth: AuthenticatedRequest) -> None:
    if auth.system_id not in box.operators:
        raise OperationNotPermitted(f"system {auth.system_id} may not change the agency directory")


async def _answer(box: Mailbox, op: Operation, auth: AuthenticatedRequest, request: Request,
                  policy: AuthPolicy) -> dict | Response:
    if op.name == "sendEdoc":
        return await _send_edoc(box, auth, request, policy)
    if op.name == "getReceivedEdocList":
        items = _pending(box, auth, read_list(auth).message_type)
        return list_reply([ReceivedEdoc(docId=i.doc_id, messageType=i.message_type.value,
                                        created_time=i.created, updated_time=i.created,
                                        **{"from": i.from_code, "to": i.to_code}, status=i.state)
                           for i in items])
    if op.name == "getEdoc":
        return edoc_reply(_own_item(box, auth).package)
    if op.name == "downloadEdoc":
        return Response(_own_item(box, auth).package, media_type="application/octet-stream")
    if op.name == "updateStatus":
        params = read_update_status(auth)
        item = _own_item(box, auth)
        if params.status is AckStatus.DONE:
            item.state = "done"
            box.received.add((item.to_code, item.document_id))
        elif params.status is AckStatus.FAIL:
            item.failures += 1
        else:
            item.state = "processing"
        return ok_reply()
    if op.name == "getSentEdocList":
        message_type = read_list(auth).message_type
        return list_reply([SentEdoc(messageType=i.message_type.value, senderDocId=i.doc_id,
                                    receiverDocId=i.doc_id, fromCode=i.from_code, toCode=i.to_code,
                                    sentTime=i.created, sendStatus="done",
                                    receiveStatus="done" if i.state == "done" else "pending")
                           for i in box.items.values()
                           if i.sender_system == auth.system_id and i.message_type is message_type])
    if op.name in ("countReceiveEdoc", "countReceiveStatus"):
        default = MessageType.EDOC if op.name == "countReceiveEdoc" else MessageType.STATUS
        return count_reply(len(_pending(box, auth, read_list(auth, default).message_type)))
    if op.name == "getAgenciesList":
        return list_reply(list(box.agencies.values()))
    if op.name == "getSynchronizeUnit":
        return list_reply([SynchronizeUnit(id=a.id, code=a.code, pid=a.pid, name=a.name, mail=a.mail,
                                           version=1, deleted=False, isAgency=True)
                           for a in box.agencies.values()])
    if op.name == "registerAgency":
        _require_operator(box, auth)
        agency = read_register_agency(await request.body())
        box.agencies[agency.code] = agency
        return ok_reply()
    if op.name == "deleteAgency":
        _require_operator(box, auth)
        code = read_agency_code(auth)
        if box.agencies.pop(code, None) is None:
            raise MalformedRequest(f"unknown agency {code}")
        return ok_reply()
    raise AssertionError(op.name)


def mailbox_app(box: Mailbox, policy: AuthPolicy) -> FastAPI:
    app = FastAPI()
    verify = secret_table_verifier(box.systems)

    @app.api_route("/vxp/{name}", methods=["GET", "POST"])
    async def call(name: str, request: Request) -> Response:
        op = None
        try:
            op = operation(name)
            if request.method not in op.accepted_methods:
                raise MalformedRequest(f"{op.name} does not accept {request.method}")
            auth = authenticate(VxpHeaders.from_raw(request.headers.raw), verify, policy=policy)
            reply = await _answer(box, op, auth, request, policy)
        except VxpError as refused:
            return JSONResponse(fail_reply(refused, op))
        return reply if isinstance(reply, Response) else JSONResponse(reply)

    return app


def fresh_box() -> Mailbox:
    return Mailbox(
        systems={SENDER: ([SENDER_SECRET], [SKHCN, SXD]), RECEIVER: ([RECEIVER_SECRET], [XA_TAN_PHU]),
                 OPERATOR: ([OPERATOR_SECRET], [])},
        operators={OPERATOR},
        agencies={code: AgencyEntry(id=i, code=code, pid=0, name=name, mail=f"{i}@hoason.example")
                  for i, (code, name) in enumerate([(SKHCN, "Sở Khoa học và Công nghệ"), (SXD, "Sở Xây dựng"),
                                                    (XA_TAN_PHU, "UBND xã Tân Phú")], start=1)})


POLICY = AuthPolicy(timestamp_window=timedelta(hours=1), max_package_bytes=MAX_PACKAGE)


@pytest.fixture(scope="module")
def server():
    holder = {"box": fresh_box()}

    class Proxy:
        def __getattr__(self, name):
            return getattr(holder["box"], name)

    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(mailbox_app(Proxy(), POLICY), host="127.0.0.1", port=port,
                                       log_level="warning", lifespan="off"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if uv.started:
            break
        threading.Event().wait(0.05)
    yield holder, f"http://127.0.0.1:{port}/vxp"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def box(server) -> Mailbox:
    holder, _ = server
    holder["box"] = fresh_box()
    return holder["box"]


@pytest.fixture
def endpoint(server) -> str:
    return server[1]


@pytest.fixture
def sender(endpoint, box):
    with VxpClient(endpoint, SENDER, SENDER_SECRET) as client:
        yield client


@pytest.fixture
def receiver(endpoint, box):
    with VxpClient(endpoint, RECEIVER, RECEIVER_SECRET) as client:
        yield client


# ------------------------------------------------------------------------------------------------
# Every call
# ------------------------------------------------------------------------------------------------


def test_document_send_list_get_download_ack(sender, receiver, box):
    package = document()
    doc_id = sender.send_edoc(package, from_code=SKHCN, to=[XA_TAN_PHU])

    assert receiver.count_receive_edoc() == 1
    [item] = receiver.get_received_edoc_list(MessageType.EDOC)
    assert (item.doc_id, item.from_code, item.to_code) == (doc_id, SKHCN, XA_TAN_PHU)
    assert item.message_type == "edoc"
    assert receiver.get_edoc(doc_id) == package  # the SDK's trailing CRLF was stripped (Q4)
    assert receiver.get_edoc(doc_id) == package  # getEdoc does not remove it
    assert receiver.download_edoc(doc_id) == package
    [sent] = sender.get_sent_edoc_list()
    assert (sent.sender_doc_id, sent.to_code, sent.receive_status) == (doc_id, XA_TAN_PHU, "pending")

    receiver.update_status(doc_id, AckStatus.DONE)

    assert receiver.get_received_edoc_list() == []
    assert receiver.count_receive_edoc() == 0
    assert sender.get_sent_edoc_list()[0].receive_status == "done"


def test_status_goes_back_to_the_sender_in_its_own_mailbox(sender, receiver):
    document_id = f"{SKHCN},2025/03/05,03/KH-SKHCN"
    doc_id = sender.send_edoc(document(document_id), from_code=SKHCN, to=[XA_TAN_PHU])
    receiver.update_status(doc_id, AckStatus.DONE)

    status_id = receiver.send_edoc(status(document_id), from_code=XA_TAN_PHU, message_type=MessageType.STATUS)

    assert sender.count_receive_status() == 1
    assert sender.get_received_edoc_list(MessageType.EDOC) == []  # never listed as a document
    [item] = sender.get_received_edoc_list(MessageType.STATUS)
    assert item.doc_id == status_id and item.message_type == "status"
    assert b"<edXML:StatusCode>03</edXML:StatusCode>" in sender.get_edoc(status_id)
    assert [s.message_type for s in receiver.get_sent_edoc_list(MessageType.STATUS)] == ["status"]


def test_fail_keeps_the_package_pending_and_processing_leases_it(sender, receiver, box):
    doc_id = sender.send_edoc(document(), from_code=SKHCN, to=[XA_TAN_PHU])

    receiver.update_status(doc_id, AckStatus.FAIL)
    receiver.update_status(doc_id, AckStatus.FAIL)
    assert [i.doc_id for i in receiver.get_received_edoc_list()] == [doc_id]
    assert box.items[doc_id].failures == 2

    receiver.update_status(doc_id, AckStatus.PROCESSING)
    assert receiver.get_received_edoc_list() == []


def test_a_package_without_to_is_routed_by_its_own_recipients(sender, receiver):
    doc_id = sender.send_edoc(document(), from_code=SKHCN)  # Q6: Bkav sends documents without `to`

    assert [i.doc_id for i in receiver.get_received_edoc_list()] == [doc_id]


def test_send_a_file_from_disk_with_padded_hash_and_no_trailing_crlf(endpoint, receiver, tmp_path):
    path = tmp_path / "outgoing.edxml"
    path.write_bytes(document(subject="Tệp lớn " + "x" * 20_000))
    client = VxpClient(endpoint, SENDER, SENDER_SECRET, hash_style=HashStyle.PADDED,
                       quirks=SdkQuirks(trailing_crlf=False))
    with client:
        doc_id = client.send_edoc(path, from_code=SXD, to=[XA_TAN_PHU])

    assert receiver.get_edoc(doc_id) == path.read_bytes()


def test_an_sdk_2_0_client_that_leaks_headers_between_calls(endpoint, box):
    quirks = SdkQuirks(trailing_crlf=True, frozen_timestamp=True, leak_headers=True)
    with VxpClient(endpoint, SENDER, SENDER_SECRET, quirks=quirks) as sdk, \
            VxpClient(endpoint, RECEIVER, RECEIVER_SECRET, quirks=quirks) as other:
        doc_id = sdk.send_edoc(document(), from_code=SKHCN, to=[XA_TAN_PHU])
        # `other` now sends from, to, hash-file... of nothing; its own earlier keys leak in later calls
        [item] = other.get_received_edoc_list()
        assert other.get_edoc(item.doc_id) == document()
        other.update_status(doc_id, AckStatus.DONE)
        assert other.get_received_edoc_list(MessageType.STATUS) == []  # docId/status leaked, ignored
        assert sdk.count_receive_status() == 0


def test_agency_directory_calls(endpoint, sender):
    codes = [a.code for a in sender.get_agencies_list()]
    assert codes == [SKHCN, SXD, XA_TAN_PHU]
    units = sender.get_synchronize_unit()
    assert [u.code for u in units] == codes and units[0].is_agency is True

    with VxpClient(endpoint, OPERATOR, OPERATOR_SECRET) as operator:
        operator.register_agency(AgencyEntry(code="000.00.40.H99", pcode=SKHCN, name="Trung tâm Đổi mới",
                                             mail="ttdm@hoason.example"))
        assert "000.00.40.H99" in [a.code for a in sender.get_agencies_list()]
        operator.delete_agency("000.00.40.H99")
    assert "000.00.40.H99" not in [a.code for a in sender.get_agencies_list()]


def test_count_calls_answer_get_as_documented_and_post_as_the_sdk_sends(endpoint, sender, receiver):
    sender.send_edoc(document(), from_code=SKHCN, to=[XA_TAN_PHU])
    request = receiver.build_request("countReceiveEdoc", {"servicetype": "eDoc", "messagetype": "edoc"})
    as_get = httpx.Request("GET", request.url,
                           headers=[(k, v) for k, v in request.headers.raw if k.lower() != b"content-length"])

    assert receiver.send(request, "countReceiveEdoc")["count"] == 1
    assert receiver.send(as_get, "countReceiveEdoc")["count"] == 1


# ------------------------------------------------------------------------------------------------
# Every refusal: the FAIL envelope with its own ErrorCode, and nothing stored
# ------------------------------------------------------------------------------------------------


def refused(box: Mailbox, call) -> VxpError:
    before = dict(box.items), dict(box.agencies), set(box.received)
    with pytest.raises(VxpError) as caught:
        call()
    assert (dict(box.items), dict(box.agencies), set(box.received)) == before
    return caught.value


def test_malformed_request(sender, box):
    doc_id = sender.send_edoc(document(), from_code=SKHCN, to=[XA_TAN_PHU])
    error = refused(box, lambda: sender.call(UPDATE_STATUS, {"docId": doc_id, "status": "archived"}))
    assert error.error_code is ErrorCode.MALFORMED_REQUEST
    error = refused(box, lambda: sender.call(GET_EDOC, {}))
    assert error.error_code is ErrorCode.MALFORMED_REQUEST and "docId" in error.error_desc


def test_unknown_call_is_a_fail_envelope(endpoint, sender):
    reply = httpx.post(endpoint + "/getEverything", headers=sender.signed_headers(GET_EDOC).as_dict()).json()

    assert reply["status"] == "FAIL" and reply["ErrorCode"] == "1"


def test_wrong_secret(endpoint, box):
    with VxpClient(endpoint, SENDER, "not-the-secret") as forger:
        error = refused(box, lambda: forger.send_edoc(document(), from_code=SKHCN, to=[XA_TAN_PHU]))
    assert error.error_code is ErrorCode.AUTHENTICATION_FAILED


def test_unknown_system(endpoint, box):
    with VxpClient(endpoint, "00.99.W00", SENDER_SECRET) as stranger:
        error = refused(box, lambda: stranger.get_received_edoc_list())
    assert error.error_code is ErrorCode.UNKNOWN_SYSTEM


def test_from_an_agency_the_system_does_not_hold(receiver, box):
    package = document(sender=SKHCN, to=SXD)
    error = refused(box, lambda: receiver.send_edoc(package, from_code=SKHCN, to=[SXD]))
    assert error.error_code is ErrorCode.AGENCY_NOT_HELD


def test_unknown_doc_id(receiver, box):
    error = refused(box, lambda: receiver.get_edoc(str(uuid.uuid4())))
    assert error.error_code is ErrorCode.UNKNOWN_DOC_ID


def test_doc_id_of_another_systems_mailbox(sender, receiver, box):
    doc_id = sender.send_edoc(document(), from_code=SKHCN, to=[XA_TAN_PHU])

    assert refused(box, lambda: sender.get_edoc(doc_id)).error_code is ErrorCode.DOC_NOT_IN_MAILBOX
    assert refused(box, lambda: sender.download_edoc(doc_id)).error_code is ErrorCode.DOC_NOT_IN_MAILBOX
    assert refused(box, lambda: sender.update_status(doc_id)).error_code is ErrorCode.DOC_NOT_IN_MAILBOX


def test_malformed_package(sender, box):
    error = refused(box, lambda: sender.send_edoc(b"<edXML><unclosed>", from_code=SKHCN, to=[XA_TAN_PHU]))
    assert error.error_code is ErrorCode.INVALID_PACKAGE


def test_hostile_package(sender, box):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            b"<edXML>&lol2;</edXML>")
    error = refused(box, lambda: sender.send_edoc(bomb, from_code=SKHCN, to=[XA_TAN_PHU]))
    assert error.error_code is ErrorCode.HOSTILE_PACKAGE


def test_hash_file_mismatch(sender, box):
    params = {"from": SKHCN, "servicetype": "eDoc", "messagetype": "edoc", "to": f'["{XA_TAN_PHU}"]',
              "hash-file": hashlib.sha256(b"another file").hexdigest()}
    error = refused(box, lambda: sender.call(SEND_EDOC, params, content=document()))
    assert error.error_code is ErrorCode.HASH_FILE_MISMATCH


def test_package_too_large(sender, box):
    big = document(subject="x" * MAX_PACKAGE)
    error = refused(box, lambda: sender.send_edoc(big, from_code=SKHCN, to=[XA_TAN_PHU]))
    assert error.error_code is ErrorCode.PACKAGE_TOO_LARGE


def test_unknown_recipient(sender, box):
    to = [XA_TAN_PHU, "000.00.00.X00"]
    error = refused(box, lambda: sender.send_edoc(document(), from_code=SKHCN, to=to))
    assert error.error_code is ErrorCode.UNKNOWN_RECIPIENT


def test_header_differing_from_its_signed_value(sender, box):
    request = sender.build_request(GET_EDOC, {"docId": "a"})
    request.headers["XroadVnpt-docId"] = "b"
    error = refused(box, lambda: sender.send(request, GET_EDOC))
    assert error.error_code is ErrorCode.SIGNED_HEADER_MISMATCH


def test_stale_timestamp_of_a_long_running_sdk_object(endpoint, box, monkeypatch):
    real_now = clock.now
    with monkeypatch.context() as patch:
        patch.setattr(clock, "now", lambda: real_now() - timedelta(hours=3))
        old = VxpClient(endpoint, RECEIVER, RECEIVER_SECRET, quirks=SdkQuirks(frozen_timestamp=True))
    with old:
        error = refused(box, lambda: old.get_received_edoc_list())
    assert error.error_code is ErrorCode.STALE_TIMESTAMP


def test_status_for_a_document_never_received(receiver, box):
    package = status("000.00.07.H99,2025/01/01,1/KH")
    error = refused(box, lambda: receiver.send_edoc(package, from_code=XA_TAN_PHU,
                                                    message_type=MessageType.STATUS))
    assert error.error_code is ErrorCode.STATUS_FOR_UNRECEIVED_DOCUMENT


def test_directory_changes_by_an_agency_system(sender, box):
    error = refused(box, lambda: sender.register_agency(AgencyEntry(code="000.00.41.H99", name="X")))
    assert error.error_code is ErrorCode.OPERATION_NOT_PERMITTED
    assert refused(box, lambda: sender.delete_agency(SXD)).error_code is ErrorCode.OPERATION_NOT_PERMITTED


def test_fail_envelope_on_the_wire_keeps_the_sdk_reading_it(sender, endpoint):
    request = sender.build_request(SEND_EDOC, {"from": "000.00.99.H99", "hash-file": "00"}, content=b"<x/>")
    reply = httpx.Client().send(request).json()

    assert reply == {"status": "FAIL", "ErrorCode": "3", "ErrorDesc": reply["ErrorDesc"], "DocId": ""}
    assert "000.00.99.H99" in reply["ErrorDesc"]


def test_download_of_a_package_reads_the_raw_stream(sender, receiver):
    doc_id = sender.send_edoc(document(), from_code=SKHCN, to=[XA_TAN_PHU])
    response = receiver.http.send(receiver.build_request(DOWNLOAD_EDOC, {"docId": doc_id}))

    assert response.headers["content-type"] == "application/octet-stream"
    assert response.content == document()
