"""Property-based tests of the Slack endpoint: whatever people type, every command gets a reply that is
valid Block Kit and in which nothing they typed becomes a ping, a mention or a link.

The examples run against the live endpoint, signed as Slack signs them; their number is bounded so that
`make test` stays quick (FUZZ_EXAMPLES raises it for a longer run).
"""

import json
import os
import time
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import hostile_json, payload_paths
from tests.supportbot.slack.conftest import PAYLOADS, assert_valid, rendered_texts

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


# Interactive payloads and events, by kind ------------------------------------------

HOSTILE = hostile_json(
    ["\x00", "x" * 5000, "<!channel>", "case:assign_to", "{", "[]", "-1", "VNHU13V36" * 20], floats=True
)


def _swapped(payload: dict, path: tuple, value) -> dict:
    changed = json.loads(json.dumps(payload))
    node = changed
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return changed


def _case_form() -> dict:
    payload = json.loads((PAYLOADS / "view_submission.json").read_text(encoding="utf-8"))
    payload["view"].update(callback_id="case_open", private_metadata="")
    text = {"type": "plain_text_input", "value": "授权异常 <!channel>"}
    kind = {"type": "static_select", "selected_option": {"value": "main"}}
    payload["view"]["state"] = {"values": {"description": {"value": text}, "account_kind": {"value": kind}}}
    return payload


BASES = {
    "block_actions": lambda: json.loads((PAYLOADS / "block_actions.json").read_text(encoding="utf-8")),
    "view_submission": _case_form,
    "app_mention": lambda: json.loads((PAYLOADS / "app_mention.json").read_text(encoding="utf-8")),
}


@st.composite
def mutated_payloads(draw):
    kind = draw(st.sampled_from(sorted(BASES)))
    payload = BASES[kind]()
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = [path for path in payload_paths(payload) if path != ("type",)]
        path = draw(st.sampled_from(paths))
        payload = _swapped(payload, path, draw(HOSTILE))
    return kind, payload


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated=mutated_payloads())
def test_a_signed_payload_of_any_kind_is_answered_200_or_400_and_a_400_changes_nothing(slack, standin, mutated):
    from cases.models import Case

    kind, payload = mutated
    if payload.get("response_url") == BASES["block_actions"]()["response_url"]:
        payload["response_url"] = standin.response_url("fuzz")  # replies reach the stand-in, not Slack
    cases_before = Case.objects.count()
    if kind == "app_mention":
        reply = slack.post(json.dumps(payload), "application/json")
    else:
        reply = slack.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    assert reply.status in (200, 400), (kind, payload, reply.status, reply.body[:300])
    if reply.status == 400:
        assert reply.body.startswith("Malformed payload"), reply.body[:200]
        time.sleep(0.05)
        assert Case.objects.count() == cases_before
    assert not standin.rejected, standin.rejected  # nothing invalid reached Slack
