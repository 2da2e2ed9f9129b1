"""Property-based tests of the Teams endpoint: whatever people type, every message gets a reply of valid
Adaptive Cards, and what they typed shows as typed: as a literal text run, never as card markup."""

import itertools
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import hostile_json, payload_paths
from tests.supportbot.teams.conftest import assert_valid

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
FRAGMENTS = st.sampled_from(
    [
        *("<at>Everyone</at>", "[click](https://evil.example)", "**bold**", "# heading", "- item", "{{DATE(x)}}"),
        *("case", "cases", "工单", "help", "diagnose", "en", "zh", "解绑", "授权异常", "1001", "-1", "wxbind"),
        *("\x00", "\u202e", "<script>alert(1)</script>", "&amp;", "\n", "🙃", "\ufeff"),
    ]
)
MESSAGE_TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=12)), min_size=1, max_size=8).map(" ".join)
_ids = itertools.count(1)


MARKDOWN = ("[click](https://evil.example)", "**bold**", "# heading", "- item")


def markup_from(card) -> list[str]:
    """What a user typed that the card would not show as typed: Markdown in a TextBlock (Teams renders it
    there), or a mention or a date function anywhere."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            text = node.get("text") if isinstance(node.get("text"), str) else ""
            if node.get("type") == "TextBlock":
                found.extend(text for fragment in MARKDOWN if fragment in text)
            if "<at>Everyone</at>" in text or "{{DATE(x)}}" in text:
                found.append(text)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=MESSAGE_TEXT)
def test_every_message_gets_a_reply_of_valid_cards_and_its_text_stays_text(teams, standin, text):
    before = len(standin.sent)
    reply = teams.message(text, id=f"fuzz-{next(_ids)}")
    assert reply.status == 200, (text, reply.body)
    replies = standin.wait_for(before + 1)[before:]
    assert not standin.rejected, standin.rejected
    for sent in replies:
        for card in sent.cards():
            assert_valid(card)
            assert not markup_from(card), text


# Activities of every recorded kind, with hostile values swapped in ----------------------

KINDS = ("message_personal", "message_channel_mention", "submit_action", "invoke_action", "installation_update_add")
HOSTILE = hostile_json(["\x00", "x" * 5000, "<at>Everyone</at>", "https://evil.example/", "{", "-1"])


@st.composite
def hostile_changes(draw):
    """A recorded kind, and up to three places in it with what to put there (serviceUrl and type stay)."""
    kind = draw(st.sampled_from(KINDS))
    from tests.supportbot.teams.conftest import recorded

    paths = [path for path in payload_paths(recorded(kind)) if path[0] not in ("serviceUrl", "type")]
    changes = draw(st.lists(st.tuples(st.sampled_from(paths), HOSTILE), min_size=1, max_size=3))
    return kind, changes


def _apply(activity: dict, changes) -> dict:
    for path, value in changes:
        node = activity
        try:
            for step in path[:-1]:
                node = node[step]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):  # an earlier change replaced this part already
            continue
    return activity


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated=hostile_changes())
def test_a_signed_activity_of_any_kind_is_answered_2xx_or_400_never_5xx(teams, standin, mutated):
    kind, changes = mutated
    activity = _apply(teams.activity(kind), changes)
    reply = teams.post(activity)
    assert reply.status < 500, (kind, changes, reply.status, reply.body[:300])
    assert reply.status in (200, 201, 202, 400), (kind, changes, reply.status, reply.body[:300])
    assert not standin.rejected, standin.rejected


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated=hostile_changes())
def test_an_unsigned_activity_of_any_kind_is_401_and_does_nothing(teams, standin, mutated):
    kind, changes = mutated
    before = len(standin.sent)
    reply = teams.post(_apply(teams.activity(kind), changes), token=None)
    assert reply.status == 401, (kind, changes, reply.status)
    assert len(standin.sent) == before
