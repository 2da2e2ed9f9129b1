"""Block Kit messages for every reply, valid whatever the content.

Slack's limits are enforced here, once: long text is split across sections,
images and buttons are capped, values and labels are cut to size, and an
answer too long for one message continues in follow-up messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from faq.answers import Answer, AnswerKind, Topic
from faq.answers import topics as answer_topics
from faq.document import Document
from faq.languages import Language
from supportbot.conversation import (
    DiagnosisExhausted,
    DiagnosisFound,
    DiagnosisQuestion,
    HelpReply,
    Notice,
)
from supportbot.messages import say
from supportbot.slack.mrkdwn import ImagePart, NotePart, TextPart, document_parts, escape, split

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTION_ELEMENTS = 25
MAX_IMAGE_ALT = 2000
MAX_URL = 3000
MAX_FALLBACK_TEXT = 3000
MAX_MESSAGES = 5
MAX_TOPIC_BUTTONS = 50
QUESTION_ECHO_CHARS = 300

AUTH_EXCEPTION_SLUG = "auth-exception"


@dataclass(frozen=True)
class Message:
    text: str  # notification and screen-reader fallback
    blocks: list[dict]

    def as_kwargs(self) -> dict:
        return {"text": self.text, "blocks": self.blocks}


# Small pieces --------------------------------------------------------------


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(text: str, limit: int) -> dict:
    return {"type": "plain_text", "text": _cut(text.strip() or "…", limit), "emoji": True}


def header(text: str) -> dict:
    return {"type": "header", "text": _plain(text, MAX_HEADER_CHARS)}


def section(mrkdwn: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn[:MAX_SECTION_CHARS] or " "}}


def context(mrkdwn: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn[:MAX_SECTION_CHARS] or " "}]}


def image(url: str, alt: str) -> dict | None:
    if len(url) > MAX_URL:
        return None
    return {"type": "image", "image_url": url, "alt_text": _cut(alt or "image", MAX_IMAGE_ALT)}


def encode_value(data: dict) -> str:
    """A button value within Slack's limit; a long question inside it is shortened to fit."""
    value = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    question = data.get("q", "")
    while len(value) > MAX_BUTTON_VALUE and question:
        question = question[: max(0, len(question) - (len(value) - MAX_BUTTON_VALUE) - 1)]
        value = json.dumps({**data, "q": question}, ensure_ascii=False, separators=(",", ":"))
    return value


def decode_value(value: str) -> dict:
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def button(text: str, action_id: str, *, value: str = "", style: str | None = None, url: str | None = None) -> dict:
    element = {"type": "button", "text": _plain(text, MAX_BUTTON_TEXT), "action_id": action_id[:255]}
    if value:
        element["value"] = value[:MAX_BUTTON_VALUE]
    if style:
        element["style"] = style
    if url:
        element["url"] = url[:MAX_URL]
    return element


def actions(elements: list[dict], block_id: str) -> list[dict]:
    return [
        {
            "type": "actions",
            "block_id": f"{block_id}_{i}"[:255],
            "elements": elements[start : start + MAX_ACTION_ELEMENTS],
        }
        for i, start in enumerate(range(0, len(elements), MAX_ACTION_ELEMENTS))
    ]


def topic_buttons(topics: list[Topic], language: Language, block_id: str = "wxbind_topics") -> list[dict]:
    shown = topics[:MAX_TOPIC_BUTTONS]
    elements = [
        button(t.title, f"topic:{t.slug}", value=encode_value({"s": t.slug, "l": language.value})) for t in shown
    ]
    return actions(elements, block_id)


def document_blocks(document: Document) -> list[dict]:
    blocks: list[dict] = []
    for part in document_parts(document):
        match part:
            case TextPart(mrkdwn=text):
                blocks.extend(section(chunk) for chunk in split(text, MAX_SECTION_CHARS))
            case NotePart(mrkdwn=text):
                quoted = "\n".join(f"> {line}" for line in f":warning: {text}".split("\n"))
                blocks.extend(section(chunk) for chunk in split(quoted, MAX_SECTION_CHARS))
            case ImagePart(url=url, alt=alt):
                if (block := image(url, alt)) is not None:
                    blocks.append(block)
    return blocks


def _paginate(
    head: list[dict], body: list[dict], tail: list[dict], *, fallback: str, language: Language, overflow_url: str | None
) -> list[Message]:
    """Lay blocks out over as few messages as Slack's 50-block limit allows; the tail goes last."""
    pages: list[list[dict]] = []
    current = list(head)
    for block in body:
        if len(current) >= MAX_BLOCKS:
            pages.append(current)
            current = [context(say("continued", language))]
        current.append(block)
    if len(current) + len(tail) > MAX_BLOCKS:
        pages.append(current)
        current = [context(say("continued", language))]
    current.extend(tail)
    pages.append(current)
    if len(pages) > MAX_MESSAGES:
        pages = pages[:MAX_MESSAGES]
        note = say("full_answer", language)
        ending = context(f"… <{overflow_url}|{escape(note)}>" if overflow_url else "…")
        last = pages[-1][: MAX_BLOCKS - len(tail) - 1]
        pages[-1] = [*last, ending, *tail]
    return [Message(text=_cut(fallback, MAX_FALLBACK_TEXT), blocks=page) for page in pages]


# Replies -------------------------------------------------------------------


def answer_messages(answer: Answer, *, entry_url: str | None = None, with_feedback: bool = True) -> list[Message]:
    language = answer.language
    if answer.kind is not AnswerKind.ANSWER:
        return [_no_answer_message(answer)]
    head = [header(answer.title)]
    if answer.question:
        head.append(context(say("you_asked", language) + escape(_cut(answer.question, QUESTION_ECHO_CHARS))))
    tail: list[dict] = [{"type": "divider"}]
    if answer.alternatives:
        tail.append(context(say("also_related", language)))
        tail.extend(
            topic_buttons([Topic(h.slug, h.title(language)) for h in answer.alternatives], language, "wxbind_also")
        )
    if with_feedback:
        tail.append(section(say("did_it_help", language)))
        tail.extend(actions(_answer_buttons(answer, entry_url), "wxbind_feedback"))
    fallback = f"{answer.title}\n{answer.question}"
    return _paginate(
        head, document_blocks(answer.document), tail, fallback=fallback, language=language, overflow_url=entry_url
    )


def _answer_buttons(answer: Answer, entry_url: str | None) -> list[dict]:
    language = answer.language
    slug = answer.entry.slug
    about = encode_value({"s": slug, "l": language.value, "q": answer.question})
    buttons = [
        button(say("yes", language), "feedback:yes", value=about, style="primary"),
        button(say("no", language), "feedback:no", value=about),
        button(say("open_case", language), "case:open", value=about),
        button(say("share", language), "answer:share", value=encode_value({"s": slug, "l": language.value})),
    ]
    if slug == AUTH_EXCEPTION_SLUG:
        buttons.append(button(say("diagnose", language), "diagnosis:start", value=language.value))
    if entry_url:
        buttons.append(button(say("full_answer", language), "answer:open_page", url=entry_url))
    return buttons


def _no_answer_message(answer: Answer) -> Message:
    language = answer.language
    blocks: list[dict] = []
    if answer.question:
        blocks.append(context(say("you_asked", language) + escape(_cut(answer.question, QUESTION_ECHO_CHARS))))
    if answer.kind is AnswerKind.CHOICES:
        blocks.append(section(say("choices", language)))
        blocks.extend(topic_buttons([Topic(h.slug, h.title(language)) for h in answer.alternatives], language))
        fallback = say("choices", language)
    else:
        blocks.append(section(say("nothing", language)))
        blocks.extend(topic_buttons(answer_topics(language=language), language))
        fallback = say("nothing", language)
    case_value = encode_value({"l": language.value, "q": answer.question})
    blocks.extend(actions([button(say("open_case", language), "case:open", value=case_value)], "wxbind_case"))
    return Message(text=fallback, blocks=blocks[:MAX_BLOCKS])


def shared_messages(answer: Answer, *, user_id: str) -> list[Message]:
    messages = answer_messages(answer, with_feedback=False)
    credit = context(say("shared_by", answer.language, user=f"<@{escape(user_id)}>"))
    first = messages[0]
    messages[0] = Message(text=first.text, blocks=[*first.blocks[: MAX_BLOCKS - 1], credit])
    return messages


def help_message(reply: HelpReply) -> Message:
    language = reply.language
    blocks = [section(say("help_intro", language)), *topic_buttons(reply.topics, language)]
    if len(reply.topics) > MAX_TOPIC_BUTTONS:
        blocks.append(context(f"+{len(reply.topics) - MAX_TOPIC_BUTTONS}"))
    blocks.extend(actions([button(say("diagnose", language), "diagnosis:start", value=language.value)], "wxbind_help"))
    return Message(text=say("help_intro", language), blocks=blocks)


def notice_message(notice: Notice) -> Message:
    blocks = [section(say(notice.key, notice.language))]
    if notice.topics:
        blocks.extend(topic_buttons(notice.topics, notice.language))
    return Message(text=say(notice.key, notice.language), blocks=blocks)


def not_helpful_message(*, language: Language, slug: str, question: str) -> Message:
    value = encode_value({"s": slug, "l": language.value, "q": question})
    buttons = [button(say("open_case", language), "case:open", value=value, style="primary")]
    if slug == AUTH_EXCEPTION_SLUG:
        buttons.append(button(say("diagnose", language), "diagnosis:start", value=language.value))
    return Message(
        text=say("sorry_not_helpful", language),
        blocks=[section(say("sorry_not_helpful", language)), *actions(buttons, "wxbind_followup")],
    )


def diagnosis_message(reply: DiagnosisQuestion | DiagnosisFound | DiagnosisExhausted) -> Message:
    language = reply.language
    ruled_out = list(reply.ruled_out)
    blocks = [header(say("diagnosis_title", language))]
    if isinstance(reply, DiagnosisQuestion):
        blocks.append(context(say("diagnosis_step", language, number=str(reply.number), total=str(reply.total))))
        blocks.append(section(f"*{escape(reply.step.question(language))}*"))
        check = document_blocks(reply.step.how_to_check(language))
        if check:
            blocks.append(context(say("how_to_check", language)))
            blocks.extend(check[: MAX_BLOCKS - 6])
        value = encode_value({"k": reply.step.key, "r": ruled_out, "l": language.value})
        buttons = [
            button(say("yes", language), "diagnosis:yes", value=value),
            button(say("no", language), "diagnosis:no", value=value),
        ]
        blocks.extend(actions(buttons, "wxbind_diagnosis"))
        text = reply.step.question(language)
    elif isinstance(reply, DiagnosisFound):
        blocks.append(section(f"*{escape(say('diagnosis_found', language))}*"))
        blocks.extend(document_blocks(reply.step.fix(language))[: MAX_BLOCKS - 4])
        case_value = encode_value({"s": AUTH_EXCEPTION_SLUG, "l": language.value, "r": ruled_out, "c": reply.step.key})
        buttons = [
            button(say("open_case", language), "case:open", value=case_value),
            button(say("start_over", language), "diagnosis:start", value=language.value),
        ]
        blocks.extend(actions(buttons, "wxbind_diagnosis"))
        text = say("diagnosis_found", language)
    else:
        blocks.append(section(say("diagnosis_exhausted", language)))
        case_value = encode_value({"s": AUTH_EXCEPTION_SLUG, "l": language.value, "r": ruled_out})
        buttons = [
            button(say("open_case", language), "case:open", value=case_value, style="primary"),
            button(say("start_over", language), "diagnosis:start", value=language.value),
        ]
        blocks.extend(actions(buttons, "wxbind_diagnosis"))
        text = say("diagnosis_exhausted", language)
    if ruled_out:
        blocks.insert(2, context(say("ruled_out", language) + escape(", ".join(ruled_out))))
    return Message(text=_cut(text, MAX_FALLBACK_TEXT), blocks=blocks[:MAX_BLOCKS])
