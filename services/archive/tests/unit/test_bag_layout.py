"""The bag layout: safe unique file names, manifests, metadata, and the streaming digest check."""

from __future__ import annotations

import hashlib
import json
import unicodedata

import pytest

from lienthong.archive.adapters.tar_bag import VerifyingReader
from lienthong.archive.domain import bag
from lienthong.archive.domain.records import (
    ArchivalRecord,
    AttachmentMismatch,
    DeclaredAttachment,
    SubmittedDocument,
    check_may_read,
)
from lienthong.platform import clock
from lienthong.platform.errors import Forbidden, InvalidInput


def attachment(name: str, data: bytes = b"x") -> DeclaredAttachment:
    return DeclaredAttachment(name=name, media_type="application/pdf", sha256=hashlib.sha256(data).hexdigest(),
                              size=len(data))


def document(metadata_json: str = "{}", *attachments: DeclaredAttachment) -> SubmittedDocument:
    return SubmittedDocument(id="doc-1", identifier="000.00.11.H99-2026.1", sender_code="000.00.11.H99",
                             recipient_codes=("000.00.12.H99",), subject="Về việc\nthử", submitted_at="",
                             attachments=attachments, signed=False, signature_indication="",
                             signature_report_id="", metadata_json=metadata_json)


def test_file_names_stay_inside_the_bag_and_are_unique():
    nfd = unicodedata.normalize("NFD", "Công văn.pdf")
    paths = [f.path for f in bag.payload_files([
        attachment("../../etc/passwd"), attachment(".."), attachment(""), attachment(nfd),
        attachment("Công văn.PDF"), attachment("a\\b\r\n.pdf"), attachment("noext"), attachment("noext"),
    ])]
    assert paths == ["data/files/.._.._etc_passwd", "data/files/file", "data/files/file-2",
                     "data/files/Công văn.pdf", "data/files/Công văn-2.PDF", "data/files/a_b__.pdf",
                     "data/files/noext", "data/files/noext-2"]
    assert all(p.count("/") == 2 for p in paths)


def test_manifest_lines_follow_rfc_8493():
    text = bag.manifest([("data/files/50%.pdf", "ab" * 32), ("data/metadata.json", "cd" * 32)]).decode()
    assert text == f"{'ab' * 32}  data/files/50%25.pdf\n{'cd' * 32}  data/metadata.json\n"


def test_metadata_keeps_the_original_and_adds_the_axis_ids():
    doc = document('{"subject": "Về việc thử"}', attachment("a.pdf"))
    body = json.loads(bag.metadata_document(doc, bag.payload_files(doc.attachments)))
    assert body["document"] == {"subject": "Về việc thử"}
    assert body["lienthong"]["document_id"] == "doc-1"
    assert body["lienthong"]["files"][0]["path"] == "data/files/a.pdf"
    with pytest.raises(InvalidInput):
        bag.metadata_document(document("{not json"), [])


def test_bag_info_values_are_single_lines():
    info = bag.bag_info(document(), payload_octets=10, payload_count=2).decode()
    assert "External-Description: Về việc thử\n" in info
    assert "Payload-Oxum: 10.2\n" in info


@pytest.mark.parametrize(("chunks", "declared", "error"), [
    ([b"abc", b"def"], b"abcdef", None),
    ([b"abc", b"", b"def"], b"abcdeX", "hash to"),
    ([b"abc"], b"abcdef", "ended after 3 of 6"),
    ([b"abcdef", b"g"], b"abcdef", "longer than"),
])
def test_the_reader_passes_exactly_the_declared_bytes(chunks, declared, error):
    reader = VerifyingReader(iter(chunks), attachment("a.pdf", declared), document_id="doc-1")
    if error is None:
        assert reader.read(4) + reader.read(4) == declared
        assert reader.finish() == hashlib.sha256(declared).hexdigest()
        return
    with pytest.raises(AttachmentMismatch, match=error):
        reader.read(len(declared))
        reader.finish()


def test_only_operators_the_sender_and_the_recipients_read_a_record():
    record = ArchivalRecord(id="r", document_id="d", identifier="i", sender_code="A", recipient_codes=("B",),
                            package_sha256="0" * 64, package_size=1, files=(), archived_at=clock.now())

    class Caller:
        def __init__(self, agencies, operator=False):
            self.agencies, self.is_operator = frozenset(agencies), operator

    for allowed in (Caller({"A"}), Caller({"B", "X"}), Caller(set(), operator=True)):
        check_may_read(record, allowed)
    with pytest.raises(Forbidden):
        check_may_read(record, Caller({"C"}))
