"""The one grammar for what people type to the bot, on every platform.

``/wxbind en case 1042`` on Slack, ``wxbind case 1042`` or a bare message on
Teams, ``manage.py wxbind …``: each front end strips its own wrapping (the
slash command, an @mention) and hands the rest here. Text that is not a valid
command is a question, so "case study of binding" or "工单 怎么提交" are
answered, never dropped.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from faq.languages import Language
from faq.plaintext import storable

MAX_QUESTION_CHARS = 3000

HELP_WORDS = frozenset({"", "help", "帮助", "?", "？", "topics", "主题"})
DIAGNOSE_WORDS = frozenset({"diagnose", "diagnosis", "诊断", "排查"})
MY_CASES_WORDS = frozenset({"cases", "我的工单", "工单列表"})
CASE_WORDS = frozenset({"case", "工单"})
LANGUAGE_WORDS = {"zh": Language.ZH, "中文": Language.ZH, "en": Language.EN, "english": Language.EN}
# Case numbers start at 1001; anything longer than this is no case number.
MAX_CASE_NUMBER_DIGITS = 9


class Intent(enum.Enum):
    HELP = "help"
    DIAGNOSE = "diagnose"
    QUESTION = "question"
    MY_CASES = "cases"
    SHOW_CASE = "case"
    NEW_CASE = "new_case"


@dataclass(frozen=True)
class Command:
    intent: Intent
    question: str = ""
    case_number: int | None = None
    language: Language | None = None  # asked for explicitly, e.g. "en …"


def parse_command(text: str) -> Command:
    """What the person asked for. Never fails: anything unrecognized is a question."""
    # NUL and lone surrogates are no characters anyone types, and no database stores them: they go here, once.
    text = " ".join(storable(text or "", replacement=" ").split())[:MAX_QUESTION_CHARS]
    language = None
    head, _, rest = text.partition(" ")
    if head.lower() in LANGUAGE_WORDS:
        language, text = LANGUAGE_WORDS[head.lower()], rest
    word = text.lower()
    if word in HELP_WORDS:
        return Command(Intent.HELP, language=language)
    if word in DIAGNOSE_WORDS:
        return Command(Intent.DIAGNOSE, language=language)
    if word in MY_CASES_WORDS:
        return Command(Intent.MY_CASES, language=language)
    if word in CASE_WORDS:
        return Command(Intent.NEW_CASE, language=language)
    first, _, argument = word.partition(" ")
    number = argument.removeprefix("#")
    if first in CASE_WORDS and number.isascii() and number.isdigit() and len(number) <= MAX_CASE_NUMBER_DIGITS:
        return Command(Intent.SHOW_CASE, case_number=int(number), language=language)
    return Command(Intent.QUESTION, question=text, language=language)


def choose_language(*, explicit: Language | None, locale: str | None, question: str = "") -> Language:
    """The asker's language: what they asked for, else their chat locale, else the question's script."""
    if explicit is not None:
        return explicit
    if locale:
        return Language.ZH if locale.lower().startswith("zh") else Language.EN
    return Language.of_text(question) if question.strip() else Language.EN
