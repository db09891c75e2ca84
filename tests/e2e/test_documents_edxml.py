"""edXML through the gateway paths of the embedded axis: submit, refuse, replay, rebuild, views, ranges.

The fixture packages under tests/fixtures/edxml travel as an agency system would send them.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from lienthong.edxml import DocumentPackage, parse
from lienthong.signing.adapters.dev_pki import generate_dev_pki, minimal_pdf, sign_pdf
from lienthong.testing.axis import Axis, embedded_axis

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "edxml"
SKHCN, TAN_PHU, STC = "000.00.07.H99", "000.00.31.H99", "000.00.11.H99"
XML = {"Content-Type": "application/xml"}


STUB_BASE64 = b"JVBERi0xLjcKJSBMaWVuVGhvbmcgZXhhbXBsZSBzdHViCg=="
"""The fixtures' 34-byte PDF stub: the axis' signing service refuses it as a malformed PDF."""
READABLE_PDF = minimal_pdf("Kế hoạch thử nghiệm (bản không ký)")


def fixture(name: str, *, pdf: bytes = READABLE_PDF) -> bytes:
    """A fixture package, its PDF stub replaced by a readable PDF."""
    return (FIXTURES / name).read_bytes().replace(STUB_BASE64, base64.b64encode(pdf))


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pki")
    generate_dev_pki(out)
    return out


@pytest.fixture(scope="module")
def axis(tmp_path_factory: pytest.TempPathFactory, pki: Path) -> Iterator[Axis]:
    with embedded_axis(tmp_path_factory.mktemp("axis"), pki / "trust",
                       env={"LIENTHONG_DOCUMENTS_PAPER_DOCUMENT_TYPES": '["Quyết định"]'}) as running:
        yield running


@pytest.fixture(scope="module")
def auth(axis: Axis) -> dict[str, dict[str, str]]:
    return {code: {"Authorization": "Bearer " + axis.token(
        axis.cli("registry", "add-client", "--name", f"QLVB {code}", "--agency", code))}
        for code in (SKHCN, TAN_PHU, STC)}


def post_edxml(axis: Axis, headers: dict, raw: bytes) -> httpx.Response:
    return httpx.post(axis.url("documents", "/api/v1/documents/edxml"), headers={**headers, **XML}, content=raw,
                      timeout=60)


def outbox(axis: Axis, headers: dict, **params: str) -> list[dict]:
    r = httpx.get(axis.url("documents", "/api/v1/documents/outbox"), headers=headers, params=params, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["items"]


@pytest.mark.parametrize("name,status,fragment", [
    ("invalid_not_well_formed.edxml", 422, "not well-formed"),
    ("invalid_billion_laughs.edxml", 422, "DTDs are not allowed"),
    ("invalid_quadratic_blowup.edxml", 422, "DTDs are not allowed"),
    ("invalid_xxe.edxml", 422, "DTDs are not allowed"),
    ("invalid_deep_nesting.edxml", 422, "nested deeper"),
    ("invalid_bad_base64.edxml", 422, "base64"),
    ("invalid_wrong_namespace.edxml", 422, "namespace"),
    ("invalid_missing_required.edxml", 422, "not valid"),
    ("invalid_secret_mark.edxml", 422, "not valid"),
    ("invalid_manifest_without_attachment.edxml", 422, "not valid"),
    ("invalid_oversized_field.edxml", 422, "longer than"),
    ("valid_status_03.edxml", 422, "status package"),
])
def test_bad_packages_are_refused_with_problem_json_and_nothing_is_stored(
        axis: Axis, auth: dict, name: str, status: int, fragment: str) -> None:
    resp = post_edxml(axis, auth[SKHCN], fixture(name))
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    problem = resp.json()
    assert fragment in problem["detail"] and problem["errors"]
    assert all(d["edxml_document_id"] != "000.00.07.H99,2025/03/05,03/KH-SKHCN" or d["business_doc_type"] == 0
               for d in outbox(axis, auth[SKHCN]))


def test_an_edxml_document_goes_in_and_comes_back_out(axis: Axis, auth: dict, pki: Path) -> None:
    # a forged sender: the STC client sends the SKHCN package
    forged = post_edxml(axis, auth[STC], fixture("valid_new_document.edxml"))
    assert forged.status_code == 403 and forged.headers["content-type"] == "application/problem+json"
    unknown = post_edxml(axis, auth[SKHCN], fixture("valid_new_document.edxml").replace(
        b"000.00.31.H99", b"000.00.98.H99"))
    assert unknown.status_code == 422
    assert "000.00.98.H99" in json.dumps(unknown.json()["errors"], ensure_ascii=False)

    signed = sign_pdf(minimal_pdf("Kế hoạch 03/KH-SKHCN"), pki, who="person")
    raw = fixture("valid_new_document.edxml", pdf=signed)
    created = post_edxml(axis, {**auth[SKHCN], "Idempotency-Key": "edxml-1"}, raw)
    assert created.status_code == 201, created.text
    document = created.json()
    assert document["edxml_document_id"] == "000.00.07.H99,2025/03/05,03/KH-SKHCN"
    assert document["signature"]["indication"] == "TOTAL_PASSED" and not document["for_information_only"]
    assert document["has_original_package"] and document["business_doc_type"] == 0
    [attachment] = document["attachments"]
    assert attachment["sha256"] == hashlib.sha256(signed).hexdigest()

    # the same sender and DocumentId again (no key): the first document, not a second one
    again = post_edxml(axis, auth[SKHCN], raw)
    assert again.status_code == 200 and again.json()["id"] == document["id"]

    base = axis.url("documents", f"/api/v1/documents/{document['id']}")
    original = httpx.get(base + "/package", headers=auth[TAN_PHU], timeout=30)
    assert original.status_code == 200 and original.content == raw
    rebuilt = httpx.get(base + "/edxml", headers=auth[TAN_PHU], timeout=30)
    assert rebuilt.status_code == 200
    package = parse(rebuilt.content).package
    assert isinstance(package, DocumentPackage)
    assert package.header == parse(raw).package.header  # type: ignore[union-attr]
    part = httpx.get(base + f"/attachments/{attachment['sha256']}", timeout=30,
                     headers={**auth[TAN_PHU], "Range": "bytes=5-104"})
    assert part.status_code == 206 and part.content == signed[5:105]
    assert part.headers["content-range"] == f"bytes 5-104/{len(signed)}"
    tail = httpx.get(base + f"/attachments/{attachment['sha256']}", timeout=30,
                     headers={**auth[TAN_PHU], "Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == signed[-10:]
    assert httpx.get(base, headers=auth[STC], timeout=10).status_code == 403

    # an update referring to it
    update = post_edxml(axis, auth[SKHCN], fixture("valid_update.edxml"))
    assert update.status_code == 201, update.text
    assert update.json()["refers_to_ids"] == [document["id"]] and update.json()["business_doc_type"] == 2

    # views: the sender's outbox, the recipient's inbox, search without diacritics
    assert [d["id"] for d in outbox(axis, auth[SKHCN], q="ke hoach thu nghiem")][-1] == document["id"]
    assert outbox(axis, auth[SKHCN], q="KH-SKHCN", business_doc_type="2")[0]["id"] == update.json()["id"]
    inbox = httpx.get(axis.url("documents", "/api/v1/documents/inbox"), headers=auth[TAN_PHU],
                      params={"signed": "true", "limit": "1"}, timeout=30).json()
    assert inbox["items"][0]["id"] == document["id"]


def test_json_model_and_several_attachments(axis: Axis, auth: dict) -> None:
    package = parse(fixture("valid_replace.edxml")).package
    model = package.model_dump(mode="json", by_alias=True, exclude={"attachments", "kind"})
    model["header"]["code"]["code_number"] = "08"
    model["header"]["document_id"] = "000.00.07.H99,2025/03/12,08/KH-SKHCN"
    model["trace_header_list"]["bussiness"] = {"bussiness_doc_type": 0, "paper": 1}
    files = [("file", ("08-KH.pdf", READABLE_PDF, "application/pdf")),
             ("file", ("bảng kê.csv", "mã,tên\n1,Sở\n".encode(), "text/csv")),
             ("file", ("ảnh.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"))]
    resp = httpx.post(axis.url("documents", "/api/v1/documents"), headers=auth[SKHCN], timeout=60,
                      data={"metadata": json.dumps(model, ensure_ascii=False)}, files=files)
    assert resp.status_code == 201, resp.text
    document = resp.json()
    assert [a["media_type"] for a in document["attachments"]] == ["application/pdf", "text/plain", "image/png"]
    assert document["issuance_form"] == "electronic+paper" and document["for_information_only"]
    renamed = httpx.post(axis.url("documents", "/api/v1/documents"), headers=auth[SKHCN], timeout=60,
                         data={"metadata": json.dumps({**model, "header": {**model["header"], "document_id": "x"}},
                                                      ensure_ascii=False)},
                         files=[("file", ("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "application/pdf"))])
    assert renamed.status_code == 422 and "not an allowed format" in renamed.text
    as_json = httpx.post(axis.url("documents", "/api/v1/documents/json"), headers=auth[SKHCN], timeout=60, json={
        **model, "header": {**model["header"], "code": {"code_number": "09", "code_notation": "KH-SKHCN"},
                               "document_id": "000.00.07.H99,2025/03/12,09/KH-SKHCN"},
        "attachments": [{"attachment_name": "09-KH.pdf", "content_base64": base64.b64encode(READABLE_PDF).decode()}]})
    assert as_json.status_code == 201, as_json.text
    rebuilt = httpx.get(axis.url("documents", f"/api/v1/documents/{as_json.json()['id']}/edxml"),
                        headers=auth[TAN_PHU], timeout=30)
    assert parse(rebuilt.content).package.header.code.full == "09/KH-SKHCN"  # type: ignore[union-attr]
    stub = post_edxml(axis, auth[SKHCN], (FIXTURES / "valid_new_document.edxml").read_bytes().replace(
        b"03/KH-SKHCN</edXML:DocumentId>", b"04/KH-SKHCN</edXML:DocumentId>").replace(
        b"<edXML:CodeNumber>03", b"<edXML:CodeNumber>04"))
    assert stub.status_code == 422 and stub.json()["errors"][0]["path"] == "attachments[0]"
