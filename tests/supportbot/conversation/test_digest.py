"""The weekly digest reaches each support channel once, through the delivery machinery, with the week's figures."""

import datetime
import json
import time
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from cases.models import Delivery
from cases.policy import Actor
from cases.services import case_move, case_open
from faq.models import AnswerEvent, Entry
from faq.tokenize import question_key
from tests.conftest import require_broker

pytestmark = pytest.mark.django_db(transaction=True)

ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)


@pytest.fixture(autouse=True)
def _real_parts():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and a real worker; the PostgreSQL tier runs these")
    require_broker("digest tests")


@pytest.fixture
def slack_only(settings, slack_standin, worker, faq_content):
    settings.SLACK_BOT_TOKEN = slack_standin.token
    settings.SLACK_API_URL = slack_standin.api_url
    settings.SLACK_SUPPORT_CHANNEL = "CSUPPORT"
    settings.TEAMS_APP_ID = ""
    settings.TEAMS_SKIP_AUTH = False
    settings.WXBIND_BASE_URL = "https://wxbind.example.org"
    settings.LANGUAGE_CODE = "en"
    slack_standin.reset()
    return slack_standin


def at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, tzinfo=ZONE)


def test_two_beats_send_one_digest_of_last_weeks_figures(slack_only):
    from cases.tasks import sweep_followups

    bind = Entry.objects.get(slug="bind")
    for hour, kind, question in (
        (10, "shown", "怎么绑定"),
        (11, "shown", "how do I bind"),
        (12, "no_match", "公众号菜单怎么设置"),
    ):
        AnswerEvent.objects.create(
            kind=kind,
            entry=bind if kind == "shown" else None,
            question=question,
            language="zh",
            channel="slack",
            workspace_id="T1",
            user_id=f"U{hour}",
            created_at=at(17, hour),
            question_key=question_key(question) if kind != "shown" else "",
        )
    with time_machine.travel(at(18, 10), tick=False):
        case = case_open(
            reporter=Actor(label="slack:U10", channel="slack", workspace_id="T1", user_id="U10"), description="x"
        ).case
    with time_machine.travel(at(18, 12), tick=False):
        case_move(number=case.number, action="resolve", actor=Actor(label="system"))

    with time_machine.travel(at(23, 9), tick=True):  # Monday 9:00: the digest of 16–22 November is due
        sweep_followups()
        sweep_followups()  # a second beat
        slack_only.wait_for("chat.postMessage", 1, timeout=20)
        time.sleep(1.5)  # long enough for a second digest to arrive, if one were sent
    posts = [c.payload for c in slack_only.calls_to("chat.postMessage") if "Support this week" in json.dumps(c.payload)]
    assert len(posts) == 1
    digest = posts[0]
    assert digest["channel"] == "CSUPPORT"
    shown = json.dumps(digest["blocks"], ensure_ascii=False)
    assert "2026-11-16 to 2026-11-22" in shown
    assert "*Questions*\\n3" in shown
    assert "*Answered without a case within a day*\\n33.3%" in shown  # U10 opened a case; U11 did not; of 3
    assert "*Cases opened / resolved*\\n1 / 1" in shown
    assert "*Time to resolve (median, business hours)*\\n2" in shown
    assert "公众号菜单怎么设置" in shown
    assert "https://wxbind.example.org/admin/faq/unansweredquestion/" in shown
    (sent,) = Delivery.objects.filter(kind=Delivery.Kind.DIGEST, scope="slack")
    assert (sent.state, sent.step) == (Delivery.State.SENT, 202648)
    assert Delivery.objects.get(kind=Delivery.Kind.DIGEST, scope="teams").state == Delivery.State.SKIPPED
