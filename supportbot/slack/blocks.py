"""Block Kit for every reply the core makes, valid whatever the content.

Slack's limits are enforced here, once: long text is split across sections,
images and buttons are capped, values and labels are cut to size, and an
answer too long for one message continues in more messages. Text a person
typed is escaped; buttons carry the core's actions (``payloads.encode``).
"""

from __future__ import annotations

from dataclasses import dataclass

from faq.answers import Topic
from faq.document import Document
from faq.languages import Language
from supportbot.conversation.replies import (
    COMMENT_INPUT,
    AnswerReply,
    Button,
    CaseCard,
    CaseConfirmation,
    CaseFormErrors,
    CaseFormRequest,
    CaseList,
    ChoicesReply,
    DiagnosisReply,
    Digest,
    HelpReply,
    LinkButton,
    NothingReply,
    Notice,
    OpenCase,
    PersonMention,
    Refusal,
    RelayedMessage,
    Reminder,
    SatisfactionSurvey,
    ShowTopic,
    ThreadNote,
)
from supportbot.conversation.wording import say
from supportbot.slack import payloads
from supportbot.slack.mrkdwn import ImagePart, NotePart, TextPart, document_parts, escape, link, split

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
MAX_BUTTON_TEXT = 75
MAX_ACTION_ELEMENTS = 25
MAX_IMAGE_ALT = 2000
MAX_URL = 3000
MAX_FALLBACK_TEXT = 3000
MAX_MESSAGES = 5
MAX_TOPIC_BUTTONS = 50
QUESTION_ECHO_CHARS = 300
MODAL_CALLBACK = "case_open"


@dataclass(frozen=True)
class Message:
    text: str  # notification and screen-reader fallback
    blocks: list[dict]

    def as_kwargs(self) -> dict:
        return {"text": self.text, "blocks": self.blocks}


# Small pieces --------------------------------------------------------------


def fallback_text(text: str) -> str:
    """The message's top-level text (notifications, screen readers, some clients), which Slack reads as
    mrkdwn: escaped, so that a user's or staff member's <!channel>, <@U…> or <https://…|…> stays text."""
    return escape(_cut(text, MAX_FALLBACK_TEXT))


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


def button(choice: Button | LinkButton) -> dict:
    element = {"type": "button", "text": _plain(choice.text, MAX_BUTTON_TEXT)}
    if isinstance(choice, LinkButton):
        element.update(action_id="answer:open_page", url=choice.url[:MAX_URL])
        return element
    action_id, value = payloads.encode(choice.action)
    element["action_id"] = action_id[:255]
    if value:
        element["value"] = value[: payloads.MAX_BUTTON_VALUE]
    if choice.primary:
        element["style"] = "primary"
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


def topic_buttons(topics: tuple[Topic, ...], language: Language, block_id: str = "wxbind_topics") -> list[dict]:
    shown = topics[:MAX_TOPIC_BUTTONS]
    elements = [button(Button(t.title, ShowTopic(t.slug, language))) for t in shown]
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


def mention(person: PersonMention | None) -> str:
    """A Slack user as a mention; anyone else by name, escaped."""
    if person is None:
        return "—"
    if person.platform == payloads.PLATFORM and person.user_id.isalnum():
        return f"<@{person.user_id}>"
    return escape(person.name or person.user_id)


def _asked(language: Language, question: str) -> dict:
    return context(say("you_asked", language) + escape(_cut(question, QUESTION_ECHO_CHARS)))


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
    return [Message(text=fallback_text(fallback), blocks=page) for page in pages]


# Replies -------------------------------------------------------------------


def render(reply) -> list[Message]:
    """The Slack messages for a core reply (a case form is a modal: see ``case_modal``)."""
    match reply:
        case AnswerReply():
            return answer_messages(reply)
        case HelpReply():
            return [help_message(reply)]
        case ChoicesReply() | NothingReply():
            return [no_answer_message(reply)]
        case DiagnosisReply():
            return [diagnosis_message(reply)]
        case Notice() | Refusal() | CaseConfirmation():
            return [notice_message(reply)]
        case CaseCard():
            return [case_card_message(reply)]
        case CaseList():
            return [case_list_message(reply)]
        case ThreadNote():
            return [thread_note_message(reply)]
        case Reminder():
            return [reminder_message(reply)]
        case CaseFormRequest():
            return [form_button_message(reply)]
        case RelayedMessage():
            return [relayed_message(reply)]
        case SatisfactionSurvey():
            return [survey_message(reply)]
        case Digest():
            return [digest_message(reply)]
    raise TypeError(f"no Slack rendering for {type(reply).__name__}")


def answer_messages(reply: AnswerReply) -> list[Message]:
    answer = reply.answer
    language = answer.language
    head = [header(answer.title)]
    if answer.question:
        head.append(_asked(language, answer.question))
    tail: list[dict] = [{"type": "divider"}]
    if reply.also:
        tail.append(context(say("also_related", language)))
        tail.extend(topic_buttons(reply.also, language, "wxbind_also"))
    if reply.shared_by:
        tail.append(context(say("shared_by", language, user=mention(reply.shared_by))))
    elif reply.buttons:
        tail.append(section(say("did_it_help", language)))
        tail.extend(actions([button(choice) for choice in reply.buttons], "wxbind_feedback"))
    fallback = f"{answer.title}\n{answer.question}"
    return _paginate(
        head, document_blocks(answer.document), tail, fallback=fallback, language=language, overflow_url=reply.entry_url
    )


def no_answer_message(reply: ChoicesReply | NothingReply) -> Message:
    language = reply.language
    blocks: list[dict] = []
    if reply.question:
        blocks.append(_asked(language, reply.question))
    blocks.append(section(escape(reply.text)))
    offered = reply.choices if isinstance(reply, ChoicesReply) else reply.topics
    blocks.extend(topic_buttons(offered, language))
    blocks.extend(actions([button(choice) for choice in reply.buttons], "wxbind_case"))
    return Message(text=fallback_text(reply.text), blocks=blocks[:MAX_BLOCKS])


def help_message(reply: HelpReply) -> Message:
    language = reply.language
    blocks = [section(reply.intro), *topic_buttons(reply.topics, language)]
    if len(reply.topics) > MAX_TOPIC_BUTTONS:
        blocks.append(context(f"+{len(reply.topics) - MAX_TOPIC_BUTTONS}"))
    blocks.extend(actions([button(choice) for choice in reply.buttons], "wxbind_help"))
    return Message(text=fallback_text(reply.intro), blocks=blocks)


def notice_message(reply: Notice | Refusal | CaseConfirmation) -> Message:
    blocks = [section(escape(reply.text))]
    if isinstance(reply, CaseConfirmation) and reply.masked_notice:
        blocks.append(context(escape(reply.masked_notice)))
    if isinstance(reply, Notice):
        if reply.topics:
            blocks.extend(topic_buttons(reply.topics, reply.language))
        if reply.buttons:
            blocks.extend(actions([button(choice) for choice in reply.buttons], "wxbind_next"))
    return Message(text=fallback_text(reply.text), blocks=blocks[:MAX_BLOCKS])


def diagnosis_message(reply: DiagnosisReply) -> Message:
    blocks = [header(reply.title)]
    if reply.progress:
        blocks.append(context(escape(reply.progress)))
    if reply.ruled_out:
        blocks.append(context(escape(reply.ruled_out_text + ", ".join(reply.ruled_out))))
    blocks.append(section(f"*{escape(reply.text)}*"))
    details = document_blocks(reply.details) if reply.details is not None else []
    if details:
        if reply.details_title:
            blocks.append(context(escape(reply.details_title)))
        blocks.extend(details[: MAX_BLOCKS - len(blocks) - 2])
    blocks.extend(actions([button(choice) for choice in reply.buttons], "wxbind_diagnosis"))
    return Message(text=fallback_text(reply.text), blocks=blocks[:MAX_BLOCKS])


def case_card_message(card: CaseCard) -> Message:
    labels = card.labels
    facts = [
        f"*{escape(labels['reporter'])}:* {mention(card.reporter)}",
        f"*{escape(labels['assignee'])}:* {mention(card.assignee)}",
        *(f"*{escape(label)}:* {escape(value)}" for label, value in card.facts),
    ]
    blocks = [
        header(card.title),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": fact[:2000]} for fact in facts]},
    ]
    if card.ruled_out:
        blocks.append(context(f"*{escape(labels['ruled_out'])}:* " + escape(", ".join(card.ruled_out))))
    if card.description:
        blocks.extend(section(chunk) for chunk in split(escape(card.description), MAX_SECTION_CHARS))
    if card.question:
        blocks.append(context(f"*{escape(labels['asked'])}:* " + escape(card.question)))
    elements = [button(choice) for choice in card.buttons]
    if card.can_assign_to:
        picker = {
            "type": "users_select",
            "action_id": "case:assign_to",
            "placeholder": _plain(card.assign_to_label, MAX_BUTTON_TEXT),
        }
        elements.insert(1 if elements else 0, picker)
    if elements:
        blocks = blocks[: MAX_BLOCKS - 1]
        blocks.append({"type": "actions", "block_id": f"case_{card.number}", "elements": elements})
    return Message(text=fallback_text(card.title), blocks=blocks[:MAX_BLOCKS])


def case_list_message(reply: CaseList) -> Message:
    blocks = [section(escape(reply.text))]
    if reply.lines:
        lines = [f"• *{line.number}* · {escape(line.state)} · {escape(line.summary)}" for line in reply.lines]
        blocks.extend(section(chunk) for chunk in split("\n".join(lines), MAX_SECTION_CHARS))
    return Message(text=fallback_text(reply.text), blocks=blocks[:MAX_BLOCKS])


def thread_note_message(note: ThreadNote) -> Message:
    actor = mention(note.actor) if note.actor else escape(note.actor_label)
    text = escape(note.text).replace(escape("{actor}"), actor, 1)
    return Message(text=text[:MAX_FALLBACK_TEXT], blocks=[section(text)])


def reminder_message(reply: Reminder) -> Message:
    blocks = [section(escape(reply.text))]
    if reply.buttons:
        blocks.extend(actions([button(choice) for choice in reply.buttons], "wxbind_reminder"))
    return Message(text=fallback_text(reply.text), blocks=blocks)


def relayed_message(reply: RelayedMessage) -> Message:
    """Someone's words through a case: who and which case above, their text (as text, never as markup) below."""
    author = mention(reply.author)
    heading = escape(reply.header).replace(escape("{author}"), f"*{author}*", 1)
    blocks = [context(heading)]
    for part in split(escape(reply.text), MAX_SECTION_CHARS) if reply.text.strip() else []:
        blocks.append(section(part))
    if reply.files:
        links = "\n".join(f"• {link(file.url, file.name or file.url)}" for file in reply.files)
        blocks.append(section(f"{escape(reply.files_label)}\n{links}"))
    fallback = reply.header.replace("{author}", reply.author.name) + ": " + reply.text
    return Message(text=fallback_text(fallback), blocks=blocks[:MAX_BLOCKS])


def digest_message(reply: Digest) -> Message:
    """The week's figures as section fields (two columns), then the questions to teach, then the way to teach them."""
    fields = [
        {"type": "mrkdwn", "text": _cut(f"*{escape(what)}*\n{escape(value)}", 2000)} for what, value in reply.figures
    ]
    blocks = [header(reply.title)]
    for start in range(0, len(fields), 10):  # Slack shows at most ten fields in a section
        blocks.append({"type": "section", "fields": fields[start : start + 10]})
    lines = [f"*{escape(reply.unanswered_title)}*"]
    lines += [f"• {escape(_cut(question, 200))}  _({count}×)_" for question, count in reply.unanswered]
    blocks.append(section("\n".join(lines)))
    if reply.teach:
        blocks.extend(actions([button(reply.teach)], "wxbind_digest"))
    summary = reply.title + ": " + "; ".join(f"{what} {value}" for what, value in reply.figures)
    return Message(text=fallback_text(summary), blocks=blocks)


SURVEY_BLOCK = "wxbind_survey_comment"


def survey_message(reply: SatisfactionSurvey) -> Message:
    """The rating buttons send what was typed in the comment box with them (Slack's message ``state``)."""
    comment = {
        "type": "input",
        "block_id": SURVEY_BLOCK,
        "optional": True,
        "label": _plain(reply.comment_label, 2000),
        "element": {
            "type": "plain_text_input",
            "action_id": COMMENT_INPUT,
            "multiline": True,
            "max_length": 2000,
            "placeholder": _plain(reply.comment_placeholder, 150),
        },
    }
    blocks = [section(escape(reply.text)), comment]
    blocks.extend(actions([button(choice) for choice in reply.buttons], f"wxbind_survey_{reply.number}"))
    return Message(text=fallback_text(reply.text), blocks=blocks)


# The case form: a modal ---------------------------------------------------------


def case_modal(form: CaseFormRequest, *, channel: str = "") -> dict:
    """The form a reporter fills in; its metadata carries what the bot already knows."""
    view_blocks = [context(escape(line)) for line in form.about]
    for field in form.fields:
        if field.options:
            element = {
                "type": "static_select",
                "action_id": "value",
                "options": [{"text": _plain(label, MAX_BUTTON_TEXT), "value": value} for value, label in field.options],
            }
        else:
            element = {
                "type": "plain_text_input",
                "action_id": "value",
                "multiline": field.multiline,
                "max_length": 3000,
            }
            if field.placeholder:
                element["placeholder"] = _plain(field.placeholder, 150)
        block = {
            "type": "input",
            "block_id": field.name,
            "optional": field.optional,
            "label": _plain(field.label, 2000),
            "element": element,
        }
        if field.hint:
            block["hint"] = _plain(field.hint, 2000)
        view_blocks.append(block)
    metadata = form.prefill.to_data() | ({"ch": channel} if channel else {})
    return {
        "type": "modal",
        "callback_id": MODAL_CALLBACK,
        "private_metadata": payloads._value(metadata)[:3000],
        "title": _plain(form.title, 24),
        "submit": _plain(form.submit, 24),
        "close": _plain(form.cancel, 24),
        "blocks": view_blocks[:100],
    }


def form_button_message(form: CaseFormRequest) -> Message:
    """Where no modal can be opened (a mention, a direct message): a button that opens it."""
    opener = button(Button(form.title, OpenCase(form.prefill), primary=True))
    return Message(text=fallback_text(form.title), blocks=actions([opener], "wxbind_case"))


def form_errors(reply: CaseFormErrors) -> dict:
    """What Slack needs to show errors inside the open modal."""
    return {"response_action": "errors", "errors": {name: text[:2000] for name, text in reply.errors.items()}}
