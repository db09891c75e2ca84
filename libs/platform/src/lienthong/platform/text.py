"""Vietnamese text is stored and compared in Unicode NFC (TCVN 6909:2001)."""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """Return ``text`` in Unicode normal form C."""
    return unicodedata.normalize("NFC", text)
