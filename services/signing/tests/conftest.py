"""Fixtures of the signing tests: a dev PKI (trusted) and a second one (untrusted), real tokens, databases."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from lienthong.platform.auth import TokenVerifier
from lienthong.platform.db import Database
from lienthong.signing.adapters.dev_pki import DevPki, generate_dev_pki, minimal_pdf, sign_pdf
from lienthong.signing.adapters.dev_services import DevPkiServer, serve_dev_pki
from lienthong.signing.adapters.dev_softhsm import DevToken, provision_token, softhsm_available
from lienthong.signing.bootstrap import build_core
from lienthong.signing.service.use_cases import Signing
from lienthong.signing.settings import SigningSettings
from lienthong.testing.net import free_port
from lienthong.testing.tokens import jwks_issuer

ISSUER = AUDIENCE = "lienthong"
KID = "signing-tests"


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DevPki:
    """The dev PKI whose trust/ folder the service trusts."""
    return generate_dev_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def foreign_pki(tmp_path_factory: pytest.TempPathFactory) -> DevPki:
    """Another dev PKI, same names, different keys: nobody trusts its root."""
    return generate_dev_pki(tmp_path_factory.mktemp("foreign-pki"))


@pytest.fixture(scope="session")
def unsigned_pdf() -> bytes:
    return minimal_pdf("Công văn số 15/STC-VP\nVề việc thử nghiệm trục liên thông")


@pytest.fixture(scope="session")
def signed_pdf(pki: DevPki, unsigned_pdf: bytes) -> Callable[..., bytes]:
    """``signed_pdf("person")`` -> the test PDF signed by that dev identity (cached per arguments)."""
    cache: dict[tuple[str, bool], bytes] = {}

    def make(who: str = "person", *, timestamp: bool = False) -> bytes:
        if (who, timestamp) not in cache:
            cache[(who, timestamp)] = sign_pdf(unsigned_pdf, pki.out_dir, who, timestamp=timestamp)
        return cache[(who, timestamp)]

    return make


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The signing database URL: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'signing.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def settings(tmp_path: Path, pki: DevPki) -> SigningSettings:
    """Embedded-mode settings on SQLite in ``tmp_path``, trusting ``pki``."""
    return SigningSettings(data_dir=tmp_path, trust_roots=[pki.trust_dir])


@pytest.fixture
def core(settings: SigningSettings) -> Iterator[tuple[Signing, Database]]:
    signing, database = build_core(settings)
    yield signing, database
    database.dispose()


@pytest.fixture
def signing(core: tuple[Signing, Database]) -> Signing:
    return core[0]


@dataclass
class Tokens:
    """Signs access tokens with a test key whose JWKS is served over loopback HTTP."""

    key: ec.EllipticCurvePrivateKey
    verifier: TokenVerifier

    def token(self, *agencies: str, role: str = "agency-system") -> str:
        now = int(time.time())
        claims = {"sub": f"client-{role}-{'-'.join(agencies) or 'none'}", "agencies": list(agencies),
                  "role": role, "scope": "documents:write", "iss": ISSUER, "aud": AUDIENCE, "iat": now,
                  "exp": now + 600}
        return jwt.encode(claims, self.key, algorithm="ES256", headers={"kid": KID})

    def headers(self, *agencies: str, role: str = "agency-system") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(*agencies, role=role)}"}


@pytest.fixture(scope="session")
def tokens() -> Iterator[Tokens]:
    with jwks_issuer(KID) as issuer:
        yield Tokens(key=issuer.key, verifier=issuer.verifier(issuer=ISSUER, audience=AUDIENCE))


@pytest.fixture(scope="session")
def online_pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DevPki, DevPkiServer]]:
    """A dev PKI whose certificates name a loopback CRL/OCSP server, which runs, with its TSA."""
    port = free_port()
    pki = generate_dev_pki(tmp_path_factory.mktemp("online-pki"), base_url=f"http://127.0.0.1:{port}")
    with serve_dev_pki(pki) as server:
        yield pki, server


@pytest.fixture(scope="session")
def softhsm_token(online_pki: tuple[DevPki, DevPkiServer], tmp_path_factory: pytest.TempPathFactory) -> DevToken:
    """A SoftHSM2 token (in a temp dir) holding an organisation key certified by the online PKI."""
    if not softhsm_available():
        pytest.skip("SoftHSM2 is not installed (apt-get install softhsm2)")
    return provision_token(online_pki[0], tmp_path_factory.mktemp("softhsm"))


def write_keys_file(path: Path, pki: DevPki, token: DevToken | None = None, *, agency: str = "000.00.11.H99",
                    extra: str = "") -> Path:
    """A key file with the PKCS#12 person and organisation keys of ``pki`` (and the token's key)."""
    text = f"""
[[keys]]
id = "org-p12"
role = "organisation"
agency_codes = ["{agency}"]
backend = "pkcs12"
path = "{pki.p12_path('organisation')}"
passphrase = "lienthong-dev"
chain = ["{pki.issuing.cert_path}"]
seal_image = "{pki.seal_image}"

[[keys]]
id = "person-p12"
role = "person"
agency_codes = ["{agency}"]
backend = "pkcs12"
path = "{pki.p12_path('person')}"
passphrase = "lienthong-dev"
chain = ["{pki.issuing.cert_path}"]

[[keys]]
id = "expired-p12"
role = "person"
agency_codes = ["{agency}"]
backend = "pkcs12"
path = "{pki.p12_path('expired')}"
passphrase = "lienthong-dev"
"""
    if token is not None:
        text += f"""
[[keys]]
id = "org-hsm"
role = "organisation"
agency_codes = ["{agency}"]
backend = "pkcs11"
module = "{token.module}"
token_label = "{token.token_label}"
pin = "{token.pin}"
key_id = "{token.key_id_hex}"
chain = ["{pki.issuing.cert_path}"]
seal_image = "{pki.seal_image}"
"""
    path.write_text(text + extra, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def write_keys() -> Callable[..., Path]:
    """:func:`write_keys_file` as a fixture (test modules are imported without their package)."""
    return write_keys_file
