"""Signing for agencies on real keys (PKCS#12 files, a SoftHSM2 token), a loopback TSA/OCSP/CRL, real databases:
the agency binding, the person-first rule, the audit, B-LTA extension, evidence renewal, inventory metrics, policies."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from prometheus_client import REGISTRY, generate_latest
from sqlalchemy import select

from lienthong.platform.errors import Forbidden, IllegalState, InvalidInput, NotFound
from lienthong.platform.messaging.tables import outbox_events
from lienthong.signing.adapters.dev_pki import minimal_pdf, sign_pdf
from lienthong.signing.adapters.tables import signature_audit
from lienthong.signing.bootstrap import build_parts
from lienthong.signing.domain.keys import Appearance
from lienthong.signing.settings import SigningSettings

AGENCY = "000.00.11.H99"
OTHER = "000.00.12.H99"


@pytest.fixture
def core(tmp_path, online_pki, softhsm_token, write_keys, database_url):
    pki, _ = online_pki
    settings = SigningSettings(data_dir=tmp_path, database_url=database_url, trust_roots=[pki.trust_dir],
                               keys_file=write_keys(tmp_path / "keys.toml", pki, softhsm_token),
                               tsa_url=pki.tsa_url, revocation_mode="hard-fail")
    parts = build_parts(settings)
    yield parts
    parts.key_ring.close()
    parts.database.dispose()


@pytest.fixture
def person_signed(online_pki) -> bytes:
    return sign_pdf(minimal_pdf("Quyết định số 12/QĐ-STC"), online_pki[0], "person", timestamp=True)


def audit_rows(core):
    with core.database.engine.connect() as conn:
        return conn.execute(select(signature_audit).order_by(signature_audit.c.at)).mappings().all()


def test_organisation_signs_after_the_person_and_is_audited(core, person_signed):
    result = core.operations.sign(person_signed, key_id="org-p12", agencies=frozenset({AGENCY}),
                                  requested_by="clerk-1", level="B-T", document_ref="doc-12")
    report = core.signing.check_report(result.pdf, agency_code=AGENCY)
    assert report.indication == "TOTAL_PASSED"
    update = result.pdf[len(person_signed):]
    assert result.pdf.startswith(person_signed) and b"/Subtype /Image" in update
    assert b"/SMask" in update  # the seal's transparency survives
    assert [(s.field_name, s.level) for s in report.signatures] == [("Sig_CaNhan", "B-T"), ("Sig_ToChuc", "B-T")]
    [row] = audit_rows(core)
    assert (row["operation"], row["outcome"], row["key_id"], row["agency_code"], row["requested_by"]) == (
        "sign", "done", "org-p12", AGENCY, "clerk-1")
    assert row["output_sha256"] == result.audit.output_sha256 and row["level"] == "B-T"
    with core.database.engine.connect() as conn:
        types = conn.execute(select(outbox_events.c.event_type)).scalars().all()
    assert any(t.endswith("PdfSigned") for t in types)


def test_organisation_signature_needs_a_passing_person_signature(core):
    with pytest.raises(IllegalState, match="person signature"):
        core.operations.sign(minimal_pdf("no person"), key_id="org-p12", agencies=frozenset({AGENCY}),
                             requested_by="clerk-1")
    assert audit_rows(core) == []


def test_a_key_of_another_agency_is_refused_and_the_refusal_audited(core, person_signed):
    with pytest.raises(Forbidden):
        core.operations.sign(person_signed, key_id="org-p12", agencies=frozenset({OTHER}), requested_by="intruder")
    [row] = audit_rows(core)
    assert (row["outcome"], row["requested_by"], row["output_sha256"]) == ("refused", "intruder", "")
    with pytest.raises(NotFound):
        core.operations.sign(person_signed, key_id="nope", agencies=frozenset({AGENCY}), requested_by="x")


def test_expired_key_and_bad_requests_are_refused(core, person_signed):
    with pytest.raises(IllegalState, match="not valid now"):
        core.operations.sign(minimal_pdf("x"), key_id="expired-p12", agencies=frozenset({AGENCY}),
                             requested_by="x")
    with pytest.raises(InvalidInput) as exc:
        core.operations.sign(person_signed, key_id="org-p12", agencies=frozenset({AGENCY}), requested_by="x",
                             level="B-B", appearance=Appearance(kind="hologram"), field_name="1bad name")
    assert {e.path for e in exc.value.errors} == {"level", "appearance", "field_name"}


def test_pkcs11_key_on_softhsm_signs_b_lta_and_never_leaves_the_token(core, person_signed, softhsm_token):
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    result = core.operations.sign(person_signed, key_id="org-hsm", agencies=frozenset({AGENCY}),
                                  requested_by="clerk-1", level="B-LTA")
    report = core.signing.check_report(result.pdf)
    assert [(s.indication.value, s.level) for s in report.signatures] == [("TOTAL_PASSED", "B-T"),
                                                                        ("TOTAL_PASSED", "B-LTA")]
    token = pkcs11.lib(softhsm_token.module).get_token(token_label=softhsm_token.token_label)
    with token.open() as session:  # already logged in by the key ring in this process
        [key] = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
        assert key[Attribute.SENSITIVE] and not key[Attribute.EXTRACTABLE]


def test_extend_renew_and_the_dry_run(core, person_signed):
    extended = core.operations.extend(person_signed, level="B-LTA", agency_code=AGENCY, requested_by="archive")
    assert core.signing.check_report(extended.pdf).signatures[0].level == "B-LTA"
    status = core.operations.evidence_status(extended.pdf)
    assert status.has_document_timestamp and not status.due  # the dev TSA's certificate has 5 years left
    assert core.operations.renew(extended.pdf, agency_code=AGENCY, requested_by="archive") is None
    renewed = core.operations.renew(extended.pdf, agency_code=AGENCY, requested_by="archive", force=True)
    assert renewed is not None and renewed.pdf.startswith(extended.pdf)
    assert core.signing.check_report(renewed.pdf).indication == "TOTAL_PASSED"
    unsigned_status = core.operations.evidence_status(person_signed)
    assert not unsigned_status.has_document_timestamp and not unsigned_status.due
    with pytest.raises(IllegalState):
        core.operations.renew(person_signed, agency_code=AGENCY, requested_by="archive")
    assert [r["operation"] for r in audit_rows(core)] == ["extend", "renew"]


def test_renewal_is_due_inside_the_window(tmp_path, online_pki, person_signed, database_url):
    pki, _ = online_pki
    settings = SigningSettings(data_dir=tmp_path, database_url=database_url, trust_roots=[pki.trust_dir],
                               tsa_url=pki.tsa_url, renew_within_days=3650)
    parts = build_parts(settings)
    try:
        extended = parts.operations.extend(person_signed, level="B-LTA", agency_code=AGENCY, requested_by="a")
        assert parts.operations.evidence_status(extended.pdf).due
        assert parts.operations.renew(extended.pdf, agency_code=AGENCY, requested_by="a") is not None
    finally:
        parts.database.dispose()


def test_key_inventory_metrics_warn_about_expiry(core):
    text = generate_latest(REGISTRY).decode()
    assert 'lienthong_signing_key_expiring{key_id="expired-p12"} 1.0' in text
    assert 'lienthong_signing_key_expiring{key_id="org-hsm"} 0.0' in text
    assert 'lienthong_signing_trust_anchor_not_after_seconds{subject=' in text
    assert {k.key_id for k in core.operations.list_keys(frozenset({AGENCY}))} == {
        "org-p12", "person-p12", "expired-p12", "org-hsm"}
    assert core.operations.list_keys(frozenset({OTHER})) == []


def test_agency_policy_from_a_reloadable_file(tmp_path, online_pki, database_url):
    pki, _ = online_pki
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[agencies."{AGENCY}"]\nsignature_required = true\naccepted_levels = ["B-T", "B-LTA"]\n',
                      encoding="utf-8")
    parts = build_parts(SigningSettings(data_dir=tmp_path, database_url=database_url, trust_roots=[pki.trust_dir],
                                        trust_policy_file=policy))
    try:
        unsigned = parts.signing.check_report(minimal_pdf("x"), agency_code=AGENCY)
        assert unsigned.policy == AGENCY and unsigned.policy_violations == (
            f"policy {AGENCY}: a signature is required",)
        bb = parts.signing.check_report(sign_pdf(minimal_pdf("x"), pki, "person"), agency_code=AGENCY)
        assert bb.policy_violations == (f"policy {AGENCY}: signature 1 is B-B; accepted: B-T, B-LTA",)
        assert "Không đạt chính sách" in bb.summary_vi
        assert parts.signing.check_report(minimal_pdf("x"), agency_code=OTHER).policy_violations == ()
        time.sleep(0.01)
        policy.write_text(f'[agencies."{AGENCY}"]\ntrust_lists = ["neac"]\n', encoding="utf-8")
        reloaded = parts.signing.check_report(sign_pdf(minimal_pdf("x"), pki, "person"), agency_code=AGENCY)
        assert reloaded.signatures[0].sub_indication == "NO_CERTIFICATE_CHAIN_FOUND"
    finally:
        parts.database.dispose()


def test_documents_service_contract_still_holds(core, person_signed):
    report = core.signing.validate_pdf(person_signed, file_name="cv.pdf", agency_code=AGENCY,
                                       document_ref="doc-1", requested_by="grpc")
    assert report.id and report.indication == "TOTAL_PASSED" and report.signatures[0].timestamp_time is not None
    assert core.signing.get_report(report.id) == report
    assert timedelta(0) <= report.validated_at - report.validated_at
