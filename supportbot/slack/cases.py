"""Binding cases in Slack: the modal that opens one, the support channel message agents work from."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from cases.models import AccountKind, Case
from cases.policy import Actor, NotAllowed, is_agent_user, may_see
from cases.services import case_move, case_open
from cases.states import Action, IllegalMove, allowed_actions
from faq.languages import Language
from supportbot import conversation
from supportbot.messages import say
from supportbot.models import ChatUser
from supportbot.slack import blocks
from supportbot.slack.blocks import Message, button, context, decode_value, encode_value, header, section
from supportbot.slack.mrkdwn import escape, split

logger = logging.getLogger(__name__)

MODAL_CALLBACK = "case_open"
AGENT_ACTIONS = [Action.ASSIGN, Action.WAIT, Action.RESOLVE, Action.REOPEN]
_ACTION_LABELS = {
    "case:assign_me": "Assign to me",
    Action.WAIT: "Waiting on reporter",
    Action.RESOLVE: "Resolve",
    Action.REOPEN: "Reopen",
}
MODAL_FIELDS = ("description", "account_id", "appid", "account_kind")


# Who is an agent --------------------------------------------------------------

_GROUP_TTL_SECONDS = 300
_group_members: tuple[float, frozenset[str]] = (0.0, frozenset())
_group_lock = threading.Lock()


def _usergroup_members(client: WebClient) -> frozenset[str]:
    """Members of SLACK_AGENT_USERGROUP, asked of Slack at most every few minutes."""
    global _group_members
    if not settings.SLACK_AGENT_USERGROUP:
        return frozenset()
    fetched_at, members = _group_members
    if time.monotonic() - fetched_at < _GROUP_TTL_SECONDS:
        return members
    try:
        users = client.usergroups_users_list(usergroup=settings.SLACK_AGENT_USERGROUP)["users"]
    except SlackApiError as error:
        logger.warning("usergroups.users.list failed: %s", error.response.get("error"))
        return members
    with _group_lock:
        _group_members = (time.monotonic(), frozenset(users))
    return _group_members[1]


def forget_agents() -> None:
    global _group_members
    with _group_lock:
        _group_members = (0.0, frozenset())


def slack_actor(client: WebClient, *, team_id: str, user_id: str) -> Actor:
    linked = (
        ChatUser.objects.filter(
            platform=ChatUser.Platform.SLACK, workspace_id=team_id, user_id=user_id, django_user__isnull=False
        )
        .select_related("django_user")
        .first()
    )
    agent = (linked is not None and is_agent_user(linked.django_user)) or user_id in _usergroup_members(client)
    return Actor(label=f"slack:{user_id}", channel="slack", workspace_id=team_id, user_id=user_id, is_agent=agent)


# The modal ------------------------------------------------------------------


def case_modal(*, language: Language, prefill: dict) -> dict:
    """The form a reporter fills in; ``prefill`` carries what the bot already knows."""
    kinds = [("main", "kind_main"), ("sub", "kind_sub"), ("via_miniprogram", "kind_via_miniprogram")]
    options = [{"text": {"type": "plain_text", "text": say(key, language)}, "value": value} for value, key in kinds]
    about = []
    if prefill.get("s"):
        about.append(say("case_topic", language) + escape(str(prefill["s"])))
    if prefill.get("r"):
        about.append(say("ruled_out", language) + escape(", ".join(map(str, prefill["r"]))))
    if prefill.get("q"):
        about.append(say("you_asked", language) + escape(str(prefill["q"])[:300]))
    view_blocks = [context(line) for line in about]
    view_blocks += [
        _input(
            "description",
            say("case_description", language),
            multiline=True,
            hint=say("case_description_hint", language),
        ),
        _input("account_id", say("case_account_id", language), optional=True, placeholder="100012345678"),
        _input("appid", say("case_appid", language), optional=True, placeholder="wx0123456789abcdef"),
        {
            "type": "input",
            "block_id": "account_kind",
            "optional": True,
            "label": {"type": "plain_text", "text": say("case_account_kind", language)},
            "element": {"type": "static_select", "action_id": "value", "options": options},
        },
    ]
    return {
        "type": "modal",
        "callback_id": MODAL_CALLBACK,
        "private_metadata": encode_value(
            {k: prefill.get(k) for k in ("s", "q", "r", "c", "l", "ch") if prefill.get(k)}
        )[:3000],
        "title": {"type": "plain_text", "text": say("case_modal_title", language)[:24]},
        "submit": {"type": "plain_text", "text": say("case_submit", language)[:24]},
        "close": {"type": "plain_text", "text": say("cancel", language)[:24]},
        "blocks": view_blocks,
    }


def _input(block_id: str, label: str, *, multiline=False, optional=False, hint="", placeholder="") -> dict:
    element = {"type": "plain_text_input", "action_id": "value", "multiline": multiline, "max_length": 3000}
    if placeholder:
        element["placeholder"] = {"type": "plain_text", "text": placeholder}
    block = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label[:2000]},
        "element": element,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint[:2000]}
    return block


def _submitted(view: dict) -> dict[str, str]:
    values = (view.get("state") or {}).get("values") or {}
    found = {}
    for field in MODAL_FIELDS:
        raw = (values.get(field) or {}).get("value") or {}
        found[field] = raw.get("value") or (raw.get("selected_option") or {}).get("value") or ""
    return found


_MODEL_FIELD_TO_BLOCK = {
    "tencent_account_id": "account_id",
    "appid": "appid",
    "account_kind": "account_kind",
    "description": "description",
}


def submit_case(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
    """Open the case from the modal, or show what to fix inside it. Runs before the acknowledgement."""
    prefill = decode_value(view.get("private_metadata", ""))
    fields = _submitted(view)
    user = body.get("user") or {}
    reporter = Actor(
        label=f"slack:{user.get('id')}",
        channel="slack",
        workspace_id=(body.get("team") or {}).get("id") or user.get("team_id", ""),
        user_id=user.get("id", ""),
    )
    if not fields["description"].strip():
        ack(response_action="errors", errors={"description": "Please describe the problem."})
        return
    try:
        opened = case_open(
            reporter=reporter,
            reporter_name=user.get("name", ""),
            description=fields["description"],
            tencent_account_id=fields["account_id"].strip(),
            appid=fields["appid"].strip(),
            account_kind=fields["account_kind"] if fields["account_kind"] in AccountKind.values else "",
            topic_slug=str(prefill.get("s") or ""),
            answer_slug=str(prefill.get("s") or ""),
            question=str(prefill.get("q") or ""),
            ruled_out=[str(k) for k in prefill.get("r") or []],
            chat_channel_id=str(prefill.get("ch") or ""),
            # A double submit or a Slack retry of the same modal opens one case.
            source_key=f"slack:view:{view.get('id')}",
        )
    except ValidationError as error:
        errors = {
            _MODEL_FIELD_TO_BLOCK[f]: " ".join(m) for f, m in error.message_dict.items() if f in _MODEL_FIELD_TO_BLOCK
        }
        ack(response_action="errors", errors=errors or {"description": " ".join(error.messages)})
        return
    ack()
    context["wxbind_case"] = {
        "number": opened.case.number,
        "created": opened.created,
        "masked": list(opened.masked),
        "language": prefill.get("l") or Language.EN.value,
    }


def announce_case(body: dict, context: BoltContext, client: WebClient) -> None:
    """After the modal closed: tell the reporter, and put the case in front of agents (once)."""
    state = context.get("wxbind_case")
    if not state or not state["created"]:
        return
    case = Case.objects.select_related("topic", "assignee").get(number=state["number"])
    language = Language.parse(state["language"], default=Language.EN)
    confirmation = [section(say("case_opened", language, number=str(case.number)))]
    if state["masked"]:
        confirmation.append(context_block(say("case_masked", language, kinds=", ".join(state["masked"]))))
    client.chat_postMessage(
        channel=case.reporter_id, text=say("case_opened", language, number=str(case.number)), blocks=confirmation
    )
    if settings.SLACK_SUPPORT_CHANNEL:
        message = case_message(case)
        posted = client.chat_postMessage(channel=settings.SLACK_SUPPORT_CHANNEL, **message.as_kwargs())
        Case.objects.filter(pk=case.pk).update(support_channel_id=posted["channel"], support_message_ts=posted["ts"])


def context_block(text: str) -> dict:
    return context(escape(text))


# Opening the modal ------------------------------------------------------------


def open_case_modal(body: dict, client: WebClient) -> None:
    """From a button: open the form, prefilled from the button's value."""
    action = (body.get("actions") or [{}])[0]
    prefill = decode_value(action.get("value", ""))
    prefill["ch"] = (body.get("channel") or {}).get("id", "")
    language = Language.parse(prefill.get("l"), default=Language.EN)
    client.views_open(trigger_id=body["trigger_id"], view=case_modal(language=language, prefill=prefill))


# The agents' message ------------------------------------------------------------


def case_message(case: Case) -> Message:
    reporter = (
        f"<@{escape(case.reporter_id)}>" if case.channel == "slack" else escape(case.reporter_name or case.reporter_id)
    )
    assignee = (
        f"<@{escape(case.assignee_chat_id)}>"
        if case.assignee_chat_id
        else escape(case.assignee.get_username())
        if case.assignee
        else "—"
    )
    facts = [
        f"*Reporter:* {reporter}",
        f"*Assignee:* {assignee}",
        f"*Topic:* {escape(case.topic.slug) if case.topic else '—'}",
        f"*AppID:* {escape(case.appid or '—')}",
        f"*Tencent Cloud account:* {escape(case.tencent_account_id or '—')}",
        f"*Account kind:* {escape(case.get_account_kind_display() or '—')}",
    ]
    message_blocks = [
        header(f"Case {case.number} · {case.get_state_display()}"),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": fact} for fact in facts]},
    ]
    if case.ruled_out:
        message_blocks.append(context("*Ruled out:* " + escape(", ".join(case.ruled_out))))
    if case.description:
        message_blocks.extend(section(chunk) for chunk in split(escape(case.description), blocks.MAX_SECTION_CHARS))
    if case.question:
        message_blocks.append(context("*Asked:* " + escape(case.question[:500])))
    buttons = []
    moves = allowed_actions(case.state)
    for action in AGENT_ACTIONS:
        if action not in moves:
            continue
        if action == Action.ASSIGN:
            buttons.append(button("Assign to me", "case:assign_me", value=str(case.number), style="primary"))
            buttons.append(
                {
                    "type": "users_select",
                    "action_id": "case:assign_to",
                    "placeholder": {"type": "plain_text", "text": "Assign to…"},
                }
            )
        else:
            buttons.append(button(_ACTION_LABELS[action], f"case:{action}", value=str(case.number)))
    if buttons:
        message_blocks.append({"type": "actions", "block_id": f"case_{case.number}", "elements": buttons})
    return Message(text=f"Case {case.number}: {case.get_state_display()}", blocks=message_blocks[: blocks.MAX_BLOCKS])


def move_case(body: dict, client: WebClient) -> None:
    """An agent button on the case message: apply the move, update the message, note it in the thread."""
    action = (body.get("actions") or [{}])[0]
    action_id = action.get("action_id", "")
    team = (body.get("team") or {}).get("id", "")
    user = (body.get("user") or {}).get("id", "")
    number = _number_of(body, action)
    channel = (body.get("channel") or body.get("container") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    actor = slack_actor(client, team_id=team, user_id=user)
    extra: dict = {}
    if action_id == "case:assign_me":
        move, extra = Action.ASSIGN, {"assignee_chat_id": user, "assignee": _linked_user(team, user)}
    elif action_id == "case:assign_to":
        chosen = action.get("selected_user", "")
        move, extra = Action.ASSIGN, {"assignee_chat_id": chosen, "assignee": _linked_user(team, chosen)}
    else:
        move = action_id.split(":", 1)[1]
    try:
        case = case_move(number=number, action=move, actor=actor, **extra)
    except (IllegalMove, NotAllowed, ValidationError, Case.DoesNotExist) as error:
        reason = "that case no longer exists" if isinstance(error, Case.DoesNotExist) else str(error)
        if channel:
            client.chat_postEphemeral(channel=channel, user=user, text=say("case_refused", Language.EN, reason=reason))
        return
    note_case_change(client, case, actor_label=f"<@{escape(user)}>")


def note_case_change(client: WebClient, case: Case, *, actor_label: str) -> None:
    if not case.support_message_ts:
        return
    last = case.events.last()
    client.chat_update(channel=case.support_channel_id, ts=case.support_message_ts, **case_message(case).as_kwargs())
    line = f"{actor_label}: {last.get_from_state_display() or '—'} → {last.get_to_state_display()}"
    if last.note:
        line += f" — {escape(last.note)}"
    client.chat_postMessage(channel=case.support_channel_id, thread_ts=case.support_message_ts, text=line)


def _number_of(body: dict, action: dict) -> int:
    raw = action.get("value") or str(action.get("block_id", "")).removeprefix("case_")
    try:
        return int(raw)
    except ValueError:
        return 0


def _linked_user(team: str, user: str):
    linked = (
        ChatUser.objects.filter(
            platform=ChatUser.Platform.SLACK, workspace_id=team, user_id=user, django_user__isnull=False
        )
        .select_related("django_user")
        .first()
    )
    return linked.django_user if linked else None


# The reporter's view ----------------------------------------------------------


def my_cases_message(*, team: str, user: str, language: Language) -> Message:
    cases = list(Case.objects.active().of_reporter(channel="slack", workspace_id=team, user_id=user)[:20])
    if not cases:
        return Message(text=say("case_none", language), blocks=[section(say("case_none", language))])
    lines = [
        f"• *{c.number}* · {escape(c.get_state_display())} · {escape((c.description or c.question)[:80])}"
        for c in cases
    ]
    return Message(
        text=say("case_list", language), blocks=[section(say("case_list", language)), section("\n".join(lines)[:3000])]
    )


def one_case_message(*, case: Case | None, actor: Actor, number: str, language: Language) -> Message:
    if case is None or not may_see(actor, case):
        text = say("case_not_found", language, number=number)
        return Message(text=text, blocks=[section(escape(text))])
    message = case_message(case)
    if actor.is_agent:
        return message
    own = [b for b in message.blocks if b["type"] != "actions"]
    reporter_buttons = [
        button(_ACTION_LABELS[a], f"case:{a}", value=str(case.number))
        for a in (Action.RESOLVE, Action.REOPEN)
        if a in allowed_actions(case.state)
    ]
    if reporter_buttons:
        own.append({"type": "actions", "block_id": f"case_{case.number}", "elements": reporter_buttons})
    return Message(text=message.text, blocks=own)


def show_cases(command: dict, respond: Respond, client: WebClient, context: BoltContext) -> None:
    """`/wxbind cases` and `/wxbind case <number>`, answered after the acknowledgement."""
    parsed = conversation.parse_command(command.get("text", ""))
    language = Language.parse(context.get("wxbind_language"), default=Language.EN)
    team, user = command.get("team_id", ""), command.get("user_id", "")
    if parsed.intent == conversation.Intent.MY_CASES:
        message = my_cases_message(team=team, user=user, language=language)
    else:
        actor = slack_actor(client, team_id=team, user_id=user)
        case = Case.objects.select_related("topic", "assignee").filter(number=int(parsed.question)).first()
        message = one_case_message(case=case, actor=actor, number=parsed.question, language=language)
    respond(response_type="ephemeral", replace_original=False, **message.as_kwargs())


def open_case_from_command(command: dict, client: WebClient, context: BoltContext) -> None:
    language = Language.parse(context.get("wxbind_language"), default=Language.EN)
    prefill = {"l": language.value, "ch": command.get("channel_id", "")}
    client.views_open(trigger_id=command["trigger_id"], view=case_modal(language=language, prefill=prefill))
