"""Slack mrkdwn from the chat-neutral FAQ document, and escaping of anything a person typed.

Every piece of text is escaped (``&``, ``<``, ``>``) before it is put into
mrkdwn, so text can never form a mention (``<!channel>``, ``<@U…>``) or a
link (``<https://…|click>``); links exist only where the document has a
Link with a web URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from faq.document import (
    Caveat,
    Code,
    CodeBlock,
    Document,
    Emphasis,
    Heading,
    Image,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Strong,
    Text,
    plain_text,
)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link_target(url: str) -> str:
    # "|" and ">" would end the link early; percent-encode them in the address.
    return url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C").replace(" ", "%20")


def link(url: str, label: str) -> str:
    label = escape(label).replace("|", "¦") if label else ""
    return f"<{_link_target(url)}|{label}>" if label else f"<{_link_target(url)}>"


def _wrap(marker: str, inner: str) -> str:
    # Slack formatting markers must hug the text; keep surrounding spaces outside.
    stripped = inner.strip()
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{marker}{stripped}{marker}{trail}"


def inlines(pieces) -> str:
    out = []
    for piece in pieces:
        match piece:
            case Text(text=text):
                out.append(escape(text))
            case Code(text=text):
                out.append(f"`{escape(text).replace('`', 'ʼ')}`")
            case Strong(children=children):
                out.append(_wrap("*", inlines(children)))
            case Emphasis(children=children):
                out.append(_wrap("_", inlines(children)))
            case Link(url=url, children=children):
                out.append(link(url, plain_text(children)))
            case LineBreak():
                out.append("\n")
    return "".join(out)


@dataclass(frozen=True)
class TextPart:
    """A run of mrkdwn for one section."""

    mrkdwn: str


@dataclass(frozen=True)
class ImagePart:
    url: str
    alt: str


@dataclass(frozen=True)
class NotePart:
    """A caveat, shown set apart from the steps."""

    mrkdwn: str


Part = TextPart | ImagePart | NotePart


def document_parts(document: Document) -> list[Part]:
    """The document as text runs, images and caveats, in reading order."""
    parts: list[Part] = []
    for block in document.blocks:
        _emit(block, parts, indent="")
    return _merge_text(parts)


def _emit(block, parts: list[Part], indent: str) -> None:
    match block:
        case Heading(inlines=pieces):
            parts.append(TextPart(f"{indent}*{inlines(pieces).strip()}*"))
        case Paragraph(inlines=pieces):
            parts.append(TextPart(_indent(inlines(pieces), indent)))
        case Image(url=url, alt=alt):
            parts.append(ImagePart(url=url, alt=alt))
        case Caveat(blocks=inner):
            nested: list[Part] = []
            for child in inner:
                _emit(child, nested, indent="")
            for part in _merge_text(nested):
                if isinstance(part, TextPart):
                    parts.append(NotePart(part.mrkdwn))
                else:
                    parts.append(part)
        case CodeBlock(text=text):
            parts.append(TextPart(f"```{escape(text)}```"))
        case ListBlock(ordered=ordered, start=start, items=items):
            for number, item in enumerate(items, start=start):
                marker = f"{number}. " if ordered else "• "
                item_parts: list[Part] = []
                for child in item:
                    _emit(child, item_parts, indent=indent + "    ")
                first = next((i for i, p in enumerate(item_parts) if isinstance(p, TextPart)), None)
                if first is None:
                    item_parts.insert(0, TextPart(f"{indent}{marker}".rstrip()))
                else:
                    text = item_parts[first].mrkdwn.lstrip()
                    item_parts[first] = TextPart(f"{indent}{marker}{text}")
                parts.extend(item_parts)


def _indent(text: str, indent: str) -> str:
    return "\n".join(indent + line for line in text.split("\n"))


def _merge_text(parts: list[Part]) -> list[Part]:
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, TextPart) and merged and isinstance(merged[-1], TextPart):
            merged[-1] = TextPart(merged[-1].mrkdwn + "\n" + part.mrkdwn)
        else:
            merged.append(part)
    return merged


_ATOM = re.compile(r"<[^<>]*>|&[a-z]+;|\s+|[^\s<&]+|.", re.DOTALL)


def split(mrkdwn: str, limit: int) -> list[str]:
    """Cut mrkdwn into chunks of at most ``limit`` characters.

    Cuts fall between lines where possible, never inside a link or an
    escaped character, so every chunk is valid on its own.
    """
    if len(mrkdwn) <= limit:
        return [mrkdwn]
    chunks: list[str] = []
    current = ""
    for line in mrkdwn.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
            current = ""
        if len(line) <= limit:
            current = line
            continue
        for atom in _ATOM.findall(line):
            while len(atom) > limit:  # a single atom longer than a block: cut plain text
                room = limit - len(current)
                if room <= 0:
                    chunks.append(current)
                    current, room = "", limit
                cut = atom[:room]
                if atom.startswith("<"):
                    cut = escape(cut)[:room]  # a link that cannot fit is shown as text
                current += cut
                atom = atom[room:]
            if len(current) + len(atom) > limit:
                chunks.append(current)
                current = ""
            current += atom
    if current:
        chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()] or [mrkdwn[:limit]]
