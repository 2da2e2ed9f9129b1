import pytest
import yaml
from django.core.management import CommandError, call_command
from slack_sdk.socket_mode.request import SocketModeRequest

from tests.conftest import REPO
from tests.supportbot.slack.conftest import TEAM, USER, assert_valid

pytestmark = pytest.mark.django_db(transaction=True)


class CapturingClient:
    def __init__(self, logger):
        self.logger = logger
        self.responses = []

    def send_socket_mode_response(self, response):
        self.responses.append(response)


def test_socket_mode_needs_an_app_token(settings):
    settings.SLACK_APP_TOKEN = ""
    with pytest.raises(CommandError, match="SLACK_APP_TOKEN"):
        call_command("slack_socket_mode")


def test_socket_mode_serves_the_same_listeners(slack, zh_user, settings):
    from supportbot.management.commands.slack_socket_mode import socket_mode_handler

    handler = socket_mode_handler("xapp-1-test")
    client = CapturingClient(handler.app.logger)
    command = {"team_id": TEAM, "user_id": USER, "command": "/wxbind", "text": "解绑", "response_url": "https://x"}
    handler.handle(client, SocketModeRequest(type="slash_commands", envelope_id="env-1", payload=command))
    response = client.responses[0]
    assert response.envelope_id == "env-1"
    assert response.payload["blocks"][0]["text"]["text"] == "如何解除微信小程序与腾讯云的绑定"
    assert_valid(response.payload["blocks"])


def test_the_manifest_declares_everything_the_bot_uses():
    manifest = yaml.safe_load((REPO / "slack/manifest.yml").read_text(encoding="utf-8"))
    assert manifest["features"]["slash_commands"][0]["command"] == "/wxbind"
    settings = manifest["settings"]
    endpoints = {
        manifest["features"]["slash_commands"][0]["url"],
        settings["interactivity"]["request_url"],
        settings["event_subscriptions"]["request_url"],
    }
    assert len(endpoints) == 1
    assert endpoints.pop().endswith("/slack/events")
    assert settings["interactivity"]["is_enabled"]
    assert {"app_mention", "message.im"} <= set(settings["event_subscriptions"]["bot_events"])
    assert {"commands", "chat:write", "users:read", "app_mentions:read", "im:history"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )
