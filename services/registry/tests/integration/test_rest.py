"""The registry's REST API on loopback HTTP with its own tokens: who may do what, problem+json errors,
plans, import/export, the numbering report and the audit log."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import jwt
import pytest
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from lienthong.platform.auth import TokenVerifier
from lienthong.platform.http import create_app
from lienthong.registry.entrypoints.rest import JWT_BEARER, router
from lienthong.testing.net import free_port

FINANCE, HOME = "000.00.11.H99", "000.00.12.H99"


@dataclass
class Api:
    base: str
    registry: object

    def client(self, *agencies: str, operator: bool = False) -> dict[str, str]:
        creds = self.registry.identities.add_client(name="test", agency_codes=list(agencies),  # type: ignore[attr-defined]
                                                    operator=operator)
        resp = httpx.post(self.base + "/oauth2/token", data={"grant_type": "client_credentials",
                                                             "client_id": creds.client_id,
                                                             "client_secret": creds.client_secret})
        resp.raise_for_status()
        return {"Authorization": f"Bearer {resp.json()['access_token']}"}


@pytest.fixture
def api(registry) -> Iterator[Api]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app(title="registry", routers=[router(registry)],
                     verifier=TokenVerifier(base + "/.well-known/jwks.json", issuer="lienthong", audience="lienthong"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield Api(base, registry)
    server.should_exit = True
    thread.join(5)


def test_only_operators_change_the_directory(api: Api) -> None:
    agency, operator = api.client(FINANCE), api.client(operator=True)
    body = {"name": "Sở Tài chính và Kế hoạch tỉnh Mẫu"}
    refused = httpx.post(f"{api.base}/api/v1/registry/agencies/{FINANCE}/rename", json=body, headers=agency)
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    assert httpx.get(f"{api.base}/api/v1/registry/agencies/{FINANCE}").status_code == 401
    done = httpx.post(f"{api.base}/api/v1/registry/agencies/{FINANCE}/rename", json=body, headers=operator)
    assert done.status_code == 200 and done.json()["name"] == body["name"]
    again = httpx.post(f"{api.base}/api/v1/registry/agencies/{FINANCE}/rename", json=body, headers=operator)
    assert again.status_code == 422 and "changes nothing" in again.text
    old = httpx.get(f"{api.base}/api/v1/registry/agencies/{FINANCE}",
                    params={"at": "2026-01-01T00:00:00+07:00"}, headers=agency).json()
    assert old["name"] == "Sở Tài chính tỉnh Mẫu"
    found = httpx.get(f"{api.base}/api/v1/registry/search", params={"q": "ke hoach tai chinh"}, headers=agency)
    assert found.json()[0]["code"] == FINANCE
    audit = httpx.get(f"{api.base}/api/v1/registry/audit", headers=operator).json()
    assert [e["action"] for e in audit][-1] == "agency.rename" and audit[-1]["actor"].startswith("operator:")
    assert httpx.get(f"{api.base}/api/v1/registry/audit", headers=agency).status_code == 403
    assert httpx.get(f"{api.base}/api/v1/registry/audit/verification", headers=operator).json()["intact"]


def test_plans_dry_run_lists_every_error_and_applies(api: Api) -> None:
    operator = api.client(operator=True)
    csv = ("action,old_code,new_code,name,level,takes_incoming\n"
           "merge,000.00.52.H99,000.00.51.H99,,,\n"
           "dissolve,000.00.52.H99,000.00.13.H99,,,\n"
           "create,,000.00.12.h99,Sai mã,province,\n")
    plan = {"csv": csv, "effective_at": "2026-12-01T00:00:00+07:00", "dry_run": True}
    dry = httpx.post(f"{api.base}/api/v1/registry/plans", json=plan, headers=operator)
    assert dry.status_code == 200 and len(dry.json()["errors"]) == 2
    bad = httpx.post(f"{api.base}/api/v1/registry/plans", json={**plan, "dry_run": False}, headers=operator)
    assert bad.status_code == 422 and len(bad.json()["errors"]) == 2
    good = {"rows": [{"action": "merge", "old_code": "000.00.52.H99", "new_code": "000.00.51.H99"}],
            "effective_at": "2099-01-01T00:00:00+07:00"}
    stored = httpx.post(f"{api.base}/api/v1/registry/plans", json=good, headers=operator)
    assert stored.status_code == 201 and stored.json()["status"] == "pending"
    early = httpx.post(f"{api.base}/api/v1/registry/plans/{stored.json()['plan_id']}/apply", headers=operator)
    assert early.status_code == 409


def test_import_export_and_numbering_report(api: Api, registry) -> None:
    operator, finance = api.client(operator=True), api.client(FINANCE)
    exported = httpx.get(f"{api.base}/api/v1/registry/export", params={"format": "csv"}, headers=operator)
    assert exported.status_code == 200 and exported.text.startswith("code,name,short_name,parent_code")
    dry = httpx.post(f"{api.base}/api/v1/registry/import", json={"csv": exported.text, "dry_run": True},
                     headers=operator)
    assert dry.status_code == 200 and (dry.json()["added"], dry.json()["updated"]) == (0, 0)
    number = registry.numbering.issue(FINANCE).identifier
    registry.numbering.issue(FINANCE)
    registry.numbering.void(number, reason="nhập sai")
    report = httpx.get(f"{api.base}/api/v1/registry/numbering/report", params={"agency_code": FINANCE},
                       headers=finance).json()
    [seq] = report["sequences"]
    assert report["gapless"] and seq["voided"] == 1 and seq["reserved"] == [2] and seq["missing"] == []
    assert httpx.get(f"{api.base}/api/v1/registry/numbering/report", params={"agency_code": HOME},
                     headers=finance).status_code == 403


def test_agencies_manage_only_their_own_systems(api: Api) -> None:
    finance, home, operator = api.client(FINANCE), api.client(HOME), api.client(operator=True)
    created = httpx.post(f"{api.base}/api/v1/registry/systems", headers=finance,
                         json={"owner_agency": FINANCE, "name": "QLVB STC", "vendor": "VNPT"})
    assert created.status_code == 201 and len(created.json()["secret"]) == 44
    system_id = created.json()["system"]["system_id"]
    assert httpx.post(f"{api.base}/api/v1/registry/systems", headers=finance,
                      json={"owner_agency": HOME, "name": "not mine"}).status_code == 403
    assert httpx.get(f"{api.base}/api/v1/registry/systems/{system_id}", headers=home).status_code == 403
    assert httpx.get(f"{api.base}/api/v1/registry/systems", headers=home).json() == []
    patched = httpx.patch(f"{api.base}/api/v1/registry/systems/{system_id}", headers=finance,
                          json={"push_endpoint": "https://qlvb.stc.example/push"})
    assert patched.status_code == 200 and patched.json()["push_endpoint"].endswith("/push")
    assert httpx.patch(f"{api.base}/api/v1/registry/systems/{system_id}", headers=finance,
                       json={"push_endpoint": "ftp://x"}).status_code == 422
    rotated = httpx.post(f"{api.base}/api/v1/registry/systems/{system_id}/rotate-secret", headers=finance)
    assert rotated.status_code == 200 and rotated.json()["secret"] != created.json()["secret"]
    assert [s["system_id"] for s in httpx.get(f"{api.base}/api/v1/registry/systems", headers=operator).json()] \
        == [system_id]


def test_private_key_jwt_client_authentication(api: Api, registry) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    creds = registry.identities.register_system(owner_agency=FINANCE, name="QLVB STC", public_key_pem=public_pem,
                                                actor="t")
    endpoint = f"{api.base}/oauth2/token"

    def assertion(signer: ec.EllipticCurvePrivateKey = key, lifetime: int = 60, jti: str | None = None) -> str:
        now = int(time.time())
        return jwt.encode({"iss": creds.client_id, "sub": creds.client_id, "aud": endpoint, "iat": now,
                           "exp": now + lifetime, "jti": jti or uuid.uuid4().hex}, signer, algorithm="ES256")

    def ask(client_assertion: str) -> httpx.Response:
        return httpx.post(endpoint, data={"grant_type": "client_credentials", "client_assertion": client_assertion,
                                          "client_assertion_type": JWT_BEARER})

    first = assertion()
    granted = ask(first)
    assert granted.status_code == 200, granted.text
    claims = jwt.decode(granted.json()["access_token"], options={"verify_signature": False})
    assert claims["agencies"] == [FINANCE] and claims["sub"] == creds.client_id
    assert ask(first).status_code == 401  # replayed
    assert ask(assertion(ec.generate_private_key(ec.SECP256R1()))).status_code == 401  # wrong key
    assert ask(assertion(lifetime=3600)).status_code == 401  # too long-lived


def test_operator_updates_contact_and_serving_node(api: Api) -> None:
    operator = api.client(operator=True)
    url = f"{api.base}/api/v1/registry/agencies/{HOME}"
    patched = httpx.patch(url, json={"contact": {"email": "snv@mau.gov.vn"}, "kind": "department"},
                          headers=operator)
    assert patched.status_code == 200 and patched.json()["contact"]["email"] == "snv@mau.gov.vn"
    assert httpx.patch(url, json={"kind": "department"}, headers=operator).status_code == 422  # changes nothing
    assert httpx.patch(url, json={"served_by": "national"}, headers=operator).json()["served_by"] == "national"
    assert httpx.patch(url, json={"level": ""}, headers=operator).status_code == 422
    assert httpx.patch(url, json={"kind": "x"}, headers=api.client(HOME)).status_code == 403
