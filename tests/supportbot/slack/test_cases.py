import json
import time

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import Case
from cases.states import State
from tests.supportbot.slack.conftest import USER, all_text, assert_valid

pytestmark = pytest.mark.django_db(transaction=True)

AGENT = "UAGENT01"


def open_case(slack, standin, **values):
    reply = slack.submit_case({"description": "授权一直异常", **values})
    assert reply.status == 200
    standin.wait_for("chat.postMessage", 2)
    # The support message's ts is stored just after Slack answers the post.
    deadline = time.monotonic() + 5
    while not (case := Case.objects.get()).card_message and time.monotonic() < deadline:
        time.sleep(0.02)
    return case


def test_open_a_case_button_opens_a_prefilled_form(slack, standin):
    value = json.dumps({"s": "auth-exception", "l": "en", "r": ["not-linked"], "q": "auth broken"})
    slack.action("case:open", value)
    view = standin.wait_for("views.open")[0].payload["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "case_open"
    assert_valid(view["blocks"], limit=100)
    text = all_text(view["blocks"])
    assert "auth-exception" in text
    assert "not-linked" in text
    assert json.loads(view["private_metadata"])["r"] == ["not-linked"]


def test_the_slash_command_opens_the_form_too(slack, standin, zh_user):
    assert slack.command("case").status == 200
    view = standin.wait_for("views.open")[0].payload["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert "提交工单" in view["title"]["text"]


def test_submitting_opens_the_case_confirms_and_tells_the_agents(slack, standin):
    metadata = json.dumps({"s": "auth-exception", "q": "授权异常", "r": ["not-linked"], "l": "zh"})
    reply = slack.submit_case(
        {"description": "还是不行", "account_id": "100012345678", "appid": "wx0123456789abcdef", "account_kind": "sub"},
        metadata=metadata,
    )
    assert (reply.status, reply.body) == (200, "")
    posts = standin.wait_for("chat.postMessage", 2)
    case = Case.objects.get()
    assert (case.number, case.appid, case.account_kind, case.ruled_out) == (
        1001,
        "wx0123456789abcdef",
        "sub",
        ["not-linked"],
    )
    dm = next(p.payload for p in posts if p.payload["channel"] == USER)
    assert "1001" in all_text(dm["blocks"])
    support = next(p.payload for p in posts if p.payload["channel"] == "CSUPPORT")
    assert_valid(support["blocks"])
    actions = [e["action_id"] for b in support["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert actions == ["case:assign_me", "case:assign_to", "case:resolve"]
    case.refresh_from_db()
    assert case.card_message


def test_field_errors_show_inside_the_form_and_nothing_is_opened(slack, standin):
    reply = slack.submit_case({"description": "x", "appid": "wx12", "account_id": "abc"})
    assert reply.status == 200
    data = reply.json()
    assert data["response_action"] == "errors"
    assert set(data["errors"]) == {"appid", "account_id"}
    assert not Case.objects.exists()
    assert slack.submit_case({"description": "  "}).json()["errors"] == {"description": "Please describe the problem."}


def test_a_double_submit_opens_one_case_and_posts_once(slack, standin):
    slack.submit_case({"description": "双击"}, view_id="VSAME")
    slack.submit_case({"description": "双击"}, view_id="VSAME")
    standin.wait_for("chat.postMessage", 2)
    time.sleep(0.5)
    assert Case.objects.count() == 1
    assert len(standin.calls_to("chat.postMessage")) == 2  # one confirmation, one support message


def test_secrets_are_masked_and_the_reporter_is_told(slack, standin):
    case = open_case(slack, standin, description="AppSecret 0123456789abcdef0123456789abcdef 还是授权异常")
    assert "0123456789abcdef0123456789abcdef" not in case.description
    dm = next(c.payload for c in standin.calls_to("chat.postMessage") if c.payload["channel"] == USER)
    assert "AppSecret" in all_text(dm["blocks"])
    support = next(c.payload for c in standin.calls_to("chat.postMessage") if c.payload["channel"] == "CSUPPORT")
    assert "0123456789abcdef0123456789abcdef" not in json.dumps(support)


def test_an_agent_assigns_and_the_message_and_thread_follow(slack, standin):
    case = open_case(slack, standin)
    standin.usergroup_members = [AGENT]
    slack.action("case:assign_me", str(case.number), block_id=f"case_{case.number}", user=AGENT)
    update = standin.wait_for("chat.update")[0].payload
    assert update["ts"] == case.card_message
    assert_valid(update["blocks"])
    assert f"<@{AGENT}>" in all_text(update["blocks"])
    thread = [c.payload for c in standin.calls_to("chat.postMessage") if c.payload.get("thread_ts")]
    standin.wait_for("chat.postMessage", 3)
    thread = [c.payload for c in standin.calls_to("chat.postMessage") if c.payload.get("thread_ts")]
    assert thread[0]["text"] == f"<@{AGENT}>：待分配 → 处理中"  # in the agents' (admin) language
    case.refresh_from_db()
    assert (case.state, case.assignee_chat_id) == (State.ASSIGNED, AGENT)


def test_someone_else_is_refused_politely_and_nothing_changes(slack, standin):
    case = open_case(slack, standin)
    slack.action("case:resolve", str(case.number), block_id=f"case_{case.number}", user="USTRANGER")
    refusal = standin.wait_for("response_url")[0].payload
    assert refusal["response_type"] == "ephemeral"  # only the stranger sees it
    assert f"只有支持人员可以解决工单 {case.number}" in refusal["text"]
    case.refresh_from_db()
    assert case.state == State.OPEN
    assert standin.calls_to("chat.update") == []


def test_the_reporter_resolves_their_own_case(slack, standin):
    case = open_case(slack, standin)
    slack.action("case:resolve", str(case.number), block_id=f"case_{case.number}", user=USER)
    standin.wait_for("chat.update")
    case.refresh_from_db()
    assert case.state == State.RESOLVED


def test_my_cases_and_one_case(slack, standin, zh_user):
    case = open_case(slack, standin)
    slack.command("cases")
    listing = standin.wait_for("response_url")[0].payload
    assert f"*{case.number}*" in all_text(listing["blocks"])
    slack.command(f"case {case.number}")
    shown = standin.wait_for("response_url", 2)[-1].payload
    assert_valid(shown["blocks"])
    assert f"工单 {case.number}" in all_text(shown["blocks"])
    assert [e["action_id"] for b in shown["blocks"] if b["type"] == "actions" for e in b["elements"]] == [
        "case:resolve"
    ]


def test_a_stranger_cannot_see_a_case(slack, standin):
    case = open_case(slack, standin)
    slack.command(f"en case {case.number}", user="USTRANGER")
    shown = standin.wait_for("response_url")[0].payload
    assert "There is no case" in all_text(shown["blocks"])


def test_a_move_made_anywhere_else_updates_the_slack_card(slack, standin, client, superuser):
    """Admin, API and the sweep move cases too: the agents' card in Slack follows each time."""
    case = open_case(slack, standin)
    client.force_login(superuser)
    client.post(reverse("admin:cases_case_move", args=[case.pk, "assign"]))
    update = standin.wait_for("chat.update")[0].payload
    assert (update["channel"], update["ts"]) == ("CSUPPORT", case.card_message)
    assert "处理中" in update["text"]
    api = APIClient()
    api.force_authenticate(superuser)
    assert api.post(f"/api/cases/{case.number}/transition/", {"action": "resolve"}, format="json").status_code == 200
    assert "已解决" in standin.wait_for("chat.update", 2)[-1].payload["text"]
    lines = [c.payload["text"] for c in standin.calls_to("chat.postMessage") if c.payload.get("thread_ts")]
    assert lines == ["boss：待分配 → 处理中", "boss：处理中 → 已解决"]


def test_a_case_opened_through_the_api_is_announced_to_agents_in_slack(slack, standin, reader_api):
    number = reader_api.post("/api/cases/", {"description": "API 报的问题"}, format="json").json()["number"]
    card = standin.wait_for("chat.postMessage")[0].payload
    assert card["channel"] == "CSUPPORT"
    assert f"工单 {number}" in card["text"]
    assert "reader" in all_text(card["blocks"])  # the API reporter, by name
