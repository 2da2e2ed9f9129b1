"""Bolt listeners: Slack payloads into core calls, core replies into Block Kit.

Every listener acknowledges first. Work that talks to Slack or writes runs in
a lazy listener after the acknowledgement; if it fails, the person is told so.
What the bot says and decides is in ``supportbot.conversation``.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from faq.languages import Language
from faq.search import GenerationCache
from supportbot.conversation import dispatch, recording, relay
from supportbot.conversation.events import claim_event
from supportbot.conversation.grammar import Command, Intent, choose_language, parse_command
from supportbot.conversation.people import Person, known_locale, remember_locale
from supportbot.conversation.replies import (
    COMMENT_INPUT,
    AnswerDiagnosis,
    CaseConfirmation,
    CaseFormErrors,
    CaseFormRequest,
    CasePrefill,
    RateCase,
    Replies,
    RouteMessage,
    ShareAnswer,
    StartDiagnosis,
)
from supportbot.conversation.wording import say
from supportbot.slack import blocks, payloads
from supportbot.slack.blocks import Message
from supportbot.slack.payloads import PLATFORM, MalformedPayload

logger = logging.getLogger(__name__)

_MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")


def register(app: App) -> None:
    app.command(re.compile(r"^/wxbind"))(command_ack)
    app.action(re.compile(r".*"))(ack=just_ack, lazy=[handle_action])
    app.event("app_mention")(ack=just_ack, lazy=[answer_mention])
    # Apart, so that a lazy thread starts only for the messages that have work after the acknowledgement.
    app.event("message", matchers=[is_direct_message])(ack=take_direct_message, lazy=[answer_direct_message])
    app.event("message", matchers=[is_reply_under_a_case_card])(ack=take_case_thread_reply, lazy=[look_up_writer])
    app.event(re.compile(r".*"))(just_ack)
    app.view(blocks.MODAL_CALLBACK)(ack=submit_case, lazy=[confirm_case])
    app.view(re.compile(r".*"))(just_ack)  # stale modals
    app.error(handle_error)


def just_ack(ack: Ack) -> None:
    ack()


def handle_error(error: Exception, body: dict, response: BoltResponse | None) -> BoltResponse:
    if isinstance(error, MalformedPayload | KeyError | TypeError | ValueError):
        logger.warning("malformed Slack payload: %s", error)
        return BoltResponse(status=400, body=f"Malformed payload: {error}")
    logger.exception("Slack listener failed", exc_info=error)
    return BoltResponse(status=500, body="")


def telling_on_failure(listener):
    """A lazy listener that fails after the acknowledgement logs it and tells the person, never goes silent."""

    @functools.wraps(listener)
    def run(*args, **kwargs):
        try:
            return listener(*args, **kwargs)
        except Exception:
            logger.exception("Slack work after the acknowledgement failed (%s)", listener.__name__)
            respond = kwargs.get("respond")
            if respond is not None:
                try:
                    respond(response_type="ephemeral", replace_original=False, text=say("went_wrong", Language.EN))
                except Exception:
                    logger.exception("could not tell the user about the failure")
            return None

    return run


def _send(respond: Respond, replies: Replies, *, response_type: str = "ephemeral", replace: bool = False) -> None:
    messages = [message for reply in replies.replies for message in blocks.render(reply)]
    for number, message in enumerate(messages):
        respond(response_type=response_type, replace_original=replace and number == 0, **message.as_kwargs())


def _lookup_locale(client: WebClient, person: Person) -> str | None:
    """The person's Slack locale: from what we know, else asked of Slack once and kept."""
    locale = known_locale(person)
    if locale:
        return locale
    try:
        user = client.users_info(user=person.user_id, include_locale=True)["user"]
    except SlackApiError as error:
        logger.warning("users.info failed for %s: %s", person.user_id, error.response.get("error"))
        return None
    locale = user.get("locale") or "en-US"
    name = (user.get("profile") or {}).get("real_name") or user.get("name") or ""
    remember_locale(Person(PLATFORM, person.workspace, person.user_id, name), locale=locale)
    return locale


# /wxbind --------------------------------------------------------------------


@dataclass(frozen=True)
class Composed:
    """A reply to a command as Slack messages, and what to count about it."""

    messages: list[Message]
    replies: Replies
    ack_body: str  # the first message as the slash command's response, serialized once


_composed = GenerationCache(maxsize=4096)


def _compose(command: Command, language: Language) -> Composed:
    """Replies that are the same for everyone; repeated commands come from memory until the FAQ changes."""
    key = (command.intent, command.question, language, settings.WXBIND_BASE_URL)
    return _composed.get_or_compute(
        key, lambda: _composition(dispatch.respond(command, person=None, language=language))
    )


def _composition(replies: Replies) -> Composed:
    messages = [message for reply in replies.replies for message in blocks.render(reply)]
    ack_body = json.dumps({"response_type": "ephemeral", **messages[0].as_kwargs()}, ensure_ascii=False)
    return Composed(messages=messages, replies=replies, ack_body=ack_body)


def _later(context: BoltContext, request: BoltRequest, function) -> None:
    """Run ``function`` after the acknowledgement, on Bolt's lazy listener runner."""
    context.listener_runner.lazy_listener_runner.start(function=function, request=request)


@dataclass(frozen=True)
class _Acknowledgement:
    """Everything a repeated /wxbind from the same person needs, worked out once."""

    body: str
    language: Language
    composed: Composed
    needs_more: bool


_acknowledgements = GenerationCache(maxsize=8192)


def command_ack(ack: Ack, command: dict, context: BoltContext, request: BoltRequest) -> BoltResponse | None:
    text = command.get("text", "")
    key = (command.get("team_id"), command.get("user_id"), text)  # a plain tuple: this runs on every command
    known = _acknowledgements.get(key)
    if known is None:
        person = payloads.person_of_command(command)
        parsed = parse_command(text)
        if dispatch.is_personal(parsed) or parsed.intent is Intent.NEW_CASE:
            # About this person's cases, or a form to open: answered after acknowledging.
            ack()
            _later(context, request, answer_personal)
            return None
        known = _acknowledgements.get_or_compute(key, lambda: _acknowledgement(person, parsed), keep_none=False)
    else:
        person = Person(PLATFORM, key[0], key[1])
    if known is None:
        # First contact: the answer waits for the person's locale, fetched after acknowledging.
        ack()
        _later(context, request, answer_first_contact)
        return None
    if known.composed.replies.answered:
        recording.record_answered(known.composed.replies.answered, person=person, language=known.language)
    if known.needs_more:
        context["wxbind_rest"] = [message.as_kwargs() for message in known.composed.messages[1:]]
        _later(context, request, send_rest_of_answer)
    # Bolt sends a returned response as the acknowledgement; ours was serialized once, when first composed.
    return BoltResponse(status=200, body=known.body, headers={"content-type": "application/json;charset=utf-8"})


def _acknowledgement(person: Person, parsed: Command) -> _Acknowledgement | None:
    locale = known_locale(person)
    if parsed.language is None and locale is None:
        return None
    language = choose_language(explicit=parsed.language, locale=locale, question=parsed.question)
    composed = _compose(parsed, language)
    return _Acknowledgement(
        body=composed.ack_body,
        language=language,
        composed=composed,
        # More messages to send, or a locale to learn for next time.
        needs_more=len(composed.messages) > 1 or locale is None,
    )


@telling_on_failure
def answer_first_contact(command: dict, respond: Respond, client: WebClient) -> None:
    person = payloads.person_of_command(command)
    parsed = parse_command(command.get("text", ""))
    language = choose_language(explicit=None, locale=_lookup_locale(client, person), question=parsed.question)
    composed = _compose(parsed, language)
    for message in composed.messages:
        respond(response_type="ephemeral", replace_original=False, **message.as_kwargs())
    if composed.replies.answered:
        recording.record_answered(composed.replies.answered, person=person, language=language)


@telling_on_failure
def send_rest_of_answer(command: dict, context: BoltContext, respond: Respond, client: WebClient) -> None:
    """The rest of a long answer; and, for someone who chose a language, their locale for next time."""
    for message in context.get("wxbind_rest", []):
        respond(response_type="ephemeral", replace_original=False, **message)
    _lookup_locale(client, payloads.person_of_command(command))


@telling_on_failure
def answer_personal(command: dict, respond: Respond, client: WebClient) -> None:
    """`/wxbind cases`, `/wxbind case <number>` and `/wxbind case`."""
    person = payloads.person_of_command(command)
    parsed = parse_command(command.get("text", ""))
    language = choose_language(explicit=parsed.language, locale=_lookup_locale(client, person))
    replies = dispatch.respond(parsed, person=person, language=language)
    if _opens_form(replies, client, trigger_id=command.get("trigger_id"), channel=command.get("channel_id", "")):
        return
    _send(respond, replies)


def _opens_form(replies: Replies, client: WebClient, *, trigger_id, channel: str) -> bool:
    """A case form is a modal on Slack: open it (a trigger id lets the bot do so for a few seconds)."""
    forms = [reply for reply in replies.replies if isinstance(reply, CaseFormRequest)]
    if not forms or not isinstance(trigger_id, str):
        return False
    client.views_open(trigger_id=trigger_id, view=blocks.case_modal(forms[0], channel=channel))
    return True


# Buttons --------------------------------------------------------------------


@telling_on_failure
def handle_action(body: dict, respond: Respond, client: WebClient) -> None:
    clicked = body.get("actions")
    if not isinstance(clicked, list) or not clicked:
        raise MalformedPayload("missing actions")
    action = payloads.decode(clicked[0])
    if action is None:
        return  # a link button, or something stale: nothing to do
    if isinstance(action, RateCase):
        comment = payloads.typed_in_message(body, blocks.SURVEY_BLOCK, COMMENT_INPUT)
        action = RateCase(action.number, action.score, comment)
    person = payloads.person_of_interaction(body)
    replies = dispatch.act(action, person=person)
    channel = (body.get("channel") or {}).get("id", "") if isinstance(body.get("channel"), dict) else ""
    if _opens_form(replies, client, trigger_id=body.get("trigger_id"), channel=channel):
        return
    if replies.answered:
        recording.record_answered(replies.answered, person=person)
    if isinstance(action, ShareAnswer):
        _send(respond, replies, response_type="in_channel")
        return
    block_id = str(clicked[0].get("block_id", ""))
    in_place = isinstance(action, AnswerDiagnosis | RateCase | RouteMessage) or (
        isinstance(action, StartDiagnosis) and block_id.startswith("wxbind_diagnosis")
    )
    _send(respond, replies, replace=in_place)


# The case form ----------------------------------------------------------------


def submit_case(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    """Open the case from the modal, or show what to fix inside it. Runs before the acknowledgement."""
    person = payloads.person_of_interaction(body)
    metadata = payloads.decode_value(view.get("private_metadata", ""))
    outcome = dispatch.submit_case_form(
        person=person,
        prefill=CasePrefill.from_data(metadata),
        fields=payloads.form_fields(view),
        # A double submit or a Slack retry of the same modal opens one case.
        source_key=f"slack:view:{payloads.text_field(view, 'id')[:100]}",
        chat_channel=str(metadata.get("ch") or "")[:64],
    )
    if isinstance(outcome, CaseFormErrors):
        ack(**blocks.form_errors(outcome))
        return
    ack()
    context["wxbind_confirmation"] = outcome  # None when this form had opened its case already


@telling_on_failure
def confirm_case(body: dict, context: BoltContext, client: WebClient) -> None:
    """After the modal closed: tell the reporter the case number, in their conversation with the bot."""
    confirmation: CaseConfirmation | None = context.get("wxbind_confirmation")
    if confirmation is None:
        return
    person = payloads.person_of_interaction(body)
    for message in blocks.render(confirmation):
        client.chat_postMessage(channel=person.user_id, **message.as_kwargs())


# Events ---------------------------------------------------------------------


def _answer_event(body: dict, client: WebClient, *, in_thread: bool) -> None:
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    if event.get("bot_id") or event.get("subtype"):
        return
    event_id = body.get("event_id") or f"{event.get('channel')}:{event.get('ts')}"
    if not claim_event(platform=PLATFORM, event_id=str(event_id)):
        logger.info("ignoring repeated Slack event %s", event_id)
        return
    person = payloads.person_of_event(body, event)
    channel = payloads.text_field(event, "channel")
    parsed = parse_command(_MENTION.sub(" ", str(event.get("text", ""))))
    language = choose_language(
        explicit=parsed.language, locale=_lookup_locale(client, person), question=parsed.question
    )
    if dispatch.is_personal(parsed) or parsed.intent is Intent.NEW_CASE:
        replies = dispatch.respond(parsed, person=person, language=language)
    else:
        replies = _compose(parsed, language).replies
    thread = (event.get("thread_ts") or event.get("ts")) if in_thread else None
    private = in_thread and dispatch.is_personal(parsed)  # someone's cases are not for the whole channel
    for reply in replies.replies:
        for message in blocks.render(reply):
            if private:
                client.chat_postEphemeral(channel=channel, user=person.user_id, **message.as_kwargs())
            else:
                client.chat_postMessage(channel=channel, thread_ts=thread, **message.as_kwargs())
    if replies.answered:
        recording.record_answered(replies.answered, person=person, language=language)


@telling_on_failure
def answer_mention(body: dict, client: WebClient) -> None:
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    thread = event.get("thread_ts")
    if isinstance(thread, str) and relay.is_case_thread(PLATFORM, str(event.get("channel", "")), thread):
        return  # written to the reporter, not asked of the bot: the message listener relays it
    _answer_event(body, client, in_thread=True)


# Messages: relayed through a case, or questions in a direct message ----------------------

_DIRECT = "wxbind_direct"  # what take_direct_message decided, for the lazy listener


def is_direct_message(event: dict, context: BoltContext) -> bool:
    return event.get("channel_type") == "im" and payloads.is_written_by_a_person(event, bot_user_id=context.bot_user_id)


def is_reply_under_a_case_card(event: dict, context: BoltContext) -> bool:
    thread = _thread_of(event)
    return (
        bool(thread)
        and payloads.is_written_by_a_person(event, bot_user_id=context.bot_user_id)
        and relay.is_case_thread(PLATFORM, payloads.text_field(event, "channel"), thread)
    )


def _thread_of(event: dict) -> str:
    """The thread a reply is in; "" for a top-level message (whose thread, if any, is its own)."""
    thread = event.get("thread_ts")
    return thread if isinstance(thread, str) and thread != event.get("ts") else ""


def take_direct_message(ack: Ack, body: dict, event: dict, context: BoltContext) -> None:
    """A direct message is the reporter's side of their case, recorded before acknowledging so a retry finds it.

    Someone with no open case is asking a question instead: answered after
    the acknowledgement. The sending happens on workers.
    """
    message = payloads.chat_message(event, payloads.person_of_event(body, event))
    replies = relay.from_reporter(message, conversation=payloads.text_field(event, "channel"), thread=_thread_of(event))
    context[_DIRECT] = "question" if replies is None else replies
    ack()


def take_case_thread_reply(ack: Ack, body: dict, event: dict) -> None:
    """A reply under a case card is the agents' side, recorded before acknowledging so a retry finds it."""
    message = payloads.chat_message(event, payloads.person_of_event(body, event))
    relay.from_case_thread(message, conversation=payloads.text_field(event, "channel"), thread=_thread_of(event))
    ack()


@telling_on_failure
def look_up_writer(body: dict, event: dict, client: WebClient) -> None:
    """The writer's name and language, for the reporter's side, asked of Slack once acknowledged."""
    _lookup_locale(client, payloads.person_of_event(body, event))


@telling_on_failure
def answer_direct_message(body: dict, context: BoltContext, client: WebClient) -> None:
    decided = context.get(_DIRECT)
    if decided == "question":
        _answer_event(body, client, in_thread=False)
    elif isinstance(decided, Replies) and decided.replies:
        event = body["event"]
        if not claim_event(platform=PLATFORM, event_id=str(body.get("event_id") or event.get("ts"))):
            return
        for reply in decided.replies:
            for message in blocks.render(reply):
                client.chat_postMessage(channel=event["channel"], **message.as_kwargs())
