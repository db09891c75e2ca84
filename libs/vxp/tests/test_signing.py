"""Known-answer tests: signing is byte-compatible with SDKVXP.

The expected values below were produced on a JVM (OpenJDK, ``java.util.HashMap``,
``javax.crypto.Mac`` HmacSHA256, Gson 2.11 ``JsonObject.toString()``, ``Integer.toHexString``,
``SimpleDateFormat``) by code that does what ``VnptService.addXroadVnptHashHeader`` and
``KnobstickServiceImp.createContentHA256`` do; they are not computed by the code under test.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from lienthong.platform.clock import VN_TZ
from lienthong.vxp.auth import (
    gson_json,
    java_hashmap_order,
    java_string_hash,
    sdk_header_map,
    sign_headers,
)
from lienthong.vxp.protocol import HashStyle, format_sdk_timestamp, hash_file_hex, parse_timestamp

SECRET = "c2VjcmV0LWtleS1vZi10aGUtdGF5LW5pbmgtYXhpcw=="  # 44 base64 characters, used as a UTF-8 string

JAVA_SIGN_HEADER_KEY = "systemid;servicetype;messagetype;hash-file;from;to;timestamp;Content-Type"
JAVA_SIGN_HEADER = (
    '{"XroadVnpt-systemid":"00.53.W00","XroadVnpt-servicetype":"eDoc","XroadVnpt-messagetype":"edoc",'
    '"XroadVnpt-hash-file":"a9f0e61a137d86aa9db53465e0801612","XroadVnpt-from":"000.00.12.H53",'
    '"XroadVnpt-to":"[\\"000.00.00.G22\\",\\"000.00.13.H53\\"]","XroadVnpt-timestamp":"25112026T083015+0042",'
    '"XroadVnpt-Content-Type":"application/octet-stream"}')
JAVA_HASH_HEADER = "c481c8c65e8c789f0f5b8502688a2e43b1dd05341ef158645dd90bf144a22068"


def _send_edoc_map() -> dict[str, str]:
    return sdk_header_map("00.53.W00", "25112026T083015+0042", "application/octet-stream", {
        "from": "000.00.12.H53", "servicetype": "eDoc", "messagetype": "edoc",
        "to": gson_json(["000.00.00.G22", "000.00.13.H53"]),
        "hash-file": "a9f0e61a137d86aa9db53465e0801612"})


def test_send_edoc_headers_are_byte_identical_to_the_java_sdk():
    signed = sign_headers(SECRET, _send_edoc_map())

    assert signed.sign_header_key == JAVA_SIGN_HEADER_KEY
    assert signed.sign_header == JAVA_SIGN_HEADER
    assert signed.hash_header == JAVA_HASH_HEADER


def test_headers_are_sent_in_hashmap_order_with_a_bare_content_type_and_unsigned_agent_and_version():
    names = [name for name, _ in sign_headers(SECRET, _send_edoc_map()).headers]

    assert names == [
        "XroadVnpt-systemid", "XroadVnpt-servicetype", "XroadVnpt-messagetype", "XroadVnpt-hash-file",
        "XroadVnpt-from", "XroadVnpt-to", "XroadVnpt-timestamp", "Content-Type", "XroadVnpt-Content-Type",
        "XroadVnpt-sign-header-key", "XroadVnpt-sign-header", "XroadVnpt-hash-header", "User-Agent",
        "XroadVnpt-version"]
    headers = sign_headers(SECRET, _send_edoc_map()).as_dict()
    assert headers["User-Agent"] == "JAVASDKAgent/1.0.0 XRoad/VPCP"
    assert headers["XroadVnpt-version"] == "3.0.201608"


def test_java_hashmap_order_follows_resizes():
    # 15 keys (resize 16 -> 32) and 40 keys (-> 64), iteration orders printed by a JVM.
    keys = ["timestamp", "systemid", "Content-Type", "from", "servicetype", "messagetype", "to", "hash-file",
            "docId", "filePath", "status", "AgencyCode", "fromDate", "toDate", "docid"]
    assert ";".join(java_hashmap_order(keys)) == (
        "systemid;messagetype;docId;docid;filePath;toDate;fromDate;servicetype;hash-file;AgencyCode;from;to;"
        "timestamp;Content-Type;status")
    many = [f"k{i * 7919 % 1000}x" for i in range(40)]
    assert ";".join(java_hashmap_order(many)) == (
        "k84x;k165x;k595x;k894x;k327x;k218x;k3x;k785x;k975x;k676x;k109x;k137x;k246x;k866x;k28x;k757x;k838x;"
        "k947x;k408x;k919x;k56x;k190x;k380x;k352x;k461x;k570x;k299x;k271x;k542x;k651x;k732x;k841x;k623x;k0x;"
        "k489x;k433x;k922x;k704x;k514x;k813x")


def test_java_string_hash_matches_the_jvm():
    assert java_string_hash("timestamp") == 55126294
    assert java_string_hash("systemid") == 1976086410
    assert java_string_hash("Content-Type") == 949037134


def test_gson_to_string_escapes_like_json_object_to_string_and_html_safe_like_to_json():
    value = "x=1&y<2>'q'\"\\ \t\n\x01\x7f\u2028 Sở Nội vụ \U0001F600"
    # JsonObject.toString() and new Gson().toJson(jsonObject) of {"XroadVnpt-a": value}, from Gson 2.11
    plain = '{"XroadVnpt-a":"x=1&y<2>\'q\'\\"\\\\ \\t\\n\\u0001\x7f\\u2028 Sở Nội vụ \U0001F600"}'
    html = ('{"XroadVnpt-a":"x\\u003d1\\u0026y\\u003c2\\u003e\\u0027q\\u0027\\"\\\\ \\t\\n\\u0001\x7f\\u2028'
            ' Sở Nội vụ \U0001F600"}')

    assert gson_json({"XroadVnpt-a": value}) == plain
    assert gson_json({"XroadVnpt-a": value}, html_safe=True) == html
    assert gson_json(["000.00.00.G22", {"OrganId": "a=b"}]) == '["000.00.00.G22",{"OrganId":"a=b"}]'


def test_hash_file_unpadded_as_integer_to_hex_string_and_padded():
    digest = hashlib.sha256(b"<edXML>0</edXML>").digest()

    assert hash_file_hex(digest) == "3736a9e87f91e1c6ece60a6129cb95435c42cb264636bb377434c76c24d82c"
    assert hash_file_hex(digest, HashStyle.PADDED) == digest.hex()
    assert len(hash_file_hex(digest, HashStyle.PADDED)) == 64


def test_sdk_timestamp_format_round_trips():
    moment = datetime(2026, 11, 25, 8, 30, 15, 42000, tzinfo=VN_TZ)

    assert format_sdk_timestamp(moment) == "25112026T083015+0042"  # SimpleDateFormat on the JVM
    assert parse_timestamp("25112026T083015+0042") == moment


def test_timestamps_in_the_other_forms_clients_send():
    expected = datetime(2026, 11, 25, 8, 30, 15, tzinfo=VN_TZ)

    assert parse_timestamp("25/11/2026 08:30:15") == expected
    assert parse_timestamp("2026/11/25 08:30:15") == expected
    assert parse_timestamp("20261125083015") == expected
    assert parse_timestamp("2026-11-25T08:30:15+07:00") == expected
    assert parse_timestamp("2026-11-25T01:30:15Z") == expected
    assert parse_timestamp(str(int(expected.timestamp()))) == expected
    assert parse_timestamp(str(int(expected.timestamp() * 1000))) == expected
