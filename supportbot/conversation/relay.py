"""Agents and reporters talking through a case: which case a chat message belongs to, and passing it on.

Front ends hand over two kinds of message: one written in a thread of the
agents' channel (``from_case_thread``), and one written in a person's own
conversation with the bot (``from_reporter``). This module finds the case,
tells an internal note from a message for the reporter, and records the
message through the cases services, which write the delivery that relays it.
Workers send it (``outbox``); nothing is sent from the request.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from cases.models import Case, Delivery
from cases.policy import NotAllowed
from cases.secrets import mask_text
from cases.services import case_agent_message, case_reporter_message
from faq.languages import Language
from faq.plaintext import storable
from supportbot.conversation.grammar import Intent, parse_command
from supportbot.conversation.people import Person, language_of, linked_site_user, reporter_actor
from supportbot.conversation.replies import Button, FileLink, Notice, Replies, RouteMessage
from supportbot.conversation.wording import say
from supportbot.models import HeldMessage

# A thread message that starts with one of these stays with the agents (README: "Internal notes").
NOTE_MARKERS = ("//", "note:", "note：", "备注:", "备注：")
MAX_CASE_CHOICES = 10
MAX_TEXT = 10_000


@dataclass(frozen=True)
class ChatMessage:
    """A message as a front end read it: who wrote it, the text as plain text, its files, and its id."""

    person: Person
    text: str
    key: str  # the platform's id of the message, the same on every redelivery of it
    files: tuple[FileLink, ...] = ()

    @property
    def source_key(self) -> str:
        return f"{self.person.platform}:{self.key}"[:200]

    def file_data(self) -> list[dict]:
        return [{"name": file.name, "url": file.url} for file in self.files]

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and not self.files


def is_internal_note(text: str) -> bool:
    return text.lstrip().lower().startswith(NOTE_MARKERS)


def is_for_a_person(text: str) -> bool:
    """Words for a person, not a command for the bot (help, cases, case 1042, diagnose…), which the bot answers."""
    return not text.strip() or parse_command(text).intent is Intent.QUESTION


def is_case_thread(platform: str, conversation: str, thread: str) -> bool:
    """Whether a thread is the one under a case card (what is written there goes to the case, not to search)."""
    return Case.objects.filter(card_platform=platform, card_conversation=conversation, card_message=thread).exists()


def from_case_thread(message: ChatMessage, *, conversation: str, thread: str) -> bool:
    """A message under a post in the agents' channel. True when the post is a case card (the message is recorded).

    The thread is the authority: whoever writes under a case card in the
    support channel speaks for support, except the reporter, whose words there
    are recorded as theirs (they are read in the thread already).
    """
    if not thread or message.is_empty:
        return False
    person = message.person
    case = (
        Case.objects.filter(card_platform=person.platform, card_conversation=conversation, card_message=thread)
        .only("pk", "number", "channel", "workspace_id", "reporter_id")
        .first()
    )
    if case is None:
        return False
    words = _words(message)
    if case.is_reporter(channel=person.platform, workspace_id=person.workspace, user_id=person.user_id):
        case_reporter_message(number=case.number, author=reporter_actor(person), relay=False, **words)
        return True
    case_agent_message(
        number=case.number,
        author=reporter_actor(person),  # the writer as the timeline names them; the thread made them the agent
        internal=is_internal_note(message.text),
        assignee=linked_site_user(person),
        **words,
    )
    return True


def from_reporter(message: ChatMessage, *, conversation: str, thread: str = "") -> Replies | None:
    """A message in the writer's own conversation with the bot: passed on to their case, or None.

    None: they have no case to write to, so the message is a question for the
    bot. A reply under a relayed message goes to that message's case; a loose
    message to their one open case; with several, the bot asks which.
    """
    if message.is_empty or not is_for_a_person(message.text):
        return None
    person = message.person
    case = _case_of_relayed(person, conversation=conversation, message_id=thread) if thread else None
    if case is not None:
        _pass_on(message, case.number)
        return Replies(())
    open_cases = list(
        Case.objects.active()
        .of_reporter(channel=person.platform, workspace_id=person.workspace, user_id=person.user_id)
        .order_by("-number")[:MAX_CASE_CHOICES]
    )
    if not open_cases:
        return None
    if len(open_cases) == 1:
        _pass_on(message, open_cases[0].number)
        return Replies(())
    return Replies((_which_case(message, open_cases),))


def route_held(action: RouteMessage, *, person: Person) -> Replies:
    """The writer said which case a held message is about: passed on once, however often they click."""
    language = language_of(person, default=Language.EN)
    mine = HeldMessage.objects.filter(
        pk=action.held, platform=person.platform, workspace_id=person.workspace, user_id=person.user_id
    )
    held = mine.first()
    if held is None:
        return Replies((Notice(language, say("stale_action", language)),))
    language = language_of(person, default=Language.of_text(held.text))
    # Compare-and-set: the first click passes it on; "0 rows" means an earlier click did.
    if not mine.filter(case_number__isnull=True).update(case_number=action.number):
        return Replies((Notice(language, say("held_gone", language)),))
    files = tuple(FileLink(file.get("name", ""), file.get("url", "")) for file in held.files)
    writer = Person(person.platform, person.workspace, person.user_id, held.name)
    # The held message's own key, so it is recorded once even if it is chosen again after a failure.
    message = ChatMessage(writer, held.text, key=held.source_key.removeprefix(f"{person.platform}:"), files=files)
    try:
        _pass_on(message, action.number)
    except (Case.DoesNotExist, NotAllowed):
        mine.update(case_number=None)
        return Replies((Notice(language, say("case_not_found", language, number=str(action.number))),))
    return Replies((Notice(language, say("sent_to_case", language, number=str(action.number))),))


# Pieces ------------------------------------------------------------------------------


def _words(message: ChatMessage) -> dict:
    return {
        "author_name": message.person.name,
        "platform": message.person.platform,
        "text": message.text[:MAX_TEXT],
        "files": message.file_data(),
        "source_key": message.source_key,
    }


def _pass_on(message: ChatMessage, number: int) -> None:
    case_reporter_message(number=number, author=reporter_actor(message.person), **_words(message))


def _case_of_relayed(person: Person, *, conversation: str, message_id: str) -> Case | None:
    """The case whose relayed message this is a reply under, if it is the writer's own."""
    relayed = (
        Delivery.objects.filter(
            kind=Delivery.Kind.TO_REPORTER, message_ref=message_id, destination=f"{person.platform}:{conversation}"
        )
        .select_related("case")
        .first()
    )
    if relayed is None:
        return None
    case = relayed.case
    if not case.is_reporter(channel=person.platform, workspace_id=person.workspace, user_id=person.user_id):
        return None
    return case


def _which_case(message: ChatMessage, open_cases: list[Case]) -> Notice:
    """Hold the message and ask which case it is about: one button per open case."""
    person = message.person
    language = language_of(person, default=Language.of_text(message.text))
    held = _hold(message)
    buttons = tuple(
        Button(
            say("case_choice", language, number=str(case.number), summary=_summary(case)),
            RouteMessage(held.pk, case.number),
        )
        for case in open_cases
    )
    return Notice(language, say("which_case", language), buttons=buttons)


def _hold(message: ChatMessage) -> HeldMessage:
    person = message.person
    values = {
        "platform": person.platform,
        "workspace_id": person.workspace,
        "user_id": person.user_id,
        "name": storable(person.name)[:200],
        "text": mask_text(storable(message.text))[:MAX_TEXT],
        "files": [{"name": mask_text(f["name"]), "url": mask_text(f["url"])} for f in message.file_data()],
    }
    try:
        with transaction.atomic():
            return HeldMessage.objects.get_or_create(source_key=message.source_key, defaults=values)[0]
    except IntegrityError:  # held by a concurrent delivery of the same message
        return HeldMessage.objects.get(source_key=message.source_key)


def _summary(case: Case) -> str:
    text = " ".join((case.description or case.question or "").split())
    return text[:40] + ("…" if len(text) > 40 else "")
