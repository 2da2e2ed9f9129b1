import pytest
from django.utils import translation

from cases.states import MOVES, Action, IllegalMove, State, allowed_actions, next_state


@pytest.mark.parametrize(
    ("state", "action", "after"),
    [
        (State.OPEN, Action.ASSIGN, State.ASSIGNED),
        (State.ASSIGNED, Action.WAIT, State.WAITING),
        (State.WAITING, Action.REPORTER_REPLIED, State.ASSIGNED),
        (State.ASSIGNED, Action.RESOLVE, State.RESOLVED),
        (State.RESOLVED, Action.REOPEN, State.ASSIGNED),
        (State.RESOLVED, Action.CLOSE, State.CLOSED),
    ],
)
def test_the_lifecycle_moves(state, action, after):
    assert next_state(state, action) == after


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (State.CLOSED, Action.REOPEN),
        (State.OPEN, Action.WAIT),
        (State.OPEN, Action.CLOSE),
        (State.RESOLVED, Action.RESOLVE),
        (State.WAITING, Action.REOPEN),
        ("lost", Action.ASSIGN),
        (State.OPEN, "explode"),
    ],
)
def test_other_moves_are_refused_with_a_message(state, action):
    with translation.override("en"), pytest.raises(IllegalMove) as error:
        next_state(state, action)
    assert "cannot be moved" in str(error.value)


def test_closed_is_final():
    assert allowed_actions(State.CLOSED) == []
    assert all(to != State.OPEN for to in MOVES.values())  # nothing goes back to unassigned
