"""The one place that says which case moves are allowed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    OPEN = "open", _("open")
    ASSIGNED = "assigned", _("assigned")
    WAITING = "waiting", _("waiting on reporter")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")


class Action(models.TextChoices):
    ASSIGN = "assign", _("assign")
    WAIT = "wait", _("wait on reporter")
    REPORTER_REPLIED = "reporter_replied", _("reporter replied")
    RESOLVE = "resolve", _("resolve")
    REOPEN = "reopen", _("reopen")
    CLOSE = "close", _("close")


# (state, action) -> state after it. Anything else is refused.
MOVES: dict[tuple[State, Action], State] = {
    (State.OPEN, Action.ASSIGN): State.ASSIGNED,
    (State.OPEN, Action.RESOLVE): State.RESOLVED,
    (State.ASSIGNED, Action.ASSIGN): State.ASSIGNED,  # hand over to another agent
    (State.ASSIGNED, Action.WAIT): State.WAITING,
    (State.ASSIGNED, Action.RESOLVE): State.RESOLVED,
    (State.WAITING, Action.REPORTER_REPLIED): State.ASSIGNED,
    (State.WAITING, Action.ASSIGN): State.WAITING,
    (State.WAITING, Action.RESOLVE): State.RESOLVED,
    (State.RESOLVED, Action.REOPEN): State.ASSIGNED,
    (State.RESOLVED, Action.CLOSE): State.CLOSED,
}

ACTIVE_STATES = (State.OPEN, State.ASSIGNED, State.WAITING)


class IllegalMove(Exception):
    def __init__(self, state: str, action: str) -> None:
        self.state, self.action = state, action
        state_label = State(state).label if state in State.values else state
        action_label = Action(action).label if action in Action.values else action
        # In the language of whoever asked (the admin, the API); chat words its own refusal from state and action.
        super().__init__(
            gettext("A case that is %(state)s cannot be moved by “%(action)s”.")
            % {"state": state_label, "action": action_label}
        )


def next_state(state: str, action: str) -> State:
    if state in State.values and action in Action.values and (State(state), Action(action)) in MOVES:
        return MOVES[(State(state), Action(action))]
    raise IllegalMove(state, action)


def allowed_actions(state: str) -> list[Action]:
    return [action for (from_state, action) in MOVES if from_state == state]
