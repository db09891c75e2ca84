"""Push to recipient systems' endpoints: real HTTP servers on loopback, signed requests verified with the
published key, retries, dead letters and re-drive, isolation of a hanging endpoint."""

from __future__ import annotations

import base64
import json
import time
from functools import partial

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lienthong.routing.adapters.push_http import verify_push
from lienthong.testing.axis import eventually as wait_until

FINANCE, HOME, HEALTH, EDUCATION = "000.00.11.H99", "000.00.12.H99", "000.00.13.H99", "000.00.14.H99"


eventually = partial(wait_until, timeout_s=20.0, interval_s=0.05)  # in-process: quicker than e2e


def delivery_of(h, tokens, document_id, recipient):
    r = h.client.get(f"/api/v1/routing/documents/{document_id}/deliveries", headers=tokens.headers(FINANCE))
    found = [d for d in r.json() if d["recipient_code"] == recipient] if r.status_code == 200 else []
    return found[0] if found else None


def in_state(h, tokens, document_id, recipient, state):
    def check():
        d = delivery_of(h, tokens, document_id, recipient)
        return d if d and d["state"] == state else None
    return eventually(check)


def test_a_push_is_signed_with_the_axis_key_and_verifiable(make_harness, tokens, push_endpoint):
    hook = push_endpoint()
    h = make_harness()
    h.registry.push[HOME] = [hook.url]
    doc = h.submit(FINANCE, [HOME, HEALTH])
    pushed = in_state(h, tokens, doc, HOME, "pushed")
    assert pushed["channel"] == "push"
    assert delivery_of(h, tokens, doc, HEALTH)["state"] == "available"  # no endpoint: pull
    headers, body, _ = hook.received[0]
    envelope = json.loads(body)
    assert envelope["delivery"]["id"] == pushed["id"] and envelope["document"]["id"] == doc
    assert envelope["links"]["ack"].endswith(f"/api/v1/routing/deliveries/{pushed['id']}/ack")
    jwk = h.client.get("/api/v1/routing/push-key").json()
    public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(jwk["x"] + "=="))
    request = httpx.Request("POST", hook.url, headers=headers, content=body)
    verify_push(request, body, jwk["kid"], public)
    tampered = httpx.Request("POST", hook.url, headers=headers, content=body.replace(doc.encode(), b"x" * len(doc)))
    try:
        verify_push(tampered, tampered.content, jwk["kid"], public)
    except Exception as exc:  # noqa: BLE001 - any verification failure will do
        assert "digest" in str(exc).lower() or "signature" in str(exc).lower()
    else:
        raise AssertionError("a tampered body verified")
    # the recipient's system still acknowledges
    ack = h.client.post(f"/api/v1/routing/deliveries/{pushed['id']}/ack", headers=tokens.headers(HOME))
    assert ack.json()["state"] == "acknowledged"


def test_a_failing_endpoint_is_retried_until_it_recovers(make_harness, tokens, push_endpoint):
    hook = push_endpoint()
    hook.status = 500
    h = make_harness(push_max_attempts=50, push_breaker_threshold=100)
    h.registry.push[HOME] = [hook.url]
    doc = h.submit(FINANCE, [HOME])
    eventually(lambda: len(hook.received) >= 3)
    hook.status = 200
    pushed = in_state(h, tokens, doc, HOME, "pushed")
    detail = h.client.get(f"/api/v1/routing/deliveries/{pushed['id']}", headers=tokens.headers(FINANCE)).json()
    outcomes = [a["outcome"] for a in detail["push"]["history"]]
    assert outcomes[-1] == "HTTP 200" and outcomes[:3] == ["HTTP 500"] * 3
    assert detail["push"]["state"] == "pushed"


def test_dead_letter_falls_back_to_pull_and_operators_redrive(make_harness, tokens, push_endpoint):
    hook = push_endpoint()
    hook.status = 503
    h = make_harness(push_max_attempts=3)
    h.registry.push[HOME] = [hook.url]
    doc = h.submit(FINANCE, [HOME])
    dead = in_state(h, tokens, doc, HOME, "available")
    assert len(hook.received) == 3
    operator = tokens.headers(role="operator")
    letters = h.client.get("/api/v1/routing/dead-letters", headers=operator).json()["items"]
    assert [d["id"] for d in letters] == [dead["id"]]
    assert h.client.get("/api/v1/routing/dead-letters", headers=tokens.headers(HOME)).status_code == 403
    inspected = h.client.get(f"/api/v1/routing/deliveries/{dead['id']}", headers=operator).json()
    assert inspected["push"]["state"] == "dead" and inspected["push"]["last_error"] == "HTTP 503"
    assert len(inspected["push"]["history"]) == 3
    # the recipient can pull it meanwhile
    claimed = h.client.post("/api/v1/routing/inbox/claim", headers=tokens.headers(HOME)).json()
    assert [d["id"] for d in claimed] == [dead["id"]]
    # the endpoint recovers; an operator re-drives
    hook.status = 204
    assert h.client.post(f"/api/v1/routing/dead-letters/{dead['id']}/redrive",
                         headers=tokens.headers(HOME)).status_code == 403
    redriven = h.client.post(f"/api/v1/routing/dead-letters/{dead['id']}/redrive", headers=operator)
    assert redriven.status_code == 200 and redriven.json()["state"] == "queued"
    eventually(lambda: delivery_of(h, tokens, doc, HOME)["state"] == "pushed")
    assert h.client.get("/api/v1/routing/dead-letters", headers=operator).json()["items"] == []
    again = h.client.post(f"/api/v1/routing/dead-letters/{dead['id']}/redrive", headers=operator)
    assert again.status_code == 409


def test_a_hanging_endpoint_does_not_hold_up_the_others(make_harness, tokens, push_endpoint):
    slow, fast = push_endpoint(), push_endpoint()
    slow.delay_s = 3.0
    h = make_harness(push_timeout_s=0.5, push_per_endpoint_concurrency=2, push_workers=6, push_max_attempts=2)
    h.registry.push[HOME] = [slow.url]
    h.registry.push[HEALTH] = [fast.url]
    slow_docs = [h.submit(FINANCE, [HOME]) for _ in range(10)]
    time.sleep(0.3)  # the slow endpoint's requests are in flight
    started = time.monotonic()
    fast_docs = [h.submit(FINANCE, [HEALTH]) for _ in range(10)]
    for doc in fast_docs:
        eventually(lambda doc=doc: (delivery_of(h, tokens, doc, HEALTH) or {}).get("state") == "pushed")
    fast_elapsed = time.monotonic() - started
    assert len(fast.received) == 10
    # all slow ones end dead-lettered after bounded timeouts, none pushed
    for doc in slow_docs:
        eventually(lambda doc=doc: (delivery_of(h, tokens, doc, HOME) or {}).get("state") == "available",
                   timeout_s=60)
    print(f"\n[push] 10 pushes to a healthy endpoint beside a hanging one: {fast_elapsed:.2f}s")


def test_pushes_to_an_endpoint_whose_breaker_stays_open_give_up_and_fall_back_to_pull(make_harness, tokens,
                                                                                        push_endpoint):
    hook = push_endpoint()
    hook.delay_s = 5.0
    h = make_harness(push_timeout_s=0.3, push_breaker_threshold=1, push_breaker_cooldown_s=60,
                     push_max_attempts=100, push_give_up_s=2.0)
    h.registry.push[HOME] = [hook.url]
    docs = [h.submit(FINANCE, [HOME]) for _ in range(5)]
    for doc in docs:
        in_state(h, tokens, doc, HOME, "available")
    detail = h.client.get(f"/api/v1/routing/deliveries/{delivery_of(h, tokens, docs[-1], HOME)['id']}",
                          headers=tokens.headers(role="operator")).json()
    assert detail["push"]["state"] == "dead" and detail["push"]["last_error"].startswith("gave up after 2 s")
    assert len(hook.received) <= 1  # the breaker opened on the first timeout: no more requests
