"""The ``file`` blob store: a local directory, one read-only file per blob at ``root/ab/cd/<sha256>``.

Embedded mode only (distributed mode refuses it). A put streams into a temporary
file under ``root/.tmp`` (same filesystem) while hashing, fsyncs it, and publishes
it with ``link(2)``: atomic, and it never replaces a blob already there, so a
concurrent put of the same bytes cannot rewrite a stored file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from lienthong.platform.blob.ports import (
    CHUNK_SIZE,
    BlobNotFound,
    BlobRef,
    BlobTooLarge,
    ChecksumMismatch,
    check_digest,
)


class FileBlobStore:
    """Write-once, SHA-256 addressed blobs in a local directory (the embedded mode's :class:`BlobStore`)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._tmp = self.root / ".tmp"
        self._tmp.mkdir(parents=True, exist_ok=True)

    def path_of(self, sha256: str) -> Path:
        """Where the blob with this digest lives (whether or not it exists); refuses non-digests."""
        check_digest(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, stream: BinaryIO, *, expected_sha256: str | None = None,
            max_size: int | None = None) -> BlobRef:
        """Store the stream's bytes; see :meth:`BlobStore.put`. Nothing is kept when it raises."""
        if expected_sha256 is not None:
            check_digest(expected_sha256)
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="put-")
        tmp = Path(tmp_name)
        try:
            digest, size = self._write(fd, stream, max_size)
            if expected_sha256 is not None and digest != expected_sha256:
                raise ChecksumMismatch(f"stream hashes to {digest}, expected {expected_sha256}")
            final = self.path_of(digest)
            if not final.exists():
                self._publish(tmp, final)
            return BlobRef(sha256=digest, size=size)
        finally:
            tmp.unlink(missing_ok=True)

    @staticmethod
    def _write(fd: int, stream: BinaryIO, max_size: int | None) -> tuple[str, int]:
        """Copy the stream into ``fd`` while hashing, fsync it, and return (digest, size)."""
        hasher = hashlib.sha256()
        size = 0
        with open(fd, "wb", buffering=0, closefd=True) as out:
            while chunk := stream.read(CHUNK_SIZE):
                size += len(chunk)
                if max_size is not None and size > max_size:
                    raise BlobTooLarge(f"stream is larger than {max_size} bytes")
                hasher.update(chunk)
                out.write(chunk)
            os.fsync(out.fileno())
        return hasher.hexdigest(), size

    @staticmethod
    def _publish(tmp: Path, final: Path) -> None:
        """Make ``tmp`` read-only and link it in at ``final`` unless a blob is already there; fsync the dir."""
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp.chmod(0o444)
        try:
            os.link(tmp, final)
        except FileExistsError:
            return
        dir_fd = os.open(final.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def get(self, sha256: str) -> Iterator[bytes]:
        """Stream the blob in chunks, verifying its digest at the end; see :meth:`BlobStore.get`.

        The file is opened here, so :class:`BlobNotFound` is raised by the call, not by the first chunk.
        """
        path = self.path_of(sha256)
        try:
            f = path.open("rb", buffering=0)
        except FileNotFoundError:
            raise BlobNotFound(sha256) from None
        return self._chunks(f, sha256)

    @staticmethod
    def _chunks(f: BinaryIO, sha256: str) -> Iterator[bytes]:
        hasher = hashlib.sha256()
        with f:
            while chunk := f.read(CHUNK_SIZE):
                hasher.update(chunk)
                yield chunk
        if hasher.hexdigest() != sha256:
            raise ChecksumMismatch(f"stored blob {sha256} now hashes to {hasher.hexdigest()}")

    def exists(self, sha256: str) -> bool:
        """Whether a blob with this digest is stored."""
        return self.path_of(sha256).is_file()

    def stat(self, sha256: str) -> BlobRef:
        """The stored blob's ref; raises :class:`BlobNotFound`."""
        try:
            size = self.path_of(sha256).stat().st_size
        except FileNotFoundError:
            raise BlobNotFound(sha256) from None
        return BlobRef(sha256=sha256, size=size)

    def verify(self, sha256: str) -> bool:
        """Re-read the whole blob and say whether it still hashes to its address; raises :class:`BlobNotFound`."""
        try:
            for _ in self.get(sha256):
                pass
        except ChecksumMismatch:
            return False
        return True
