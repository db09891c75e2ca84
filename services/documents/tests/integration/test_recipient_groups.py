"""Recipient groups in documents: validated through the registry port, stored as written; readers that are
not written recipients (group members, successors) are decided by routing. Also: an update of a replacement."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from lienthong.documents.adapters.tables import documents as documents_table
from lienthong.documents.service.use_cases import Documents, IncomingFile
from lienthong.platform.auth import Principal
from lienthong.platform.errors import Forbidden, InvalidInput

FIXTURES = Path(__file__).resolve().parents[4] / "tests" / "fixtures" / "edxml"
PDF = b"%PDF-1.7\n% LienThong example stub\n"
METADATA = {"sender_code": "000.00.07.H99", "code_number": "21", "code_notation": "CV-SKHCN",
            "subject": "Về việc báo cáo chuyển đổi số", "document_type": "Công văn",
            "promulgation_date": "2026-11-25", "signer_name": "Nguyễn Văn An"}


def agency(code: str) -> Principal:
    return Principal(subject=f"client-{code}", agencies=frozenset({code}), scopes=frozenset())


def stored(documents: Documents) -> tuple[int, int]:
    with documents._db.unit_of_work() as uow:
        docs = uow.session.execute(select(func.count()).select_from(documents_table)).scalar_one()
        events = uow.session.execute(text("SELECT count(*) FROM outbox_events")).scalar_one()
    return docs, events


def test_a_group_recipient_is_accepted_and_stored_as_written(documents: Documents, sender: Principal) -> None:
    metadata = {**METADATA, "recipient_codes": ["group:communes", "000.00.11.H99"]}
    document, created = documents.submit(sender, metadata, [IncomingFile("21-CV.pdf", io.BytesIO(PDF))])
    assert created and document.draft.recipient_codes == ("group:communes", "000.00.11.H99")
    assert documents.get_internal(document.id).draft.recipient_codes == ("group:communes", "000.00.11.H99")
    package = documents.outgoing_package(document)
    assert [o.organ_id for o in package.header.to] == ["group:communes", "000.00.11.H99"]


def test_bad_groups_and_unknown_codes_are_refused_together_with_their_paths(documents: Documents,
                                                                            sender: Principal) -> None:
    metadata = {**METADATA, "recipient_codes": ["group:everyone", "000.00.99.H99", "group:level=district",
                                                "group:communes"]}
    with pytest.raises(InvalidInput) as caught:
        documents.submit(sender, metadata, [IncomingFile("21-CV.pdf", io.BytesIO(PDF))])
    errors = {e.path: e.message for e in caught.value.errors}
    assert "unknown recipient group 'group:everyone'" in errors["recipient_codes[0]"]
    assert errors["recipient_codes[1]"] == "agency 000.00.99.H99 is not in the registry"
    assert "matches no active agency" in errors["recipient_codes[2]"]
    assert "recipient_codes[3]" not in errors
    too_long = {**METADATA, "recipient_codes": ["group:" + "x" * 60]}
    with pytest.raises(InvalidInput) as caught:
        documents.submit(sender, too_long, [IncomingFile("21-CV.pdf", io.BytesIO(PDF))])
    assert caught.value.errors[0].path == "recipient_codes[0]"
    assert "longer than 50 characters" in caught.value.errors[0].message
    assert stored(documents) == (0, 0)


def test_group_members_read_through_routing_and_others_are_refused(documents: Documents, sender: Principal,
                                                                    deliveries) -> None:
    metadata = {**METADATA, "recipient_codes": ["group:communes"]}
    document, _ = documents.submit(sender, metadata, [IncomingFile("21-CV.pdf", io.BytesIO(PDF))])
    assert documents.get(sender, document.id).id == document.id  # the sender, without asking routing
    member, outsider = agency("000.00.31.H99"), agency("000.00.11.H99")
    with pytest.raises(Forbidden):
        documents.get(member, document.id)  # routing has not delivered it (yet)
    deliveries.received[document.id] = {"000.00.31.H99", "000.00.32.H99"}
    assert documents.get(member, document.id).id == document.id
    assert b"".join(documents.read_attachment(document, document.attachments[0].sha256)) == PDF
    with pytest.raises(Forbidden):
        documents.get(outsider, document.id)


def test_an_update_of_a_replacement_refers_to_the_replacement(documents: Documents, sender: Principal) -> None:
    def submit(raw: bytes):
        return documents.submit_edxml(sender, io.BytesIO(raw))
    submit((FIXTURES / "valid_new_document.edxml").read_bytes())
    replacement, _ = submit((FIXTURES / "valid_replace.edxml").read_bytes())
    update = (FIXTURES / "valid_update.edxml").read_bytes() \
        .replace(b"000.00.07.H99,2025/03/05,03/KH-SKHCN", b"000.00.07.H99,2025/03/12,07/KH-SKHCN") \
        .replace(b"<edXML:CodeNumber>03<", b"<edXML:CodeNumber>07<") \
        .replace(b"<edXML:PromulgationDate>2025/03/05<", b"<edXML:PromulgationDate>2025/03/12<")
    document, created = submit(update)
    assert created and document.business_doc_type == 2 and document.refers_to_ids == (replacement.id,)
    other = update.replace(b"000.00.07.H99,2025/03/12,07/KH-SKHCN", b"000.00.07.H99,2025/03/12,08/KH-SKHCN") \
        .replace(b"<edXML:CodeNumber>07<", b"<edXML:CodeNumber>08<")
    with pytest.raises(InvalidInput, match="not valid") as caught:
        submit(other)  # still refused for a document the sender never sent
    assert "is not a document this sender sent" in caught.value.errors[0].message
