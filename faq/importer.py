"""Read FAQ documents written in the format of the shipped seed.

Each ``## `` heading starts an entry; everything up to the next one is its
Markdown body. Two optional additions make a document round-trip safely:
``## Title {#slug}`` pins the entry's slug, and an HTML comment
``<!-- keywords: a, b -->`` under the heading gives search aliases. ``<img>``
tags become Markdown images. Parsing never touches the database; errors
name the line so the author can fix the document.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.utils.text import slugify

from faq import tokenize
from faq.document import is_web_url
from faq.languages import Language
from faq.models import MAX_BODY_CHARS, SLUG_PATTERN

CONTENT_DIR = Path(__file__).with_name("content")
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024

_ENTRY_HEADING = re.compile(r"^##(?!#)\s*(.*?)\s*$")
_SLUG_SUFFIX = re.compile(r"\s*\{#([^}]*)\}\s*$")
_METADATA = re.compile(r"^\s*<!--\s*([a-z][a-z-]*)\s*:(.*?)-->\s*$", re.IGNORECASE)
_IMG_TAG = re.compile(r"<img\b[^>]*?/?>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_DIMENSION = re.compile(r"^\s*\d+(\.\d+)?\s*(px|%|em)?\s*$", re.IGNORECASE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_KNOWN_METADATA = {"keywords", "review-by"}


class DocumentError(ValueError):
    def __init__(self, line: int, message: str, source: str = "") -> None:
        self.line = line
        self.source = source
        super().__init__(f"{source or 'document'}, line {line}: {message}")


@dataclass
class ParsedEntry:
    line: int
    title: str
    slug: str | None
    body: str
    keywords: list[str] | None = None
    review_by: datetime.date | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class ParsedDocument:
    source: str
    language: Language
    entries: list[ParsedEntry]


def default_documents() -> list[Path]:
    return [CONTENT_DIR / f"faq.{language}.md" for language in Language]


DEFAULT_SYNONYMS = CONTENT_DIR / "synonyms.txt"
DEFAULT_EXAMPLES = CONTENT_DIR / "example_questions.json"


def read_example_questions(path: Path) -> list[tuple[str, list[str | None]]]:
    """Example questions from a JSON list of ``{"q": question, "ok": [slug, ...]}``; ``[null]``: no entry answers it.

    The format of the evaluation files, so a question can move between them.
    """
    import json

    try:
        cases = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DocumentError(0, f"cannot read it as a JSON list ({exc})", str(path)) from None
    if not isinstance(cases, list):
        raise DocumentError(0, "expected a JSON list of questions", str(path))
    examples = []
    for number, case in enumerate(cases, start=1):
        question = case.get("q") if isinstance(case, dict) else None
        answers = case.get("ok") if isinstance(case, dict) else None
        if not isinstance(question, str) or not question.strip() or not isinstance(answers, list) or not answers:
            raise DocumentError(
                number, 'each question needs "q" (text) and "ok" (a list of slugs, or [null])', str(path)
            )
        if not all(answer is None or isinstance(answer, str) for answer in answers):
            raise DocumentError(number, '"ok" holds entry slugs, or null for no entry', str(path))
        examples.append((question.strip(), answers))
    return examples


def read_synonym_groups(path: Path) -> list[list[str]]:
    """Synonym groups from a text file: one group per line, members separated by commas; # starts a comment."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(0, f"cannot read it as UTF-8 text ({exc})", str(path)) from None
    groups = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        members = list(dict.fromkeys(tokenize.split_list(line)))
        if len(members) < 2:
            raise DocumentError(number, "a synonym group needs at least two members separated by commas", str(path))
        groups.append(members)
    return groups


def read_document(path: Path, language: Language | None = None) -> ParsedDocument:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(0, f"cannot read the file ({exc.strerror})", str(path)) from None
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentError(0, f"the file is {size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}", str(path))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DocumentError(line, "the file is not valid UTF-8 text", str(path)) from None
    return parse_document(text, source=str(path), language=language or _language_from_name(path))


def _language_from_name(path: Path) -> Language | None:
    suffixes = [s.lstrip(".") for s in path.suffixes[:-1]]
    for suffix in reversed(suffixes):
        try:
            return Language.parse(suffix)
        except ValueError:
            continue
    return None


def parse_document(text: str, *, source: str = "document", language: Language | None = None) -> ParsedDocument:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    entries: list[ParsedEntry] = []
    current: ParsedEntry | None = None
    body_lines: list[tuple[int, str]] = []
    in_fence = False
    in_comment_since = 0

    def finish() -> None:
        if current is not None:
            current.body = _body(body_lines, current, source)
            entries.append(current)

    for number, line in enumerate(lines, start=1):
        if in_comment_since:
            if "-->" in line:
                in_comment_since = 0
            if current is not None:
                body_lines.append((number, line))
            continue
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _ENTRY_HEADING.match(line)
        if heading:
            finish()
            current = _start_entry(heading.group(1), number, source)
            body_lines = []
            continue
        if current is None:
            if line.strip() and not line.startswith("# ") and not _is_comment_only(line):
                raise DocumentError(
                    number, "text before the first '## ' heading; each entry starts with '## Title'", source
                )
        elif not in_fence and _METADATA.match(line):
            _apply_metadata(current, _METADATA.match(line), number, source)
            continue
        else:
            body_lines.append((number, line))
        if not in_fence and "<!--" in line and "-->" not in line.split("<!--", 1)[1]:
            in_comment_since = number
    if in_comment_since:
        raise DocumentError(in_comment_since, "an HTML comment '<!--' is never closed with '-->'", source)
    if in_fence:
        raise DocumentError(len(lines), "a code fence is never closed", source)
    finish()
    if not entries:
        raise DocumentError(1, "no entries found; each entry starts with a '## ' heading", source)

    seen: dict[str, int] = {}
    for entry in entries:
        if entry.slug:
            if entry.slug in seen:
                raise DocumentError(
                    entry.line, f"slug '{entry.slug}' is already used on line {seen[entry.slug]}", source
                )
            seen[entry.slug] = entry.line
    detected = language or _detect_language(entries)
    return ParsedDocument(source=source, language=detected, entries=entries)


def _is_comment_only(line: str) -> bool:
    return bool(re.fullmatch(r"\s*<!--.*-->\s*", line))


def _start_entry(heading: str, number: int, source: str) -> ParsedEntry:
    slug = None
    suffix = _SLUG_SUFFIX.search(heading)
    if suffix:
        slug = suffix.group(1).strip()
        heading = heading[: suffix.start()].strip()
        if not re.match(SLUG_PATTERN, slug) or len(slug) > 64:
            raise DocumentError(
                number, f"'{{#{slug}}}' is not a valid slug; use lowercase words joined by hyphens", source
            )
    title = heading.strip().strip("#").strip()
    if not title:
        raise DocumentError(number, "the heading has no title", source)
    if len(title) > 200:
        raise DocumentError(number, f"the title is {len(title)} characters long; the limit is 200", source)
    return ParsedEntry(line=number, title=title, slug=slug, body="")


def _apply_metadata(entry: ParsedEntry, match: re.Match, number: int, source: str) -> None:
    key, value = match.group(1).lower(), match.group(2).strip()
    if key not in _KNOWN_METADATA:
        raise DocumentError(
            number, f"unknown setting '{key}'; known settings: {', '.join(sorted(_KNOWN_METADATA))}", source
        )
    if key == "keywords":
        entry.keywords = [k.strip() for k in re.split(r"[,，、;；]", value) if k.strip()]
    else:
        try:
            entry.review_by = datetime.date.fromisoformat(value)
        except ValueError:
            raise DocumentError(number, f"review-by must be a date like 2027-06-30; got '{value}'", source) from None


def _body(lines: list[tuple[int, str]], entry: ParsedEntry, source: str) -> str:
    converted = [_convert_images(line, number, entry, source) for number, line in lines]
    body = _COMMENT.sub("", "\n".join(converted))
    body = re.sub(r"\n{3,}", "\n\n", body).strip("\n")
    if not body.strip():
        raise DocumentError(entry.line, f"entry '{entry.title}' has no body", source)
    if len(body) > MAX_BODY_CHARS:
        raise DocumentError(
            entry.line, f"the body is {len(body):,} characters; the limit is {MAX_BODY_CHARS:,}", source
        )
    return body.rstrip() + "\n"


def _convert_images(line: str, number: int, entry: ParsedEntry, source: str) -> str:
    def replace(match: re.Match) -> str:
        attributes = _attributes(match.group(0))
        src = (attributes.get("src") or [""])[0].strip()
        if not src:
            raise DocumentError(number, "an <img> tag has no src", source)
        if not is_web_url(src):
            raise DocumentError(number, f"image address '{src}' is not an http(s) URL", source)
        alt = _alt_text(attributes) or entry.title
        if not _alt_text(attributes):
            entry.warnings.append(f"line {number}: image {src} has no alt text; used the entry title")
        alt = alt.replace("[", "(").replace("]", ")")
        return f"![{alt}]({src.replace(' ', '%20').replace(')', '%29')})"

    return _IMG_TAG.sub(replace, line)


def _alt_text(attributes: dict[str, list[str]]) -> str:
    """The image's description: alt, else title, else a non-size ``width`` (a slip seen in real documents)."""
    for value in attributes.get("alt", []) + attributes.get("title", []):
        if value.strip():
            return value.strip()
    for value in attributes.get("width", []):
        if value.strip() and not _DIMENSION.match(value):
            return value.strip()
    return ""


class _AttributeReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.attributes: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            self.attributes.setdefault(name.lower(), []).append(value or "")

    handle_startendtag = handle_starttag


def _attributes(tag: str) -> dict[str, list[str]]:
    reader = _AttributeReader()
    reader.feed(tag)
    reader.close()
    return reader.attributes


def _detect_language(entries: list[ParsedEntry]) -> Language:
    titles = "".join(entry.title for entry in entries)
    return Language.ZH if len(_CJK.findall(titles)) * 4 >= len(titles) else Language.EN


def fallback_slug(title: str) -> str:
    slug = slugify(title, allow_unicode=True)[:64].strip("-")
    return slug or "entry"
