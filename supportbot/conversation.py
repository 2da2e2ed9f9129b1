"""What the bot does with what people type, independent of any chat platform.

Front ends (Slack, Teams) turn platform payloads into calls here and render
the replies; nothing here knows about blocks, cards or signatures.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from faq.answers import Answer, AnswerKind, Topic, answer_entry, answer_question, topics
from faq.languages import Language
from faq.models import AnswerEvent, DiagnosisStep
from faq.search import GenerationCache
from faq.selectors import entry_by_slug
from supportbot.recorder import recorder

HELP_WORDS = {"", "help", "帮助", "?", "？", "topics", "主题"}
DIAGNOSE_WORDS = {"diagnose", "diagnosis", "诊断", "排查"}
MY_CASES_WORDS = {"cases", "我的工单"}
CASE_WORDS = {"case", "工单"}
MAX_QUESTION_CHARS = 3000


class Intent(enum.Enum):
    HELP = "help"
    DIAGNOSE = "diagnose"
    QUESTION = "question"
    MY_CASES = "cases"
    CASE = "case"  # one case by number, or a new one without


@dataclass(frozen=True)
class Command:
    intent: Intent
    question: str = ""
    language: Language | None = None  # asked for explicitly, e.g. "/wxbind en …"


def parse_command(text: str) -> Command:
    """Read the text after ``/wxbind``."""
    text = " ".join((text or "").split())[:MAX_QUESTION_CHARS]
    language = None
    head, _, rest = text.partition(" ")
    if head.lower() in {"zh", "en", "中文", "english"}:
        language = Language.ZH if head.lower() in {"zh", "中文"} else Language.EN
        text = rest
    word = text.lower()
    if word in HELP_WORDS:
        return Command(Intent.HELP, language=language)
    if word in DIAGNOSE_WORDS:
        return Command(Intent.DIAGNOSE, language=language)
    if word in MY_CASES_WORDS:
        return Command(Intent.MY_CASES, language=language)
    first, _, number = word.partition(" ")
    if first in CASE_WORDS and (not number or number.lstrip("#").isdigit()):
        return Command(Intent.CASE, question=number.lstrip("#"), language=language)
    return Command(Intent.QUESTION, question=text, language=language)


def choose_language(*, explicit: Language | None, locale: str | None, question: str = "") -> Language:
    """The asker's language: what they asked for, else their chat locale, else the question's script."""
    if explicit is not None:
        return explicit
    if locale:
        return Language.ZH if locale.lower().startswith("zh") else Language.EN
    return Language.of_text(question) if question.strip() else Language.EN


# Replies -------------------------------------------------------------------


@dataclass(frozen=True)
class HelpReply:
    language: Language
    topics: list[Topic]


@dataclass(frozen=True)
class DiagnosisQuestion:
    language: Language
    step: DiagnosisStep
    number: int
    total: int
    ruled_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class DiagnosisFound:
    language: Language
    step: DiagnosisStep
    ruled_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class DiagnosisExhausted:
    language: Language
    ruled_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notice:
    """A short message in the bot's own words (see supportbot.messages)."""

    language: Language
    key: str
    topics: list[Topic] = field(default_factory=list)


DiagnosisReply = DiagnosisQuestion | DiagnosisFound | DiagnosisExhausted


def help_reply(language: Language) -> HelpReply:
    return HelpReply(language=language, topics=topics(language=language))


_answers = GenerationCache(maxsize=4096)


def answer(*, question: str, language: Language) -> Answer:
    """The answer to a question; repeated questions are answered from memory until the FAQ changes."""
    return _answers.get_or_compute((question, language), lambda: answer_question(question=question, language=language))


def topic(*, slug: str, language: Language, question: str = "") -> Answer | Notice:
    found = answer_entry(slug=slug, language=language, question=question)
    return found or Notice(language=language, key="unknown_topic")


def _steps() -> list[DiagnosisStep]:
    return list(DiagnosisStep.objects.filter(is_published=True).order_by("display_order", "key"))


def start_diagnosis(language: Language) -> DiagnosisReply | Notice:
    steps = _steps()
    if not steps:
        return Notice(language=language, key="no_diagnosis")
    return DiagnosisQuestion(language=language, step=steps[0], number=1, total=len(steps))


def continue_diagnosis(
    *, step_key: str, reply: str, ruled_out: tuple[str, ...], language: Language
) -> DiagnosisReply | Notice:
    """Move on from the step the asker answered: to the fix, the next step, or a case."""
    steps = _steps()
    keys = [step.key for step in steps]
    if step_key not in keys or reply not in DiagnosisStep.Answer.values:
        return Notice(language=language, key="stale_action")
    position = keys.index(step_key)
    step = steps[position]
    known = tuple(key for key in ruled_out if key in keys)
    if step.is_cause(reply):
        return DiagnosisFound(language=language, step=step, ruled_out=known)
    known = (*known, step.key) if step.key not in known else known
    if position + 1 < len(steps):
        return DiagnosisQuestion(
            language=language, step=steps[position + 1], number=position + 2, total=len(steps), ruled_out=known
        )
    return DiagnosisExhausted(language=language, ruled_out=known)


# Recording -----------------------------------------------------------------


@dataclass(frozen=True)
class Asker:
    channel: str  # slack, teams, …
    workspace_id: str
    user_id: str


def record_answer_shown(*, answer: Answer, asker: Asker) -> None:
    """Count an answer shown, or a question that found no confident match."""
    record_reply(
        entry_id=answer.entry.pk if answer.entry else None,
        confident=answer.kind is AnswerKind.ANSWER,
        question=answer.question,
        language=answer.language,
        asker=asker,
    )


def record_reply(*, entry_id: int | None, confident: bool, question: str, language: Language, asker: Asker) -> None:
    kind = AnswerEvent.Kind.SHOWN if confident else AnswerEvent.Kind.NO_MATCH
    _record(kind=kind, entry_id=entry_id, question=question, language=language, asker=asker)


def record_verdict(*, slug: str, helpful: bool, question: str, language: Language, asker: Asker) -> None:
    kind = AnswerEvent.Kind.HELPFUL if helpful else AnswerEvent.Kind.NOT_HELPFUL
    entry = entry_by_slug(slug)
    _record(kind=kind, entry_id=entry.pk if entry else None, question=question, language=language, asker=asker)


def _record(*, kind: str, entry_id: int | None, question: str, language: Language, asker: Asker) -> None:
    recorder.add(
        kind=kind,
        entry_id=entry_id,
        question=question[: AnswerEvent.MAX_QUESTION_CHARS],
        language=language.value,
        channel=asker.channel,
        workspace_id=asker.workspace_id[:64],
        user_id=asker.user_id[:64],
    )
