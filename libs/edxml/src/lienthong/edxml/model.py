"""The typed edXML model: document packages and status packages (edxml.md §2-§7).

Every text field is trimmed Unicode NFC; every timestamp is timezone-aware in +07:00;
dates are plain ``datetime.date`` values (the wire carries ``yyyy/MM/dd``). The same
model is the JSON equivalent served by the REST API (``model_dump(mode="json")``).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from lienthong.platform.clock import VN_TZ
from lienthong.platform.text import nfc

EDXML_NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
"""The edXML namespace; the conventional prefix is ``edXML``."""
XLINK_NS = "http://www.w3.org/1999/xlink"
LEGACY_NAMESPACES = ("http://www.e-doc.vn/Schema/", "http://www.go.vn/eDoc", "http://edxml.gov.vn/schema")
"""Wrong namespaces seen in the wild (edxml.md §1): refused unless a legacy adapter allows them."""

STATUS_CODES = ("01", "02", "03", "04", "05", "06", "13", "15", "16")
"""The status codes LienThong emits (edxml.md §7.1)."""
STATUS_MEANINGS = {
    "01": "Đã đến", "02": "Từ chối tiếp nhận", "03": "Đã tiếp nhận", "04": "Phân công", "05": "Đang xử lý",
    "06": "Hoàn thành", "13": "Lấy lại", "15": "Đồng ý cập nhật/lấy lại/thu hồi",
    "16": "Từ chối cập nhật/lấy lại/thu hồi",
}


def _clean(value: str) -> str:
    return nfc(value).strip()


Text = Annotated[str, AfterValidator(_clean)]
"""Trimmed NFC text."""


def _vn(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=VN_TZ)
    return value.astimezone(VN_TZ)


VnDateTime = Annotated[datetime, AfterValidator(_vn)]
"""A moment in +07:00 (a naive value is read as Vietnam local time, as on the edXML wire)."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class BusinessDocType(IntEnum):
    """``Bussiness/BussinessDocType``."""

    NEW = 0
    REVOKE = 1
    UPDATE = 2
    REPLACE = 3


class Organ(_Model):
    """An organ block (``From``, ``To``, a status' ``From``)."""

    organ_id: Text = Field(description="agency identifier code (mã định danh)", examples=["000.00.07.H99"])
    organ_name: Text = Field("", examples=["Sở Khoa học và Công nghệ tỉnh Hòa Sơn"])
    organization_in_charge: Text = ""
    organ_add: Text = ""
    email: Text = ""
    telephone: Text = ""
    fax: Text = ""
    website: Text = ""


class Code(_Model):
    """``Code``: number and notation; the full code is ``number/notation``."""

    code_number: Text = Field(examples=["03"])
    code_notation: Text = Field(examples=["KH-SKHCN"])

    @property
    def full(self) -> str:
        return f"{self.code_number}/{self.code_notation}"


class PromulgationInfo(_Model):
    place: Text = ""
    promulgation_date: date


class DocumentType(_Model):
    type: int | None = None
    type_detail: int | None = None
    type_name: Text = Field("", examples=["Kế hoạch"])


class SignerInfo(_Model):
    competence: Text = ""
    position: Text = ""
    full_name: Text = ""


class OtherInfo(_Model):
    priority: int = Field(0, description="0 Thường, 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc, 4 Hỏa tốc hẹn giờ")
    sphere_of_promulgation: Text = ""
    typer_notation: Text = ""
    promulgation_amount: int | None = Field(None, ge=0)
    page_amount: int | None = Field(None, ge=0)
    appendixes: list[Text] = Field(default_factory=list)
    extensions: list[str] = Field(default_factory=list,
                                  description="unknown vendor elements, kept verbatim as XML for relay")


class ResponseFor(_Model):
    """A document answered (document header) or the document a status is about."""

    organ_id: Text
    code: Text = Field(description="number/notation")
    promulgation_date: date | None = None
    document_id: Text = ""


class StaffInfo(_Model):
    department: Text = ""
    staff: Text = ""
    mobile: Text = ""
    email: Text = ""


class MessageHeader(_Model):
    """``MessageHeader`` of a document package (edxml.md §3)."""

    from_: Organ = Field(alias="from")
    to: list[Organ]
    code: Code
    promulgation_info: PromulgationInfo
    document_type: DocumentType = Field(default_factory=DocumentType)
    subject: Text
    content: Text = ""
    signer_info: SignerInfo = Field(default_factory=SignerInfo)
    due_date: date | None = None
    to_places: list[Text] = Field(default_factory=list)
    other_info: OtherInfo = Field(default_factory=OtherInfo)
    response_for: list[ResponseFor] = Field(default_factory=list)
    steering_type: int = Field(0, description="0 not steering, 1 steering, 2 steering + report required")
    document_id: Text = Field("", description="{From.OrganId},{yyyy/MM/dd},{CodeNumber}/{CodeNotation}")
    extensions: list[str] = Field(default_factory=list)

    def expected_document_id(self) -> str:
        """The DocumentId recomputed from the header (identifiers.md §2.2)."""
        return document_id_of(self.from_.organ_id, self.promulgation_info.promulgation_date, self.code.full)


def document_id_of(organ_id: str, promulgated: date, full_code: str) -> str:
    """``{OrganId},{yyyy/MM/dd},{number}/{notation}``."""
    return f"{organ_id},{promulgated:%Y/%m/%d},{full_code}"


class TraceHeader(_Model):
    organ_id: Text = ""
    timestamp: VnDateTime | None = None


class Receiver(_Model):
    organ_id: Text
    receiver_type: int = 0


class BussinessDocumentInfo(_Model):
    """Type 2 (update): what changed."""

    document_info: int = 0
    document_receiver: int = 0
    receivers: list[Receiver] = Field(default_factory=list)


class ReplacementInfo(_Model):
    """Type 3 (replace): one replaced document and the agencies that hold it."""

    document_id: Text
    organ_ids: list[Text] = Field(default_factory=list)


class Bussiness(_Model):
    """``Bussiness`` (spelt so on the wire)."""

    bussiness_doc_type: BusinessDocType = BusinessDocType.NEW
    bussiness_doc_reason: Text = ""
    paper: int = Field(0, description="0 electronic only, 1 a paper copy is also sent")
    staff_info: StaffInfo | None = None
    document_id: Text = Field("", description="type 2: DocumentId of the document being updated")
    bussiness_document_info: BussinessDocumentInfo | None = None
    replacement_info_list: list[ReplacementInfo] = Field(default_factory=list)


class TraceHeaderList(_Model):
    trace_headers: list[TraceHeader] = Field(default_factory=list)
    bussiness: Bussiness | None = None
    attributes: dict[str, str] = Field(default_factory=dict,
                                       description="SOAP heritage attributes (id, version, mustUnderstand, actor)")


class Attachment(_Model):
    """One file: manifest metadata plus what was measured while decoding it."""

    content_id: Text = Field(description="the id without the cid: prefix")
    attachment_name: Text
    content_type: Text = "application/octet-stream"
    description: Text = ""
    size: int = Field(0, ge=0, description="decoded size in bytes")
    sha256: str = Field("", description="SHA-256 of the decoded bytes, lower-case hex")
    ref: str = Field("", description="where the sink stored the bytes (not part of the wire format)",
                     exclude=True)

    @field_validator("content_id")
    @classmethod
    def _bare(cls, value: str) -> str:
        return value[4:] if value.lower().startswith("cid:") else value


class DocumentPackage(_Model):
    """A document package: header, trace/business block, attachments."""

    kind: Literal["document"] = "document"
    header: MessageHeader
    trace_header_list: TraceHeaderList | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    signature_xml: str = Field("", description="the envelope Signature, kept verbatim (decoration, never evidence)")

    @property
    def business(self) -> Bussiness:
        """The business block (a new document when absent)."""
        if self.trace_header_list and self.trace_header_list.bussiness:
            return self.trace_header_list.bussiness
        return Bussiness()


class StatusPackage(_Model):
    """A status package (edxml.md §7)."""

    kind: Literal["status"] = "status"
    from_: Organ = Field(alias="from")
    response_for: ResponseFor
    staff_info: StaffInfo | None = None
    status_code: str = Field(pattern=r"^\d{2,3}$", examples=["03"])
    description: Text = ""
    timestamp: VnDateTime | None = None

    @property
    def known(self) -> bool:
        return self.status_code in STATUS_CODES


Package = Annotated[DocumentPackage | StatusPackage, Field(discriminator="kind")]
