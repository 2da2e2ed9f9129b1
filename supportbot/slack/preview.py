"""How an FAQ entry will look in Slack, for the admin's change page: drawn as Slack draws it (``html``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.template.loader import render_to_string

from faq.answers import Answer, AnswerKind
from faq.engine import SearchResult
from faq.languages import Language
from supportbot.conversation.dispatch import answer_reply
from supportbot.slack import html
from supportbot.slack.blocks import answer_messages

if TYPE_CHECKING:
    from faq.models import Entry

BUILDER_URL = "https://app.slack.com/block-kit-builder/#"


def entry_preview(entry: Entry) -> str:
    previews = []
    for language in Language:
        if not entry.has_language(language):
            continue
        answer = Answer("", language, AnswerKind.ANSWER, SearchResult("", (), None), entry)
        messages = answer_messages(answer_reply(answer))
        previews.append(
            {
                "language": language.label,
                "messages": [
                    {
                        "html": html.message(message.blocks),
                        "json": json.dumps({"blocks": message.blocks}, ensure_ascii=False, indent=1),
                        "builder": BUILDER_URL + quote(json.dumps({"blocks": message.blocks})),
                    }
                    for message in messages
                ],
            }
        )
    return render_to_string("admin/slack_preview.html", {"previews": previews})
