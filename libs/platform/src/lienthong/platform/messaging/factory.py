"""Build the transport a service's settings ask for: the local log (embedded) or Kafka (distributed)."""

from __future__ import annotations

from lienthong.platform.messaging.ports import Transport
from lienthong.platform.settings import ServiceSettings


def make_transport(settings: ServiceSettings) -> Transport:
    """The ``kafka`` or ``local`` transport of ``settings``; Kafka clients are named after the service."""
    if settings.transport == "kafka":
        from lienthong.platform.messaging.kafka import KafkaTransport

        return KafkaTransport(
            settings.kafka_bootstrap_servers,
            client_id=settings.service_name,
            session_timeout_ms=settings.kafka_session_timeout_ms,
            fetch_wait_max_ms=settings.kafka_fetch_wait_max_ms,
            max_attempts=settings.consumer_max_attempts,
        )
    from lienthong.platform.messaging.local import LocalLogTransport

    if settings.local_log_path is None:
        raise ValueError("settings.local_log_path is unset")
    return LocalLogTransport(settings.local_log_path, max_attempts=settings.consumer_max_attempts)
