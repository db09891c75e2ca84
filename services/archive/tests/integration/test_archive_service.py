"""The archive as its bootstrap wires it: events in through the transport, out through the outbox, gRPC API.

Embedded-mode shape: the archive and the (fixture) documents service share one gRPC port, and
``documents_grpc_target`` defaults to it.
"""

from __future__ import annotations

import hashlib
import threading
import uuid

import grpc
import pytest

from lienthong.api.archive.v1 import archive_pb2, archive_pb2_grpc
from lienthong.api.archive.v1 import events_pb2 as archive_events
from lienthong.api.documents.v1 import documents_pb2
from lienthong.api.documents.v1.events_pb2 import DocumentSubmitted
from lienthong.archive.bootstrap import build
from lienthong.archive.settings import ArchiveSettings
from lienthong.platform.messaging import Event, topic_of
from lienthong.platform.messaging.local import LocalLogTransport
from lienthong.testing.net import free_port


def test_a_published_document_is_archived_and_announced_and_served_over_grpc(tmp_path, grpc_server, documents):
    settings = ArchiveSettings(data_dir=tmp_path, grpc_port=free_port())
    assert settings.documents_grpc_target == f"127.0.0.1:{settings.grpc_port}"
    transport = LocalLogTransport(tmp_path / "events.sqlite3", poll_interval_s=0.02)
    app = build(settings, transport=transport)
    grpc_server(*app.servicers, port=settings.grpc_port)

    announced: list[Event] = []
    arrived = threading.Event()

    def collect(event: Event) -> None:
        announced.append(event)
        arrived.set()

    stop = threading.Event()
    listener = transport.subscriber("archive-test-listener", [topic_of("archive")], collect)
    threads = [threading.Thread(target=w.run, args=(stop,)) for w in [*app.workers, listener]]
    for t in threads:
        t.start()
    try:
        document_id = str(uuid.uuid4())
        data = b"%PDF-1.7 " + bytes(range(256)) * 100
        digest = documents.add(document_id, data)
        document = documents_pb2.Document(
            id=document_id, identifier="000.00.11.H99-2026.3", sender_code="000.00.11.H99",
            recipient_codes=["000.00.12.H99"], submitted_at="2026-03-02T09:15:04.120+07:00",
            attachments=[documents_pb2.Attachment(name="qd.pdf", sha256=digest, size=len(data))])
        publisher = transport.publisher()
        publisher.publish([Event.of(DocumentSubmitted(document=document), service="documents", key=document_id)])

        assert arrived.wait(20), "no RecordArchived was published"
        [event] = announced
        assert event.key == document_id
        record = event.parse(archive_events.RecordArchived).record
        assert record.document_id == document_id and list(record.file_sha256) == [hashlib.sha256(data).hexdigest()]

        with grpc.insecure_channel(settings.grpc_self_target) as ch:
            stub = archive_pb2_grpc.ArchiveServiceStub(ch)
            assert stub.GetRecord(archive_pb2.GetRecordRequest(id=record.id), timeout=5) == record
            check = stub.VerifyFixity(archive_pb2.VerifyFixityRequest(record_id=record.id), timeout=5)
            assert check.intact and check.checked_at.endswith("+07:00")
            with pytest.raises(grpc.RpcError) as missing:
                stub.GetRecord(archive_pb2.GetRecordRequest(id="missing"), timeout=5)
            assert missing.value.code() == grpc.StatusCode.NOT_FOUND
        assert app.health()
    finally:
        stop.set()
        for t in threads:
            t.join(10)
        app.close()
