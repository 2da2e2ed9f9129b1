"""Who is talking to the bot: one identity for every platform, their locale, and whether they are an agent."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import API_CHANNEL
from cases.policy import Actor, is_agent_user
from faq.languages import Language
from supportbot.conversation.grammar import choose_language
from supportbot.models import ChatUser


@dataclass(frozen=True)
class Person:
    """Someone on a chat platform (or the API): platform, workspace or tenant, and their id there."""

    platform: str  # "slack", "teams", "api", …
    workspace: str  # Slack team id, Teams tenant id, "web" for site accounts
    user_id: str
    name: str = ""
    # Staff trying the bot on the site (supportbot.trybot): what they do is real, but not what people asked.
    trial: bool = False

    @property
    def label(self) -> str:
        """How a case timeline names them."""
        return f"{self.platform}:{self.user_id}"


def site_person(user, *, trial: bool = False) -> Person:
    """A signed-in site account talking to the bot; the cases they open are theirs, as through the API."""
    return Person(API_CHANNEL, "web", user.get_username(), user.get_full_name() or user.get_username(), trial=trial)


def actor_of(person: Person) -> Actor:
    """The person as the cases domain knows actors: who they are, and whether they act as an agent."""
    return Actor(
        label=person.label,
        channel=person.platform,
        workspace_id=person.workspace,
        user_id=person.user_id,
        is_agent=is_agent(person),
    )


def reporter_actor(person: Person) -> Actor:
    """The person as the reporter of a case they open (whether they are also an agent does not matter)."""
    return Actor(label=person.label, channel=person.platform, workspace_id=person.workspace, user_id=person.user_id)


def is_agent(person: Person) -> bool:
    """Linked to a site account that is staff or in the Agents group, or an agent by the platform's own rule."""
    linked = linked_site_user(person)
    if linked is not None and is_agent_user(linked):
        return True
    from supportbot.conversation.platforms import platform  # platforms import this module

    chat_platform = platform(person.platform)
    return chat_platform is not None and chat_platform.is_agent(person)


def linked_site_user(person: Person):
    linked = (
        ChatUser.objects.filter(
            platform=person.platform, workspace_id=person.workspace, user_id=person.user_id, django_user__isnull=False
        )
        .select_related("django_user")
        .first()
    )
    return linked.django_user if linked else None


def display_name_of(platform: str, user_id: str) -> str:
    """The name a platform told us for someone, "" if we never looked them up."""
    return display_names_of([(platform, user_id)]).get((platform, user_id), "")


def display_names_of(people: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The names platforms told us for many people (platform, user id) at once, in one query; the unnamed left out."""
    wanted = set(people)
    if not wanted:
        return {}
    anyone = Q()
    for platform, user_id in wanted:
        anyone |= Q(platform=platform, user_id=user_id)
    found = ChatUser.objects.filter(anyone).exclude(display_name="").order_by("pk")
    names: dict[tuple[str, str], str] = {}
    for platform, user_id, name in found.values_list("platform", "user_id", "display_name"):
        names.setdefault((platform, user_id), name)
    return names


def chat_user_of_site_user(user, *, prefer: str = "") -> ChatUser | None:
    """A site account's chat identity (for reaching an API reporter), on ``prefer``'s platform if they have one."""
    found = list(ChatUser.objects.filter(django_user=user).order_by("pk"))
    found.sort(key=lambda chat_user: chat_user.platform != prefer)
    return found[0] if found else None


# Locales: looked up from the platform once per person, then kept -------------------

_MEMO_SIZE = 10_000
_memo: OrderedDict[tuple[str, str, str], str] = OrderedDict()
_memo_lock = threading.Lock()


def known_locale(person: Person) -> str | None:
    """The person's locale if we already know it. Never calls the chat platform."""
    key = (person.platform, person.workspace, person.user_id)
    with _memo_lock:
        if key in _memo:
            _memo.move_to_end(key)
            return _memo[key]
    locale = (
        ChatUser.objects.filter(platform=person.platform, workspace_id=person.workspace, user_id=person.user_id)
        .exclude(locale="")
        .values_list("locale", flat=True)
        .first()
    )
    if locale:
        _remember_in_memo(key, locale)
    return locale


def language_of(person: Person, *, default: Language) -> Language:
    """The person's language from their chat locale, when we know it."""
    locale = known_locale(person)
    return choose_language(explicit=None, locale=locale) if locale else default


def route_of(person: Person, *, any_workspace: bool = False) -> str:
    """How the platform said to reach this person, where it needs more than their id (Teams); "" if unknown."""
    found = ChatUser.objects.filter(platform=person.platform, user_id=person.user_id)
    if not any_workspace:
        found = found.filter(workspace_id=person.workspace)
    return found.exclude(route="").values_list("route", flat=True).first() or ""


def remember_locale(person: Person, *, locale: str, route: str = "", route_is_best: bool = True) -> None:
    """Keep what the platform told us about the person: locale, name, and how to reach them later.

    ``route_is_best=False``: a way to reach them that is worse than one already known (a channel rather
    than their own chat with the bot) is kept only when none is.
    """
    values = {"locale": locale[:16], "display_name": person.name[:200], "fetched_at": timezone.now()}
    if route and route_is_best:
        values["route"] = route[:300]
    key = {"platform": person.platform, "workspace_id": person.workspace, "user_id": person.user_id}
    try:
        with transaction.atomic():
            ChatUser.objects.update_or_create(**key, defaults=values)
    except IntegrityError:  # created by a concurrent request in between; ours is as good
        pass
    if route and not route_is_best:
        ChatUser.objects.filter(**key, route="").update(route=route[:300])
    _remember_in_memo((person.platform, person.workspace, person.user_id), locale)


def _remember_in_memo(key: tuple[str, str, str], locale: str) -> None:
    with _memo_lock:
        _memo[key] = locale
        _memo.move_to_end(key)
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)


def forget_locales() -> None:
    with _memo_lock:
        _memo.clear()
