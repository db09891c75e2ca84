"""Fixtures shared by every test folder: real PostgreSQL, Tansu (Kafka) and moto (S3)."""

pytest_plugins = [
    "lienthong.testing.postgres",
    "lienthong.testing.kafka",
    "lienthong.testing.s3",
]
