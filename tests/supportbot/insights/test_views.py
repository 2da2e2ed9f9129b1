"""The insights page for staff: every chart with its numbers in a table, filters that narrow them or say what is
wrong with them, and each chart as a CSV a spreadsheet opens, in the reader's language."""

import csv
import datetime
import io
import re
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from cases.policy import Actor
from cases.services import case_move, case_open, case_rate
from faq.models import AnswerEvent, Entry
from supportbot.admin_language import admin_language_save
from supportbot.conversation.people import Person
from supportbot.conversation.recording import record_answered
from supportbot.conversation.replies import AnswerRecord
from supportbot.insights import labels
from supportbot.insights.views import CHART_JS
from supportbot.models import ChatUser
from supportbot.recorder import recorder
from tests.supportbot.insights.conftest import require_chart_js

pytestmark = pytest.mark.django_db

ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)
PAGE = reverse("insights")
WEEK_1, WEEK_2 = "2026-11-16", "2026-11-23"
RANGE = {"start": "2026-11-16", "end": "2026-11-29"}
SYSTEM = Actor(label="system")
EVERY_CHART = [
    "questions",
    "deflection",
    "cases",
    "backlog",
    "response_times",
    "sla",
    "satisfaction",
    "satisfaction_by_agent",
    "helpfulness",
    "due_for_review",
]


def at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, tzinfo=ZONE)


@pytest.fixture(autouse=True)
def _on_a_wednesday_in_week_2():
    """Today is fixed, so the default range, the rollup's final days and the days left to review are too."""
    with time_machine.travel(at(25, 12)):
        yield


def asked(when, question: str, *, entry=None, confident=True, choices=False, platform="slack", user="U1") -> None:
    """A question as a chat front end records it."""
    with time_machine.travel(when, tick=False):
        record = AnswerRecord(
            entry_id=entry.pk if entry else None, confident=confident, question=question, offered_choices=choices
        )
        record_answered(record, person=Person(platform, "T1", user))
        recorder.flush()


def reporter(user: str, platform: str = "slack") -> Actor:
    return Actor(label=f"{platform}:{user}", channel=platform, workspace_id="T1", user_id=user)


@pytest.fixture
def history(faq_content):
    bind, unbind = Entry.objects.get(slug="bind"), Entry.objects.get(slug="unbind")
    # Week 1: two questions answered on Slack (one about each entry), one offered choices, one unanswered on Teams.
    asked(at(16, 10), "小程序怎么绑定腾讯云", entry=bind)
    asked(at(17, 10), "how do I unbind", entry=unbind, user="U2")
    asked(at(17, 11), "绑定", confident=False, choices=True, user="U3")
    asked(at(18, 15), "公众号菜单怎么设置", confident=False, platform="teams", user="T9")
    # Week 2: one more answered on Teams.
    asked(at(23, 10), "bind a second mini program", entry=bind, platform="teams", user="T8")
    AnswerEvent.objects.create(
        kind="helpful",
        entry=bind,
        question="小程序怎么绑定腾讯云",
        language="zh",
        channel="slack",
        created_at=at(16, 11),
    )
    # A case opened in week 1 (two days after U1's answer), taken, resolved in week 2 and rated 4; one still open.
    with time_machine.travel(at(18, 10), tick=False):
        first = case_open(reporter=reporter("U1"), description="授权异常，重新授权仍失败").case
    with time_machine.travel(at(18, 11), tick=False):
        case_move(number=first.number, action="assign", actor=SYSTEM, assignee_chat_id="UAGENT")
    with time_machine.travel(at(23, 15), tick=False):
        case_move(number=first.number, action="resolve", actor=SYSTEM)
        case_rate(number=first.number, reporter=reporter("U1"), score=4)
    with time_machine.travel(at(24, 9), tick=False):
        case_open(reporter=reporter("T8", "teams"), description="second mini program will not bind")
    return {"bind": bind, "unbind": unbind}


@pytest.fixture
def english(staff) -> Client:
    admin_language_save(user=staff, language="en")
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def chinese(staff) -> Client:
    admin_language_save(user=staff, language="zh-hans")
    client = Client()
    client.force_login(staff)
    return client


def tables(html: str) -> dict[str, list[list[str]]]:
    """Each chart's table, by chart key: its header row, then a row per label."""
    found = {}
    for key, section in re.findall(
        r'<section class="insights-chart" id="chart-([\w-]+)".*?>(.*?)</section>', html, re.S
    ):
        rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
        found[key] = [[cell.strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]
    return found


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# Who sees it -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE, reverse("insights-csv", args=["questions"])])
def test_signed_out_people_and_non_staff_are_sent_to_sign_in(client, user, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_admin_header_links_to_the_page(english):
    html = english.get(reverse("admin:index")).content.decode()
    assert f'<a href="{PAGE}">Insights</a>' in html


# The page --------------------------------------------------------------------------------------------------------


def test_staff_see_every_chart_with_its_title_description_and_numbers(english, history):
    response = english.get(PAGE, RANGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Insights</h1>" in html
    assert 'class="breadcrumbs"' in html
    found = tables(html)
    assert list(found) == EVERY_CHART
    for key in EVERY_CHART:
        with translation.override("en"):
            assert f">{labels.title(key)}</h2>" in html, key
            assert escape(labels.description(key)) in html, key
        assert f'href="{reverse("insights-csv", args=[key])}?start=2026-11-16&amp;end=2026-11-29' in html, key
    assert found["questions"] == [
        ["Week starting", "Answered", "Offered choices", "No answer"],
        [WEEK_1, "2", "1", "1"],
        [WEEK_2, "1", "0", "0"],
    ]
    assert found["cases"][1:] == [[WEEK_1, "1", "0"], [WEEK_2, "1", "1"]]
    # States by their names, as the case list shows them.
    assert found["backlog"][1:] == [["open", "1"], ["assigned", "0"], ["waiting on reporter", "0"]]
    assert found["satisfaction"][1:] == [[WEEK_1, "–"], [WEEK_2, "4"]]
    assert found["helpfulness"][0] == ["Entry", "Helpful", "Not helpful", "Shown"]
    assert found["helpfulness"][1] == ["bind", "1", "0", "2"]


def test_every_chart_has_a_canvas_and_the_numbers_for_chart_js(english, history):
    require_chart_js()
    html = english.get(PAGE, RANGE).content.decode()
    assert html.count("<canvas ") == len(EVERY_CHART) - 1  # nothing is due for review: said, not drawn
    assert "Nothing to show for these filters." in html
    assert f'<script src="/static/{CHART_JS}"></script>' in html
    assert '<script id="insights-data" type="application/json">' in html
    # Chart.js as npm installed it, not a copy in the repository.
    installed = Path(finders.find(CHART_JS))
    assert "node_modules" in installed.parts
    assert b"Chart.js v4" in installed.read_bytes()[:200]


def test_without_chart_js_the_page_says_so_once_and_the_tables_show_the_numbers(english, history, settings):
    settings.STATICFILES_DIRS = []
    finders.get_finder.cache_clear()
    try:
        html = english.get(PAGE, RANGE).content.decode()
    finally:
        finders.get_finder.cache_clear()
    assert html.count("Chart.js is not installed") == 1
    assert "npm" in html
    assert "<canvas" not in html
    assert "chart.umd.js" not in html
    assert html.count('<details class="insights-numbers" open>') == len(EVERY_CHART) - 1
    assert tables(html)["questions"][1] == [WEEK_1, "2", "1", "1"]


def test_the_page_in_chinese(chinese, history):
    html = chinese.get(PAGE, RANGE).content.decode()
    assert '<html lang="zh-hans"' in html
    assert "<h1>数据洞察</h1>" in html
    assert f'<a href="{PAGE}">数据洞察</a>' in html
    found = tables(html)
    assert found["questions"][0] == ["周起始日", "已回答", "提供了选项", "未回答"]
    assert found["backlog"][3] == ["等待报告人", "0"]
    for english_word in ("Questions", "Backlog", "Download CSV", "Week starting", "All platforms"):
        assert english_word not in html


def test_without_filters_the_last_twelve_full_weeks_and_this_one(english, history):
    response = english.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="start" value="2026-08-31"' in html  # twelve Mondays before this week's
    assert 'name="end" value="2026-11-25"' in html  # today
    weeks = [row[0] for row in tables(html)["questions"][1:]]
    assert weeks[0] == "2026-08-31"
    assert weeks[-1] == WEEK_2
    assert len(weeks) == 13


def test_the_platform_filter_narrows_the_numbers(english, history):
    html = english.get(PAGE, {**RANGE, "platform": "teams"}).content.decode()
    assert tables(html)["questions"][1:] == [[WEEK_1, "0", "0", "1"], [WEEK_2, "1", "0", "0"]]
    assert tables(html)["cases"][1:] == [[WEEK_1, "0", "0"], [WEEK_2, "1", "0"]]
    assert '<option value="teams" selected>' in html
    csv_link = f"{reverse('insights-csv', args=['questions'])}?start=2026-11-16&amp;end=2026-11-29&amp;platform=teams"
    assert csv_link in html


def test_the_topic_filter_narrows_the_numbers_to_one_entry(english, history):
    unbind = history["unbind"]
    html = english.get(PAGE, {**RANGE, "topic": unbind.pk}).content.decode()
    assert tables(html)["questions"][1:] == [[WEEK_1, "1", "0", "0"], [WEEK_2, "0", "0", "0"]]
    assert tables(html)["helpfulness"][1:] == [["unbind", "0", "0", "1"]]
    # Each entry is offered by its slug and title.
    assert f'<option value="{unbind.pk}" selected>unbind · {unbind.title_en}</option>' in html


INVALID = {
    "end before start": (
        {"start": "2026-11-20", "end": "2026-11-19"},
        "The end date must not be before the start date.",
    ),
    "over two years": ({"start": "2024-11-01", "end": "2026-11-02"}, "Choose a range of at most 2 years."),
    "unknown platform": ({**RANGE, "platform": "wechat"}, "Select a valid choice."),
    "no such topic": ({**RANGE, "topic": "987654"}, "Select a valid choice."),
    "a topic that is no number": ({**RANGE, "topic": "bind"}, "Select a valid choice."),
    "garbage date": ({"start": "last tuesday", "end": "2026-11-29"}, "Enter a valid date."),
    "no such day": ({"start": "2026-02-30", "end": "2026-11-29"}, "Enter a valid date."),
    "an empty date": ({"start": "", "end": "2026-11-29"}, "This field is required."),
    "the distant past": ({"start": "0001-01-01", "end": "0001-01-07"}, "Choose a date between 2000-01-01"),
}


@pytest.mark.parametrize(("params", "reason"), INVALID.values(), ids=INVALID.keys())
def test_invalid_filters_are_said_on_the_page_and_no_chart_is_shown(english, faq_content, params, reason):
    response = english.get(PAGE, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct the errors below." in html
    assert reason in html
    assert 'class="insights-chart"' not in html
    assert "insights-data" not in html


def test_two_years_to_the_day_is_allowed(english, faq_content):
    assert 'class="insights-chart"' in english.get(PAGE, {"start": "2024-11-02", "end": "2026-11-02"}).content.decode()


# The CSV ---------------------------------------------------------------------------------------------------------


def test_a_charts_csv_has_its_numbers_a_byte_order_mark_and_a_file_name(english, history):
    response = english.get(reverse("insights-csv", args=["questions"]), RANGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="insights-questions-2026-11-16-2026-11-29.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # so Excel reads it as UTF-8
    assert csv_rows(response) == [
        ["Week starting", "Answered", "Offered choices", "No answer"],
        [WEEK_1, "2", "1", "1"],
        [WEEK_2, "1", "0", "0"],
    ]


def test_a_csv_leaves_no_value_empty_and_follows_the_filters(english, history):
    satisfaction = csv_rows(english.get(reverse("insights-csv", args=["satisfaction"]), RANGE))
    assert satisfaction == [["Week starting", "Average rating"], [WEEK_1, ""], [WEEK_2, "4.0"]]
    teams = csv_rows(english.get(reverse("insights-csv", args=["cases"]), {**RANGE, "platform": "teams"}))
    assert teams == [["Week starting", "Opened", "Resolved"], [WEEK_1, "0", "0"], [WEEK_2, "1", "0"]]


def test_a_csv_in_chinese_names_its_columns_and_states_in_chinese(chinese, history):
    response = chinese.get(reverse("insights-csv", args=["backlog"]), RANGE)
    assert response.content.startswith("\ufeff状态".encode())
    assert csv_rows(response) == [["状态", "工单"], ["待处理", "1"], ["已分配", "0"], ["等待报告人", "0"]]


def test_a_name_in_a_csv_is_text_never_a_formula(english, history):
    # Agents name themselves in chat; a spreadsheet must not run what they typed.
    ChatUser.objects.create(platform="slack", workspace_id="T1", user_id="UAGENT", display_name='=HYPERLINK("x")')
    rows = csv_rows(english.get(reverse("insights-csv", args=["satisfaction_by_agent"]), RANGE))
    assert rows == [["Agent", "Average rating"], ['\'=HYPERLINK("x")', "4.0"]]


@pytest.mark.parametrize(("params", "reason"), INVALID.values(), ids=INVALID.keys())
def test_a_csv_with_invalid_filters_is_refused_with_the_reason(english, faq_content, params, reason):
    response = english.get(reverse("insights-csv", args=["questions"]), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert reason in response.content.decode()


def test_a_csv_of_no_such_chart_is_not_found(english, faq_content):
    response = english.get(reverse("insights-csv", args=["weather"]), RANGE)
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "There is no chart “weather”."


# Naming ----------------------------------------------------------------------------------------------------------


@translation.override("en")
def test_a_chart_or_series_not_named_yet_is_shown_under_its_key():
    assert labels.title("agent_load") == "agent_load"
    assert labels.description("agent_load") == ""
    assert labels.series_name("questions", "escalated") == "escalated"
    assert labels.axis_name("agent_load", ["2026-11-16", "2026-11-23"]) == "Week starting"
    assert labels.point_name("helpfulness", "open") == "open"  # an entry may be called "open"
