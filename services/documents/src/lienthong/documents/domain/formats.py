"""Allowed attachment formats (seed 004 Art. 4.3), decided by content, never by the name alone.

txt, rtf, doc, docx, odt, csv, xls, xlsx, ods, pdf, jpeg, png. OLE2 (doc/xls) and ZIP
(docx/xlsx/odt/ods) containers are opened to look at their streams / ``[Content_Types].xml``
/ ``mimetype`` entry. The file name's extension must be one of those the content allows.
"""

from __future__ import annotations

import zipfile
from typing import BinaryIO

import olefile

EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "application/rtf": ("rtf",),
    "application/msword": ("doc",),
    "application/vnd.ms-excel": ("xls",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods",),
    "text/plain": ("txt", "csv"),
}
"""Media type decided by content -> the file name extensions allowed for it."""

ALLOWED_EXTENSIONS = frozenset(ext for exts in EXTENSIONS.values() for ext in exts)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_PROBE = 64 * 1024


def sniff(file: BinaryIO) -> str | None:
    """The media type of a seekable file's content among the allowed formats (None: not allowed)."""
    file.seek(0)
    head = file.read(1024)
    file.seek(0)
    if b"%PDF-" in head:  # ISO 32000 lets a header follow up to 1 KiB of junk
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"{\\rtf"):
        return "application/rtf"
    if head.startswith(_OLE_MAGIC):
        return _ole_type(file)
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(file)
    return _text_type(file)


def _ole_type(file: BinaryIO) -> str | None:
    try:
        ole = olefile.OleFileIO(file)
    except (OSError, ValueError):
        return None
    try:
        if ole.exists("WordDocument"):
            return "application/msword"
        if ole.exists("Workbook") or ole.exists("Book"):
            return "application/vnd.ms-excel"
        return None
    finally:
        ole.close()
        file.seek(0)


def _zip_type(file: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).decode("ascii", "replace").strip()
                return mimetype if mimetype in EXTENSIONS else None
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                if any(n.startswith("xl/") for n in names):
                    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            return None
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(0)


def _text_type(file: BinaryIO) -> str | None:
    """Plain text (txt, csv): UTF-8 (or UTF-16 with a BOM) without NUL or other binary controls."""
    probe = file.read(_TEXT_PROBE)
    file.seek(0)
    if not probe:
        return None
    if probe.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = probe[: len(probe) - len(probe) % 2].decode("utf-16")
        except UnicodeDecodeError:
            return None
    else:
        text = probe.decode("utf-8", errors="ignore" if len(probe) == _TEXT_PROBE else "strict") \
            if _valid_utf8_prefix(probe) else ""
        if not text:
            return None
    if any(ord(ch) < 32 and ch not in "\t\r\n\f" for ch in text):
        return None
    return "text/plain"


def _valid_utf8_prefix(probe: bytes) -> bool:
    """UTF-8, allowing a multi-byte character cut by the end of the probe."""
    for cut in range(4):
        try:
            probe[: len(probe) - cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            if len(probe) < _TEXT_PROBE:
                return False
    return False


def extension_matches(name: str, media_type: str) -> bool:
    """Whether the file name's extension is one the sniffed content allows."""
    _, dot, ext = name.rpartition(".")
    return bool(dot) and ext.lower() in EXTENSIONS.get(media_type, ())
