"""Slack payloads ↔ the core's people and actions.

Every button the bot renders carries a core action encoded as an
``action_id`` and a compact JSON ``value``; this module is the one place that
encodes and decodes them, and that reads who sent a payload.
"""

from __future__ import annotations

import html
import json
import re

from cases.states import Action as Move
from supportbot.conversation import dispatch
from supportbot.conversation.people import Person
from supportbot.conversation.relay import ChatMessage
from supportbot.conversation.replies import (
    ASSIGN_ME,
    AnswerDiagnosis,
    CasePrefill,
    FileLink,
    GiveFeedback,
    MoveCase,
    OpenCase,
    RateCase,
    RouteMessage,
    ShareAnswer,
    ShowTopic,
    StartDiagnosis,
    data_language,
    data_text,
)
from supportbot.slack.files import shareable_url

PLATFORM = "slack"
MAX_BUTTON_VALUE = 2000
MOVES = frozenset({ASSIGN_ME, "assign_to", Move.WAIT, Move.RESOLVE, Move.REOPEN, Move.REPORTER_REPLIED})


class MalformedPayload(ValueError):
    """A signed request whose content is not what Slack sends."""


# Who sent it -----------------------------------------------------------------------


def text_field(payload, *path: str) -> str:
    value = payload
    for key in path:
        if not isinstance(value, dict) or not isinstance(value.get(key), str | dict):
            raise MalformedPayload(f"missing {'.'.join(path)}")
        value = value[key]
    if not isinstance(value, str) or not value:
        raise MalformedPayload(f"missing {'.'.join(path)}")
    return value


def person_of_command(command: dict) -> Person:
    return Person(
        PLATFORM, text_field(command, "team_id"), text_field(command, "user_id"), command.get("user_name") or ""
    )


def person_of_interaction(body: dict) -> Person:
    team = body.get("team") if isinstance(body.get("team"), dict) else {}
    user = body.get("user") if isinstance(body.get("user"), dict) else {}
    workspace = team.get("id") or user.get("team_id") or ""
    if not isinstance(workspace, str) or not workspace:
        raise MalformedPayload("missing team.id")
    return Person(PLATFORM, workspace, text_field(body, "user", "id"), str(user.get("name") or ""))


def person_of_event(body: dict, event: dict) -> Person:
    workspace = body.get("team_id") or event.get("team") or ""
    return Person(PLATFORM, str(workspace), text_field(event, "user"))


# Actions as buttons ------------------------------------------------------------------


def encode(action) -> tuple[str, str]:
    """A core action as a Slack button's action_id and value."""
    match action:
        case ShowTopic(slug=slug, language=language):
            return f"topic:{slug}", _value({"s": slug, "l": language.value})
        case GiveFeedback(slug=slug, helpful=helpful, question=question, language=language):
            return f"feedback:{'yes' if helpful else 'no'}", _value({"s": slug, "l": language.value, "q": question})
        case ShareAnswer(slug=slug, language=language):
            return "answer:share", _value({"s": slug, "l": language.value})
        case StartDiagnosis(language=language):
            return "diagnosis:start", language.value
        case AnswerDiagnosis(step=step, reply=reply, ruled_out=ruled_out, language=language):
            return f"diagnosis:{reply}", _value({"k": step, "r": list(ruled_out), "l": language.value})
        case OpenCase(prefill=prefill):
            return "case:open", _value(prefill.to_data())
        case MoveCase(number=number, move=move):
            return f"case:{move}", str(number)
        case RateCase(number=number, score=score):
            return f"rate:{score}", str(number)
        case RouteMessage(held=held, number=number):
            return f"relay:{number}", _value({"h": held, "n": number})  # action ids are unique in a block
    raise TypeError(f"not an action: {action!r}")


def decode(action: dict):
    """The core action a clicked Slack element stands for, or MalformedPayload."""
    if not isinstance(action, dict):
        raise MalformedPayload("an action is not an object")
    action_id = action.get("action_id")
    if not isinstance(action_id, str):
        raise MalformedPayload("missing action_id")
    kind, _, detail = action_id.partition(":")
    raw = action.get("value", "")
    value = decode_value(raw)
    language = data_language(value.get("l"))
    match kind, detail:
        case "topic", _:
            return ShowTopic(data_text(value.get("s")), language)
        case "feedback", ("yes" | "no"):
            return GiveFeedback(data_text(value.get("s")), detail == "yes", data_text(value.get("q")), language)
        case "answer", "share":
            return ShareAnswer(data_text(value.get("s")), language)
        case "diagnosis", "start":
            return StartDiagnosis(data_language(raw))
        case "diagnosis", ("yes" | "no"):
            ruled_out = value.get("r") if isinstance(value.get("r"), list) else []
            return AnswerDiagnosis(
                data_text(value.get("k")), detail, tuple(data_text(k) for k in ruled_out[:20]), language
            )
        case "case", "open":
            return OpenCase(CasePrefill.from_data(value))
        case "case", move if move in MOVES:
            number = _case_number(raw, action.get("block_id"))
            if move == "assign_to":
                chosen = action.get("selected_user")
                if not isinstance(chosen, str) or not chosen:
                    raise MalformedPayload("assign to whom?")
                return MoveCase(number, Move.ASSIGN, assignee=chosen)
            return MoveCase(number, move)
        case "rate", ("1" | "2" | "3" | "4" | "5"):
            return RateCase(_case_number(raw, None), int(detail))
        case "relay", _:
            held, number = value.get("h"), value.get("n")
            if not all(isinstance(n, int) and not isinstance(n, bool) and 0 < n < 10**12 for n in (held, number)):
                raise MalformedPayload("not a held message and a case")
            return RouteMessage(held, number)
    return None  # link buttons and anything stale: nothing to do


def typed_in_message(body: dict, block_id: str, action_id: str) -> str:
    """What was typed into an input of the message a button was on (Slack sends it as ``state``)."""
    state = body.get("state") if isinstance(body.get("state"), dict) else {}
    values = state.get("values") if isinstance(state.get("values"), dict) else {}
    block = values.get(block_id) if isinstance(values.get(block_id), dict) else {}
    element = block.get(action_id) if isinstance(block.get(action_id), dict) else {}
    typed = element.get("value")
    return typed[:3000] if isinstance(typed, str) else ""


# Messages ------------------------------------------------------------------------------

# Message kinds people write (plain, with files, "also send to channel"); edits, joins and the like are not.
WRITTEN_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})
_SLACK_TOKEN = re.compile(r"<([^<>]{1,3000})>")


def is_written_by_a_person(event: dict, *, bot_user_id: str | None) -> bool:
    """A message a person wrote: not the bot's own, not another bot's or app's, not an edit or a join."""
    if event.get("bot_id") or event.get("bot_profile") or event.get("subtype") not in WRITTEN_SUBTYPES:
        return False
    user = event.get("user")
    return isinstance(user, str) and bool(user) and user != bot_user_id


def plain_text(text: str) -> str:
    """A message's mrkdwn as plain text: mentions and links as people read them, entities decoded."""

    def readable(found: re.Match) -> str:
        inner = found.group(1)
        target, _, label = inner.partition("|")
        if target.startswith(("@", "#")):
            return f"{target[0]}{label or target[1:]}"
        if target.startswith("!"):
            return f"@{label or target[1:].split('^')[0]}"
        return f"{label} ({target})" if label and label != target else target

    return html.unescape(_SLACK_TOKEN.sub(readable, text))


def chat_message(event: dict, person: Person) -> ChatMessage:
    """A message event as the core reads it; its key is the channel and timestamp, the same on every retry."""
    channel, ts = text_field(event, "channel"), text_field(event, "ts")
    text = event.get("text") if isinstance(event.get("text"), str) else ""
    files = []
    for file in event.get("files") if isinstance(event.get("files"), list) else []:
        if isinstance(file, dict):
            name = file.get("name") or file.get("title") or ""
            name = name if isinstance(name, str) else ""
            # A link anyone given it can open (a reporter on Teams is no member of the workspace), else the permalink.
            url = shareable_url(str(file.get("id") or ""), name) or file.get("permalink") or file.get("url_private")
            if isinstance(url, str) and url:
                files.append(FileLink(name[:200], url[:1000]))
    return ChatMessage(person, plain_text(text[:20_000]), key=f"{channel}:{ts}"[:150], files=tuple(files))


def form_fields(view: dict) -> dict[str, str]:
    """The values typed into the case form's modal, by field name."""
    state = view.get("state") if isinstance(view, dict) else None
    values = state.get("values") if isinstance(state, dict) else None
    if not isinstance(values, dict):
        raise MalformedPayload("view.state.values is not an object")
    found = {}
    for name in dispatch.FORM_FIELDS:
        block = values.get(name, {})
        element = block.get("value", {}) if isinstance(block, dict) else None
        if not isinstance(element, dict):
            raise MalformedPayload(f"view.state.values.{name} is not an object")
        typed = element.get("value")
        chosen = element.get("selected_option")
        if isinstance(chosen, dict):
            typed = chosen.get("value")
        if typed is not None and not isinstance(typed, str):
            raise MalformedPayload(f"{name} is not text")
        found[name] = typed or ""
    return found


def _value(data: dict) -> str:
    """A button value within Slack's limit; a long question inside it is shortened to fit."""
    value = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    question = data.get("q", "")
    while len(value) > MAX_BUTTON_VALUE and question:
        question = question[: max(0, len(question) - (len(value) - MAX_BUTTON_VALUE) - 1)]
        value = json.dumps({**data, "q": question}, ensure_ascii=False, separators=(",", ":"))
    return value


def decode_value(value) -> dict:
    try:
        data = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _case_number(value, block_id) -> int:
    raw = value if isinstance(value, str) and value else str(block_id or "").removeprefix("case_")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise MalformedPayload("not a case number")
    return int(raw)
