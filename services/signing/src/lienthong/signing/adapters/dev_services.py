"""The dev PKI's online services on one loopback HTTP port: CRLs, an OCSP responder and a TSA.

FOR TESTS AND DEMOS ONLY. A PKI generated with ``base_url="http://127.0.0.1:<port>"``
names these addresses in its certificates:

* ``GET  /crls/<ca>.crl``  — the CA's CRL in DER (``root-ca``, ``issuing-ca``);
* ``POST /ocsp/<ca>``      — RFC 6960 OCSP, responses signed by the issuing CA itself
  (good, or revoked for the dev PKI's revoked certificate; unknown serials are refused);
* ``POST /tsa``            — RFC 3161 time stamps from the dev TSA (pyHanko's ``DummyTimeStamper``).

All cryptography comes from ``cryptography`` and pyHanko; nothing is hand-written.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import urlsplit

from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from lienthong.signing.adapters.dev_pki import DevPki, load_dev_pki

MAX_REQUEST_BYTES = 64 * 1024


@dataclass
class _Responder:
    issuing_cert: x509.Certificate
    issuing_key: object
    leaves: dict[int, x509.Certificate]
    revoked: dict[int, datetime]
    crls: dict[str, bytes]
    timestamper: DummyTimeStamper

    def ocsp(self, body: bytes) -> bytes:
        try:
            request = ocsp.load_der_ocsp_request(body)
        except ValueError:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST).public_bytes(
                serialization.Encoding.DER)
        leaf = self.leaves.get(request.serial_number)
        if leaf is None:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(
                serialization.Encoding.DER)
        now = datetime.now(UTC).replace(microsecond=0)
        revoked_at = self.revoked.get(request.serial_number)
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert=leaf, issuer=self.issuing_cert, algorithm=request.hash_algorithm,
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD,
            this_update=now - timedelta(minutes=1), next_update=now + timedelta(days=1),
            revocation_time=revoked_at, revocation_reason=x509.ReasonFlags.key_compromise if revoked_at else None,
        ).responder_id(ocsp.OCSPResponderEncoding.HASH, self.issuing_cert)
        try:
            nonce = request.extensions.get_extension_for_class(x509.OCSPNonce)
            builder = builder.add_extension(nonce.value, critical=False)
        except x509.ExtensionNotFound:
            pass
        return builder.sign(self.issuing_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def tsa(self, body: bytes) -> bytes:
        return self.timestamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()


def _responder(pki: DevPki) -> _Responder:
    def cert(path) -> x509.Certificate:
        return x509.load_pem_x509_certificate(path.read_bytes())

    issuing_cert = cert(pki.issuing.cert_path)
    issuing_key = serialization.load_pem_private_key(pki.issuing.key_path.read_bytes(), password=None)
    leaves = {i.serial_number: cert(i.cert_path) for i in pki.signers.values()}
    crl = x509.load_pem_x509_crl(pki.issuing_crl_path.read_bytes())
    revoked = {r.serial_number: r.revocation_date_utc for r in crl}
    crls = {name: x509.load_pem_x509_crl(path.read_bytes()).public_bytes(serialization.Encoding.DER)
            for name, path in (("root-ca", pki.root_crl_path), ("issuing-ca", pki.issuing_crl_path))}
    timestamper = DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(str(pki.tsa.cert_path)),
        tsa_key=load_private_key_from_pemder(str(pki.tsa.key_path), passphrase=None),
        certs_to_embed=SimpleCertificateStore.from_certs([load_cert_from_pemder(str(pki.issuing.cert_path))]))
    return _Responder(issuing_cert, issuing_key, leaves, revoked, crls, timestamper)


class DevPkiServer:
    """A running CRL/OCSP/TSA server for a dev PKI; ``close()`` stops it."""

    def __init__(self, server: ThreadingHTTPServer, thread: threading.Thread):
        self._server = server
        self._thread = thread
        host, port = server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self.requests: dict[str, int] = {"crl": 0, "ocsp": 0, "tsa": 0}

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve_dev_pki(pki: DevPki | str, *, host: str | None = None, port: int | None = None) -> DevPkiServer:
    """Serve ``pki``'s CRLs, OCSP and TSA in a daemon thread, on the host and port of its ``base_url``."""
    pki = pki if isinstance(pki, DevPki) else load_dev_pki(pki)
    address = urlsplit(pki.base_url) if pki.base_url else None
    bind_host = host or (address.hostname if address else None) or "127.0.0.1"
    bind_port = port if port is not None else (address.port if address and address.port else 0)
    responder = _responder(pki)
    holder: list[DevPkiServer] = []

    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            name = self.path.removeprefix("/crls/").removesuffix(".crl")
            if self.path.startswith("/crls/") and name in responder.crls:
                holder[0].requests["crl"] += 1
                self._send(200, responder.crls[name], "application/pkix-crl")
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_REQUEST_BYTES:
                self._send(413, b"too large", "text/plain")
                return
            body = self.rfile.read(length)
            try:
                if self.path == "/ocsp/issuing-ca":
                    holder[0].requests["ocsp"] += 1
                    self._send(200, responder.ocsp(body), "application/ocsp-response")
                elif self.path == "/tsa":
                    holder[0].requests["tsa"] += 1
                    self._send(200, responder.tsa(body), "application/timestamp-reply")
                else:
                    self._send(404, b"not found", "text/plain")
            except ValueError as exc:
                self._send(400, str(exc).encode(), "text/plain")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((bind_host, bind_port), Handler)
    thread = threading.Thread(target=server.serve_forever, name="dev-pki-server", daemon=True)
    holder.append(DevPkiServer(server, thread))
    thread.start()
    return holder[0]
