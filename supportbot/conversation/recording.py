"""Counting answers shown and verdicts on them, from every front end (batched by ``supportbot.recorder``)."""

from __future__ import annotations

from faq.languages import Language
from faq.models import AnswerEvent
from faq.selectors import entry_by_slug
from supportbot.conversation.people import Person
from supportbot.conversation.replies import AnswerRecord
from supportbot.recorder import recorder


def record_answered(record: AnswerRecord, *, person: Person, language: Language | None = None) -> None:
    """Count an answer shown, or a question that found no confident match."""
    kind = AnswerEvent.Kind.SHOWN if record.confident else AnswerEvent.Kind.NO_MATCH
    if record.offered_choices and not record.confident:
        kind = AnswerEvent.Kind.CHOICES
    _record(
        kind=kind,
        entry_id=record.entry_id,
        question=record.question,
        language=language or record.language,
        person=person,
    )


def record_verdict(*, slug: str, helpful: bool, question: str, language: Language, person: Person) -> None:
    kind = AnswerEvent.Kind.HELPFUL if helpful else AnswerEvent.Kind.NOT_HELPFUL
    entry = entry_by_slug(slug)
    _record(kind=kind, entry_id=entry.pk if entry else None, question=question, language=language, person=person)


def _record(*, kind: str, entry_id: int | None, question: str, language: Language, person: Person) -> None:
    if person.trial:
        return  # statistics tell what helps people; staff trying the bot would skew them
    recorder.add(
        kind=kind,
        entry_id=entry_id,
        question=question[: AnswerEvent.MAX_QUESTION_CHARS],
        language=language.value,
        channel=person.platform,
        workspace_id=person.workspace[:64],
        user_id=person.user_id[:64],
    )
