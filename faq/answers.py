"""What the bot replies to a question, before any chat formatting.

Front ends (terminal, Slack, Teams) only translate an ``Answer`` into their
own format; deciding what to say lives here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from faq.document import Document
from faq.engine import Hit, SearchResult
from faq.languages import Language
from faq.models import Entry
from faq.search import search
from faq.selectors import entry_by_slug, published_entries


class AnswerKind(enum.Enum):
    ANSWER = "answer"  # one entry answers the question
    CHOICES = "choices"  # a few entries might; let the asker pick
    NOTHING = "nothing"  # no entry fits


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str


@dataclass(frozen=True)
class Answer:
    question: str
    language: Language
    kind: AnswerKind
    result: SearchResult
    entry: Entry | None = None
    alternatives: tuple[Hit, ...] = ()

    @property
    def title(self) -> str:
        return self.entry.title(self.language) if self.entry else ""

    @property
    def document(self) -> Document:
        return self.entry.document(self.language) if self.entry else Document()


def answer_question(*, question: str, language: Language | None = None) -> Answer:
    language = language or Language.of_text(question)
    result = search(question)
    best = result.best
    entry = entry_by_slug(best.slug) if best else None
    if entry is not None:
        # A close runner-up is offered beside the answer, not instead of it.
        others = result.hits[1:2] if result.is_close_call else ()
        return Answer(question, language, AnswerKind.ANSWER, result, entry, others)
    if result.hits:
        return Answer(question, language, AnswerKind.CHOICES, result, alternatives=result.hits[:3])
    return Answer(question, language, AnswerKind.NOTHING, result)


def answer_entry(*, slug: str, language: Language, question: str = "") -> Answer | None:
    """The answer for a topic the asker picked (a button), without searching."""
    entry = entry_by_slug(slug)
    if entry is None:
        return None
    return Answer(question, language, AnswerKind.ANSWER, SearchResult(question, (), None), entry)


def topics(*, language: Language) -> list[Topic]:
    return [
        Topic(slug=e.slug, title=e.title(language)) for e in published_entries().only("slug", "title_zh", "title_en")
    ]
