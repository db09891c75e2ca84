"""Attachment formats are decided by content (seed 004 Art. 4.3): containers are opened, names must match."""

from __future__ import annotations

import io
import zipfile

import olefile
import pytest

from lienthong.documents.domain.formats import ALLOWED_EXTENSIONS, extension_matches, sniff


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


OOXML_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'

SAMPLES = {
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
    "rtf": (b"{\\rtf1\\ansi Ke hoach}", "application/rtf"),
    "txt": ("Kế hoạch năm 2026\r\nDòng hai\n".encode(), "text/plain"),
    "csv": ("mã,tên\n000.00.11.H99,Sở Tài chính\n".encode(), "text/plain"),
    "docx": (_zip({"[Content_Types].xml": OOXML_TYPES, "word/document.xml": b"<w/>"}),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (_zip({"[Content_Types].xml": OOXML_TYPES, "xl/workbook.xml": b"<x/>"}),
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": (_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<o/>"}),
            "application/vnd.oasis.opendocument.text"),
    "ods": (_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<o/>"}),
            "application/vnd.oasis.opendocument.spreadsheet"),
}


@pytest.mark.parametrize("ext", sorted(SAMPLES))
def test_allowed_formats_are_recognised_by_content(ext: str) -> None:
    data, media_type = SAMPLES[ext]
    assert sniff(io.BytesIO(data)) == media_type
    assert extension_matches(f"tệp.{ext.upper()}", media_type)


def test_ole2_containers_are_opened() -> None:
    # olefile cannot create files; a minimal compound file is written by hand below (512-byte sectors)
    for stream, media_type in (("WordDocument", "application/msword"), ("Workbook", "application/vnd.ms-excel"),
                               ("Other", None)):
        data = minimal_ole(stream)
        assert olefile.isOleFile(io.BytesIO(data))
        assert sniff(io.BytesIO(data)) == media_type


@pytest.mark.parametrize("data", [
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",              # a Windows executable
    b"\x7fELF\x02\x01\x01\x00",                         # an ELF executable
    _zip({"evil.exe": b"MZ"}),                           # a zip that is no office document
    _zip({"mimetype": b"application/epub+zip"}),         # an OpenDocument-like container of another type
    b"PK\x03\x04 not really a zip",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 truncated ole",
    b"GIF89a\x01\x00\x01\x00",                          # a format outside the list
])
def test_other_content_is_refused(data: bytes) -> None:
    assert sniff(io.BytesIO(data)) is None


def test_a_name_must_match_the_content() -> None:
    assert not extension_matches("quyet-dinh.pdf", "image/png")
    assert not extension_matches("no-extension", "application/pdf")
    assert extension_matches("bang.csv", "text/plain") and extension_matches("anh.jpg", "image/jpeg")
    assert ALLOWED_EXTENSIONS == {"txt", "rtf", "doc", "docx", "odt", "csv", "xls", "xlsx", "ods", "pdf", "jpeg",
                                  "jpg", "png"}


def minimal_ole(stream_name: str) -> bytes:
    """A valid OLE2 compound file holding one small stream named ``stream_name`` (MS-CFB, version 3)."""
    import struct

    sector = 512
    endofchain, freesect, fatsect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    # sectors: 0 = FAT, 1 = directory, 2 = stream data (4096 bytes: above the mini-stream cutoff)
    data_sectors = 8
    fat = [fatsect, endofchain] + list(range(3, 2 + data_sectors)) + [endofchain]
    fat += [freesect] * (sector // 4 - len(fat))
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\0" * 16, 0x3E, 3,
                         0xFFFE, 9, 6, b"\0" * 6, 0, 1, 1, 0, 0x1000, endofchain, 0, endofchain, 0)
    header += struct.pack("<109I", 0, *([freesect] * 108))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return struct.pack("<64sHBBIII16sIQQIII", encoded, len(encoded), kind, 1, freesect, freesect, child,
                           b"\0" * 16, 0, 0, 0, start, size, 0)

    directory = entry("Root Entry", 5, 1, endofchain, 0) + entry(stream_name, 2, freesect, 2, 4096)
    directory += b"\0" * (sector - len(directory))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + fat_bytes + directory + b"x" * (sector * data_sectors)
