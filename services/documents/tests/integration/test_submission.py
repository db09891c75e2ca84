"""Submitting documents through the use cases, on SQLite and PostgreSQL with a real blob store.

edXML, the edXML model as JSON and the flat metadata meet in one path: same stored record, same
outgoing edXML; every refusal changes nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from lienthong.api.documents.v1.events_pb2 import DocumentSubmitted
from lienthong.documents.adapters.tables import documents as documents_table
from lienthong.documents.service.use_cases import Documents, IncomingFile
from lienthong.edxml import DocumentPackage, parse
from lienthong.platform.auth import Principal
from lienthong.platform.errors import Forbidden, InvalidInput

FIXTURES = Path(__file__).resolve().parents[4] / "tests" / "fixtures" / "edxml"
STUB = b"%PDF-1.7\n% LienThong example stub\n"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def submit_edxml(documents: Documents, principal: Principal, raw: bytes, key: str | None = None):
    return documents.submit_edxml(principal, io.BytesIO(raw), key)


def counts(documents: Documents) -> tuple[int, int]:
    with documents._db.unit_of_work() as uow:
        docs = uow.session.execute(select(func.count()).select_from(documents_table)).scalar_one()
        events = uow.session.execute(text("SELECT count(*) FROM outbox_events")).scalar_one()
    return docs, events


def submitted_events(documents: Documents) -> list[DocumentSubmitted]:
    with documents._db.unit_of_work() as uow:
        rows = uow.session.execute(text("SELECT data FROM outbox_events ORDER BY seq")).all()
    return [DocumentSubmitted.FromString(bytes(r.data)) for r in rows]


def test_an_edxml_package_is_stored_announced_and_rebuilt(documents: Documents, sender: Principal,
                                                          signing) -> None:
    raw = fixture("valid_new_document.edxml")
    document, created = submit_edxml(documents, sender, raw)
    assert created and document.identifier.startswith("000.00.07.H99-")
    assert document.edxml_document_id == "000.00.07.H99,2025/03/05,03/KH-SKHCN"
    [attachment] = document.attachments
    assert attachment.sha256 == hashlib.sha256(STUB).hexdigest() and attachment.media_type == "application/pdf"
    assert signing.validated == ["03-KH-SKHCN.pdf"]
    assert document.for_information_only and document.issuance_form == "electronic"
    assert b"".join(documents.read_blob(document.original_sha256)) == raw
    [event] = submitted_events(documents)
    assert event.business_doc_type == 0 and event.edxml_document_id == document.edxml_document_id
    assert event.document.id == document.id and event.document.for_information_only
    out = io.BytesIO()
    documents.write_edxml(documents.get_internal(document.id), out)
    rebuilt = parse(out.getvalue()).package
    original = parse(raw).package
    assert isinstance(rebuilt, DocumentPackage)
    assert rebuilt.header == original.header and rebuilt.trace_header_list == original.trace_header_list
    assert [a.sha256 for a in rebuilt.attachments] == [a.sha256 for a in original.attachments]


def test_the_same_edxml_document_twice_gives_the_first(documents: Documents, sender: Principal) -> None:
    first, created = submit_edxml(documents, sender, fixture("valid_new_document.edxml"))
    again, created_again = submit_edxml(documents, sender, fixture("valid_new_document.edxml"))
    assert created and not created_again and again.id == first.id
    assert counts(documents) == (1, 1)


def test_json_model_and_edxml_give_the_same_record_and_the_same_outgoing_edxml(
        documents: Documents, sender: Principal, second_axis: Documents) -> None:
    package = parse(fixture("valid_new_document.edxml")).package
    model = package.model_dump(mode="json", by_alias=True, exclude={"attachments", "kind"})
    from_json, _ = documents.submit(sender, model, [IncomingFile("03-KH-SKHCN.pdf", io.BytesIO(STUB), "x",
                                                                 "Kế hoạch (bản ký số)")])
    out_json = io.BytesIO()
    documents.write_edxml(from_json, out_json)
    # a second axis (its own database and blob store) receives the same document as edXML
    from_edxml, _ = submit_edxml(second_axis, sender, fixture("valid_new_document.edxml"))
    out_edxml = io.BytesIO()
    second_axis.write_edxml(from_edxml, out_edxml)
    same = ("draft", "business_doc_type", "edxml_document_id", "issuance_form", "signature_signed")
    assert all(getattr(from_json, f) == getattr(from_edxml, f) for f in same)
    assert [(a.name, a.sha256, a.media_type) for a in from_json.attachments] == \
        [(a.name, a.sha256, a.media_type) for a in from_edxml.attachments]
    a, b = parse(out_json.getvalue()).package, parse(out_edxml.getvalue()).package
    assert a.header == b.header and a.business == b.business  # type: ignore[union-attr]
    assert not from_json.original_sha256 and from_edxml.original_sha256


def test_revoke_update_replace_refer_to_documents_the_sender_sent(documents: Documents, sender: Principal) -> None:
    with pytest.raises(InvalidInput) as caught:
        submit_edxml(documents, sender, fixture("valid_update.edxml"))
    assert caught.value.errors[0].path == "trace_header_list.bussiness.document_id"
    original, _ = submit_edxml(documents, sender, fixture("valid_new_document.edxml"))
    for name, business_type in (("valid_update.edxml", 2), ("valid_replace.edxml", 3), ("valid_revoke.edxml", 1)):
        document, created = submit_edxml(documents, sender, fixture(name))
        assert created and document.business_doc_type == business_type
        assert document.refers_to_ids == (original.id,)
        assert document.refers_to_edxml_ids == ("000.00.07.H99,2025/03/05,03/KH-SKHCN",)
    replace = submitted_events(documents)[2]
    assert replace.business_doc_type == 3 and list(replace.refers_to_document_ids) == [original.id]
    assert replace.document.paper_copy  # Paper = 1


def test_every_refusal_lists_all_errors_and_changes_nothing(documents: Documents, sender: Principal) -> None:
    raw = fixture("valid_new_document.edxml").replace(b"000.00.31.H99", b"000.00.99.H99")
    raw = raw.replace(b"JVBERi0xLjcKJSBMaWVuVGhvbmcgZXhhbXBsZSBzdHViCg==", b"TVqQAAMAAAAEAAAA//8AALgAAAA=")
    with pytest.raises(InvalidInput) as caught:
        submit_edxml(documents, sender, raw)
    paths = {e.path: e.message for e in caught.value.errors}
    assert "agency 000.00.99.H99 is not in the registry" in \
        paths["/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/To[0]/OrganId"]
    assert "not an allowed format" in paths["attachments[0]"]
    with pytest.raises(InvalidInput) as caught:
        submit_edxml(documents, sender, fixture("invalid_secret_mark.edxml"))
    assert any("classified" in e.message for e in caught.value.errors)
    other = Principal(subject="client-stc", agencies=frozenset({"000.00.11.H99"}), scopes=frozenset())
    with pytest.raises(Forbidden):
        submit_edxml(documents, other, fixture("valid_new_document.edxml"))
    renamed = fixture("valid_new_document.edxml").replace(b"03-KH-SKHCN.pdf", b"03-KH-SKHCN.docx")
    with pytest.raises(InvalidInput, match="not valid") as caught:
        submit_edxml(documents, sender, renamed)
    assert "does not match the content" in caught.value.errors[0].message
    assert counts(documents) == (0, 0)


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w/>")
    return out.getvalue()


def test_flat_metadata_with_several_attachments_and_a_paper_type(documents: Documents, sender: Principal,
                                                                  signing) -> None:
    metadata = {"sender_code": "000.00.07.H99", "recipient_codes": ["000.00.31.H99", "000.00.32.H99"],
                "code_number": "15", "code_notation": "QĐ-SKHCN", "subject": "Về việc phân bổ kinh phí",
                "document_type": "Quyết định", "promulgation_date": "2026-11-25", "signer_name": "Nguyễn Văn An"}
    signed = b"%PDF-1.7\n1 0 obj << /ByteRange [0 1 2 3] >> endobj\n"
    files = [IncomingFile("../../15-QĐ.pdf", io.BytesIO(signed)), IncomingFile("phu-luc.docx", io.BytesIO(_docx())),
             IncomingFile("bảng số liệu.csv", io.BytesIO(b"a,b\n1,2\n"))]
    document, created = documents.submit(sender, metadata, files)
    assert created and [a.name for a in document.attachments] == ["15-QĐ.pdf", "phu-luc.docx", "bảng số liệu.csv"]
    assert document.signature_signed and not document.for_information_only
    pdf, docx, csv = document.attachments
    assert (pdf.signature_indication, pdf.signature_report_id) == ("TOTAL_PASSED", "report-15-QĐ.pdf")
    assert docx.signature_report_id == csv.signature_report_id == ""
    assert documents.get_internal(document.id).attachments == document.attachments
    assert document.paper_required and document.issuance_form == "electronic+paper"
    package = documents.outgoing_package(document)
    assert [o.organ_name for o in package.header.to] == ["UBND xã Tân Phú", "UBND xã Tân An"]
    assert package.header.document_id == "000.00.07.H99,2026/11/25,15/QĐ-SKHCN"
    assert signing.validated == ["15-QĐ.pdf"]
    replay, created = documents.submit(sender, metadata, files)
    assert not created and replay.id == document.id
    assert json.loads(document.package_json)["header"]["subject"] == "Về việc phân bổ kinh phí"


def _zipped(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return out.getvalue()


def test_sdk_zipped_attachments_are_unwrapped_and_zip_bombs_refused(documents: Documents,
                                                                    sender: Principal) -> None:
    import base64

    zipped = _zipped("5b0e9d4c-2f51-4a39-9a53-0c1d7e6f8a21.edxml", STUB)
    raw = fixture("valid_new_document.edxml").replace(b"JVBERi0xLjcKJSBMaWVuVGhvbmcgZXhhbXBsZSBzdHViCg==",
                                                      base64.b64encode(zipped))
    document, _ = submit_edxml(documents, sender, raw)
    [attachment] = document.attachments
    assert attachment.media_type == "application/pdf" and attachment.sha256 == hashlib.sha256(STUB).hexdigest()
    bomb = _zipped("x.edxml", STUB + b"\0" * (20 * 1024 * 1024))
    metadata = {"sender_code": "000.00.07.H99", "recipient_codes": ["000.00.31.H99"], "code_number": "9",
                "code_notation": "CV-SKHCN", "subject": "Thử", "document_type": "Công văn",
                "promulgation_date": "2026-11-25", "signer_name": "Lê Văn Mẫu"}
    with pytest.raises(InvalidInput) as caught:
        documents.submit(sender, metadata, [IncomingFile("bom.pdf", io.BytesIO(bomb))])
    assert "zip bomb" in caught.value.errors[0].message


def test_edxml_warnings_are_stored_with_the_document(documents: Documents, sender: Principal) -> None:
    raw = fixture("valid_new_document.edxml").replace(b"<edXML:Priority>1<", b"<edXML:Priority>7<").replace(
        b"<edXML:PageAmount>3</edXML:PageAmount>", b"<edXML:TyperNotation>ABCDEFGHIJKLMNOP</edXML:TyperNotation>")
    document, _ = submit_edxml(documents, sender, raw)
    stored = documents.get_internal(document.id).warnings
    head = "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/OtherInfo"
    assert f"{head}/Priority: expected 0 to 4" in stored
    assert f"{head}/TyperNotation: longer than 10 characters" in stored


def test_the_identifier_is_reserved_then_confirmed_with_the_document_id(documents: Documents, sender: Principal,
                                                                       registry) -> None:
    document, _ = submit_edxml(documents, sender, fixture("valid_new_document.edxml"))
    assert registry.confirmed == {document.identifier} and not registry.reserved and not registry.voided


def test_a_document_that_cannot_be_stored_voids_its_reserved_identifier(documents: Documents, sender: Principal,
                                                                        registry) -> None:
    with documents._db.unit_of_work() as uow:  # the store fails after the number was reserved
        uow.session.execute(text("DROP TABLE outbox_events"))
        uow.commit()
    with pytest.raises(Exception):  # noqa: B017 - whatever the database raises
        submit_edxml(documents, sender, fixture("valid_new_document.edxml"))
    [(identifier, reason)] = registry.voided.items()
    assert identifier.startswith("000.00.07.H99-") and "not stored" in reason
    assert not registry.reserved and not registry.confirmed
