"""The delivery lifecycle through the service built by its bootstrap: real SQLite and PostgreSQL, the
local event log, the REST API with real tokens, and a registry fake behind the Directory port."""

from __future__ import annotations

import time
from functools import partial

from lienthong.testing.axis import eventually as wait_until

FINANCE, HOME, HEALTH, EDUCATION = "000.00.11.H99", "000.00.12.H99", "000.00.13.H99", "000.00.14.H99"
COMMUNES = [f"000.{i // 100:02d}.{i % 100:02d}.H98" for i in range(1, 6)]  # as the registry fake holds them


eventually = partial(wait_until, timeout_s=20.0, interval_s=0.05)  # in-process: quicker than e2e


def deliveries(h, sender, document_id):
    r = h.client.get(f"/api/v1/routing/documents/{document_id}/deliveries", headers=h.tokens.headers(sender))
    return r.json() if r.status_code == 200 else []


def routed(h, sender, document_id, count):
    def complete():
        found = deliveries(h, sender, document_id)
        return found if len(found) == count else None
    return eventually(complete)


def test_fan_out_to_codes_groups_and_successors(make_harness, tokens):
    h = make_harness()
    h.tokens = tokens
    h.registry.add("000.00.15.H99", status="merged", successor=HEALTH)   # merged into Health
    doc = h.submit(FINANCE, [HOME, "000.00.15.H99", HEALTH, "group:communes", "group:departments"])
    found = routed(h, FINANCE, doc, 2 + len(COMMUNES) + 1)  # HOME, HEALTH (once), communes, EDUCATION
    by_recipient = {d["recipient_code"]: d for d in found}
    assert FINANCE not in by_recipient  # the sender is not its own recipient
    assert set(by_recipient) == {HOME, HEALTH, EDUCATION, *COMMUNES}
    health = by_recipient[HEALTH]
    assert health["addressed_code"] == "000.00.15.H99" and health["succession_chain"] == ["000.00.15.H99", HEALTH]
    assert by_recipient[COMMUNES[0]]["via_group"] == "group:communes"
    assert by_recipient[EDUCATION]["via_group"] == "group:departments"
    assert all(d["state"] == "available" and d["updated_at"].endswith("+07:00") for d in found)

    # resolutions are cached; a registry event forgets them
    resolves = h.registry.calls["resolve_recipients"]
    routed(h, FINANCE, h.submit(FINANCE, [HOME]), 1)
    assert h.registry.calls["resolve_recipients"] == resolves
    h.registry_changed(HOME)
    time.sleep(0.5)
    routed(h, FINANCE, h.submit(FINANCE, [HOME]), 1)
    assert h.registry.calls["resolve_recipients"] == resolves + 1

    # the successor sees the document in its inbox; the merged code's old owner is nobody
    inbox = h.client.get("/api/v1/routing/inbox", headers=tokens.headers(HEALTH)).json()["items"]
    assert [d["document_id"] for d in inbox] == [doc]


def test_a_redelivered_submission_creates_nothing_twice(make_harness, tokens):
    h = make_harness()
    h.tokens = tokens
    doc = h.submit(FINANCE, [HOME, HEALTH])
    routed(h, FINANCE, doc, 2)
    h.submit(FINANCE, [HOME, HEALTH], document_id=doc)  # the same document, a new event id
    time.sleep(0.5)
    assert len(deliveries(h, FINANCE, doc)) == 2


def test_dissolved_recipient_without_successor_is_undeliverable(make_harness, tokens):
    h = make_harness()
    h.tokens = tokens
    h.registry.add("000.00.16.H99", status="dissolved")
    doc = h.submit(FINANCE, ["000.00.16.H99", HOME])
    found = {d["addressed_code"]: d for d in routed(h, FINANCE, doc, 2)}
    assert found["000.00.16.H99"]["state"] == "undeliverable" and "no active agency" in found["000.00.16.H99"]["note"]


def test_two_pollers_never_get_the_same_delivery_and_unacknowledged_ones_come_back(make_harness, tokens):
    h = make_harness(pull_lease_s=1.0)
    docs = [h.submit(FINANCE, [HOME]) for _ in range(6)]
    for doc in docs:
        eventually(lambda doc=doc: h.client.get(f"/api/v1/routing/documents/{doc}/deliveries",
                                                headers=tokens.headers(FINANCE)).status_code == 200)
    poller_a = tokens.headers(HOME, subject="qlvb-a")
    poller_b = tokens.headers(HOME, subject="qlvb-b")
    first = h.client.post("/api/v1/routing/inbox/claim", json={"limit": 4}, headers=poller_a).json()
    second = h.client.post("/api/v1/routing/inbox/claim", json={"limit": 4}, headers=poller_b).json()
    assert len(first) == 4 and len(second) == 2
    assert not {d["id"] for d in first} & {d["id"] for d in second}
    assert h.client.post("/api/v1/routing/inbox/claim", headers=poller_b).json() == []
    # A acknowledges two (twice: idempotent); after the lease the two others are offered again
    for d in first[:2]:
        for _ in range(2):
            ack = h.client.post(f"/api/v1/routing/deliveries/{d['id']}/ack", headers=poller_a)
            assert ack.status_code == 200 and ack.json()["state"] == "acknowledged"
    time.sleep(1.1)
    again = h.client.post("/api/v1/routing/inbox/claim", json={"limit": 10}, headers=poller_b).json()
    assert {d["id"] for d in again} == {d["id"] for d in first[2:]} | {d["id"] for d in second}
    # another agency cannot claim or acknowledge HOME's deliveries
    assert h.client.post("/api/v1/routing/inbox/claim", headers=tokens.headers(HEALTH)).json() == []
    stolen = h.client.post(f"/api/v1/routing/deliveries/{first[0]['id']}/ack", headers=tokens.headers(HEALTH))
    assert stolen.status_code == 403


def test_every_status_travels_back_and_bad_statuses_change_nothing(make_harness, tokens):
    h = make_harness()
    h.tokens = tokens
    doc = h.submit(FINANCE, [HOME, HEALTH])
    by = {d["recipient_code"]: d for d in routed(h, FINANCE, doc, 2)}
    home = by[HOME]["id"]

    def post(code, description="", who=HOME, delivery=home):
        return h.client.post(f"/api/v1/routing/deliveries/{delivery}/statuses", headers=tokens.headers(who),
                             json={"status_code": code, "description": description})

    assert post("03").status_code == 409                     # not acknowledged yet
    assert post("1").json()["state"] == "received"           # "1" is 01 and acknowledges
    assert post("13").status_code == 403                     # a recipient cannot recall
    assert post("99").status_code == 422
    assert post("03", who=HEALTH).status_code == 403         # another agency's delivery
    for code, state in (("03", "accepted"), ("04", "assigned"), ("05", "in-progress"), ("05", "in-progress")):
        assert post(code).json()["state"] == state
    assert post("03").status_code == 409                     # going back
    assert post("02", "Sai thẩm quyền").status_code == 409   # too late to reject
    assert post("15").status_code == 409                     # nothing to agree to
    assert post("06").json()["state"] == "done"
    assert post("05").status_code == 409                     # after done

    # HEALTH rejects through the document-level status (the edXML way), with a reason
    url = f"/api/v1/routing/documents/{doc}/statuses"
    assert h.client.post(url, headers=tokens.headers(HEALTH), json={"status_code": "02"}).status_code == 422
    assert h.client.post(url, headers=tokens.headers(HEALTH), json={"status_code": "01"}).status_code == 201
    rejected = h.client.post(url, headers=tokens.headers(HEALTH), json={"status_code": "02",
                                                                         "description": "Sai thẩm quyền"})
    assert rejected.status_code == 201 and rejected.json()[0]["state"] == "rejected"
    never = h.client.post(url, headers=tokens.headers(EDUCATION), json={"status_code": "01"})
    assert never.status_code == 403 and "never received" in never.json()["detail"]
    assert h.client.post(f"/api/v1/routing/documents/{doc}x/statuses", headers=tokens.headers(HOME),
                         json={"status_code": "01"}).status_code == 404

    view = {d["recipient_code"]: d for d in deliveries(h, FINANCE, doc)}
    assert [s["status_code"] for s in view[HOME]["timeline"]] == ["01", "03", "04", "05", "05", "06"]
    assert all(s["reported_at"].endswith("+07:00") and s["reported_by"] == HOME for s in view[HOME]["timeline"])
    assert [s["status_code"] for s in view[HEALTH]["timeline"]] == ["01", "02"]
    assert view[HEALTH]["timeline"][1]["description"] == "Sai thẩm quyền"
    # a recipient sees only its own delivery; a stranger nothing
    assert [d["recipient_code"] for d in deliveries(h, HOME, doc)] == [HOME]
    assert h.client.get(f"/api/v1/routing/documents/{doc}/deliveries",
                        headers=tokens.headers(EDUCATION)).status_code == 403


def test_recall_agreed_and_refused(make_harness, tokens):
    h = make_harness()
    h.tokens = tokens
    doc = h.submit(FINANCE, [HOME, HEALTH, EDUCATION])
    by = {d["recipient_code"]: d["id"] for d in routed(h, FINANCE, doc, 3)}
    recall_url = f"/api/v1/routing/documents/{doc}/recall"
    for code in (HOME, HEALTH):
        h.client.post(f"/api/v1/routing/deliveries/{by[code]}/ack", headers=tokens.headers(code))
    # EDUCATION finished handling: a recall of everyone is refused as a whole, nothing changes
    h.client.post(f"/api/v1/routing/deliveries/{by[EDUCATION]}/statuses", headers=tokens.headers(EDUCATION),
                  json={"status_code": "01"})
    h.client.post(f"/api/v1/routing/deliveries/{by[EDUCATION]}/statuses", headers=tokens.headers(EDUCATION),
                  json={"status_code": "06"})
    done = h.client.post(recall_url, headers=tokens.headers(FINANCE), json={"reason": "Sai sót"})
    assert done.status_code == 409 and "06" in done.json()["detail"]
    assert h.client.get(f"/api/v1/routing/documents/{doc}/requests", headers=tokens.headers(FINANCE)).json() == []
    # only the sender may recall
    assert h.client.post(recall_url, headers=tokens.headers(HOME), json={"reason": "x"}).status_code == 403
    assert h.client.post(recall_url, headers=tokens.headers(FINANCE), json={"reason": ""}).status_code == 422
    made = h.client.post(recall_url, headers=tokens.headers(FINANCE),
                         json={"reason": "Thu hồi để sửa đổi", "recipient_codes": [HOME, HEALTH]})
    assert made.status_code == 201, made.text
    assert {r["recipient_code"] for r in made.json()} == {HOME, HEALTH}
    assert all(r["pending"] and r["kind"] == "recall" for r in made.json())
    again = h.client.post(recall_url, headers=tokens.headers(FINANCE),
                          json={"reason": "x", "recipient_codes": [HOME]})
    assert again.status_code == 409 and "pending" in again.json()["detail"]

    # HOME agrees: its copy leaves the inbox; HEALTH refuses with a reason
    assert h.client.post(f"/api/v1/routing/deliveries/{by[HEALTH]}/statuses", headers=tokens.headers(HEALTH),
                         json={"status_code": "16"}).status_code == 422
    agreed = h.client.post(f"/api/v1/routing/deliveries/{by[HOME]}/statuses", headers=tokens.headers(HOME),
                           json={"status_code": "15"})
    assert agreed.status_code == 201 and agreed.json()["state"] == "recalled"
    requests = {r["recipient_code"]: r for r in h.client.get(f"/api/v1/routing/documents/{doc}/requests",
                                                             headers=tokens.headers(FINANCE)).json()}
    assert requests[HOME]["outcome"] == "15" and requests[HEALTH]["pending"]
    refused = h.client.post(f"/api/v1/routing/documents/{doc}/statuses", headers=tokens.headers(HEALTH),
                            json={"status_code": "16", "description": "Đã triển khai thực hiện"})
    assert refused.status_code == 201 and refused.json()[0]["state"] == "acknowledged"
    requests = {r["recipient_code"]: r for r in h.client.get(f"/api/v1/routing/documents/{doc}/requests",
                                                             headers=tokens.headers(FINANCE)).json()}
    assert requests[HEALTH]["outcome"] == "16" and requests[HEALTH]["answer_reason"] == "Đã triển khai thực hiện"
    inbox = h.client.get("/api/v1/routing/inbox", headers=tokens.headers(HOME)).json()["items"]
    assert inbox == []
    archived = h.client.get("/api/v1/routing/inbox", params={"state": "recalled"},
                            headers=tokens.headers(HOME)).json()["items"]
    assert [d["document_id"] for d in archived] == [doc]
    view = {d["recipient_code"]: d for d in deliveries(h, FINANCE, doc)}
    assert [s["status_code"] for s in view[HOME]["timeline"]] == ["13", "15"]
    assert view[HOME]["timeline"][0]["reported_by"] == FINANCE
    assert [s["status_code"] for s in view[HEALTH]["timeline"]] == ["13", "16"]
    # the sender's 13 through the document-level status (edXML status message) reaches open recipients only
    by_status = h.client.post(f"/api/v1/routing/documents/{doc}/statuses", headers=tokens.headers(FINANCE),
                              json={"status_code": "13", "description": "Thu hồi lần 2",
                                    "recipient_codes": [HEALTH]})
    assert by_status.status_code == 201 and [d["recipient_code"] for d in by_status.json()] == [HEALTH]


def test_update_and_replace_link_the_new_document_and_ask_the_old_recipients(make_harness, tokens):
    h = make_harness()
    h.tokens = tokens
    old = h.submit(FINANCE, [HOME, HEALTH])
    by = {d["recipient_code"]: d["id"] for d in routed(h, FINANCE, old, 2)}
    new = h.submit(FINANCE, [HOME, HEALTH], business_type=3, refers_to=(old,))
    routed(h, FINANCE, new, 2)
    requests = eventually(lambda: h.client.get(f"/api/v1/routing/documents/{old}/requests",
                                               headers=tokens.headers(FINANCE)).json())
    assert {(r["recipient_code"], r["kind"], r["related_document_id"]) for r in requests} == {
        (HOME, "replace", new), (HEALTH, "replace", new)}
    agreed = h.client.post(f"/api/v1/routing/deliveries/{by[HOME]}/statuses", headers=tokens.headers(HOME),
                           json={"status_code": "15"})
    assert agreed.json()["state"] == "replaced"
    inbox = h.client.get("/api/v1/routing/inbox", headers=tokens.headers(HOME)).json()["items"]
    assert [d["document_id"] for d in inbox] == [new]

    # an update after that asks HEALTH (still pending the replacement? then it is skipped, not refused)
    h.client.post(f"/api/v1/routing/deliveries/{by[HEALTH]}/statuses", headers=tokens.headers(HEALTH),
                  json={"status_code": "16", "description": "Giữ văn bản cũ"})
    update = h.submit(FINANCE, [HEALTH], business_type=2, refers_to=(old,))
    routed(h, FINANCE, update, 1)
    kinds = eventually(lambda: [r for r in h.client.get(f"/api/v1/routing/documents/{old}/requests",
                                                        headers=tokens.headers(FINANCE)).json()
                                if r["kind"] == "update"])
    assert [(r["recipient_code"], r["pending"]) for r in kinds] == [(HEALTH, True)]


def test_a_retried_status_with_the_same_idempotency_key_records_nothing_new(make_harness, tokens):
    h = make_harness()
    h.tokens = tokens
    doc = h.submit(FINANCE, [HOME])
    delivery = routed(h, FINANCE, doc, 1)[0]["id"]
    url = f"/api/v1/routing/deliveries/{delivery}/statuses"
    for _ in range(3):
        r = h.client.post(url, json={"status_code": "01"}, headers={**tokens.headers(HOME), "Idempotency-Key": "k-01"})
        assert r.status_code == 201 and r.json()["state"] == "received"
    assert [s["status_code"] for s in deliveries(h, FINANCE, doc)[0]["timeline"]] == ["01"]


def edxml_status(reporter: str, sender: str, code: str, *, number: str = "15", description: str = "",
                 timestamp: str = "2026-11-25T16:05:27+07:00") -> bytes:
    from lienthong.edxml.model import Organ, ResponseFor, StatusPackage
    from lienthong.edxml.writer import build

    answer = ResponseFor(organ_id=sender, code=f"{number}/QĐ-STC", promulgation_date="2026-11-25",
                         document_id=f"{sender},2026/11/25,{number}/QĐ-STC")
    return build(StatusPackage(**{"from": Organ(organ_id=reporter, organ_name="Sở Nội vụ")}, response_for=answer,
                               status_code=code, description=description, timestamp=timestamp))


def test_edxml_status_packages_are_matched_by_response_for_and_deduplicated(make_harness, tokens):
    h = make_harness()
    h.tokens = tokens
    doc = h.submit(FINANCE, [HOME, HEALTH], number="77")
    routed(h, FINANCE, doc, 2)
    xml = {"Content-Type": "application/xml"}

    def post(body, who):
        return h.client.post("/api/v1/routing/statuses", content=body, headers={**tokens.headers(who), **xml})

    for _ in range(2):  # the same message twice (same timestamp): recorded once
        r = post(edxml_status(HOME, FINANCE, "01", number="77"), HOME)
        assert r.status_code == 201, r.text
    accepted = post(edxml_status(HOME, FINANCE, "03", number="77", timestamp="2026-11-25T16:10:00+07:00"), HOME)
    assert accepted.status_code == 201 and accepted.json()[0]["state"] == "accepted"
    view = {d["recipient_code"]: d for d in deliveries(h, FINANCE, doc)}
    assert [s["status_code"] for s in view[HOME]["timeline"]] == ["01", "03"]

    # bad input: another agency's From, an unknown document, a document package, not XML, not well-formed
    assert post(edxml_status(HOME, FINANCE, "01", number="77"), HEALTH).status_code == 403
    unknown = post(edxml_status(HOME, FINANCE, "01", number="78"), HOME)
    assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"
    assert post(edxml_status(EDUCATION, FINANCE, "01", number="77"), EDUCATION).status_code == 403
    assert h.client.post("/api/v1/routing/statuses", content=b"<edXML", headers={**tokens.headers(HOME), **xml}
                         ).status_code == 422
    assert h.client.post("/api/v1/routing/statuses", json={"status_code": "01"},
                         headers=tokens.headers(HOME)).status_code == 422

    # the sender's 13 as a status package recalls; the recipient's 15 as a status package agrees
    recalled = post(edxml_status(FINANCE, FINANCE, "13", number="77", description="Thu hồi"), FINANCE)
    assert recalled.status_code == 201 and {d["recipient_code"] for d in recalled.json()} == {HOME, HEALTH}
    agreed = post(edxml_status(HEALTH, FINANCE, "15", number="77"), HEALTH)
    assert agreed.status_code == 201 and agreed.json()[0]["state"] == "recalled"


def test_other_services_see_deliveries_and_recipients_over_grpc(make_harness, tokens):
    import grpc

    from lienthong.api.routing.v1 import routing_pb2, routing_pb2_grpc

    h = make_harness()
    h.tokens = tokens
    h.registry.add("000.00.15.H99", status="merged", successor=HEALTH)
    doc = h.submit(FINANCE, [HOME, "000.00.15.H99"])
    routed(h, FINANCE, doc, 2)
    with grpc.insecure_channel(h.grpc_target) as channel:
        stub = routing_pb2_grpc.RoutingServiceStub(channel)
        listed = stub.ListDeliveries(routing_pb2.ListDeliveriesRequest(document_id=doc), timeout=5)
        assert {(d.addressed_code, d.recipient_code) for d in listed.deliveries} == {
            (HOME, HOME), ("000.00.15.H99", HEALTH)}
        # the successor received it; the merged code and a stranger did not
        checked = stub.CheckRecipient(routing_pb2.CheckRecipientRequest(
            document_id=doc, agency_codes=[HEALTH, "000.00.15.H99", EDUCATION]), timeout=5)
        assert list(checked.received_by) == [HEALTH]
        try:
            stub.ListDeliveries(routing_pb2.ListDeliveriesRequest(document_id="nope"), timeout=5)
        except grpc.RpcError as exc:
            assert exc.code() == grpc.StatusCode.NOT_FOUND
        else:
            raise AssertionError("an unknown document was listed")
