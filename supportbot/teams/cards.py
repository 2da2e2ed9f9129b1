"""Adaptive Cards 1.5 for every reply the core makes, valid and within Teams' size limit whatever the content.

Text goes into ``RichTextBlock`` runs, which Teams never reads as Markdown, so
nothing a person typed (or an FAQ author wrote) can become a link, a mention
or formatting: style comes only from the document's own structure. Teams
refuses a message over 28 KB, so a long answer continues on further cards,
each measured as it is built. Buttons carry the core's actions as
``Action.Submit`` data (``payloads.encode``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from microsoft_teams.cards import (
    AdaptiveCard,
    Choice,
    ChoiceSetInput,
    Container,
    Image,
    OpenUrlAction,
    RichTextBlock,
    SubmitAction,
    TextInput,
    TextRun,
)

from faq.answers import Topic
from faq.document import (
    Caveat,
    Code,
    CodeBlock,
    Document,
    Emphasis,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Strong,
    Text,
    is_web_url,
    plain_text,
)
from faq.document import Image as DocumentImage
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
    MoveCase,
    NothingReply,
    Notice,
    PersonMention,
    Refusal,
    RelayedMessage,
    Reminder,
    SatisfactionSurvey,
    ShowTopic,
    ThreadNote,
)
from supportbot.conversation.wording import say
from supportbot.teams import payloads

# Teams refuses a message over 28 KB; the activity around the card needs a little of it.
MAX_CARD_BYTES = 26 * 1024
MAX_CARDS = 6
MAX_RUN_CHARS = 2000  # text per run; longer text continues in the next block
MAX_BLOCK_CHARS = 4000
MAX_ACTIONS_PER_SET = 5  # what Teams shows in one row before folding buttons away
MAX_TOPIC_BUTTONS = 50
MAX_BUTTON_TEXT = 60
MAX_URL = 2048
MAX_ALT = 500
MAX_SUMMARY = 300
QUESTION_ECHO_CHARS = 300
CASE_CARD_TEXT_CHARS = 6000
_MENTION_LIKE = re.compile(r"<(/?at\b)", re.IGNORECASE)
_NAME_UNSAFE = re.compile(r"[<>\[\]*_`~#\\]")


@dataclass(frozen=True)
class Card:
    """One Adaptive Card as sent, and the line a notification shows for it."""

    content: dict
    summary: str

    def size(self) -> int:
        return _size(self.content)


def _size(node) -> int:
    return len(json.dumps(node, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _dump(element) -> dict:
    return element.model_dump(exclude_none=True)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def literal(text: str) -> str:
    """Text shown as typed: a typed ``<at>`` can never turn into a mention, nor ``{{DATE(…)}}`` into a
    date Teams formats (a word joiner keeps them apart)."""
    return _MENTION_LIKE.sub("<\u2060\\1", text).replace("{{", "{\u2060{")


# Small pieces --------------------------------------------------------------


def _runs(text: str, **style) -> list[TextRun]:
    text = literal(text)
    return [TextRun(text=text[start : start + MAX_RUN_CHARS], **style) for start in range(0, len(text), MAX_RUN_CHARS)]


def _blocks_of(runs: list[TextRun], **block_style) -> list[dict]:
    """Runs laid out in rich text blocks of bounded length (a long paragraph becomes several blocks)."""
    blocks, current, length = [], [], 0
    for run in runs:
        if current and length + len(run.text) > MAX_BLOCK_CHARS:
            blocks.append(_dump(RichTextBlock(inlines=current, **block_style)))
            current, length = [], 0
        current.append(run)
        length += len(run.text)
    if current:
        blocks.append(_dump(RichTextBlock(inlines=current, **block_style)))
    return blocks


def text_blocks(text: str, *, subtle: bool = False, bold: bool = False, size: str | None = None) -> list[dict]:
    style = {}
    if subtle:
        style["is_subtle"] = True
    if bold:
        style["weight"] = "Bolder"
    if size:
        style["size"] = size
    return _blocks_of(_runs(text or " ", **style))


def title(text: str) -> dict:
    return text_blocks(_cut(text, 300), bold=True, size="Large")[0]


def context(text: str) -> dict:
    return text_blocks(_cut(text, MAX_BLOCK_CHARS), subtle=True)[0]


def submit(choice: Button) -> dict:
    action = SubmitAction(title=_cut(choice.text, MAX_BUTTON_TEXT), data=payloads.encode(choice.action))
    if choice.primary:
        action.style = "positive"
    return _dump(action)


def action(choice: Button | LinkButton) -> dict | None:
    if isinstance(choice, LinkButton):
        if not is_web_url(choice.url) or len(choice.url) > MAX_URL:
            return None
        return _dump(OpenUrlAction(title=_cut(choice.text, MAX_BUTTON_TEXT), url=choice.url))
    return submit(choice)


def action_sets(choices) -> list[dict]:
    actions = [found for choice in choices if (found := action(choice)) is not None]
    return [
        {"type": "ActionSet", "actions": actions[start : start + MAX_ACTIONS_PER_SET]}
        for start in range(0, len(actions), MAX_ACTIONS_PER_SET)
    ]


def topic_buttons(topics: tuple[Topic, ...], language: Language) -> list[dict]:
    return action_sets([Button(t.title, ShowTopic(t.slug, language)) for t in topics[:MAX_TOPIC_BUTTONS]])


def _asked(language: Language, question: str) -> dict:
    return context(say("you_asked", language) + _cut(question, QUESTION_ECHO_CHARS))


# The FAQ document ------------------------------------------------------------


def _inline_runs(pieces, *, bold: bool = False, italic: bool = False) -> list[TextRun]:
    runs: list[TextRun] = []
    for piece in pieces:
        style = {}
        if bold:
            style["weight"] = "Bolder"
        if italic:
            style["italic"] = True
        match piece:
            case Text(text=text):
                runs += _runs(text, **style)
            case Code(text=text):
                runs += _runs(text, font_type="Monospace", **style)
            case Strong(children=children):
                runs += _inline_runs(children, bold=True, italic=italic)
            case Emphasis(children=children):
                runs += _inline_runs(children, bold=bold, italic=True)
            case Link(url=url, children=children):
                label = plain_text(children) or url
                linked = is_web_url(url) and len(url) <= MAX_URL
                for run in _runs(label, **style):
                    if linked:
                        run.select_action = OpenUrlAction(url=url)
                        run.underline = True
                    runs.append(run)
            case LineBreak():
                runs += _runs("\n", **style)
    return runs


def document_elements(document: Document) -> list[dict]:
    return _elements(document.blocks)


def _elements(blocks, *, prefix: str = "") -> list[dict]:
    elements: list[dict] = []
    for block in blocks:
        match block:
            case Heading(inlines=inlines):
                elements += _blocks_of(_runs(prefix) + _inline_runs(inlines, bold=True))
                prefix = ""
            case Paragraph(inlines=inlines):
                elements += _blocks_of(_runs(prefix) + _inline_runs(inlines))
                prefix = ""
            case CodeBlock(text=text):
                elements += _blocks_of(_runs(prefix) + _runs(text, font_type="Monospace"))
                prefix = ""
            case DocumentImage(url=url, alt=alt):
                if is_web_url(url) and len(url) <= MAX_URL:
                    elements.append(_dump(Image(url=url, alt_text=_cut(alt or "image", MAX_ALT), size="Stretch")))
            case Caveat(blocks=inner):
                # One container per element keeps a long caveat splittable across cards.
                elements += [
                    _dump(Container(style="warning", items=[element], spacing="None"))
                    for element in _elements(inner, prefix="⚠ ")
                ]
            case ListBlock(ordered=ordered, start=start, items=items):
                for number, item in enumerate(items, start=start):
                    marker = f"{number}. " if ordered else "• "
                    elements += _elements(item, prefix=marker)
    return elements


# Laying elements out over cards ------------------------------------------------


def _card(body: list[dict], entities: list[dict] | None = None) -> dict:
    card = _dump(AdaptiveCard(body=[]))
    card["body"] = body
    card["msteams"] = {"width": "Full"}
    if entities:
        card["msteams"]["entities"] = entities
    return card


_EMPTY_CARD_BYTES = _size(_card([{"type": "TextBlock", "text": " "}]))


def _paginate(
    head: list[dict],
    body: list[dict],
    tail: list[dict],
    *,
    summary: str,
    language: Language,
    overflow_url: str | None,
    budget: int = MAX_CARD_BYTES,
    entities: list[dict] | None = None,
) -> list[Card]:
    """Elements over as few cards as the size limit allows, in order; the tail (buttons) ends the last card."""
    room = budget - _EMPTY_CARD_BYTES
    tail_size = sum(_size(e) + 1 for e in tail)
    continued = context(say("continued", language))
    pages: list[list[dict]] = []
    current, used = list(head), sum(_size(e) + 1 for e in head)
    for element in body:
        size = _size(element) + 1
        if size > room - tail_size:
            continue  # one element larger than a card (cannot happen with bounded runs): leave it out
        if used + size > room:
            pages.append(current)
            current, used = [continued], _size(continued) + 1
        current.append(element)
        used += size
    if used + tail_size > room:
        pages.append(current)
        current, used = [continued], _size(continued) + 1
    current.extend(tail)
    pages.append(current)
    if len(pages) > MAX_CARDS:
        pages = pages[:MAX_CARDS]
        ending = context(f"… {say('full_answer', language)}")
        more = [ending]
        if overflow_url and is_web_url(overflow_url):
            more.append(action_sets([LinkButton(say("full_answer", language), overflow_url)])[0])
        last, used = [], sum(_size(e) + 1 for e in more) + tail_size
        for element in pages[-1]:
            if element in tail:
                break
            if used + _size(element) + 1 > room:
                break
            last.append(element)
            used += _size(element) + 1
        pages[-1] = [*last, *more, *tail]
    return [Card(_card(page, entities), _cut(summary, MAX_SUMMARY)) for page in pages]


# Replies -------------------------------------------------------------------------


def render(reply) -> list[Card]:
    """The cards for a core reply."""
    match reply:
        case AnswerReply():
            return answer_cards(reply)
        case HelpReply():
            return [help_card(reply)]
        case ChoicesReply() | NothingReply():
            return [no_answer_card(reply)]
        case DiagnosisReply():
            return [diagnosis_card(reply)]
        case Notice() | Refusal() | CaseConfirmation():
            return [notice_card(reply)]
        case CaseCard():
            return [case_card(reply)]
        case CaseList():
            return [case_list_card(reply)]
        case ThreadNote():
            return [thread_note_card(reply)]
        case Reminder():
            return [reminder_card(reply)]
        case CaseFormRequest():
            return [case_form_card(reply)]
        case RelayedMessage():
            return relayed_cards(reply)
        case SatisfactionSurvey():
            return [survey_card(reply)]
        case Digest():
            return [digest_card(reply)]
    raise TypeError(f"no Teams rendering for {type(reply).__name__}")


def _single(body: list[dict], *, summary: str, language: Language, tail: list[dict] | None = None) -> Card:
    """A reply that is one card: what does not fit is cut, the buttons always stay."""
    return _paginate([], body, tail or [], summary=summary, language=language, overflow_url=None)[0]


def answer_cards(reply: AnswerReply) -> list[Card]:
    answer = reply.answer
    language = answer.language
    head = [title(answer.title)]
    if answer.question:
        head.append(_asked(language, answer.question))
    tail: list[dict] = []
    if reply.also:
        tail.append(context(say("also_related", language)))
        tail += topic_buttons(reply.also, language)
    if reply.shared_by:
        tail.append(context(say("shared_by", language, user=reply.shared_by.name or reply.shared_by.user_id)))
    elif reply.buttons:
        tail += text_blocks(say("did_it_help", language), bold=True)
        tail += action_sets(reply.buttons)
    if tail:
        tail[0] = {**tail[0], "separator": True}
    return _paginate(
        head,
        document_elements(answer.document),
        tail,
        summary=answer.title,
        language=language,
        overflow_url=reply.entry_url,
    )


def no_answer_card(reply: ChoicesReply | NothingReply) -> Card:
    language = reply.language
    body = [_asked(language, reply.question)] if reply.question else []
    body += text_blocks(reply.text)
    offered = reply.choices if isinstance(reply, ChoicesReply) else reply.topics
    return _single(
        body, summary=reply.text, language=language, tail=topic_buttons(offered, language) + action_sets(reply.buttons)
    )


def help_card(reply: HelpReply) -> Card:
    language = reply.language
    body = text_blocks(reply.intro)
    if len(reply.topics) > MAX_TOPIC_BUTTONS:
        body.append(context(f"+{len(reply.topics) - MAX_TOPIC_BUTTONS}"))
    tail = topic_buttons(reply.topics, language) + action_sets(reply.buttons)
    return _single(body, summary=reply.intro, language=language, tail=tail)


def notice_card(reply: Notice | Refusal | CaseConfirmation) -> Card:
    body = text_blocks(reply.text, bold=isinstance(reply, CaseConfirmation))
    if isinstance(reply, CaseConfirmation) and reply.masked_notice:
        body.append(context(reply.masked_notice))
    tail: list[dict] = []
    if isinstance(reply, Notice):
        tail = topic_buttons(reply.topics, reply.language) + action_sets(reply.buttons)
    return _single(body, summary=reply.text, language=reply.language, tail=tail)


def diagnosis_card(reply: DiagnosisReply) -> Card:
    head = [title(reply.title)]
    if reply.progress:
        head.append(context(reply.progress))
    if reply.ruled_out:
        head.append(context(reply.ruled_out_text + ", ".join(reply.ruled_out)))
    head += text_blocks(reply.text, bold=True, size="Medium")
    body: list[dict] = []
    if reply.details is not None:
        details = document_elements(reply.details)
        if details and reply.details_title:
            body.append(context(reply.details_title))
        body += details
    return _single(head + body, summary=reply.text, language=reply.language, tail=action_sets(reply.buttons))


# Cases -------------------------------------------------------------------------------


def _mention(person: PersonMention | None, entities: list[dict]) -> str | None:
    """A Teams person as a mention in a TextBlock (recorded in ``entities``); None for anyone else."""
    if person is None or person.platform != payloads.PLATFORM or not person.user_id:
        return None
    name = _NAME_UNSAFE.sub("", person.name or "")[:100].strip() or "user"
    text = f"<at>{name}</at>"
    entities.append({"type": "mention", "text": text, "mentioned": {"id": person.user_id, "name": name}})
    return text


def _person_line(label: str, person: PersonMention | None, entities: list[dict]) -> dict:
    label_block = _dump(RichTextBlock(inlines=_runs(f"{label}: ", weight="Bolder")))
    mentioned = _mention(person, entities)
    if mentioned is not None:
        # A mention only works in a TextBlock: it holds the mention and nothing else, beside the label.
        columns = [
            {"type": "Column", "width": "auto", "items": [label_block]},
            {"type": "Column", "width": "stretch", "items": [{"type": "TextBlock", "text": mentioned, "wrap": True}]},
        ]
        return {"type": "ColumnSet", "columns": columns}
    name = "—" if person is None else (person.name or person.user_id)
    return _dump(RichTextBlock(inlines=[*_runs(f"{label}: ", weight="Bolder"), *_runs(name)]))


def case_card(card: CaseCard) -> Card:
    labels = card.labels
    entities: list[dict] = []
    body = [
        title(card.title),
        _person_line(labels["reporter"], card.reporter, entities),
        _person_line(labels["assignee"], card.assignee, entities),
        *(
            _dump(RichTextBlock(inlines=[*_runs(f"{label}: ", weight="Bolder"), *_runs(value)]))
            for label, value in card.facts
        ),
    ]
    if card.ruled_out:
        body.append(context(f"{labels['ruled_out']}: " + ", ".join(card.ruled_out)))
    if card.description:
        body += text_blocks(_cut(card.description, CASE_CARD_TEXT_CHARS))
    if card.question:
        body.append(context(f"{labels['asked']}: " + card.question))
    tail = action_sets(card.buttons)
    if card.can_assign_to and card.assignable:
        picker = _dump(
            ChoiceSetInput(
                id=payloads.ASSIGNEE_INPUT,
                label=card.assign_to_label,
                style="compact",
                choices=[Choice(title=_cut(p.name or p.user_id, 100), value=p.user_id) for p in card.assignable],
            )
        )
        confirm = Button(card.assign_label, MoveCase(card.number, "assign"))
        tail = [picker, *action_sets([confirm]), *tail]
    return _paginate([], body, tail, summary=card.title, language=card.language, overflow_url=None, entities=entities)[
        0
    ]


def case_list_card(reply: CaseList) -> Card:
    body = text_blocks(reply.text)
    for line in reply.lines:
        body.append(
            _dump(
                RichTextBlock(
                    inlines=[*_runs(f"{line.number}", weight="Bolder"), *_runs(f" · {line.state} · {line.summary}")]
                )
            )
        )
    return _single(body, summary=reply.text, language=reply.language)


def thread_note_card(note: ThreadNote) -> Card:
    entities: list[dict] = []
    mentioned = _mention(note.actor, entities)
    before, _, after = note.text.partition("{actor}")
    if mentioned is None:
        name = note.actor.name if note.actor else note.actor_label
        body = _blocks_of(_runs(before) + _runs(name or "—", weight="Bolder") + _runs(after))
        return Card(_card(body[:1]), _cut(note.text.replace("{actor}", name or ""), MAX_SUMMARY))
    text = f"{_plain_markdown(before)}{mentioned}{_plain_markdown(after)}"
    content = _card([{"type": "TextBlock", "text": _cut(text, MAX_BLOCK_CHARS), "wrap": True}], entities)
    return Card(content, _cut(note.text.replace("{actor}", note.actor.name), MAX_SUMMARY))


def _plain_markdown(text: str) -> str:
    """Our own wording around a mention (a TextBlock, so mentions work), with Markdown characters neutralised."""
    return re.sub(r"([\\*_`~#\[\]()>!-])", r"\\\1", literal(text))


def relayed_cards(reply: RelayedMessage) -> list[Card]:
    """Someone's words through a case: who and which case above, their text as typed below, files as links.

    A long message continues on more cards rather than being cut."""
    before, _, after = reply.header.partition("{author}")
    name = reply.author.name or reply.author.user_id
    heading = _blocks_of(_runs(before, is_subtle=True) + _runs(name, weight="Bolder") + _runs(after, is_subtle=True))
    body = [*heading[:1], *text_blocks(reply.text)] if reply.text.strip() else heading[:1]
    links = [file for file in reply.files if is_web_url(file.url) and len(file.url) <= MAX_URL]
    if links:
        body.append(context(reply.files_label))
    summary = reply.header.replace("{author}", name) + ": " + reply.text
    tail = action_sets([LinkButton(_cut(file.name or file.url, MAX_BUTTON_TEXT), file.url) for file in links])
    return _paginate([], body, tail, summary=summary, language=reply.language, overflow_url=None)


def digest_card(reply: Digest) -> Card:
    """The week's figures, label and value on each line, then the questions to teach and the way to teach them."""
    body = [title(reply.title)]
    body += [
        _dump(RichTextBlock(inlines=[*_runs(f"{what}: ", weight="Bolder"), *_runs(value)]))
        for what, value in reply.figures
    ]
    body.append({**text_blocks(reply.unanswered_title, bold=True)[0], "separator": True})
    body += [
        _dump(RichTextBlock(inlines=[*_runs(f"• {_cut(question, 200)} "), *_runs(f"({count}×)", is_subtle=True)]))
        for question, count in reply.unanswered
    ]
    tail = action_sets([reply.teach]) if reply.teach else []
    return _single(body, summary=reply.title, language=reply.language, tail=tail)


def survey_card(reply: SatisfactionSurvey) -> Card:
    """The comment box is sent with whichever score is clicked (Teams merges a card's inputs into its data)."""
    comment = TextInput(
        id=COMMENT_INPUT,
        label=reply.comment_label,
        is_multiline=True,
        max_length=2000,
        placeholder=reply.comment_placeholder,
    )
    tail = [_dump(comment), *action_sets(reply.buttons)]
    return _single(text_blocks(reply.text), summary=reply.text, language=reply.language, tail=tail)


def reminder_card(reply: Reminder) -> Card:
    return _single(
        text_blocks(reply.text), summary=reply.text, language=reply.language, tail=action_sets(reply.buttons)
    )


# The case form -------------------------------------------------------------------------


def case_form_card(
    form: CaseFormRequest, *, values: dict[str, str] | None = None, errors: dict[str, str] | None = None
) -> Card:
    """The form a reporter fills in on the card; the submit button carries what the bot already knows.

    After a failed submit the same card comes back with the typed values kept and each problem under its field.
    """
    language = form.prefill.language
    values = values or {}
    errors = errors or {}
    body = [title(form.title)]
    body += [context(line) for line in form.about]
    if errors:
        body.append({**text_blocks(say("case_form_fix", language), bold=True)[0], "separator": True})
    for form_field in form.fields:
        value = values.get(form_field.name, "")
        if form_field.options:
            element = ChoiceSetInput(
                id=form_field.name,
                label=form_field.label,
                style="compact",
                is_required=not form_field.optional,
                choices=[Choice(title=label, value=option) for option, label in form_field.options],
            )
            if value in {option for option, _ in form_field.options}:
                element.value = value
        else:
            element = TextInput(
                id=form_field.name,
                label=form_field.label,
                is_multiline=form_field.multiline,
                is_required=not form_field.optional,
                max_length=3000,
            )
            if form_field.placeholder:
                element.placeholder = form_field.placeholder
            if value:
                element.value = value[:3000]
        if not form_field.optional:
            element.error_message = say("case_describe", language)
        body.append(_dump(element))
        if form_field.hint:
            body.append(context(form_field.hint))
        if form_field.name in errors:
            body.append(
                {
                    **_dump(RichTextBlock(inlines=_runs(errors[form_field.name][:500], color="Attention"))),
                    "id": f"error_{form_field.name}",
                }
            )
    submit_data = {payloads.ACTION_KEY: payloads.CASE_FORM, **form.prefill.to_data()}
    tail = [
        {
            "type": "ActionSet",
            "actions": [
                _dump(SubmitAction(title=_cut(form.submit, MAX_BUTTON_TEXT), data=submit_data, style="positive"))
            ],
        }
    ]
    return _single(body, summary=form.title, language=language, tail=tail)


def form_errors_card(form: CaseFormRequest, errors: CaseFormErrors, values: dict[str, str]) -> Card:
    return case_form_card(form, values=values, errors=errors.errors)


def submitted_form_card(
    form: CaseFormRequest, outcome: CaseFormErrors | CaseConfirmation | None, values: dict[str, str]
) -> Card | None:
    """What takes the place of a sent case form's card: the form again with its problems marked, or the
    case number (so it cannot be sent twice); None when this form had opened its case already."""
    if isinstance(outcome, CaseFormErrors):
        return form_errors_card(form, outcome, values)
    if isinstance(outcome, CaseConfirmation):
        return render(outcome)[0]
    return None
