"""Running services: what a service's bootstrap hands to a runner, and the runner itself.

The embedded runner serves several :class:`ServiceApp` in one process (one HTTP
port, one gRPC port); the distributed runner serves one. The code path is the same.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import uvicorn
from fastapi import APIRouter, FastAPI
from sqlalchemy import Engine

from lienthong.platform.auth import TokenVerifier
from lienthong.platform.grpc import Servicer, build_server
from lienthong.platform.http import create_app
from lienthong.platform.settings import ServiceSettings
from lienthong.platform.telemetry import setup_telemetry

log = logging.getLogger(__name__)


class Worker(Protocol):
    """A background loop: outbox relay, event consumer, scheduler."""

    name: str

    def run(self, stop: threading.Event) -> None: ...


@dataclass
class NamedWorker:
    """Gives a name to a ``run(stop)`` callable (e.g. a transport subscriber)."""

    name: str
    target: Callable[[threading.Event], None]

    def run(self, stop: threading.Event) -> None:
        self.target(stop)


@dataclass
class ServiceApp:
    """A service built by its bootstrap, ready to be served."""

    name: str
    router: APIRouter
    servicers: list[Servicer] = field(default_factory=list)
    workers: list[Worker] = field(default_factory=list)
    health: Callable[[], bool] = lambda: True
    engines: list[Engine] = field(default_factory=list)
    on_close: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for callback in self.on_close:
            try:
                callback()
            except Exception:
                log.exception("closing %s failed", self.name)


class Runner:
    """Serves services: a gRPC server, their background workers, and one HTTP app."""

    def __init__(self, apps: Sequence[ServiceApp], *, http_host: str, http_port: int, grpc_address: str,
                 verifier: TokenVerifier | None, title: str = "LienThong"):
        self.apps = list(apps)
        self.stop_event = threading.Event()
        self.grpc_server = build_server(grpc_address, [s for a in self.apps for s in a.servicers])
        self.http_app: FastAPI = create_app(title=title, routers=[a.router for a in self.apps], verifier=verifier,
                                            health_checks={a.name: a.health for a in self.apps})
        self._instrument()
        self._threads: list[threading.Thread] = []
        self._uvicorn = uvicorn.Server(uvicorn.Config(self.http_app, host=http_host, port=http_port,
                                                      log_config=None, access_log=False))

    def _instrument(self) -> None:
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
        from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

        FastAPIInstrumentor.instrument_app(self.http_app, excluded_urls="healthz,metrics")
        for app in self.apps:
            for engine in app.engines:
                SQLAlchemyInstrumentor().instrument(engine=engine)

    def start_background(self) -> None:
        """Start the gRPC server and every worker thread (each restarted if it dies)."""
        self.grpc_server.start()
        for app in self.apps:
            for worker in app.workers:
                t = threading.Thread(target=self._keep_running, args=(app.name, worker),
                                     name=f"{app.name}:{worker.name}", daemon=True)
                t.start()
                self._threads.append(t)

    def _keep_running(self, service: str, worker: Worker) -> None:
        while not self.stop_event.is_set():
            try:
                worker.run(self.stop_event)
            except Exception:
                log.exception("worker %s/%s crashed; restarting in 1 s", service, worker.name)
                self.stop_event.wait(1.0)

    def serve_forever(self, on_ready: Callable[[], None] | None = None) -> None:
        """Start everything and serve HTTP until interrupted (SIGINT/SIGTERM), then stop cleanly.

        ``on_ready`` runs once the HTTP port accepts connections.
        """
        self.start_background()
        if on_ready is not None:
            threading.Thread(target=self._announce, args=(on_ready,), daemon=True).start()
        try:
            self._uvicorn.run()
        finally:
            self.stop()

    def _announce(self, on_ready: Callable[[], None]) -> None:
        while not self._uvicorn.started and not self.stop_event.wait(0.05):
            pass
        if self._uvicorn.started:
            on_ready()

    def stop(self) -> None:
        self.stop_event.set()
        self._uvicorn.should_exit = True
        self.grpc_server.stop(grace=2).wait(5)
        for t in self._threads:
            t.join(timeout=5)
        for app in self.apps:
            app.close()


def token_verifier_for(settings: ServiceSettings) -> TokenVerifier:
    """The verifier of access tokens: the configured JWKS URL, else the registry's JWKS on this HTTP port."""
    url = settings.jwks_url or f"http://{settings.http_host}:{settings.http_port}/.well-known/jwks.json"
    return TokenVerifier(url, issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                         leeway_s=settings.jwt_leeway_s)


def serve_service(build: Callable[[ServiceSettings], ServiceApp], settings: ServiceSettings) -> None:
    """Distributed mode: serve one service on its own HTTP and gRPC ports until stopped."""
    setup_telemetry(settings.service_name, log_level=settings.log_level, otlp_endpoint=settings.otlp_endpoint)
    app = build(settings)
    runner = Runner([app], http_host=settings.http_host, http_port=settings.http_port,
                    grpc_address=settings.grpc_self_target, verifier=token_verifier_for(settings),
                    title=f"LienThong {settings.service_name}")
    log.info("serving %s: http://%s:%d grpc %s", settings.service_name, settings.http_host, settings.http_port,
             settings.grpc_self_target)
    runner.serve_forever()
