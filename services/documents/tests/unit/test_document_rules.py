"""Validation rules of submitted documents."""

from __future__ import annotations

import unicodedata

import pytest

from lienthong.documents.domain.document import fold, sanitise_file_name, validate_draft
from lienthong.platform.errors import InvalidInput

VALID = {"sender_code": "000.00.11.H99", "recipient_codes": ["000.00.12.H99"], "code_number": "15",
         "code_notation": "QĐ-STC", "subject": "Về việc phân bổ kinh phí", "document_type": "Quyết định",
         "promulgation_date": "2026-11-25", "signer_name": "Nguyễn Văn An"}


def test_valid_document_is_normalised_to_nfc():
    draft = validate_draft({**VALID, "subject": unicodedata.normalize("NFD", VALID["subject"])})
    assert draft.subject == VALID["subject"] and unicodedata.is_normalized("NFC", draft.subject)


def test_all_errors_are_reported_at_once_with_paths():
    with pytest.raises(InvalidInput) as caught:
        validate_draft({"sender_code": "bad code", "recipient_codes": ["000.00.12.H99", "000.00.12.H99", "x y"],
                        "promulgation_date": "25/11/2026"})
    paths = {e.path for e in caught.value.errors}
    assert {"sender_code", "recipient_codes[1]", "recipient_codes[2]", "code_number", "code_notation", "subject",
            "document_type", "signer_name", "promulgation_date"} <= paths


@pytest.mark.parametrize("level", ["Mật", "Tối mật", "TUYỆT MẬT"])
def test_classified_documents_are_refused(level):
    with pytest.raises(InvalidInput) as caught:
        validate_draft({**VALID, "confidentiality": level})
    assert [e.path for e in caught.value.errors] == ["confidentiality"]


def test_sender_cannot_address_itself_and_needs_recipients():
    with pytest.raises(InvalidInput):
        validate_draft({**VALID, "recipient_codes": [VALID["sender_code"]]})
    with pytest.raises(InvalidInput):
        validate_draft({**VALID, "recipient_codes": []})


@pytest.mark.parametrize(("raw", "clean"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Windows\\evil.pdf", "evil.pdf"),
    ("qu\u0065\u0301 h\u01b0\u01a1ng.pdf", "qué hương.pdf"),
    ("a\x00b\x1f.pdf", "ab.pdf"),
    (".hidden.pdf", "hidden.pdf"),
])
def test_file_names_are_sanitised(raw, clean):
    assert sanitise_file_name(raw) == clean


@pytest.mark.parametrize("raw", ["", "../", "\x00\x01"])
def test_unusable_file_names_are_refused(raw):
    with pytest.raises(InvalidInput):
        sanitise_file_name(raw)


def test_search_folding_ignores_diacritics_and_case():
    assert fold("Quyết  ĐỊNH số 15/QĐ-STC") == "quyet dinh so 15 qd stc"
    assert fold(unicodedata.normalize("NFD", "Kế hoạch")) == "ke hoach"


def test_group_recipients_pass_as_written_and_are_bounded():
    draft = validate_draft({**VALID, "recipient_codes": ["group:level=district,kind=people-committee",
                                                         "000.00.12.H99"]})
    assert draft.recipient_codes == ("group:level=district,kind=people-committee", "000.00.12.H99")
    with pytest.raises(InvalidInput) as caught:
        validate_draft({**VALID, "recipient_codes": ["group:" + "x" * 45, "groups:communes"]})
    assert [(e.path, e.message) for e in caught.value.errors] == [
        ("recipient_codes[0]", "longer than 50 characters"), ("recipient_codes[1]", "not an agency identifier code")]
