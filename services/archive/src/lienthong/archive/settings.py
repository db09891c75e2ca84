"""Archive settings: ``LIENTHONG_ARCHIVE_<FIELD>``, falling back to ``LIENTHONG_<FIELD>``.

The archive keeps its packages in its own blob store: ``<data_dir>/blobs/archive``
(file backend) or the S3 bucket ``lienthong-archive`` (the base settings' defaults).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from lienthong.platform.settings import ServiceSettings


class ArchiveSettings(ServiceSettings):
    """The archive's settings: the shared fields plus where the documents service and the spool are."""

    service_name = "archive"
    model_config = SettingsConfigDict(env_prefix="LIENTHONG_ARCHIVE_", extra="ignore")

    documents_grpc_target: str | None = None
    """host:port of the documents service's gRPC server; defaults to this process' own gRPC address
    (in embedded mode every service shares one gRPC port)."""

    attachment_stream_deadline_s: float = 300.0
    """Deadline of one attachment transfer from the documents service (large files take a while)."""

    spool_dir: Path | None = None
    """Where packages are built before they are stored; the system's temporary directory when unset."""

    @model_validator(mode="after")
    def _documents_default(self) -> ArchiveSettings:
        if self.documents_grpc_target is None:
            self.documents_grpc_target = self.grpc_self_target
        return self
