"""The national axis' mailbox protocol served by the embedded axis, driven as an agency system's SDK would.

Systems are made with ``lienthong systems add``; they speak through ``lienthong.vxp.client.VxpClient``
(SDKVXP-exact headers, HMAC and hash-file). A document sent with ``sendEdoc`` is the same document in
the same inbox as the REST API's, and its statuses are the same timeline.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from lienthong.edxml import StatusPackage, parse
from lienthong.platform import clock
from lienthong.signing.adapters.dev_pki import minimal_pdf
from lienthong.testing.axis import Axis, distributed_axis, embedded_axis, eventually
from lienthong.vxp.auth import sdk_header_map, sign_headers
from lienthong.vxp.client import VxpClient
from lienthong.vxp.protocol import (
    SEND_EDOC,
    AckStatus,
    AgencyNotHeld,
    AuthenticationFailed,
    DocNotInMailbox,
    HashFileMismatch,
    HostilePackage,
    InvalidPackage,
    MessageType,
    SignedHeaderMismatch,
    StaleTimestamp,
    StatusForUnreceivedDocument,
    UnknownDocId,
    UnknownRecipient,
    UnknownSystem,
    VxpError,
    format_sdk_timestamp,
    hash_file_hex,
)

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "edxml"
SKHCN, TAN_PHU, STC = "000.00.07.H99", "000.00.31.H99", "000.00.11.H99"
STUB_BASE64 = b"JVBERi0xLjcKJSBMaWVuVGhvbmcgZXhhbXBsZSBzdHViCg=="
"""The fixtures' 34-byte PDF stub: the axis' signing service refuses it as a malformed PDF."""
DOCUMENT = (FIXTURES / "valid_new_document.edxml").read_bytes().replace(
    STUB_BASE64, base64.b64encode(minimal_pdf("Kế hoạch thử nghiệm (hộp thư VXP)")))
STATUS_03 = (FIXTURES / "valid_status_03.edxml").read_bytes()
EDXML_DOCUMENT_ID = "000.00.07.H99,2025/03/05,03/KH-SKHCN"


@pytest.fixture(scope="module")
def axis(tmp_path_factory: pytest.TempPathFactory, trust: Path) -> Iterator[Axis]:
    """One embedded axis for the module, with a 15-minute timestamp window."""
    with embedded_axis(tmp_path_factory.mktemp("axis"), trust,
                       env={"LIENTHONG_ROUTING_VXP_TIMESTAMP_WINDOW_S": "900"}) as running:
        yield running


@pytest.fixture(scope="module")
def systems(axis: Axis) -> dict[str, dict]:
    return {code: axis.cli("systems", "add", "--agency", code, "--name", f"QLVB {code}")
            for code in (SKHCN, TAN_PHU, STC)}


@pytest.fixture(scope="module")
def vxp(axis: Axis, systems: dict[str, dict]) -> Iterator[dict[str, VxpClient]]:
    clients = {code: VxpClient(axis.url("routing", "/vxp"), s["system_id"], s["secret"])
               for code, s in systems.items()}
    yield clients
    for client in clients.values():
        client.close()


@pytest.fixture(scope="module")
def rest(axis: Axis) -> dict[str, dict[str, str]]:
    return {code: {"Authorization": "Bearer " + axis.token(
        axis.cli("registry", "add-client", "--name", f"REST {code}", "--agency", code))}
        for code in (SKHCN, TAN_PHU)}


@pytest.fixture(scope="module")
def sent(vxp: dict[str, VxpClient]) -> dict[str, str]:
    """SKHCN's system sends the document to Tân Phú; Tân Phú's system finds it in its mailbox."""
    doc_id = vxp[SKHCN].send_edoc(DOCUMENT, from_code=SKHCN, to=[TAN_PHU])
    item = eventually(lambda: next((i for i in vxp[TAN_PHU].get_received_edoc_list()
                                    if i.from_code == SKHCN), None), timeout_s=30)
    return {"document_id": doc_id, "item": item.doc_id}


def test_document_through_the_mailbox_is_the_rest_inbox_document(
        axis: Axis, vxp: dict[str, VxpClient], rest: dict[str, dict[str, str]], sent: dict[str, str]) -> None:
    b = vxp[TAN_PHU]
    assert b.count_receive_edoc() == 1
    package = b.get_edoc(sent["item"])
    assert parse(package).package.header.document_id == EDXML_DOCUMENT_ID
    assert b.download_edoc(sent["item"]) == package

    inbox = httpx.get(axis.url("routing", "/api/v1/routing/inbox"), headers=rest[TAN_PHU], timeout=10).json()
    same = [d for d in inbox["items"] if d["id"] == sent["item"]]
    assert same and same[0]["document_id"] == sent["document_id"] and same[0]["state"] == "available"

    b.update_status(sent["item"], AckStatus.FAIL)          # kept, one attempt counted
    assert [i.doc_id for i in b.get_received_edoc_list()] == [sent["item"]]
    b.update_status(sent["item"], AckStatus.DONE)
    assert b.get_received_edoc_list() == [] and b.count_receive_edoc() == 0
    delivery = httpx.get(axis.url("routing", f"/api/v1/routing/deliveries/{sent['item']}"),
                         headers=rest[TAN_PHU], timeout=10).json()
    assert delivery["state"] == "acknowledged"

    tracked = vxp[SKHCN].get_sent_edoc_list()
    assert [(t.sender_doc_id, t.receiver_doc_id, t.to_code, t.receive_status) for t in tracked] == [
        (sent["document_id"], sent["item"], TAN_PHU, "done")]
    assert any(a.code == TAN_PHU for a in vxp[SKHCN].get_agencies_list())


def test_status_through_the_mailbox_reaches_the_sender(
        axis: Axis, vxp: dict[str, VxpClient], rest: dict[str, dict[str, str]], sent: dict[str, str]) -> None:
    status_id = vxp[TAN_PHU].send_edoc(STATUS_03, from_code=TAN_PHU, message_type=MessageType.STATUS)
    a = vxp[SKHCN]
    items = a.get_received_edoc_list(MessageType.STATUS)
    assert [(i.doc_id, i.from_code, i.status) for i in items] == [(status_id, TAN_PHU, "03")]
    assert a.get_received_edoc_list(MessageType.EDOC) == []          # separate mailboxes
    status = parse(a.get_edoc(status_id)).package
    assert isinstance(status, StatusPackage)
    assert (status.status_code, status.from_.organ_id, status.response_for.document_id) == (
        "03", TAN_PHU, EDXML_DOCUMENT_ID)
    with pytest.raises(DocNotInMailbox):
        vxp[TAN_PHU].get_edoc(status_id)                              # it is in the sender's mailbox
    a.update_status(status_id, AckStatus.DONE)
    assert a.count_receive_status() == 0

    timeline = httpx.get(axis.url("routing", f"/api/v1/routing/documents/{sent['document_id']}/deliveries"),
                         headers=rest[SKHCN], timeout=10).json()
    assert [(d["recipient_code"], d["status_code"]) for d in timeline] == [(TAN_PHU, "03")]
    # a repeat of the same status message records nothing new
    vxp[TAN_PHU].send_edoc(STATUS_03, from_code=TAN_PHU, message_type=MessageType.STATUS)
    assert a.count_receive_status() == 0


def _stored(vxp: dict[str, VxpClient]) -> tuple:
    """What the mailboxes hold: nothing a refused call may change."""
    return (len(vxp[SKHCN].get_sent_edoc_list()), vxp[TAN_PHU].count_receive_edoc(),
            vxp[SKHCN].count_receive_status(), vxp[STC].count_receive_edoc(),
            len(vxp[STC].get_sent_edoc_list(MessageType.STATUS)))


def _refused(vxp: dict[str, VxpClient], error: type[VxpError], call: Callable[[], object]) -> VxpError:
    before = _stored(vxp)
    with pytest.raises(error) as refused:
        call()
    assert refused.value.error_desc
    assert _stored(vxp) == before
    return refused.value


def test_bad_credentials_are_refused(axis: Axis, vxp: dict[str, VxpClient], systems: dict[str, dict],
                                     sent: dict[str, str]) -> None:
    url = axis.url("routing", "/vxp")
    a = systems[SKHCN]
    with VxpClient(url, a["system_id"], a["secret"][:-2] + "xx") as wrong:
        _refused(vxp, AuthenticationFailed, lambda: wrong.send_edoc(DOCUMENT, from_code=SKHCN, to=[TAN_PHU]))
    with VxpClient(url, "00.99.W99", a["secret"]) as unknown:
        _refused(vxp, UnknownSystem, lambda: unknown.get_received_edoc_list())

    def tampered() -> object:
        request = vxp[SKHCN].build_request(SEND_EDOC, {
            "from": SKHCN, "servicetype": "eDoc", "messagetype": "edoc",
            "hash-file": hash_file_hex(hashlib.sha256(DOCUMENT).digest())}, content=DOCUMENT)
        request.headers["XroadVnpt-from"] = STC
        return vxp[SKHCN].send(request, SEND_EDOC)
    _refused(vxp, SignedHeaderMismatch, tampered)

    def stale() -> object:
        old = format_sdk_timestamp(clock.now() - timedelta(hours=3))
        signed = sign_headers(a["secret"], sdk_header_map(a["system_id"], old, "application/json",
                                                          {"servicetype": "eDoc", "messagetype": "edoc"}))
        reply = httpx.post(url + "/getReceivedEdocList", headers=signed.as_dict(), content=b"{}", timeout=10).json()
        raise VxpError.from_reply(reply["ErrorCode"], reply["ErrorDesc"])
    _refused(vxp, StaleTimestamp, stale)


def test_bad_packages_and_ids_are_refused(vxp: dict[str, VxpClient], sent: dict[str, str]) -> None:
    a, c = vxp[SKHCN], vxp[STC]

    def hash_mismatch() -> object:
        request = a.build_request(SEND_EDOC, {
            "from": SKHCN, "servicetype": "eDoc", "messagetype": "edoc",
            "hash-file": hash_file_hex(hashlib.sha256(DOCUMENT + b" ").digest())}, content=DOCUMENT)
        return a.send(request, SEND_EDOC)
    _refused(vxp, HashFileMismatch, hash_mismatch)
    _refused(vxp, AgencyNotHeld, lambda: a.send_edoc(DOCUMENT, from_code=STC, to=[TAN_PHU]))
    _refused(vxp, UnknownRecipient, lambda: a.send_edoc(DOCUMENT, from_code=SKHCN, to=["000.00.99.H98"]))
    _refused(vxp, DocNotInMailbox, lambda: c.get_edoc(sent["item"]))
    _refused(vxp, DocNotInMailbox, lambda: c.update_status(sent["item"], AckStatus.DONE))
    _refused(vxp, UnknownDocId, lambda: c.get_edoc("3f1c0a8e-0000-4000-8000-000000000000"))
    from_stc = STATUS_03.replace(f"<edXML:OrganId>{TAN_PHU}".encode(), f"<edXML:OrganId>{STC}".encode(), 1)
    _refused(vxp, StatusForUnreceivedDocument,
             lambda: c.send_edoc(from_stc, from_code=STC, message_type=MessageType.STATUS))
    for hostile in ("invalid_billion_laughs.edxml", "invalid_xxe.edxml"):
        body = (FIXTURES / hostile).read_bytes()
        _refused(vxp, HostilePackage, lambda body=body: a.send_edoc(body, from_code=SKHCN, to=[TAN_PHU]))
    for invalid, said in (("invalid_missing_required.edxml", "/edXML/"), ("invalid_not_well_formed.edxml", "line")):
        body = (FIXTURES / invalid).read_bytes()
        error = _refused(vxp, InvalidPackage, lambda body=body: a.send_edoc(body, from_code=SKHCN, to=[TAN_PHU]))
        assert said in error.error_desc         # element paths of the invalid fields, or where it breaks


def test_a_rest_document_is_in_the_mailbox_as_edxml(axis: Axis, vxp: dict[str, VxpClient],
                                                     rest: dict[str, dict[str, str]]) -> None:
    metadata = {"sender_code": SKHCN, "recipient_codes": [TAN_PHU], "code_number": "41", "code_notation": "KH-SKHCN",
                "subject": "Kế hoạch gửi qua API REST", "document_type": "Kế hoạch",
                "promulgation_date": "2026-11-25", "signer_name": "Nguyễn Văn An"}
    resp = httpx.post(axis.url("documents", "/api/v1/documents"), headers=rest[SKHCN], timeout=60,
                      data={"metadata": json.dumps(metadata, ensure_ascii=False)},
                      files={"file": ("41-KH.pdf", minimal_pdf("Kế hoạch 41"), "application/pdf")})
    assert resp.status_code == 201, resp.text
    document_id = resp.json()["id"]
    inbox = eventually(lambda: [d for d in httpx.get(axis.url("routing", "/api/v1/routing/inbox"),
                                                     headers=rest[TAN_PHU], timeout=10).json()["items"]
                                if d["document_id"] == document_id], timeout_s=30)
    b = vxp[TAN_PHU]
    assert [i.doc_id for i in b.get_received_edoc_list()] == [inbox[0]["id"]]
    package = parse(b.get_edoc(inbox[0]["id"])).package
    assert (package.header.subject, package.header.from_.organ_id) == ("Kế hoạch gửi qua API REST", SKHCN)
    b.update_status(inbox[0]["id"], AckStatus.DONE)
    delivery = httpx.get(axis.url("routing", f"/api/v1/routing/deliveries/{inbox[0]['id']}"),
                         headers=rest[TAN_PHU], timeout=10).json()
    assert delivery["state"] == "acknowledged"


@pytest.fixture
def distributed(request: pytest.FixtureRequest, tmp_path: Path, trust: Path) -> Iterator[Axis]:
    """The axis as six processes (PostgreSQL, Kafka, S3): the mailbox is on routing's own port."""
    kafka = request.getfixturevalue("kafka_bootstrap")
    s3 = request.getfixturevalue("s3_endpoint")
    with distributed_axis(tmp_path, trust, kafka_bootstrap=kafka, s3={
            "endpoint": s3.endpoint, "access_key": s3.access_key, "secret_key": s3.secret_key}) as running:
        yield running


def test_the_mailbox_on_a_distributed_axis(distributed: Axis) -> None:
    made = {code: distributed.cli("systems", "add", "--agency", code, "--name", f"QLVB {code}")
            for code in (SKHCN, TAN_PHU)}
    a, b = (VxpClient(distributed.url("routing", "/vxp"), made[code]["system_id"], made[code]["secret"])
            for code in (SKHCN, TAN_PHU))
    with a, b:
        document_id = a.send_edoc(DOCUMENT, from_code=SKHCN, to=[TAN_PHU])
        [item] = eventually(lambda: b.get_received_edoc_list(), timeout_s=60)
        assert parse(b.get_edoc(item.doc_id)).package.header.document_id == EDXML_DOCUMENT_ID
        b.update_status(item.doc_id, AckStatus.DONE)
        status_id = b.send_edoc(STATUS_03, from_code=TAN_PHU, message_type=MessageType.STATUS)
        assert [(i.doc_id, i.status) for i in a.get_received_edoc_list(MessageType.STATUS)] == [(status_id, "03")]
        assert [t.sender_doc_id for t in a.get_sent_edoc_list()] == [document_id]
