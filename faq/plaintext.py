"""Text as any database stores it: wherever text from outside is kept, it passes through ``storable``."""

from __future__ import annotations

import re

# NUL: PostgreSQL refuses it in text. A lone surrogate (JSON can carry "\ud800"): no UTF-8 holds it.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str, *, replacement: str = "") -> str:
    """``text`` without the characters no database column can hold."""
    return _UNSTORABLE.sub(replacement, text) if _UNSTORABLE.search(text) else text
