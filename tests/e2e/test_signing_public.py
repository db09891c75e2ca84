"""Signing end to end on the embedded axis (one ``lienthong run`` process) with a loopback dev CRL/OCSP/TSA:
public verification without an account, signing for an authorised agency, refusal for another one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from lienthong.signing.adapters.dev_pki import DevPki, generate_dev_pki, minimal_pdf, sign_pdf
from lienthong.signing.adapters.dev_services import serve_dev_pki
from lienthong.testing.axis import Axis, embedded_axis
from lienthong.testing.net import free_port

pytestmark = pytest.mark.e2e

A, B = "000.00.11.H99", "000.00.12.H99"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevPki]:
    pki = generate_dev_pki(tmp_path_factory.mktemp("pki"), base_url=f"http://127.0.0.1:{free_port()}")
    with serve_dev_pki(pki):
        yield pki


@pytest.fixture(scope="module")
def axis(tmp_path_factory: pytest.TempPathFactory, pki: DevPki) -> Iterator[Axis]:
    workdir = tmp_path_factory.mktemp("axis")
    keys = workdir / "keys.toml"
    keys.write_text(f"""
[[keys]]
id = "stc-seal"
role = "organisation"
agency_codes = ["{A}"]
backend = "pkcs12"
path = "{pki.p12_path('organisation')}"
passphrase_env = "LIENTHONG_E2E_P12"
chain = ["{pki.issuing.cert_path}"]
seal_image = "{pki.seal_image}"
""", encoding="utf-8")
    env = {"LIENTHONG_SIGNING_KEYS_FILE": str(keys), "LIENTHONG_SIGNING_TSA_URL": pki.tsa_url,
           "LIENTHONG_SIGNING_REVOCATION_MODE": "hard-fail", "LIENTHONG_SIGNING_ALLOW_FETCHING": "true",
           "LIENTHONG_E2E_P12": "lienthong-dev"}
    with embedded_axis(workdir, pki.trust_dir, env=env) as running:
        yield running


def validate(axis: Axis, pdf: bytes) -> httpx.Response:
    return httpx.post(axis.url("signing", "/api/v1/signatures/validate"),
                      files={"file": ("van-ban.pdf", pdf, "application/pdf")}, timeout=60)


def test_anyone_can_verify_a_signed_pdf(axis: Axis, pki: DevPki) -> None:
    signed = sign_pdf(minimal_pdf("Công văn số 15"), pki, "person", timestamp=True)
    resp = validate(axis, signed)
    assert resp.status_code == 200, resp.text
    report = resp.json()
    assert report["indication"] == "TOTAL_PASSED" and report["signatures"][0]["level"] == "B-T"
    assert any(c.startswith("revocation: NOT REVOKED") for c in report["signatures"][0]["checks"])
    tampered = validate(axis, signed.replace(b"Cong van so 15", b"Cong van so 16")).json()
    assert (tampered["indication"], tampered["signatures"][0]["sub_indication"]) == ("TOTAL_FAILED", "HASH_FAILURE")
    revoked = validate(axis, sign_pdf(minimal_pdf("x"), pki, "revoked", timestamp=True)).json()
    assert revoked["signatures"][0]["sub_indication"] == "REVOKED"
    not_pdf = validate(axis, b"GIF89a not a pdf")
    assert not_pdf.status_code == 422 and not_pdf.headers["content-type"].startswith("application/problem+json")


def test_an_agency_signs_with_its_own_key_only(axis: Axis, pki: DevPki) -> None:
    token_a = axis.token(axis.cli("registry", "add-client", "--name", "QLVB A", "--agency", A))
    token_b = axis.token(axis.cli("registry", "add-client", "--name", "QLVB B", "--agency", B))
    person_signed = sign_pdf(minimal_pdf("Quyết định số 7"), pki, "person", timestamp=True)
    url = axis.url("signing", "/api/v1/signatures/sign")
    files = {"file": ("qd.pdf", person_signed, "application/pdf")}
    refused = httpx.post(url, files=files, data={"key_id": "stc-seal"},
                         headers={"Authorization": f"Bearer {token_b}"}, timeout=60)
    assert refused.status_code == 403
    signed = httpx.post(url, files=files, data={"key_id": "stc-seal", "level": "B-LTA"},
                        headers={"Authorization": f"Bearer {token_a}"}, timeout=60)
    assert signed.status_code == 200, signed.text
    report = validate(axis, signed.content).json()
    assert [(s["field_name"], s["indication"], s["level"]) for s in report["signatures"]] == [
        ("Sig_CaNhan", "TOTAL_PASSED", "B-T"), ("Sig_ToChuc", "TOTAL_PASSED", "B-LTA")]
    audit = httpx.get(axis.url("signing", "/api/v1/signatures/audit"),
                      headers={"Authorization": f"Bearer {token_a}"}, timeout=10).json()
    assert [(a["operation"], a["outcome"], a["key_id"]) for a in audit] == [("sign", "done", "stc-seal")]
    assert [k["key_id"] for k in axis.cli("signing", "keys")] == ["stc-seal"]


def test_public_validate_refuses_oversized_uploads(axis: Axis, tmp_path: Path) -> None:
    big = b"%PDF-1.7\n" + bytes(51 * 1024 * 1024)
    assert validate(axis, big).status_code == 413
