"""The terminal front end: core replies as plain text, for ``manage.py wxbind``."""

from __future__ import annotations

from faq.answers import Topic
from faq.renderers import render_text
from supportbot.conversation.replies import (
    AnswerReply,
    CaseCard,
    CaseConfirmation,
    CaseFormRequest,
    CaseList,
    ChoicesReply,
    DiagnosisReply,
    HelpReply,
    NothingReply,
    Notice,
    Refusal,
    Reminder,
    ThreadNote,
)
from supportbot.conversation.wording import say


def render(reply, *, heading=lambda text: text) -> str:
    match reply:
        case AnswerReply(answer=answer):
            lines = [heading(answer.title), "", render_text(answer.document, answer.language).rstrip()]
            if reply.also:
                lines += ["", say("also_related", reply.language), *_topics(reply.also)]
            return "\n".join(lines)
        case ChoicesReply() | NothingReply():
            offered = reply.choices if isinstance(reply, ChoicesReply) else reply.topics
            return "\n".join([reply.text, *_topics(offered), "", say("cli_more", reply.language)])
        case HelpReply():
            return "\n".join([say("cli_help", reply.language), *_topics(reply.topics)])
        case DiagnosisReply():
            lines = [heading(reply.title), reply.progress, reply.text]
            if reply.details is not None:
                lines += ["", render_text(reply.details, reply.language).rstrip()]
            return "\n".join(line for line in lines if line is not None)
        case CaseCard():
            facts = [f"{label}: {value}" for label, value in reply.facts]
            return "\n".join([heading(reply.title), *facts, "", reply.description])
        case CaseList():
            return "\n".join(
                [reply.text, *(f"  • {line.number} · {line.state} · {line.summary}" for line in reply.lines)]
            )
        case CaseFormRequest():
            return say("cli_no_form", reply.prefill.language)
        case Notice() | Refusal() | CaseConfirmation() | Reminder():
            return reply.text
        case ThreadNote():
            return reply.text.replace("{actor}", reply.actor_label)
    raise TypeError(f"no text rendering for {type(reply).__name__}")


def _topics(topics: tuple[Topic, ...]) -> list[str]:
    return [f"  • {topic.title}  [{topic.slug}]" for topic in topics]
