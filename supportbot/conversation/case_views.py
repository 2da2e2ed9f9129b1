"""Cases as chat shows them: the agents' card, a reporter's list, a line under the card."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from cases.models import Case, CaseEvent, Said
from cases.policy import AGENTS_GROUP
from cases.states import Action, allowed_actions
from faq.languages import Language
from supportbot.conversation.people import display_name_of
from supportbot.conversation.replies import (
    ASSIGN_ME,
    Button,
    CaseCard,
    CaseLine,
    CaseList,
    MoveCase,
    PersonMention,
    ThreadNote,
)
from supportbot.conversation.wording import say
from supportbot.models import ChatUser

# The moves agents make from the card, in the order they are offered.
AGENT_MOVES = (Action.ASSIGN, Action.WAIT, Action.RESOLVE, Action.REOPEN)
# What a reporter may do about their own case.
REPORTER_MOVES = (Action.RESOLVE, Action.REOPEN)
_MOVE_LABELS = {
    Action.WAIT: "move_wait",
    Action.RESOLVE: "move_resolve",
    Action.REOPEN: "move_reopen",
    Action.CLOSE: "move_close",
}
MAX_SUMMARY_CHARS = 80
MAX_QUESTION_CHARS = 500
MAX_ASSIGNABLE = 100


def state_label(state: str, language: Language) -> str:
    return say(f"state_{state}", language)


def case_card(case: Case, *, language: Language, for_agents: bool = True, platform_name: str = "") -> CaseCard:
    """The case with the moves the viewer may make: every agent move, or a reporter's own.

    ``platform_name``: where the card is shown, for platforms that offer "Assign to…" from a list.
    """
    moves = allowed_actions(case.state)
    buttons: list[Button] = []
    offered = AGENT_MOVES if for_agents else REPORTER_MOVES
    for move in offered:
        if move not in moves:
            continue
        if move == Action.ASSIGN:
            buttons.append(Button(say("assign_me", language), MoveCase(case.number, ASSIGN_ME), primary=True))
        else:
            buttons.append(Button(say(_MOVE_LABELS[move], language), MoveCase(case.number, move)))
    kind = say(f"kind_{case.account_kind}", language) if case.account_kind else "—"
    return CaseCard(
        language=language,
        number=case.number,
        title=say("card_title", language, number=str(case.number), state=state_label(case.state, language)),
        reporter=reporter_of(case),
        assignee=assignee_of(case),
        facts=(
            (say("card_topic", language), case.topic.slug if case.topic else "—"),
            (say("card_appid", language), case.appid or "—"),
            (say("card_account", language), case.tencent_account_id or "—"),
            (say("card_account_kind", language), kind),
        ),
        labels={
            "reporter": say("card_reporter", language),
            "assignee": say("card_assignee", language),
            "ruled_out": say("card_ruled_out", language),
            "asked": say("card_asked", language),
        },
        ruled_out=tuple(case.ruled_out or ()),
        description=case.description,
        question=case.question[:MAX_QUESTION_CHARS],
        buttons=tuple(buttons),
        can_assign_to=for_agents and Action.ASSIGN in moves,
        assign_to_label=say("assign_to", language),
        assignable=assignable_people(platform_name) if for_agents and Action.ASSIGN in moves else (),
        assign_label=say("assign", language),
    )


def assignable_people(platform_name: str) -> tuple[PersonMention, ...]:
    """Agents on a platform that picks assignees from a list: its own agents, and people linked to agent accounts."""
    from supportbot.conversation.platforms import platform  # platforms are loaded from settings

    chat_platform = platform(platform_name) if platform_name else None
    if chat_platform is None or not chat_platform.assigns_from_list:
        return ()
    agent_users = get_user_model().objects.filter(Q(is_staff=True) | Q(groups__name=AGENTS_GROUP), is_active=True)
    ids = list(dict.fromkeys(chat_platform.agent_ids()))
    ids += ChatUser.objects.filter(platform=platform_name, django_user__in=agent_users).values_list(
        "user_id", flat=True
    )
    ids = list(dict.fromkeys(ids))[:MAX_ASSIGNABLE]
    names = dict(
        ChatUser.objects.filter(platform=platform_name, user_id__in=ids)
        .exclude(display_name="")
        .values_list("user_id", "display_name")
    )
    people = [PersonMention(platform_name, user_id, names.get(user_id, user_id)) for user_id in ids]
    return tuple(sorted(people, key=lambda person: person.name.lower()))


def reporter_of(case: Case) -> PersonMention:
    return PersonMention(platform=case.channel, user_id=case.reporter_id, name=case.reporter_name or case.reporter_id)


def assignee_of(case: Case) -> PersonMention | None:
    if case.assignee_chat_id:
        where = case.card_platform or case.channel
        name = display_name_of(where, case.assignee_chat_id) or (
            case.assignee.get_username() if case.assignee else case.assignee_chat_id
        )
        return PersonMention(platform=where, user_id=case.assignee_chat_id, name=name)
    if case.assignee:
        return PersonMention(platform="site", user_id=case.assignee.get_username(), name=case.assignee.get_username())
    return None


def case_list(cases: list[Case], *, language: Language) -> CaseList:
    if not cases:
        return CaseList(language=language, text=say("case_none", language))
    lines = tuple(
        CaseLine(
            number=case.number,
            state=state_label(case.state, language),
            summary=(case.description or case.question)[:MAX_SUMMARY_CHARS],
        )
        for case in cases
    )
    return CaseList(language=language, text=say("case_list", language), lines=lines)


def thread_note(event: CaseEvent, *, language: Language) -> ThreadNote:
    """The line under a case card for one change: who, from what state to what."""
    actor_platform, _, actor_id = event.actor.partition(":")
    actor = PersonMention(actor_platform, actor_id, actor_id) if actor_id else None
    label = say("system", language) if event.actor == "system" else event.actor
    if event.action == Said.RATED:
        score, _, comment = event.note.partition(" ")
        text = say("rated", language, actor="{actor}", score=score.removesuffix("/5"))
        return ThreadNote(actor=actor, actor_label=label, text=text + (f" — {comment}" if comment else ""))
    text = say(
        "moved",
        language,
        actor="{actor}",
        from_state=state_label(event.from_state, language) if event.from_state else "—",
        to_state=state_label(event.to_state, language),
    )
    if event.note:
        text += f" — {event.note}"
    return ThreadNote(actor=actor, actor_label=label, text=text)
