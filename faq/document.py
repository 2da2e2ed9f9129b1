"""A chat-neutral form of an FAQ answer, parsed from admin-written Markdown.

Every front end (terminal, admin preview, Slack, Teams) renders from these
blocks instead of from Markdown, so the rules that matter for safety live
here once: raw HTML is never passed through, and only http(s) links and
images survive; anything else is kept as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


# Inline pieces ------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple


@dataclass(frozen=True)
class Emphasis:
    children: tuple


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Link:
    url: str
    children: tuple


@dataclass(frozen=True)
class LineBreak:
    pass


Inline = Text | Strong | Emphasis | Code | Link | LineBreak


# Blocks -------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int
    inlines: tuple


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple


@dataclass(frozen=True)
class Image:
    url: str
    alt: str


@dataclass(frozen=True)
class Caveat:
    """A note set apart from the steps (a Markdown block quote)."""

    blocks: tuple


@dataclass(frozen=True)
class CodeBlock:
    text: str


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple  # each item is a tuple of blocks


Block = Heading | Paragraph | Image | Caveat | CodeBlock | ListBlock


@dataclass(frozen=True)
class Document:
    blocks: tuple = field(default_factory=tuple)

    def images(self) -> list[Image]:
        return list(_walk_images(self.blocks))

    def links(self) -> list[Link]:
        return list(_walk_links(self.blocks))


def plain_text(inlines) -> str:
    """The words of ``inlines`` without markup (alt text, search, previews)."""
    out = []
    for piece in inlines:
        match piece:
            case Text(text=text) | Code(text=text):
                out.append(text)
            case Strong(children=children) | Emphasis(children=children) | Link(children=children):
                out.append(plain_text(children))
            case LineBreak():
                out.append("\n")
    return "".join(out)


def parse(markdown: str) -> Document:
    root = SyntaxTreeNode(_parser.parse(markdown or ""))
    return Document(blocks=tuple(_blocks(root.children)))


def _blocks(nodes) -> list:
    blocks: list = []
    for node in nodes:
        match node.type:
            case "heading":
                blocks.append(Heading(level=int(node.tag[1]), inlines=tuple(_inlines(node.children[0].children))))
            case "paragraph":
                blocks.extend(_paragraph(node))
            case "blockquote":
                blocks.append(Caveat(blocks=tuple(_blocks(node.children))))
            case "bullet_list" | "ordered_list":
                start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
                items = tuple(tuple(_blocks(item.children)) for item in node.children)
                blocks.append(ListBlock(ordered=node.type == "ordered_list", start=start, items=items))
            case "code_block" | "fence":
                blocks.append(CodeBlock(text=node.content.rstrip("\n")))
            case "html_block":
                blocks.append(Paragraph(inlines=(Text(node.content.strip()),)))
            case "hr":
                continue
    return blocks


def _paragraph(node) -> list:
    """A paragraph, with any images lifted out as blocks of their own, in place."""
    out: list = []
    pending: list = []
    for child in node.children[0].children if node.children else []:
        if child.type == "image":
            _flush(pending, out)
            out.extend(_image(child))
        else:
            pending.extend(_inlines([child]))
    _flush(pending, out)
    return out


def _flush(pending: list, out: list) -> None:
    while pending and isinstance(pending[-1], LineBreak | Text) and plain_text([pending[-1]]).strip() == "":
        pending.pop()
    while pending and isinstance(pending[0], LineBreak | Text) and plain_text([pending[0]]).strip() == "":
        pending.pop(0)
    if pending:
        out.append(Paragraph(inlines=tuple(pending)))
    pending.clear()


def _image(node) -> list:
    url = node.attrs.get("src", "")
    alt = plain_text(_inlines(node.children)).strip()
    if is_web_url(url):
        return [Image(url=url, alt=alt)]
    return [Paragraph(inlines=(Text(alt),))] if alt else []


def _inlines(nodes) -> list:
    out: list = []
    for node in nodes:
        match node.type:
            case "text" | "html_inline":
                out.append(Text(node.content))
            case "softbreak":
                out.append(Text(" "))
            case "hardbreak":
                out.append(LineBreak())
            case "code_inline":
                out.append(Code(node.content))
            case "strong":
                out.append(Strong(tuple(_inlines(node.children))))
            case "em":
                out.append(Emphasis(tuple(_inlines(node.children))))
            case "link":
                children = tuple(_inlines(node.children))
                href = node.attrs.get("href", "")
                out.append(Link(url=href, children=children) if is_web_url(href) else Text(plain_text(children)))
            case "image":
                alt = plain_text(_inlines(node.children)).strip()
                if alt:
                    out.append(Text(alt))
    return out


def _walk_images(blocks):
    for block in blocks:
        match block:
            case Image():
                yield block
            case Caveat(blocks=inner):
                yield from _walk_images(inner)
            case ListBlock(items=items):
                for item in items:
                    yield from _walk_images(item)


def _walk_links(blocks):
    for block in blocks:
        match block:
            case Heading(inlines=inlines) | Paragraph(inlines=inlines):
                yield from _links_in(inlines)
            case Caveat(blocks=inner):
                yield from _walk_links(inner)
            case ListBlock(items=items):
                for item in items:
                    yield from _walk_links(item)


def _links_in(inlines):
    for piece in inlines:
        match piece:
            case Link():
                yield piece
            case Strong(children=children) | Emphasis(children=children):
                yield from _links_in(children)
