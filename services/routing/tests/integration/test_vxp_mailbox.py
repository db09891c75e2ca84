"""The national-axis mailbox protocol over the routing service built by its bootstrap: real SQLite and
PostgreSQL, the local event log, requests signed by the SDK-exact client over the ASGI app.

The documents service is replaced by a store that keeps the package and announces it as documents
does (``DocumentSubmitted``); the registry by its fakes. tests/e2e/test_vxp_mailbox.py runs the
same protocol against the whole axis.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import BinaryIO

import pytest
from fastapi.testclient import TestClient

from lienthong.api.documents.v1 import documents_pb2
from lienthong.api.documents.v1.events_pb2 import DocumentSubmitted
from lienthong.edxml import DocumentPackage, Organ, ResponseFor, StatusPackage, build, parse
from lienthong.platform import clock
from lienthong.platform.errors import FieldError, InvalidInput, NotFound
from lienthong.platform.http import create_app
from lienthong.platform.messaging import Event
from lienthong.platform.messaging.local import LocalLogTransport
from lienthong.routing import bootstrap
from lienthong.routing.service.mailbox import DirectoryEntry
from lienthong.routing.service.ports import Recipient, Resolution
from lienthong.routing.settings import RoutingSettings
from lienthong.testing.axis import eventually as wait_until
from lienthong.vxp.auth import secret_table_verifier
from lienthong.vxp.client import VxpClient
from lienthong.vxp.protocol import (
    AckStatus,
    DocNotInMailbox,
    InvalidPackage,
    MessageType,
    OperationNotPermitted,
    StatusForUnreceivedDocument,
    UnknownRecipient,
)

FIXTURES = Path(__file__).resolve().parents[4] / "tests" / "fixtures" / "edxml"
SKHCN, TAN_PHU, STC = "000.00.07.H99", "000.00.31.H99", "000.00.11.H99"
KNOWN = (SKHCN, TAN_PHU, STC)
SYSTEMS = {"00.99.W01": ((["secret-a-" + "x" * 35]), [SKHCN]), "00.99.W02": (["secret-b-" + "y" * 35], [TAN_PHU]),
           "00.99.W03": (["secret-c-" + "z" * 35], [STC])}


class Registry:
    """The registry's answers: the three agencies of the fixtures."""

    def resolve_recipients(self, recipients: Sequence[str]) -> list[Recipient]:
        return [Recipient(code, False, (Resolution(code=code),)) if code in KNOWN
                else Recipient(code, False, error=f"agency {code} does not exist") for code in recipients]

    def push_endpoints(self, agency_code: str) -> list[str]:
        return []

    def unknown_codes(self, codes: Sequence[str]) -> list[str]:
        return [c for c in codes if c not in KNOWN]

    def active_agencies(self) -> list[DirectoryEntry]:
        return [DirectoryEntry(code, f"Cơ quan {code}", "000.00.00.H99", "", "", "2026-01-01T00:00:00+07:00")
                for code in KNOWN]


@dataclass
class Documents:
    """Stores packages and announces them as the documents service does (the DocumentStore port)."""

    publish: Callable[[Event], None]
    packages: dict[str, bytes] = field(default_factory=dict)

    def submit_edxml(self, agency_code: str, package: BinaryIO, idempotency_key: str = "") -> str:
        raw = package.read()
        parsed = parse(raw).package
        if not isinstance(parsed, DocumentPackage):
            raise InvalidInput("a document package was expected")
        head = parsed.header
        unknown = [o.organ_id for o in head.to if o.organ_id not in KNOWN]
        if unknown:
            raise InvalidInput("the document is not valid", errors=[
                FieldError("/To/OrganId", f"agency {code} is not in the registry") for code in unknown])
        document = documents_pb2.Document(
            id=str(uuid.uuid4()), sender_code=head.from_.organ_id, recipient_codes=[o.organ_id for o in head.to],
            subject=head.subject, code_number=head.code.code_number, code_notation=head.code.code_notation,
            promulgation_date=head.promulgation_info.promulgation_date.isoformat(),
            edxml_document_id=head.document_id)
        self.packages[document.id] = raw
        self.publish(Event.of(DocumentSubmitted(document=document, edxml_document_id=head.document_id),
                              service="documents", key=document.id))
        return document.id

    def read_edxml(self, document_id: str) -> bytes:
        if document_id not in self.packages:
            raise NotFound(f"no document {document_id}")
        return self.packages[document_id]


@dataclass
class Harness:
    clients: dict[str, VxpClient]
    documents: Documents


@pytest.fixture
def harness(tmp_path: Path, database_url: str) -> Iterator[Harness]:
    settings = RoutingSettings(data_dir=tmp_path, database_url=database_url, vxp_fail_max_attempts=2)
    transport = LocalLogTransport(tmp_path / "events.sqlite3", max_attempts=3)
    publisher = transport.publisher()
    documents = Documents(publish=lambda e: publisher.publish([e]))
    registry = Registry()
    app = bootstrap.build(settings, transport=transport, directory=registry, documents=documents,
                          system_verifier=secret_table_verifier(SYSTEMS), agency_list=registry)
    stop = threading.Event()
    threads = [threading.Thread(target=w.run, args=(stop,), daemon=True) for w in app.workers]
    for t in threads:
        t.start()
    http = TestClient(create_app(title="routing vxp test", routers=[app.router], verifier=None))
    codes = {"00.99.W01": SKHCN, "00.99.W02": TAN_PHU, "00.99.W03": STC}
    clients = {codes[sid]: VxpClient("http://testserver/vxp", sid, secrets[0], http=http)
               for sid, (secrets, _) in SYSTEMS.items()}
    yield Harness(clients, documents)
    stop.set()
    for t in threads:
        t.join(timeout=10)
    app.close()


eventually = partial(wait_until, timeout_s=20.0, interval_s=0.05)  # in-process: quicker than e2e


def status_package(code: str, reporter: str, description: str = "") -> bytes:
    return build(StatusPackage.model_validate({
        "from": Organ(organ_id=reporter), "status_code": code, "description": description,
        "response_for": ResponseFor(organ_id=SKHCN, code="03/KH-SKHCN", document_id="000.00.07.H99,2025/03/05,03/KH-SKHCN"),
        "timestamp": clock.now()}))


def test_mailboxes_fail_processing_done_statuses_and_recall(harness: Harness) -> None:
    a, b, c = harness.clients[SKHCN], harness.clients[TAN_PHU], harness.clients[STC]
    package = (FIXTURES / "valid_new_document.edxml").read_bytes()
    document_id = a.send_edoc(package, from_code=SKHCN, to=[TAN_PHU])
    item = eventually(lambda: b.get_received_edoc_list())[0]
    assert (item.from_code, item.to_code, item.status) == (SKHCN, TAN_PHU, "pending")
    assert b.get_edoc(item.doc_id) == package and c.get_received_edoc_list() == []
    with pytest.raises(DocNotInMailbox):
        c.get_edoc(item.doc_id)

    b.update_status(item.doc_id, AckStatus.PROCESSING)       # hidden while processed
    assert b.get_received_edoc_list() == [] and b.count_receive_edoc() == 0
    b.update_status(item.doc_id, AckStatus.FAIL)             # fail shows it again, attempt 1 of 2
    assert [i.doc_id for i in b.get_received_edoc_list()] == [item.doc_id]
    [sent] = a.get_sent_edoc_list()
    assert (sent.sender_doc_id, sent.receiver_doc_id, sent.receive_status) == (document_id, item.doc_id, "pending")

    b.update_status(item.doc_id, AckStatus.DONE)
    assert b.count_receive_edoc() == 0
    assert a.get_sent_edoc_list()[0].receive_status == "done"

    # statuses: the recipient's 03 reaches the sender's status mailbox, never its edoc mailbox
    status_id = b.send_edoc(status_package("03", TAN_PHU), from_code=TAN_PHU, message_type=MessageType.STATUS)
    [status] = a.get_received_edoc_list(MessageType.STATUS)
    assert (status.doc_id, status.status, status.from_code) == (status_id, "03", TAN_PHU)
    assert a.get_received_edoc_list(MessageType.EDOC) == [] and b.count_receive_status() == 0
    assert parse(a.get_edoc(status_id)).package.status_code == "03"
    with pytest.raises(StatusForUnreceivedDocument):
        c.send_edoc(status_package("03", STC), from_code=STC, message_type=MessageType.STATUS)
    with pytest.raises(InvalidPackage):                       # a status sent as a document
        c.send_edoc(status_package("05", STC), from_code=STC, message_type=MessageType.EDOC)
    a.update_status(status_id, AckStatus.FAIL)
    a.update_status(status_id, AckStatus.FAIL)                # the second failure takes it out of the list
    assert a.count_receive_status() == 0

    # the sender recalls (13): the recipient's status mailbox; its 15 comes back to the sender
    recall_id = a.send_edoc(status_package("13", SKHCN, "ban hành nhầm"), from_code=SKHCN,
                            message_type=MessageType.STATUS)
    [recall] = b.get_received_edoc_list(MessageType.STATUS)
    assert (recall.doc_id, recall.status, recall.from_code) == (recall_id, "13", SKHCN)
    b.update_status(recall.doc_id, AckStatus.DONE)
    agreed = b.send_edoc(status_package("15", TAN_PHU, "đồng ý"), from_code=TAN_PHU, message_type=MessageType.STATUS)
    assert [(s.doc_id, s.status) for s in a.get_received_edoc_list(MessageType.STATUS)] == [(agreed, "15")]
    assert [(s.notation, s.to_code) for s in b.get_sent_edoc_list(MessageType.STATUS)] == [
        ("03", SKHCN), ("15", SKHCN)]


def test_refusals_store_nothing(harness: Harness) -> None:
    a = harness.clients[SKHCN]
    package = (FIXTURES / "valid_new_document.edxml").read_bytes()
    with pytest.raises(UnknownRecipient):
        a.send_edoc(package, from_code=SKHCN, to=["000.00.99.H98"])
    unknown_to = package.replace(f"<edXML:OrganId>{TAN_PHU}".encode(), b"<edXML:OrganId>000.00.98.H98", 1)
    with pytest.raises(UnknownRecipient):
        a.send_edoc(unknown_to, from_code=SKHCN)
    with pytest.raises(OperationNotPermitted):
        a.delete_agency(TAN_PHU)
    assert harness.documents.packages == {} and a.get_sent_edoc_list() == []
    assert {e.code for e in a.get_agencies_list()} == set(KNOWN)
    # the same calls under VDXP's adapter path, for SDK configurations copied from it
    secrets, _ = SYSTEMS["00.99.W01"]
    with VxpClient("http://testserver/XrdAdapter/adapter", "00.99.W01", secrets[0], http=a.http) as copied:
        assert {e.code for e in copied.get_agencies_list()} == set(KNOWN)
