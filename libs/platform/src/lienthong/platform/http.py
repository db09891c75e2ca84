"""HTTP: the FastAPI application every runner serves, with problem+json errors, health and metrics."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import make_asgi_app
from starlette.exceptions import HTTPException as StarletteHTTPException

from lienthong.platform.auth import TokenVerifier
from lienthong.platform.errors import PROBLEM_JSON, DomainError, FieldError, InvalidInput

log = logging.getLogger(__name__)


def problem_response(error: DomainError, instance: str | None = None) -> JSONResponse:
    """An RFC 9457 response for ``error``."""
    return JSONResponse(error.problem(instance), status_code=error.http_status, media_type=PROBLEM_JSON)


def create_app(*, title: str, routers: Sequence[APIRouter], verifier: TokenVerifier | None,
               health_checks: dict[str, Callable[[], bool]] | None = None, version: str = "0.1.0") -> FastAPI:
    """Build the HTTP app: the services' routers, ``/healthz``, ``/metrics``, OpenAPI at ``/docs``."""
    app = FastAPI(title=title, version=version, docs_url="/docs", openapi_url="/openapi.json")
    app.state.token_verifier = verifier
    checks = dict(health_checks or {})

    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(exc, str(request.url.path))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [FieldError(".".join(str(p) for p in e.get("loc", ())), e.get("msg", "invalid"))
                  for e in exc.errors()]
        return problem_response(InvalidInput("the request is not valid", errors=errors), str(request.url.path))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = {"type": "about:blank", "title": str(exc.detail), "status": exc.status_code,
                "detail": str(exc.detail), "instance": str(request.url.path)}
        return JSONResponse(body, status_code=exc.status_code, media_type=PROBLEM_JSON)

    @app.get("/healthz", tags=["operations"], summary="Liveness and readiness of the services in this process")
    def healthz() -> JSONResponse:
        results = {}
        for name, check in checks.items():
            try:
                results[name] = "ok" if check() else "failing"
            except Exception as exc:  # noqa: BLE001 - a health check must report, never raise
                log.warning("health check %s failed: %s", name, exc)
                results[name] = "failing"
        ok = all(v == "ok" for v in results.values())
        return JSONResponse({"status": "ok" if ok else "failing", "services": results},
                            status_code=200 if ok else 503)

    for router in routers:
        app.include_router(router)
    app.mount("/metrics", make_asgi_app())
    return app
