"""Fixtures shared by the e2e suite: the dev PKI and the whole axis in either run mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lienthong.signing.adapters.dev_pki import generate_dev_pki
from lienthong.testing.axis import Axis, distributed_axis, embedded_axis


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dev PKI (``lienthong signing dev-pki``): keys, certificates and ``trust/`` for signing."""
    out = tmp_path_factory.mktemp("pki")
    generate_dev_pki(out)
    return out


@pytest.fixture(scope="session")
def trust(pki: Path) -> Path:
    """The dev PKI's trust anchors, as signing reads them."""
    return pki / "trust"


@pytest.fixture(params=["embedded", "distributed"])
def axis(request: pytest.FixtureRequest, tmp_path: Path, trust: Path) -> Iterator[Axis]:
    """The whole axis, once embedded (one process) and once distributed (six processes on PostgreSQL,
    Kafka and S3)."""
    if request.param == "embedded":
        with embedded_axis(tmp_path, trust) as running:
            yield running
    else:
        kafka = request.getfixturevalue("kafka_bootstrap")
        s3 = request.getfixturevalue("s3_endpoint")
        with distributed_axis(tmp_path, trust, kafka_bootstrap=kafka,
                              s3={"endpoint": s3.endpoint, "access_key": s3.access_key,
                                  "secret_key": s3.secret_key}) as running:
            yield running
