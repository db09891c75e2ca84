"""The ``s3`` blob store (MinIO SDK): blobs are objects ``sha256/<hex>`` in one bucket.

A put cannot name its object before the last byte is hashed. It reads the stream
through a hashing reader one ``part_size`` part at a time, uploads each part as a
temporary object ``tmp/<uuid>/<n>``, then composes them server-side into the
blob's object (``compose_object``: a copy for one part, a multipart copy of the
parts otherwise, so objects past 5 GiB work) with the digest in the object's
metadata, and deletes the temporary objects. Only the part being read and sent is
in memory, so a put peaks near ``2 × part_size`` whatever the object's size
(``put_object`` with an unknown length would hold about three parts).

On an object-lock bucket the blob then gets a retention, set after the copy (some
S3 implementations refuse a copy carrying lock headers without a Content-MD5); a
blob found without one, left by a put that died in between, gets it on the next
put of the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import logging
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from minio import Minio
from minio.commonconfig import ComposeSource
from minio.datatypes import Object
from minio.deleteobjects import DeleteObject
from minio.error import S3Error
from minio.retention import Retention

from lienthong.platform.blob.ports import (
    CHUNK_SIZE,
    BlobNotFound,
    BlobRef,
    BlobTooLarge,
    ChecksumMismatch,
    check_digest,
)

if TYPE_CHECKING:
    from urllib3 import BaseHTTPResponse

    from lienthong.platform.settings import ServiceSettings

MIN_PART_SIZE = 5 * 1024 * 1024
MAX_PART_SIZE = 5 * 1024 * 1024 * 1024
MAX_PARTS = 10_000
"""S3's limit on the parts of a multipart (copy) upload: a blob is at most ``MAX_PARTS × part_size``."""
DIGEST_METADATA = "sha256"
"""User metadata key (``x-amz-meta-sha256``) holding the blob's digest."""
_LOCK_MODE_HEADER = "x-amz-object-lock-mode"
_log = logging.getLogger(__name__)


class _HashingReader:
    """Wraps the caller's stream: hashes, counts, enforces the size limit.

    ``read(n)`` keeps reading until it has ``n`` bytes or the stream ends, so every part but
    the last is full (compose needs at least 5 MiB) even from a stream giving short reads.
    """

    def __init__(self, stream: BinaryIO, max_size: int | None) -> None:
        self._stream = stream
        self._max_size = max_size
        self._hasher = hashlib.sha256()
        self.size = 0

    def read(self, n: int) -> bytes:
        pieces: list[bytes] = []
        wanted = n
        while wanted > 0:
            piece = self._stream.read(wanted)
            if not piece:
                break
            self.size += len(piece)
            if self._max_size is not None and self.size > self._max_size:
                raise BlobTooLarge(f"stream is larger than {self._max_size} bytes")
            self._hasher.update(piece)
            pieces.append(piece)
            wanted -= len(piece)
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def hexdigest(self) -> str:
        return self._hasher.hexdigest()


class S3BlobStore:
    """Write-once, SHA-256 addressed blobs in an S3 bucket (the distributed mode's :class:`BlobStore`).

    ``object_lock=True`` creates the bucket with object lock (when ``create_bucket``) and stores
    every blob with a ``retention_mode`` retention of ``retention_period``; the bucket must support
    object lock (MinIO, AWS S3). A put holds about ``2 × part_size`` bytes in memory and stores
    blobs up to ``MAX_PARTS × part_size`` (156 GiB at the default 16 MiB).
    """

    def __init__(self, client: Minio, bucket: str, *, create_bucket: bool = True,
                 part_size: int = 16 * 1024 * 1024,
                 object_lock: bool = False,
                 retention_mode: Literal["GOVERNANCE", "COMPLIANCE"] = "GOVERNANCE",
                 retention_period: timedelta = timedelta(days=3650)) -> None:
        if not MIN_PART_SIZE <= part_size <= MAX_PART_SIZE:
            raise ValueError(f"part_size must be between {MIN_PART_SIZE} and {MAX_PART_SIZE} bytes")
        self.client = client
        self.bucket = bucket
        self.part_size = part_size
        self.object_lock = object_lock
        self.retention_mode = retention_mode
        self.retention_period = retention_period
        if create_bucket and not client.bucket_exists(bucket):
            try:
                client.make_bucket(bucket, object_lock=object_lock)
            except S3Error as exc:
                if exc.code not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                    raise

    @classmethod
    def from_settings(cls, settings: ServiceSettings, **options: Any) -> S3BlobStore:
        """A store on ``settings.s3_*`` (endpoint, keys, TLS, region, bucket); ``options`` go to the constructor."""
        client = Minio(settings.s3_endpoint, access_key=settings.s3_access_key,
                       secret_key=settings.s3_secret_key, secure=settings.s3_secure,
                       region=settings.s3_region)
        return cls(client, str(settings.s3_bucket), **options)

    @staticmethod
    def key_of(sha256: str) -> str:
        """The object key of the blob with this digest; refuses non-digests."""
        return f"sha256/{check_digest(sha256)}"

    def put(self, stream: BinaryIO, *, expected_sha256: str | None = None,
            max_size: int | None = None) -> BlobRef:
        """Store the stream's bytes; see :meth:`BlobStore.put`. Nothing is kept when it raises."""
        if expected_sha256 is not None:
            check_digest(expected_sha256)
        reader = _HashingReader(stream, max_size)
        tmp_prefix = f"tmp/{uuid.uuid4().hex}/"
        parts: list[DeleteObject] = []
        try:
            while self._put_part(reader, f"{tmp_prefix}{len(parts):05d}", parts):
                pass
            digest = reader.hexdigest()
            if expected_sha256 is not None and digest != expected_sha256:
                raise ChecksumMismatch(f"stream hashes to {digest}, expected {expected_sha256}")
            key = self.key_of(digest)
            existing = self._head(key)
            if existing is None:
                self.client.compose_object(self.bucket, key,
                                           [ComposeSource(self.bucket, p.name) for p in parts],
                                           metadata={DIGEST_METADATA: digest})
            if self.object_lock and (existing is None or not existing.metadata.get(_LOCK_MODE_HEADER)):
                retain_until = datetime.now(UTC) + self.retention_period
                self.client.set_object_retention(self.bucket, key, Retention(self.retention_mode, retain_until))
            return BlobRef(sha256=digest, size=reader.size)
        finally:
            self._remove(parts)

    def _put_part(self, reader: _HashingReader, key: str, parts: list[DeleteObject]) -> bool:
        """Upload the next part as the temporary object ``key``; say whether more parts may follow.

        Its own frame, so the part's bytes are freed before the next part is read.
        """
        data = reader.read(self.part_size)
        if parts and not data:
            return False
        if len(parts) == MAX_PARTS:
            raise BlobTooLarge(f"stream is larger than {MAX_PARTS} parts of {self.part_size} bytes")
        written = self.client.put_object(self.bucket, key, io.BytesIO(data), len(data), part_size=self.part_size)
        parts.append(DeleteObject(key, written.version_id))
        return len(data) == self.part_size

    def _remove(self, objects: list[DeleteObject]) -> None:
        """Delete temporary objects (the exact versions written, on a versioned bucket)."""
        if not objects:
            return
        for error in self.client.remove_objects(self.bucket, objects):
            _log.warning("could not delete temporary blob part %s: %s", error.name, error.message)

    def _head(self, key: str) -> Object | None:
        """The object's HEAD (size, metadata, lock headers), or None when absent."""
        try:
            return self.client.stat_object(self.bucket, key)
        except S3Error as exc:
            if exc.code == "NoSuchKey":
                return None
            raise

    def get(self, sha256: str) -> Iterator[bytes]:
        """Stream the blob in chunks, verifying its digest at the end; see :meth:`BlobStore.get`.

        The object is requested here, so :class:`BlobNotFound` is raised by the call, not by the
        first chunk. Close the iterator (or exhaust it) to release the connection.
        """
        key = self.key_of(sha256)
        try:
            response = self.client.get_object(self.bucket, key)
        except S3Error as exc:
            if exc.code == "NoSuchKey":
                raise BlobNotFound(sha256) from None
            raise
        return self._chunks(response, sha256)

    @staticmethod
    def _chunks(response: BaseHTTPResponse, sha256: str) -> Iterator[bytes]:
        hasher = hashlib.sha256()
        try:
            for chunk in response.stream(CHUNK_SIZE):
                hasher.update(chunk)
                yield chunk
        finally:
            response.close()
            response.release_conn()
        if hasher.hexdigest() != sha256:
            raise ChecksumMismatch(f"stored blob {sha256} now hashes to {hasher.hexdigest()}")

    def exists(self, sha256: str) -> bool:
        """Whether a blob with this digest is stored."""
        return self._head(self.key_of(sha256)) is not None

    def stat(self, sha256: str) -> BlobRef:
        """The stored blob's ref; raises :class:`BlobNotFound`."""
        info = self._head(self.key_of(sha256))
        if info is None:
            raise BlobNotFound(sha256)
        return BlobRef(sha256=sha256, size=int(info.size or 0))

    def verify(self, sha256: str) -> bool:
        """Re-read the whole blob and say whether it still hashes to its address; raises :class:`BlobNotFound`."""
        try:
            for _ in self.get(sha256):
                pass
        except ChecksumMismatch:
            return False
        return True
