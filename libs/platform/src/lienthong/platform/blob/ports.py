"""The blob store port: streaming, SHA-256 addressed, write-once. ``s3`` and ``file`` pass one contract suite."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol

CHUNK_SIZE = 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobError(Exception):
    """Base of blob store errors."""


class BlobNotFound(BlobError):
    """No blob has this digest."""


class ChecksumMismatch(BlobError):
    """The bytes do not hash to the digest they were stored or asked for under."""


class BlobTooLarge(BlobError):
    """The stream went past the size limit given to ``put``."""


@dataclass(frozen=True)
class BlobRef:
    """A stored blob: its SHA-256 (lower-case hex) and size in bytes."""

    sha256: str
    size: int


def check_digest(sha256: str) -> str:
    """Return ``sha256`` if it is 64 lower-case hex characters, else raise ValueError (no path tricks)."""
    if not _SHA256.match(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


class BlobStore(Protocol):
    def put(self, stream: BinaryIO, *, expected_sha256: str | None = None,
            max_size: int | None = None) -> BlobRef:
        """Store the stream's bytes, hashing them on the way, in bounded memory.

        Content addressed and idempotent: the same bytes give the same ref. Raises
        :class:`ChecksumMismatch` (and stores nothing) if ``expected_sha256`` differs,
        :class:`BlobTooLarge` (and stores nothing) past ``max_size`` bytes.
        """

    def get(self, sha256: str) -> Iterator[bytes]:
        """Stream the blob in chunks, verifying the digest; raises :class:`ChecksumMismatch` at the end
        if the stored bytes were altered, :class:`BlobNotFound` if absent."""

    def exists(self, sha256: str) -> bool: ...

    def stat(self, sha256: str) -> BlobRef:
        """The stored blob's ref; raises :class:`BlobNotFound`."""

    def verify(self, sha256: str) -> bool:
        """Fixity check: re-read the whole blob and say whether it still hashes to its address."""
