"""Property-based tests of the Teams endpoint: whatever people type, every message gets a reply of valid
Adaptive Cards, and what they typed shows as typed: as a literal text run, never as card markup."""

import itertools
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def markup_from(text: str, card) -> list[str]:
    """Places in a card's TextBlocks (which Teams reads as Markdown) where a link the user typed became one."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "TextBlock" and "](https://evil.example)" in node.get("text", ""):
                found.append(node["text"])
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
            assert not markup_from(text, card), text
