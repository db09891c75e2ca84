"""Prometheus metrics of the key and certificate inventory, computed at scrape time.

* ``lienthong_signing_key_not_after_seconds{key_id, backend, role}`` — when each signing
  key's certificate ends (Unix time);
* ``lienthong_signing_key_expiring{key_id}`` — 1 when it ends within the warning window
  (or has ended), else 0: alert on it;
* ``lienthong_signing_trust_anchor_not_after_seconds{trust_list, subject}`` — the same for
  trust anchors.

One collector is registered in the default registry per process; the latest built
service is its source (tests build several).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from lienthong.platform import clock
from lienthong.signing.adapters.trust_store import TrustMaterial
from lienthong.signing.domain.keys import KeyInfo


@dataclass
class InventorySource:
    key_inventory: Callable[[], list[KeyInfo]]
    trust: Callable[[], TrustMaterial]
    warning_window: timedelta


class _InventoryCollector(Collector):
    def __init__(self) -> None:
        self.source: InventorySource | None = None

    def collect(self) -> Iterator[GaugeMetricFamily]:
        source = self.source
        if source is None:
            return
        not_after = GaugeMetricFamily("lienthong_signing_key_not_after_seconds",
                                      "End of validity of each signing key's certificate (Unix time)",
                                      labels=["key_id", "backend", "role"])
        expiring = GaugeMetricFamily("lienthong_signing_key_expiring",
                                     "1 when the signing key's certificate ends within the warning window",
                                     labels=["key_id"])
        now = clock.now()
        for key in source.key_inventory():
            not_after.add_metric([key.key_id, key.backend, key.role.value], key.not_after.timestamp())
            expiring.add_metric([key.key_id], 1.0 if key.expires_within(now, source.warning_window) else 0.0)
        anchors = GaugeMetricFamily("lienthong_signing_trust_anchor_not_after_seconds",
                                    "End of validity of each trust anchor (Unix time)",
                                    labels=["trust_list", "subject"])
        for list_name, certs in source.trust().anchor_lists:
            for cert in certs:
                anchors.add_metric([list_name, cert.subject.human_friendly], cert.not_valid_after.timestamp())
        yield not_after
        yield expiring
        yield anchors


_collector = _InventoryCollector()
_registered = False
_lock = threading.Lock()


def publish_inventory(source: InventorySource) -> None:
    """Make ``source`` the inventory that ``/metrics`` reports."""
    global _registered
    with _lock:
        _collector.source = source
        if not _registered:
            REGISTRY.register(_collector)
            _registered = True
