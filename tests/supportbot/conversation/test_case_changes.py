"""Every way a case changes shows on the agents' card exactly once; every case reaches agents."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Case, Delivery, ReminderPolicy
from cases.policy import Actor
from cases.services import case_open, followups_sweep
from cases.states import State
from cases.tasks import enqueue_deliveries
from supportbot.conversation import dispatch
from supportbot.conversation.people import Person
from supportbot.conversation.replies import ASSIGN_ME, MoveCase
from supportbot.models import ChatUser

pytestmark = pytest.mark.django_db(transaction=True)

REPORTER = Actor("echo:urep", "echo", "w", "urep")


def opened(echo) -> Case:
    case = case_open(reporter=REPORTER, description="授权异常").case
    case.refresh_from_db()
    assert case.has_card  # announced on commit
    return case


def card_traffic(echo, case: Case) -> tuple[int, int]:
    """(card updates, lines under the card) so far."""
    updates = sum(1 for ref, _ in echo.updated if ref.message == case.card_message)
    notes = sum(1 for address, _ in echo.sent if address.thread == case.card_message)
    return updates, notes


def test_a_move_from_chat(echo):
    echo.agents.add("uagent")
    case = opened(echo)
    dispatch.act(MoveCase(case.number, ASSIGN_ME), person=Person("echo", "w", "uagent"))
    assert card_traffic(echo, case) == (1, 1)


def test_a_move_from_the_admin_case_page_and_a_bulk_action(echo, client, superuser):
    case, other = opened(echo), opened(echo)
    client.force_login(superuser)
    client.post(reverse("admin:cases_case_move", args=[case.pk, "assign"]))
    client.post(reverse("admin:cases_case_changelist"), {"action": "resolve", "_selected_action": [case.pk, other.pk]})
    assert card_traffic(echo, case) == (2, 2)
    assert card_traffic(echo, other) == (1, 1)


def test_a_move_through_the_api(echo, django_user_model):
    agent = django_user_model.objects.create_user(username="agent")
    agent.groups.add(Group.objects.create(name="Agents"))
    api = APIClient()
    api.force_authenticate(agent)
    case = opened(echo)
    response = api.post(f"/api/cases/{case.number}/transition/", {"action": "resolve"}, format="json")
    assert response.status_code == 200
    assert card_traffic(echo, case) == (1, 1)
    assert echo.updated[-1][1]["text"] == f"Case {case.number} · resolved"


def test_the_sweeps_auto_resolve(echo):
    ReminderPolicy.objects.update_or_create(pk=1, defaults={"reporter_nudges": 0, "escalation_levels": 0})
    case = opened(echo)
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Case.objects.filter(pk=case.pk).update(state=State.WAITING, waiting_since=long_ago, next_due_at=long_ago)
    enqueue_deliveries(followups_sweep())
    case.refresh_from_db()
    assert case.state == State.RESOLVED
    assert card_traffic(echo, case) == (1, 1)


def test_a_case_opened_through_the_api_reaches_agents_on_the_home_platform(echo, reader_api):
    response = reader_api.post("/api/cases/", {"description": "绑定失败"}, format="json")
    case = Case.objects.get(number=response.json()["number"])
    assert (case.channel, case.card_platform) == ("api", "echo")
    (announced,) = [shown for address, shown in echo.sent if address.conversation == "support"]
    assert announced["number"] == case.number


def test_nudging_an_api_reporter_without_a_chat_address_is_recorded_once(echo, reader_api, user):
    ReminderPolicy.objects.update_or_create(
        pk=1, defaults={"reporter_nudge_after": datetime.timedelta(seconds=1), "escalation_levels": 0}
    )
    number = reader_api.post("/api/cases/", {"description": "x"}, format="json").json()["number"]
    long_ago = timezone.now() - datetime.timedelta(days=3)
    Case.objects.filter(number=number).update(state=State.WAITING, waiting_since=long_ago, next_due_at=long_ago)
    ReminderPolicy.objects.filter(pk=1).update(business_weekdays="0,1,2,3,4,5,6", business_day_start="00:00")
    enqueue_deliveries(followups_sweep())
    nudges = Delivery.objects.filter(case__number=number, kind=Delivery.Kind.REPORTER_NUDGE)
    assert nudges.count() >= 1
    assert set(nudges.values_list("state", "error")) == {(Delivery.State.SKIPPED, "reporter has no chat address")}
    assert Case.objects.get(number=number).delivery_problem == ""  # not a failure to fix


def test_an_api_reporter_with_a_linked_chat_user_is_nudged_there(echo, reader_api, user):
    ChatUser.objects.create(platform="echo", workspace_id="w", user_id="uapi", django_user=user)
    ReminderPolicy.objects.update_or_create(
        pk=1,
        defaults={
            "reporter_nudge_after": datetime.timedelta(seconds=1),
            "escalation_levels": 0,
            "business_weekdays": "0,1,2,3,4,5,6",
            "business_day_start": datetime.time(0, 0),
            "business_day_end": datetime.time(23, 59, 59),
        },
    )
    number = reader_api.post("/api/cases/", {"description": "x"}, format="json").json()["number"]
    long_ago = timezone.now() - datetime.timedelta(minutes=1)
    Case.objects.filter(number=number).update(state=State.WAITING, waiting_since=long_ago, next_due_at=long_ago)
    enqueue_deliveries(followups_sweep())
    nudge = Delivery.objects.filter(case__number=number, kind=Delivery.Kind.REPORTER_NUDGE).first()
    assert nudge.state == Delivery.State.SENT
    assert nudge.destination == "echo:dm:uapi"
