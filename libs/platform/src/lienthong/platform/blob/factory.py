"""Pick the blob store adapter a service's settings ask for."""

from __future__ import annotations

from lienthong.platform.blob.file import FileBlobStore
from lienthong.platform.blob.ports import BlobStore
from lienthong.platform.blob.s3 import S3BlobStore
from lienthong.platform.settings import ServiceSettings


def make_blob_store(settings: ServiceSettings) -> BlobStore:
    """``file`` → :class:`FileBlobStore` on ``settings.blob_dir``; ``s3`` → :class:`S3BlobStore` on ``settings.s3_*``."""
    if settings.blob_backend == "s3":
        return S3BlobStore.from_settings(settings)
    if settings.blob_dir is None:
        raise ValueError("blob_backend is file but blob_dir is unset")
    return FileBlobStore(settings.blob_dir)
