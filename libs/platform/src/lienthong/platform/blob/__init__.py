"""Blob store: streaming, SHA-256 addressed, write-once storage for attachments and archival packages."""

from lienthong.platform.blob.ports import (
    CHUNK_SIZE,
    BlobError,
    BlobNotFound,
    BlobRef,
    BlobStore,
    BlobTooLarge,
    ChecksumMismatch,
    check_digest,
)

__all__ = ["CHUNK_SIZE", "BlobError", "BlobNotFound", "BlobRef", "BlobStore", "BlobTooLarge",
           "ChecksumMismatch", "check_digest"]
