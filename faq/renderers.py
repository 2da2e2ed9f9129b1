"""Render a parsed FAQ document as terminal text or as safe HTML (admin preview, web page)."""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from faq.document import (
    Block,
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
)
from faq.languages import Language

_IMAGE_LABEL = {Language.ZH: "图片", Language.EN: "Image"}
_NOTE_MARK = "⚠ "

# Text ---------------------------------------------------------------------


def text_inlines(inlines) -> str:
    out = []
    for piece in inlines:
        match piece:
            case Text(text=text):
                out.append(text)
            case Code(text=text):
                out.append(f"`{text}`")
            case Strong(children=children) | Emphasis(children=children):
                out.append(text_inlines(children))
            case Link(url=url, children=children):
                label = text_inlines(children)
                out.append(url if label.strip() in {"", url} else f"{label} <{url}>")
            case LineBreak():
                out.append("\n")
    return "".join(out)


def render_text(document: Document, language: Language = Language.ZH) -> str:
    return "\n\n".join(_text_block(block, language) for block in document.blocks).strip() + "\n"


def _text_block(block: Block, language: Language, indent: str = "") -> str:
    match block:
        case Heading(inlines=inlines):
            title = text_inlines(inlines)
            return f"{indent}{title}\n{indent}{'-' * min(len(title) * 2, 60)}"
        case Paragraph(inlines=inlines):
            return _indent(text_inlines(inlines), indent)
        case Image(url=url, alt=alt):
            return f"{indent}[{_IMAGE_LABEL[language]}: {alt}] {url}"
        case Caveat(blocks=blocks):
            inner = "\n".join(_text_block(b, language) for b in blocks)
            return _indent(inner, indent + "  ", first=indent + _NOTE_MARK)
        case CodeBlock(text=text):
            return _indent(text, indent + "    ")
        case ListBlock(ordered=ordered, start=start, items=items):
            lines = []
            for number, item in enumerate(items, start=start):
                marker = f"{number}. " if ordered else "• "
                pad = " " * len(marker)
                parts = [_text_block(b, language, indent + pad) for b in item]
                if parts:
                    parts[0] = indent + marker + parts[0][len(indent + pad) :]
                lines.append("\n".join(parts))
            roomy = any(len(item) > 1 for item in items)
            return ("\n\n" if roomy else "\n").join(lines)
    return ""


def _indent(text: str, indent: str, first: str | None = None) -> str:
    lines = text.split("\n")
    head = (first if first is not None else indent) + lines[0]
    return "\n".join([head] + [indent + line for line in lines[1:]])


# HTML ---------------------------------------------------------------------


def html_inlines(inlines) -> SafeString:
    out = []
    for piece in inlines:
        match piece:
            case Text(text=text):
                out.append(escape(text))
            case Code(text=text):
                out.append(format_html("<code>{}</code>", text))
            case Strong(children=children):
                out.append(format_html("<strong>{}</strong>", html_inlines(children)))
            case Emphasis(children=children):
                out.append(format_html("<em>{}</em>", html_inlines(children)))
            case Link(url=url, children=children):
                out.append(format_html('<a href="{}" rel="noopener noreferrer">{}</a>', url, html_inlines(children)))
            case LineBreak():
                out.append("<br>")
    return mark_safe("".join(out))


def render_html(document: Document) -> SafeString:
    return mark_safe("\n".join(_html_block(block) for block in document.blocks))


def _html_block(block: Block) -> str:
    match block:
        case Heading(level=level, inlines=inlines):
            tag = f"h{min(level + 1, 6)}"
            return format_html("<{}>{}</{}>", tag, html_inlines(inlines), tag)
        case Paragraph(inlines=inlines):
            return format_html("<p>{}</p>", html_inlines(inlines))
        case Image(url=url, alt=alt):
            return format_html(
                '<figure><img src="{}" alt="{}" loading="lazy"><figcaption>{}</figcaption></figure>', url, alt, alt
            )
        case Caveat(blocks=blocks):
            return format_html('<aside class="caveat">{}</aside>', render_html(Document(blocks=blocks)))
        case CodeBlock(text=text):
            return format_html("<pre>{}</pre>", text)
        case ListBlock(ordered=ordered, start=start, items=items):
            tag = "ol" if ordered else "ul"
            rendered = mark_safe(
                "".join(format_html("<li>{}</li>", render_html(Document(blocks=item))) for item in items)
            )
            if ordered and start != 1:
                return format_html('<ol start="{}">{}</ol>', start, rendered)
            return format_html("<{}>{}</{}>", tag, rendered, tag)
    return ""
