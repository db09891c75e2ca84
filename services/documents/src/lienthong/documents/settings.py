"""Documents settings: ``LIENTHONG_DOCUMENTS_<FIELD>``, falling back to ``LIENTHONG_<FIELD>``."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from lienthong.edxml import Limits
from lienthong.platform.settings import ServiceSettings


class DocumentsSettings(ServiceSettings):
    service_name = "documents"
    model_config = SettingsConfigDict(env_prefix="LIENTHONG_DOCUMENTS_", extra="ignore")

    registry_grpc_target: str | None = None
    """host:port of the registry's gRPC server (default: this process' own gRPC port)."""
    routing_grpc_target: str | None = None
    """host:port of the routing service's gRPC server, asked who received a document (default: this process'
    own gRPC port)."""
    signing_grpc_target: str | None = None
    """host:port of the signing service's gRPC server (default: this process' own gRPC port)."""
    max_attachment_bytes: int = 100 * 1024 * 1024
    """Largest attachment (decoded), refused while streaming."""
    max_package_bytes: int = 200 * 1024 * 1024
    """Largest total of a document's attachments (decoded)."""
    max_attachments: int = 50
    max_metadata_bytes: int = 1024 * 1024
    paper_document_types: list[str] = Field(default_factory=list)
    """Document types (TypeName, e.g. "Quyết định") the province requires to be sent on paper as well
    (seed 004 Art. 7.2); JSON list in ``LIENTHONG_DOCUMENTS_PAPER_DOCUMENT_TYPES``."""

    def edxml_limits(self) -> Limits:
        """The codec's limits from these settings (the raw package may hold base64: 4/3 of the bytes)."""
        return Limits(max_attachment_bytes=self.max_attachment_bytes, max_package_bytes=self.max_package_bytes,
                      max_attachments=self.max_attachments,
                      max_input_bytes=self.max_package_bytes * 4 // 3 + 2 * self.max_metadata_bytes)
