"""HMAC-SHA256 signed headers of the mailbox protocol, exactly as SDKVXP builds and sends them.

Signing (client side, :func:`sign_headers`), as ``VnptService.addXroadVnptHashHeader`` does it:

1. the SDK keeps a ``java.util.HashMap`` of header names to values (``timestamp``, ``systemid``,
   ``Content-Type`` and the call's keys, put in that order) and iterates it in HashMap order;
2. for each entry it adds ``"XroadVnpt-<name>": "<value>"`` to a Gson ``JsonObject`` (insertion
   order kept) and sends the header ``XroadVnpt-<name>`` — plus the bare ``Content-Type``;
3. ``XroadVnpt-sign-header-key`` = the bare names joined by ``;``, ``XroadVnpt-sign-header`` =
   ``JsonObject.toString()`` (compact, not HTML-escaped: ``toString`` uses a plain ``JsonWriter``),
   ``XroadVnpt-hash-header`` = lowercase hex HMAC-SHA256 with key = the UTF-8 bytes of the secret
   string and message = the UTF-8 bytes of that JSON; then the unsigned ``User-Agent`` and
   ``XroadVnpt-version``.

Verification (server side, :func:`authenticate`): the HMAC is checked over the JSON **as
received** (never re-serialised) by a port, so secrets stay in the registry; every signed value
must equal the header actually sent; operation parameters are read from the signed values only;
the optional freshness window applies to the signed ``timestamp``. :func:`verify_body_hash` and
:class:`BodyHasher` check ``hash-file`` while streaming the body (quirks Q4, Q5).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from lienthong.platform import clock
from lienthong.vxp.protocol import (
    HASH_HEADER,
    HEADER_PREFIX,
    SDK_USER_AGENT,
    SDK_VERSION,
    SIGN_HEADER,
    SIGN_HEADER_KEY,
    VERSION_HEADER,
    AgencyNotHeld,
    AuthenticationFailed,
    HashFileMismatch,
    HashStyle,
    MalformedRequest,
    PackageTooLarge,
    SignedHeaderMismatch,
    StaleTimestamp,
    UnknownSystem,
    hash_file_hex,
    parse_timestamp,
)

CONTENT_TYPE = "Content-Type"
DEFAULT_MAX_PACKAGE_BYTES = 50 * 1024 * 1024
"""``max_package_mb`` default of ``domain/national-axis.md`` §8."""

# --------------------------------------------------------------------------------------------------
# Signing, byte-compatible with SDKVXP
# --------------------------------------------------------------------------------------------------


def java_string_hash(text: str) -> int:
    """Java's ``String.hashCode()`` (UTF-16 code units, 32-bit signed overflow)."""
    units = text.encode("utf-16-be")
    h = 0
    for i in range(0, len(units), 2):
        h = (31 * h + ((units[i] << 8) | units[i + 1])) & 0xFFFFFFFF
    return h - (1 << 32) if h & 0x80000000 else h


def java_hashmap_order(keys: Iterable[str]) -> list[str]:
    """The iteration order of a ``java.util.HashMap<String, ?>`` after putting ``keys`` in this order.

    Emulates Java 8+: bucket = ``(h ^ (h >>> 16)) & (capacity - 1)``, capacity 16 doubling when
    the size exceeds 0.75 x capacity or when a bucket reaches 9 entries below capacity 64
    (``treeifyBin`` resizes instead); a resize keeps each bucket's relative order, so the result
    is the keys sorted by final bucket, insertion order within a bucket. Re-putting a key keeps
    its place. (Tree bins, i.e. 9+ colliding keys at capacity >= 64, are not emulated; header
    maps never come close.)
    """
    ordered: list[str] = list(dict.fromkeys(keys))
    spread = [(h ^ ((h & 0xFFFFFFFF) >> 16)) & 0xFFFFFFFF for h in map(java_string_hash, ordered)]
    capacity = 16
    for size in range(1, len(ordered) + 1):
        bucket = spread[size - 1] & (capacity - 1)
        if capacity < 64 and sum(1 for s in spread[:size] if s & (capacity - 1) == bucket) >= 9:
            capacity *= 2
        if size > capacity * 3 // 4:
            capacity *= 2
    index = {key: i for i, key in enumerate(ordered)}
    return sorted(ordered, key=lambda k: (spread[index[k]] & (capacity - 1), index[k]))


def gson_json(value: Any, *, html_safe: bool = False) -> str:
    """Serialise strings, lists and string-keyed dicts as Gson's ``JsonElement.toString()`` does.

    Compact; escapes ``"``, ``\\``, control characters (``\\t \\b \\n \\r \\f`` short, others
    ``\\u00XX``), U+2028 and U+2029; non-ASCII is written as is. ``html_safe`` adds Gson's
    HTML-safe escapes of ``< > & = '`` (what ``new Gson().toJson`` would do; ``toString`` does not).
    """
    if isinstance(value, str):
        return _gson_string(value, html_safe)
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{_gson_string(k, html_safe)}:{gson_json(v, html_safe=html_safe)}"
                              for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(gson_json(v, html_safe=html_safe) for v in value) + "]"
    if value is None:
        return "null"
    raise TypeError(f"gson_json: unsupported value {value!r}")


_GSON_SHORT = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\b": "\\b", "\n": "\\n", "\r": "\\r", "\f": "\\f",
               "\u2028": "\\u2028", "\u2029": "\\u2029"}
_GSON_HTML = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "=": "\\u003d", "'": "\\u0027"}


def _gson_string(text: str, html_safe: bool) -> str:
    out = ['"']
    for char in text:
        if char in _GSON_SHORT:
            out.append(_GSON_SHORT[char])
        elif ord(char) < 0x20:
            out.append(f"\\u{ord(char):04x}")
        elif html_safe and char in _GSON_HTML:
            out.append(_GSON_HTML[char])
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def compute_signature(secret: str, message: str) -> str:
    """Lowercase hex HMAC-SHA256 of ``message`` (UTF-8) with key = the UTF-8 bytes of ``secret``."""
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def signature_matches(secrets: Iterable[str], message: str, signature: str) -> bool:
    """Whether ``signature`` (hex, any case) is the HMAC of ``message`` under one of ``secrets``.

    Constant-time per secret; several secrets support rotation with an overlap period.
    """
    given = signature.strip().lower()
    matched = False
    for secret in secrets:
        matched |= hmac.compare_digest(compute_signature(secret, message), given)
    return matched


def sdk_header_map(system_id: str, timestamp: str, content_type: str,
                   params: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """The SDK's header map for one call, in put order: ``timestamp``, ``systemid``, ``Content-Type``, then
    the call's keys as given (the ``to`` array already serialised, see :func:`gson_json`)."""
    header_map = {"timestamp": timestamp, "systemid": system_id, CONTENT_TYPE: content_type}
    header_map.update(params.items() if isinstance(params, Mapping) else params)
    return header_map


@dataclass(frozen=True)
class SignedHeaders:
    """The headers of one request, as SDKVXP sends them, in its order."""

    headers: tuple[tuple[str, str], ...]
    sign_header: str
    """The signed-header JSON (``XroadVnpt-sign-header``)."""
    sign_header_key: str
    hash_header: str
    """Lowercase hex HMAC-SHA256 of :attr:`sign_header`."""

    def as_dict(self) -> dict[str, str]:
        """The headers as a dict (header names are unique in a signed set)."""
        return dict(self.headers)


def sign_headers(secret: str, header_map: Mapping[str, str], *, html_safe: bool = False,
                 user_agent: str = SDK_USER_AGENT, version: str = SDK_VERSION) -> SignedHeaders:
    """Sign a header map exactly as ``VnptService.addXroadVnptHashHeader`` does.

    ``header_map`` is in put order (Python dicts keep it; build it with :func:`sdk_header_map`);
    entries are emitted in Java ``HashMap`` iteration order (:func:`java_hashmap_order`).
    """
    claims: dict[str, str] = {}
    headers: list[tuple[str, str]] = []
    names = java_hashmap_order(header_map)
    for name in names:
        value = header_map[name]
        if name == CONTENT_TYPE:
            headers.append((CONTENT_TYPE, value))
        claims[HEADER_PREFIX + name] = value
        headers.append((HEADER_PREFIX + name, value))
    sign_header = gson_json(claims, html_safe=html_safe)
    sign_header_key = ";".join(names)
    hash_header = compute_signature(secret, sign_header)
    headers += [
        (HEADER_PREFIX + SIGN_HEADER_KEY, sign_header_key), (HEADER_PREFIX + SIGN_HEADER, sign_header),
        (HEADER_PREFIX + HASH_HEADER, hash_header), ("User-Agent", user_agent),
        (HEADER_PREFIX + VERSION_HEADER, version)]
    return SignedHeaders(tuple(headers), sign_header, sign_header_key, hash_header)


# --------------------------------------------------------------------------------------------------
# Reading headers (server side)
# --------------------------------------------------------------------------------------------------


class VxpHeaders:
    """A request's headers: case-insensitive names, repeated headers kept, prefix-aware lookup."""

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]]):
        pairs = items.items() if isinstance(items, Mapping) else items
        self._values: dict[str, list[str]] = {}
        for name, value in pairs:
            self._values.setdefault(name.lower(), []).append(value)

    @classmethod
    def from_raw(cls, raw: Iterable[tuple[bytes, bytes]]) -> VxpHeaders:
        """From raw header bytes (ASGI ``scope["headers"]``, Starlette ``request.headers.raw``).

        Values are decoded as UTF-8 (what the signature covers), Latin-1 when not valid UTF-8.
        """
        def text(value: bytes) -> str:
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                return value.decode("latin-1")
        return cls((name.decode("latin-1"), text(value)) for name, value in raw)

    def all(self, name: str) -> list[str]:
        """Every value sent under exactly this name (case-insensitive)."""
        return list(self._values.get(name.lower(), ()))

    def exact(self, name: str) -> str | None:
        """The first value sent under exactly this name (case-insensitive)."""
        values = self._values.get(name.lower())
        return values[0] if values else None

    def get(self, name: str, *, accept_unprefixed: bool = True) -> str | None:
        """``XroadVnpt-<name>`` first, then the bare ``<name>`` (quirk Q1)."""
        value = self.exact(HEADER_PREFIX + name)
        if value is None and accept_unprefixed:
            value = self.exact(name)
        return value

    def names(self) -> list[str]:
        """The lower-cased names of every header sent."""
        return list(self._values)


# --------------------------------------------------------------------------------------------------
# Authentication (server side)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SystemIdentity:
    """A connected system whose signature verified, and the agencies it may act for."""

    system_id: str
    agency_codes: frozenset[str]
    name: str = ""

    def holds(self, agency_code: str) -> bool:
        """Whether this system may act for ``agency_code``."""
        return agency_code in self.agency_codes


SignatureVerifier = Callable[[str, str, str], SystemIdentity]
"""Port: ``verify_signature(system_id, message, signature) -> SystemIdentity``.

``message`` is the signed-header JSON exactly as received, ``signature`` the lowercase hex
HMAC. Raise :class:`~lienthong.vxp.protocol.UnknownSystem` for an unknown or disabled system
and :class:`~lienthong.vxp.protocol.AuthenticationFailed` when no active secret verifies it.
The registry implements it over gRPC ``VerifySystemSignature``; :func:`secret_table_verifier`
implements it over plaintext secrets in memory.
"""
AsyncSignatureVerifier = Callable[[str, str, str], Awaitable[SystemIdentity]]
"""The same port, awaitable (for an async gRPC stub)."""


def secret_table_verifier(systems: Mapping[str, tuple[Iterable[str], Iterable[str]]]) -> SignatureVerifier:
    """A :data:`SignatureVerifier` over ``{system_id: (active secrets, agency codes)}`` held in memory."""
    def verify(system_id: str, message: str, signature: str) -> SystemIdentity:
        entry = systems.get(system_id)
        if entry is None:
            raise UnknownSystem(f"unknown system {system_id!r}")
        secrets, agencies = entry
        if not signature_matches(secrets, message, signature):
            raise AuthenticationFailed(
                f"the HMAC of the signed headers does not verify for system {system_id!r}")
        return SystemIdentity(system_id, frozenset(agencies))
    return verify


@dataclass(frozen=True)
class AuthPolicy:
    """The configurable decisions of ``domain/national-axis.md`` §8 that authentication applies."""

    timestamp_window: timedelta | None = None
    """Refuse a signed ``timestamp`` further than this from now; ``None`` (default) = off (quirk Q3)."""
    accept_unprefixed_headers: bool = True
    """Read the bare ``<name>`` when ``XroadVnpt-<name>`` is absent (quirk Q1)."""
    hash_accept_unpadded: bool = True
    """Accept ``hash-file`` without zero padding (quirk Q5)."""
    hash_strip_trailing_crlf: bool = True
    """Accept a body that is the file plus one CRLF (quirk Q4)."""
    max_package_bytes: int | None = DEFAULT_MAX_PACKAGE_BYTES
    """Refuse larger bodies (ErrorCode 7); ``None`` = no limit."""


@dataclass(frozen=True)
class AuthenticatedRequest:
    """The outcome of :func:`authenticate`: who called and the parameters they signed."""

    system: SystemIdentity
    claims: Mapping[str, str]
    """Signed values by lower-case bare name (``from``, ``docid``, ``content-type``...)."""
    signed_names: tuple[str, ...]
    """Bare names in the order of the signed JSON."""
    timestamp: datetime | None
    """The signed ``timestamp`` when readable, in +07:00."""
    unsigned: frozenset[str] = field(default=frozenset())
    """Lower-case bare names of ``XroadVnpt-`` headers sent without being signed."""

    @property
    def system_id(self) -> str:
        """The caller's ``systemid``."""
        return self.system.system_id

    def param(self, name: str) -> str | None:
        """The signed value of a parameter (case-insensitive), ``None`` when not sent.

        A parameter sent as a header but not covered by the signature is refused
        (:class:`SignedHeaderMismatch`), so unsigned headers cannot smuggle values in.
        """
        key = name.lower()
        if key in self.claims:
            return self.claims[key]
        if key in self.unsigned:
            raise SignedHeaderMismatch(
                f"header {HEADER_PREFIX}{name} was sent but is not covered by the signature")
        return None

    def require_agency(self, agency_code: str) -> None:
        """Refuse (ErrorCode 3) unless this system may act for ``agency_code``."""
        if not self.system.holds(agency_code):
            raise AgencyNotHeld(f"system {self.system_id} may not act for agency {agency_code}")


_CREDENTIAL_NAMES = frozenset({SIGN_HEADER_KEY, SIGN_HEADER, HASH_HEADER, VERSION_HEADER})


@dataclass(frozen=True)
class _Presented:
    system_id: str
    message: str
    signature: str
    claims: dict[str, str]
    signed_names: tuple[str, ...]


def _credential(headers: VxpHeaders, name: str, policy: AuthPolicy) -> str:
    value = headers.get(name, accept_unprefixed=policy.accept_unprefixed_headers)
    if value is None or not value.strip():
        raise MalformedRequest(f"missing header {HEADER_PREFIX}{name}")
    return value


def _present(headers: VxpHeaders, policy: AuthPolicy) -> _Presented:
    system_id = _credential(headers, "systemid", policy)
    message = _credential(headers, SIGN_HEADER, policy)
    signature = _credential(headers, HASH_HEADER, policy).strip().lower()
    if len(signature) != 64 or any(c not in "0123456789abcdef" for c in signature):
        raise AuthenticationFailed(f"{HEADER_PREFIX}{HASH_HEADER} is not a hex HMAC-SHA256")
    claims, names = _parse_claims(message)
    return _Presented(system_id.strip(), message, signature, claims, names)


class _JsonObject(list):
    """A JSON object as its (key, value) pairs, so duplicate keys stay visible."""


def _parse_claims(message: str) -> tuple[dict[str, str], tuple[str, ...]]:
    try:
        parsed = json.loads(message, object_pairs_hook=_JsonObject)
    except ValueError:
        raise MalformedRequest(f"{HEADER_PREFIX}{SIGN_HEADER} is not JSON") from None
    if not isinstance(parsed, _JsonObject):
        raise MalformedRequest(f"{HEADER_PREFIX}{SIGN_HEADER} must be a JSON object of strings")
    claims: dict[str, str] = {}
    names: list[str] = []
    for key, value in parsed:
        if not isinstance(value, str):
            raise MalformedRequest(f"{HEADER_PREFIX}{SIGN_HEADER}: the value of {key!r} is not a string")
        bare = key[len(HEADER_PREFIX):] if key.lower().startswith(HEADER_PREFIX.lower()) else key
        if bare.lower() in claims:
            raise MalformedRequest(f"{HEADER_PREFIX}{SIGN_HEADER}: {bare!r} is signed twice")
        claims[bare.lower()] = value
        names.append(bare)
    return claims, tuple(names)


def _complete(headers: VxpHeaders, presented: _Presented, system: SystemIdentity, policy: AuthPolicy,
              now: datetime | None) -> AuthenticatedRequest:
    claims = presented.claims
    if claims.get("systemid") != presented.system_id:
        raise SignedHeaderMismatch(f"the signed headers do not cover systemid {presented.system_id!r}")
    for bare in presented.signed_names:
        _check_sent(headers, bare, claims[bare.lower()], policy)
    timestamp = _check_timestamp(claims.get("timestamp"), policy, now)
    prefix = HEADER_PREFIX.lower()
    unsigned = frozenset(
        name[len(prefix):] for name in headers.names()
        if name.startswith(prefix) and name[len(prefix):] not in claims
        and name[len(prefix):] not in _CREDENTIAL_NAMES)
    return AuthenticatedRequest(system, dict(claims), presented.signed_names, timestamp, unsigned)


def _check_sent(headers: VxpHeaders, bare: str, signed_value: str, policy: AuthPolicy) -> None:
    sent = headers.all(HEADER_PREFIX + bare)
    if not sent and bare.lower() == CONTENT_TYPE.lower():
        # The bare Content-Type is transport metadata that proxies and the SDK's own multipart
        # code rewrite (quirk Q4); only its prefixed copy is compared.
        return
    if not sent and policy.accept_unprefixed_headers:
        sent = headers.all(bare)
    if not sent:
        raise SignedHeaderMismatch(f"signed header {HEADER_PREFIX}{bare} was not sent")
    for value in sent:
        if value != signed_value:
            raise SignedHeaderMismatch(f"header {HEADER_PREFIX}{bare} differs from its signed value")


def _check_timestamp(value: str | None, policy: AuthPolicy, now: datetime | None) -> datetime | None:
    moment: datetime | None = None
    if value is not None:
        try:
            moment = parse_timestamp(value)
        except ValueError:
            moment = None
    if policy.timestamp_window is None:
        return moment
    if value is None:
        raise MalformedRequest(f"missing signed header {HEADER_PREFIX}timestamp")
    if moment is None:
        raise MalformedRequest(
            f"unreadable timestamp {value!r} (expected ddMMyyyy'T'HHmmss+SSSS or ISO 8601)")
    skew = abs((now or clock.now()) - moment)
    if skew > policy.timestamp_window:
        raise StaleTimestamp(f"timestamp {value} is {int(skew.total_seconds())} s from the axis clock; "
                             f"the window is {int(policy.timestamp_window.total_seconds())} s")
    return moment


def _as_headers(headers: VxpHeaders | Mapping[str, str] | Iterable[tuple[str, str]]) -> VxpHeaders:
    return headers if isinstance(headers, VxpHeaders) else VxpHeaders(headers)


def authenticate(headers: VxpHeaders | Mapping[str, str] | Iterable[tuple[str, str]],
                 verify_signature: SignatureVerifier, *, policy: AuthPolicy = AuthPolicy(),
                 now: datetime | None = None) -> AuthenticatedRequest:
    """Authenticate a request of the mailbox protocol from its headers.

    Checks, in order: ``systemid``, ``sign-header`` and ``hash-header`` are present (ErrorCode 1);
    the JSON is an object of strings (1); the port verifies the HMAC over the JSON as received
    (9 unknown system, 2 bad HMAC); the JSON covers ``systemid`` and every signed value equals the
    header actually sent, prefixed or bare (10); the freshness window when configured (11). Extra
    headers that no one signed are ignored (quirk Q2) but cannot be read as parameters.
    """
    view = _as_headers(headers)
    presented = _present(view, policy)
    system = verify_signature(presented.system_id, presented.message, presented.signature)
    return _complete(view, presented, system, policy, now)


async def authenticate_async(headers: VxpHeaders | Mapping[str, str] | Iterable[tuple[str, str]],
                             verify_signature: AsyncSignatureVerifier, *, policy: AuthPolicy = AuthPolicy(),
                             now: datetime | None = None) -> AuthenticatedRequest:
    """:func:`authenticate` with an awaitable port."""
    view = _as_headers(headers)
    presented = _present(view, policy)
    system = await verify_signature(presented.system_id, presented.message, presented.signature)
    return _complete(view, presented, system, policy, now)


# --------------------------------------------------------------------------------------------------
# hash-file over the body (server side), streaming
# --------------------------------------------------------------------------------------------------

_CRLF = b"\r\n"


@dataclass(frozen=True)
class BodyCheck:
    """A body whose ``hash-file`` verified."""

    sha256: str
    """SHA-256 of the file (64 lowercase hex digits)."""
    size: int
    """Size of the file in bytes (the body minus a stripped CRLF)."""
    tail: bytes
    """The bytes :meth:`BodyHasher.update` held back that belong to the file: append them."""
    trailing_crlf_stripped: bool
    """The body was the file plus one CRLF (SDKVXP 2.0.x, quirk Q4)."""
    hash_style: HashStyle
    """How the client spelled ``hash-file``."""


class BodyHasher:
    """SHA-256 of a streamed body that may end with a CRLF the file does not contain.

    Feed chunks to :meth:`update`; it returns the bytes that surely belong to the file (it holds
    back the last two, which may be the SDK's CRLF), so a caller can stream them to storage.
    :meth:`finish` checks ``hash-file`` and says what to do with the held-back bytes.
    """

    def __init__(self, policy: AuthPolicy = AuthPolicy()):
        self._policy = policy
        self._digest = hashlib.sha256()
        self._held = b""
        self._size = 0

    def update(self, chunk: bytes) -> bytes:
        """Add a chunk; return the bytes now known to be part of the file."""
        if not chunk:
            return b""
        self._size += len(chunk)
        limit = self._policy.max_package_bytes
        if limit is not None and self._size > limit + len(_CRLF):
            raise PackageTooLarge(f"the package exceeds {limit} bytes")
        data = self._held + chunk
        released, self._held = data[:-2], data[-2:]
        self._digest.update(released)
        return released

    def finish(self, hash_file: str) -> BodyCheck:
        """Check ``hash-file`` against the body, then against the body minus a trailing CRLF."""
        given = (hash_file or "").strip().lower()
        if not given:
            raise MalformedRequest(f"missing header {HEADER_PREFIX}hash-file")
        whole = self._digest.copy()
        whole.update(self._held)
        candidates = [(whole.digest(), self._held, False)]
        if self._policy.hash_strip_trailing_crlf and self._held == _CRLF:
            candidates.append((self._digest.digest(), b"", True))
        limit = self._policy.max_package_bytes
        for digest, tail, stripped in candidates:
            size = self._size - (len(_CRLF) if stripped else 0)
            style = self._match(digest, given)
            if style is not None:
                if limit is not None and size > limit:
                    raise PackageTooLarge(f"the package exceeds {limit} bytes")
                return BodyCheck(digest.hex(), size, tail, stripped, style)
        raise HashFileMismatch(
            f"hash-file {given} does not match the body's SHA-256 {whole.hexdigest()}"
            + (" (nor the body without its trailing CRLF)" if len(candidates) > 1 else ""))

    def _match(self, digest: bytes, given: str) -> HashStyle | None:
        if given == hash_file_hex(digest, HashStyle.PADDED):
            return HashStyle.PADDED
        if self._policy.hash_accept_unpadded and given == hash_file_hex(digest, HashStyle.UNPADDED):
            return HashStyle.UNPADDED
        return None


def verify_body_hash(body: bytes | Iterable[bytes], hash_file: str,
                     policy: AuthPolicy = AuthPolicy()) -> BodyCheck:
    """Check ``hash-file`` over a body given whole or as chunks (see :class:`BodyHasher`)."""
    hasher = BodyHasher(policy)
    for chunk in [body] if isinstance(body, (bytes, bytearray, memoryview)) else body:
        hasher.update(bytes(chunk))
    return hasher.finish(hash_file)


async def verify_body_hash_async(body: AsyncIterable[bytes], hash_file: str,
                                 policy: AuthPolicy = AuthPolicy()) -> BodyCheck:
    """:func:`verify_body_hash` over an async stream (e.g. Starlette's ``request.stream()``)."""
    hasher = BodyHasher(policy)
    async for chunk in body:
        hasher.update(chunk)
    return hasher.finish(hash_file)
