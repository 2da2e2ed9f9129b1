"""Block Kit as HTML: how a Slack message or modal of the bot's looks, for staff who are not in Slack.

The Try-the-bot page and the admin's entry preview show the bot's Slack
replies with this. It reads the same blocks the bot sends (``blocks``), so
what staff see is what Slack gets. Everything from the blocks is escaped: a
mention, a link or markup only exists where mrkdwn makes one, and links go
only to web addresses.

Buttons become ``<button>`` elements carrying their ``action_id`` and
``value`` in data attributes, so a page can send them back as Slack would.
"""

from __future__ import annotations

import html
import itertools
import re

from django.utils.safestring import SafeString, mark_safe

# Slack links and mentions: <https://x|label>, <@U123>, <#C123|name>, <!here>.
_TOKEN = re.compile(r"<([^<>\n]*)>")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
# Emphasis markers hug their text and are not glued to a Latin letter or digit on the outside.
_EMPHASIS = [
    (re.compile(r"(?<![A-Za-z0-9*])\*(?=\S)([^*\n]*?\S)\*(?![A-Za-z0-9*])"), "strong"),
    (re.compile(r"(?<![A-Za-z0-9_])_(?=\S)([^_\n]*?\S)_(?![A-Za-z0-9_])"), "em"),
    (re.compile(r"(?<![A-Za-z0-9~])~(?=\S)([^~\n]*?\S)~(?![A-Za-z0-9~])"), "s"),
]
_SAFE_SCHEMES = ("https://", "http://", "mailto:")
# Emoji codes as Slack draws them; the bot's messages use a few (a caveat's :warning:), others stay as typed.
_EMOJI_CODE = re.compile(r":([a-z0-9_+-]+):")
_EMOJI = {"warning": "⚠️", "white_check_mark": "✅", "x": "❌", "bulb": "💡", "memo": "📝", "point_right": "👉"}
_PLACEHOLDER = "\ue000{}\ue001"
_PLACEHOLDER_BACK = re.compile("\ue000(\\d+)\ue001")


# mrkdwn ------------------------------------------------------------------------------


def mrkdwn(text: str) -> str:
    """Slack mrkdwn as HTML: code blocks, quotes, line breaks, emphasis, links and mentions."""
    pieces = text.split("```")
    out = []
    for position, piece in enumerate(pieces):
        inside_fence = position % 2 == 1 and position < len(pieces) - 1
        if inside_fence:
            out.append(f'<pre class="sk-pre">{_text(piece.strip(chr(10)))}</pre>')
        else:
            out.append(_lines(piece if position % 2 == 0 else "```" + piece))
    return "".join(out)


def plain(text: str) -> str:
    """A plain_text object's text: shown as typed."""
    return html.escape(text).replace("\n", "<br>")


def _lines(text: str) -> str:
    """Lines with a raw ">" in front are a quote (the bot escapes a typed one as &gt;, which stays text)."""
    rendered: list[str] = []
    quoted: list[str] = []
    for line in text.split("\n"):
        if line.startswith(">"):
            quoted.append(_inline(line[1:].removeprefix(" ")))
            continue
        if quoted:
            rendered.append(_quote(quoted))
            quoted = []
        rendered.append(_inline(line))
    if quoted:
        rendered.append(_quote(quoted))
    out = rendered[:1]
    for before, piece in itertools.pairwise(rendered):
        if not (before.startswith("<blockquote") or piece.startswith("<blockquote")):
            out.append("<br>")
        out.append(piece)
    return "".join(out)


def _quote(lines: list[str]) -> str:
    return f'<blockquote class="sk-quote">{"<br>".join(lines)}</blockquote>'


def _inline(line: str) -> str:
    kept: list[str] = []

    def keep(markup: str) -> str:
        kept.append(markup)
        return _PLACEHOLDER.format(len(kept) - 1)

    line = line.replace("\ue000", "").replace("\ue001", "")  # no text can pose as a kept piece
    line = _CODE_SPAN.sub(lambda match: keep(f'<code class="sk-code">{_text(match.group(1))}</code>'), line)
    line = _TOKEN.sub(lambda match: keep(_token(match.group(1))), line)
    line = _EMOJI_CODE.sub(lambda match: _EMOJI.get(match.group(1), match.group(0)), _text(line))
    for pattern, tag in _EMPHASIS:
        line = pattern.sub(lambda match, tag=tag: f"<{tag}>{match.group(1)}</{tag}>", line)
    return _PLACEHOLDER_BACK.sub(lambda match: kept[int(match.group(1))], line)


def _text(escaped_mrkdwn: str) -> str:
    """mrkdwn text (where &, < and > arrive escaped) as HTML text."""
    return html.escape(html.unescape(escaped_mrkdwn), quote=False)


def _token(inner: str) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return f'<span class="sk-mention">@{_text(label or target[1:])}</span>'
    if target.startswith("#"):
        return f'<span class="sk-mention">#{_text(label or target[1:])}</span>'
    if target.startswith("!"):
        name = label or target[1:].split("^")[0]
        return f'<span class="sk-mention">@{_text(name)}</span>'
    url = html.unescape(target)
    if not url.startswith(_SAFE_SCHEMES):
        return _text(f"<{inner}>")
    return (
        f'<a class="sk-link" href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">'
        f"{_text(label or target)}</a>"
    )


# Blocks ------------------------------------------------------------------------------


def message(blocks: list[dict]) -> SafeString:
    """One message's blocks as HTML."""
    return mark_safe("".join(_block(block) for block in blocks))


def modal(view: dict) -> SafeString:
    """A modal as Slack draws it: title bar, inputs, Cancel and Submit; inputs keep their block ids."""
    title = plain(_text_of(view.get("title")))
    body = "".join(_block(block) for block in view.get("blocks", []))
    cancel = plain(_text_of(view.get("close")) or "Cancel")
    submit = plain(_text_of(view.get("submit")) or "Submit")
    metadata = html.escape(view.get("private_metadata", ""))
    return mark_safe(
        f'<form class="sk-modal" data-callback-id="{html.escape(view.get("callback_id", ""))}" '
        f'data-private-metadata="{metadata}">'
        f'<div class="sk-modal-title">{title}</div><div class="sk-modal-body">{body}</div>'
        f'<div class="sk-modal-footer"><button type="button" class="sk-button" data-modal-close>{cancel}</button>'
        f'<button type="submit" class="sk-button sk-primary">{submit}</button></div></form>'
    )


def _text_of(text_object) -> str:
    return text_object.get("text", "") if isinstance(text_object, dict) else ""


def _text_object(text_object) -> str:
    if not isinstance(text_object, dict):
        return ""
    if text_object.get("type") == "mrkdwn":
        return mrkdwn(text_object.get("text", ""))
    return plain(text_object.get("text", ""))


def _block(block: dict) -> str:
    kind = block.get("type")
    if kind == "header":
        return f'<div class="sk-header">{plain(_text_of(block.get("text")))}</div>'
    if kind == "section":
        return _section(block)
    if kind == "context":
        return f'<div class="sk-context">{"".join(_context_element(e) for e in block.get("elements", []))}</div>'
    if kind == "divider":
        return '<hr class="sk-divider">'
    if kind == "image":
        return _image(block, css="sk-image")
    if kind == "actions":
        elements = "".join(_element(element, block_id=block.get("block_id", "")) for element in block["elements"])
        return f'<div class="sk-actions">{elements}</div>'
    if kind == "input":
        return _input(block)
    return f'<div class="sk-unknown">{plain(f"[{kind} block]")}</div>'


def _section(block: dict) -> str:
    text = f'<div class="sk-text">{_text_object(block.get("text"))}</div>' if block.get("text") else ""
    fields = "".join(f'<div class="sk-field">{_text_object(field)}</div>' for field in block.get("fields", []))
    if fields:
        fields = f'<div class="sk-fields">{fields}</div>'
    accessory = block.get("accessory")
    side = ""
    if isinstance(accessory, dict):
        if accessory.get("type") == "image":
            side = _image(accessory, css="sk-thumb")
        else:
            side = _element(accessory, block_id=block.get("block_id", ""))
        side = f'<div class="sk-accessory">{side}</div>'
    return f'<div class="sk-section"><div class="sk-section-main">{text}{fields}</div>{side}</div>'


def _context_element(element: dict) -> str:
    if element.get("type") == "image":
        return _image(element, css="sk-context-image")
    return f"<span>{_text_object(element)}</span>"


def _image(block: dict, *, css: str) -> str:
    url = block.get("image_url", "")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return ""
    title = f'<div class="sk-image-title">{plain(_text_of(block.get("title")))}</div>' if block.get("title") else ""
    alt = html.escape(block.get("alt_text", ""))
    return f'<figure class="{css}">{title}<img src="{html.escape(url)}" alt="{alt}" loading="lazy"></figure>'


def _element(element: dict, *, block_id: str) -> str:
    kind = element.get("type")
    label = plain(_text_of(element.get("text")))
    if kind == "button":
        style = {"primary": " sk-primary", "danger": " sk-danger"}.get(element.get("style", ""), "")
        url = element.get("url")
        if isinstance(url, str) and url.startswith(_SAFE_SCHEMES):
            return (
                f'<a class="sk-button{style}" href="{html.escape(url)}" target="_blank" '
                f'rel="noopener noreferrer">{label} <span aria-hidden="true">↗</span></a>'
            )
        return (
            f'<button type="button" class="sk-button{style}" data-block-id="{html.escape(block_id)}" '
            f'data-action-id="{html.escape(element.get("action_id", ""))}" '
            f'data-value="{html.escape(element.get("value", ""))}">{label}</button>'
        )
    if kind in {"users_select", "static_select", "conversations_select", "channels_select"}:
        placeholder = plain(_text_of(element.get("placeholder")) or "Select…")
        options = "".join(
            f'<option value="{html.escape(option.get("value", ""))}">{plain(_text_of(option.get("text")))}</option>'
            for option in element.get("options", [])
        )
        return (
            f'<select class="sk-select" disabled title="{html.escape(kind)}">'
            f'<option value="">{placeholder}</option>{options}</select>'
        )
    return f'<span class="sk-unknown">{plain(f"[{kind}]")}</span>'


def _input(block: dict) -> str:
    element = block.get("element", {})
    name = html.escape(block.get("block_id", ""))
    label = plain(_text_of(block.get("label")))
    optional = "" if not block.get("optional") else ' <span class="sk-optional">(optional)</span>'
    placeholder = html.escape(_text_of(element.get("placeholder")))
    if element.get("type") == "static_select":
        options = "".join(
            f'<option value="{html.escape(option.get("value", ""))}">{plain(_text_of(option.get("text")))}</option>'
            for option in element.get("options", [])
        )
        control = f'<select class="sk-select" name="{name}"><option value=""></option>{options}</select>'
    elif element.get("multiline"):
        control = f'<textarea class="sk-input" name="{name}" rows="4" placeholder="{placeholder}"></textarea>'
    else:
        control = f'<input class="sk-input" name="{name}" placeholder="{placeholder}">'
    hint = f'<div class="sk-hint">{plain(_text_of(block.get("hint")))}</div>' if block.get("hint") else ""
    return (
        f'<label class="sk-input-block" data-block-id="{name}"><span class="sk-label">{label}{optional}</span>'
        f'{control}{hint}<span class="sk-error" hidden></span></label>'
    )
