"""The protocol tables, replies and parameter readers."""

from __future__ import annotations

import pytest

from lienthong.vxp.protocol import (
    OPERATIONS,
    AckStatus,
    ErrorCode,
    HashFileMismatch,
    MalformedRequest,
    MessageType,
    UnknownDocId,
    VxpError,
    edoc_reply,
    fail_reply,
    operation,
    parse_ack_status,
    parse_message_type,
    parse_to_header,
    read_agency_code,
    read_list,
    read_register_agency,
    read_send_edoc,
)


class Params:
    def __init__(self, **values: str):
        self.values = {k.lower().replace("_", "-"): v for k, v in values.items()}

    def param(self, name: str) -> str | None:
        return self.values.get(name.lower())


def test_every_call_of_the_domain_file_is_described():
    assert [op.path for op in OPERATIONS] == [
        "/sendEdoc", "/getReceivedEdocList", "/getEdoc", "/downloadEdoc", "/updateStatus", "/getSentEdocList",
        "/countReceiveEdoc", "/countReceiveStatus", "/getAgenciesList", "/getSynchronizeUnit", "/registerAgency",
        "/deleteAgency"]
    assert operation("/SENDEDOC") is operation("sendEdoc")
    assert operation("countReceiveEdoc").accepted_methods == {"GET", "POST"}
    with pytest.raises(MalformedRequest):
        operation("/getEverything")


def test_fail_replies_carry_a_string_code_and_the_calls_fields_empty():
    assert fail_reply(HashFileMismatch("bad hash"), operation("sendEdoc")) == {
        "status": "FAIL", "ErrorCode": "6", "ErrorDesc": "bad hash", "DocId": ""}
    assert fail_reply(UnknownDocId("x"), operation("getReceivedEdocList"))["data"] == []
    assert fail_reply(UnknownDocId("x"), operation("countReceiveEdoc"))["count"] == 0
    assert fail_reply(UnknownDocId("x"), trace_id="abc")["ErrorDesc"] == "x (trace abc)"


def test_error_codes_are_distinct_strings():
    assert len({code.value for code in ErrorCode}) == len(ErrorCode)
    assert all(isinstance(code.value, str) for code in ErrorCode)


def test_a_fail_envelope_becomes_its_typed_error_and_unknown_codes_keep_theirs():
    assert isinstance(VxpError.from_reply("6", "bad hash"), HashFileMismatch)
    unknown = VxpError.from_reply("42", "something upstream")
    assert type(unknown) is VxpError and unknown.reply_code == "42" and unknown.error_desc == "something upstream"


def test_edoc_reply_is_base64_of_the_bytes():
    assert edoc_reply("Sở".encode())["data"] == "U+G7nw=="


@pytest.mark.parametrize(("header", "codes"), [
    ('["000.00.00.G22","000.00.13.H53"]', ("000.00.00.G22", "000.00.13.H53")),
    ('[{"OrganId":"000.00.00.G22"},{"code":"000.00.13.H53"}]', ("000.00.00.G22", "000.00.13.H53")),
    ('"000.00.00.G22"', ("000.00.00.G22",)),
    ("000.00.00.G22, 000.00.13.H53;000.00.00.G22", ("000.00.00.G22", "000.00.13.H53")),
    ("", None), ("[]", None), (None, None),
])
def test_to_header_shapes(header, codes):
    assert parse_to_header(header) == codes


@pytest.mark.parametrize("header", ["[1]", '[{"name": "x"}]', "[not json"])
def test_unreadable_to_header(header):
    with pytest.raises(MalformedRequest):
        parse_to_header(header)


def test_message_type_and_ack_status_are_case_insensitive():
    assert parse_message_type("STATUS") is MessageType.STATUS
    assert parse_message_type(None) is MessageType.EDOC
    assert parse_ack_status("Done") is AckStatus.DONE
    with pytest.raises(MalformedRequest):
        parse_message_type("fax")
    with pytest.raises(MalformedRequest):
        parse_ack_status("archived")


def test_send_edoc_parameters_ignore_to_for_statuses_and_require_from_and_hash():
    params = read_send_edoc(Params(**{"from": "A", "messagetype": "status", "to": '["B"]', "hash_file": "ab"}))
    assert params.message_type is MessageType.STATUS and params.to is None
    with pytest.raises(MalformedRequest, match="hash-file"):
        read_send_edoc(Params(**{"from": "A"}))


def test_list_parameters_and_dates():
    params = read_list(Params(messagetype="status", fromDate="01/03/2025 00:00:00"))
    assert params.message_type is MessageType.STATUS
    assert params.from_date.isoformat() == "2025-03-01T00:00:00+07:00"
    with pytest.raises(MalformedRequest):
        read_list(Params(toDate="yesterday"))


def test_directory_parameters():
    assert read_agency_code(Params(AgencyCode="000.00.40.H99")) == "000.00.40.H99"
    assert read_agency_code(Params(), {"agencyCode": "000.00.41.H99"}) == "000.00.41.H99"
    assert read_register_agency(b'{"code": "X", "pcode": "P", "name": "N", "mail": "m"}').pcode == "P"
    with pytest.raises(MalformedRequest):
        read_register_agency(b'{"name": "no code"}')
