"""Fuzz target of the edXML parser (hypothesis): whatever the bytes, the parser returns a package or
refuses with InvalidInput / PayloadTooLarge; it never crashes with anything else.

CI runs it briefly (a few hundred examples); run longer with ``--hypothesis-seed`` and
``HYPOTHESIS_PROFILE=fuzz`` style settings locally when changing the reader.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lienthong.edxml import Limits, parse
from lienthong.platform.errors import InvalidInput, PayloadTooLarge

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "edxml"
SEEDS = [p.read_bytes() for p in sorted(FIXTURES.glob("*.edxml"))]
SNIPPETS = [b"<", b">", b"</edXML:To>", b"<edXML:To>", b"&amp;", b"&x;", b"<!DOCTYPE a>", b"<![CDATA[x]]>",
            b"=", b"\x00", b"\xff\xfe", b"<AttachmentEncoded><Attachment><ContentTransferEncoded>",
            b"</ContentTransferEncoded>", b"cid:", b"<?xml version='1.0'?>", b"xmlns:edXML='urn:x'"]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "flip", "truncate"]))
        if action == "insert":
            data[position:position] = draw(st.sampled_from(SNIPPETS) | st.binary(max_size=20))
        elif action == "delete":
            del data[position:position + draw(st.integers(1, 40))]
        elif action == "flip" and position < len(data):
            data[position] = draw(st.integers(0, 255))
        elif action == "truncate":
            del data[position:]
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated(), st.binary(max_size=400)))
def test_the_parser_never_crashes(data: bytes) -> None:
    try:
        parse(data, limits=Limits(max_depth=16, max_field_chars=2000))
    except (InvalidInput, PayloadTooLarge) as refused:
        assert refused.detail
