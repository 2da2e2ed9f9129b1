"""Agents and reporters talking through a case, through the live endpoints, on real parts.

Slack's events and Teams' activities are recorded payloads, signed as the
platforms sign them, posted to the running site; PostgreSQL holds the cases,
Redis carries the work to a real Celery worker, and the Slack and Teams
stand-ins count every message that reached them: none lost, none twice.
"""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Case, CaseEvent, Delivery, ReminderPolicy, Said
from cases.policy import Actor
from cases.services import case_move
from cases.states import State
from supportbot.conversation.people import forget_locales
from supportbot.conversation.platforms import platform
from supportbot.models import HeldMessage
from supportbot.slack.app import reset_app
from tests.conftest import require_broker
from tests.supportbot.slack.conftest import SIGNING_SECRET, SlackSender, _load_diagnosis_steps
from tests.supportbot.slack.conftest import TEAM as SLACK_TEAM
from tests.supportbot.slack.conftest import USER as SLACK_REPORTER
from tests.supportbot.teams.conftest import APP_ID, REPORTER, SUPPORT, TENANT, TeamsSender, visible_text

pytestmark = pytest.mark.django_db(transaction=True)

SLACK_PAYLOADS = Path(__file__).resolve().parents[1] / "slack" / "payloads"
SLACK_AGENT = "UAGENT1"
SECRET = "0123456789abcdef0123456789abcdef"
SLACK_REPORTER_ACTOR = Actor(
    label=f"slack:{SLACK_REPORTER}", channel="slack", workspace_id=SLACK_TEAM, user_id=SLACK_REPORTER
)
TEAMS_REPORTER_ACTOR = Actor(label=f"teams:{REPORTER}", channel="teams", workspace_id=TENANT, user_id=REPORTER)


@pytest.fixture(autouse=True)
def _real_parts():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and a real worker; the PostgreSQL tier runs these")
    require_broker("relay tests")


@pytest.fixture
def sites(settings, slack_standin, teams_standin, live_server, worker):
    """Both platforms set up against their stand-ins; each test chooses where agents work."""
    from django.core.management import call_command

    from supportbot.teams import auth, handlers

    settings.SLACK_BOT_TOKEN = slack_standin.token
    settings.SLACK_SIGNING_SECRET = SIGNING_SECRET
    settings.SLACK_API_URL = slack_standin.api_url
    settings.SLACK_SUPPORT_CHANNEL = "CSUPPORT"
    settings.SLACK_AGENT_USERGROUP = ""
    settings.TEAMS_APP_ID = APP_ID
    settings.TEAMS_APP_PASSWORD = "app-password"
    settings.TEAMS_TENANT_ID = TENANT
    settings.TEAMS_SERVICE_URL = teams_standin.service_url
    settings.TEAMS_SUPPORT_CONVERSATION = SUPPORT
    settings.TEAMS_SKIP_AUTH = False
    settings.TEAMS_OPENID_METADATA_URL = teams_standin.openid_url
    settings.TEAMS_TOKEN_URL = teams_standin.token_url
    settings.WXBIND_BASE_URL = ""
    settings.WXBIND_HOME_PLATFORM = "slack"
    settings.LANGUAGE_CODE = "en"
    slack_standin.reset()
    slack_standin.locales.clear()
    teams_standin.reset()
    platform("slack").forget_agents()
    auth.forget_keys()
    auth.bot_token.forget()
    handlers.forget_seen()
    forget_locales()
    reset_app()
    ReminderPolicy.objects.update_or_create(pk=1, defaults={"escalation_levels": 0})
    call_command("import_faq", verbosity=0)
    _load_diagnosis_steps()
    yield Sites(
        slack=SlackSender(f"{live_server.url}/slack/events", slack_standin),
        teams=TeamsSender(f"{live_server.url}/api/teams/messages", teams_standin),
        slack_standin=slack_standin,
        teams_standin=teams_standin,
    )
    reset_app()
    forget_locales()


class Sites:
    def __init__(self, *, slack, teams, slack_standin, teams_standin) -> None:
        self.slack, self.teams = slack, teams
        self.slack_standin, self.teams_standin = slack_standin, teams_standin

    # Slack ------------------------------------------------------------------------------

    def slack_event(self, name: str, *, event_id: str, retry: int | None = None, **changes):
        payload = json.loads((SLACK_PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
        payload["event"].update(changes)
        payload["event"] = {key: value for key, value in payload["event"].items() if value is not None}
        payload["event_id"] = event_id
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        started = time.monotonic()
        reply = self.slack.post(json.dumps(payload), "application/json", headers=headers)
        assert reply.status == 200, reply.body
        assert time.monotonic() - started < 3  # acknowledged within Slack's limit: the sending is the workers'
        return reply

    def slack_posts(self, channel: str, *, thread: str | None = None) -> list[dict]:
        found = [call.payload for call in self.slack_standin.calls_to("chat.postMessage")]
        found = [p for p in found if p.get("channel") == channel]
        return found if thread is None else [p for p in found if p.get("thread_ts") == thread]

    def slack_card(self, case: Case) -> str:
        return wait_until(lambda: Case.objects.get(pk=case.pk).card_message)

    # Teams ------------------------------------------------------------------------------

    def teams_post(self, name: str, **changes):
        activity = self.teams.activity(name, **changes)
        started = time.monotonic()
        reply = self.teams.post(activity)
        assert reply.status == 200, reply.body
        assert time.monotonic() - started < 15
        return activity

    def teams_sent(self, conversation_prefix: str) -> list:
        return [s for s in self.teams_standin.delivered("POST") if s.conversation.startswith(conversation_prefix)]


def _elements(node, kind: str) -> list[dict]:
    """Every element of a card whose type starts with ``kind`` ("Action.", "Input."), however deep."""
    if isinstance(node, dict):
        found = [node] if str(node.get("type", "")).startswith(kind) else []
        return found + [e for value in node.values() for e in _elements(value, kind)]
    if isinstance(node, list):
        return [e for value in node for e in _elements(value, kind)]
    return []


def wait_until(probe, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := probe():
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


def settled(probe, count: int, *, extra: float = 1.5) -> list:
    """Wait for ``count`` of something, then a while more, so that a duplicate would have arrived too."""
    wait_until(lambda: len(probe()) >= count)
    time.sleep(extra)
    return probe()


def blocks_text(payload: dict) -> str:
    blocks = payload.get("blocks")
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return json.dumps(blocks, ensure_ascii=False)


def open_on_slack(sites: Sites) -> Case:
    reply = sites.slack.submit_case({"description": "授权一直异常"}, view_id=f"V{time.monotonic_ns()}")
    assert reply.status == 200
    case = wait_until(lambda: Case.objects.filter(channel="slack").order_by("-number").first())
    sites.slack_card(case)
    return Case.objects.get(pk=case.pk)


# Slack ↔ Slack --------------------------------------------------------------------------------


def test_slack_agent_and_slack_reporter_talk_through_the_case(sites, settings):
    settings.TEAMS_APP_ID = ""  # Slack only
    case = open_on_slack(sites)
    card = case.card_message
    sites.slack_event("message_thread_reply", event_id="EvAGENT1", thread_ts=card)

    to_reporter = settled(lambda: sites.slack_posts(SLACK_REPORTER), 2)  # the case confirmation, then the relay
    relayed = [p for p in to_reporter if "console" in blocks_text(p)]
    assert len(relayed) == 1
    text = blocks_text(relayed[0])
    assert f"<@{SLACK_AGENT}>" in text
    assert f"工单 {case.number}" in text
    assert "the console (https://console.cloud.tencent.com/tcb)" in text
    case.refresh_from_db()
    assert (case.state, case.assignee_chat_id) == (State.WAITING, SLACK_AGENT)
    assert case.first_response_at is not None
    # The card shows the new state; nothing is written under it for the agent's own message.
    wait_until(lambda: sites.slack_standin.calls_to("chat.update"))
    assert sites.slack_posts("CSUPPORT", thread=card) == []

    # The reporter answers in their DM with the bot: it lands in the case's thread, and the agent is up again.
    sites.slack_event("message_im", event_id="EvREPORTER1")
    in_thread = settled(lambda: sites.slack_posts("CSUPPORT", thread=card), 1)
    assert len(in_thread) == 1
    assert "wx0123456789abcdef" in blocks_text(in_thread[0])
    assert f"<@{SLACK_REPORTER}>" in blocks_text(in_thread[0])
    case.refresh_from_db()
    assert case.state == State.ASSIGNED
    said = list(case.events.filter(action__in=[Said.AGENT, Said.REPORTER]).values_list("action", "platform"))
    assert said == [(Said.AGENT, "slack"), (Said.REPORTER, "slack")]
    sent = Delivery.objects.filter(case=case, kind__in=[Delivery.Kind.TO_REPORTER, Delivery.Kind.TO_AGENTS])
    assert sorted(sent.values_list("state", flat=True)) == [Delivery.State.SENT] * 2


def test_a_slack_retry_of_the_same_message_is_relayed_once(sites, settings):
    settings.TEAMS_APP_ID = ""
    case = open_on_slack(sites)
    sites.slack_event("message_thread_reply", event_id="EvAGENT2", thread_ts=case.card_message)
    sites.slack_event("message_thread_reply", event_id="EvAGENT2", thread_ts=case.card_message, retry=1)
    relayed = settled(lambda: [p for p in sites.slack_posts(SLACK_REPORTER) if "console" in blocks_text(p)], 1)
    assert len(relayed) == 1
    assert CaseEvent.objects.filter(case=case, action=Said.AGENT).count() == 1


def test_internal_notes_bot_messages_and_other_threads_are_never_relayed(sites, settings):
    settings.TEAMS_APP_ID = ""
    case = open_on_slack(sites)
    card = case.card_message
    confirmations = len(sites.slack_posts(SLACK_REPORTER))
    sites.slack_event(
        "message_thread_reply",
        event_id="EvNOTE",
        thread_ts=card,
        text="// looks like a sub-account",
        ts="1700000100.000900",
    )
    sites.slack_event(
        "message_thread_reply", event_id="EvNOTE2", thread_ts=card, text="备注：他用的是子账号", ts="1700000100.000901"
    )
    sites.slack_event("message_bot", event_id="EvBOT", thread_ts=card)
    sites.slack_event("message_thread_reply", event_id="EvOTHER", thread_ts="1600000000.000001", ts="1700000100.000902")
    sites.slack_event("message_thread_reply", event_id="EvTOP", ts="1700000100.000903", thread_ts=None)
    time.sleep(2.0)
    assert len(sites.slack_posts(SLACK_REPORTER)) == confirmations
    notes = list(case.events.filter(action=Said.NOTE).values_list("note", flat=True))
    assert notes == ["// looks like a sub-account", "备注：他用的是子账号"]
    assert not case.events.filter(action=Said.AGENT).exists()
    assert Case.objects.get(pk=case.pk).state == State.OPEN
    # The bot's own relayed messages come back as events too: never relayed again.
    sites.slack_event("message_bot", event_id="EvSELF", thread_ts=card, bot_id="BBOT", user="UBOT", subtype=None)
    time.sleep(1.0)
    assert len(sites.slack_posts(SLACK_REPORTER)) == confirmations


def test_files_are_relayed_as_links_and_secrets_are_masked(sites, settings):
    settings.TEAMS_APP_ID = ""
    case = open_on_slack(sites)
    sites.slack_event(
        "message_file_share", event_id="EvFILE", text=f"截图在这里，AppSecret {SECRET}", ts="1700000300.000401"
    )
    (posted,) = settled(lambda: sites.slack_posts("CSUPPORT", thread=case.card_message), 1)
    text = blocks_text(posted) + posted.get("text", "")
    assert "https://wxbind-test.slack.com/files/U2147483697/F06SCREEN01/authorization.png" in text
    assert "authorization.png" in text
    assert SECRET not in text
    assert "AppSecret" in text
    event = CaseEvent.objects.get(case=case, action=Said.REPORTER)
    assert SECRET not in event.note
    assert event.attachments[0]["name"] == "authorization.png"


def test_with_two_open_cases_a_loose_message_asks_which_and_a_thread_reply_knows(sites, settings):
    settings.TEAMS_APP_ID = ""
    first, second = open_on_slack(sites), open_on_slack(sites)
    # An agent writes on the first case: the reporter's reply under that relayed message goes to the first case.
    sites.slack_event("message_thread_reply", event_id="EvAGENT3", thread_ts=first.card_message)
    wait_until(lambda: Delivery.objects.filter(case=first, kind=Delivery.Kind.TO_REPORTER, state="sent").first())
    relayed = Delivery.objects.get(case=first, kind=Delivery.Kind.TO_REPORTER)
    channel = relayed.destination.removeprefix("slack:")
    sites.slack_event(
        "message_im", event_id="EvREPLY3", channel=channel, thread_ts=relayed.message_ref, ts="1700000500.1"
    )
    wait_until(lambda: sites.slack_posts("CSUPPORT", thread=first.card_message))
    assert sites.slack_posts("CSUPPORT", thread=second.card_message) == []

    # A loose message: held, and the bot asks which case, with a button for each.
    sites.slack_event("message_im", event_id="EvLOOSE", text="还有一个问题", ts="1700000600.1")
    question = wait_until(lambda: [p for p in sites.slack_posts(channel) if "relay:" in blocks_text(p)])
    (asked,) = question
    buttons = [e for b in asked["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert {b["action_id"] for b in buttons} == {f"relay:{first.number}", f"relay:{second.number}"}
    assert "哪一个" in blocks_text(asked)  # asked in the reporter's language
    held = HeldMessage.objects.get()
    assert held.case_number is None
    choice = next(b for b in buttons if b["action_id"] == f"relay:{second.number}")
    for _ in range(2):  # a double click passes it on once
        assert sites.slack.action(choice["action_id"], choice["value"], block_id="wxbind_notice").status == 200
    in_second = settled(lambda: sites.slack_posts("CSUPPORT", thread=second.card_message), 1)
    assert len(in_second) == 1
    assert "还有一个问题" in blocks_text(in_second[0])
    assert HeldMessage.objects.get().case_number == second.number
    assert len(sites.slack_posts("CSUPPORT", thread=first.card_message)) == 1


# Teams ↔ Teams ---------------------------------------------------------------------------------


def open_on_teams(sites: Sites) -> Case:
    form = {"wxbind": "submit_case", "s": "auth-exception", "q": "授权异常", "l": "en", "description": "授权一直异常"}
    assert sites.teams.click(form, reply_to=f"form-{time.monotonic_ns()}").status == 200
    case = wait_until(lambda: Case.objects.filter(channel="teams").order_by("-number").first())
    wait_until(lambda: Case.objects.get(pk=case.pk).card_message)
    return Case.objects.get(pk=case.pk)


def test_teams_agent_and_teams_reporter_talk_through_the_case(sites, settings):
    settings.SLACK_BOT_TOKEN = ""
    case = open_on_teams(sites)
    thread = f"{SUPPORT};messageid={case.card_message}"
    sites.teams_post(
        "message_channel_reply",
        conversation={
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": TENANT,
            "id": thread,
        },
        replyToId=case.card_message,
    )
    personal = "a:1XyZpersonalConversationId"
    to_reporter = settled(lambda: [s for s in sites.teams_sent("a:") if "authorization" in json.dumps(s.cards())], 1)
    assert len(to_reporter) == 1
    shown = visible_text(to_reporter[0].cards()[0])
    assert "Grace Hopper" in shown
    assert f"case {case.number}" in shown
    assert "Please send a screenshot of the authorization page & your AppID." in shown
    case.refresh_from_db()
    assert case.state == State.WAITING

    sites.teams_post(
        "message_personal_file",
        conversation={
            "conversationType": "personal",
            "tenantId": TENANT,
            "id": personal,
        },
    )
    in_thread = settled(lambda: sites.teams_sent(thread), 1)
    assert len(in_thread) == 1
    shown = json.dumps(in_thread[0].cards(), ensure_ascii=False)
    assert "Here it is" in shown
    assert "authorization.png" in shown
    assert "download.aspx" in shown
    assert Case.objects.get(pk=case.pk).state == State.ASSIGNED


# Across platforms: a Teams reporter, agents on Slack ---------------------------------------------


def test_a_teams_reporter_talks_with_slack_agents(sites, settings, live_server):
    settings.TEAMS_SUPPORT_CONVERSATION = ""  # agents work on the home platform, Slack
    settings.WXBIND_BASE_URL = live_server.url
    case = open_on_teams(sites)
    assert case.card_platform == "slack"
    picture = b"\x89PNG\r\n\x1a\n" + b"\x01" * 32
    sites.slack_standin.files["F06AGENT001"] = ("where-to-click.png", "image/png", picture)
    shared = {
        "id": "F06AGENT001",
        "name": "where-to-click.png",
        "mimetype": "image/png",
        "url_private": "https://files.slack.com/files-pri/T0TEST-F06AGENT001/where-to-click.png",
        "permalink": "https://wxbind-test.slack.com/files/UAGENT1/F06AGENT001/where-to-click.png",
    }
    sites.slack_event(
        "message_thread_reply",
        event_id="EvCROSS1",
        thread_ts=case.card_message,
        subtype="file_share",
        files=[shared],
        text=f"Send the AppSecret? No! Only the AppID. AppSecret {SECRET}",
    )
    relayed = settled(lambda: [s for s in sites.teams_sent("a:") if "AppID" in json.dumps(s.cards())], 1)
    assert len(relayed) == 1
    shown = json.dumps(relayed[0].cards(), ensure_ascii=False)
    assert SECRET not in shown
    assert f"case {case.number}" in shown
    # The screenshot opens for the reporter, who is not in the Slack workspace, through the site's signed link.
    links = [a["url"] for a in _elements(relayed[0].cards()[0], "Action.") if a.get("type") == "Action.OpenUrl"]
    assert len(links) == 1
    assert links[0].startswith(f"{live_server.url}/slack/files/")
    with urllib.request.urlopen(links[0], timeout=10) as opened:
        assert opened.read() == picture

    sites.teams_post("message_personal", text="<p>wx0123456789abcdef</p>")
    in_thread = settled(lambda: sites.slack_posts("CSUPPORT", thread=case.card_message), 1)
    assert len(in_thread) == 1
    text = blocks_text(in_thread[0])
    assert "wx0123456789abcdef" in text
    assert "Ada Lovelace" in text
    events = list(case.events.filter(action__in=[Said.AGENT, Said.REPORTER]).values_list("platform", flat=True))
    assert events == ["slack", "teams"]


# Satisfaction -----------------------------------------------------------------------------------


def test_resolving_asks_the_reporter_once_and_keeps_their_rating(sites, settings):
    settings.TEAMS_APP_ID = ""
    case = open_on_slack(sites)
    case_move(number=case.number, action="resolve", actor=Actor(label="system"))
    (survey,) = settled(lambda: [p for p in sites.slack_posts(SLACK_REPORTER) if "rate:5" in blocks_text(p)], 1)
    buttons = [e for b in survey["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons] == ["1", "2", "3", "4", "5"]
    four = buttons[3]
    payload = json.loads((SLACK_PAYLOADS / "block_actions.json").read_text(encoding="utf-8"))
    payload["actions"][0].update(action_id=four["action_id"], value=four["value"], block_id="wxbind_survey_1")
    payload["state"] = {
        "values": {"wxbind_survey_comment": {"comment": {"type": "plain_text_input", "value": "Quick, thanks"}}}
    }
    payload["response_url"] = sites.slack_standin.response_url("survey")
    from urllib.parse import urlencode

    assert (
        sites.slack.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded").status == 200
    )
    case = wait_until(lambda: Case.objects.filter(pk=case.pk, satisfaction__isnull=False).first())
    assert (case.satisfaction, case.satisfaction_comment) == (4, "Quick, thanks")
    # Reopened and resolved again: not asked twice.
    case_move(number=case.number, action="reopen", actor=Actor(label="system"))
    case_move(number=case.number, action="resolve", actor=Actor(label="system"))
    time.sleep(1.5)
    assert len([p for p in sites.slack_posts(SLACK_REPORTER) if "rate:5" in blocks_text(p)]) == 1


def test_teams_notes_other_bots_and_commands_are_not_relayed(sites, settings):
    settings.SLACK_BOT_TOKEN = ""
    case = open_on_teams(sites)
    thread = {
        "isGroup": True,
        "conversationType": "channel",
        "tenantId": TENANT,
        "id": f"{SUPPORT};messageid={case.card_message}",
    }
    before = len(sites.teams_sent("a:"))
    sites.teams_post("message_channel_reply", conversation=thread, text="<p>note: she is on a sub-account</p>")
    other_bot = {"id": "28:0ther-b0t", "name": "Deploy bot"}
    sites.teams_post("message_channel_reply", conversation=thread, text="<p>Deployed</p>", **{"from": other_bot})
    # The reporter asks the bot for help while their case is open: a command, answered, not relayed.
    sites.teams_post("message_personal", text="help")
    time.sleep(2.0)
    to_reporter = sites.teams_sent("a:")[before:]
    assert len(to_reporter) == 1
    assert "Deployed" not in json.dumps(to_reporter[0].cards())
    assert list(case.events.filter(action=Said.NOTE).values_list("note", flat=True)) == [
        "note: she is on a sub-account"
    ]
    assert not case.events.filter(action__in=[Said.AGENT, Said.REPORTER]).exists()
    assert sites.teams_sent(thread["id"]) == []


def test_a_teams_reporter_rates_the_resolved_case_from_the_card(sites, settings):
    settings.SLACK_BOT_TOKEN = ""
    case = open_on_teams(sites)
    case_move(number=case.number, action="resolve", actor=Actor(label="system"))
    (survey,) = settled(lambda: [s for s in sites.teams_sent("a:") if '"rate"' in json.dumps(s.cards())], 1)
    card = survey.cards()[0]
    scores = [a for a in _elements(card, "Action.") if a.get("data", {}).get("wxbind") == "rate"]
    assert [a["title"] for a in scores] == ["1", "2", "3", "4", "5"]
    assert any(i.get("type") == "Input.Text" and i.get("id") == "comment" for i in _elements(card, "Input."))
    # Teams merges the card's inputs into the clicked button's data.
    clicked = {**scores[4]["data"], "comment": "解决得很快"}
    assert sites.teams.click(clicked, reply_to=survey.activity_id).status == 200
    rated = wait_until(lambda: Case.objects.filter(pk=case.pk, satisfaction__isnull=False).first())
    assert (rated.satisfaction, rated.satisfaction_comment) == (5, "解决得很快")
    thanks = wait_until(
        lambda: [s for s in sites.teams_standin.delivered("PUT") if s.activity_id == survey.activity_id]
    )
    assert "5/5" in json.dumps(thanks[0].cards(), ensure_ascii=False)
    # A second click keeps the first answer.
    assert sites.teams.click({**scores[0]["data"], "comment": ""}, reply_to=survey.activity_id).status == 200
    time.sleep(1.0)
    assert Case.objects.get(pk=case.pk).satisfaction == 5


def test_mentioning_the_bot_under_a_case_card_writes_to_the_reporter_and_asks_the_bot_nothing(sites, settings):
    settings.TEAMS_APP_ID = ""
    case = open_on_slack(sites)
    text = "<@UBOT> 请把授权页面截图发给我"
    mention = json.loads((SLACK_PAYLOADS / "app_mention.json").read_text(encoding="utf-8"))
    mention["event"].update(
        user=SLACK_AGENT, text=text, thread_ts=case.card_message, channel="CSUPPORT", ts="1700000700.1"
    )
    mention["event_id"] = "EvMENTION"
    assert sites.slack.post(json.dumps(mention), "application/json").status == 200
    sites.slack_event(
        "message_thread_reply", event_id="EvMENTIONMSG", thread_ts=case.card_message, text=text, ts="1700000700.1"
    )
    relayed = settled(lambda: [p for p in sites.slack_posts(SLACK_REPORTER) if "截图" in blocks_text(p)], 1)
    assert len(relayed) == 1
    assert sites.slack_posts("CSUPPORT", thread=case.card_message) == []  # no answer from search under the card


def test_a_relay_claimed_by_a_worker_that_died_is_sent_once_when_its_lease_runs_out(sites, settings):
    from cases.services import case_agent_message, followups_sweep
    from cases.tasks import send_delivery

    settings.TEAMS_APP_ID = ""
    case = open_on_slack(sites)
    wait_until(lambda: Delivery.objects.filter(case=case, kind=Delivery.Kind.ANNOUNCE, state="sent").exists())
    agent = Actor(label=f"slack:{SLACK_AGENT}", channel="slack", workspace_id=SLACK_TEAM, user_id=SLACK_AGENT)
    with transaction.atomic():
        case_agent_message(
            number=case.number, author=agent, platform="slack", text="需要 AppID", source_key="slack:CSUPPORT:9.1"
        )
        # A worker claimed it and was killed before sending: the claim holds until its lease runs out…
        relay = Delivery.objects.get(case=case, kind=Delivery.Kind.TO_REPORTER)
        Delivery.objects.filter(pk=relay.pk).update(claimed_until=timezone.now() + timedelta(minutes=1), attempts=1)
    time.sleep(1.5)
    assert [p for p in sites.slack_posts(SLACK_REPORTER) if "需要 AppID" in blocks_text(p)] == []
    # …and once it has, the sweep hands it out again; enqueued twice, it is still sent once.
    Delivery.objects.filter(pk=relay.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert relay.pk in followups_sweep()
    send_delivery.delay(relay.pk)
    send_delivery.delay(relay.pk)
    relayed = settled(lambda: [p for p in sites.slack_posts(SLACK_REPORTER) if "需要 AppID" in blocks_text(p)], 1)
    assert len(relayed) == 1
    assert Delivery.objects.get(pk=relay.pk).state == Delivery.State.SENT


def test_a_rate_limited_relay_waits_as_slack_asks_and_is_sent_once(sites, settings):
    settings.TEAMS_APP_ID = ""
    settings.CASE_RETRY_BACKOFF_SECONDS = 0.2
    case = open_on_slack(sites)
    wait_until(lambda: Delivery.objects.filter(case=case, kind=Delivery.Kind.ANNOUNCE, state="sent").exists())
    sites.slack_standin.fail("chat.postMessage", status=429, headers={"Retry-After": "1"})
    sites.slack_event("message_thread_reply", event_id="EvLIMITED", thread_ts=case.card_message)

    def tries():
        calls = sites.slack_standin.calls_to("chat.postMessage")
        return [c for c in calls if c.payload.get("channel") == SLACK_REPORTER and "console" in blocks_text(c.payload)]

    refused, sent = settled(tries, 2)  # exactly one refused and one sent: never a third
    assert sent.at - refused.at >= 1.0  # not before Slack's Retry-After
    relay = Delivery.objects.get(case=case, kind=Delivery.Kind.TO_REPORTER)
    assert relay.state == Delivery.State.SENT


def test_a_slack_reporter_talks_with_teams_agents(sites, settings):
    settings.SLACK_SUPPORT_CHANNEL = ""  # agents work on the home platform, Teams
    settings.WXBIND_HOME_PLATFORM = "teams"
    case = open_on_slack(sites)
    assert case.card_platform == "teams"
    thread = f"{SUPPORT};messageid={case.card_message}"
    channel = {"isGroup": True, "conversationType": "channel", "tenantId": TENANT, "id": thread}
    sites.teams_post("message_channel_reply", conversation=channel, replyToId=case.card_message)
    relayed = settled(lambda: [p for p in sites.slack_posts(SLACK_REPORTER) if "AppID" in blocks_text(p)], 1)
    assert len(relayed) == 1
    assert "Grace Hopper" in blocks_text(relayed[0])  # a Teams agent, named on Slack

    sites.slack_event("message_im", event_id="EvTOTEAMS")
    in_thread = settled(lambda: sites.teams_sent(thread), 1)
    assert len(in_thread) == 1
    assert "wx0123456789abcdef" in json.dumps(in_thread[0].cards(), ensure_ascii=False)
    assert Case.objects.get(pk=case.pk).state == State.ASSIGNED
