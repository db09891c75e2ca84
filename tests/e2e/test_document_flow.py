"""The walking skeleton's proof: one signed document through all six services, in both run modes.

Agency A submits a PDF signed with a test certificate to B and C; B and C see it in
their inboxes; B answers "accepted" (03); A sees B's status; the archive holds one
record with a correct checksum; reporting counts 1 sent by A, 1 received by each of
B and C, 1 signed.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import httpx
import pytest

from lienthong.signing.adapters.dev_pki import minimal_pdf, sign_pdf
from lienthong.testing.axis import Axis, eventually

pytestmark = pytest.mark.e2e

A, B, C = "000.00.11.H99", "000.00.12.H99", "000.00.13.H99"


def test_signed_document_travels_through_all_six_services(axis: Axis, pki: Path) -> None:
    tokens = {code: axis.token(axis.cli("registry", "add-client", "--name", f"QLVB {code}", "--agency", code))
              for code in (A, B, C)}
    operator = axis.token(axis.cli("registry", "add-client", "--name", "Sở TT&TT", "--operator"))
    auth = {code: {"Authorization": f"Bearer {t}"} for code, t in tokens.items()}
    signed_pdf = sign_pdf(minimal_pdf("Quyết định số 15/QĐ-STC"), pki, who="person")
    metadata = {"sender_code": A, "recipient_codes": [B, C], "code_number": "15", "code_notation": "QĐ-STC",
                "subject": "Về việc phân bổ kinh phí năm 2026", "document_type": "Quyết định",
                "promulgation_date": "2026-11-25", "signer_name": "Nguyễn Văn An"}

    # A forging B's sender code is refused and changes nothing
    forged = httpx.post(axis.url("documents", "/api/v1/documents"), headers=auth[A], timeout=30,
                        data={"metadata": json.dumps({**metadata, "sender_code": B, "recipient_codes": [C]})},
                        files={"file": ("qd.pdf", signed_pdf, "application/pdf")})
    assert forged.status_code == 403 and forged.headers["content-type"] == "application/problem+json"

    started = time.monotonic()
    resp = httpx.post(axis.url("documents", "/api/v1/documents"), headers={**auth[A], "Idempotency-Key": "k1"},
                      data={"metadata": json.dumps(metadata, ensure_ascii=False)},
                      files={"file": ("15-QĐ-STC.pdf", signed_pdf, "application/pdf")}, timeout=60)
    assert resp.status_code == 201, resp.text
    document = resp.json()
    assert document["identifier"].startswith(f"{A}-") and document["identifier"].endswith(".1")
    assert document["signature"]["signed"] and document["signature"]["indication"] == "TOTAL_PASSED"
    digest = document["attachments"][0]["sha256"]
    assert digest == hashlib.sha256(signed_pdf).hexdigest()

    def inbox_of(code: str) -> list[dict]:
        r = httpx.get(axis.url("routing", "/api/v1/routing/inbox"), headers=auth[code], timeout=10)
        r.raise_for_status()
        return [d for d in r.json()["items"] if d["document_id"] == document["id"]]

    delivery_b = eventually(lambda: inbox_of(B))[0]
    delivery_c = eventually(lambda: inbox_of(C))[0]
    assert delivery_b["state"] == delivery_c["state"] == "available"
    assert inbox_of(A) == []

    # B downloads the package, acknowledges and accepts it
    got = httpx.get(axis.url("documents", f"/api/v1/documents/{document['id']}/attachments/{digest}"),
                    headers=auth[B], timeout=30)
    assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == digest
    ack = httpx.post(axis.url("routing", f"/api/v1/routing/deliveries/{delivery_b['id']}/ack"), headers=auth[B])
    assert ack.status_code == 200 and ack.json()["state"] == "acknowledged"
    # C may not answer for B
    stolen = httpx.post(axis.url("routing", f"/api/v1/routing/deliveries/{delivery_b['id']}/statuses"),
                        headers=auth[C], json={"status_code": "03"})
    assert stolen.status_code == 403
    accepted = httpx.post(axis.url("routing", f"/api/v1/routing/deliveries/{delivery_b['id']}/statuses"),
                          headers=auth[B], json={"status_code": "03", "description": "Đã vào sổ văn bản đến"})
    assert accepted.status_code == 201, accepted.text

    # A sees B's status
    view = httpx.get(axis.url("routing", f"/api/v1/routing/documents/{document['id']}/deliveries"),
                     headers=auth[A]).json()
    by_recipient = {d["recipient_code"]: d for d in view}
    assert by_recipient[B]["status_code"] == "03" and by_recipient[B]["timeline"][0]["reported_by"] == B
    assert by_recipient[C]["status_code"] == ""

    # the archive holds one record with a correct checksum
    def archived() -> list[dict]:
        r = httpx.get(axis.url("archive", "/api/v1/archive/records"), params={"document_id": document["id"]},
                      headers={"Authorization": f"Bearer {operator}"}, timeout=10)
        r.raise_for_status()
        return r.json()["items"]

    records = eventually(archived)
    assert len(records) == 1
    package = httpx.get(axis.url("archive", f"/api/v1/archive/records/{records[0]['id']}/package"),
                        headers={"Authorization": f"Bearer {operator}"}, timeout=30)
    assert package.status_code == 200
    assert hashlib.sha256(package.content).hexdigest() == records[0]["package_sha256"]
    fixity = httpx.post(axis.url("archive", f"/api/v1/archive/records/{records[0]['id']}/fixity-check"),
                        headers={"Authorization": f"Bearer {operator}"}, timeout=30)
    assert fixity.status_code == 200 and fixity.json()["intact"] is True

    # reporting: 1 sent by A, 1 received by each of B and C, 1 signed
    def counts(code: str) -> dict:
        r = httpx.get(axis.url("reporting", f"/api/v1/reporting/agencies/{code}/counts"), headers=auth[code])
        return r.json() if r.status_code == 200 else {}

    eventually(lambda: counts(A).get("sent") == 1 and counts(B).get("received") == 1
               and counts(C).get("received") == 1)
    assert counts(A)["signed"] == 1 and counts(A)["received"] == 0
    print(f"\n[e2e] {axis.mode}: submit -> inboxes -> status -> archive -> reports in "
          f"{time.monotonic() - started:.2f}s")

    # the same Idempotency-Key replays the same document instead of sending it twice
    replay = httpx.post(axis.url("documents", "/api/v1/documents"), headers={**auth[A], "Idempotency-Key": "k1"},
                        data={"metadata": json.dumps(metadata, ensure_ascii=False)},
                        files={"file": ("15-QĐ-STC.pdf", signed_pdf, "application/pdf")}, timeout=60)
    assert replay.status_code == 200 and replay.json()["id"] == document["id"]
