"""Contract suite of the blob store port: every adapter (``file``, ``s3``) passes the same tests.

The ``s3`` cases run against the session's S3 endpoint (moto unless
``LIENTHONG_TEST_S3_ENDPOINT`` is set), one fresh bucket per test. No mocks.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from minio.deleteobjects import DeleteObject

from lienthong.platform.blob import BlobNotFound, BlobStore, BlobTooLarge, ChecksumMismatch
from lienthong.platform.blob.factory import make_blob_store
from lienthong.platform.blob.file import FileBlobStore
from lienthong.platform.blob.s3 import DIGEST_METADATA, MIN_PART_SIZE, S3BlobStore
from lienthong.platform.settings import ServiceSettings
from lienthong.testing.s3 import S3Endpoint

MiB = 1024 * 1024
BIG_SIZE = 200 * MiB
MAX_RSS_GROWTH = 48 * MiB
"""s3 holds about two 16 MiB parts during a put; file only 1 MiB chunks."""


@dataclass
class Backend:
    """One adapter under test, with the back doors a contract test needs."""

    name: str
    store: BlobStore
    overwrite: Callable[[str, bytes], None]
    """Replace a stored blob's bytes behind the store's back."""
    stored: Callable[[], list[str]]
    """Everything the adapter keeps (final and temporary), to check that a refused put left nothing."""
    config: dict[str, object]
    """How a subprocess builds the same store with the adapter's default settings."""


def _file_backend(root: Path) -> Backend:
    store = FileBlobStore(root)

    def overwrite(sha256: str, data: bytes) -> None:
        path = store.path_of(sha256)
        path.chmod(0o644)
        path.write_bytes(data)

    def stored() -> list[str]:
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())

    return Backend("file", store, overwrite, stored, {"kind": "file", "root": str(root)})


def _s3_backend(endpoint: S3Endpoint, bucket: str) -> Backend:
    client = endpoint.client()
    store = S3BlobStore(client, bucket, part_size=MIN_PART_SIZE)

    def overwrite(sha256: str, data: bytes) -> None:
        client.put_object(bucket, store.key_of(sha256), io.BytesIO(data), len(data))

    def stored() -> list[str]:
        return sorted(str(o.object_name) for o in client.list_objects(bucket, recursive=True))

    config = {"kind": "s3", "endpoint": endpoint.endpoint, "access_key": endpoint.access_key,
              "secret_key": endpoint.secret_key, "region": endpoint.region, "bucket": bucket}
    return Backend("s3", store, overwrite, stored, config)


def _empty_bucket(endpoint: S3Endpoint, bucket: str) -> None:
    """Delete every object version (bypassing GOVERNANCE retention), then the bucket."""
    client = endpoint.client()
    versions = [DeleteObject(str(o.object_name), o.version_id)
                for o in client.list_objects(bucket, recursive=True, include_version=True)]
    errors = list(client.remove_objects(bucket, versions, bypass_governance_mode=True))
    assert errors == []
    client.remove_bucket(bucket)


@pytest.fixture(params=["file", pytest.param("s3", marks=pytest.mark.s3)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """Each adapter in turn: a file store in ``tmp_path``, an S3 store on a new bucket."""
    if request.param == "file":
        root = tmp_path / "blobs"
        yield _file_backend(root)
        shutil.rmtree(root)
        return
    endpoint: S3Endpoint = request.getfixturevalue("s3_endpoint")
    bucket = f"lt-contract-{uuid.uuid4().hex[:12]}"
    yield _s3_backend(endpoint, bucket)
    _empty_bucket(endpoint, bucket)


def _read_all(store: BlobStore, sha256: str) -> bytes:
    return b"".join(store.get(sha256))


def _data(size: int, seed: int = 1) -> bytes:
    return (hashlib.sha256(str(seed).encode()).digest() * (size // 32 + 1))[:size]


@pytest.mark.parametrize("size", [0, 1, 10 * MiB, 11 * MiB + 3],
                         ids=["empty", "one-byte", "part-aligned", "multipart"])
def test_round_trip(backend: Backend, size: int) -> None:
    data = _data(size)
    ref = backend.store.put(io.BytesIO(data))
    assert ref.sha256 == hashlib.sha256(data).hexdigest()
    assert ref.size == size
    assert _read_all(backend.store, ref.sha256) == data
    assert backend.store.exists(ref.sha256)
    assert backend.store.stat(ref.sha256) == ref
    assert backend.store.verify(ref.sha256)


def test_get_yields_bounded_chunks(backend: Backend) -> None:
    data = _data(3 * MiB + 5)
    ref = backend.store.put(io.BytesIO(data))
    chunks = list(backend.store.get(ref.sha256))
    assert len(chunks) > 1
    assert max(len(c) for c in chunks) <= MiB


def test_put_is_idempotent(backend: Backend) -> None:
    data = _data(100_000)
    first = backend.store.put(io.BytesIO(data))
    after_first = backend.stored()
    second = backend.store.put(io.BytesIO(data), expected_sha256=first.sha256)
    assert second == first
    assert backend.stored() == after_first
    assert len(after_first) == 1
    assert _read_all(backend.store, first.sha256) == data


def test_distinct_contents_are_distinct_blobs(backend: Backend) -> None:
    a = backend.store.put(io.BytesIO(b"alpha"))
    b = backend.store.put(io.BytesIO(b"beta"))
    assert a.sha256 != b.sha256
    assert _read_all(backend.store, a.sha256) == b"alpha"
    assert _read_all(backend.store, b.sha256) == b"beta"


def test_expected_sha256_mismatch_is_refused_and_nothing_stored(backend: Backend) -> None:
    data = _data(200_000)
    wrong = hashlib.sha256(b"something else").hexdigest()
    with pytest.raises(ChecksumMismatch):
        backend.store.put(io.BytesIO(data), expected_sha256=wrong)
    assert backend.stored() == []
    assert not backend.store.exists(hashlib.sha256(data).hexdigest())
    assert not backend.store.exists(wrong)


def test_expected_sha256_match_is_accepted(backend: Backend) -> None:
    data = _data(1000)
    ref = backend.store.put(io.BytesIO(data), expected_sha256=hashlib.sha256(data).hexdigest())
    assert _read_all(backend.store, ref.sha256) == data


@pytest.mark.parametrize(("size", "max_size"), [(1001, 1000), (11 * MiB, 7 * MiB)],
                         ids=["small", "after-first-part"])
def test_max_size_exceeded_is_refused_and_nothing_stored(backend: Backend, size: int,
                                                         max_size: int) -> None:
    with pytest.raises(BlobTooLarge):
        backend.store.put(io.BytesIO(_data(size)), max_size=max_size)
    assert backend.stored() == []


def test_max_size_is_inclusive(backend: Backend) -> None:
    ref = backend.store.put(io.BytesIO(_data(1000)), max_size=1000)
    assert ref.size == 1000


def test_absent_blob(backend: Backend) -> None:
    absent = hashlib.sha256(b"never stored").hexdigest()
    assert not backend.store.exists(absent)
    with pytest.raises(BlobNotFound):
        backend.store.get(absent)
    with pytest.raises(BlobNotFound):
        backend.store.stat(absent)
    with pytest.raises(BlobNotFound):
        backend.store.verify(absent)


@pytest.mark.parametrize("digest", [
    "../etc/passwd",
    "../" + "a" * 61,
    "A" * 64,
    "a" * 63,
    "a" * 65,
    "",
    "sha256/" + "a" * 64,
])
def test_invalid_digest_is_refused(backend: Backend, digest: str) -> None:
    calls: list[Callable[[], object]] = [
        lambda: backend.store.get(digest),
        lambda: backend.store.stat(digest),
        lambda: backend.store.exists(digest),
        lambda: backend.store.verify(digest),
        lambda: backend.store.put(io.BytesIO(b"x"), expected_sha256=digest),
    ]
    for call in calls:
        with pytest.raises(ValueError):
            call()
    assert backend.stored() == []


@pytest.mark.parametrize("tamper", ["same-length", "truncated"])
def test_corruption_is_detected(backend: Backend, tamper: str) -> None:
    data = _data(2 * MiB + 17)
    ref = backend.store.put(io.BytesIO(data))
    altered = data[:-1] + bytes([data[-1] ^ 1]) if tamper == "same-length" else data[: MiB]
    backend.overwrite(ref.sha256, altered)
    with pytest.raises(ChecksumMismatch):
        _read_all(backend.store, ref.sha256)
    assert backend.store.verify(ref.sha256) is False


ROUND_TRIP_SCRIPT = r'''
import hashlib, json, random, sys, time
from pathlib import Path

cfg = json.loads(sys.argv[1])
SIZE, BLOCK = cfg["size"], 1 << 20


def status_kib(field):
    """A /proc/self/status figure in KiB (VmHWM, unlike ru_maxrss, does not carry over the
    pytest parent's RSS across fork+exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


class PatternStream:
    """SIZE deterministic bytes, never held whole: block i is one fixed random block stamped with i."""

    def __init__(self, size):
        self._size, self._pos = size, 0
        self._base = random.Random(20240601).randbytes(BLOCK)

    def read(self, n=-1):
        left = self._size - self._pos
        block, offset = divmod(self._pos, BLOCK)
        take = min(BLOCK - offset, left, left if n is None or n < 0 else n)
        if take <= 0:
            return b""
        self._pos += take
        return (block.to_bytes(8, "big") + self._base[8:])[offset:offset + take]


if cfg["kind"] == "file":
    from lienthong.platform.blob.file import FileBlobStore
    store = FileBlobStore(Path(cfg["root"]))
else:
    from minio import Minio
    from lienthong.platform.blob.s3 import S3BlobStore
    client = Minio(cfg["endpoint"], access_key=cfg["access_key"], secret_key=cfg["secret_key"],
                   secure=False, region=cfg["region"])
    store = S3BlobStore(client, cfg["bucket"])

warm = store.put(PatternStream(1000))
for _ in store.get(warm.sha256):
    pass
base_kib = status_kib("VmRSS")  # now, not the high-water mark imports may have pushed up

t0 = time.perf_counter()
ref = store.put(PatternStream(SIZE))
t1 = time.perf_counter()
hasher, got = hashlib.sha256(), 0
for chunk in store.get(ref.sha256):
    hasher.update(chunk)
    got += len(chunk)
t2 = time.perf_counter()
peak_kib = status_kib("VmHWM")

expected, source = hashlib.sha256(), PatternStream(SIZE)
while chunk := source.read(BLOCK):
    expected.update(chunk)
print(json.dumps({"ref": [ref.sha256, ref.size], "read": [hasher.hexdigest(), got],
                  "expected": expected.hexdigest(), "base_kib": base_kib, "peak_kib": peak_kib,
                  "put_s": t1 - t0, "get_s": t2 - t1}))
'''


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmRSS/VmHWM from /proc")
def test_streamed_200mb_round_trip_in_bounded_memory(backend: Backend) -> None:
    """200 MB in and out of the store (default settings) in a fresh process whose peak RSS grows
    by a small fraction of that: a generated stream in, chunks out, nothing held whole."""
    config = json.dumps({**backend.config, "size": BIG_SIZE})
    proc = subprocess.run([sys.executable, "-c", ROUND_TRIP_SCRIPT, config],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["ref"] == [result["expected"], BIG_SIZE]
    assert result["read"] == [result["expected"], BIG_SIZE]
    growth = (result["peak_kib"] - result["base_kib"]) * 1024
    mb = BIG_SIZE / 1e6
    print(f"\n[{backend.name}] 200 MB round trip: peak RSS growth {growth / MiB:.1f} MiB "
          f"(base {result['base_kib'] / 1024:.1f} MiB); put {mb / result['put_s']:.0f} MB/s, "
          f"get {mb / result['get_s']:.0f} MB/s, "
          f"round trip {2 * mb / (result['put_s'] + result['get_s']):.0f} MB/s")
    assert growth < MAX_RSS_GROWTH, f"peak RSS grew by {growth / MiB:.1f} MiB"


def test_file_blobs_are_read_only_at_a_sharded_path(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path / "blobs")
    ref = store.put(io.BytesIO(b"hello"))
    path = store.path_of(ref.sha256)
    assert path == tmp_path / "blobs" / ref.sha256[:2] / ref.sha256[2:4] / ref.sha256
    assert path.stat().st_mode & 0o777 == 0o444
    inode = path.stat().st_ino
    store.put(io.BytesIO(b"hello"))
    assert path.stat().st_ino == inode
    assert list((tmp_path / "blobs" / ".tmp").iterdir()) == []


@pytest.mark.s3
def test_s3_blob_carries_its_digest_as_metadata(s3_endpoint: S3Endpoint) -> None:
    bucket = f"lt-contract-{uuid.uuid4().hex[:12]}"
    store = S3BlobStore(s3_endpoint.client(), bucket)
    try:
        ref = store.put(io.BytesIO(b"hello"))
        info = store.client.stat_object(bucket, store.key_of(ref.sha256))
        assert info.metadata[f"x-amz-meta-{DIGEST_METADATA}"] == ref.sha256
    finally:
        _empty_bucket(s3_endpoint, bucket)


def _lock_mode(store: S3BlobStore, sha256: str) -> str | None:
    """The object-lock mode on a blob's HEAD (moto answers HEAD, not GetObjectRetention)."""
    return store.client.stat_object(store.bucket, store.key_of(sha256)).metadata.get("x-amz-object-lock-mode")


@pytest.mark.s3
def test_s3_object_lock_puts_with_retention(s3_endpoint: S3Endpoint) -> None:
    bucket = f"lt-contract-{uuid.uuid4().hex[:12]}"
    store = S3BlobStore(s3_endpoint.client(), bucket, object_lock=True, retention_mode="GOVERNANCE")
    try:
        ref = store.put(io.BytesIO(b"archived"))
        assert _lock_mode(store, ref.sha256) == "GOVERNANCE"
        assert [o.object_name for o in store.client.list_objects(bucket, recursive=True)] == [
            store.key_of(ref.sha256)]
        assert _read_all(store, ref.sha256) == b"archived"
        assert store.put(io.BytesIO(b"archived")) == ref
    finally:
        _empty_bucket(s3_endpoint, bucket)


@pytest.mark.s3
def test_s3_object_lock_heals_a_blob_left_without_retention(s3_endpoint: S3Endpoint) -> None:
    bucket = f"lt-contract-{uuid.uuid4().hex[:12]}"
    locked = S3BlobStore(s3_endpoint.client(), bucket, object_lock=True, retention_mode="COMPLIANCE",
                         retention_period=timedelta(seconds=1))
    unlocked = S3BlobStore(s3_endpoint.client(), bucket, create_bucket=False)
    try:
        ref = unlocked.put(io.BytesIO(b"left unlocked"))
        assert _lock_mode(locked, ref.sha256) is None
        assert locked.put(io.BytesIO(b"left unlocked")) == ref
        assert _lock_mode(locked, ref.sha256) == "COMPLIANCE"
    finally:
        time.sleep(1.2)  # COMPLIANCE cannot be bypassed: let it expire
        _empty_bucket(s3_endpoint, bucket)


@pytest.mark.parametrize("backend_name", ["file", pytest.param("s3", marks=pytest.mark.s3)])
def test_factory_follows_settings(backend_name: str, tmp_path: Path,
                                  request: pytest.FixtureRequest) -> None:
    if backend_name == "file":
        settings = ServiceSettings(blob_backend="file", blob_dir=tmp_path / "blobs")
        store = make_blob_store(settings)
        assert isinstance(store, FileBlobStore)
        assert store.root == tmp_path / "blobs"
        return
    endpoint: S3Endpoint = request.getfixturevalue("s3_endpoint")
    bucket = f"lt-contract-{uuid.uuid4().hex[:12]}"
    settings = ServiceSettings(blob_backend="s3", s3_endpoint=endpoint.endpoint,
                               s3_access_key=endpoint.access_key, s3_secret_key=endpoint.secret_key,
                               s3_region=endpoint.region, s3_bucket=bucket)
    store = make_blob_store(settings)
    try:
        assert isinstance(store, S3BlobStore)
        assert store.bucket == bucket
        assert _read_all(store, store.put(io.BytesIO(b"x")).sha256) == b"x"
    finally:
        _empty_bucket(endpoint, bucket)
