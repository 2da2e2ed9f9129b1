"""Teams activities into core calls, core replies into Adaptive Cards sent through the Bot Connector.

One function per kind of activity: a message (a question or a command), a card
button (an ``Action.Submit`` arrives as a message with a ``value``, an
``Action.Execute`` as an ``adaptiveCard/action`` invoke), a filled case form,
and the bot being installed. What the bot says and decides is in
``supportbot.conversation``.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from faq.languages import Language
from faq.search import GenerationCache
from supportbot.conversation import dispatch, recording, relay
from supportbot.conversation.events import claim_event
from supportbot.conversation.grammar import Command, Intent, choose_language, parse_command
from supportbot.conversation.people import Person, known_locale, remember_locale, route_of
from supportbot.conversation.replies import (
    AnswerDiagnosis,
    CasePrefill,
    Notice,
    RateCase,
    Replies,
    RouteMessage,
)
from supportbot.conversation.wording import say
from supportbot.teams import cards, payloads
from supportbot.teams.connector import connector
from supportbot.teams.payloads import PLATFORM, MalformedActivity
from supportbot.teams.platform import TeamsPlatform, activity, route

logger = logging.getLogger(__name__)

INVOKE_DONE = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": ""}


@dataclass(frozen=True)
class Outcome:
    """What the endpoint answers Teams: a status, and a body for invokes."""

    status: int = 200
    body: dict | None = None


@dataclass(frozen=True)
class Turn:
    """Where an activity came from, so replies go back there."""

    person: Person
    service_url: str
    conversation: str
    conversation_type: str
    activity_id: str
    reply_to: str  # the card a button was on
    locale: str
    sender: str  # the sender's Teams id (29:…), which reaches them where their Entra id may not

    @classmethod
    def of(cls, activity: dict) -> Turn:
        conversation, kind = payloads.conversation_of(activity)
        return cls(
            person=payloads.person_of(activity),
            service_url=payloads.service_url_of(activity),
            conversation=conversation,
            conversation_type=kind,
            activity_id=str(activity.get("id") or "")[:200],
            reply_to=str(activity.get("replyToId") or "")[:200],
            locale=payloads.locale_of(activity),
            sender=payloads.sender_id_of(activity),
        )

    @property
    def is_personal(self) -> bool:
        return self.conversation_type == "personal"


def handle(activity: dict) -> Outcome:
    kind = activity.get("type")
    if not isinstance(kind, str):
        raise MalformedActivity("missing type")
    if kind == "message":
        turn = Turn.of(activity)
        if activity.get("value") is not None and not payloads.text_of(activity):
            _card_action(turn, activity.get("value"))
        else:
            _message(turn, activity)
        return Outcome()
    if kind == "invoke":
        if activity.get("name") != "adaptiveCard/action":
            return Outcome(200, {})
        turn = Turn.of(activity)
        _card_action(turn, payloads.invoke_data(activity))
        return Outcome(200, INVOKE_DONE)
    if kind in {"conversationUpdate", "installationUpdate"}:
        _installed(Turn.of(activity), activity)
    return Outcome()


# Sending ---------------------------------------------------------------------------------


def _send(turn: Turn, replies: Replies | list, *, thread: bool = True) -> None:
    items = replies.replies if isinstance(replies, Replies) else replies
    reply_to = turn.activity_id if thread else ""
    for reply in items:
        for card in cards.render(reply):
            _post(turn, card, reply_to=reply_to)


def _post(turn: Turn, card: cards.Card, *, reply_to: str = "") -> None:
    connector.post(
        service_url=turn.service_url, conversation=turn.conversation, activity=activity(card, reply_to=reply_to)
    )


def _replace(turn: Turn, card: cards.Card) -> None:
    """Show ``card`` in place of the card the button was on (or below it, where Teams did not say which)."""
    if not turn.reply_to:
        _post(turn, card)
        return
    connector.update(
        service_url=turn.service_url,
        conversation=turn.conversation,
        activity_id=turn.reply_to,
        activity=activity(card),
    )


def _send_privately(turn: Turn, replies: Replies) -> None:
    """Someone's own cases go to their chat with the bot, not to a channel everyone reads."""
    teams = TeamsPlatform()
    address = teams.direct_address(
        workspace=turn.person.workspace,
        user_id=turn.person.user_id,
        route=route_of(turn.person) or route(service_url=turn.service_url, user=turn.sender),
    )
    for reply in replies.replies:
        teams.send(address, reply)


# Messages -------------------------------------------------------------------------------

_composed = GenerationCache(maxsize=4096)
_seen_routes: OrderedDict[tuple, None] = OrderedDict()
_seen_lock = threading.Lock()
_SEEN_SIZE = 10_000


def _compose(command: Command, language: Language) -> tuple[Replies, list[cards.Card]]:
    """Replies that are the same for everyone, with their cards; from memory until the FAQ changes."""
    key = (command.intent, command.question, language, settings.WXBIND_BASE_URL)

    def compute():
        replies = dispatch.respond(command, person=None, language=language)
        return replies, [card for reply in replies.replies for card in cards.render(reply)]

    return _composed.get_or_compute(key, compute)


def _remember(turn: Turn) -> None:
    """Keep the person's locale, name and how to reach them, writing only when something changed."""
    if not (turn.is_personal or turn.locale):
        return
    reach = route(
        service_url=turn.service_url, conversation=turn.conversation if turn.is_personal else "", user=turn.sender
    )
    key = (turn.person, turn.locale, reach)
    with _seen_lock:
        if key in _seen_routes:
            return
    remember_locale(
        turn.person,
        locale=turn.locale or known_locale(turn.person) or "",
        route=reach,
        route_is_best=turn.is_personal,  # their own chat with the bot beats opening one from a channel
    )
    with _seen_lock:
        _seen_routes[key] = None
        while len(_seen_routes) > _SEEN_SIZE:
            _seen_routes.popitem(last=False)


def forget_seen() -> None:
    with _seen_lock:
        _seen_routes.clear()


def _message(turn: Turn, activity: dict) -> None:
    if _belongs_to_a_case(turn, activity):
        return
    if not claim_event(platform=PLATFORM, event_id=f"{turn.conversation[:60]}:{turn.activity_id}"):
        logger.info("ignoring repeated Teams activity %s", turn.activity_id)
        return
    parsed = parse_command(payloads.text_of(activity))
    _remember(turn)
    language = choose_language(
        explicit=parsed.language, locale=turn.locale or known_locale(turn.person), question=parsed.question
    )
    if dispatch.is_personal(parsed):
        replies = dispatch.respond(parsed, person=turn.person, language=language)
        if turn.is_personal:
            _send(turn, replies)
        else:
            _send_privately(turn, replies)
        return
    if parsed.intent is Intent.NEW_CASE:
        _send(turn, dispatch.respond(parsed, person=turn.person, language=language))
        return
    replies, rendered = _compose(parsed, language)
    for card in rendered:
        _post(turn, card, reply_to=turn.activity_id)
    if replies.answered:
        recording.record_answered(replies.answered, person=turn.person, language=language)


def _belongs_to_a_case(turn: Turn, activity: dict) -> bool:
    """A reply under a case card in a channel (the agents' side), or a reporter's message about their case.

    Recorded here, before Teams is answered; workers relay it. True when there is nothing more to do.
    """
    if payloads.is_from_a_bot(activity):
        return True
    base, _, thread = turn.conversation.partition(";messageid=")
    if turn.conversation_type == "channel" and thread:
        message = payloads.chat_message(activity, turn.person, conversation=base)
        return relay.from_case_thread(message, conversation=base, thread=thread)
    if not turn.is_personal:
        return False
    message = payloads.chat_message(activity, turn.person, conversation=turn.conversation)
    replies = relay.from_reporter(message, conversation=turn.conversation)
    if replies is None:
        return False
    _remember(turn)
    _send(turn, replies, thread=False)
    return True


# Card buttons ---------------------------------------------------------------------------


def _card_action(turn: Turn, data) -> None:
    _remember(turn)  # a refusal or a reminder later is in their language
    if payloads.is_case_form(data):
        _submit_case_form(turn, data)
        return
    action = payloads.decode(data)
    if action is None:
        return  # not one of our cards: nothing to do
    replies = dispatch.act(action, person=turn.person)
    if replies.answered:
        recording.record_answered(replies.answered, person=turn.person)
    if isinstance(action, AnswerDiagnosis | RateCase | RouteMessage) and len(replies.replies) == 1:
        _replace(turn, cards.render(replies.replies[0])[0])  # the diagnosis moves on in place; a survey is answered
        return
    _send(turn, replies, thread=False)


def _submit_case_form(turn: Turn, data: dict) -> None:
    prefill = CasePrefill.from_data(data)
    fields = payloads.form_fields(data)
    form_card = turn.reply_to or turn.activity_id
    outcome = dispatch.submit_case_form(
        person=turn.person,
        prefill=prefill,
        fields=fields,
        # A double click or a redelivery of the same card's submit opens one case.
        source_key=f"teams:form:{turn.conversation[:80]}:{form_card}",
        chat_channel=turn.conversation[:64],
    )
    replacement = cards.submitted_form_card(dispatch.case_form(prefill), outcome, fields)
    if replacement is not None:
        _replace(turn, replacement)


# Installation ---------------------------------------------------------------------------


def _installed(turn: Turn, activity: dict) -> None:
    """Remember how to reach whoever installed the bot, and say hello once where it arrived."""
    if turn.is_personal:
        _remember(turn)
    if not _bot_arrived(activity):
        return
    day = timezone.now().date().isoformat()
    if not claim_event(platform=PLATFORM, event_id=f"hello:{turn.conversation[:80]}:{day}"):
        return  # Teams tells of one installation twice (conversationUpdate and installationUpdate)
    language = choose_language(explicit=None, locale=turn.locale or known_locale(turn.person))
    if turn.is_personal:
        _send(turn, [dispatch.help_reply(language)], thread=False)
        return
    channel = turn.conversation.split(";messageid=")[0]
    text = say("channel_ready", language, setting="TEAMS_SUPPORT_CONVERSATION", conversation=channel)
    _send(turn, [Notice(language, text)], thread=False)


def _bot_arrived(activity: dict) -> bool:
    if activity.get("type") == "installationUpdate":
        return str(activity.get("action") or "").startswith("add")
    recipient = activity.get("recipient") if isinstance(activity.get("recipient"), dict) else {}
    added = activity.get("membersAdded") if isinstance(activity.get("membersAdded"), list) else []
    return any(isinstance(member, dict) and member.get("id") == recipient.get("id") for member in added)
