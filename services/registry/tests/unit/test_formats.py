"""Directory and plan files: CSV and JSON readers, the CSV export."""

from __future__ import annotations

import pytest

from lienthong.platform.errors import InvalidInput
from lienthong.registry.adapters.formats import agencies_csv, read_rows


def test_csv_round_trip_keeps_contact_and_vietnamese_text() -> None:
    rows = [{"code": "000.00.12.H99", "name": "Sở Nội vụ tỉnh Mẫu", "short_name": "SNV", "parent_code": "000.00.00.H99",
             "level": "province", "kind": "department", "status": "active", "successor_code": "",
             "contact": {"email": "snv@mau.gov.vn", "phone": "", "address": "Số 1, đường Lê Lợi", "website": ""},
             "served_by": "", "valid_from": "2025-07-01T00:00:00.000+07:00"}]
    text = agencies_csv(rows)
    back, meta = read_rows(("\ufeff" + text).encode("utf-8"), "csv", "agencies")
    assert meta == {} and back[0]["name"] == "Sở Nội vụ tỉnh Mẫu"
    assert back[0]["contact"]["address"] == "Số 1, đường Lê Lợi" and back[0]["contact"]["email"] == "snv@mau.gov.vn"


def test_json_forms_and_bad_files() -> None:
    rows, meta = read_rows(b'{"rows": [{"action": "rename"}], "effective_at": "2026-07-01T00:00:00+07:00"}',
                           "json", "rows")
    assert rows == [{"action": "rename"}] and meta["effective_at"].startswith("2026")
    assert read_rows(b'[{"code": "x"}]', "json", "agencies")[0] == [{"code": "x"}]
    for data, fmt in ((b"\xff\xfe", "json"), (b"{", "json"), (b'{"agencies": 3}', "json"),
                      (b'{"agencies": [1]}', "json"), (b"code,name\na,b,c\n", "csv"), (b"[]", "xml")):
        with pytest.raises(InvalidInput):
            read_rows(data, fmt, "agencies")
