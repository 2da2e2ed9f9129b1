"""Property-based tests of the Slack endpoint: whatever people type, every command gets a reply that is
valid Block Kit and in which nothing they typed becomes a ping, a mention or a link.

The examples run against the live endpoint, signed as Slack signs them; their number is bounded so that
`make test` stays quick (FUZZ_EXAMPLES raises it for a longer run).
"""

import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.supportbot.slack.conftest import assert_valid, rendered_texts

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
MARKUP = ("<!channel>", "<!here>", "<!everyone>", "<@U0ADMIN>", "<#C0SECRET>", "<https://evil.example|官方>")
FRAGMENTS = st.sampled_from(
    [
        *MARKUP,
        *("case", "cases", "工单", "help", "diagnose", "en", "zh", "解绑", "授权异常", "1001", "-1", "99999999999"),
        *("\x00", "\u202e", "&amp;", "*bold*", "`code`", "~", "> quote", "\n", "🙃", "\ufeff"),
    ]
)
SLASH_TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=12)), max_size=8).map(" ".join)


def replies_after(standin, before: int, timeout: float = 5.0) -> list:
    """Replies the product sent another way than the acknowledgement (a modal, the response URL)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        later = standin.calls[before:]
        if later:
            return later
        time.sleep(0.05)
    return []


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=SLASH_TEXT)
def test_every_slash_command_gets_a_valid_reply_that_pings_and_links_nothing(slack, standin, zh_user, text):
    before = len(standin.calls)
    reply = slack.command(text)
    assert reply.status == 200, (text, reply.body)
    messages = [reply.json()] if reply.body else [call.payload for call in replies_after(standin, before)]
    assert messages, f"no reply to {text!r}"
    assert not standin.rejected, standin.rejected
    for message in messages:
        blocks = message.get("blocks") or message.get("view", {}).get("blocks") or []
        if blocks:
            assert_valid(blocks)
        for shown in rendered_texts(message):
            for markup in MARKUP:
                assert markup not in shown, (text, shown)
