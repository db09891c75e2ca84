"""How the mailbox turns package problems into the protocol's error codes."""

from __future__ import annotations

import io

import pytest

from lienthong.platform.errors import FieldError, Forbidden, InvalidInput, PayloadTooLarge, Unavailable
from lienthong.routing.service.mailbox import package_error, refuse_if_hostile
from lienthong.vxp.protocol import (
    AgencyNotHeld,
    HostilePackage,
    InternalError,
    InvalidPackage,
    PackageTooLarge,
    UnknownRecipient,
)

BOMB = b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<edXML:edXML>&lol;</edXML:edXML>'


def test_a_dtd_before_the_root_is_hostile_and_the_file_is_rewound() -> None:
    package = io.BytesIO(BOMB)
    with pytest.raises(HostilePackage):
        refuse_if_hostile(package)
    assert package.tell() == 0


def test_doctype_text_inside_the_document_is_not_a_dtd() -> None:
    package = io.BytesIO(b'<?xml version="1.0"?><edXML:edXML><Content>&lt;!DOCTYPE x&gt; <!DOCTYPE</Content>'
                         b'</edXML:edXML>')
    refuse_if_hostile(package)
    assert package.tell() == 0


@pytest.mark.parametrize("error,expected", [
    (PayloadTooLarge("too big"), PackageTooLarge),
    (Forbidden("not the sender"), AgencyNotHeld),
    (InvalidInput("bad", errors=[FieldError("/", "<!DOCTYPE x> found")]), HostilePackage),
    (InvalidInput("bad", errors=[FieldError("/To[0]/OrganId", "agency 1 is not in the registry")]), UnknownRecipient),
    (InvalidInput("bad", errors=[FieldError("/To[0]/OrganId", "agency 1 is not in the registry"),
                                 FieldError("/Subject", "required")]), InvalidPackage),
    (Unavailable("registry down"), InternalError),
])
def test_errors_of_the_documents_service_map_to_their_codes(error, expected) -> None:
    mapped = package_error(error)
    assert type(mapped) is expected and mapped.error_desc
