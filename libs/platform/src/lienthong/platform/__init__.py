"""LienThong platform library: what every service needs and would otherwise write twice.

Each concern is a port with real adapters: settings, database and unit of work,
messaging (outbox, inbox, ``kafka`` and ``local`` transports), blob store (``s3`` and
``file``), telemetry, gRPC helpers, auth and error mapping.
"""
