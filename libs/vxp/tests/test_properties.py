"""Properties: sign -> authenticate always succeeds, and any one-character change is refused."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lienthong.vxp.auth import authenticate, sdk_header_map, secret_table_verifier, sign_headers
from lienthong.vxp.protocol import ErrorCode, VxpError

# Header values: any text a header can carry (no control characters), Vietnamese included.
values = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40)
names = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,15}", fullmatch=True).filter(
    lambda n: n.lower() not in {"timestamp", "systemid", "content-type", "sign-header", "sign-header-key",
                                "hash-header", "version"})
secrets = st.text(min_size=1, max_size=50)
system_ids = st.from_regex(r"[0-9A-Z.]{3,16}", fullmatch=True)


def header_sets(min_size: int = 0):
    """Per-call headers; HTTP names are case-insensitive, so no two may differ only by case."""
    return st.dictionaries(names, values, min_size=min_size, max_size=6).filter(
        lambda params: len({name.lower() for name in params}) == len(params))


def _request(system_id, secret, params):
    header_map = sdk_header_map(system_id, "25112026T083015+0042", "application/json", params)
    return sign_headers(secret, header_map).headers


@settings(max_examples=150, deadline=None)
@given(system_id=system_ids, secret=secrets, params=header_sets())
def test_sign_then_authenticate_succeeds(system_id, secret, params):
    verify = secret_table_verifier({system_id: ([secret], ["A"])})
    request = authenticate(_request(system_id, secret, params), verify)

    for name, value in params.items():
        assert request.param(name) == value


@settings(max_examples=300, deadline=None)
@given(system_id=system_ids, secret=secrets, params=header_sets(1),
       data=st.data())
def test_any_single_character_change_of_a_signed_or_credential_header_is_refused(
        system_id, secret, params, data):
    verify = secret_table_verifier({system_id: ([secret], ["A"])})
    headers = list(_request(system_id, secret, params))
    # Every header the signature protects, and the signature itself. Unsigned (never read): the bare
    # Content-Type, User-Agent, XroadVnpt-version and XroadVnpt-sign-header-key (a list of names
    # that the signed JSON makes redundant).
    unsigned = {"XroadVnpt-version", "XroadVnpt-sign-header-key"}
    targets = [i for i, (name, _) in enumerate(headers)
               if name.startswith("XroadVnpt-") and name not in unsigned]
    index = data.draw(st.sampled_from(targets))
    name, value = headers[index]
    position = data.draw(st.integers(0, len(value) - 1))
    alphabet = "0123456789abcdef" if name == "XroadVnpt-hash-header" else None
    replacement = data.draw(st.characters(blacklist_categories=("Cc", "Cs")) if alphabet is None
                            else st.sampled_from(alphabet))
    if replacement.lower() == value[position].lower():
        replacement = "0" if value[position] != "0" else "1"
    headers[index] = (name, value[:position] + replacement + value[position + 1:])

    try:
        authenticate(headers, verify)
    except VxpError as refused:
        assert refused.error_code in {ErrorCode.AUTHENTICATION_FAILED, ErrorCode.SIGNED_HEADER_MISMATCH,
                                      ErrorCode.UNKNOWN_SYSTEM, ErrorCode.MALFORMED_REQUEST}
    else:
        raise AssertionError(f"a change of {name} was accepted")
