"""The app manifest grants every scope the code needs: derived from the code, checked against Slack's docs."""

import ast
from pathlib import Path

import pytest
import yaml

from tests.slack_standin import METHOD_SCOPES, granted_scopes

REPO = Path(__file__).resolve().parents[3]
FRONT_END = REPO / "supportbot" / "slack"
# Events the app subscribes to, and the scope each needs (https://api.slack.com/events).
EVENT_SCOPES = {
    "app_mention": "app_mentions:read",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "message.im": "im:history",
}
# A listener for "message" hears what the app subscribes to of Slack's message events: replies under case
# cards in public and private channels, and direct messages.
SUBSCRIPTIONS_OF = {"app_mention": {"app_mention"}, "message": {"message.channels", "message.groups", "message.im"}}


def listened_events() -> set[str]:
    """The event types the Bolt app registers listeners for: ``app.event("message")`` and the like."""
    found = set()
    tree = ast.parse((FRONT_END / "listeners.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        is_event = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "event"
        if is_event and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            found.add(node.args[0].value)
    return found


def web_api_methods() -> set[str]:
    """Every Slack Web API method the front end calls: ``client.chat_postMessage(…)`` or ``_call("chat_update", …)``."""
    found = set()
    for path in FRONT_END.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name | ast.Call):
                name = function.attr
                owner = function.value.id if isinstance(function.value, ast.Name) else ""
                if owner == "client" or (
                    isinstance(function.value, ast.Call) and "client" in ast.unparse(function.value)
                ):
                    found.add(name.replace("_", "."))
            if isinstance(function, ast.Attribute) and function.attr == "_call" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value.replace("_", "."))
    return found


def test_the_code_calls_the_methods_we_expect_to_find():
    methods = web_api_methods()
    assert {"chat.postMessage", "chat.update", "users.info", "usergroups.users.list", "views.open"} <= methods


def test_every_method_the_code_calls_has_its_scope_in_the_manifest():
    granted = granted_scopes()
    for method in web_api_methods():
        assert method in METHOD_SCOPES, f"{method}: add its documented scope to METHOD_SCOPES"
        needed = METHOD_SCOPES[method]
        assert needed is None or needed in granted, f"{method} needs {needed}, which slack/manifest.yml lacks"


def test_the_manifest_subscribes_to_every_event_the_code_listens_for():
    manifest = yaml.safe_load((REPO / "slack" / "manifest.yml").read_text(encoding="utf-8"))
    subscribed = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    listened = listened_events()
    assert {"app_mention", "message"} <= listened
    needed = set().union(*(SUBSCRIPTIONS_OF[event] for event in listened))
    assert needed <= subscribed, f"add {sorted(needed - subscribed)} to slack/manifest.yml"


def test_the_command_and_events_have_their_scopes():
    manifest = yaml.safe_load((REPO / "slack" / "manifest.yml").read_text(encoding="utf-8"))
    granted = granted_scopes()
    assert "commands" in granted
    for event in manifest["settings"]["event_subscriptions"]["bot_events"]:
        assert EVENT_SCOPES[event] in granted


def test_the_stand_in_refuses_a_method_whose_scope_the_manifest_lacks(standin):
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    client = WebClient(token=standin.token, base_url=standin.api_url)
    assert client.usergroups_users_list(usergroup="S1")["ok"]
    standin.scopes.discard("usergroups:read")
    try:
        with pytest.raises(SlackApiError) as refused:
            client.usergroups_users_list(usergroup="S1")
    finally:
        standin.scopes = granted_scopes()
    assert (refused.value.response["error"], refused.value.response["needed"]) == ("missing_scope", "usergroups:read")
