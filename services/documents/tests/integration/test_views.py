"""Outbox and inbox views per agency: cursor pagination, filters, search without diacritics (SQLite FTS5,
PostgreSQL full text)."""

from __future__ import annotations

import io

import pytest

from lienthong.documents.domain.document import ViewQuery
from lienthong.documents.service.use_cases import Documents, IncomingFile, decode_cursor
from lienthong.platform.auth import Principal
from lienthong.platform.errors import Forbidden, InvalidInput

SKHCN, TAN_PHU, TAN_AN, STC = "000.00.07.H99", "000.00.31.H99", "000.00.32.H99", "000.00.11.H99"
SIGNED = b"%PDF-1.7\n1 0 obj << /ByteRange [0 1 2 3] >> endobj\n"
UNSIGNED = b"%PDF-1.7\n% no signature\n"


def send(documents: Documents, principal: Principal, number: int, subject: str, recipients: list[str],
         document_type: str = "Công văn", pdf: bytes = UNSIGNED, notation: str = "SKHCN-VP"):
    metadata = {"sender_code": SKHCN, "recipient_codes": recipients, "code_number": str(number),
                "code_notation": notation, "subject": subject, "document_type": document_type,
                "promulgation_date": "2026-11-25", "signer_name": "Lê Văn Mẫu"}
    document, _ = documents.submit(principal, metadata, [IncomingFile(f"{number}.pdf", io.BytesIO(pdf))])
    return document


@pytest.fixture
def sent(documents: Documents, sender: Principal) -> list:
    return [
        send(documents, sender, 1, "Quyết định phê duyệt kế hoạch chuyển đổi số", [TAN_PHU], "Quyết định", SIGNED,
             "QĐ-SKHCN"),
        send(documents, sender, 2, "Về việc báo cáo tình hình ứng dụng CNTT", [TAN_PHU, TAN_AN]),
        send(documents, sender, 3, "Kế hoạch tập huấn chữ ký số", [TAN_AN], "Kế hoạch", SIGNED, "KH-SKHCN"),
        send(documents, sender, 4, "Giấy mời họp giao ban", [TAN_PHU]),
        send(documents, sender, 5, "QUYẾT ĐỊNH về việc khen thưởng", [TAN_AN], "Quyết định"),
    ]


def ids(page: list) -> list[str]:
    return [d.draft.code_number for d in page]


def test_outbox_pages_newest_first_with_a_cursor(documents: Documents, sender: Principal, sent: list) -> None:
    page, cursor = documents.view(sender, ViewQuery(box="outbox", agency=SKHCN, limit=2))
    assert ids(page) == ["5", "4"] and cursor
    page, cursor = documents.view(sender, ViewQuery(box="outbox", agency=SKHCN, limit=2, after=decode_cursor(cursor)))
    assert ids(page) == ["3", "2"]
    page, cursor = documents.view(sender, ViewQuery(box="outbox", agency=SKHCN, limit=2, after=decode_cursor(cursor)))
    assert ids(page) == ["1"] and cursor is None


def test_inbox_and_filters(documents: Documents, sender: Principal, sent: list) -> None:
    tan_phu = Principal(subject="client-tanphu", agencies=frozenset({TAN_PHU}), scopes=frozenset())
    page, _ = documents.view(tan_phu, ViewQuery(box="inbox", agency=TAN_PHU))
    assert ids(page) == ["4", "2", "1"]
    assert ids(documents.view(tan_phu, ViewQuery(box="inbox", agency=TAN_PHU, signed=True))[0]) == ["1"]
    assert ids(documents.view(tan_phu, ViewQuery(box="inbox", agency=TAN_PHU, signed=False))[0]) == ["4", "2"]
    assert ids(documents.view(tan_phu, ViewQuery(box="inbox", agency=TAN_PHU, counterpart=STC))[0]) == []
    assert ids(documents.view(sender, ViewQuery(box="outbox", agency=SKHCN, counterpart=TAN_AN))[0]) == ["5", "3", "2"]
    assert ids(documents.view(sender, ViewQuery(box="outbox", agency=SKHCN, document_type="Quyết định"))[0]) == \
        ["5", "1"]
    later = sent[2].submitted_at
    assert ids(documents.view(sender, ViewQuery(box="outbox", agency=SKHCN, submitted_from=later))[0]) == \
        ["5", "4", "3"]
    assert ids(documents.view(sender, ViewQuery(box="outbox", agency=SKHCN, submitted_to=later))[0]) == ["2", "1"]
    assert ids(documents.view(sender, ViewQuery(box="outbox", agency=SKHCN, business_doc_type=1))[0]) == []
    with pytest.raises(Forbidden):
        documents.view(tan_phu, ViewQuery(box="outbox", agency=SKHCN))


@pytest.mark.parametrize("words,expected", [
    ("quyet dinh", ["5", "1"]), ("QUYẾT ĐỊNH", ["5", "1"]), ("chu ky so", ["3"]), ("chữ ký", ["3"]),
    ("qd-skhcn", ["1"]), ("KH-SKHCN", ["3"]), ("bao cao cntt", ["2"]), ("tap", ["3"]), ("khong co", []),
])
def test_search_ignores_diacritics_and_case(documents: Documents, sender: Principal, sent: list, words: str,
                                            expected: list[str]) -> None:
    page, _ = documents.view(sender, ViewQuery(box="outbox", agency=SKHCN, search=words))
    assert ids(page) == expected


def test_a_forged_cursor_is_refused() -> None:
    with pytest.raises(InvalidInput):
        decode_cursor("not-a-cursor")
