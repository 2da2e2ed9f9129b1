import pytest
from django.urls import reverse

from cases.models import Case
from cases.policy import Actor
from cases.services import case_open
from cases.states import State

pytestmark = pytest.mark.django_db

REPORTER = Actor(label="slack:U1", channel="slack", workspace_id="T1", user_id="U1")

# The reminder policy form as the admin page sends it, with the shipped defaults.
VALID_POLICY_FORM = {
    "unassigned_first": "30 minutes",
    "unassigned_repeat": "2 hours",
    "agent_idle": "4 hours",
    "reporter_nudge_after": "1 day",
    "reporter_nudges": "2",
    "sla": "8 hours",
    "escalation_levels": "3",
    "business_day_start": "09:00",
    "business_day_end": "18:00",
    "business_weekdays": ["0", "1", "2", "3", "4"],
    "holidays": "",
    "digest_weekday": "0",
    "digest_time": "09:00",
}


@pytest.fixture
def cases():
    return [case_open(reporter=REPORTER, description=f"case {i}").case for i in range(3)]


def test_bulk_assign_then_resolve_write_the_timeline(client, superuser, cases):
    client.force_login(superuser)
    url = reverse("admin:cases_case_changelist")
    ids = [c.pk for c in cases]
    client.post(url, {"action": "assign_to_me", "_selected_action": ids})
    client.post(url, {"action": "resolve", "_selected_action": ids[:2]})
    states = dict(Case.objects.values_list("number", "state"))
    assert states == {1001: State.RESOLVED, 1002: State.RESOLVED, 1003: State.ASSIGNED}
    assert all(c.events.count() >= 2 for c in Case.objects.all())


def test_a_refused_bulk_move_is_reported_not_applied(client, superuser, cases):
    client.force_login(superuser)
    url = reverse("admin:cases_case_changelist")
    response = client.post(url, {"action": "resolve", "_selected_action": [cases[0].pk]}, follow=True)
    response = client.post(url, {"action": "resolve", "_selected_action": [cases[0].pk]}, follow=True)
    assert "不能执行" in response.content.decode()  # "cannot be moved", in the admin's default language
    assert Case.objects.get(pk=cases[0].pk).events.count() == 2


def test_change_page_shows_the_timeline_and_filters_work(client, superuser, cases):
    client.force_login(superuser)
    page = client.get(reverse("admin:cases_case_change", args=[cases[0].pk]))
    assert "slack:U1" in page.content.decode()
    active = client.get(reverse("admin:cases_case_changelist"), {"active": "yes"})
    assert len(active.context["cl"].result_list) == 3


def test_follow_up_filters_and_the_delivery_log_put_failures_first(client, superuser, cases):
    from django.utils import timezone

    from cases.models import Delivery

    Case.objects.filter(pk=cases[0].pk).update(escalation_level=1, next_due_at=timezone.now())
    Case.objects.filter(pk=cases[1].pk).update(delivery_problem="reporter nudge: user_not_found")
    Delivery.objects.create(case=cases[0], kind="unassigned", step=1, state="sent")
    Delivery.objects.create(case=cases[1], kind="reporter_nudge", step=1, state="failed", error="user_not_found")
    client.force_login(superuser)
    url = reverse("admin:cases_case_changelist")
    assert [c.number for c in client.get(url, {"followups": "escalated"}).context["cl"].result_list] == [1001]
    assert [c.number for c in client.get(url, {"followups": "problem"}).context["cl"].result_list] == [1002]
    assert 1001 in [c.number for c in client.get(url, {"followups": "overdue"}).context["cl"].result_list]
    log = client.get(reverse("admin:cases_delivery_changelist")).context["cl"].result_list
    # Failures first. (The announcements and changes shown to agents are pending: no worker ran them here.)
    assert log[0].state == "failed"
    assert [d.state for d in log if d.kind in ("unassigned", "reporter_nudge")] == ["failed", "sent"]
    assert client.get(reverse("admin:cases_reminderpolicy_changelist"), follow=True).status_code == 200


def test_the_case_page_offers_the_moves_its_state_allows_and_makes_them(client, superuser, cases):
    client.force_login(superuser)
    page = client.get(reverse("admin:cases_case_change", args=[cases[0].pk])).content.decode()
    assert "分配给我" in page  # Assign to me
    assert "解决" in page  # Resolve
    assert "重新打开" not in page  # Reopen: an open case cannot be reopened
    assert 'name="_save"' not in page  # read-only: changes are moves
    move = reverse("admin:cases_case_move", args=[cases[0].pk, "assign"])
    client.post(move)
    case = Case.objects.get(pk=cases[0].pk)
    assert (case.state, case.assignee) == (State.ASSIGNED, superuser)
    assert case.events.last().actor == f"staff:{superuser.username}"
    refused = client.post(reverse("admin:cases_case_move", args=[cases[0].pk, "reopen"]), follow=True)
    assert "不能执行" in refused.content.decode()  # cannot be moved
    assert Case.objects.get(pk=cases[0].pk).state == State.ASSIGNED
    assert client.get(move).status_code == 405  # moves are POSTs


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [
        ("30 minutes", 1800),
        ("2 hours", 7200),
        ("1 day 4 hours", 100800),
        ("1.5h", 5400),
        ("90 min", 5400),
        ("2小时30分钟", 9000),
        ("1天", 86400),
        ("04:00:00", 14400),
        ("45 seconds", 45),
        ("30 分钟", 1800),  # as the Chinese admin shows them
        ("1 天 4 小时", 100800),
    ],
)
def test_durations_are_read_as_people_write_them(typed, seconds):
    from cases.forms import parse_human_duration

    assert parse_human_duration(typed).total_seconds() == seconds


def test_the_reminder_policy_page_reads_and_saves_as_a_person_writes(client, superuser):
    import datetime

    from cases.models import ReminderPolicy

    client.force_login(superuser)
    listed = client.get(reverse("admin:cases_reminderpolicy_changelist"))
    page = reverse("admin:cases_reminderpolicy_change", args=[ReminderPolicy.SINGLETON_ID])
    assert listed["Location"] == page  # one policy: the list is its page
    shown = client.get(page).content.decode()
    assert 'value="30 分钟"' in shown  # durations as a Chinese reader writes them, and reads back
    assert 'value="8 小时"' in shown
    assert 'type="checkbox" name="business_weekdays" value="0"' in shown
    form = {
        "unassigned_first": "45 minutes",
        "unassigned_repeat": "3 hours",
        "agent_idle": "1 day",
        "reporter_nudge_after": "2 days",
        "reporter_nudges": "2",
        "sla": "1 day 2 hours",
        "escalation_levels": "2",
        "business_day_start": "09:30",
        "business_day_end": "18:00",
        "business_weekdays": ["0", "1", "2", "3", "4", "5"],
        "holidays": "2026-10-01\n2026-10-02",
        "digest_weekday": "4",
        "digest_time": "17:30",
    }
    assert client.post(page, form).status_code == 302
    policy = ReminderPolicy.current()
    assert policy.unassigned_first == datetime.timedelta(minutes=45)
    assert policy.sla == datetime.timedelta(hours=26)
    assert policy.weekdays() == {0, 1, 2, 3, 4, 5}
    assert (policy.digest_weekday, policy.digest_time) == (4, datetime.time(17, 30))


@pytest.mark.parametrize(
    ("field", "typed", "said"),
    [
        ("unassigned_first", "soon", "30 分钟"),
        ("unassigned_first", "0 minutes", "时长必须大于零"),
        ("holidays", "2026-13-01", "不是日期"),
        ("business_day_end", "08:00", "结束必须晚于开始"),
    ],
)
def test_a_policy_that_makes_no_sense_is_refused_saying_why_and_nothing_changes(client, superuser, field, typed, said):
    from cases.models import ReminderPolicy

    client.force_login(superuser)
    page = reverse("admin:cases_reminderpolicy_change", args=[ReminderPolicy.current().pk])
    form = {**VALID_POLICY_FORM, field: typed}
    before = ReminderPolicy.current()
    response = client.post(page, form)
    assert response.status_code == 200
    assert said in response.content.decode()
    after = ReminderPolicy.current()
    assert (after.unassigned_first, after.holidays, after.business_day_end) == (
        before.unassigned_first,
        before.holidays,
        before.business_day_end,
    )


def test_the_case_page_keeps_internal_ids_out_of_sight_and_offers_no_save_or_delete(client, superuser, cases):
    from cases.services import case_card_posted

    case_card_posted(case_id=cases[0].pk, platform="slack", conversation="C0INTERNAL", message="1700000000.000100")
    client.force_login(superuser)
    page = client.get(reverse("admin:cases_case_change", args=[cases[0].pk])).content.decode()
    assert "1700000000.000100" not in page
    assert "C0INTERNAL" not in page
    assert "case 0" in page  # the description is there
    assert 'name="_save"' not in page
    assert "deletelink" not in page


def test_the_delivery_log_is_read_only(client, superuser, cases):
    from cases.models import Delivery

    client.force_login(superuser)
    delivery = Delivery.objects.filter(case=cases[0]).first()
    page = client.get(reverse("admin:cases_delivery_change", args=[delivery.pk])).content.decode()
    assert 'name="_save"' not in page
    assert "deletelink" not in page
    assert client.post(reverse("admin:cases_delivery_change", args=[delivery.pk]), {"state": "sent"}).status_code == 403
