"""Generate the SAMPLE directory of the fictional province "Tỉnh Mẫu" (level-1 code H99), deterministically.

    uv run python services/registry/scripts/generate_sample_directory.py

writes ``services/registry/src/lienthong/registry/sample/sample-province-h99.json`` (about 2,000 agencies):
the province's People's Committee, its office and ~30 departments and province-level bodies, 100 communes
and wards, and a few units (and sub-units) under each. Every name is invented; the codes follow
QCVN 102:2016 (``V1V2V3.Z1Z2.Y1Y2.MX1X2``) and, for 35 communes formed in the 2025 reorganisation, the
QĐ 20/2020 left-to-right form (``H99.201``). Codes used by the test suites keep their meaning:
000.00.00 (UBND tỉnh), .01 (Văn phòng), .07 (Sở KH&CN), .11 (Sở Tài chính), .12 (Sở Nội vụ), .13 (Sở Y tế),
.14 (Sở GD&ĐT), .31 (UBND xã Tân Phú), .51 (UBND xã Hòa Bình), .52 (UBND phường Thắng Lợi),
000.01.11 (Phòng Ngân sách, Sở Tài chính). Level-2 codes 77, 88, 98 and 99 stay unused on purpose.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "lienthong" / "registry" / "sample" / "sample-province-h99.json"
PROVINCE = "tỉnh Mẫu"
ROOT = "000.00.00.H99"

DEPARTMENTS = {  # level-2 code -> (name, short name, kind)
    1: ("Văn phòng Ủy ban nhân dân tỉnh Mẫu", "VP UBND", "office"),
    2: ("Sở Tư pháp tỉnh Mẫu", "STP", "department"),
    3: ("Sở Công Thương tỉnh Mẫu", "SCT", "department"),
    4: ("Sở Xây dựng tỉnh Mẫu", "SXD", "department"),
    5: ("Sở Nông nghiệp và Môi trường tỉnh Mẫu", "SNNMT", "department"),
    6: ("Sở Văn hóa, Thể thao và Du lịch tỉnh Mẫu", "SVHTTDL", "department"),
    7: ("Sở Khoa học và Công nghệ tỉnh Mẫu", "SKHCN", "department"),
    8: ("Sở Ngoại vụ tỉnh Mẫu", "SNgV", "department"),
    9: ("Sở Dân tộc và Tôn giáo tỉnh Mẫu", "SDTTG", "department"),
    10: ("Thanh tra tỉnh Mẫu", "TTr", "department"),
    11: ("Sở Tài chính tỉnh Mẫu", "STC", "department"),
    12: ("Sở Nội vụ tỉnh Mẫu", "SNV", "department"),
    13: ("Sở Y tế tỉnh Mẫu", "SYT", "department"),
    14: ("Sở Giáo dục và Đào tạo tỉnh Mẫu", "SGDĐT", "department"),
    15: ("Ban Quản lý các khu công nghiệp tỉnh Mẫu", "BQLKCN", "board"),
    16: ("Ban Quản lý dự án đầu tư xây dựng tỉnh Mẫu", "BQLDA", "board"),
    17: ("Đài Phát thanh và Truyền hình tỉnh Mẫu", "PTTH", "public-service-unit"),
    18: ("Trường Cao đẳng tỉnh Mẫu", "CĐ", "school"),
    19: ("Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh Mẫu", "TTXT", "public-service-unit"),
    20: ("Quỹ Đầu tư phát triển tỉnh Mẫu", "QĐTPT", "public-service-unit"),
    21: ("Liên minh Hợp tác xã tỉnh Mẫu", "LMHTX", "association"),
    22: ("Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh Mẫu", "VP ĐĐBQH-HĐND", "office"),
    23: ("Công an tỉnh Mẫu", "CAT", "department"),
    24: ("Bộ Chỉ huy Quân sự tỉnh Mẫu", "BCHQS", "department"),
    25: ("Ban Quản lý Khu kinh tế cửa khẩu tỉnh Mẫu", "BQLKKT", "board"),
    26: ("Trung tâm Phục vụ hành chính công tỉnh Mẫu", "TTPVHCC", "public-service-unit"),
    27: ("Viện Nghiên cứu phát triển tỉnh Mẫu", "VNCPT", "public-service-unit"),
    28: ("Báo tỉnh Mẫu", "Báo", "public-service-unit"),
    29: ("Trường Chính trị tỉnh Mẫu", "TCT", "school"),
    30: ("Ban Dân tộc tỉnh Mẫu", "BDT", "board"),
}

UNIT_KINDS = [  # units under a department: (name pattern, kind, sub-units)
    ("Văn phòng", "unit", ["Tổ Hành chính", "Tổ Tổng hợp"]),
    ("Thanh tra", "unit", []),
    ("Phòng Kế hoạch - Tài chính", "unit", ["Bộ phận Kế toán"]),
    ("Phòng Tổ chức cán bộ", "unit", []),
    ("Phòng Pháp chế", "unit", []),
    ("Phòng Quản lý chuyên ngành", "unit", ["Tổ Thẩm định", "Tổ Cấp phép"]),
    ("Phòng Nghiệp vụ 1", "unit", []),
    ("Phòng Nghiệp vụ 2", "unit", []),
    ("Chi cục Quản lý chuyên ngành", "sub-department", ["Phòng Hành chính - Tổng hợp", "Phòng Nghiệp vụ",
                                                         "Trạm khu vực 1", "Trạm khu vực 2", "Trạm khu vực 3"]),
    ("Trung tâm Dịch vụ công", "public-service-unit", ["Phòng Hành chính", "Phòng Dịch vụ",
                                                       "Chi nhánh khu vực 1", "Chi nhánh khu vực 2"]),
    ("Trung tâm Công nghệ thông tin", "public-service-unit", ["Phòng Hạ tầng", "Phòng Phần mềm"]),
    ("Trung tâm Đào tạo và Bồi dưỡng", "public-service-unit", ["Phòng Đào tạo"]),
]
SPECIAL_UNITS = {(11, 1): "Phòng Ngân sách"}  # (department, unit number) -> name (000.01.11.H99)

COMMUNE_UNITS = [
    ("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", "office"),
    ("Phòng Kinh tế", "unit"),
    ("Phòng Văn hóa - Xã hội", "unit"),
    ("Trung tâm Phục vụ hành chính công", "public-service-unit"),
    ("Trạm Y tế", "health"),
    ("Trường Mầm non", "school"),
    ("Trường Tiểu học", "school"),
    ("Trường Trung học cơ sở", "school"),
    ("Ban Chỉ huy Quân sự", "unit"),
]

FIRST = ["Tân", "Phú", "An", "Bình", "Hòa", "Long", "Thạnh", "Phước", "Mỹ", "Hưng", "Thịnh", "Xuân", "Quang",
         "Vĩnh", "Đức", "Nghĩa", "Thuận", "Đông", "Tây", "Bắc", "Nam", "Trung", "Thái", "Minh"]
SECOND = ["Phú", "Lợi", "Bình", "Hòa", "An", "Lộc", "Hiệp", "Thành", "Điền", "Sơn", "Hải", "Lâm", "Khánh", "Phong",
          "Thắng", "Tiến", "Hội", "Yên", "Cường", "Đạt"]
FIXED_COMMUNES = {31: ("xã", "Tân Phú"), 51: ("xã", "Hòa Bình"), 52: ("phường", "Thắng Lợi")}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def commune_names(count: int) -> list[str]:
    """Distinct two-syllable place names in a fixed order (no randomness: the file must not change)."""
    reserved = {name for _, name in FIXED_COMMUNES.values()}
    combos = [f"{a} {b}" for b in SECOND for a in FIRST if a != b]
    names: list[str] = []
    for i in range(len(combos)):  # a stride coprime with len(combos) visits every combination once
        name = combos[(i * 37) % len(combos)]
        if name not in reserved:
            names.append(name)
        if len(names) == count:
            return names
    raise RuntimeError("not enough place names")


def agency(code: str, name: str, parent: str | None, level: str, kind: str, short: str = "") -> dict:
    return {"code": code, "name": nfc(name), "short_name": nfc(short), "parent_code": parent, "level": level,
            "kind": kind}


def generate() -> dict:
    rows = [agency(ROOT, f"Ủy ban nhân dân {PROVINCE}", None, "province", "people-committee", "UBND tỉnh")]
    for dept, (name, short, kind) in DEPARTMENTS.items():
        dept_code = f"000.00.{dept:02d}.{ROOT[-3:]}"
        rows.append(agency(dept_code, name, ROOT, "province", kind, short))
        owner = name.removesuffix(f" {PROVINCE}")
        for u, (unit_name, unit_kind, subs) in enumerate(UNIT_KINDS, start=1):
            unit_name = SPECIAL_UNITS.get((dept, u), unit_name)
            unit_code = f"000.{u:02d}.{dept:02d}.H99"
            rows.append(agency(unit_code, f"{unit_name}, {owner} {PROVINCE}", dept_code, "unit", unit_kind))
            for s, sub in enumerate(subs, start=1):
                rows.append(agency(f"{s:03d}.{u:02d}.{dept:02d}.H99", f"{sub}, {unit_name}, {owner}", unit_code,
                                   "unit", "unit"))
    strict_slots = [n for n in range(31, 98) if n not in (77, 88)]  # 65 communes in the QCVN 102 form
    names = iter(commune_names(100))
    communes = []
    for i, slot in enumerate(strict_slots):
        kind_word, place = FIXED_COMMUNES.get(slot) or ("phường" if i % 5 == 4 else "xã", next(names))
        communes.append((f"000.00.{slot:02d}.H99", kind_word, place, lambda u, s=slot: f"000.{u:02d}.{s:02d}.H99"))
    for n in range(201, 236):  # 35 communes formed in 2025, coded in the QĐ 20/2020 form
        kind_word = "phường" if n % 4 == 0 else "xã"
        communes.append((f"H99.{n}", kind_word, next(names), lambda u, n=n: f"H99.{n}.{u:02d}"))
    for code, kind_word, place, unit_code in communes:
        short = f"UBND {kind_word} {place}"
        rows.append(agency(code, f"Ủy ban nhân dân {kind_word} {place}", ROOT, "commune", "people-committee", short))
        for u, (unit_name, unit_kind) in enumerate(COMMUNE_UNITS, start=1):
            rows.append(agency(unit_code(u), f"{unit_name} {kind_word} {place}", code, "unit", unit_kind))
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)), "duplicate codes"
    return {
        "sample": True,
        "_comment": "SAMPLE DATA — a fictional province 'Tỉnh Mẫu' (level-1 code H99) for tests, benchmarks and "
                    "the embedded demo. Every name is invented. Not an official code list.",
        "generator": "services/registry/scripts/generate_sample_directory.py",
        "province": "H99",
        "valid_from": "2025-07-01T00:00:00+07:00",
        "count": len(rows),
        "agencies": rows,
    }


def main() -> None:
    data = generate()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {data['count']} sample agencies to {OUT}")


if __name__ == "__main__":
    main()
