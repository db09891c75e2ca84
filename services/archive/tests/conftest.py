"""Fixtures of the archive's tests: real tokens, databases, and a documents gRPC server serving fixtures."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import grpc
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from lienthong.api.documents.v1 import documents_pb2, documents_pb2_grpc
from lienthong.platform.auth import TokenVerifier
from lienthong.platform.grpc import Servicer, build_server
from lienthong.testing.net import free_port
from lienthong.testing.tokens import jwks_issuer

ISSUER = AUDIENCE = "lienthong"
KID = "archive-tests"


@dataclass
class Tokens:
    """Signs access tokens with a test key whose JWKS is served over loopback HTTP."""

    key: ec.EllipticCurvePrivateKey
    verifier: TokenVerifier

    def token(self, *agencies: str, role: str = "agency-system") -> str:
        now = int(time.time())
        claims = {"sub": f"client-{role}-{'-'.join(agencies) or 'none'}", "agencies": list(agencies),
                  "role": role, "scope": "archive:read", "iss": ISSUER, "aud": AUDIENCE, "iat": now,
                  "exp": now + 600}
        return jwt.encode(claims, self.key, algorithm="ES256", headers={"kid": KID})

    def headers(self, *agencies: str, role: str = "agency-system") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(*agencies, role=role)}"}


@pytest.fixture(scope="session")
def tokens() -> Iterator[Tokens]:
    with jwks_issuer(KID) as issuer:
        yield Tokens(key=issuer.key, verifier=issuer.verifier(issuer=ISSUER, audience=AUDIENCE))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """The archive's database URL: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@dataclass
class FixtureDocuments(documents_pb2_grpc.DocumentsServiceServicer):
    """A documents service that serves attachments registered with :meth:`add`, in small chunks.

    ``served`` counts the ``ReadAttachment`` calls it answered.
    """

    chunk_size: int = 64 * 1024
    files: dict[tuple[str, str], bytes] = field(default_factory=dict)
    served: int = 0

    def add(self, document_id: str, data: bytes, *, declared_sha256: str | None = None) -> str:
        """Serve ``data`` for (document, digest); the digest is the real one unless ``declared_sha256`` is given."""
        digest = declared_sha256 or hashlib.sha256(data).hexdigest()
        self.files[(document_id, digest)] = data
        return digest

    def ReadAttachment(self, request: documents_pb2.ReadAttachmentRequest,
                       context: grpc.ServicerContext) -> Iterator[documents_pb2.Chunk]:
        data = self.files.get((request.document_id, request.sha256))
        if data is None:
            context.abort(grpc.StatusCode.NOT_FOUND, f"no attachment {request.sha256} in {request.document_id}")
        self.served += 1
        for start in range(0, len(data), self.chunk_size):
            yield documents_pb2.Chunk(data=data[start:start + self.chunk_size])


@pytest.fixture
def documents() -> FixtureDocuments:
    return FixtureDocuments()


@pytest.fixture
def grpc_server(documents: FixtureDocuments) -> Iterator[Callable[..., str]]:
    """Start a loopback gRPC server with the fixture documents service (plus given servicers); returns host:port."""
    servers: list[grpc.Server] = []

    def start(*servicers: Servicer, port: int | None = None) -> str:
        address = f"127.0.0.1:{port or free_port()}"
        server = build_server(address, [Servicer(documents_pb2_grpc.add_DocumentsServiceServicer_to_server,
                                                 documents, "lienthong.api.documents.v1.DocumentsService"),
                                        *servicers])
        server.start()
        servers.append(server)
        return address

    yield start
    for server in servers:
        server.stop(grace=None).wait(5)
