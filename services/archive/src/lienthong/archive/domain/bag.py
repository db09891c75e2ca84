"""The layout of an archival package: a BagIt 1.0 bag (RFC 8493) with SHA-256 manifests.

::

    bagit.txt
    bag-info.txt
    manifest-sha256.txt         <hex>  data/<path>, one line per payload file
    tagmanifest-sha256.txt      digests of the three tag files above
    data/metadata.json          the document's metadata + LienThong ids
    data/files/<name>           every attachment, byte for byte as submitted

Everything here is pure: the bytes of the tag files and where each file goes.
Writing the bag (a tar spooled to disk) is an adapter's job.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lienthong.archive.domain.records import DeclaredAttachment, SubmittedDocument
from lienthong.platform.errors import FieldError, InvalidInput
from lienthong.platform.text import nfc

BAGIT_TXT = "bagit.txt"
BAG_INFO_TXT = "bag-info.txt"
MANIFEST_TXT = "manifest-sha256.txt"
TAG_MANIFEST_TXT = "tagmanifest-sha256.txt"
METADATA_PATH = "data/metadata.json"
FILES_DIR = "data/files/"

BAGIT_DECLARATION = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


@dataclass(frozen=True)
class PayloadFile:
    """An attachment and where it goes in the bag."""

    path: str
    attachment: DeclaredAttachment


def safe_file_name(name: str) -> str:
    """``name`` as one path segment: NFC, no separators or control characters, never ``.``/``..``/empty."""
    cleaned = _UNSAFE_IN_NAME.sub("_", nfc(name)).strip()
    if cleaned in ("", ".", ".."):
        return "file"
    return cleaned


def _with_suffix_number(name: str, number: int) -> str:
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        return f"{name}-{number}"
    return f"{stem}-{number}.{extension}"


def payload_files(attachments: Sequence[DeclaredAttachment]) -> list[PayloadFile]:
    """Each attachment's path ``data/files/<name>``; names made safe and unique (``a.pdf``, ``a-2.pdf``)."""
    taken: set[str] = set()
    out = []
    for attachment in attachments:
        base = safe_file_name(attachment.name)
        name, number = base, 1
        while name.casefold() in taken:
            number += 1
            name = _with_suffix_number(base, number)
        taken.add(name.casefold())
        out.append(PayloadFile(path=FILES_DIR + name, attachment=attachment))
    return out


def metadata_document(document: SubmittedDocument, files: Sequence[PayloadFile]) -> bytes:
    """``data/metadata.json``: the document's own metadata (``document``) and the axis' ids (``lienthong``)."""
    try:
        original = json.loads(document.metadata_json) if document.metadata_json.strip() else None
    except ValueError as exc:
        raise InvalidInput(f"document {document.id} carries metadata that is not JSON",
                           errors=[FieldError("metadata_json", str(exc))]) from exc
    body = {
        "lienthong": {
            "document_id": document.id,
            "identifier": document.identifier,
            "sender_code": document.sender_code,
            "recipient_codes": list(document.recipient_codes),
            "subject": nfc(document.subject),
            "submitted_at": document.submitted_at,
            "signature": {
                "signed": document.signed,
                "indication": document.signature_indication,
                "report_id": document.signature_report_id,
            },
            "files": [
                {"path": f.path, "name": nfc(f.attachment.name), "media_type": f.attachment.media_type,
                 "sha256": f.attachment.sha256, "size": f.attachment.size}
                for f in files
            ],
        },
        "document": original,
    }
    return (json.dumps(body, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def _manifest_path(path: str) -> str:
    """A path as RFC 8493 §2.1.3 writes it in a manifest: ``%``, CR and LF percent-encoded."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def manifest(entries: Sequence[tuple[str, str]]) -> bytes:
    """A ``manifest-sha256.txt`` (or tag manifest) for ``(path, sha256)`` entries, in the given order."""
    return "".join(f"{digest}  {_manifest_path(path)}\n" for path, digest in entries).encode()


def _info_value(value: str) -> str:
    return " ".join(nfc(value).split())


def bag_info(document: SubmittedDocument, *, payload_octets: int, payload_count: int) -> bytes:
    """``bag-info.txt``: the sender agency, the document identifier and id, and the Payload-Oxum."""
    lines = [
        ("Source-Organization", document.sender_code),
        ("External-Identifier", document.identifier or document.id),
        ("Bag-Group-Identifier", document.id),
        ("External-Description", document.subject),
        ("Payload-Oxum", f"{payload_octets}.{payload_count}"),
    ]
    return "".join(f"{label}: {_info_value(value)}\n" for label, value in lines if value).encode()
