"""REST API of the archive: who may read which record, listing with cursors, package download, fixity."""

from __future__ import annotations

import base64
import hashlib
import uuid

import pytest
from fastapi.testclient import TestClient

from lienthong.api.documents.v1 import documents_pb2
from lienthong.api.documents.v1.events_pb2 import DocumentSubmitted
from lienthong.archive.bootstrap import build_core
from lienthong.archive.entrypoints import rest
from lienthong.archive.entrypoints.consumers import event_handler
from lienthong.archive.settings import ArchiveSettings
from lienthong.platform.http import create_app
from lienthong.platform.messaging import Event

FINANCE, HOME_AFFAIRS, HEALTH, OTHER = "000.00.11.H99", "000.00.12.H99", "000.00.13.H99", "000.00.14.H99"


@pytest.fixture
def archive_api(tmp_path, database_url, grpc_server, documents, tokens):
    """A TestClient on the archive's router, and a function that archives a document from ``sender`` to ``to``."""
    core = build_core(ArchiveSettings(data_dir=tmp_path, database_url=database_url,
                                      documents_grpc_target=grpc_server()))
    handle = event_handler(core.archive, core.database)

    def archive(sender: str, to: list[str]) -> str:
        document_id = str(uuid.uuid4())
        data = f"%PDF-1.7 {document_id}".encode()
        digest = documents.add(document_id, data)
        document = documents_pb2.Document(
            id=document_id, identifier=f"{sender}-2026.1", sender_code=sender, recipient_codes=to,
            submitted_at="2026-03-02T09:15:04.120+07:00",
            attachments=[documents_pb2.Attachment(name="vb.pdf", media_type="application/pdf", sha256=digest,
                                                  size=len(data))])
        handle(Event.of(DocumentSubmitted(document=document), service="documents", key=document_id))
        [record] = core.archive.list_records(_Operator(), document_id=document_id)
        return record.id

    app = create_app(title="archive test", routers=[rest.router(core.archive)], verifier=tokens.verifier)
    with TestClient(app) as client:
        yield client, archive
    core.close()


def test_sender_and_recipients_read_a_record_other_agencies_do_not(archive_api, tokens):
    client, archive = archive_api
    record_id = archive(FINANCE, [HOME_AFFAIRS])
    url = f"/api/v1/archive/records/{record_id}"

    for reader in (tokens.headers(FINANCE), tokens.headers(HOME_AFFAIRS), tokens.headers(role="operator")):
        response = client.get(url, headers=reader)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["id"] == record_id and body["sender_code"] == FINANCE
        assert body["recipient_codes"] == [HOME_AFFAIRS]
        assert body["archived_at"].endswith("+07:00")
        assert set(body) == {"id", "document_id", "document_identifier", "sender_code", "recipient_codes",
                             "package_sha256", "package_size", "archived_at", "files", "last_fixity_check_at",
                             "last_fixity_intact"}
    stranger = tokens.headers(OTHER)
    for method, path in (("get", url), ("get", url + "/package"), ("get", url + "/trail"),
                         ("post", url + "/fixity-check")):
        response = client.request(method, path, headers=stranger)
        assert response.status_code == 403, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert client.get(url).status_code == 401
    assert client.get("/api/v1/archive/records/nope", headers=tokens.headers(role="operator")).status_code == 404


def test_lists_show_an_agency_only_its_records_and_page_with_cursors(archive_api, tokens):
    client, archive = archive_api
    mine = {archive(FINANCE, [HOME_AFFAIRS]), archive(HEALTH, [FINANCE]), archive(FINANCE, [HEALTH])}
    theirs = archive(HEALTH, [HOME_AFFAIRS])

    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/archive/records", params=params, headers=tokens.headers(FINANCE)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(mine) and len(seen) == 3

    everything = client.get("/api/v1/archive/records", headers=tokens.headers(role="operator")).json()
    assert {i["id"] for i in everything["items"]} == mine | {theirs}
    one = client.get("/api/v1/archive/records", params={"document_id": everything["items"][0]["document_id"]},
                     headers=tokens.headers(role="operator")).json()
    assert [i["id"] for i in one["items"]] == [everything["items"][0]["id"]]
    bad = client.get("/api/v1/archive/records", params={"cursor": "%%%"}, headers=tokens.headers(FINANCE))
    assert bad.status_code == 422


def test_package_download_streams_the_stored_bytes(archive_api, tokens):
    client, archive = archive_api
    record_id = archive(FINANCE, [HOME_AFFAIRS])
    record = client.get(f"/api/v1/archive/records/{record_id}", headers=tokens.headers(FINANCE)).json()

    response = client.get(f"/api/v1/archive/records/{record_id}/package", headers=tokens.headers(HOME_AFFAIRS))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-tar"
    assert hashlib.sha256(response.content).hexdigest() == record["package_sha256"]
    assert len(response.content) == record["package_size"]
    expected = base64.b64encode(bytes.fromhex(record["package_sha256"])).decode()
    assert response.headers["repr-digest"] == f"sha-256=:{expected}:"


def test_fixity_check_reports_and_records_the_outcome(archive_api, tokens):
    client, archive = archive_api
    record_id = archive(FINANCE, [HOME_AFFAIRS])

    response = client.post(f"/api/v1/archive/records/{record_id}/fixity-check", headers=tokens.headers(FINANCE))
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"record_id", "intact", "checked_at"}
    assert body["record_id"] == record_id and body["intact"] is True and body["checked_at"].endswith("+07:00")

    record = client.get(f"/api/v1/archive/records/{record_id}", headers=tokens.headers(role="operator")).json()
    assert record["last_fixity_intact"] is True
    assert record["last_fixity_check_at"] == body["checked_at"]


class _Operator:
    agencies = frozenset()
    is_operator = True
