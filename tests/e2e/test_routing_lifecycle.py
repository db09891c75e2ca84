"""Routing end to end, the whole axis as processes: send, pull with leases and acknowledgement, every
processing status back to the sender, recall agreed and refused, bad input refused, succession."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from lienthong.signing.adapters.dev_pki import minimal_pdf
from lienthong.testing.axis import Axis, eventually

pytestmark = pytest.mark.e2e

A, B, C, D = "000.00.11.H99", "000.00.12.H99", "000.00.13.H99", "000.00.14.H99"


class Client:
    """One agency system (or the operator) talking to the axis."""

    def __init__(self, axis: Axis, token: str):
        self.axis = axis
        self.headers = {"Authorization": f"Bearer {token}"}

    def routing(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return httpx.request(method, self.axis.url("routing", "/api/v1/routing" + path), headers=self.headers,
                             timeout=30, **kw)

    def send(self, sender: str, recipients: list[str], number: str) -> str:
        metadata = {"sender_code": sender, "recipient_codes": recipients, "code_number": number,
                    "code_notation": "CV-STC", "subject": "Về việc thử nghiệm định tuyến văn bản",
                    "document_type": "Công văn", "promulgation_date": "2026-11-25", "signer_name": "Trần Văn Bình"}
        r = httpx.post(self.axis.url("documents", "/api/v1/documents"), headers=self.headers, timeout=60,
                       data={"metadata": json.dumps(metadata, ensure_ascii=False)},
                       files={"file": (f"{number}.pdf", minimal_pdf(f"Công văn {number}"), "application/pdf")})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def deliveries(self, document_id: str) -> list[dict]:
        r = self.routing("GET", f"/documents/{document_id}/deliveries")
        return r.json() if r.status_code == 200 else []


def clients(axis: Axis, *codes: str) -> dict[str, Client]:
    made = {code: Client(axis, axis.token(axis.cli("registry", "add-client", "--name", f"QLVB {code}",
                                                   "--agency", code))) for code in codes}
    made["operator"] = Client(axis, axis.token(axis.cli("registry", "add-client", "--name", "Sở TT&TT",
                                                        "--operator")))
    return made


def test_send_pull_statuses_and_recall(axis: Axis) -> None:
    c = clients(axis, A, B, C, D)
    doc = c[A].send(A, [B, C, D], "101")
    view = eventually(lambda: len(c[A].deliveries(doc)) == 3 and c[A].deliveries(doc))
    assert {d["recipient_code"] for d in view} == {B, C, D}
    assert all(d["state"] == "available" and d["updated_at"].endswith("+07:00") for d in view)

    # pull: two pollers of B never both get the delivery as new; the acknowledgement is idempotent
    first = c[B].routing("POST", "/inbox/claim", json={"limit": 10}).json()
    assert [d["document_id"] for d in first] == [doc]
    assert c[B].routing("POST", "/inbox/claim", json={"limit": 10}).json() == []
    delivery_b = first[0]["id"]
    for _ in range(2):
        ack = c[B].routing("POST", f"/deliveries/{delivery_b}/ack")
        assert ack.status_code == 200 and ack.json()["state"] == "acknowledged"

    # every processing status travels back to the sender, in order, in +07:00
    for code in ("01", "03", "04", "05", "06"):
        r = c[B].routing("POST", f"/deliveries/{delivery_b}/statuses", json={"status_code": code,
                                                                            "description": f"bước {code}"})
        assert r.status_code == 201, r.text
    delivery_c = next(d["id"] for d in view if d["recipient_code"] == C)
    assert c[C].routing("POST", f"/deliveries/{delivery_c}/statuses", json={"status_code": "01"}).status_code == 201
    rejected = c[C].routing("POST", f"/deliveries/{delivery_c}/statuses",
                            json={"status_code": "02", "description": "Không đúng thẩm quyền"})
    assert rejected.json()["state"] == "rejected"

    # bad input: out of order, another agency's delivery, a document never received, a reason missing
    assert c[B].routing("POST", f"/deliveries/{delivery_b}/statuses", json={"status_code": "03"}).status_code == 409
    assert c[C].routing("POST", f"/deliveries/{delivery_b}/statuses", json={"status_code": "05"}).status_code == 403
    never = c[A].routing("POST", f"/documents/{doc}/statuses", json={"status_code": "01"})
    assert never.status_code == 403 and never.headers["content-type"] == "application/problem+json"
    assert c[D].routing("POST", f"/documents/{doc}/statuses", json={"status_code": "02"}).status_code == 422

    timeline = {d["recipient_code"]: d for d in c[A].deliveries(doc)}
    assert [s["status_code"] for s in timeline[B]["timeline"]] == ["01", "03", "04", "05", "06"]
    assert all(s["reported_at"].endswith("+07:00") for s in timeline[B]["timeline"])
    assert [s["status_code"] for s in timeline[C]["timeline"]] == ["01", "02"]

    # recall: refused as a whole while B is done (06); by a non-sender; then D alone, who agrees
    done = c[A].routing("POST", f"/documents/{doc}/recall", json={"reason": "Sai sót"})
    assert done.status_code == 409 and "06" in done.json()["detail"]
    assert c[B].routing("POST", f"/documents/{doc}/recall", json={"reason": "x"}).status_code == 403
    made = c[A].routing("POST", f"/documents/{doc}/recall", json={"reason": "Thu hồi để sửa đổi",
                                                                  "recipient_codes": [D]})
    assert made.status_code == 201 and made.json()[0]["pending"]
    assert c[D].routing("POST", f"/documents/{doc}/statuses", json={"status_code": "15"}).json()[0]["state"] \
        == "recalled"
    assert c[D].routing("GET", "/inbox").json()["items"] == []

    # a second document: recalled from both, one agrees, one refuses with a reason
    doc2 = c[A].send(A, [B, D], "102")
    eventually(lambda: len(c[A].deliveries(doc2)) == 2)
    assert c[A].routing("POST", f"/documents/{doc2}/statuses",
                        json={"status_code": "13", "description": "Thu hồi"}).status_code == 201
    pending = c[A].routing("GET", f"/documents/{doc2}/requests").json()
    assert {r["recipient_code"] for r in pending if r["pending"]} == {B, D}
    assert c[B].routing("POST", f"/documents/{doc2}/statuses", json={"status_code": "15"}).status_code == 201
    refused = c[D].routing("POST", f"/documents/{doc2}/statuses",
                           json={"status_code": "16", "description": "Đã triển khai thực hiện"})
    assert refused.status_code == 201
    outcomes = {r["recipient_code"]: r["outcome"] for r in c[A].routing("GET", f"/documents/{doc2}/requests").json()}
    assert outcomes == {B: "15", D: "16"}
    assert [d["document_id"] for d in c[D].routing("GET", "/inbox").json()["items"]] == [doc2]


def test_succession_delivers_to_the_successor_and_shows_both_codes(axis: Axis, tmp_path: Path) -> None:
    c = clients(axis, A, C)
    plan = tmp_path / "merge.json"
    plan.write_text(json.dumps({"rows": [{"action": "merge", "old_code": B, "new_code": C}]}), encoding="utf-8")
    axis.cli("registry", "plan", str(plan))
    doc = c[A].send(A, [B], "201")
    view = eventually(lambda: c[A].deliveries(doc))
    assert (view[0]["addressed_code"], view[0]["recipient_code"]) == (B, C)
    assert view[0]["succession_chain"] == [B, C]
    assert [d["document_id"] for d in c[C].routing("GET", "/inbox").json()["items"]] == [doc]
