"""Domain errors and their one mapping: domain error -> gRPC status -> RFC 9457 problem+json.

Services raise these from their domain and use cases. The gRPC entry points turn
them into a status (code + message + JSON details in trailing metadata), gRPC
clients turn the status back into the same error, and the HTTP layer renders
them as ``application/problem+json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import grpc

PROBLEM_JSON = "application/problem+json"
_DETAILS_KEY = "lienthong-error-bin"


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field, addressed by a path such as ``recipients[2].code``."""

    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


class DomainError(Exception):
    """Base of every error a use case may raise on purpose."""

    code = "error"
    title = "Request failed"
    http_status = 400
    grpc_status = grpc.StatusCode.FAILED_PRECONDITION

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors or [])
        self.extra = extra

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        """The RFC 9457 problem document for this error."""
        body: dict[str, Any] = {
            "type": f"https://lienthong.gov.vn/problems/{self.code}",
            "title": self.title,
            "status": self.http_status,
            "detail": self.detail,
            "code": self.code,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = [e.as_dict() for e in self.errors]
        body.update(self.extra)
        return body


class InvalidInput(DomainError):
    code, title, http_status, grpc_status = "invalid-input", "Invalid input", 422, grpc.StatusCode.INVALID_ARGUMENT


class NotFound(DomainError):
    code, title, http_status, grpc_status = "not-found", "Not found", 404, grpc.StatusCode.NOT_FOUND


class Conflict(DomainError):
    code, title, http_status, grpc_status = "conflict", "Conflict", 409, grpc.StatusCode.ALREADY_EXISTS


class IllegalState(DomainError):
    code, title, http_status, grpc_status = (
        "illegal-state", "Not allowed in the current state", 409, grpc.StatusCode.FAILED_PRECONDITION)


class Unauthenticated(DomainError):
    code, title, http_status, grpc_status = (
        "unauthenticated", "Authentication required", 401, grpc.StatusCode.UNAUTHENTICATED)


class Forbidden(DomainError):
    code, title, http_status, grpc_status = "forbidden", "Forbidden", 403, grpc.StatusCode.PERMISSION_DENIED


class PayloadTooLarge(DomainError):
    code, title, http_status, grpc_status = (
        "payload-too-large", "Payload too large", 413, grpc.StatusCode.RESOURCE_EXHAUSTED)


class Unavailable(DomainError):
    code, title, http_status, grpc_status = (
        "unavailable", "Dependency unavailable", 503, grpc.StatusCode.UNAVAILABLE)


_BY_CODE: dict[str, type[DomainError]] = {
    cls.code: cls
    for cls in (DomainError, InvalidInput, NotFound, Conflict, IllegalState, Unauthenticated, Forbidden,
                PayloadTooLarge, Unavailable)
}


def grpc_abort(context: grpc.ServicerContext, error: DomainError) -> None:
    """Abort the current RPC with the status that ``error`` maps to, carrying its details."""
    details = json.dumps({"code": error.code, "detail": error.detail,
                          "errors": [e.as_dict() for e in error.errors]}).encode()
    context.set_trailing_metadata(((_DETAILS_KEY, details),))
    context.abort(error.grpc_status, error.detail)


def from_rpc_error(exc: grpc.RpcError) -> DomainError:
    """Turn a failed call's status back into the domain error the server raised."""
    code = exc.code() if hasattr(exc, "code") else grpc.StatusCode.UNKNOWN
    detail = exc.details() if hasattr(exc, "details") else str(exc)
    for key, value in (exc.trailing_metadata() or ()) if hasattr(exc, "trailing_metadata") else ():
        if key == _DETAILS_KEY:
            body = json.loads(value)
            cls = _BY_CODE.get(body.get("code"), DomainError)
            return cls(body.get("detail", detail),
                       errors=[FieldError(**e) for e in body.get("errors", [])])
    if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
        return Unavailable(f"remote call failed: {code.name}: {detail}")
    for cls in _BY_CODE.values():
        if cls.grpc_status == code and cls is not DomainError:
            return cls(detail or code.name)
    return Unavailable(f"remote call failed: {code.name}: {detail}")
