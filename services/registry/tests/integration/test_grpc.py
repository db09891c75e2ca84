"""RegistryService over real gRPC on loopback: every RPC, errors mapped to status codes."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator

import grpc
import pytest

from lienthong.api.registry.v1 import registry_pb2 as pb
from lienthong.api.registry.v1 import registry_pb2_grpc
from lienthong.platform.grpc import Servicer, build_server
from lienthong.registry.entrypoints.grpc import RegistryServicer
from lienthong.testing.net import free_port


@pytest.fixture
def stub(registry) -> Iterator[registry_pb2_grpc.RegistryServiceStub]:
    address = f"127.0.0.1:{free_port()}"
    server = build_server(address, [Servicer(registry_pb2_grpc.add_RegistryServiceServicer_to_server,
                                             RegistryServicer(registry), "lienthong.api.registry.v1.RegistryService")])
    server.start()
    with grpc.insecure_channel(address) as channel:
        yield registry_pb2_grpc.RegistryServiceStub(channel)
    server.stop(0)


def code_of(call: Callable[[], object]) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as exc:
        call()
    return exc.value.code()


def test_directory_rpcs(stub, registry) -> None:
    agency = stub.GetAgency(pb.GetAgencyRequest(code="000.00.12.H99"))
    assert agency.name == "Sở Nội vụ tỉnh Mẫu" and agency.valid_from == "2025-07-01T00:00:00.000+07:00"
    page = stub.ListAgencies(pb.ListAgenciesRequest(level="commune", page_size=30))
    assert len(page.agencies) == 30 and page.next_page_token
    found = stub.SearchAgencies(pb.SearchAgenciesRequest(query="quyet dinh so tai chinh"))
    assert len(found.agencies) == 0
    found = stub.SearchAgencies(pb.SearchAgenciesRequest(query="sở tai chinh", limit=1))
    assert [a.code for a in found.agencies] == ["000.00.11.H99"]
    registry.directory.merge(actor="t", codes=["000.00.52.H99"], successor_code="000.00.51.H99")
    res = stub.Resolve(pb.ResolveRequest(code="000.00.52.H99"))
    assert res.agency.code == "000.00.51.H99" and list(res.succession_chain) == ["000.00.52.H99", "000.00.51.H99"]
    assert res.steps[0].change == "merge" and res.steps[0].effective_at.endswith("+07:00")
    before = stub.Resolve(pb.ResolveRequest(code="000.00.52.H99", at="2026-01-01T00:00:00+07:00"))
    assert before.agency.code == "000.00.52.H99" and not before.steps
    assert code_of(lambda: stub.GetAgency(pb.GetAgencyRequest(code="000.00.98.H99"))) == grpc.StatusCode.NOT_FOUND
    assert code_of(lambda: stub.Resolve(pb.ResolveRequest(code="bad code"))) == grpc.StatusCode.INVALID_ARGUMENT
    assert code_of(lambda: stub.ListAgencies(pb.ListAgenciesRequest(at="yesterday"))) == \
        grpc.StatusCode.INVALID_ARGUMENT


def test_numbering_rpcs(stub) -> None:
    issued = stub.IssueIdentifier(pb.IssueIdentifierRequest(agency_code="000.00.11.H99",
                                                            issued_at="2026-03-05T09:00:00+07:00", purpose="d1"))
    assert issued.identifier == "000.00.11.H99-2026.1" and issued.sequence == pb.SEQUENCE_DOCUMENT_IDENTIFIER
    assert issued.reserved_until.endswith("+07:00")
    confirm = pb.ConfirmIdentifierRequest(identifier=issued.identifier, reference="d1")
    assert stub.ConfirmIdentifier(confirm).state == stub.ConfirmIdentifier(confirm).state == "confirmed"
    arrival = stub.IssueIdentifier(pb.IssueIdentifierRequest(agency_code="000.00.11.H99",
                                                             sequence=pb.SEQUENCE_INCOMING_ARRIVAL))
    void = pb.VoidIdentifierRequest(identifier=arrival.identifier, sequence=pb.SEQUENCE_INCOMING_ARRIVAL,
                                    reason="duplicate arrival")
    assert stub.VoidIdentifier(void).state == stub.VoidIdentifier(void).state == "voided"
    assert code_of(lambda: stub.VoidIdentifier(pb.VoidIdentifierRequest(identifier=issued.identifier))) == \
        grpc.StatusCode.INVALID_ARGUMENT
    assert code_of(lambda: stub.IssueIdentifier(pb.IssueIdentifierRequest(agency_code="000.00.98.H99"))) == \
        grpc.StatusCode.NOT_FOUND


def test_identity_rpcs(stub, registry) -> None:
    creds = registry.identities.register_system(owner_agency="000.00.11.H99", name="QLVB", actor="t",
                                                push_endpoint="https://qlvb.stc.example/push")
    verified = stub.VerifyCredential(pb.VerifyCredentialRequest(client_id=creds.client_id,
                                                                client_secret=creds.client_secret))
    assert list(verified.agency_codes) == ["000.00.11.H99"] and verified.role == "agency"
    assert code_of(lambda: stub.VerifyCredential(pb.VerifyCredentialRequest(client_id=creds.client_id,
                                                                            client_secret="x"))) == \
        grpc.StatusCode.UNAUTHENTICATED
    systems = stub.ListAgencySystems(pb.ListAgencySystemsRequest(agency_code="000.00.11.H99")).systems
    assert [s.push_endpoint for s in systems] == ["https://qlvb.stc.example/push"]
    message = json.dumps({"XroadVnpt-systemid": creds.system_id}, separators=(",", ":"))
    mac = hmac.new(creds.secret.encode(), message.encode(), hashlib.sha256).hexdigest()
    got = stub.VerifySystemSignature(pb.VerifySystemSignatureRequest(system_id=creds.system_id, message=message,
                                                                     signature=mac))
    assert got.system.id == creds.system_id
    assert code_of(lambda: stub.VerifySystemSignature(pb.VerifySystemSignatureRequest(
        system_id=creds.system_id, message=message + " ", signature=mac))) == grpc.StatusCode.UNAUTHENTICATED
    assert code_of(lambda: stub.VerifySystemSignature(pb.VerifySystemSignatureRequest(
        system_id="00.00.W99", message=message, signature=mac))) == grpc.StatusCode.NOT_FOUND


DEPARTMENTS = {f"000.00.{n:02d}.H99" for n in (*range(2, 15), 23, 24)}


def test_resolve_recipients_expands_groups_and_follows_succession(stub, registry) -> None:
    registry.directory.merge(actor="t", codes=["000.00.52.H99"], successor_code="000.00.51.H99")
    registry.directory.merge(actor="t", codes=["000.00.24.H99"], successor_code="000.00.23.H99")
    written = ["group:departments", " 000.00.52.H99 ", "group:level=province,kind=department,parent=000.00.00.H99",
               "group:everyone", "000.00.98.H99", "not a code", "group:level=nowhere", "group:parent=not-a-code",
               "000.00.24.H99"]
    resp = stub.ResolveRecipients(pb.ResolveRecipientsRequest(recipients=written, sender_code="000.00.11.H99"))
    by = {r.recipient: r for r in resp.recipients}
    assert [r.recipient for r in resp.recipients] == [w.strip() for w in written]
    departments = by["group:departments"]
    assert departments.group and not departments.error
    assert {a.code for a in departments.agencies} == DEPARTMENTS - {"000.00.11.H99", "000.00.24.H99"}
    assert all(a.status == "active" and a.kind == "department" for a in departments.agencies)
    assert [a.code for a in by["group:level=province,kind=department,parent=000.00.00.H99"].agencies] == \
        [a.code for a in departments.agencies]
    merged = by["000.00.52.H99"]
    assert not merged.group and [a.code for a in merged.agencies] == ["000.00.51.H99"]
    assert list(merged.succession_chain) == ["000.00.52.H99", "000.00.51.H99"]
    assert [a.code for a in by["000.00.24.H99"].agencies] == ["000.00.23.H99"]
    for text, reason in (("group:everyone", pb.RECIPIENT_ERROR_INVALID), ("not a code", pb.RECIPIENT_ERROR_INVALID),
                         ("group:parent=not-a-code", pb.RECIPIENT_ERROR_INVALID),
                         ("000.00.98.H99", pb.RECIPIENT_ERROR_UNKNOWN),
                         ("group:level=nowhere", pb.RECIPIENT_ERROR_EMPTY_GROUP)):
        assert by[text].error_reason == reason and by[text].error and not by[text].agencies, text
    assert "communes" in by["group:everyone"].error  # the error names the groups that exist

    before = stub.ResolveRecipients(pb.ResolveRecipientsRequest(recipients=["group:departments", "000.00.52.H99"],
                                                                at="2026-01-01T00:00:00+07:00"))
    assert {a.code for a in before.recipients[0].agencies} == DEPARTMENTS
    assert [a.code for a in before.recipients[1].agencies] == ["000.00.52.H99"]
    communes = stub.ResolveRecipients(pb.ResolveRecipientsRequest(recipients=["GROUP:Communes"]))
    assert len(communes.recipients[0].agencies) == 99  # 100 communes, one merged into another
    assert code_of(lambda: stub.ResolveRecipients(pb.ResolveRecipientsRequest(recipients=["group:communes"],
                                                                              at="yesterday"))) == \
        grpc.StatusCode.INVALID_ARGUMENT
    assert code_of(lambda: stub.ResolveRecipients(pb.ResolveRecipientsRequest(
        recipients=["000.00.11.H99"] * 5001))) == grpc.StatusCode.INVALID_ARGUMENT


def test_a_group_of_only_the_sender_is_empty(stub, registry) -> None:
    resp = stub.ResolveRecipients(pb.ResolveRecipientsRequest(
        recipients=["group:level=province,kind=people-committee"], sender_code="000.00.00.H99"))
    assert resp.recipients[0].error_reason == pb.RECIPIENT_ERROR_EMPTY_GROUP
