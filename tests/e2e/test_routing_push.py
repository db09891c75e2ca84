"""Push end to end: agency systems registered with push endpoints (real HTTP servers in the test), one
failing then recovering, one failing until dead-lettered and re-driven by an operator; every push is
verified against the axis' published key (RFC 9421)."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lienthong.routing.adapters.push_http import verify_push
from lienthong.signing.adapters.dev_pki import minimal_pdf
from lienthong.testing.axis import Axis, eventually
from lienthong.testing.net import free_port

pytestmark = pytest.mark.e2e

A, B, C = "000.00.11.H99", "000.00.12.H99", "000.00.13.H99"


class Webhook:
    """A recipient system's push endpoint: answers the scripted statuses in turn (then the last one)."""

    def __init__(self, statuses: list[int]):
        self.statuses = statuses
        self.received: list[tuple[dict[str, str], bytes]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                hook.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = hook.statuses[min(len(hook.received), len(hook.statuses)) - 1]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/lienthong/inbox"


def test_push_recovers_dead_letters_and_redrives(axis: Axis) -> None:
    recovering, dead = Webhook([500, 500, 204]), Webhook([503])
    try:
        sender = axis.token(axis.cli("registry", "add-client", "--name", "QLVB A", "--agency", A))
        operator = axis.token(axis.cli("registry", "add-client", "--name", "Sở TT&TT", "--operator"))
        systems = {code: axis.cli("systems", "add", "--agency", code, "--name", f"QLVB {code}",
                                  "--push-endpoint", hook.url) for code, hook in ((B, recovering), (C, dead))}
        tokens = {code: axis.token(s) for code, s in systems.items()}
        auth = {A: {"Authorization": f"Bearer {sender}"}, "op": {"Authorization": f"Bearer {operator}"},
                **{code: {"Authorization": f"Bearer {t}"} for code, t in tokens.items()}}
        metadata = {"sender_code": A, "recipient_codes": [B, C], "code_number": "301", "code_notation": "TB-STC",
                    "subject": "Thông báo lịch họp", "document_type": "Thông báo", "promulgation_date": "2026-11-25",
                    "signer_name": "Lê Thị Cúc"}
        r = httpx.post(axis.url("documents", "/api/v1/documents"), headers=auth[A], timeout=60,
                       data={"metadata": json.dumps(metadata, ensure_ascii=False)},
                       files={"file": ("tb.pdf", minimal_pdf("Thông báo 301"), "application/pdf")})
        assert r.status_code == 201, r.text
        doc = r.json()["id"]

        def view() -> dict[str, dict]:
            got = httpx.get(axis.url("routing", f"/api/v1/routing/documents/{doc}/deliveries"), headers=auth[A])
            return {d["recipient_code"]: d for d in got.json()} if got.status_code == 200 else {}

        # B's endpoint fails twice, then takes it: pushed, and the push verifies with the axis' key
        eventually(lambda: view().get(B, {}).get("state") == "pushed", timeout_s=120)
        assert len(recovering.received) == 3
        jwk = httpx.get(axis.url("routing", "/api/v1/routing/push-key")).json()
        public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(jwk["x"] + "=="))
        headers, body = recovering.received[-1]
        verify_push(httpx.Request("POST", recovering.url, headers=headers, content=body), body, jwk["kid"], public)
        assert json.loads(body)["document"]["id"] == doc
        delivery_b = view()[B]["id"]
        ack = httpx.post(axis.url("routing", f"/api/v1/routing/deliveries/{delivery_b}/ack"), headers=auth[B])
        assert ack.json()["state"] == "acknowledged"

        # C's endpoint never takes it: dead-lettered, it falls back to C's inbox
        eventually(lambda: view().get(C, {}).get("state") == "available", timeout_s=180)
        letters = httpx.get(axis.url("routing", "/api/v1/routing/dead-letters"), headers=auth["op"]).json()["items"]
        delivery_c = view()[C]["id"]
        assert [d["id"] for d in letters] == [delivery_c]
        detail = httpx.get(axis.url("routing", f"/api/v1/routing/deliveries/{delivery_c}"), headers=auth["op"]).json()
        assert detail["push"]["state"] == "dead" and detail["push"]["history"][0]["outcome"] == "HTTP 503"
        inbox = httpx.get(axis.url("routing", "/api/v1/routing/inbox"), headers=auth[C]).json()["items"]
        assert [d["id"] for d in inbox] == [delivery_c]

        # the endpoint is repaired; an operator re-drives; the push goes through
        dead.statuses = [200]
        assert httpx.post(axis.url("routing", f"/api/v1/routing/dead-letters/{delivery_c}/redrive"),
                          headers=auth[C]).status_code == 403
        redriven = httpx.post(axis.url("routing", f"/api/v1/routing/dead-letters/{delivery_c}/redrive"),
                              headers=auth["op"])
        assert redriven.status_code == 200 and redriven.json()["state"] == "queued"
        eventually(lambda: view().get(C, {}).get("state") == "pushed", timeout_s=90)
    finally:
        recovering.server.shutdown()
        dead.server.shutdown()
