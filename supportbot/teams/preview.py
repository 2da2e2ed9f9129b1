"""How an FAQ entry will look in Teams, for the admin's change page: drawn by Microsoft's Adaptive Cards
renderer in the browser (supportbot.trybot.assets), or shown as JSON where it is not installed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.template.loader import render_to_string

from faq.answers import Answer, AnswerKind
from faq.engine import SearchResult
from faq.languages import Language
from supportbot.conversation.dispatch import answer_reply
from supportbot.teams.cards import answer_cards
from supportbot.trybot.assets import card_renderer

if TYPE_CHECKING:
    from faq.models import Entry

DESIGNER_URL = "https://adaptivecards.microsoft.com/designer"


def entry_preview(entry: Entry) -> str:
    previews = []
    for language in Language:
        if not entry.has_language(language):
            continue
        answer = Answer("", language, AnswerKind.ANSWER, SearchResult("", (), None), entry)
        found = answer_cards(answer_reply(answer))
        previews.append(
            {
                "language": language.label,
                "cards": [
                    {
                        "element_id": f"wxbind-teams-card-{language.value}-{number}",
                        "content": card.content,
                        "json": json.dumps(card.content, ensure_ascii=False, indent=1),
                        "size": card.size(),
                    }
                    for number, card in enumerate(found, start=1)
                ],
            }
        )
    context = {"previews": previews, "designer": DESIGNER_URL, "renderer": card_renderer()}
    return render_to_string("admin/teams_preview.html", context)
