"""Writes archival packages as tar files (PAX, UTF-8 names) spooled to a temporary file on disk.

Attachments stream from their source straight into the tar, hashed on the way, so
memory stays bounded whatever their size. The tar is reproducible: the same
document gives the same bytes (entry times are the document's submission time,
owners and modes are fixed), so a retried ingest stores the same blob.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from lienthong.archive.domain import bag
from lienthong.archive.domain.records import (
    ArchivedFile,
    AttachmentMismatch,
    DeclaredAttachment,
    SubmittedDocument,
)
from lienthong.archive.service.ports import AttachmentSource
from lienthong.platform import clock


class VerifyingReader:
    """A file-like view of a chunk iterator that must yield exactly the declared bytes.

    Raises :class:`AttachmentMismatch` as soon as the stream ends short or runs long,
    and from :meth:`finish` when the digest differs.
    """

    def __init__(self, chunks: Iterator[bytes], declared: DeclaredAttachment, *, document_id: str):
        self._chunks = chunks
        self._declared = declared
        self._document_id = document_id
        self._pending = b""
        self._hasher = hashlib.sha256()
        self._count = 0

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (all that remain when negative); fewer only at the end of the stream."""
        parts = []
        wanted = size if size >= 0 else self._declared.size - self._count + 1
        while wanted > 0:
            if not self._pending:
                chunk = next(self._chunks, None)
                if chunk is None:
                    if self._count < self._declared.size:
                        raise self._mismatch(f"stream ended after {self._count} of {self._declared.size} bytes")
                    break
                self._pending = chunk
                continue
            taken, self._pending = self._pending[:wanted], self._pending[wanted:]
            self._count += len(taken)
            if self._count > self._declared.size:
                raise self._mismatch(f"stream is longer than the declared {self._declared.size} bytes")
            self._hasher.update(taken)
            parts.append(taken)
            wanted -= len(taken)
        return b"".join(parts)

    def finish(self) -> str:
        """Check that nothing follows the declared bytes and that they hash as declared; return the digest."""
        if self._pending or any(self._chunks):
            raise self._mismatch(f"stream is longer than the declared {self._declared.size} bytes")
        digest = self._hasher.hexdigest()
        if digest != self._declared.sha256:
            raise self._mismatch(f"bytes hash to {digest}, declared {self._declared.sha256}")
        return digest

    def _mismatch(self, what: str) -> AttachmentMismatch:
        return AttachmentMismatch(
            f"attachment {self._declared.name!r} of document {self._document_id}: {what}; not archived")


class SpooledPackage:
    """A package in a temporary file (deleted on :meth:`close`) and the files it holds."""

    def __init__(self, spool: BinaryIO, files: tuple[ArchivedFile, ...]):
        self._spool = spool
        self.files = files

    def stream(self) -> BinaryIO:
        self._spool.seek(0)
        return self._spool

    def close(self) -> None:
        self._spool.close()


def _entry_time(document: SubmittedDocument) -> int:
    try:
        return int(clock.parse_iso(document.submitted_at).timestamp())
    except ValueError:
        return 0


class TarBagWriter:
    """A :class:`~lienthong.archive.service.ports.PackageWriter` of BagIt bags in tar files.

    ``spool_dir`` is where packages are built (the system's temporary directory when None).
    """

    def __init__(self, spool_dir: Path | None = None):
        self._spool_dir = spool_dir
        if spool_dir is not None:
            spool_dir.mkdir(parents=True, exist_ok=True)

    def write(self, document: SubmittedDocument, source: AttachmentSource) -> SpooledPackage:
        """Build the bag of ``document``; raises :class:`AttachmentMismatch` (and keeps nothing) on bad bytes."""
        # Handed over to the SpooledPackage, which closes (and so deletes) it.
        spool = tempfile.TemporaryFile(dir=self._spool_dir, prefix="aip-")  # noqa: SIM115
        try:
            files = self._write_bag(spool, document, source)
        except BaseException:
            spool.close()
            raise
        return SpooledPackage(spool, files)

    def _write_bag(self, spool: BinaryIO, document: SubmittedDocument,
                   source: AttachmentSource) -> tuple[ArchivedFile, ...]:
        mtime = _entry_time(document)
        payload = bag.payload_files(document.attachments)
        manifest_entries: list[tuple[str, str]] = []
        octets = 0
        with tarfile.open(fileobj=spool, mode="w", format=tarfile.PAX_FORMAT, encoding="utf-8") as tar:
            metadata = bag.metadata_document(document, payload)
            manifest_entries.append((bag.METADATA_PATH, self._add_bytes(tar, bag.METADATA_PATH, metadata, mtime)))
            octets += len(metadata)
            archived = []
            for item in payload:
                declared = item.attachment
                reader = VerifyingReader(source.read(document.id, declared.sha256), declared,
                                         document_id=document.id)
                tar.addfile(self._info(item.path, declared.size, mtime), reader)
                digest = reader.finish()
                manifest_entries.append((item.path, digest))
                octets += declared.size
                archived.append(ArchivedFile(path=item.path, name=declared.name, media_type=declared.media_type,
                                             sha256=digest, size=declared.size))
            tag_files = [
                (bag.BAGIT_TXT, bag.BAGIT_DECLARATION),
                (bag.BAG_INFO_TXT, bag.bag_info(document, payload_octets=octets,
                                                payload_count=len(manifest_entries))),
                (bag.MANIFEST_TXT, bag.manifest(manifest_entries)),
            ]
            tag_entries = [(name, self._add_bytes(tar, name, content, mtime)) for name, content in tag_files]
            self._add_bytes(tar, bag.TAG_MANIFEST_TXT, bag.manifest(tag_entries), mtime)
        spool.flush()
        return tuple(archived)

    @staticmethod
    def _info(path: str, size: int, mtime: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(path)
        info.size = size
        info.mtime = mtime
        info.mode = 0o444
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    def _add_bytes(self, tar: tarfile.TarFile, path: str, content: bytes, mtime: int) -> str:
        tar.addfile(self._info(path, len(content), mtime), io.BytesIO(content))
        return hashlib.sha256(content).hexdigest()
