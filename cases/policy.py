"""Who may move a case: one rule for chat, the API and admin."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from cases.models import API_CHANNEL, Case
from cases.states import Action

REPORTER_ACTIONS = {Action.RESOLVE, Action.REOPEN, Action.REPORTER_REPLIED}


@dataclass(frozen=True)
class Actor:
    label: str  # how the timeline names them, e.g. "slack:U123" or "staff:alice"
    channel: str = ""
    workspace_id: str = ""
    user_id: str = ""
    is_agent: bool = False


class NotAllowed(Exception):
    def __init__(self, message: str, *, action: str = "", number: int = 0) -> None:
        super().__init__(message)
        self.action, self.number = action, number


def check_may(actor: Actor, case: Case, action: str) -> None:
    """Agents move any case; a reporter may resolve, reopen or answer on their own; nobody else."""
    if actor.is_agent or actor.label == "system":
        return
    if action in REPORTER_ACTIONS and case.is_reporter(
        channel=actor.channel, workspace_id=actor.workspace_id, user_id=actor.user_id
    ):
        return
    move = Action(action).label if action in Action.values else action
    raise NotAllowed(
        gettext("Only support agents can %(move)s case %(number)s.") % {"move": move, "number": case.number},
        action=action,
        number=case.number,
    )


def may_see(actor: Actor, case: Case) -> bool:
    return actor.is_agent or case.is_reporter(
        channel=actor.channel, workspace_id=actor.workspace_id, user_id=actor.user_id
    )


AGENTS_GROUP = "Agents"


def is_agent_user(user) -> bool:
    """Staff, or members of the Agents group."""
    return bool(user and user.is_authenticated and (user.is_staff or user.groups.filter(name=AGENTS_GROUP).exists()))


def actor_for_user(user) -> Actor:
    """A signed-in site or API user as a case actor (their own cases are those reported through the API)."""
    agent = is_agent_user(user)
    return Actor(
        label=f"{'staff' if agent else 'api'}:{user.get_username()}",
        channel=API_CHANNEL,
        workspace_id="web",
        user_id=user.get_username(),
        is_agent=agent,
    )
