"""Teams activities ↔ the core's people, commands and actions.

Every card button carries a core action as its ``Action.Submit`` data; this
module encodes and decodes them and reads who sent an activity. Anything not
shaped as Teams sends it is refused as MalformedActivity (400).
"""

from __future__ import annotations

import html
import re

from cases.states import Action as Move
from supportbot.conversation import dispatch
from supportbot.conversation.people import Person
from supportbot.conversation.relay import ChatMessage
from supportbot.conversation.replies import (
    ASSIGN_ME,
    COMMENT_INPUT,
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

PLATFORM = "teams"
ACTION_KEY = "wxbind"  # the key in a card's submit data that names the action
CASE_FORM = "submit_case"  # the action of a filled case form
ASSIGNEE_INPUT = "to"  # the "Assign to…" choice on a case card, merged into the submit data by Teams
MOVES = frozenset({ASSIGN_ME, Move.WAIT, Move.RESOLVE, Move.REOPEN, Move.REPORTER_REPLIED, Move.ASSIGN})
MAX_TEXT = 10_000
_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]{0,200}>")


class MalformedActivity(ValueError):
    """An activity that is not what Teams sends."""


def _object(value, name: str) -> dict:
    if not isinstance(value, dict):
        raise MalformedActivity(f"{name} is not an object")
    return value


def _text(value, name: str, *, required: bool = True, limit: int = 500) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise MalformedActivity(f"missing {name}")
    if len(value) > limit:
        raise MalformedActivity(f"{name} is too long")
    return value


def person_of(activity: dict) -> Person:
    """The sender: their Entra object id where Teams gives one (what admins see), in their tenant."""
    sender = _object(activity.get("from"), "from")
    user_id = sender.get("aadObjectId") or sender.get("id")
    return Person(
        PLATFORM, tenant_of(activity), _text(user_id, "from.id"), _text(sender.get("name"), "from.name", required=False)
    )


def sender_id_of(activity: dict) -> str:
    """The sender's Bot Framework id (``29:…``): what a new conversation with them is opened with."""
    sender = _object(activity.get("from"), "from")
    return _text(sender.get("id"), "from.id", required=False, limit=200)


def tenant_of(activity: dict) -> str:
    conversation = _object(activity.get("conversation"), "conversation")
    channel_data = activity.get("channelData") if isinstance(activity.get("channelData"), dict) else {}
    tenant = conversation.get("tenantId") or (channel_data.get("tenant") or {}).get("id") or ""
    return _text(tenant, "conversation.tenantId", required=False)


def conversation_of(activity: dict) -> tuple[str, str]:
    """(conversation id, conversation type: personal, channel or groupChat)."""
    conversation = _object(activity.get("conversation"), "conversation")
    kind = conversation.get("conversationType") or "personal"
    return _text(conversation.get("id"), "conversation.id"), _text(kind, "conversation.conversationType")


def service_url_of(activity: dict) -> str:
    url = _text(activity.get("serviceUrl"), "serviceUrl")
    if not url.startswith(("https://", "http://")):
        raise MalformedActivity("serviceUrl is not a web address")
    return url


def locale_of(activity: dict) -> str:
    """The sender's Teams locale (``en-US``, ``zh-CN``), or "" when Teams did not say."""
    locale = activity.get("locale")
    if not isinstance(locale, str) or len(locale) > 16:
        return ""
    return locale


def invoke_data(activity: dict) -> dict | None:
    """The data of an ``Action.Execute`` (an ``adaptiveCard/action`` invoke), inputs merged in as Teams does."""
    value = _object(activity.get("value"), "value")
    action = _object(value.get("action"), "value.action")
    data = action.get("data")
    return data if isinstance(data, dict) else None


def text_of(activity: dict) -> str:
    """What the person typed, without @mentions of the bot and without Teams' HTML."""
    text = _text(activity.get("text"), "text", required=False, limit=MAX_TEXT)
    text = _MENTION.sub(" ", text)
    text = html.unescape(_TAGS.sub(" ", text))
    words = text.split()
    if words and words[0].lower() in {"wxbind", "/wxbind"}:
        words = words[1:]
    return " ".join(words)


# Actions as card data ------------------------------------------------------------------


def encode(action) -> dict:
    """A core action as an Action.Submit's data."""
    match action:
        case ShowTopic(slug=slug, language=language):
            return {ACTION_KEY: "topic", "s": slug, "l": language.value}
        case GiveFeedback(slug=slug, helpful=helpful, question=question, language=language):
            return {ACTION_KEY: "yes" if helpful else "no", "s": slug, "q": question[:1000], "l": language.value}
        case ShareAnswer(slug=slug, language=language):
            return {ACTION_KEY: "share", "s": slug, "l": language.value}
        case StartDiagnosis(language=language):
            return {ACTION_KEY: "diagnose", "l": language.value}
        case AnswerDiagnosis(step=step, reply=reply, ruled_out=ruled_out, language=language):
            return {ACTION_KEY: "diagnosis", "k": step, "a": reply, "r": list(ruled_out), "l": language.value}
        case OpenCase(prefill=prefill):
            return {ACTION_KEY: "open_case", **prefill.to_data()}
        case MoveCase(number=number, move=move, assignee=assignee):
            return {ACTION_KEY: "move", "n": number, "m": move, **({"to": assignee} if assignee else {})}
        case RateCase(number=number, score=score):
            return {ACTION_KEY: "rate", "n": number, "score": score}
        case RouteMessage(held=held, number=number):
            return {ACTION_KEY: "relay", "h": held, "n": number}
    raise TypeError(f"not an action: {action!r}")


def decode(data) -> object | None:
    """The core action a card submit stands for; None for data that is not ours (nothing to do)."""
    if not isinstance(data, dict) or not isinstance(data.get(ACTION_KEY), str):
        return None
    kind = data[ACTION_KEY]
    language = data_language(data.get("l"))
    match kind:
        case "topic":
            return ShowTopic(data_text(data.get("s"), 64), language)
        case "yes" | "no":
            return GiveFeedback(data_text(data.get("s"), 64), kind == "yes", data_text(data.get("q"), 3000), language)
        case "share":
            return ShareAnswer(data_text(data.get("s"), 64), language)
        case "diagnose":
            return StartDiagnosis(language)
        case "diagnosis":
            ruled_out = data.get("r") if isinstance(data.get("r"), list) else []
            return AnswerDiagnosis(
                data_text(data.get("k"), 64),
                data_text(data.get("a"), 3),
                tuple(data_text(k, 64) for k in ruled_out[:20]),
                language,
            )
        case "open_case":
            return OpenCase(CasePrefill.from_data(data))
        case "move":
            number, move = data.get("n"), data.get("m")
            if not isinstance(number, int) or isinstance(number, bool) or not 0 < number < 10**9 or move not in MOVES:
                raise MalformedActivity("not a case move")
            return MoveCase(number, move, assignee=data_text(data.get(ASSIGNEE_INPUT), 128))
        case "rate":
            number, score = data.get("n"), data.get("score")
            if not _whole(number) or score not in (1, 2, 3, 4, 5) or isinstance(score, bool):
                raise MalformedActivity("not a rating")
            comment = data.get(COMMENT_INPUT)
            return RateCase(number, score, comment[:3000] if isinstance(comment, str) else "")
        case "relay":
            held, number = data.get("h"), data.get("n")
            if not (_whole(held) and _whole(number)):
                raise MalformedActivity("not a held message and a case")
            return RouteMessage(held, number)
        case "submit_case":
            return None  # a filled case form: see form_fields
    raise MalformedActivity(f"unknown action {kind[:40]!r}")


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**12


# Messages ------------------------------------------------------------------------------

# Attachments that are files a person sent (Teams also attaches the message's own HTML, which is not).
FILE_DOWNLOAD = "application/vnd.microsoft.teams.file.download.info"


def is_from_a_bot(activity: dict) -> bool:
    """Another bot's message (its id starts 28:, or Teams says so): never relayed, so bots cannot loop."""
    sender = activity.get("from") if isinstance(activity.get("from"), dict) else {}
    return sender.get("role") == "bot" or str(sender.get("id") or "").startswith("28:")


def files_of(activity: dict) -> tuple[FileLink, ...]:
    """Files sent with a message, as links: a file's download link, a shared file's or an image's address."""
    found = []
    attachments = activity.get("attachments") if isinstance(activity.get("attachments"), list) else []
    for attachment in attachments[:20]:
        if not isinstance(attachment, dict):
            continue
        kind = str(attachment.get("contentType") or "")
        content = attachment.get("content") if isinstance(attachment.get("content"), dict) else {}
        if kind == FILE_DOWNLOAD:
            url = content.get("downloadUrl")
        elif kind == "reference" or kind.startswith("image/"):
            url = attachment.get("contentUrl")
        else:
            continue
        name = attachment.get("name") if isinstance(attachment.get("name"), str) else ""
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            found.append(FileLink(name[:200] or kind, url[:1000]))
    return tuple(found)


def chat_message(activity: dict, person: Person, *, conversation: str) -> ChatMessage:
    """A message activity as the core reads it; its key is the conversation and activity id."""
    activity_id = _text(activity.get("id"), "id", limit=200)
    return ChatMessage(person, text_of(activity), key=f"{conversation[:120]}:{activity_id}", files=files_of(activity))


def is_case_form(data) -> bool:
    return isinstance(data, dict) and data.get(ACTION_KEY) == CASE_FORM


def form_fields(data: dict) -> dict[str, str]:
    """The values typed into a case form card, by field name."""
    found = {}
    for name in dispatch.FORM_FIELDS:
        value = data.get(name, "")
        if value is not None and not isinstance(value, str):
            raise MalformedActivity(f"{name} is not text")
        found[name] = (value or "")[:5000]
    return found
