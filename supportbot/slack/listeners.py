"""Bolt listeners: translate Slack payloads into conversation calls and replies into Block Kit.

Every listener acknowledges first. Work that talks to Slack or writes
statistics runs in a lazy listener after the acknowledgement.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from faq.answers import AnswerKind
from faq.languages import Language
from faq.search import GenerationCache
from supportbot import conversation
from supportbot.chat_users import known_locale, remember_locale
from supportbot.conversation import Asker, Command, Intent, Notice
from supportbot.models import ChatEventReceipt, ChatUser
from supportbot.slack import blocks, cases
from supportbot.slack.blocks import Message, decode_value

logger = logging.getLogger(__name__)

PLATFORM = ChatUser.Platform.SLACK
_MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")


class MalformedPayload(ValueError):
    """A signed request whose content is not what Slack sends."""


def register(app: App) -> None:
    app.command(re.compile(r"^/wxbind"))(command_ack)
    app.action(re.compile(r"^topic:"))(ack=just_ack, lazy=[show_topic])
    app.action(re.compile(r"^feedback:(yes|no)$"))(ack=just_ack, lazy=[record_feedback])
    app.action("answer:share")(ack=just_ack, lazy=[share_answer])
    app.action("case:open")(ack=just_ack, lazy=[cases.open_case_modal])
    app.action(re.compile(r"^case:(assign_me|assign_to|wait|resolve|reopen|reporter_replied)$"))(
        ack=just_ack, lazy=[cases.move_case]
    )
    app.action("diagnosis:start")(ack=just_ack, lazy=[start_diagnosis])
    app.action(re.compile(r"^diagnosis:(yes|no)$"))(ack=just_ack, lazy=[continue_diagnosis])
    app.action(re.compile(r".*"))(just_ack)  # link buttons and anything stale: nothing to do
    app.event("app_mention")(ack=just_ack, lazy=[answer_mention])
    app.event({"type": "message", "channel_type": "im"})(ack=just_ack, lazy=[answer_direct_message])
    app.event(re.compile(r".*"))(just_ack)
    app.view(cases.MODAL_CALLBACK)(ack=cases.submit_case, lazy=[cases.announce_case])
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


# Who is asking -------------------------------------------------------------


def _field(payload: dict, *path: str) -> str:
    value = payload
    for key in path:
        if not isinstance(value, dict) or not isinstance(value.get(key), str | dict):
            raise MalformedPayload(f"missing {'.'.join(path)}")
        value = value[key]
    if not isinstance(value, str) or not value:
        raise MalformedPayload(f"missing {'.'.join(path)}")
    return value


def _asker_of_command(command: dict) -> Asker:
    return Asker("slack", _field(command, "team_id"), _field(command, "user_id"))


def _asker_of_action(body: dict) -> Asker:
    team = body.get("team") or {}
    return Asker("slack", team.get("id") or _field(body, "user", "team_id"), _field(body, "user", "id"))


def _lookup_locale(client: WebClient, asker: Asker) -> str | None:
    """The user's Slack locale: from what we know, else asked of Slack once and kept."""
    locale = known_locale(platform=PLATFORM, workspace_id=asker.workspace_id, user_id=asker.user_id)
    if locale:
        return locale
    try:
        user = client.users_info(user=asker.user_id, include_locale=True)["user"]
    except SlackApiError as error:
        logger.warning("users.info failed for %s: %s", asker.user_id, error.response.get("error"))
        return None
    locale = user.get("locale") or "en-US"
    name = (user.get("profile") or {}).get("real_name") or user.get("name") or ""
    remember_locale(
        platform=PLATFORM, workspace_id=asker.workspace_id, user_id=asker.user_id, locale=locale, display_name=name
    )
    return locale


def _entry_url(slug: str) -> str | None:
    base = settings.WXBIND_BASE_URL
    return f"{base}{reverse('faq:entry', args=[slug])}" if base else None


def _action_value(body: dict) -> dict:
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
        raise MalformedPayload("missing actions")
    return decode_value(actions[0].get("value", ""))


def _language_of(value: dict) -> Language:
    try:
        return Language.parse(value.get("l"), default=Language.EN)
    except ValueError:
        return Language.EN


def _send(respond: Respond, messages: list[Message], *, response_type: str = "ephemeral", replace: bool = False):
    for number, message in enumerate(messages):
        respond(response_type=response_type, replace_original=replace and number == 0, **message.as_kwargs())


# /wxbind --------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    messages: list[Message]
    record: dict | None  # what to count about it, if it answered a question
    ack_body: str  # the first message as the slash command's response, serialized once


_replies = GenerationCache(maxsize=4096)


def _reply(command: Command, language: Language) -> Reply:
    """The reply to a command; repeated commands come from memory until the FAQ changes."""
    key = (command.intent, command.question, language, settings.WXBIND_BASE_URL)
    return _replies.get_or_compute(key, lambda: _compose_reply(command, language))


def _compose_reply(command: Command, language: Language) -> Reply:
    record = None
    match command.intent:
        case Intent.HELP:
            messages = [blocks.help_message(conversation.help_reply(language))]
        case Intent.DIAGNOSE:
            reply = conversation.start_diagnosis(language)
            messages = [blocks.notice_message(reply) if isinstance(reply, Notice) else blocks.diagnosis_message(reply)]
        case _:
            answer = conversation.answer(question=command.question, language=language)
            slug = answer.entry.slug if answer.entry else None
            record = {
                "entry_id": answer.entry.pk if answer.entry else None,
                "confident": answer.kind is AnswerKind.ANSWER,
                "question": answer.question,
            }
            messages = blocks.answer_messages(answer, entry_url=_entry_url(slug) if slug else None)
    ack_body = json.dumps({"response_type": "ephemeral", **messages[0].as_kwargs()}, ensure_ascii=False)
    return Reply(messages=messages, record=record, ack_body=ack_body)


def _later(context: BoltContext, request: BoltRequest, function) -> None:
    """Run ``function`` after the acknowledgement, on Bolt's lazy listener runner."""
    context.listener_runner.lazy_listener_runner.start(function=function, request=request)


@dataclass(frozen=True)
class _Acknowledgement:
    """Everything a repeated /wxbind from the same person needs, worked out once."""

    body: str
    language: Language
    record: dict | None
    needs_followup: bool


_acknowledgements = GenerationCache(maxsize=8192)


def command_ack(ack: Ack, command: dict, context: BoltContext, request: BoltRequest) -> BoltResponse | None:
    text = command.get("text", "")
    if _is_case_command(text):
        return _case_command(ack, command, context, request, text)
    key = (command.get("team_id"), command.get("user_id"), text)  # a plain tuple: this runs on every command
    known = _acknowledgements.get(key)
    if known is None:
        asker = _asker_of_command(command)
        known = _acknowledgements.get_or_compute(key, lambda: _acknowledgement(asker, text), keep_none=False)
    else:
        asker = Asker("slack", key[0], key[1])
    if known is None:
        # First contact: the answer waits for the user's locale, fetched after acknowledging.
        ack()
        _later(context, request, answer_first_contact)
        return None
    if known.record:
        conversation.record_reply(language=known.language, asker=asker, **known.record)
    if known.needs_followup:
        reply = _reply(conversation.parse_command(text), known.language)
        context["wxbind_followups"] = [message.as_kwargs() for message in reply.messages[1:]]
        _later(context, request, send_followups)
    # Bolt sends a returned response as the acknowledgement; ours was serialized once, when first composed.
    return BoltResponse(status=200, body=known.body, headers={"content-type": "application/json;charset=utf-8"})


def _acknowledgement(asker: Asker, text: str) -> _Acknowledgement | None:
    parsed = conversation.parse_command(text)
    locale = known_locale(platform=PLATFORM, workspace_id=asker.workspace_id, user_id=asker.user_id)
    if parsed.language is None and locale is None:
        return None
    language = conversation.choose_language(explicit=parsed.language, locale=locale, question=parsed.question)
    reply = _reply(parsed, language)
    return _Acknowledgement(
        body=reply.ack_body,
        language=language,
        record=reply.record,
        # More messages to send, or a locale to learn for next time.
        needs_followup=len(reply.messages) > 1 or locale is None,
    )


_CASE_WORDS = conversation.MY_CASES_WORDS | conversation.CASE_WORDS
_LANGUAGE_WORDS = {"en", "zh", "中文", "english"}


def _is_case_command(text: str) -> bool:
    words = text.lower().split(maxsplit=2)
    if words and words[0] in _LANGUAGE_WORDS:
        words = words[1:]
    return bool(words) and words[0] in _CASE_WORDS


def _case_command(ack: Ack, command: dict, context: BoltContext, request: BoltRequest, text: str) -> None:
    """`/wxbind cases`, `/wxbind case <number>` and `/wxbind case`: answered after the acknowledgement."""
    parsed = conversation.parse_command(text)
    asker = _asker_of_command(command)
    locale = known_locale(platform=PLATFORM, workspace_id=asker.workspace_id, user_id=asker.user_id)
    context["wxbind_language"] = conversation.choose_language(explicit=parsed.language, locale=locale).value
    ack()
    if parsed.intent is Intent.CASE and not parsed.question:
        _later(context, request, cases.open_case_from_command)
    else:
        _later(context, request, cases.show_cases)


def answer_first_contact(command: dict, respond: Respond, client: WebClient) -> None:
    asker = _asker_of_command(command)
    parsed = conversation.parse_command(command.get("text", ""))
    locale = _lookup_locale(client, asker)
    language = conversation.choose_language(explicit=None, locale=locale, question=parsed.question)
    reply = _reply(parsed, language)
    _send(respond, reply.messages)
    if reply.record:
        conversation.record_reply(language=language, asker=asker, **reply.record)


def send_followups(command: dict, context: BoltContext, respond: Respond, client: WebClient) -> None:
    """The rest of a long answer; and, for someone who chose a language, their locale for next time."""
    for followup in context.get("wxbind_followups", []):
        respond(response_type="ephemeral", replace_original=False, **followup)
    _lookup_locale(client, _asker_of_command(command))


# Buttons --------------------------------------------------------------------


def _clicked_topic(body: dict, respond: Respond):
    """The answer for the topic a button names, or None after telling the user it is gone."""
    value = _action_value(body)
    reply = conversation.topic(slug=str(value.get("s", "")), language=_language_of(value))
    if isinstance(reply, Notice):
        _send(respond, [blocks.notice_message(reply)])
        return None
    return reply


def show_topic(body: dict, respond: Respond) -> None:
    if (reply := _clicked_topic(body, respond)) is None:
        return
    _send(respond, blocks.answer_messages(reply, entry_url=_entry_url(reply.entry.slug)))
    conversation.record_answer_shown(answer=reply, asker=_asker_of_action(body))


def record_feedback(body: dict, respond: Respond) -> None:
    value = _action_value(body)
    language = _language_of(value)
    helpful = body["actions"][0]["action_id"] == "feedback:yes"
    slug, question = str(value.get("s", "")), str(value.get("q", ""))
    conversation.record_verdict(
        slug=slug, helpful=helpful, question=question, language=language, asker=_asker_of_action(body)
    )
    if helpful:
        _send(respond, [blocks.notice_message(Notice(language=language, key="thanks_helpful"))])
    else:
        _send(respond, [blocks.not_helpful_message(language=language, slug=slug, question=question)])


def share_answer(body: dict, respond: Respond) -> None:
    if (reply := _clicked_topic(body, respond)) is None:
        return
    asker = _asker_of_action(body)
    _send(respond, blocks.shared_messages(reply, user_id=asker.user_id), response_type="in_channel")


def start_diagnosis(body: dict, respond: Respond) -> None:
    action = body["actions"][0]
    language = _language_of({"l": action.get("value")})
    reply = conversation.start_diagnosis(language)
    message = blocks.notice_message(reply) if isinstance(reply, Notice) else blocks.diagnosis_message(reply)
    in_place = str(action.get("block_id", "")).startswith("wxbind_diagnosis")
    _send(respond, [message], replace=in_place)


def continue_diagnosis(body: dict, respond: Respond) -> None:
    value = _action_value(body)
    language = _language_of(value)
    ruled_out = value.get("r") if isinstance(value.get("r"), list) else []
    reply = conversation.continue_diagnosis(
        step_key=str(value.get("k", "")),
        reply=body["actions"][0]["action_id"].split(":")[1],
        ruled_out=tuple(str(key) for key in ruled_out),
        language=language,
    )
    message = blocks.notice_message(reply) if isinstance(reply, Notice) else blocks.diagnosis_message(reply)
    _send(respond, [message], replace=True)


# Events ---------------------------------------------------------------------


def _first_time(event_id: str) -> bool:
    """Claim an event; False when it was handled already (a Slack retry)."""
    try:
        with transaction.atomic():
            ChatEventReceipt.objects.create(platform=PLATFORM, event_id=event_id[:128])
    except IntegrityError:
        return False
    return True


def _answer_event(body: dict, client: WebClient, *, in_thread: bool) -> None:
    event = body.get("event") or {}
    if event.get("bot_id") or event.get("subtype"):
        return
    event_id = body.get("event_id") or f"{event.get('channel')}:{event.get('ts')}"
    if not _first_time(str(event_id)):
        logger.info("ignoring repeated Slack event %s", event_id)
        return
    asker = Asker("slack", str(body.get("team_id") or event.get("team") or ""), _field(event, "user"))
    parsed = conversation.parse_command(_MENTION.sub(" ", str(event.get("text", ""))))
    language = conversation.choose_language(
        explicit=parsed.language, locale=_lookup_locale(client, asker), question=parsed.question
    )
    reply = _reply(parsed, language)
    channel = _field(event, "channel")
    thread = event.get("thread_ts") or event.get("ts") if in_thread else None
    for message in reply.messages:
        client.chat_postMessage(channel=channel, thread_ts=thread, **message.as_kwargs())
    if reply.record:
        conversation.record_reply(language=language, asker=asker, **reply.record)


def answer_mention(body: dict, client: WebClient) -> None:
    _answer_event(body, client, in_thread=True)


def answer_direct_message(body: dict, client: WebClient) -> None:
    _answer_event(body, client, in_thread=False)
