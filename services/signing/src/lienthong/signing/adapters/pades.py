"""PAdES signature validation with pyHanko, reported as ETSI EN 319 102-1 indications.

How pyHanko's status of one signature becomes an indication (first match wins;
the order follows EN 319 102-1, where a failed cryptographic check overrides an
undecided certificate check):

===================================================  ===============  =================================
pyHanko (``PdfSignatureStatus`` / exception)          indication       sub-indication
===================================================  ===============  =================================
``SignatureValidationError`` while validating          its AdES status  its ``ades_subindication``
(unknown signature format, broken CMS, ...)                             (``FORMAT_FAILURE``, ``GENERIC``...)
any other error reading the signature                  TOTAL_FAILED     FORMAT_FAILURE
``intact`` is False (the signed byte range's digest    TOTAL_FAILED     HASH_FAILURE
differs from the signed message digest)
``valid`` is False (the signature value does not       TOTAL_FAILED     SIG_CRYPTO_FAILURE
verify with the certificate's key)
``trust_problem_indic`` REVOKED_NO_POE for the         TOTAL_FAILED     REVOKED
signer's certificate, and a trusted signature
timestamp proves the signature was made at or after
the revocation
``trust_problem_indic`` OUT_OF_BOUNDS_NO_POE, and a    TOTAL_FAILED     EXPIRED
trusted signature timestamp is after the
certificate's notAfter
``trust_problem_indic`` CERTIFICATE_CHAIN_GENERAL_      INDETERMINATE    TRY_LATER
FAILURE in hard-fail mode, and the same signature
passes in soft-fail mode (revocation data missing)
any other ``trust_problem_indic`` (certvalidator's     INDETERMINATE    the same name:
errors as pyHanko maps them: PathBuildingError ->                       NO_CERTIFICATE_CHAIN_FOUND,
NO_CERTIFICATE_CHAIN_FOUND, RevokedError ->                             REVOKED_NO_POE,
REVOKED_NO_POE / REVOKED_CA_NO_POE, ExpiredError ->                     OUT_OF_BOUNDS_NO_POE, TRY_LATER,
OUT_OF_BOUNDS_NO_POE, stale revocation data ->                          CHAIN_CONSTRAINTS_FAILURE, ...
TRY_LATER, key usage -> CHAIN_CONSTRAINTS_FAILURE,
weak algorithm -> CRYPTO_CONSTRAINTS_FAILURE(_NO_POE),
anything else -> CERTIFICATE_CHAIN_GENERAL_FAILURE)
no validation path although no problem reported        INDETERMINATE    NO_CERTIFICATE_CHAIN_FOUND
later revisions change more than pyHanko's diff        INDETERMINATE    SIG_CONSTRAINTS_FAILURE
policy allows (``docmdp_ok`` False, modification
level OTHER, or coverage below ENTIRE_REVISION), or
the field's seed-value constraints are violated
a signature timestamp that is present but broken or    INDETERMINATE    NO_POE
untrusted
otherwise                                              TOTAL_PASSED     (empty)
===================================================  ===============  =================================

Modification policy (pyHanko's difference analysis with its default rules,
``DEFAULT_DIFF_POLICY``): after a signature, later incremental updates may add or
fill signature fields with their appearance streams (a second and third sequential
signature, each with its own visible seal/image), add DSS entries (certificates,
CRLs, OCSP responses) and document timestamps, and fill form fields; pyHanko rates
those ``FORM_FILLING`` or better. Anything else — a page's content stream replaced,
an object outside those structures changed, pages added or swapped — is ``OTHER``
and the earlier signature becomes INDETERMINATE / SIG_CONSTRAINTS_FAILURE. The
signature covering the whole file must be ``ENTIRE_FILE``; a signature whose byte
range neither covers its revision (``coverage`` < ``ENTIRE_REVISION``) fails the
same way. Tests show both sides (person + organisation + a third signature, all
visible, pass; a page content swap after signing does not).

Each signature also gets its PAdES level (B-B; B-T with a signature timestamp;
B-LT when the document's DSS carries revocation data as well; B-LTA when a document
timestamp follows the signature) and the trust list whose anchor its chain ended in.

Deliberately conservative: a signature whose certificate was revoked or expired
*after* a trusted timestamp stays INDETERMINATE (REVOKED_NO_POE /
OUT_OF_BOUNDS_NO_POE) — proving it valid in the past needs the long-term (LTV/LTA)
process with revocation data as of the timestamp, which comes later. Certificates
are validated at the current time. Revocation data comes from the trust store's
CRLs and the document's DSS; nothing is fetched unless ``allow_fetching`` is set.
Fetched CRLs and OCSP responses go through one shared, cached set of fetchers
(renewed every ``fetch_cache_s``) with ``fetch_timeout_s`` per request: an
unreachable responder costs at most that long, and in hard-fail mode the
signature is INDETERMINATE / TRY_LATER.
Document timestamps (``/DocTimeStamp``, PAdES B-LTA) are not reported as signatures.
The signer's key usage must include nonRepudiation or digitalSignature.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.crypt.api import AuthStatus
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.general import NonexistentAttributeError, find_unique_cms_attribute
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError, SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.fetchers import Fetchers
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

from lienthong.platform.errors import FieldError, InvalidInput
from lienthong.platform.text import nfc
from lienthong.signing.adapters.trust_store import TrustMaterial
from lienthong.signing.domain.report import Indication, SignatureResult, SubIndication, signature_time_text
from lienthong.signing.service.ports import DocumentValidation

log = logging.getLogger(__name__)

SIGNER_KEY_USAGE = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"},
                                       match_all_key_usages=False)


def _sub(name: str) -> str:
    return SubIndication(name).value if name in SubIndication.__members__ else SubIndication.GENERIC.value


def _subject_attr(name: asn1_x509.Name, attr: str) -> str:
    value = name.native.get(attr, "")
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return nfc(str(value)).strip()


def _aware_or_none(moment: datetime | None) -> datetime | None:
    """A time with a zone, or None: a claimed time without an offset cannot be placed in +07:00."""
    return moment if moment is not None and moment.tzinfo is not None else None


class _CachedFetchers:
    """One set of CRL/OCSP/certificate fetchers shared by all validations, renewed every ``ttl_s``.

    The fetchers cache what they fetched, so a CRL or an OCSP response is fetched once
    per period instead of once per signature.
    """

    def __init__(self, timeout_s: float, ttl_s: float):
        self._backend = RequestsFetcherBackend(per_request_timeout=timeout_s)
        self._ttl_s = ttl_s
        self._lock = threading.Lock()
        self._fetchers: Fetchers | None = None
        self._born = 0.0

    def get(self) -> Fetchers:
        with self._lock:
            if self._fetchers is None or time.monotonic() - self._born > self._ttl_s:
                self._fetchers = self._backend.get_fetchers()
                self._born = time.monotonic()
            return self._fetchers


class PadesValidator:
    """Validates the signatures of a PDF against a trust store, offline by default."""

    def __init__(self, trust: Callable[[], TrustMaterial], *, revocation_mode: str = "soft-fail",
                 allow_fetching: bool = False, fetch_timeout_s: float = 5.0, fetch_cache_s: float = 300.0):
        self._trust = trust
        self._revocation_mode = revocation_mode
        self._allow_fetching = allow_fetching
        self._fetchers = _CachedFetchers(fetch_timeout_s, fetch_cache_s) if allow_fetching else None

    def validate(self, pdf: bytes) -> list[SignatureResult]:
        """One :class:`SignatureResult` per signature (``[]`` if unsigned); ``InvalidInput`` if not a PDF."""
        return self.validate_document(pdf).signatures

    def validate_document(self, pdf: bytes, *, trust_lists: Sequence[str] | None = None) -> DocumentValidation:
        """Validate every signature, trusting only the anchors of ``trust_lists`` (all lists when ``None``).

        ``InvalidInput`` if ``pdf`` is not a readable PDF.
        """
        reader = _open_pdf(pdf)
        warnings = _active_content_warnings(reader)
        try:
            signatures = list(reader.embedded_regular_signatures)
            doc_timestamps = list(reader.embedded_timestamp_signatures)
        except Exception as exc:  # untrusted input: any parser failure is the input's fault
            raise InvalidInput(f"the PDF's signature fields cannot be read: {exc}",
                               errors=[FieldError("pdf", "malformed signature dictionary")]) from exc
        if not signatures:
            return DocumentValidation([], warnings)
        trust = self._trust().restricted_to(trust_lists)
        try:
            dss: DocumentSecurityStore | None = DocumentSecurityStore.read_dss(reader)
        except NoDSSFoundError:
            dss = None
        except Exception as exc:  # a broken DSS is the input's fault too
            raise InvalidInput(f"the PDF's document security store cannot be read: {exc}",
                               errors=[FieldError("pdf", "malformed /DSS dictionary")]) from exc
        sources = self._revocation_sources(trust, dss)
        results = []
        for sig in signatures:
            result = self._validate_one(sig, trust, dss, sources)
            results.append(_with_level(result, sig, dss, doc_timestamps))
        return DocumentValidation(results, warnings)

    # -- one signature ------------------------------------------------------------------------------------
    def _context(self, trust: TrustMaterial, dss: DocumentSecurityStore | None, *,
                 revocation_mode: str | None = None, fetch: bool = True) -> ValidationContext:
        fetching = fetch and self._fetchers is not None
        kwargs: dict[str, Any] = {
            "trust_roots": list(trust.anchors), "other_certs": list(trust.intermediates),
            "crls": list(trust.crls), "ocsps": [], "revocation_mode": revocation_mode or self._revocation_mode,
            "allow_fetching": fetching,
        }
        if fetching:
            assert self._fetchers is not None
            kwargs["fetchers"] = self._fetchers.get()
        return dss.as_validation_context(kwargs) if dss is not None else ValidationContext(**kwargs)

    def _revocation_sources(self, trust: TrustMaterial, dss: DocumentSecurityStore | None) -> str:
        dss_part = f"DSS {len(dss.crls)} CRL(s) and {len(dss.ocsps)} OCSP response(s)" if dss else "no DSS"
        fetching = "fetching on" if self._allow_fetching else "fetching off"
        return f"{self._revocation_mode}; trust store {len(trust.crls)} CRL(s), {dss_part}, {fetching}"

    def _validate_one(self, sig: EmbeddedPdfSignature, trust: TrustMaterial, dss: DocumentSecurityStore | None,
                      sources: str) -> SignatureResult:
        field_name = nfc(sig.field_name or "")
        try:
            status = validate_pdf_signature(sig, self._context(trust, dss), key_usage_settings=SIGNER_KEY_USAGE)
        except SignatureValidationError as exc:
            subindic = exc.ades_subindication
            indication = (Indication.TOTAL_FAILED if isinstance(subindic, AdESFailure)
                          else Indication.INDETERMINATE)
            return _unvalidated(sig, field_name, indication, _sub(subindic.name), exc.failure_message)
        except Exception as exc:  # noqa: BLE001 - untrusted input: any failure is a malformed signature
            log.info("signature %s cannot be processed: %s", field_name, exc)
            return _unvalidated(sig, field_name, Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE.value,
                                f"{type(exc).__name__}: {exc}")
        revinfo_missing = self._revinfo_missing(sig, status, trust, dss)
        trailing = _trailing_bytes(sig, status)
        indication, sub_indication = classify(status, revinfo_missing=revinfo_missing, trailing_bytes=trailing)
        checks = _checks(sig, status, sources)
        if trailing:
            checks.append("byte range: NOT THE WHOLE FILE — bytes that are not a PDF revision follow the signed "
                          "range of the last signature")
        if revinfo_missing:
            checks.append("revocation data: MISSING — a certificate names a CRL/OCSP source that was not available "
                          "(hard-fail); the chain is valid otherwise")
        result = _result(field_name, status, indication, sub_indication, checks)
        if status.validation_path is not None:
            anchor = status.validation_path.trust_anchor
            result = dataclasses.replace(result, trust_list=trust.list_of(anchor.authority.name,
                                                                          anchor.authority.public_key))
        return result

    def _revinfo_missing(self, sig: EmbeddedPdfSignature, status: PdfSignatureStatus, trust: TrustMaterial,
                         dss: DocumentSecurityStore | None) -> bool:
        """In hard-fail mode, whether a chain failure is only missing revocation data (soft-fail would pass)."""
        if (self._revocation_mode != "hard-fail"
                or status.trust_problem_indic is not AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE):
            return False
        retry = validate_pdf_signature(sig, self._context(trust, dss, revocation_mode="soft-fail", fetch=False),
                                       key_usage_settings=SIGNER_KEY_USAGE)
        return retry.trust_problem_indic is None and retry.validation_path is not None


def classify(status: PdfSignatureStatus, *, revinfo_missing: bool = False, trailing_bytes: bool = False,
             now: datetime | None = None) -> tuple[Indication, str]:
    """The indication and sub-indication of one validated signature (the table in the module docstring).

    ``revinfo_missing``: the chain failed only because hard-fail found no revocation data (TRY_LATER).
    ``trailing_bytes``: the signature is in the file's last revision but bytes follow its signed range.
    ``now``: the validation time (default: the current time).
    """
    if not status.intact:
        return Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE.value
    if not status.valid:
        return Indication.TOTAL_FAILED, SubIndication.SIG_CRYPTO_FAILURE.value
    ts_time = _trusted_timestamp_time(status)
    problem = status.trust_problem_indic
    if problem is AdESIndeterminate.REVOKED_NO_POE and status.revocation_details is not None:
        revoked_at = status.revocation_details.revocation_date
        if ts_time is not None and not status.revocation_details.ca_revoked and ts_time >= revoked_at:
            return Indication.TOTAL_FAILED, SubIndication.REVOKED.value
    if (problem is AdESIndeterminate.OUT_OF_BOUNDS_NO_POE and ts_time is not None
            and ts_time > status.signing_cert.not_valid_after):
        return Indication.TOTAL_FAILED, SubIndication.EXPIRED.value
    if (problem is AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE
            and status.signing_cert.not_valid_before > (now or datetime.now(UTC))):
        return Indication.TOTAL_FAILED, SubIndication.NOT_YET_VALID.value
    if problem is AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE and revinfo_missing:
        return Indication.INDETERMINATE, SubIndication.TRY_LATER.value
    if problem is not None:
        return Indication.INDETERMINATE, _sub(problem.name)
    if status.validation_path is None:
        return Indication.INDETERMINATE, SubIndication.NO_CERTIFICATE_CHAIN_FOUND.value
    if not _modifications_allowed(status) or not status.seed_value_ok or trailing_bytes:
        return Indication.INDETERMINATE, SubIndication.SIG_CONSTRAINTS_FAILURE.value
    if status.timestamp_validity is not None and ts_time is None:
        return Indication.INDETERMINATE, SubIndication.NO_POE.value
    return Indication.TOTAL_PASSED, ""


def _trailing_bytes(sig: EmbeddedPdfSignature, status: PdfSignatureStatus) -> bool:
    """The signature is in the last revision, yet its byte range does not reach the end of the file."""
    try:
        last_revision = sig.reader.xrefs.total_revisions - 1
    except Exception:  # noqa: BLE001 - unreadable xref history: the coverage check still applies
        return False
    return sig.signed_revision == last_revision and status.coverage is SignatureCoverageLevel.ENTIRE_REVISION


def _modifications_allowed(status: PdfSignatureStatus) -> bool:
    coverage = status.coverage
    if coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return False
    level = status.modification_level
    if level is not None and level.name == "OTHER":
        return False
    return status.docmdp_ok is not False


def _trusted_timestamp_time(status: PdfSignatureStatus) -> datetime | None:
    ts = status.timestamp_validity
    if ts is None or not (ts.intact and ts.valid and ts.trusted):
        return None
    return ts.timestamp


def _open_pdf(pdf: bytes) -> PdfFileReader:
    if b"%PDF-" not in pdf[:1024]:
        raise InvalidInput("not a PDF: no %PDF- header in the first 1024 bytes",
                           errors=[FieldError("pdf", "expected a PDF document (application/pdf)")])
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        if reader.encrypted and reader.decrypt("").status is AuthStatus.FAILED:
            raise InvalidInput("the PDF is encrypted with a password; send it unencrypted",
                               errors=[FieldError("pdf", "password-protected PDF")])
        _ = reader.root  # force the trailer and catalogue to be read
    except InvalidInput:
        raise
    except Exception as exc:  # untrusted input: every parser failure is a malformed PDF
        raise InvalidInput(f"malformed PDF: {exc}", errors=[FieldError("pdf", "the PDF cannot be parsed")]) from exc
    return reader


def _certificate_facts(cert: asn1_x509.Certificate | None) -> dict[str, Any]:
    if cert is None:
        return {}
    return {
        "signer_name": _subject_attr(cert.subject, "common_name"),
        "signer_organisation": _subject_attr(cert.subject, "organization_name"),
        "signer_certificate_sha256": hashlib.sha256(cert.dump()).hexdigest(),
        "signer_serial_number": format(cert.serial_number, "x"),
        "issuer_name": _subject_attr(cert.issuer, "common_name") or cert.issuer.human_friendly,
        "certificate_not_before": cert.not_valid_before,
        "certificate_not_after": cert.not_valid_after,
    }


def _result(field_name: str, status: PdfSignatureStatus, indication: Indication,
            sub_indication: str, checks: list[str]) -> SignatureResult:
    ts = status.timestamp_validity
    level = status.modification_level
    return SignatureResult(
        field_name=field_name, indication=indication, sub_indication=sub_indication,
        signing_time=_aware_or_none(status.signer_reported_dt),
        timestamp_time=ts.timestamp if ts is not None else None,
        coverage=status.coverage.name if status.coverage is not None else "",
        modification_level=level.name if level is not None else "",
        checks=tuple(checks), **_certificate_facts(status.signing_cert))


def _unvalidated(sig: EmbeddedPdfSignature, field_name: str, indication: Indication, sub_indication: str,
                 reason: str) -> SignatureResult:
    """A signature that pyHanko could not take through validation: what can still be read, and why."""
    try:
        cert: asn1_x509.Certificate | None = sig.signer_cert
    except Exception:  # noqa: BLE001 - the CMS itself is broken: no certificate to show
        cert = None
    try:
        signing_time = _aware_or_none(sig.self_reported_timestamp)
    except Exception:  # noqa: BLE001 - a broken /M entry: no claimed time
        signing_time = None
    facts = _certificate_facts(cert)
    facts.setdefault("signer_name", "")
    facts.setdefault("signer_organisation", "")
    return SignatureResult(field_name=field_name, indication=indication, sub_indication=sub_indication,
                           signing_time=signing_time, timestamp_time=None, coverage="", modification_level="",
                           checks=(f"format: FAILED — {nfc(reason)}",), **facts)


def _checks(sig: EmbeddedPdfSignature, status: PdfSignatureStatus, sources: str) -> list[str]:
    subfilter = str(sig.sig_object.get("/SubFilter", "")).lstrip("/")
    checks = [f"format: OK — {subfilter or 'no /SubFilter'}"]
    checks.append("integrity: OK — the signed byte range matches the signed digest" if status.intact
                  else "integrity: FAILED — the signed bytes were changed after signing")
    mechanism = f"{status.pkcs7_signature_mechanism} with {status.md_algorithm}"
    checks.append(f"signature value: OK — {mechanism}" if status.valid
                  else f"signature value: FAILED — {mechanism} does not verify")
    if status.trust_problem_indic is None and status.validation_path is not None:
        anchor = status.validation_path.trust_anchor.authority.name
        checks.append(f"certificate chain: OK — anchored at {_subject_attr(anchor, 'common_name')}")
    elif status.intact and status.valid:
        problem = status.trust_problem_indic.name if status.trust_problem_indic else "NO_CERTIFICATE_CHAIN_FOUND"
        checks.append(f"certificate chain: {problem} — {_subject_attr(status.signing_cert.subject, 'common_name')}"
                      f" issued by {_subject_attr(status.signing_cert.issuer, 'common_name')}")
    else:
        checks.append("certificate chain: SKIPPED — the signature itself does not verify")
    if status.revocation_details is not None:
        rd = status.revocation_details
        whose = "a CA certificate" if rd.ca_revoked else "the signer's certificate"
        checks.append(f"revocation: REVOKED — {whose} since {signature_time_text(rd.revocation_date)} "
                      f"({rd.revocation_reason.native}); {sources}")
    elif status.trust_problem_indic is None and status.validation_path is not None:
        checks.append(f"revocation: NOT REVOKED in the available data — {sources}")
    else:
        checks.append(f"revocation: NOT CONCLUSIVE — the chain did not validate; {sources}")
    ts = status.timestamp_validity
    if ts is None:
        checks.append("signature timestamp: NONE")
    elif ts.intact and ts.valid and ts.trusted:
        checks.append(f"signature timestamp: OK — {signature_time_text(ts.timestamp)} by "
                      f"{_subject_attr(ts.signing_cert.subject, 'common_name')}")
    else:
        checks.append(f"signature timestamp: FAILED — {ts.summary()}")
    coverage = status.coverage.name if status.coverage is not None else "UNKNOWN"
    level = status.modification_level.name if status.modification_level is not None else "UNKNOWN"
    verdict = "OK" if _modifications_allowed(status) else "NOT ALLOWED"
    checks.append(f"modifications after signing: {verdict} — {level}, coverage {coverage}")
    if not status.seed_value_ok:
        checks.append(f"seed values: FAILED — {status.seed_value_constraint_error}")
    return checks


def _with_level(result: SignatureResult, sig: EmbeddedPdfSignature, dss: DocumentSecurityStore | None,
                doc_timestamps: list[EmbeddedPdfSignature]) -> SignatureResult:
    """``result`` with its PAdES baseline level (EN 319 142-1) and a check saying how it was found."""
    try:
        timestamped = _has_signature_timestamp(sig)
        later_doc_ts = [ts for ts in doc_timestamps if ts.signed_revision > sig.signed_revision]
    except Exception:  # noqa: BLE001 - a broken signature has no level beyond B-B
        timestamped, later_doc_ts = False, []
    has_revinfo = dss is not None and bool(dss.crls or dss.ocsps) and _signer_in_dss(sig, dss)
    level = "B-B"
    if timestamped:
        level = "B-T"
        if has_revinfo:
            level = "B-LTA" if later_doc_ts else "B-LT"
    detail = (f"signature timestamp {'yes' if timestamped else 'no'}, DSS revocation data for this signer "
              f"{'yes' if has_revinfo else 'no'}, later document timestamps {len(later_doc_ts)}")
    return dataclasses.replace(result, level=level, checks=(*result.checks, f"PAdES level: {level} — {detail}"))


def _signer_in_dss(sig: EmbeddedPdfSignature, dss: DocumentSecurityStore) -> bool:
    """Whether the DSS was filled for this signer (its certificate is among the DSS certificates)."""
    try:
        return sig.signer_cert.issuer_serial in dss.certs
    except Exception:  # noqa: BLE001 - a broken signature or DSS
        return False


def _has_signature_timestamp(sig: EmbeddedPdfSignature) -> bool:
    try:
        find_unique_cms_attribute(sig.signer_info["unsigned_attrs"], "signature_time_stamp_token")
    except NonexistentAttributeError:
        return False
    return True


def _names_tree_has(names: generic.PdfObject | None, key: str) -> bool:
    try:
        tree = names.get_object() if names is not None else None
        return isinstance(tree, generic.DictionaryObject) and key in tree
    except Exception:  # noqa: BLE001 - a broken /Names tree
        return False


def _active_content_warnings(reader: PdfFileReader) -> list[str]:
    """JavaScript, automatic actions and embedded files that the PDF carries (reported, never run)."""
    warnings = []
    try:
        root = reader.root
        names = root.get("/Names")
        if _names_tree_has(names, "/JavaScript") or _has_js_action(root.get("/OpenAction")):
            warnings.append("javascript: the PDF carries JavaScript (not executed by the validator)")
        if "/AA" in root:
            warnings.append("automatic actions: the document catalogue has additional actions (/AA)")
        if _names_tree_has(names, "/EmbeddedFiles"):
            warnings.append("embedded files: the PDF carries attached files, which the signatures' report does "
                            "not validate")
    except Exception as exc:  # noqa: BLE001 - a broken catalogue is reported, not fatal
        warnings.append(f"structure: the catalogue could not be inspected ({type(exc).__name__})")
    return warnings


def _has_js_action(action: generic.PdfObject | None) -> bool:
    try:
        action = action.get_object() if action is not None else None
        return isinstance(action, generic.DictionaryObject) and action.get("/S") == "/JavaScript"
    except Exception:  # noqa: BLE001
        return False
