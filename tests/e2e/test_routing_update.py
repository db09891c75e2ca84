"""Update and replacement end to end: edXML packages of business type 3 (replace) and 2 (update) submitted
to the documents service are routed as documents, linked to the document they refer to, and every
recipient of that document is asked to agree (15) or refuse (16)."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from lienthong.edxml.model import (
    Attachment,
    BusinessDocType,
    Bussiness,
    Code,
    DocumentPackage,
    DocumentType,
    MessageHeader,
    Organ,
    PromulgationInfo,
    ReplacementInfo,
    SignerInfo,
    TraceHeaderList,
)
from lienthong.edxml.writer import build
from lienthong.signing.adapters.dev_pki import minimal_pdf
from lienthong.testing.axis import Axis, eventually

pytestmark = pytest.mark.e2e

A, B, C = "000.00.11.H99", "000.00.12.H99", "000.00.13.H99"


def package(number: str, business: Bussiness | None = None) -> bytes:
    header = MessageHeader(**{"from": Organ(organ_id=A, organ_name="Sở Tài chính tỉnh Mẫu")},
                           to=[Organ(organ_id=B, organ_name="Sở Nội vụ"), Organ(organ_id=C, organ_name="Sở Y tế")],
                           code=Code(code_number=number, code_notation="QĐ-STC"),
                           promulgation_info=PromulgationInfo(place="Tỉnh Mẫu", promulgation_date=date(2026, 11, 25)),
                           subject=f"Quyết định {number} về phân bổ kinh phí",
                           document_type=DocumentType(type=1, type_name="Quyết định"),
                           signer_info=SignerInfo(position="Giám đốc", full_name="Nguyễn Văn An"),
                           document_id=f"{A},2026/11/25,{number}/QĐ-STC")
    pdf = minimal_pdf(f"Quyết định {number}")
    return build(DocumentPackage(header=header, trace_header_list=TraceHeaderList(bussiness=business or Bussiness()),
                                 attachments=[Attachment(content_id="f1", attachment_name=f"qd-{number}.pdf",
                                                         content_type="application/pdf")]), {"f1": pdf})


def test_replace_and_update_ask_the_old_recipients(axis: Axis) -> None:
    auth = {code: {"Authorization": "Bearer " + axis.token(axis.cli("registry", "add-client", "--name", f"QLVB {code}",
                                                                    "--agency", code))} for code in (A, B, C)}

    def submit(body: bytes) -> str:
        r = httpx.post(axis.url("documents", "/api/v1/documents/edxml"), content=body, timeout=60,
                       headers={**auth[A], "Content-Type": "application/xml"})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def routing(method: str, who: str, path: str, **kw: Any) -> httpx.Response:
        return httpx.request(method, axis.url("routing", "/api/v1/routing" + path), headers=auth[who], timeout=30,
                             **kw)

    def deliveries(doc: str) -> dict[str, dict]:
        r = routing("GET", A, f"/documents/{doc}/deliveries")
        return {d["recipient_code"]: d for d in r.json()} if r.status_code == 200 else {}

    old = submit(package("40"))
    eventually(lambda: len(deliveries(old)) == 2)
    new = submit(package("41", Bussiness(bussiness_doc_type=BusinessDocType.REPLACE,
                                         bussiness_doc_reason="Thay thế Quyết định 40",
                                         replacement_info_list=[ReplacementInfo(
                                             document_id=f"{A},2026/11/25,40/QĐ-STC", organ_ids=[B, C])])))
    eventually(lambda: len(deliveries(new)) == 2)
    asked = eventually(lambda: routing("GET", A, f"/documents/{old}/requests").json())
    assert {(r["recipient_code"], r["kind"], r["related_document_id"], r["pending"]) for r in asked} == {
        (B, "replace", new, True), (C, "replace", new, True)}

    agreed = routing("POST", B, f"/documents/{old}/statuses", json={"status_code": "15"})
    assert agreed.status_code == 201 and agreed.json()[0]["state"] == "replaced"
    refused = routing("POST", C, f"/documents/{old}/statuses",
                      json={"status_code": "16", "description": "Đã thực hiện theo Quyết định 40"})
    assert refused.status_code == 201
    outcomes = {r["recipient_code"]: r["outcome"] for r in routing("GET", A, f"/documents/{old}/requests").json()}
    assert outcomes == {B: "15", C: "16"}
    assert [d["document_id"] for d in routing("GET", B, "/inbox").json()["items"]] == [new]
    assert {d["document_id"] for d in routing("GET", C, "/inbox").json()["items"]} == {old, new}

    # an update of the old document: only C, whose copy is still open, is asked (B's was replaced)
    update = submit(package("42", Bussiness(bussiness_doc_type=BusinessDocType.UPDATE,
                                            bussiness_doc_reason="Cập nhật nội dung",
                                            document_id=f"{A},2026/11/25,40/QĐ-STC")))
    eventually(lambda: len(deliveries(update)) == 2)
    asked = eventually(lambda: [r for r in routing("GET", A, f"/documents/{old}/requests").json()
                                if r["kind"] == "update"])
    assert [(r["recipient_code"], r["related_document_id"], r["pending"]) for r in asked] == [(C, update, True)]
    assert routing("POST", C, f"/documents/{old}/statuses", json={"status_code": "15"}).json()[0]["state"] \
        == "updated"
