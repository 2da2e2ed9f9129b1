"""The insights' numbers against values worked out by hand, on fixed data (the business day is 9:00–18:00)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, Delivery
from cases.policy import Actor
from cases.services import case_move, case_open, case_rate
from faq.models import AnswerEvent, Entry
from supportbot.insights import selectors
from supportbot.insights.charts import Filters
from supportbot.insights.services import answer_days_refresh
from supportbot.models import AnswerDay, ChatUser

pytestmark = pytest.mark.django_db

ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)
WEEK_1, WEEK_2 = "2026-11-16", "2026-11-23"
ALL = Filters(start=datetime.date(2026, 11, 16), end=datetime.date(2026, 11, 29))
SYSTEM = Actor(label="system")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=ZONE)


def asked(when, kind, *, user="U1", channel="slack", entry=None, question="怎么绑定"):
    AnswerEvent.objects.create(
        kind=kind,
        entry=entry,
        question=question,
        language="zh",
        channel=channel,
        workspace_id="T1",
        user_id=user,
        created_at=when,
    )


def reporter(user: str, channel: str = "slack") -> Actor:
    return Actor(label=f"{channel}:{user}", channel=channel, workspace_id="T1", user_id=user)


def opened(when, user: str, channel: str = "slack") -> Case:
    with time_machine.travel(when, tick=False):
        return case_open(reporter=reporter(user, channel), description="授权异常").case


def moved(when, case: Case, action: str, **extra) -> None:
    with time_machine.travel(when, tick=False):
        case_move(number=case.number, action=action, actor=SYSTEM, **extra)


@pytest.fixture
def history(faq_content):
    bind = Entry.objects.get(slug="bind")
    # Week 1: three questions answered (U1, U2, U3), one offered choices, one unanswered, a topic button, a verdict.
    asked(at(20, 15), "shown", user="U1", entry=bind)
    asked(at(16, 10), "shown", user="U2", entry=bind)
    asked(at(17, 10), "shown", user="U3", entry=bind)
    asked(at(17, 11), "choices", user="U3")
    asked(at(17, 12), "no_match", user="U4")
    asked(at(17, 13), "shown", user="U4", entry=bind, question="")
    asked(at(17, 14), "helpful", user="U2", entry=bind)
    # Week 2: one question on Teams, answered, no case.
    asked(at(24, 9), "shown", user="T9", channel="teams", entry=bind)

    # U1 opens a case two hours after the answer (not deflected): Friday 17:00, taken Monday 10:00, resolved 11:30.
    first = opened(at(20, 17), "U1")
    moved(at(23, 10), first, "assign", assignee_chat_id="UAGENT")
    moved(at(23, 11, 30), first, "resolve")
    # U2 opens one two days after theirs (deflected): Wednesday 10:00, taken 11:00, resolved Thursday 10:00.
    second = opened(at(18, 10), "U2")
    moved(at(18, 11), second, "assign", assignee_chat_id="UAGENT")
    moved(at(19, 10), second, "resolve")
    ChatUser.objects.create(platform="slack", workspace_id="T1", user_id="UAGENT", display_name="Grace")
    with time_machine.travel(at(19, 12), tick=False):
        case_rate(number=second.number, reporter=reporter("U2"), score=5)
    with time_machine.travel(at(23, 12), tick=False):
        case_rate(number=first.number, reporter=reporter("U1"), score=4)
    # A Teams case still open; two escalations of the first case in week 2.
    opened(at(24, 10), "T8", channel="teams")
    for step in (1, 2):
        Delivery.objects.create(case=first, kind=Delivery.Kind.ESCALATION, step=step, created_at=at(23, 9 + step))
    Entry.objects.filter(slug="bind").update(review_by=timezone.localdate() - datetime.timedelta(days=3))
    return {"first": first, "second": second, "bind": bind}


def chart(key: str, filters: Filters = ALL):
    return selectors.chart(key, filters)


def test_questions_per_week_split_by_how_they_were_answered(history):
    found = chart("questions")
    assert found.labels == [WEEK_1, WEEK_2]
    assert found.series == {"answered": [3, 1], "choices": [1, 0], "no_answer": [1, 0]}


def test_deflection_is_answered_without_a_case_within_a_day_and_helpful_answers_of_all_questions(history):
    found = chart("deflection")
    assert found.series == {"deflected": [40.0, 100.0], "helpful": [20.0, 0.0]}  # 2 of 5; 1 of 5; 1 of 1


def test_cases_opened_and_resolved_per_week_and_the_backlog(history):
    assert chart("cases").series == {"opened": [2, 1], "resolved": [1, 1]}
    backlog = chart("backlog")
    assert (backlog.labels, backlog.series) == (["open", "assigned", "waiting"], {"cases": [1, 0, 0]})


def test_response_times_count_business_hours_across_the_weekend(history):
    first, second = (Case.objects.get(pk=history[name].pk) for name in ("first", "second"))
    assert (first.first_response_hours, first.resolution_hours) == (2.0, 3.5)  # Fri 17–18, Mon 9–10 (11:30)
    assert (second.first_response_hours, second.resolution_hours) == (1.0, 9.0)  # Wed 10–18, Thu 9–10
    found = chart("response_times")
    assert found.series == {
        "first_response_median": [1.5, None],
        "first_response_p90": [1.9, None],
        "resolution_median": [6.25, None],
        "resolution_p90": [8.45, None],
    }


def test_sla_breaches_are_first_escalations(history):
    assert chart("sla").series == {"breaches": [0, 1], "escalations": [0, 2]}


def test_satisfaction_per_week_and_per_agent(history):
    assert chart("satisfaction").series == {"average": [5.0, 4.0]}
    by_agent = chart("satisfaction_by_agent")
    assert (by_agent.labels, by_agent.series) == (["Grace"], {"average": [4.5]})


def test_agents_are_named_in_one_look_up_however_many_there_are(history):
    ChatUser.objects.create(platform="slack", workspace_id="T1", user_id="UADA", display_name="Ada")
    for user, agent, score in (("U5", "UADA", 3), ("U6", "UNAMELESS", 2)):
        case = opened(at(18, 9), user)
        moved(at(18, 10), case, "assign", assignee_chat_id=agent)
        moved(at(18, 11), case, "resolve")
        with time_machine.travel(at(18, 12), tick=False):
            case_rate(number=case.number, reporter=reporter(user), score=score)
    with CaptureQueriesContext(connection) as queries:
        by_agent = chart("satisfaction_by_agent")
    assert sum('"supportbot_chatuser"' in query["sql"] for query in queries.captured_queries) == 1
    named = dict(zip(by_agent.labels, by_agent.series["average"], strict=True))
    assert named == {"Grace": 4.5, "Ada": 3.0, "UNAMELESS": 2.0}  # no name known: the platform's id


def test_helpfulness_per_entry_and_entries_due_for_review(history):
    helpful = chart("helpfulness")
    assert helpful.labels == ["bind"]
    assert helpful.series == {"helpful": [1], "not_helpful": [0], "shown": [5]}  # the topic button was shown too
    due = chart("due_for_review")
    assert due.labels[0] == "bind"
    assert due.series["days_left"][0] == -3


def test_the_platform_and_topic_filters_narrow_every_count(history):
    teams = Filters(start=ALL.start, end=ALL.end, platform="teams")
    assert chart("questions", teams).series == {"answered": [0, 1], "choices": [0, 0], "no_answer": [0, 0]}
    assert chart("cases", teams).series == {"opened": [0, 1], "resolved": [0, 0]}
    other = Entry.objects.get(slug="unbind")
    topic = Filters(start=ALL.start, end=ALL.end, topic=other.pk)
    assert chart("questions", topic).series["answered"] == [0, 0]
    assert chart("helpfulness", topic).labels == []


def test_the_rollup_counts_a_day_again_until_it_is_final(history):
    answer_days_refresh(now=at(25, 12))
    before = AnswerDay.objects.count()
    assert chart("deflection").series["deflected"][1] == 100.0
    # A late case (within a day of the Teams answer) changes yesterday's deflection: counted again.
    opened(at(24, 20), "T9", channel="teams")
    answer_days_refresh(now=at(25, 12))
    week_2 = chart("deflection").series["deflected"][1]
    assert week_2 == 0.0
    assert AnswerDay.objects.count() == before


def test_each_chart_is_found_by_its_key(history):
    every = selectors.insights(ALL)
    assert [found.key for found in every] == list(selectors.CHARTS)  # a CSV asks for one chart by its key
    assert selectors.chart("no_such_chart", ALL) is None
