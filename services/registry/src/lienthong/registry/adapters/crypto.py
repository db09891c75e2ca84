"""Secrets encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``)."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SecretBox:
    """Encrypts with the first key, decrypts with any (so keys can be rotated)."""

    def __init__(self, keys: list[str]):
        if not keys:
            raise ValueError("at least one Fernet key is required")
        self._fernet = MultiFernet([Fernet(k.strip().encode()) for k in keys])

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise ValueError("a stored secret cannot be decrypted with the configured keys") from exc

    @classmethod
    def from_setting(cls, keys: str | None, key_file: Path) -> SecretBox:
        """Keys from the setting, else from ``key_file`` (created with a fresh key, mode 0600, if absent)."""
        if keys:
            return cls([k for k in keys.split(",") if k.strip()])
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process of this axis created it first
                pass
            else:
                with os.fdopen(fd, "w") as out:
                    out.write(Fernet.generate_key().decode())
        return cls([key_file.read_text().strip()])
