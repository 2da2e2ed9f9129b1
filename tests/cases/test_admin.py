import pytest
from django.urls import reverse

from cases.models import Case
from cases.policy import Actor
from cases.services import case_open
from cases.states import State

pytestmark = pytest.mark.django_db

REPORTER = Actor(label="slack:U1", channel="slack", workspace_id="T1", user_id="U1")


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
    assert "cannot be moved" in response.content.decode()
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
    assert client.get(reverse("admin:cases_reminderpolicy_changelist")).status_code == 200


def test_the_case_page_offers_the_moves_its_state_allows_and_makes_them(client, superuser, cases):
    client.force_login(superuser)
    page = client.get(reverse("admin:cases_case_change", args=[cases[0].pk])).content.decode()
    assert "Assign to me" in page
    assert "Resolve" in page
    assert "Reopen" not in page  # an open case cannot be reopened
    assert 'name="_save"' not in page  # read-only: changes are moves
    move = reverse("admin:cases_case_move", args=[cases[0].pk, "assign"])
    client.post(move)
    case = Case.objects.get(pk=cases[0].pk)
    assert (case.state, case.assignee) == (State.ASSIGNED, superuser)
    assert case.events.last().actor == f"staff:{superuser.username}"
    refused = client.post(reverse("admin:cases_case_move", args=[cases[0].pk, "reopen"]), follow=True)
    assert "cannot be moved" in refused.content.decode()
    assert Case.objects.get(pk=cases[0].pk).state == State.ASSIGNED
    assert client.get(move).status_code == 405  # moves are POSTs
