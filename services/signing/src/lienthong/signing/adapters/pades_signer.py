"""PAdES signing, extension (B-LT, B-LTA) and evidence renewal with pyHanko.

Levels (EN 319 142-1): every signature made here is at least **B-T** (signature
timestamp from the configured TSA); **B-LT** adds a DSS with the chain's
certificates, CRLs and OCSP responses fetched now; **B-LTA** adds a document
timestamp over all of it. Extending an existing file to B-LT collects revocation
data for every signature (and their timestamps) into one DSS update; to B-LTA it
then adds a document timestamp. Renewal adds a fresh document timestamp (with the
previous timestamp's revocation data) — pyHanko's archival timestamp chain.

Appearance (NĐ 30/2020 Phụ lục I; signatures.md §4): ``seal`` draws the
organisation's seal image at real size (default box 110 pt, bottom right of the
last page, over the person signature); ``text`` draws the number/symbol and the
signing time (ISO 8601, +07:00) in 10 pt black serif at the top right of page 1
(attachments, copies, digitised files); ``none`` makes an invisible signature.
The text is the appearance of the signature field itself, so the shown time is the
signature's own (to the second; the CMS signing time is taken a moment later).
DejaVu Serif stands in for Times New Roman (metric-compatible fonts need a licence
check, signatures.md §9.1): configurable with ``appearance_font``.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.validation.dss import DocumentSecurityStore, collect_validation_info
from pyhanko.stamp import StaticStampStyle, TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

from lienthong.platform import clock
from lienthong.platform.errors import FieldError, IllegalState, InvalidInput, Unavailable
from lienthong.signing.adapters.keys import KeyRing, LoadedKey
from lienthong.signing.adapters.trust_store import TrustMaterial
from lienthong.signing.domain.keys import Appearance, EvidenceStatus, KeyInfo

SEAL_BOX = (380.0, 110.0, 490.0, 220.0)
"""Default seal box on the last page: 110 pt ≈ 39 mm, a round seal at real size (UNSURE, configurable)."""
TEXT_BOX = (395.0, 772.0, 570.0, 812.0)
"""Default text box: top right of page 1 of A4, inside a 20 mm right margin."""


class PadesSigner:
    """Signs, extends and renews PDFs with keys of the key ring, a TSA and the trust store."""

    def __init__(self, ring: KeyRing, *, tsa_url: str, trust: Any, fetch_timeout_s: float = 5.0,
                 tsa_timeout_s: float = 10.0, font_path: Path | None = None):
        self._ring = ring
        self._tsa_url = tsa_url
        self._trust = trust
        self._fetch_timeout_s = fetch_timeout_s
        self._tsa_timeout_s = tsa_timeout_s
        self._font_path = font_path

    # -- building blocks --------------------------------------------------------------------------------
    def _timestamper(self) -> timestamps.TimeStamper:
        if not self._tsa_url:
            raise IllegalState("no time-stamping authority is configured (setting tsa_url): cannot make B-T")
        return timestamps.HTTPTimeStamper(self._tsa_url, timeout=self._tsa_timeout_s)

    def validation_context(self) -> ValidationContext:
        """Hard-fail, fetching context over the whole trust store: what goes into a DSS is what was checked."""
        material: TrustMaterial = self._trust()
        return ValidationContext(trust_roots=list(material.anchors), other_certs=list(material.intermediates),
                                 crls=list(material.crls), allow_fetching=True, revocation_mode="hard-fail",
                                 fetcher_backend=RequestsFetcherBackend(per_request_timeout=self._fetch_timeout_s))

    def _stamp(self, key: LoadedKey, appearance: Appearance) -> tuple[Any, dict[str, str]]:
        now_text = clock.to_vn(clock.now()).isoformat(timespec="seconds")
        if appearance.kind == "seal":
            if key.seal_image is None:
                raise InvalidInput(f"key {key.info.key_id} has no seal image; choose appearance text or none",
                                   errors=[FieldError("appearance", "no seal image for this key")])
            with Image.open(key.seal_image) as image:
                seal = PdfImage(image.convert("RGBA"))
            layout = SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID,
                                         margins=Margins.uniform(0.5))
            return StaticStampStyle(background=seal, border_width=0, background_layout=layout,
                                    background_opacity=1), {}
        if self._font_path is None or not self._font_path.is_file():
            raise IllegalState(f"the appearance font {self._font_path} is missing: cannot draw Vietnamese text")
        style = TextStampStyle(stamp_text="%(so_ky_hieu)s\n%(ts)s", border_width=0, background=None,
                               text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(self._font_path)),
                                                           font_size=10))
        return style, {"so_ky_hieu": appearance.number_symbol or key.info.organisation, "ts": now_text}

    # -- operations ---------------------------------------------------------------------------------------
    def key_infos(self) -> list[KeyInfo]:
        """The key inventory."""
        return self._ring.infos()

    def key_info(self, key_id: str) -> KeyInfo:
        """One key's inventory entry; ``NotFound`` if there is none."""
        return self._ring.get(key_id).info

    def sign(self, pdf: bytes, key_id: str, *, field_name: str, level: str, appearance: Appearance) -> bytes:
        """``pdf`` with one more signature (incremental update) at ``level`` B-T, B-LT or B-LTA."""
        writer = _writer(pdf)
        with self._ring.using(key_id) as key:
            return self._sign(writer, key, field_name=field_name, level=level, appearance=appearance)

    def _sign(self, writer: IncrementalPdfFileWriter, key: LoadedKey, *, field_name: str, level: str,
              appearance: Appearance) -> bytes:
        long_term = level in ("B-LT", "B-LTA")
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            embed_validation_info=long_term, use_pades_lta=level == "B-LTA",
            validation_context=self.validation_context() if long_term else None)
        stamp_style, params = (None, {}) if appearance.kind == "none" else self._stamp(key, appearance)
        spec = None
        if appearance.kind != "none":
            box = appearance.box or (SEAL_BOX if appearance.kind == "seal" else TEXT_BOX)
            spec = fields.SigFieldSpec(field_name, on_page=appearance.page, box=box)
        elif field_name not in _field_names(writer):
            spec = fields.SigFieldSpec(field_name)
        pdf_signer = signers.PdfSigner(meta, signer=key.signer, timestamper=self._timestamper(),
                                       stamp_style=stamp_style, new_field_spec=spec)
        try:
            return pdf_signer.sign_pdf(writer, appearance_text_params=params or None).getvalue()
        except (InvalidInput, IllegalState):
            raise
        except Exception as exc:
            raise _signing_error("sign", exc) from exc

    def extend(self, pdf: bytes, level: str) -> bytes:
        """``pdf`` extended to ``B-LT`` (DSS for every signature) or ``B-LTA`` (then a document timestamp)."""
        if level not in ("B-LT", "B-LTA"):
            raise InvalidInput("extend to B-LT or B-LTA", errors=[FieldError("level", "B-LT or B-LTA")])
        reader = _reader(pdf)
        sigs = list(reader.embedded_signatures)
        if not sigs:
            raise InvalidInput("the PDF has no signature to extend", errors=[FieldError("pdf", "unsigned PDF")])
        vc = self.validation_context()
        try:
            paths = []
            for sig in sigs:
                paths.extend(_run(collect_validation_info(sig, vc)))
            out = io.BytesIO(pdf)
            DocumentSecurityStore.add_dss(out, sig_contents=None, paths=paths, validation_context=vc,
                                          force_write=True)
            result = out.getvalue()
            if level == "B-LTA":
                ts = signers.PdfTimeStamper(self._timestamper())
                result = ts.timestamp_pdf(_writer(result), "sha256", validation_context=vc).getvalue()
            return result
        except Exception as exc:
            raise _signing_error("extend", exc) from exc

    def evidence_status(self, pdf: bytes, *, renew_within: timedelta, now: datetime) -> EvidenceStatus:
        """Whether the last document timestamp's TSA certificate ends within ``renew_within`` of ``now``."""
        reader = _reader(pdf)
        try:
            stamps = sorted(reader.embedded_timestamp_signatures, key=lambda s: s.signed_revision)
        except Exception as exc:
            raise InvalidInput(f"the PDF's timestamps cannot be read: {exc}",
                               errors=[FieldError("pdf", "malformed document timestamp")]) from exc
        if not stamps:
            return EvidenceStatus(False, None, None, False, "no document timestamp (not B-LTA): extend it first")
        last = stamps[-1]
        not_after = last.signer_cert.not_valid_after
        at = last.self_reported_timestamp or _tst_time(last)
        due = not_after <= now + renew_within
        reason = (f"the TSA certificate of the last document timestamp ends {clock.iso(not_after)}"
                  + (", within the renewal window" if due else ", outside the renewal window"))
        return EvidenceStatus(True, at, not_after, due, reason)

    def renew(self, pdf: bytes) -> bytes:
        """A fresh document timestamp over ``pdf``, with revocation data for the previous one (B-LTA chain)."""
        reader = _reader(pdf)
        if not list(reader.embedded_timestamp_signatures):
            raise IllegalState("the PDF has no document timestamp to renew: extend it to B-LTA first")
        try:
            ts = signers.PdfTimeStamper(self._timestamper())
            return ts.update_archival_timestamp_chain(reader, self.validation_context(), in_place=False).getvalue()
        except Exception as exc:
            raise _signing_error("renew", exc) from exc


def _tst_time(sig: Any) -> datetime | None:
    try:
        return sig.signed_data["encap_content_info"]["content"].parsed["gen_time"].native
    except Exception:  # noqa: BLE001 - a broken token has no readable time
        return None


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


def _signing_error(operation: str, exc: Exception) -> Unavailable:
    return Unavailable(f"{operation} failed: {type(exc).__name__}: {exc} (check the TSA, the OCSP/CRL servers "
                       "and that the certificate chains to a configured trust anchor)")


def _reader(pdf: bytes) -> PdfFileReader:
    if b"%PDF-" not in pdf[:1024]:
        raise InvalidInput("not a PDF", errors=[FieldError("pdf", "expected a PDF document")])
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        _ = reader.root
        return reader
    except Exception as exc:
        raise InvalidInput(f"malformed PDF: {exc}", errors=[FieldError("pdf", "the PDF cannot be parsed")]) from exc


def _writer(pdf: bytes) -> IncrementalPdfFileWriter:
    _reader(pdf)
    return IncrementalPdfFileWriter(io.BytesIO(pdf))


def _field_names(writer: IncrementalPdfFileWriter) -> Sequence[str]:
    try:
        return [name for name, _, _ in fields.enumerate_sig_fields(writer)]
    except Exception:  # noqa: BLE001 - no AcroForm
        return []
