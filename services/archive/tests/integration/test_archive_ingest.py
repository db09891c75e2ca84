"""Ingest: DocumentSubmitted → archival package in the blob store, one record, RecordArchived; fixity; trail.

Real SQLite and PostgreSQL, a real loopback gRPC documents service, a real file blob store.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import uuid

import pytest
from sqlalchemy import func, select

from lienthong.api.archive.v1 import events_pb2 as archive_events
from lienthong.api.documents.v1 import documents_pb2
from lienthong.api.documents.v1.events_pb2 import DocumentSubmitted
from lienthong.api.routing.v1 import events_pb2 as routing_events
from lienthong.api.routing.v1 import routing_pb2
from lienthong.archive.adapters.tables import audit_trail, records
from lienthong.archive.bootstrap import ArchiveCore, build_core
from lienthong.archive.domain.records import AttachmentMismatch
from lienthong.archive.entrypoints.consumers import event_handler
from lienthong.archive.settings import ArchiveSettings
from lienthong.platform.messaging import Event
from lienthong.platform.messaging.tables import inbox_events, outbox_events

SENDER = "000.00.11.H99"
RECIPIENT = "000.00.12.H99"


def submitted_event(documents, *, files: list[tuple[str, bytes]], wrong_digest_for: str | None = None,
                    document_id: str | None = None) -> tuple[Event, documents_pb2.Document]:
    """A DocumentSubmitted event whose attachments the fixture documents service serves."""
    document_id = document_id or str(uuid.uuid4())
    attachments = []
    for name, data in files:
        declared = hashlib.sha256(b"not these bytes").hexdigest() if name == wrong_digest_for else None
        digest = documents.add(document_id, data, declared_sha256=declared)
        attachments.append(documents_pb2.Attachment(name=name, media_type="application/pdf", sha256=digest,
                                                    size=len(data)))
    document = documents_pb2.Document(
        id=document_id, identifier=f"{SENDER}-2026.7", sender_code=SENDER, recipient_codes=[RECIPIENT],
        subject="Về việc báo cáo số liệu quý I", attachments=attachments,
        signature=documents_pb2.SignatureSummary(signed=True, indication="TOTAL_PASSED", report_id="r-1"),
        submitted_at="2026-03-02T09:15:04.120+07:00",
        metadata_json=json.dumps({"code": {"number": "123", "notation": "STC-VP"}}, ensure_ascii=False))
    return Event.of(DocumentSubmitted(document=document), service="documents", key=document_id), document


@pytest.fixture
def core(tmp_path, database_url, grpc_server) -> ArchiveCore:
    target = grpc_server()
    settings = ArchiveSettings(data_dir=tmp_path, database_url=database_url, documents_grpc_target=target,
                               spool_dir=tmp_path / "spool")
    built = build_core(settings)
    yield built
    built.close()


def outbox_of(core: ArchiveCore, message_class):
    with core.database.session_factory() as s:
        rows = s.execute(select(outbox_events).where(
            outbox_events.c.event_type == message_class.DESCRIPTOR.full_name).order_by(outbox_events.c.seq)).all()
    return [message_class.FromString(r.data) for r in rows]


def count(core: ArchiveCore, table) -> int:
    with core.database.session_factory() as s:
        return s.execute(select(func.count()).select_from(table)).scalar_one()


def stored_blobs(core: ArchiveCore) -> list[str]:
    return [name for _, _, names in os.walk(core.blobs.root) for name in names if len(name) == 64]


def test_submitted_document_is_archived_as_a_bag_whose_digest_is_the_stored_bytes(core, documents):
    big = os.urandom(2 * 1024 * 1024 + 17)  # several gRPC chunks
    event, document = submitted_event(documents, files=[("Công văn 123.pdf", big), ("phụ lục.pdf", b"%PDF-1.7 x")])

    event_handler(core.archive, core.database)(event)

    [record] = core.archive.list_records(_Operator())
    assert (record.document_id, record.identifier, record.sender_code) == (document.id, document.identifier, SENDER)
    assert record.recipient_codes == (RECIPIENT,)
    stored = b"".join(core.blobs.get(record.package_sha256))
    assert hashlib.sha256(stored).hexdigest() == record.package_sha256
    assert len(stored) == record.package_size

    with tarfile.open(fileobj=io.BytesIO(stored)) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    assert members["bagit.txt"] == b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    assert members["data/files/Công văn 123.pdf"] == big
    manifest = dict(reversed(line.split("  ", 1)) for line in members["manifest-sha256.txt"].decode().splitlines())
    assert manifest["data/files/Công văn 123.pdf"] == hashlib.sha256(big).hexdigest()
    assert manifest["data/files/phụ lục.pdf"] == hashlib.sha256(b"%PDF-1.7 x").hexdigest()
    assert manifest["data/metadata.json"] == hashlib.sha256(members["data/metadata.json"]).hexdigest()
    assert [f.sha256 for f in record.files] == [a.sha256 for a in document.attachments]
    tag_manifest = members["tagmanifest-sha256.txt"].decode()
    assert f"{hashlib.sha256(members['manifest-sha256.txt']).hexdigest()}  manifest-sha256.txt" in tag_manifest
    metadata = json.loads(members["data/metadata.json"])
    assert metadata["lienthong"]["document_id"] == document.id
    assert metadata["lienthong"]["identifier"] == document.identifier
    assert metadata["document"] == {"code": {"number": "123", "notation": "STC-VP"}}
    assert f"Payload-Oxum: {len(members['data/metadata.json']) + len(big) + 10}.3" in members["bag-info.txt"].decode()

    [archived] = outbox_of(core, archive_events.RecordArchived)
    assert archived.record.id == record.id
    assert archived.record.package_sha256 == record.package_sha256
    assert list(archived.record.file_sha256) == [a.sha256 for a in document.attachments]


def test_a_second_delivery_changes_nothing(core, documents):
    event, document = submitted_event(documents, files=[("a.pdf", b"%PDF-1.4 a")])
    handler = event_handler(core.archive, core.database)
    handler(event)
    handler(event)  # the same event again (redelivery)
    again = Event.of(DocumentSubmitted(document=document), service="documents", key=document.id)
    handler(again)  # the same document under a new event id (republished)

    assert count(core, records) == 1
    assert len(outbox_of(core, archive_events.RecordArchived)) == 1
    assert len(stored_blobs(core)) == 1
    assert documents.served == 1


def test_an_attachment_that_does_not_match_its_digest_is_refused_and_nothing_is_stored(core, documents):
    event, _ = submitted_event(documents, files=[("good.pdf", b"%PDF good"), ("bad.pdf", b"%PDF tampered")],
                               wrong_digest_for="bad.pdf")

    with pytest.raises(AttachmentMismatch, match="bad.pdf"):
        event_handler(core.archive, core.database)(event)

    assert count(core, records) == 0
    assert count(core, outbox_events) == 0
    assert count(core, inbox_events) == 0  # not marked handled: the transport retries or dead-letters it
    assert stored_blobs(core) == []
    assert os.listdir(core.blobs.root / ".tmp") == []


def test_an_attachment_shorter_than_declared_is_refused(core, documents):
    document_id = str(uuid.uuid4())
    digest = documents.add(document_id, b"short")
    document = documents_pb2.Document(id=document_id, identifier=f"{SENDER}-2026.8", sender_code=SENDER,
                                      attachments=[documents_pb2.Attachment(name="x.pdf", sha256=digest, size=99)])
    event = Event.of(DocumentSubmitted(document=document), service="documents", key=document_id)
    with pytest.raises(AttachmentMismatch, match="ended after 5 of 99 bytes"):
        event_handler(core.archive, core.database)(event)
    assert count(core, records) == 0


def test_fixity_check_detects_a_package_altered_behind_the_stores_back(core, documents):
    event, _ = submitted_event(documents, files=[("a.pdf", b"%PDF-1.4 original")])
    event_handler(core.archive, core.database)(event)
    [record] = core.archive.list_records(_Operator())

    assert core.archive.check_fixity(record.id).intact is True
    path = core.blobs.path_of(record.package_sha256)
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[600] ^= 0x01
    path.write_bytes(bytes(data))

    check = core.archive.check_fixity(record.id)
    assert check.intact is False
    after = core.archive.get_record(record.id)
    assert after.last_fixity_intact is False
    assert after.last_fixity_check_at == check.checked_at
    assert [(c.record_id, c.intact) for c in outbox_of(core, archive_events.FixityChecked)] == [
        (record.id, True), (record.id, False)]


def test_routing_events_are_appended_to_the_audit_trail_once(core, documents):
    event, document = submitted_event(documents, files=[("a.pdf", b"%PDF a")])
    handler = event_handler(core.archive, core.database)
    handler(event)
    delivery = routing_pb2.Delivery(id="d-1", document_id=document.id, sender_code=SENDER,
                                    recipient_code=RECIPIENT, addressed_code=RECIPIENT, state="available")
    delivered = Event.of(routing_events.Delivered(delivery=delivery, channel="inbox"), service="routing",
                         key=document.id)
    status = Event.of(routing_events.StatusReported(delivery=delivery, status_code="03", description="Đã tiếp nhận",
                                                    reported_at="2026-03-02T10:00:00+07:00",
                                                    reported_by=RECIPIENT), service="routing", key=document.id)
    for e in (delivered, status, delivered):
        handler(e)

    assert count(core, audit_trail) == 2
    [record] = core.archive.list_records(_Operator())
    _, trail = core.archive.trail(record.id, _Operator())
    assert [(t.event_type, t.delivery_id, t.recipient_code, t.status_code, t.detail) for t in trail] == [
        ("Delivered", "d-1", RECIPIENT, "", "channel=inbox"),
        ("StatusReported", "d-1", RECIPIENT, "03", f"description=Đã tiếp nhận; reported_by={RECIPIENT}"),
    ]
    assert trail[1].occurred_at.isoformat() == "2026-03-02T10:00:00+07:00"


class _Operator:
    agencies = frozenset()
    is_operator = True
