"""Keep credentials people paste into a case out of the database and out of chat.

One masker for every free-text field of a case (description, question, notes).
It finds secrets two ways:

- by a **label** (``SecretKey``, ``密钥``, ``password``, ``密码``, ``token``…) and
  the value after it. After a firm separator (``:``, ``=``, ``：``, JSON) any
  value counts but a placeholder (``******``, ``<redacted>``, ``YOUR_SECRET_KEY``);
  after a loose one (``is``, ``是``, a space) only a value that looks like a
  credential does (digits or symbols, not an English word), so "the password
  is wrong" and "忘记密码了怎么办" stay as they are;
- by **shape** where the shape says it: a SecretId (``AKID…``), the key next to
  one in an SDK call, a 32-hex AppSecret (not a hash someone labelled MD5), a
  Bearer token or JWT, a password in a URL, a private key block.

AppIDs (``wx`` + 16 hex) and account IDs are never masked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MASK = "••••••"

_LABELS: list[tuple[str, str, str]] = [  # kind, English label, Chinese label
    ("AppSecret", r"app[\s_-]?secret", "小程序密钥|开发者密码"),
    ("SecretId", r"secret[\s_-]?id", ""),
    ("SecretKey", r"secret[\s_-]?key|api[\s_-]?key", "密钥|秘钥"),
    ("token", r"(?:access|auth|refresh)[\s_-]?token|token", "令牌"),
    ("secret", r"client[\s_-]?secret|secret", ""),
    ("password", r"password|passwd|passcode|pwd", "密码|口令"),
]
# An English label is a whole word ("secret_config.json" is a file name); a Chinese one runs into its value.
_LABEL = "|".join(
    f"(?P<k{index}>(?:{english})(?![A-Za-z0-9_]){'|' + chinese if chinese else ''})"
    for index, (_, english, chinese) in enumerate(_LABELS)
)

# A value runs until whitespace, CJK text, quotes, brackets or list punctuation.
_VALUE_START = r"[A-Za-z0-9!@#$%^*~]"
_VALUE_REST = r"[A-Za-z0-9!@#$%^*~+\-./_|]*"

_LABELLED = re.compile(
    rf"(?i)(?<![A-Za-z0-9])(?:{_LABEL})"
    # an optional closing quote or bracket of the label (JSON keys, "开发者密码(AppSecret)")
    r"[\"')）\]]?"
    r"(?:"
    # a firm separator, or "is", maybe after a short clause: "password for the console is …"
    r"(?:\s+(?:for|of)\s+[\w .-]{1,30}?\b)?(?P<firm>\s*(?:is|was|是|为|為)?\s*(?:[:=：]|=>)\s*|\s+(?:is|was)\s+)"
    # or a loose one: "是", "为", a space, nothing
    r"|\s*(?:是|为|為)?\s*"
    r")"
    rf"(?:(?P<quote>[\"'“‘])(?P<quoted>[^\"'”’\n]{{1,300}})[\"'”’]|(?P<value>{_VALUE_START}{_VALUE_REST}))"
)

_SHAPES: list[tuple[str, re.Pattern]] = [
    # The key right after a SecretId in an SDK call or a "id / key" pair.
    (
        "SecretKey",
        re.compile(r"AKID[A-Za-z0-9]{13,}[\"']?\s*[,/]\s*[\"']?(?P<secret>[A-Za-z0-9]{20,})(?![A-Za-z0-9])"),
    ),
    ("SecretId", re.compile(r"(?<![A-Za-z0-9])(?P<secret>AKID[A-Za-z0-9]{13,})")),
    (
        "AppSecret",
        re.compile(r"(?<![0-9A-Za-z])(?P<secret>(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{32})(?![0-9A-Za-z])"),
    ),
    ("token", re.compile(r"(?i)\bbearer\s+(?P<secret>[A-Za-z0-9\-._~+/]{16,}=*)")),
    ("token", re.compile(r"(?P<secret>eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})")),
    ("password", re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s/:@]*:(?P<secret>[^\s/@]+)@")),
    (
        "private key",
        re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----(?P<secret>.+?)-----END [A-Z ]*PRIVATE KEY-----", re.DOTALL),
    ),
]

_APPID = re.compile(r"wx[0-9a-f]{16}")
# A 32-hex string someone called a hash is one.
_HASH_LABEL = re.compile(r"(?i)(?:md5|sha\d*|hash|checksum|etag|digest|校验|哈希|摘要)\W{0,4}$")
_PLACEHOLDER_WORDS = frozenset(
    [
        "null",
        "none",
        "nil",
        "empty",
        "n/a",
        "na",
        "unknown",
        "hidden",
        "redacted",
        "masked",
        "required",
        "changed",
        "reset",
        "expired",
        "invalid",
        "undefined",
        "todo",
        "tbd",
        "placeholder",
        "example",
        "sample",
    ]
)
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Masked:
    text: str
    found: tuple[str, ...]  # kinds of secret that were masked, for telling the reporter why


def mask_secrets(text: str) -> Masked:
    spans = sorted(_labelled_secrets(text) + _shaped_secrets(text))
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in spans:
        if kept and start < kept[-1][1]:  # overlaps the one before: widen that one
            previous = kept[-1]
            kept[-1] = (previous[0], max(previous[1], end), previous[2])
            continue
        kept.append((start, end, kind))
    found: list[str] = []
    for _, _, kind in kept:
        if kind not in found:
            found.append(kind)
    for start, end, _ in reversed(kept):
        text = text[:start] + MASK + text[end:]
    return Masked(text=text, found=tuple(found))


def mask_text(text: str) -> str:
    """``text`` with its secrets masked: for fields where nobody is told what was found."""
    return mask_secrets(text).text if text else text


def _labelled_secrets(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for match in _LABELLED.finditer(text):
        kind = next(_LABELS[int(name[1:])][0] for name, value in match.groupdict().items() if name[0] == "k" and value)
        if match.group("quoted") is not None:
            value, group, firm = match.group("quoted"), "quoted", True
        else:
            value, group = match.group("value").rstrip(".?"), "value"
            firm = bool(re.search(r"[:=：]", match.group("firm") or ""))
        if appid := _APPID.search(value):  # text run together: "密码abc123AppIDwx…" ends before the AppID
            value = re.sub(r"(?i)[^A-Za-z0-9]*appid[^A-Za-z0-9]*$", "", value[: appid.start()])
        if not value or not _is_secret(value, firm=firm):
            continue
        start = match.start(group)
        spans.append((start, start + len(value), kind))
    return spans


def _shaped_secrets(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for kind, pattern in _SHAPES:
        for match in pattern.finditer(text):
            start, end = match.span("secret")
            value = match.group("secret")
            if _is_placeholder(value):  # "AKIDxxxx…", "https://user:**@host" as tools print it
                continue
            if kind == "AppSecret" and _HASH_LABEL.search(text[max(0, start - 16) : start]):
                continue
            spans.append((start, end, kind))
    return spans


def _is_secret(value: str, *, firm: bool) -> bool:
    if _is_placeholder(value) or _APPID.fullmatch(value) or _LABELLED.fullmatch(value):
        return False
    if firm:
        return True
    # After "is", "是" or a bare space the value must look like a credential, not like a word.
    if len(value) < 4 or (value.isalpha() and _is_english_word(value)):
        return False
    has_digit = any(ch.isdigit() for ch in value)
    has_symbol = any(not ch.isalnum() for ch in value)
    mixed_case = value != value.lower() and value != value.upper()
    return has_digit or has_symbol or (mixed_case and len(value) >= 8) or len(value) >= 16


def _is_placeholder(value: str) -> bool:
    lowered = value.lower().removeprefix("akid")
    return (
        not lowered
        or bool(re.fullmatch(r"[*x•.#_-]+", lowered))  # ******, xxxxxxxx
        or lowered in _PLACEHOLDER_WORDS
        or MASK in value
        or "your" in lowered
        or bool(re.fullmatch(r"[A-Z][A-Z0-9_]*_[A-Z0-9_]+", value))  # YOUR_SECRET_KEY, an environment variable
        or bool(re.fullmatch(r"\$\{?[A-Z_][A-Z0-9_]*\}?", value))  # $SECRET_KEY, ${SECRET_KEY}
        or bool(re.fullmatch(r"x+[0-9]*|[0-9]*x+", lowered))
    )


@lru_cache(maxsize=4096)
def _is_english_word(value: str) -> bool:
    from wordfreq import zipf_frequency  # loaded once, on first use

    return all(zipf_frequency(word.lower(), "en") >= 3.0 for word in _WORD.findall(value))
