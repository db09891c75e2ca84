"""The edXML codec: fixtures, security refusals, streaming, and a lossless round trip (hypothesis)."""

from __future__ import annotations

import hashlib
import io
import string
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lienthong.edxml import (
    Attachment,
    BusinessDocType,
    Bussiness,
    BussinessDocumentInfo,
    Code,
    DocumentPackage,
    DocumentType,
    Limits,
    MemorySink,
    MessageHeader,
    Organ,
    OtherInfo,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusPackage,
    TraceHeader,
    TraceHeaderList,
    build,
    parse,
)
from lienthong.platform.clock import VN_TZ
from lienthong.platform.errors import InvalidInput, PayloadTooLarge

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "edxml"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize("name,business_type", [
    ("valid_new_document.edxml", BusinessDocType.NEW), ("valid_revoke.edxml", BusinessDocType.REVOKE),
    ("valid_update.edxml", BusinessDocType.UPDATE), ("valid_replace.edxml", BusinessDocType.REPLACE),
    ("invalid_secret_mark.edxml", BusinessDocType.NEW)])
def test_every_business_type_fixture_parses(name: str, business_type: BusinessDocType) -> None:
    result = parse(fixture(name))
    package = result.package
    assert isinstance(package, DocumentPackage)
    assert package.business.bussiness_doc_type == business_type
    assert package.header.from_.organ_id == "000.00.07.H99"
    assert result.input_sha256 == hashlib.sha256(fixture(name)).hexdigest()
    if business_type == BusinessDocType.UPDATE:
        assert package.business.document_id == "000.00.07.H99,2025/03/05,03/KH-SKHCN"
        assert package.business.bussiness_document_info.receivers[0].organ_id == "000.00.32.H99"
    if business_type == BusinessDocType.REPLACE:
        assert package.header.document_id == "000.00.07.H99,2025/03/12,07/KH-SKHCN"
        assert package.business.replacement_info_list[0].document_id.endswith("03/KH-SKHCN")
        assert package.business.paper == 1
    # build -> parse gives the same package back
    again = parse(build(package, parse_contents(name)))
    assert again.package == package


def parse_contents(name: str) -> dict[str, bytes]:
    sink = MemorySink()
    result = parse(fixture(name), sink=sink)
    return {a.content_id: sink.contents[a.ref] for a in result.package.attachments}  # type: ignore[union-attr]


def test_the_example_package_matches_edxml_md() -> None:
    sink = MemorySink()
    package = parse(fixture("valid_new_document.edxml"), sink=sink).package
    assert isinstance(package, DocumentPackage)
    head = package.header
    assert head.code.full == "03/KH-SKHCN" and head.promulgation_info.promulgation_date == date(2025, 3, 5)
    assert head.to[0].organ_name == "UBND xã Tân Phú" and head.other_info.priority == 1
    assert head.signer_info.competence == "KT. GIÁM ĐỐC" and head.due_date == date(2025, 3, 31)
    assert package.trace_header_list.trace_headers[0].timestamp == datetime(2025, 3, 5, 15, 42, 10, tzinfo=VN_TZ)
    [attachment] = package.attachments
    data = sink.contents[attachment.ref]
    assert data.startswith(b"%PDF-1.7") and attachment.size == len(data) == 34
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.content_type == "application/pdf" and attachment.description == "Kế hoạch (bản ký số)"


@pytest.mark.parametrize("name,code", [("valid_status_03.edxml", "03"), ("valid_status_02_refused.edxml", "02"),
                                       ("valid_status_13_recall.edxml", "13"),
                                       ("valid_status_bkav_wrapper.edxml", "01")])
def test_status_fixtures(name: str, code: str) -> None:
    status = parse(fixture(name)).package
    assert isinstance(status, StatusPackage)
    assert status.status_code == code and status.known
    assert status.response_for.document_id == "000.00.07.H99,2025/03/05,03/KH-SKHCN"
    assert parse(build(status)).package == status


@pytest.mark.parametrize("name,message,path", [
    ("invalid_not_well_formed.edxml", "not well-formed", "line"),
    ("invalid_billion_laughs.edxml", "DTDs are not allowed", "/"),
    ("invalid_quadratic_blowup.edxml", "DTDs are not allowed", "/"),
    ("invalid_xxe.edxml", "DTDs are not allowed", "/"),
    ("invalid_deep_nesting.edxml", "nested deeper", "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/OtherInfo"),
    ("invalid_bad_base64.edxml", "base64", "/edXML/AttachmentEncoded/Attachment/ContentTransferEncoded"),
    ("invalid_wrong_namespace.edxml", "wrong edXML namespace", "/edXML"),
    ("invalid_manifest_without_attachment.edxml", "not valid", "/edXML/edXMLEnvelope/edXMLBody"),
    ("invalid_oversized_field.edxml", "header field is longer", "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/Subject"),
    ("invalid_status_missing_response_for.edxml", "not valid", "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/ResponseFor"),
])
def test_invalid_fixtures_are_refused_with_the_element_path(name: str, message: str, path: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(fixture(name))
    assert message in caught.value.detail
    assert any(e.path.startswith(path) for e in caught.value.errors), caught.value.errors


def test_missing_required_fields_are_all_listed_at_once() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(fixture("invalid_missing_required.edxml"))
    paths = {e.path for e in caught.value.errors}
    head = "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader"
    assert {f"{head}/To", f"{head}/Code/CodeNumber", f"{head}/Code/CodeNotation", f"{head}/Subject"} <= paths


def test_legacy_namespace_only_on_a_legacy_adapter() -> None:
    package = parse(fixture("invalid_wrong_namespace.edxml"), limits=Limits(accept_legacy_namespaces=True)).package
    assert isinstance(package, DocumentPackage)


def test_aborted_writers_on_refusal() -> None:
    class Recording(MemorySink):
        aborted = 0

        def __call__(self):  # type: ignore[override]
            writer = super().__call__()
            original = writer.abort

            def abort() -> None:
                Recording.aborted += 1
                original()
            writer.abort = abort  # type: ignore[method-assign]
            return writer

    sink = Recording()
    with pytest.raises(InvalidInput):
        parse(fixture("invalid_bad_base64.edxml"), sink=sink)
    assert Recording.aborted == 1 and sink.contents == {}


def _package_with(data: bytes, count: int = 1) -> DocumentPackage:
    header = MessageHeader(**{"from": Organ(organ_id="000.00.07.H99", organ_name="Sở KH&CN")},
                           to=[Organ(organ_id="000.00.31.H99", organ_name="UBND xã")],
                           code=Code(code_number="1", code_notation="CV-X"),
                           promulgation_info=PromulgationInfo(promulgation_date=date(2026, 1, 2)), subject="Thử")
    return DocumentPackage(header=header, attachments=[
        Attachment(content_id=str(i), attachment_name=f"f{i}.pdf", content_type="application/pdf")
        for i in range(count)])


def test_limits_refuse_while_streaming() -> None:
    data = b"%PDF-" + b"x" * 5000
    package = _package_with(data, count=3)
    raw = build(package, lambda a: [data])
    with pytest.raises(PayloadTooLarge, match="an attachment exceeds 4000 bytes"):
        parse(raw, limits=Limits(max_attachment_bytes=4000))
    with pytest.raises(PayloadTooLarge, match="in total"):
        parse(raw, limits=Limits(max_package_bytes=12000))
    with pytest.raises(PayloadTooLarge, match="more than 2 attachments"):
        parse(raw, limits=Limits(max_attachments=2))
    with pytest.raises(PayloadTooLarge, match="package exceeds"):
        parse(raw, limits=Limits(max_input_bytes=len(raw) - 1))


def test_a_large_attachment_streams_through_the_sink_in_chunks() -> None:
    chunk = bytes(range(256)) * 4096  # 1 MiB
    package = _package_with(b"")
    out = io.BytesIO()
    from lienthong.edxml import write

    write(package, out, lambda a: (chunk for _ in range(24)))
    out.seek(0)
    writes: list[int] = []
    digest = hashlib.sha256()

    class Counting:
        def write(self, data: bytes) -> None:
            writes.append(len(data))
            digest.update(data)

        def commit(self) -> str:
            return "counted"

        def abort(self) -> None:
            raise AssertionError("not refused")

    result = parse(out, sink=lambda: Counting())
    [attachment] = result.package.attachments  # type: ignore[union-attr]
    assert attachment.size == 24 * len(chunk) == sum(writes)
    assert attachment.sha256 == digest.hexdigest() == hashlib.sha256(chunk * 24).hexdigest()
    assert max(writes) <= 512 * 1024 and len(writes) > 24  # decoded piecewise, never as a whole


def test_tolerated_wire_variants() -> None:
    raw = fixture("valid_new_document.edxml").replace(b"2025/03/05</edXML:PromulgationDate>",
                                                       b"05/03/2025</edXML:PromulgationDate>")
    raw = b"\r\n  " + raw.replace(b"JVBERi0xLjcKJSBMaWVuVGhvbmcgZXhhbXBsZSBzdHViCg==",
                                  b"JVBERi0xLjcKJSBMaWVu\r\nVGhvbmcgZXhhbXBsZSBzdHViCg==")
    raw = raw.replace(b"<ContentId>5b0e", b"<ContentId>cid:5b0e")
    package = parse(raw).package
    assert package.header.promulgation_info.promulgation_date == date(2025, 3, 5)  # type: ignore[union-attr]
    assert package.attachments[0].size == 34  # type: ignore[union-attr]


def test_unknown_vendor_elements_are_kept_for_relay() -> None:
    package = parse(fixture("invalid_secret_mark.edxml")).package
    assert isinstance(package, DocumentPackage)
    [extension] = package.header.other_info.extensions
    assert "SecurityLevel" in extension and "Mật" in extension
    assert parse(build(package, parse_contents("invalid_secret_mark.edxml"))).package == package


# ---------------------------------------------------------------------------------------
# Property: random valid documents survive build -> parse unchanged.

_alphabet = st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\u2028\u2029")
text = st.text(_alphabet, max_size=40).map(lambda s: " ".join(s.split()))
required_text = text.filter(bool)
code_text = st.text(string.ascii_uppercase + string.digits + ".", min_size=1, max_size=13)
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)).map(
    lambda m: m.replace(microsecond=0, tzinfo=VN_TZ))
small = st.integers(min_value=0, max_value=9)

organs = st.builds(Organ, organ_id=code_text, organ_name=required_text, organization_in_charge=text,
                   organ_add=text, email=text, telephone=text, fax=text, website=text)
staff = st.builds(StaffInfo, department=text, staff=text, mobile=text, email=text)
business = st.builds(
    Bussiness, bussiness_doc_type=st.sampled_from(list(BusinessDocType)), bussiness_doc_reason=text, paper=small,
    staff_info=st.none() | staff, document_id=text,
    bussiness_document_info=st.none() | st.builds(
        BussinessDocumentInfo, document_info=small, document_receiver=small,
        receivers=st.lists(st.builds(Receiver, organ_id=code_text, receiver_type=small), max_size=3)),
    replacement_info_list=st.lists(st.builds(ReplacementInfo, document_id=required_text,
                                             organ_ids=st.lists(code_text, max_size=3)), max_size=3))


@st.composite
def documents(draw: st.DrawFn) -> tuple[DocumentPackage, dict[str, bytes]]:
    recipients = draw(st.lists(organs, min_size=1, max_size=4, unique_by=lambda o: o.organ_id))
    header = MessageHeader(**{"from": draw(organs)}, to=recipients,
                           code=Code(code_number=draw(required_text), code_notation=draw(required_text)),
                           promulgation_info=PromulgationInfo(place=draw(text), promulgation_date=draw(dates)),
                           document_type=DocumentType(type=draw(st.none() | small),
                                                      type_detail=draw(st.none() | small), type_name=draw(text)),
                           subject=draw(required_text), content=draw(text),
                           signer_info=SignerInfo(competence=draw(text), position=draw(text),
                                                  full_name=draw(text)),
                           due_date=draw(st.none() | dates), to_places=draw(st.lists(required_text, max_size=3)),
                           other_info=OtherInfo(priority=draw(st.integers(0, 4)),
                                                sphere_of_promulgation=draw(text), typer_notation=draw(text),
                                                promulgation_amount=draw(st.none() | small),
                                                page_amount=draw(st.none() | small),
                                                appendixes=draw(st.lists(required_text, max_size=3))),
                           response_for=draw(st.lists(st.builds(ResponseFor, organ_id=code_text, code=text,
                                                                promulgation_date=st.none() | dates,
                                                                document_id=text), max_size=2)),
                           steering_type=draw(st.integers(0, 2)), document_id=draw(required_text))
    trace = draw(st.none() | st.builds(
        TraceHeaderList, trace_headers=st.lists(st.builds(TraceHeader, organ_id=code_text,
                                                          timestamp=st.none() | moments), max_size=3),
        bussiness=st.none() | business, attributes=st.just({})))
    files = draw(st.lists(st.binary(max_size=300), max_size=3))
    attachments = []
    for i, data in enumerate(files):
        attachments.append(Attachment(content_id=f"id-{i}", attachment_name=draw(required_text),
                                      content_type=draw(st.sampled_from(["application/pdf", "image/png"])),
                                      description=draw(text), size=len(data),
                                      sha256=hashlib.sha256(data).hexdigest()))
    package = DocumentPackage(header=header, trace_header_list=trace, attachments=attachments)
    return package, {f"id-{i}": data for i, data in enumerate(files)}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_round_trip_is_lossless(case: tuple[DocumentPackage, dict[str, bytes]]) -> None:
    package, contents = case
    sink = MemorySink()
    parsed = parse(build(package, contents), sink=sink).package
    assert parsed.model_dump() == package.model_dump()  # everything but the sink's storage reference
    assert {a.content_id: sink.contents[a.ref] for a in parsed.attachments} == contents  # type: ignore[union-attr]


@settings(max_examples=100, deadline=None)
@given(st.builds(StatusPackage, from_=organs, response_for=st.builds(
    ResponseFor, organ_id=code_text, code=required_text, promulgation_date=st.none() | dates,
    document_id=required_text), staff_info=st.none() | staff,
    status_code=st.sampled_from(["01", "03", "04", "05", "06", "13", "15", "16"]), description=text,
    timestamp=st.none() | moments))
def test_status_round_trip_is_lossless(status: StatusPackage) -> None:
    assert parse(build(status)).package == status
