"""What the bot sends on its own about cases, and to whom: the courier of ``cases`` deliveries.

The cases domain decides *when* something is due (a new case, a change, a
reminder) and writes a delivery row; this module decides *who* hears it and
*what* it says, in the recipient's language, and hands the reply to the
platform that reaches them. Platforms only render and send.
"""

from __future__ import annotations

from cases.models import API_CHANNEL, Case, CaseEvent, Delivery, Said
from cases.services import case_card_posted, digest_week, send_paused, send_resumed, send_wait
from cases.states import Action
from cases.transports import TransportError, Undeliverable
from faq.languages import Language
from supportbot.conversation import case_views
from supportbot.conversation.digest import weekly_digest
from supportbot.conversation.dispatch import agent_language, satisfaction_survey
from supportbot.conversation.people import Person, chat_user_of_site_user, display_name_of, language_of, route_of
from supportbot.conversation.platforms import Address, ChatPlatform, MessageRef, home_platform, platform
from supportbot.conversation.replies import (
    ASSIGN_ME,
    Button,
    FileLink,
    MoveCase,
    PersonMention,
    RelayedMessage,
    Reminder,
)
from supportbot.conversation.wording import say
from supportbot.logs import log_context
from supportbot.models import ChatUser

Kind = Delivery.Kind


def deliver(delivery: Delivery) -> tuple[str, str]:
    """Send one delivery; return (where it went, the platform's id of the message)."""
    about = {"case": delivery.case.number} if delivery.case else {"scope": delivery.scope}
    with log_context(**about, delivery=delivery.pk, kind=delivery.kind):
        return _deliver(delivery)


def _deliver(delivery: Delivery) -> tuple[str, str]:
    if delivery.kind == Kind.DIGEST:
        return _weekly_digest(delivery)
    case = delivery.case
    if delivery.kind == Kind.ANNOUNCE:
        return _announce(case)
    if delivery.kind == Kind.CASE_CHANGED:
        return _show_change(case, event_id=delivery.step)
    if delivery.kind == Kind.TO_REPORTER:
        return _relay_to_reporter(case, event_id=delivery.step)
    if delivery.kind == Kind.TO_AGENTS:
        return _relay_to_agents(case, event_id=delivery.step)
    if delivery.kind == Kind.SURVEY:
        return _ask_reporter_to_rate(case)
    chat_platform, address, reminder = _reminder(case, delivery)
    ref = _paced(chat_platform, lambda: chat_platform.send(address, reminder))
    return _where(address), ref.message


def _paced(chat_platform: ChatPlatform, send):
    """``send()``, unless the platform asked us to wait: a 429's Retry-After holds every sender back.

    Slack's and Teams' limits apply to the app as a whole, so one refusal
    pauses all follow-ups to that platform; when the window is over, one of
    them tries, and only its success lets the rest go.
    """
    wait = send_wait(scope=chat_platform.name)
    if wait:
        raise TransportError(
            f"{chat_platform.name} asked us to wait", permanent=False, retry_after=wait, attempted=False
        )
    try:
        result = send()
    except TransportError as error:
        if error.retry_after is not None and not error.permanent:
            send_paused(scope=chat_platform.name, seconds=error.retry_after)
        raise
    if wait is not None:  # this sender was the one trying again, and got through
        send_resumed(scope=chat_platform.name)
    return result


# The agents' card --------------------------------------------------------------------


def card_platform_for(case: Case) -> ChatPlatform | None:
    """Where agents work the case: the platform it came from, else the home platform (for API cases)."""
    if case.card_platform:
        return platform(case.card_platform)
    for candidate in (platform(case.channel), home_platform()):
        if candidate is not None and candidate.is_configured() and candidate.support_address() is not None:
            return candidate
    return None


def _announce(case: Case) -> tuple[str, str]:
    if case.has_card:  # posted already, before a crash kept the delivery from being marked sent
        return f"{case.card_platform}:{case.card_conversation}", case.card_message
    chat_platform = card_platform_for(case)
    if chat_platform is None:
        raise Undeliverable("no support channel is set on any chat platform")
    address = chat_platform.support_address()
    card = case_views.case_card(case, language=agent_language(), platform_name=chat_platform.name)
    ref = _paced(chat_platform, lambda: chat_platform.send(address, card))
    case_card_posted(
        case_id=case.pk, platform=ref.platform, conversation=ref.conversation, message=ref.message, route=ref.route
    )
    return _where(address), ref.message


def _card_of(case: Case) -> tuple[ChatPlatform, MessageRef]:
    """The agents' card of the case; a transient failure while it is still being posted."""
    if not case.has_card:
        if case.deliveries.filter(kind=Kind.ANNOUNCE, state=Delivery.State.PENDING).exists():
            raise TransportError("the case card is not posted yet", permanent=False)
        raise Undeliverable("the case has no card")
    chat_platform = platform(case.card_platform)
    if chat_platform is None:
        raise TransportError(f"{case.card_platform} is no longer set up", permanent=True)
    return chat_platform, MessageRef(case.card_platform, case.card_conversation, case.card_message, case.card_route)


def _show_change(case: Case, *, event_id: int) -> tuple[str, str]:
    """Update the card to the case as it is now, and say what changed under it.

    A message relayed through the case is its own line in the thread: for it,
    only the card changes.
    """
    chat_platform, card = _card_of(case)
    language = agent_language()
    shown = case_views.case_card(case, language=language, platform_name=chat_platform.name)
    _paced(chat_platform, lambda: chat_platform.update(card, shown))
    event = CaseEvent.objects.get(pk=event_id)
    if event.action in (Said.AGENT, Said.REPORTER):
        return _where(card.thread()), card.message
    note = _paced(
        chat_platform, lambda: chat_platform.send(card.thread(), case_views.thread_note(event, language=language))
    )
    return _where(card.thread()), note.message


# Messages relayed through a case ----------------------------------------------------------


def _relay_to_reporter(case: Case, *, event_id: int) -> tuple[str, str]:
    """An agent's message, in the reporter's conversation with the bot; where it went is how replies find the case."""
    event = CaseEvent.objects.get(pk=event_id)
    chat_platform, address, language = _reporter(case)
    writer_id = event.actor.partition(":")[2]
    name = event.actor_name or display_name_of(event.platform, writer_id) or say("support_agent", language)
    author = PersonMention(event.platform, writer_id, name)
    reply = _relayed(event, author=author, header_key="relay_from_agent", number=case.number, language=language)
    ref = _paced(chat_platform, lambda: chat_platform.send(address, reply))
    return f"{ref.platform}:{ref.conversation}", ref.message


def _relay_to_agents(case: Case, *, event_id: int) -> tuple[str, str]:
    """The reporter's message, in the thread of the case's card."""
    event = CaseEvent.objects.get(pk=event_id)
    chat_platform, card = _card_of(case)
    language = agent_language()
    author = case_views.reporter_of(case)
    reply = _relayed(event, author=author, header_key="relay_from_reporter", number=case.number, language=language)
    ref = _paced(chat_platform, lambda: chat_platform.send(card.thread(), reply))
    return _where(card.thread()), ref.message


def _relayed(event: CaseEvent, *, author: PersonMention, header_key: str, number: int, language) -> RelayedMessage:
    files = tuple(FileLink(file.get("name", ""), file.get("url", "")) for file in event.attachments or ())
    return RelayedMessage(
        language=language,
        author=author,
        header=say(header_key, language, author="{author}", number=str(number)),
        text=event.note,
        files=files,
        files_label=say("relay_files", language),
    )


def _ask_reporter_to_rate(case: Case) -> tuple[str, str]:
    if case.is_rated:
        raise Undeliverable("the reporter has rated the case already")
    chat_platform, address, language = _reporter(case)
    survey = satisfaction_survey(case, language=language)
    ref = _paced(chat_platform, lambda: chat_platform.send(address, survey))
    return _where(address), ref.message


# The weekly digest --------------------------------------------------------------------


def _weekly_digest(delivery: Delivery) -> tuple[str, str]:
    """Last week's figures in the support channel of the platform the digest is for."""
    chat_platform = platform(delivery.scope)
    address = chat_platform.support_address() if chat_platform and chat_platform.is_configured() else None
    if address is None:
        raise Undeliverable(f"no support channel is set on {delivery.scope}")
    start, end = digest_week(delivery.step)
    reply = weekly_digest(start=start, end=end, language=agent_language())
    ref = _paced(chat_platform, lambda: chat_platform.send(address, reply))
    return _where(address), ref.message


# Reminders ---------------------------------------------------------------------


def _reminder(case: Case, delivery: Delivery) -> tuple[ChatPlatform, Address, Reminder]:
    number = str(case.number)
    if delivery.kind == Kind.UNASSIGNED:
        chat_platform, address = _support(case)
        language = agent_language()
        assign = Button(say("assign_me", language), MoveCase(case.number, ASSIGN_ME), primary=True)
        text = say("remind_unassigned", language, number=number)
        return chat_platform, address, Reminder(language, text, (assign,), broadcast=bool(address.thread))
    if delivery.kind == Kind.AGENT_IDLE:
        chat_platform, address = _assigned_agent(case)
        language = agent_language()
        return chat_platform, address, Reminder(language, say("remind_agent", language, number=number))
    if delivery.kind == Kind.ESCALATION:
        chat_platform, address = _support(case, escalation=True)
        language = agent_language()
        text = say("escalation", language, level=str(delivery.step), number=number)
        return chat_platform, address, Reminder(language, text)
    chat_platform, address, language = _reporter(case)
    if delivery.kind == Kind.REPORTER_NUDGE:
        buttons = (
            Button(say("reporter_resolved", language), MoveCase(case.number, Action.RESOLVE), primary=True),
            Button(say("reporter_still_broken", language), MoveCase(case.number, Action.REPORTER_REPLIED)),
        )
        return chat_platform, address, Reminder(language, say("remind_reporter", language, number=number), buttons)
    reopen = chat_platform.command_text(f"case {number}")
    text = say("auto_resolved", language, number=number, reopen=reopen)
    return chat_platform, address, Reminder(language, text)


def _support(case: Case, *, escalation: bool = False) -> tuple[ChatPlatform, Address]:
    chat_platform = card_platform_for(case)
    if chat_platform is None:
        raise Undeliverable("no support channel is set on any chat platform")
    address = (chat_platform.escalation_address() if escalation else None) or chat_platform.support_address()
    if address is None:
        raise Undeliverable(f"no support channel is set on {chat_platform.name}")
    if case.has_card and case.card_platform == chat_platform.name and not escalation:
        address = MessageRef(case.card_platform, case.card_conversation, case.card_message, case.card_route).thread()
    return chat_platform, address


def _assigned_agent(case: Case) -> tuple[ChatPlatform, Address]:
    """The assigned agent in a direct message on the card's platform, else the support channel."""
    chat_platform = card_platform_for(case)
    if chat_platform is not None and case.assignee_chat_id:
        workspace = case.workspace_id if case.channel == chat_platform.name else ""
        assignee = Person(chat_platform.name, workspace, case.assignee_chat_id)
        route = route_of(assignee, any_workspace=not workspace)
        address = chat_platform.direct_address(workspace=workspace, user_id=case.assignee_chat_id, route=route)
        if address is not None:
            return chat_platform, address
    if chat_platform is not None and case.assignee is not None:
        linked = ChatUser.objects.filter(django_user=case.assignee, platform=chat_platform.name).first()
        if linked and (
            address := chat_platform.direct_address(
                workspace=linked.workspace_id, user_id=linked.user_id, route=linked.route
            )
        ):
            return chat_platform, address
    return _support(case)


def _reporter(case: Case) -> tuple[ChatPlatform, Address, Language]:
    """The reporter's own conversation with the bot, on the platform they use; an API reporter's linked chat user."""
    fallback = Language.of_text(case.question or case.description)
    chat_platform = platform(case.channel)
    if chat_platform is not None and chat_platform.is_configured():
        person = Person(case.channel, case.workspace_id, case.reporter_id)
        route = route_of(person)
        address = chat_platform.direct_address(workspace=case.workspace_id, user_id=case.reporter_id, route=route)
        if address is not None:
            return chat_platform, address, language_of(person, default=fallback)
    linked = _linked_chat_user_of_api_reporter(case)
    if linked is not None and (chat_platform := platform(linked.platform)) is not None:
        address = chat_platform.direct_address(
            workspace=linked.workspace_id, user_id=linked.user_id, route=linked.route
        )
        if address is not None:
            person = Person(linked.platform, linked.workspace_id, linked.user_id)
            return chat_platform, address, language_of(person, default=fallback)
    raise Undeliverable("reporter has no chat address")


def _linked_chat_user_of_api_reporter(case: Case) -> ChatUser | None:
    if case.channel != API_CHANNEL:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=case.reporter_id).first()
    home = home_platform()
    return chat_user_of_site_user(user, prefer=home.name if home else "") if user else None


def _where(address: Address) -> str:
    return f"{address.platform}:{address.conversation}"
