"""The insights page in real Chromium at 1366 px, in Chinese and English (chosen with the header's switcher), light
and dark: every chart drawn by Chart.js in the admin's colours, redrawn when the theme changes, nothing cut off.
The screenshots are kept (WXBIND_SCREENSHOT_DIR, default build/screenshots) to be looked at."""

import datetime
import random

import pytest
import time_machine
from django.utils import timezone

from cases.models import Delivery
from cases.policy import Actor
from cases.services import case_move, case_open, case_rate
from faq.models import AnswerEvent, Entry
from supportbot.models import ChatUser
from tests.browser import browser, choose_admin_language, screenshot, sign_in  # noqa: F401 (a fixture)
from tests.supportbot.insights.conftest import require_chart_js
from tests.supportbot.test_admin_in_browser import assert_readable

pytestmark = pytest.mark.django_db(transaction=True)
WIDTH = 1366
CHARTS = 10
HEADING = {"zh-hans": "数据洞察", "en": "Insights"}
SYSTEM = Actor(label="system")
AGENTS = {"UGRACE": "Grace", "UWEI": "王伟"}
DRAWN = "() => [...document.querySelectorAll('canvas[data-chart]')].every(canvas => Chart.getChart(canvas))"
# Whether every chart's legend and axis text is in the page's text colour (the admin's --body-fg) right now.
IN_PAGE_COLOURS = """() => {
    const text = getComputedStyle(document.documentElement).getPropertyValue('--body-fg').trim();
    return [...document.querySelectorAll('canvas[data-chart]')].every(canvas => {
        const chart = Chart.getChart(canvas);
        return chart && chart.options.plugins.legend.labels.color === text;
    });
}"""


def tuesday(weeks_ago: int, hour: int) -> datetime.datetime:
    """10 o'clock or so on the Tuesday ``weeks_ago`` weeks back: inside business hours."""
    today = timezone.localdate()
    day = today - datetime.timedelta(days=today.weekday() - 1, weeks=weeks_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def questions_over_twelve_weeks(entries: list[Entry]) -> None:
    """A few dozen questions a week, most answered, some helpful, across Slack, Teams and the API."""
    draw = random.Random(7)
    events = []
    for weeks_ago in range(1, 13):
        for _ in range(draw.randint(18, 40)):
            entry = draw.choice(entries)
            kind = draw.choices(["shown", "choices", "no_match"], weights=[7, 2, 1])[0]
            when = tuesday(weeks_ago, draw.randint(9, 17)) + datetime.timedelta(days=draw.randint(0, 3))
            channel = draw.choice(["slack", "slack", "teams", "api"])
            user = f"U{draw.randint(1, 400)}"
            shown_entry = entry if kind == "shown" else None
            events.append(
                AnswerEvent(
                    kind=kind,
                    entry=shown_entry,
                    question="小程序怎么绑定腾讯云",
                    created_at=when,
                    language="zh",
                    channel=channel,
                    workspace_id="T1",
                    user_id=user,
                )
            )
            if kind == "shown" and draw.random() < 0.4:
                verdict = "helpful" if draw.random() < 0.75 else "not_helpful"
                events.append(
                    AnswerEvent(
                        kind=verdict,
                        entry=entry,
                        created_at=when,
                        language="zh",
                        channel=channel,
                        workspace_id="T1",
                        user_id=user,
                    )
                )
    AnswerEvent.objects.bulk_create(events)


def cases_over_ten_weeks() -> None:
    """Two cases a week, taken within hours and resolved the next day, rated; a few escalated; some still open."""
    draw = random.Random(11)
    for user, name in AGENTS.items():
        ChatUser.objects.create(platform="slack", workspace_id="T1", user_id=user, display_name=name)
    for weeks_ago in range(1, 11):
        for number in range(2):
            reporter = Actor(
                label=f"slack:R{weeks_ago}{number}", channel="slack", workspace_id="T1", user_id=f"R{weeks_ago}{number}"
            )
            opened_at = tuesday(weeks_ago, 10 + number * 3)
            with time_machine.travel(opened_at, tick=False):
                case = case_open(reporter=reporter, description="授权异常，重新授权仍失败").case
            with time_machine.travel(opened_at + datetime.timedelta(hours=draw.randint(1, 4)), tick=False):
                case_move(number=case.number, action="assign", actor=SYSTEM, assignee_chat_id=draw.choice(list(AGENTS)))
            with time_machine.travel(opened_at + datetime.timedelta(days=1, hours=draw.randint(0, 5)), tick=False):
                case_move(number=case.number, action="resolve", actor=SYSTEM)
                case_rate(number=case.number, reporter=reporter, score=draw.randint(3, 5))
            if draw.random() < 0.3:
                Delivery.objects.create(case=case, kind=Delivery.Kind.ESCALATION, step=1, created_at=opened_at)
    for number, action in enumerate(["", "", "assign", "assign", "wait"]):
        reporter = Actor(label=f"teams:O{number}", channel="teams", workspace_id="T2", user_id=f"O{number}")
        case = case_open(reporter=reporter, description="second mini program will not bind").case
        if action:
            case_move(number=case.number, action="assign", actor=SYSTEM, assignee_chat_id="UGRACE")
        if action == "wait":
            case_move(number=case.number, action="wait", actor=SYSTEM)


@pytest.fixture
def history(faq_content, django_user_model):
    django_user_model.objects.create_superuser(username="chief", password="pw-chief-12345")
    entries = list(Entry.objects.order_by("slug")[:8])
    questions_over_twelve_weeks(entries)
    cases_over_ten_weeks()
    today = timezone.localdate()
    for days, entry in zip((-12, -2, 5, 21), entries, strict=False):
        Entry.objects.filter(pk=entry.pk).update(review_by=today + datetime.timedelta(days=days))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_chart_is_drawn_readable_in_both_languages_light_and_dark(browser, live_server, history, language):  # noqa: F811
    require_chart_js()
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, "chief", "pw-chief-12345", then="/admin/")
    choose_admin_language(page, language)
    page.click("#user-tools a[href='/admin/insights/']")  # the header's link
    page.wait_for_url(f"{live_server.url}/admin/insights/")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(f"{live_server.url}/admin/insights/")
        assert page.get_attribute("html", "lang") == language
        assert page.locator("#content h1").inner_text() == HEADING[language]
        assert page.locator("canvas[data-chart]").count() == CHARTS
        page.wait_for_function(DRAWN)
        assert page.evaluate(IN_PAGE_COLOURS), f"charts not in the {scheme} page's colours"
        # Nothing cut off at 1366 px: the page is no wider than the window.
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        assert_readable(page, "#content h1, #content h2")
        assert page.locator(".insights-numbers table").count() == CHARTS
        screenshot(page, f"insights-{language}-{scheme}")
    context.close()


def test_the_charts_follow_the_admins_theme_toggle(browser, live_server, history):  # noqa: F811
    require_chart_js()
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, color_scheme="light")
    page = context.new_page()
    sign_in(page, live_server.url, "chief", "pw-chief-12345", then="/admin/insights/")
    page.wait_for_function(DRAWN)
    light = page.evaluate("() => Chart.getChart(document.querySelector('canvas')).options.plugins.legend.labels.color")
    page.click("#user-tools .theme-toggle")  # from "auto" (light here) to dark
    assert page.get_attribute("html", "data-theme") == "dark"
    page.wait_for_function(IN_PAGE_COLOURS)
    dark = page.evaluate("() => Chart.getChart(document.querySelector('canvas')).options.plugins.legend.labels.color")
    assert (light, dark) == ("#333", "#eeeeee")
    # The system's scheme changing while the admin follows it ("auto") redraws them too.
    page.evaluate("() => { document.documentElement.dataset.theme = 'auto'; }")
    page.emulate_media(color_scheme="dark")
    page.wait_for_function(IN_PAGE_COLOURS)
    assert page.evaluate(DRAWN)
    context.close()
