import copy
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from supportbot.conversation.people import forget_locales
from tests.supportbot.slack.conftest import _load_diagnosis_steps
from tests.teams_standin import TeamsStandIn, card_problems

PAYLOADS = Path(__file__).parent / "payloads"
APP_ID = "c9e1b0a3-0000-0000-0000-000000000b07"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
REPORTER = "6b1e7a4e-0000-0000-0000-000000000001"  # the recorded sender's Entra object id
AGENT = "a9e1a9e1-0000-0000-0000-00000000a9e1"
SUPPORT = "19:support@thread.tacv2"
PERSONAL = "a:1XyZpersonalConversationId"


@dataclass
class Reply:
    status: int
    body: str

    def json(self):
        return json.loads(self.body)


def recorded(name: str) -> dict:
    return json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))


class TeamsSender:
    """Posts activities to the product's Teams endpoint over HTTP, shaped and signed as the Bot Framework does."""

    def __init__(self, url: str, standin: TeamsStandIn) -> None:
        self.url = url
        self.standin = standin
        self._ids = iter(range(1, 10**9))

    def activity(self, name: str, **changes) -> dict:
        activity = copy.deepcopy(recorded(name))
        activity["serviceUrl"] = self.standin.service_url
        if "id" in activity and "id" not in changes:
            activity["id"] = f"{activity['id']}-{next(self._ids)}"  # every test activity is a new one
        activity.update(changes)
        return activity

    def token_for(self, activity: dict, **claims) -> str:
        claims.setdefault("serviceurl", activity.get("serviceUrl") if isinstance(activity, dict) else None)
        return self.standin.token(audience=claims.pop("audience", APP_ID), **claims)

    def post(self, activity, *, token: str | None = "sign", raw: bytes | None = None, headers=None) -> Reply:
        body = raw if raw is not None else json.dumps(activity, ensure_ascii=False).encode("utf-8")
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if token == "sign":
            token = self.token_for(activity if isinstance(activity, dict) else {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.url, data=body, method="POST", headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return Reply(response.status, response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode("utf-8"))

    # Shapes people make ------------------------------------------------------------------------

    def message(self, text: str, *, locale: str | None = "en-US", user: str = REPORTER, **changes) -> Reply:
        activity = self.activity("message_personal", text=text, **changes)
        activity["from"] = {**activity["from"], "aadObjectId": user, "id": f"29:{user}"}
        if locale is None:
            activity.pop("locale", None)
        else:
            activity["locale"] = locale
        return self.post(activity)

    def mention(self, text: str, **changes) -> Reply:
        return self.post(self.activity("message_channel_mention", text=f"<at>wxbind</at> {text}", **changes))

    def click(self, data: dict, *, reply_to: str = "1700000000009", user: str = REPORTER, **changes) -> Reply:
        """An Action.Submit: Teams sends the button's data, with the card's inputs merged in, as a message."""
        activity = self.activity("submit_action", value=data, replyToId=reply_to, **changes)
        activity["from"] = {**activity["from"], "aadObjectId": user, "id": f"29:{user}"}
        return self.post(activity)

    def invoke(self, data: dict, *, user: str = REPORTER) -> Reply:
        activity = self.activity("invoke_action")
        activity["value"]["action"]["data"] = data
        activity["from"] = {**activity["from"], "aadObjectId": user, "id": f"29:{user}"}
        return self.post(activity)


@pytest.fixture(scope="session")
def standin():
    server = TeamsStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def teams_settings(settings, standin):
    from supportbot.teams import auth, handlers

    settings.TEAMS_APP_ID = APP_ID
    settings.TEAMS_APP_PASSWORD = "app-password"
    settings.TEAMS_TENANT_ID = TENANT
    settings.TEAMS_SERVICE_URL = standin.service_url
    settings.TEAMS_SUPPORT_CONVERSATION = SUPPORT
    settings.TEAMS_ESCALATION_CONVERSATION = ""
    settings.TEAMS_AGENT_IDS = [AGENT]
    settings.TEAMS_SKIP_AUTH = False
    settings.TEAMS_OPENID_METADATA_URL = standin.openid_url
    settings.TEAMS_TOKEN_URL = standin.token_url
    settings.WXBIND_BASE_URL = ""
    settings.SLACK_BOT_TOKEN = ""
    settings.SLACK_SUPPORT_CHANNEL = ""
    standin.reset()
    auth.forget_keys()
    auth.bot_token.forget()
    handlers.forget_seen()
    forget_locales()
    yield settings
    auth.forget_keys()
    auth.bot_token.forget()
    handlers.forget_seen()
    forget_locales()


@pytest.fixture
def teams(teams_settings, live_server, standin, transactional_db) -> TeamsSender:
    from django.core.management import call_command

    from supportbot.recorder import recorder

    call_command("import_faq", verbosity=0)
    _load_diagnosis_steps()
    yield TeamsSender(f"{live_server.url}/api/teams/messages", standin)
    recorder.flush()


def assert_valid(card: dict) -> None:
    problems = card_problems(card)
    assert not problems, problems


def visible_text(card: dict) -> str:
    """Every string a reader could see on a card (not the data its buttons send back)."""
    hidden = {"data", "id", "type", "url", "selectAction", "msteams", "version"}

    def visible(node):
        if isinstance(node, dict):
            return {k: visible(v) for k, v in node.items() if k not in hidden}
        if isinstance(node, list):
            return [visible(v) for v in node]
        return node

    return json.dumps(visible(card), ensure_ascii=False)


def buttons(card: dict) -> list[dict]:
    """Every action on a card, in order."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "ActionSet":
                found.extend(node["actions"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card.get("body", []))
    return found


def button(card: dict, title: str) -> dict:
    for found in buttons(card):
        if found.get("title") == title:
            return found
    raise AssertionError(f"no button {title!r} among {[b.get('title') for b in buttons(card)]}")


def settle(seconds: float = 0.2) -> None:
    time.sleep(seconds)
