"""Agency policies (parsing, defaults, violations), key-file errors and the key binding rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lienthong.platform.errors import Forbidden
from lienthong.signing.adapters.keys import KeyConfigError, KeyRing
from lienthong.signing.adapters.policy_store import PolicyError, PolicyStore, parse_policies
from lienthong.signing.domain.keys import KeyInfo, KeyRole
from lienthong.signing.domain.policy import AgencyPolicy, PolicyBook


def test_policy_file_defaults_and_agency_overrides():
    book = parse_policies("""
[default]
trust_lists = ["vgca", "neac"]

[agencies."000.00.11.H99"]
trust_lists = ["vgca"]
signature_required = true
accepted_levels = ["B-LT", "B-LTA"]
""")
    assert book.for_agency("").trust_lists == ("vgca", "neac")
    agency = book.for_agency("000.00.11.H99")
    assert agency.trust_lists == ("vgca",) and agency.signature_required
    assert agency.violations([]) == ["policy 000.00.11.H99: a signature is required"]
    assert agency.violations(["B-LTA", "B-T"]) == [
        "policy 000.00.11.H99: signature 2 is B-T; accepted: B-LT, B-LTA"]
    assert book.for_agency("000.00.99.H99") is book.default
    assert PolicyBook().for_agency("x") == AgencyPolicy()
    assert AgencyPolicy().violations(["B-B", "B-LTA"]) == []


@pytest.mark.parametrize("text, message", [
    ("[default\n", "not valid TOML"),
    ("[rules]\n", "unknown sections"),
    ("[default]\ncolour = 1\n", "unknown keys"),
    ("[default]\naccepted_levels = [\"B-X\"]\n", "accepted_levels"),
    ("[default]\nsignature_required = \"yes\"\n", "signature_required"),
    ("[default]\ntrust_lists = \"vgca\"\n", "trust_lists"),
])
def test_invalid_policy_files_are_refused(text, message):
    with pytest.raises(PolicyError, match=message):
        parse_policies(text)


def test_policy_store_keeps_the_last_good_file(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text("[default]\nsignature_required = true\n", encoding="utf-8")
    store = PolicyStore(path)
    assert store.current().default.signature_required
    path.write_text("[default\nbroken", encoding="utf-8")
    assert store.current().default.signature_required
    path.write_text("[default]\nsignature_required = false\n", encoding="utf-8")
    assert not store.current().default.signature_required
    assert PolicyStore(None).current() == PolicyBook()


def test_keys_are_used_only_by_their_agencies():
    now = datetime.now(UTC)
    key = KeyInfo(key_id="k", backend="pkcs12", role=KeyRole.ORGANISATION, agency_codes=frozenset({"A", "B"}),
                  subject_name="S", organisation="O", issuer_name="I", serial_number="1", certificate_sha256="0",
                  not_before=now - timedelta(days=1), not_after=now + timedelta(days=10))
    assert key.require_usable_by(frozenset({"B", "C"})) == "B"
    with pytest.raises(Forbidden):
        key.require_usable_by(frozenset({"C"}))
    assert key.expires_within(now, timedelta(days=30)) and not key.expires_within(now, timedelta(days=5))


@pytest.mark.parametrize("body, message", [
    ('[[keys]]\nbackend = "pkcs12"\n', "needs an id"),
    ('[[keys]]\nid = "a"\nbackend = "file"\n', "backend"),
    ('[[keys]]\nid = "a"\nbackend = "pkcs12"\nagency_codes = ["X"]\ncolour = 1\n', "unknown settings"),
    ('[[keys]]\nid = "a"\nbackend = "pkcs12"\n', "agency_codes"),
    ('[[keys]]\nid = "a"\nbackend = "pkcs12"\nrole = "mayor"\nagency_codes = ["X"]\n', "role"),
    ('[[keys]]\nid = "a"\nbackend = "pkcs12"\nagency_codes = ["X"]\npath = "missing.p12"\npassphrase = "p"\n',
     "cannot read"),
    ('[[keys]]\nid = "a"\nbackend = "pkcs12"\nagency_codes = ["X"]\npath = "x.p12"\npassphrase_env = "NO_SUCH_VAR"\n',
     "NO_SUCH_VAR"),
    ('[[keys]]\nid = "a"\nbackend = "pkcs11"\nagency_codes = ["X"]\nmodule = "m"\ntoken_label = "t"\nkey_id = "zz"\n',
     "hexadecimal"),
])
def test_invalid_key_files_are_refused_at_start_up(tmp_path, body, message):
    path = tmp_path / "keys.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(KeyConfigError, match=message):
        KeyRing(path)


def test_wrong_pkcs12_passphrase_is_refused(tmp_path, pki):
    path = tmp_path / "keys.toml"
    path.write_text(f'[[keys]]\nid = "a"\nbackend = "pkcs12"\nagency_codes = ["X"]\n'
                    f'path = "{pki.p12_path("organisation")}"\npassphrase = "wrong"\n', encoding="utf-8")
    with pytest.raises(KeyConfigError, match="cannot read"):
        KeyRing(path)
