"""gRPC clients of the services the documents service asks: registry, routing and signing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

import grpc

from lienthong.api.registry.v1 import registry_pb2, registry_pb2_grpc
from lienthong.api.routing.v1 import routing_pb2, routing_pb2_grpc
from lienthong.api.signing.v1 import signing_pb2, signing_pb2_grpc
from lienthong.documents.service.use_cases import RecipientCheck, SignatureVerdict
from lienthong.platform.errors import from_rpc_error
from lienthong.platform.grpc import channel

VALIDATE_CHUNK_BYTES = 1024 * 1024  # signing accepts chunks of at most 1 MiB


class RegistryClient:
    """Asks the registry what recipients stand for and for document identifiers."""

    def __init__(self, target: str, deadline_s: float):
        self._stub = registry_pb2_grpc.RegistryServiceStub(channel(target))
        self._deadline_s = deadline_s

    def check_recipients(self, recipients: list[str], sender_code: str) -> list[RecipientCheck]:
        """The registry's ``ResolveRecipients``: codes resolved with succession, groups expanded less the sender."""
        resp = self._call(self._stub.ResolveRecipients, registry_pb2.ResolveRecipientsRequest(
            recipients=recipients, sender_code=sender_code))
        return [RecipientCheck(written=r.recipient, group=r.group, name=r.agencies[0].name if r.agencies and not r.group
                               else "", error=r.error, unknown=r.error_reason == registry_pb2.RECIPIENT_ERROR_UNKNOWN)
                for r in resp.recipients]

    def reserve_identifier(self, agency_code: str, issued_at: str, purpose: str) -> str:
        resp = self._call(self._stub.IssueIdentifier, registry_pb2.IssueIdentifierRequest(
            agency_code=agency_code, issued_at=issued_at, purpose=purpose,
            sequence=registry_pb2.SEQUENCE_DOCUMENT_IDENTIFIER))
        return resp.identifier

    def confirm_identifier(self, identifier: str, reference: str) -> None:
        self._call(self._stub.ConfirmIdentifier, registry_pb2.ConfirmIdentifierRequest(
            identifier=identifier, reference=reference, sequence=registry_pb2.SEQUENCE_DOCUMENT_IDENTIFIER))

    def void_identifier(self, identifier: str, reason: str) -> None:
        self._call(self._stub.VoidIdentifier, registry_pb2.VoidIdentifierRequest(
            identifier=identifier, reason=reason, sequence=registry_pb2.SEQUENCE_DOCUMENT_IDENTIFIER))

    def _call(self, method, request):
        try:
            return method(request, timeout=self._deadline_s)
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc


class RoutingClient:
    """Asks routing which agencies received a document (``CheckRecipient``)."""

    def __init__(self, target: str, deadline_s: float):
        self._stub = routing_pb2_grpc.RoutingServiceStub(channel(target))
        self._deadline_s = deadline_s

    def received_by(self, document_id: str, agency_codes: list[str]) -> list[str]:
        try:
            resp = self._stub.CheckRecipient(routing_pb2.CheckRecipientRequest(
                document_id=document_id, agency_codes=agency_codes), timeout=self._deadline_s)
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        return list(resp.received_by)


class SigningClient:
    """Asks the signing service to validate a PDF's signatures."""

    def __init__(self, target: str, deadline_s: float):
        self._stub = signing_pb2_grpc.SigningServiceStub(channel(target))
        self._deadline_s = deadline_s

    def validate_pdf(self, pdf: BinaryIO, *, file_name: str, agency_code: str,
                     document_ref: str) -> SignatureVerdict:
        """Stream the PDF to signing's ``Validate`` in chunks (never one message holding the whole file)."""

        def requests() -> Iterator[signing_pb2.ValidateRequest]:
            yield signing_pb2.ValidateRequest(file_name=file_name, agency_code=agency_code,
                                              document_ref=document_ref)
            while chunk := pdf.read(VALIDATE_CHUNK_BYTES):
                yield signing_pb2.ValidateRequest(data=chunk)

        try:
            report = self._stub.Validate(requests(), timeout=max(self._deadline_s, 30.0))
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        return SignatureVerdict(signed=len(report.signatures) > 0, indication=report.indication,
                                report_id=report.id)
