"""Keep credentials people paste into a case description out of the database and out of chat."""

from __future__ import annotations

import re
from dataclasses import dataclass

MASK = "••••••"

# Each pattern captures the secret itself in group "secret"; the label before it stays readable.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("SecretKey", re.compile(r"(?i)(secret[\s_-]*key\s*[:=：]?\s*)(?P<secret>[A-Za-z0-9+/]{20,})")),
    ("SecretId", re.compile(r"(?P<secret>AKID[A-Za-z0-9]{13,})")),
    ("AppSecret", re.compile(r"(?i)(app[\s_-]*secret\s*[:=：]?\s*)(?P<secret>[0-9a-f]{32})")),
    ("AppSecret", re.compile(r"(?<![0-9A-Za-z])(?P<secret>[0-9a-f]{32})(?![0-9A-Za-z])")),
    ("password", re.compile(r"(?i)((?:password|passwd|pwd|密码|口令)\s*[:=：是为]?\s*)(?P<secret>\S{4,})")),
]


@dataclass(frozen=True)
class Masked:
    text: str
    found: tuple[str, ...]  # kinds of secret that were masked, for telling the reporter why


def mask_secrets(text: str) -> Masked:
    found: list[str] = []
    for kind, pattern in _PATTERNS:

        def replace(match: re.Match, kind=kind) -> str:
            if kind not in found:
                found.append(kind)
            start, end = match.span("secret")
            whole_start = match.start()
            return match.group(0)[: start - whole_start] + MASK + match.group(0)[end - whole_start :]

        text = pattern.sub(replace, text)
    return Masked(text=text, found=tuple(found))
