"""Recipient groups end to end on the embedded axis with the sample province: the registry resolves
``group:departments``, documents validates it and stores it as written, routing fans out to every
department, members read the document through routing's word, outsiders cannot, bad groups are refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from lienthong.signing.adapters.dev_pki import minimal_pdf
from lienthong.testing.axis import Axis, embedded_axis, eventually

pytestmark = pytest.mark.e2e

SENDER = "000.00.11.H99"  # Sở Tài chính, itself a department
DEPARTMENTS = {f"000.00.{n:02d}.H99" for n in (*range(2, 15), 23, 24)}  # kind=department in the sample province
MEMBER = "000.00.12.H99"
OUTSIDER = "000.00.31.H99"  # a commune's People's Committee


@pytest.fixture
def axis(tmp_path: Path, trust: Path) -> Iterator[Axis]:
    with embedded_axis(tmp_path, trust) as running:
        yield running


def token(axis: Axis, *codes: str) -> dict[str, str]:
    args = [arg for code in codes for arg in ("--agency", code)]
    return {"Authorization": f"Bearer {axis.token(axis.cli('registry', 'add-client', '--name', 'QLVB', *args))}"}


def send(axis: Axis, headers: dict[str, str], recipients: list[str], number: str) -> httpx.Response:
    metadata = {"sender_code": SENDER, "recipient_codes": recipients, "code_number": number,
                "code_notation": "CV-STC", "subject": "Về việc gửi văn bản tới tất cả các sở",
                "document_type": "Công văn", "promulgation_date": "2026-11-25", "signer_name": "Trần Văn Bình"}
    return httpx.post(axis.url("documents", "/api/v1/documents"), headers=headers, timeout=60,
                      data={"metadata": json.dumps(metadata, ensure_ascii=False)},
                      files={"file": (f"{number}.pdf", minimal_pdf(f"Công văn {number}"), "application/pdf")})


def get(axis: Axis, service: str, path: str, headers: dict[str, str], **kw: Any) -> httpx.Response:
    return httpx.get(axis.url(service, path), headers=headers, timeout=30, **kw)


def test_a_document_to_a_group_reaches_every_member_and_only_them(axis: Axis) -> None:
    sender, member, outsider = token(axis, SENDER), token(axis, MEMBER), token(axis, OUTSIDER)
    departments = token(axis, *sorted(DEPARTMENTS - {SENDER}))

    sent = send(axis, sender, ["group:departments"], "301")
    assert sent.status_code == 201, sent.text
    document = sent.json()
    assert document["recipient_codes"] == ["group:departments"]  # stored as written

    # the sender's view lists the resolved recipients: every department but itself, through the group
    def resolved() -> list[dict] | None:
        r = get(axis, "routing", f"/api/v1/routing/documents/{document['id']}/deliveries", sender)
        return r.json() if r.status_code == 200 and len(r.json()) == len(DEPARTMENTS) - 1 else None
    view = eventually(resolved)
    assert {d["recipient_code"] for d in view} == DEPARTMENTS - {SENDER}
    assert all(d["via_group"] == "group:departments" and d["state"] == "available" for d in view)

    # every department finds it in its inbox; the sender and an outsider do not
    for code in sorted(DEPARTMENTS - {SENDER}):
        inbox = get(axis, "routing", "/api/v1/routing/inbox", {**departments, "X-Agency-Code": code}).json()
        assert [d["document_id"] for d in inbox["items"]] == [document["id"]], code
    assert get(axis, "routing", "/api/v1/routing/inbox", sender).json()["items"] == []
    assert get(axis, "routing", "/api/v1/routing/inbox", outsider).json()["items"] == []

    # a member reads the document and downloads the attachment; an outsider cannot
    attachment = document["attachments"][0]
    path = f"/api/v1/documents/{document['id']}/attachments/{attachment['sha256']}"
    assert get(axis, "documents", f"/api/v1/documents/{document['id']}", member).json()["id"] == document["id"]
    download = get(axis, "documents", path, member)
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert len(download.content) == attachment["size"]
    for refused in (get(axis, "documents", path, outsider),
                    get(axis, "documents", f"/api/v1/documents/{document['id']}/edxml", outsider)):
        assert refused.status_code in (403, 404)
        assert refused.headers["content-type"].startswith("application/problem+json")


def test_a_bad_group_is_refused_and_nothing_is_stored(axis: Axis) -> None:
    sender = token(axis, SENDER)
    for recipients, message in ((["group:everyone", MEMBER], "unknown recipient group"),
                                (["group:level=district"], "matches no active agency"),
                                (["group:parent=000.00.98.H99", "000.00.99.H99"], "matches no active agency")):
        r = send(axis, sender, recipients, "302")
        assert r.status_code in (400, 422), r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        errors = {e["path"]: e["message"] for e in r.json()["errors"]}
        assert message in errors["recipient_codes[0]"], errors
        if len(recipients) == 2 and recipients[1] != MEMBER:
            assert errors["recipient_codes[1]"] == f"agency {recipients[1]} is not in the registry"
    outbox = get(axis, "documents", "/api/v1/documents/outbox", sender).json()
    assert outbox["items"] == []
