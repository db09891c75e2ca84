"""Server-side authentication and hash-file checks: every refusal has its own ErrorCode."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta

import pytest

from lienthong.platform import clock
from lienthong.vxp.auth import (
    AuthPolicy,
    BodyHasher,
    SystemIdentity,
    authenticate,
    authenticate_async,
    gson_json,
    sdk_header_map,
    secret_table_verifier,
    sign_headers,
    verify_body_hash,
    verify_body_hash_async,
)
from lienthong.vxp.protocol import (
    AgencyNotHeld,
    AuthenticationFailed,
    ErrorCode,
    HashFileMismatch,
    HashStyle,
    MalformedRequest,
    PackageTooLarge,
    SignedHeaderMismatch,
    StaleTimestamp,
    UnknownSystem,
    VxpError,
    format_sdk_timestamp,
    hash_file_hex,
    read_send_edoc,
    read_update_status,
)

SYSTEM = "00.53.W00"
SECRET = "Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1zZWNyZXQ="
AGENCIES = ("000.00.12.H53", "000.00.13.H53")
VERIFY = secret_table_verifier({SYSTEM: ([SECRET], AGENCIES)})


def signed(params: dict[str, str], *, secret: str = SECRET, system_id: str = SYSTEM,
           timestamp: str | None = None, content_type: str = "application/json") -> dict[str, str]:
    timestamp = timestamp or format_sdk_timestamp(clock.now())
    header_map = sdk_header_map(system_id, timestamp, content_type, params)
    return sign_headers(secret, header_map).as_dict()


def refusal(headers: dict[str, str], policy: AuthPolicy | None = None) -> ErrorCode:
    with pytest.raises(VxpError) as caught:
        authenticate(headers, VERIFY, policy=policy or AuthPolicy())
    return caught.value.error_code


def test_a_signed_request_authenticates_and_its_parameters_are_the_signed_values():
    request = authenticate(signed({"docId": "d-1", "status": "done"}), VERIFY)

    assert request.system == SystemIdentity(SYSTEM, frozenset(AGENCIES))
    assert request.param("DOCID") == "d-1"
    assert read_update_status(request).status.value == "done"
    assert request.timestamp is not None


def test_send_edoc_parameters_and_the_to_array_from_the_signed_json():
    headers = signed({"from": AGENCIES[0], "servicetype": "eDoc", "messagetype": "edoc",
                      "to": gson_json(["000.00.00.G22", {"OrganId": "000.00.14.H53"}]), "hash-file": "ab"},
                     content_type="application/octet-stream")
    params = read_send_edoc(authenticate(headers, VERIFY))

    assert params.from_code == AGENCIES[0]
    assert params.to == ("000.00.00.G22", "000.00.14.H53")
    assert params.message_type.value == "edoc"


def test_wrong_secret_is_authentication_failed():
    assert refusal(signed({"docId": "d"}, secret="another-secret")) is ErrorCode.AUTHENTICATION_FAILED


def test_unknown_system_is_its_own_code():
    assert refusal(signed({"docId": "d"}, system_id="00.99.W00")) is ErrorCode.UNKNOWN_SYSTEM


def test_a_header_that_differs_from_its_signed_value_is_refused():
    headers = signed({"from": AGENCIES[0], "docId": "d"})
    headers["XroadVnpt-from"] = AGENCIES[1]

    assert refusal(headers) is ErrorCode.SIGNED_HEADER_MISMATCH


def test_tampered_signed_json_fails_the_hmac():
    headers = signed({"from": AGENCIES[0]})
    headers["XroadVnpt-sign-header"] = headers["XroadVnpt-sign-header"].replace(AGENCIES[0], AGENCIES[1])
    headers["XroadVnpt-from"] = AGENCIES[1]

    assert refusal(headers) is ErrorCode.AUTHENTICATION_FAILED


def test_a_signed_header_that_was_not_sent_is_refused():
    headers = signed({"docId": "d"})
    del headers["XroadVnpt-docId"]

    assert refusal(headers) is ErrorCode.SIGNED_HEADER_MISMATCH


def test_an_unsigned_parameter_cannot_be_smuggled_in():
    headers = signed({"docId": "d"})
    headers["XroadVnpt-status"] = "done"
    request = authenticate(headers, VERIFY)  # an extra header alone is tolerated (Q2)...

    with pytest.raises(SignedHeaderMismatch):  # ...but it is never read as a parameter
        request.param("status")


def test_signed_json_that_does_not_cover_systemid_is_refused():
    header_map = {"timestamp": format_sdk_timestamp(clock.now()), "docId": "d"}
    headers = sign_headers(SECRET, header_map).as_dict()
    headers["XroadVnpt-systemid"] = SYSTEM

    assert refusal(headers) is ErrorCode.SIGNED_HEADER_MISMATCH


@pytest.mark.parametrize("missing", ["XroadVnpt-systemid", "XroadVnpt-sign-header", "XroadVnpt-hash-header"])
def test_missing_credentials_are_a_malformed_request(missing):
    headers = signed({"docId": "d"})
    del headers[missing]

    assert refusal(headers) is ErrorCode.MALFORMED_REQUEST


@pytest.mark.parametrize("sign_header", ["not json", "[1, 2]", '{"XroadVnpt-systemid": 7}',
                                         '{"XroadVnpt-a": "1", "xroadvnpt-A": "2"}'])
def test_a_signed_header_that_is_not_an_object_of_unique_strings_is_malformed(sign_header):
    headers = signed({"docId": "d"})
    headers["XroadVnpt-sign-header"] = sign_header

    assert refusal(headers) is ErrorCode.MALFORMED_REQUEST


def test_a_hash_header_that_is_not_hex_fails_authentication():
    headers = signed({"docId": "d"})
    headers["XroadVnpt-hash-header"] = "z" * 64

    assert refusal(headers) is ErrorCode.AUTHENTICATION_FAILED


def test_stale_timestamp_is_refused_only_when_a_window_is_configured():
    old = format_sdk_timestamp(clock.now() - timedelta(hours=5))
    headers = signed({"docId": "d"}, timestamp=old)

    assert authenticate(headers, VERIFY).system.system_id == SYSTEM  # Q3: off by default
    assert refusal(headers, AuthPolicy(timestamp_window=timedelta(minutes=15))) is ErrorCode.STALE_TIMESTAMP
    fresh = signed({"docId": "d"})
    assert authenticate(fresh, VERIFY, policy=AuthPolicy(timestamp_window=timedelta(minutes=15)))


def test_an_unreadable_timestamp_with_a_window_is_malformed():
    headers = signed({"docId": "d"}, timestamp="yesterday")

    assert authenticate(headers, VERIFY).timestamp is None
    assert refusal(headers, AuthPolicy(timestamp_window=timedelta(minutes=15))) is ErrorCode.MALFORMED_REQUEST


def test_unprefixed_and_differently_cased_headers_are_read():
    headers = {name.replace("XroadVnpt-", "").upper() if name.startswith("XroadVnpt-") else name: value
               for name, value in signed({"docId": "d"}).items()}

    assert authenticate(headers, VERIFY).param("docid") == "d"
    assert refusal(headers, AuthPolicy(accept_unprefixed_headers=False)) is ErrorCode.MALFORMED_REQUEST


def test_leaked_headers_of_earlier_calls_are_signed_and_tolerated():
    # Q2: the SDK's map still holds docId, status, hash-file and filePath from earlier calls.
    headers = signed({"docId": "old", "status": "done", "hash-file": "abc", "filePath": "/tmp/x",
                      "servicetype": "eDoc", "messagetype": "status"})

    assert authenticate(headers, VERIFY).param("messagetype") == "status"


def test_an_uppercase_hmac_is_accepted_and_a_second_secret_supports_rotation():
    verify = secret_table_verifier({SYSTEM: (["old-secret", SECRET], AGENCIES)})
    headers = signed({"docId": "d"})
    headers["XroadVnpt-hash-header"] = headers["XroadVnpt-hash-header"].upper()

    assert authenticate(headers, verify).system_id == SYSTEM


def test_agencies_the_system_does_not_hold_are_refused():
    request = authenticate(signed({"from": "000.00.99.H53"}), VERIFY)

    with pytest.raises(AgencyNotHeld) as caught:
        request.require_agency(request.param("from"))
    assert caught.value.error_code is ErrorCode.AGENCY_NOT_HELD
    request.require_agency(AGENCIES[1])


def test_authenticate_async_uses_an_awaitable_port():
    async def verify(system_id, message, signature):
        return VERIFY(system_id, message, signature)

    request = asyncio.run(authenticate_async(signed({"docId": "d"}), verify))
    assert request.param("docId") == "d"
    with pytest.raises(UnknownSystem):
        asyncio.run(authenticate_async(signed({"docId": "d"}, system_id="nobody"), verify))


# ------------------------------------------------------------------------------------------ hash-file

FILE = b"<edXML>0</edXML>"  # its SHA-256 has bytes below 0x10, so the two spellings differ
PADDED = hashlib.sha256(FILE).hexdigest()
UNPADDED = hash_file_hex(hashlib.sha256(FILE).digest(), HashStyle.UNPADDED)


def test_hash_file_padded_or_unpadded():
    assert PADDED != UNPADDED
    assert verify_body_hash(FILE, PADDED).hash_style is HashStyle.PADDED
    assert verify_body_hash(FILE, UNPADDED.upper()).hash_style is HashStyle.UNPADDED
    with pytest.raises(HashFileMismatch):
        verify_body_hash(FILE, UNPADDED, AuthPolicy(hash_accept_unpadded=False))


def test_a_trailing_crlf_after_the_file_is_stripped():
    check = verify_body_hash([FILE[:5], FILE[5:], b"\r", b"\n"], UNPADDED)

    assert check.trailing_crlf_stripped and check.size == len(FILE) and check.tail == b""
    with pytest.raises(HashFileMismatch):
        verify_body_hash(FILE + b"\r\n", UNPADDED, AuthPolicy(hash_strip_trailing_crlf=False))


def test_a_file_that_itself_ends_with_crlf_keeps_it():
    data = FILE + b"\r\n"
    check = verify_body_hash(data, hashlib.sha256(data).hexdigest())

    assert not check.trailing_crlf_stripped and check.size == len(data) and check.tail == b"\r\n"


def test_hash_mismatch_and_missing_hash_file():
    with pytest.raises(HashFileMismatch) as caught:
        verify_body_hash(FILE + b"x", PADDED)
    assert caught.value.error_code is ErrorCode.HASH_FILE_MISMATCH
    with pytest.raises(MalformedRequest):
        verify_body_hash(FILE, "")


def test_body_hasher_releases_everything_but_the_last_two_bytes():
    hasher = BodyHasher()
    released = hasher.update(FILE[:4]) + hasher.update(FILE[4:]) + hasher.update(b"\r\n")
    check = hasher.finish(PADDED)

    assert released + check.tail == FILE


def test_too_large_bodies_are_refused_while_streaming():
    policy = AuthPolicy(max_package_bytes=len(FILE) - 1)
    with pytest.raises(PackageTooLarge):
        verify_body_hash([FILE, b"more bytes"], PADDED, policy)
    with pytest.raises(PackageTooLarge):
        verify_body_hash(FILE, PADDED, policy)
    assert verify_body_hash(FILE + b"\r\n", PADDED, AuthPolicy(max_package_bytes=len(FILE))).size == len(FILE)


def test_verify_body_hash_async_over_a_stream():
    async def stream():
        yield FILE
        yield b"\r\n"

    assert asyncio.run(verify_body_hash_async(stream(), UNPADDED)).trailing_crlf_stripped


def test_each_refusal_class_carries_a_distinct_code():
    classes = [MalformedRequest, AuthenticationFailed, AgencyNotHeld, HashFileMismatch, PackageTooLarge,
               SignedHeaderMismatch, StaleTimestamp, UnknownSystem]
    assert len({cls.error_code for cls in classes}) == len(classes)
