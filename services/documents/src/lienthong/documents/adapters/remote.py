"""gRPC clients of the services the documents service asks: registry and signing."""

from __future__ import annotations

import grpc

from lienthong.api.registry.v1 import registry_pb2, registry_pb2_grpc
from lienthong.api.signing.v1 import signing_pb2, signing_pb2_grpc
from lienthong.documents.service.use_cases import SignatureVerdict
from lienthong.platform.errors import NotFound, from_rpc_error
from lienthong.platform.grpc import channel


class RegistryClient:
    """Asks the registry whether agencies exist and for document identifiers."""

    def __init__(self, target: str, deadline_s: float):
        self._stub = registry_pb2_grpc.RegistryServiceStub(channel(target))
        self._deadline_s = deadline_s

    def unknown_agencies(self, codes: list[str]) -> list[str]:
        """The codes among ``codes`` that the registry cannot resolve to an agency that receives."""
        unknown = []
        for code in codes:
            try:
                self._stub.Resolve(registry_pb2.ResolveRequest(code=code), timeout=self._deadline_s)
            except grpc.RpcError as exc:
                error = from_rpc_error(exc)
                if not isinstance(error, NotFound):
                    raise error from exc
                unknown.append(code)
        return unknown

    def issue_identifier(self, agency_code: str, issued_at: str) -> str:
        try:
            resp = self._stub.IssueIdentifier(
                registry_pb2.IssueIdentifierRequest(agency_code=agency_code, issued_at=issued_at),
                timeout=self._deadline_s)
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        return resp.identifier


class SigningClient:
    """Asks the signing service to validate a PDF's signatures."""

    def __init__(self, target: str, deadline_s: float):
        self._stub = signing_pb2_grpc.SigningServiceStub(channel(target))
        self._deadline_s = deadline_s

    def validate_pdf(self, pdf: bytes, *, file_name: str, agency_code: str, document_ref: str) -> SignatureVerdict:
        try:
            report = self._stub.ValidatePdf(signing_pb2.ValidatePdfRequest(
                pdf=pdf, file_name=file_name, agency_code=agency_code, document_ref=document_ref),
                timeout=max(self._deadline_s, 30.0))
        except grpc.RpcError as exc:
            raise from_rpc_error(exc) from exc
        return SignatureVerdict(signed=len(report.signatures) > 0, indication=report.indication,
                                report_id=report.id)
