import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest
from slack_sdk.signature import SignatureVerifier

from faq.models import DiagnosisStep
from supportbot.conversation.people import Person, forget_locales
from supportbot.conversation.platforms import platform
from supportbot.slack.app import reset_app
from tests.slack_standin import SlackStandIn, block_problems

PAYLOADS = Path(__file__).parent / "payloads"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM = "T0TEST"
USER = "U2147483697"


@dataclass
class Reply:
    status: int
    body: str

    def json(self) -> dict:
        return json.loads(self.body)


class SlackSender:
    """Sends requests to the product's Slack endpoint over HTTP, shaped and signed as Slack sends them."""

    def __init__(self, url: str, standin: SlackStandIn) -> None:
        self.url = url
        self.standin = standin
        self._signer = SignatureVerifier(SIGNING_SECRET)

    def post(
        self,
        body: str | bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict | None = None,
    ) -> Reply:
        timestamp = int(time.time()) if timestamp is None else timestamp
        signature = signature or self._signer.generate_signature(timestamp=str(timestamp), body=body)
        request = urllib.request.Request(
            self.url,
            data=body if isinstance(body, bytes) else body.encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": str(timestamp),
                "X-Slack-Signature": signature,
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return Reply(response.status, response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode("utf-8"))

    def command_body(self, text: str, *, user: str = USER, response_name: str = "cmd") -> str:
        fields = dict(parse_qsl((PAYLOADS / "slash_command.txt").read_text(encoding="utf-8").strip()))
        fields.update(text=text, user_id=user, response_url=self.standin.response_url(response_name))
        return urlencode(fields)

    def command(self, text: str, **options) -> Reply:
        return self.post(self.command_body(text, **options), "application/x-www-form-urlencoded")

    def action(
        self, action_id: str, value: str = "", *, block_id: str = "wxbind_feedback_0", user: str = USER
    ) -> Reply:
        payload = json.loads((PAYLOADS / "block_actions.json").read_text(encoding="utf-8"))
        payload["actions"][0].update(action_id=action_id, value=value, block_id=block_id)
        payload["user"]["id"] = user
        payload["response_url"] = self.standin.response_url("action")
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def submit_case(self, values: dict, *, view_id: str = "VCASE1", metadata: str = "", user: str = USER) -> Reply:
        payload = json.loads((PAYLOADS / "view_submission.json").read_text(encoding="utf-8"))
        payload["user"]["id"] = user
        payload["view"].update(id=view_id, callback_id="case_open", private_metadata=metadata)
        state = {}
        for block_id, value in values.items():
            if block_id == "account_kind":
                state[block_id] = {"value": {"type": "static_select", "selected_option": {"value": value}}}
            else:
                state[block_id] = {"value": {"type": "plain_text_input", "value": value}}
        payload["view"]["state"] = {"values": state}
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def event(self, changes: dict | None = None, *, event_id: str = "Ev0LAN670R", retry: int | None = None) -> Reply:
        payload = json.loads((PAYLOADS / "app_mention.json").read_text(encoding="utf-8"))
        payload["event"].update(changes or {})
        payload["event_id"] = event_id
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        return self.post(json.dumps(payload), "application/json", headers=headers)


@pytest.fixture(scope="session")
def standin():
    server = SlackStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def slack_settings(settings, standin):
    settings.SLACK_BOT_TOKEN = standin.token
    settings.SLACK_SIGNING_SECRET = SIGNING_SECRET
    settings.SLACK_API_URL = standin.api_url
    settings.WXBIND_BASE_URL = ""
    settings.SLACK_SUPPORT_CHANNEL = "CSUPPORT"
    settings.SLACK_AGENT_USERGROUP = "SAGENTS"
    platform("slack").forget_agents()
    standin.reset()
    standin.locales.clear()
    forget_locales()
    reset_app()
    yield settings
    reset_app()
    forget_locales()


@pytest.fixture
def slack(slack_settings, live_server, standin, transactional_db) -> SlackSender:
    from django.core.management import call_command

    from supportbot.recorder import recorder

    call_command("import_faq", verbosity=0)
    _load_diagnosis_steps()
    yield SlackSender(f"{live_server.url}/slack/events", standin)
    time.sleep(0.1)  # let lazy listeners finish their writes
    recorder.flush()


@pytest.fixture
def zh_user(standin):
    """A user whose locale the product already knows: answers come in the acknowledgement."""
    from supportbot.conversation.people import remember_locale

    remember_locale(Person("slack", TEAM, USER), locale="zh-CN")
    return USER


def _load_diagnosis_steps() -> None:
    # Flushed by transactional tests; the shipped defaults are what every test expects.
    if DiagnosisStep.objects.exists():
        return
    steps = json.loads((Path(__file__).resolve().parents[3] / "faq/content/diagnosis.json").read_text("utf-8"))
    for order, step in enumerate(steps, start=1):
        DiagnosisStep.objects.create(display_order=order * 10, **step)


def assert_valid(blocks, *, limit: int = 50) -> None:
    problems = block_problems(blocks, limit=limit)
    assert not problems, problems


def rendered_texts(node, found: list[str] | None = None) -> list[str]:
    """Every text Slack renders of a message (its top-level fallback, the blocks', a modal's): the "text"
    strings, not button values, ids or links Slack only sends back or follows."""
    found = [] if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                found.append(value)
            elif key not in {"value", "action_id", "block_id", "url"}:
                rendered_texts(value, found)
    elif isinstance(node, list):
        for item in node:
            rendered_texts(item, found)
    return found


def all_text(blocks) -> str:
    """Every string a reader could see in the blocks (not the opaque values Slack sends back to us)."""
    hidden = {"value", "action_id", "block_id"}

    def visible(node):
        if isinstance(node, dict):
            return {k: visible(v) for k, v in node.items() if k not in hidden}
        if isinstance(node, list):
            return [visible(v) for v in node]
        return node

    return json.dumps(visible(blocks), ensure_ascii=False)
