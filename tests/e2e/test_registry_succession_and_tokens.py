"""Registry end to end (embedded axis as a process): a document addressed to a merged agency's old code
reaches its successor's inbox; registry tokens are accepted by the documents API, refused after expiry and
refused for another agency's sender code."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from lienthong.signing.adapters.dev_pki import minimal_pdf, sign_pdf
from lienthong.testing.axis import Axis, embedded_axis, eventually

pytestmark = pytest.mark.e2e

FINANCE, HOME = "000.00.11.H99", "000.00.12.H99"
HOA_BINH, THANG_LOI, TAN_PHU = "000.00.51.H99", "000.00.52.H99", "000.00.31.H99"
TOKEN_TTL_S = 2
VERIFIER_LEEWAY_S = 1  # LIENTHONG_JWT_LEEWAY_S: the verifiers' clock-skew allowance


@pytest.fixture
def axis(tmp_path: Path, pki: Path) -> Iterator[Axis]:
    with embedded_axis(tmp_path, pki / "trust", env={"LIENTHONG_REGISTRY_TOKEN_TTL_S": str(TOKEN_TTL_S),
                                                      "LIENTHONG_JWT_LEEWAY_S": str(VERIFIER_LEEWAY_S)}) as running:
        yield running


def submit(axis: Axis, token: str, pki: Path, sender: str, recipients: list[str],
           number: str = "07") -> httpx.Response:
    metadata = {"sender_code": sender, "recipient_codes": recipients, "code_number": number,
                "code_notation": "TB-STC", "subject": "Thông báo lịch họp giao ban", "document_type": "Thông báo",
                "promulgation_date": "2026-11-25", "signer_name": "Trần Thị Bình"}
    pdf = sign_pdf(minimal_pdf("Thông báo số 07/TB-STC"), pki, who="person")
    return httpx.post(axis.url("documents", "/api/v1/documents"), headers={"Authorization": f"Bearer {token}"},
                      data={"metadata": json.dumps(metadata, ensure_ascii=False)},
                      files={"file": ("07-TB-STC.pdf", pdf, "application/pdf")}, timeout=60)


def test_merged_agency_mail_reaches_successor_and_tokens_are_checked(axis: Axis, pki: Path) -> None:
    finance = axis.cli("registry", "add-client", "--name", "QLVB Sở Tài chính", "--agency", FINANCE)
    commune = axis.cli("systems", "add", "--agency", HOA_BINH, "--name", "QLVB UBND xã Hòa Bình")
    assert set(commune) >= {"system_id", "secret", "client_id", "client_secret"}
    operator = axis.cli("registry", "add-client", "--name", "Sở KH&CN (vận hành)", "--operator")

    def bearer(client: dict) -> dict[str, str]:
        return {"Authorization": f"Bearer {axis.token(client)}"}

    # an agency may not change the directory; an operator merges two communes into Hòa Bình
    merge = {"codes": [THANG_LOI, TAN_PHU], "successor_code": HOA_BINH}
    refused = httpx.post(axis.url("registry", "/api/v1/registry/merges"), json=merge, headers=bearer(finance))
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    merged = httpx.post(axis.url("registry", "/api/v1/registry/merges"), json=merge, headers=bearer(operator))
    assert merged.status_code == 200, merged.text
    resolution = httpx.get(axis.url("registry", f"/api/v1/registry/agencies/{THANG_LOI}/resolution"),
                           headers=bearer(finance)).json()
    assert resolution["agency"]["code"] == HOA_BINH and resolution["steps"][0]["change"] == "merge"
    audit = httpx.get(axis.url("registry", "/api/v1/registry/audit"), headers=bearer(operator)).json()
    assert any(e["action"] == "agency.merge" for e in audit)

    # a document addressed to the old code is delivered to the successor's inbox
    sent = submit(axis, axis.token(finance), pki, FINANCE, [THANG_LOI])
    assert sent.status_code == 201, sent.text
    document = sent.json()

    def inbox(client: dict) -> list[dict]:
        r = httpx.get(axis.url("routing", "/api/v1/routing/inbox"), headers=bearer(client), timeout=10)
        r.raise_for_status()
        return [d for d in r.json()["items"] if d["document_id"] == document["id"]]

    delivery = eventually(lambda: inbox(commune))[0]
    assert delivery["state"] == "available"

    # the registry's token is accepted, refused for another agency's sender code, refused once expired
    token = axis.token(finance)
    forged = submit(axis, token, pki, HOME, [HOA_BINH])
    assert forged.status_code == 403 and forged.headers["content-type"] == "application/problem+json"
    time.sleep(TOKEN_TTL_S + VERIFIER_LEEWAY_S + 1)
    expired = submit(axis, token, pki, FINANCE, [HOA_BINH])
    assert expired.status_code == 401 and "expired" in expired.json()["detail"].lower()
    assert submit(axis, axis.token(finance), pki, FINANCE, [HOA_BINH], number="08").status_code == 201
