"""Teams follow-ups on real parts: PostgreSQL, Redis as the broker, a Celery worker, and the Bot Connector stand-in.

The same delivery rows and retry rules as Slack: nothing lost, nothing sent twice,
Retry-After honoured, a bot removed from the conversation recorded, not retried.
"""

import datetime
import json
import time

import pytest
from django.db import transaction
from django.utils import timezone

from cases.models import Case, Delivery, ReminderPolicy
from cases.policy import Actor
from cases.services import case_open, followups_sweep
from cases.states import State
from supportbot.models import ChatUser
from supportbot.teams.platform import route
from tests.cases.test_reliability import BROKER, _real_parts  # noqa: F401 (PostgreSQL and Redis, or skip/fail)
from tests.conftest import running_worker
from tests.supportbot.teams.conftest import REPORTER, SUPPORT, TENANT

pytestmark = pytest.mark.django_db(transaction=True)

DIRECT = "a:direct-conversation-of-the-reporter"
REPORTER_ACTOR = Actor(label=f"teams:{REPORTER}", channel="teams", workspace_id=TENANT, user_id=REPORTER)


@pytest.fixture
def teams_ready(teams_settings, standin):
    teams_settings.CASE_RETRY_BACKOFF_SECONDS = 0.2
    ReminderPolicy.objects.update_or_create(
        pk=1,
        defaults={
            "escalation_levels": 0,
            "digest_weekday": None,  # these tests count what reaches the support channel
            "reporter_nudge_after": datetime.timedelta(hours=1),
            # Around the clock, so these tests do not depend on when they run.
            "business_weekdays": "0,1,2,3,4,5,6",
            "business_day_start": datetime.time(0, 0),
            "business_day_end": datetime.time(23, 59, 59, 999999),
        },
    )
    ChatUser.objects.create(
        platform="teams",
        workspace_id=TENANT,
        user_id=REPORTER,
        locale="en-US",
        route=route(service_url=standin.service_url, conversation=DIRECT, user="29:reporter"),
    )
    return standin


@pytest.fixture
def worker(teams_ready):
    with running_worker(BROKER) as app:
        yield app


def waiting_case() -> Case:
    """A Teams case that has waited on its reporter just long enough for one nudge."""
    long_ago = timezone.now() - datetime.timedelta(hours=1, minutes=1)
    with transaction.atomic():
        case = case_open(reporter=REPORTER_ACTOR, description="授权异常").case
        case.deliveries.filter(kind=Delivery.Kind.ANNOUNCE).update(state=Delivery.State.SENT)
        Case.objects.filter(pk=case.pk).update(
            state=State.WAITING, waiting_since=long_ago, last_activity_at=long_ago, next_due_at=long_ago
        )
    return Case.objects.get(pk=case.pk)


def settle(standin, count: int, *, extra: float = 1.0) -> list:
    standin.wait_for(count, timeout=20)
    time.sleep(extra)
    return list(standin.sent)


def nudge(standin):
    waiting_case()
    due = followups_sweep()
    assert [d.kind for d in Delivery.objects.filter(pk__in=due)] == [Delivery.Kind.REPORTER_NUDGE]
    return due[0]


def test_a_reporter_nudge_reaches_their_chat_with_resolve_and_still_broken(worker, teams_ready):
    from cases.tasks import send_delivery

    send_delivery.delay(nudge(teams_ready))
    (sent,) = settle(teams_ready, 1)
    assert sent.conversation == DIRECT
    (card,) = sent.cards()
    moves = [a["data"]["m"] for s in card["body"] if s["type"] == "ActionSet" for a in s["actions"]]
    assert moves == ["resolve", "reporter_replied"]


def test_rate_limited_then_sent_honouring_retry_after(worker, teams_ready):
    from cases.tasks import send_delivery

    delivery_id = nudge(teams_ready)
    teams_ready.fail("POST", status=429, headers={"Retry-After": "2"})
    send_delivery.delay(delivery_id)
    calls = settle(teams_ready, 2)
    assert [c.status for c in calls] == [429, 201]
    assert calls[1].at - calls[0].at >= 1.95  # waited as Teams asked
    delivery = Delivery.objects.get(pk=delivery_id)
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 1)  # the refusal uses up no attempt


def test_server_errors_are_retried_then_sent_once(worker, teams_ready):
    from cases.tasks import send_delivery

    delivery_id = nudge(teams_ready)
    teams_ready.fail("POST", status=502, times=2)
    send_delivery.delay(delivery_id)
    calls = settle(teams_ready, 3)
    assert [c.status for c in calls] == [502, 502, 201]
    delivery = Delivery.objects.get(pk=delivery_id)
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 3)


@pytest.mark.parametrize("status", [403, 404])
def test_a_bot_removed_or_a_conversation_gone_is_recorded_not_retried(worker, teams_ready, status):
    from cases.tasks import send_delivery

    delivery_id = nudge(teams_ready)
    teams_ready.fail("POST", status=status)
    send_delivery.delay(delivery_id)
    assert len(settle(teams_ready, 1, extra=2.0)) == 1
    delivery = Delivery.objects.get(pk=delivery_id)
    assert delivery.state == Delivery.State.FAILED
    assert str(status) in delivery.error
    assert str(status) in delivery.case.delivery_problem  # what admins see on the case


def test_a_worker_dying_during_delivery_loses_nothing(worker, teams_ready):
    from cases.tasks import send_delivery

    delivery_id = nudge(teams_ready)
    Delivery.objects.filter(pk=delivery_id).update(
        claimed_until=timezone.now() + datetime.timedelta(minutes=1), attempts=1
    )
    assert followups_sweep() == []
    send_delivery.delay(delivery_id)
    time.sleep(1.0)
    assert teams_ready.sent == []
    Delivery.objects.filter(pk=delivery_id).update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    assert followups_sweep() == [delivery_id]
    send_delivery.delay(delivery_id)
    send_delivery.delay(delivery_id)  # enqueued twice: still sent once
    assert len(settle(teams_ready, 1, extra=1.5)) == 1
    assert Delivery.objects.get(pk=delivery_id).attempts == 2


def test_a_new_case_and_its_changes_reach_the_support_channel_once_each(worker, teams_ready):
    from cases.services import case_move

    with transaction.atomic():
        case = case_open(reporter=REPORTER_ACTOR, description="授权异常").case
    teams_ready.wait_for(1, timeout=20)
    deadline = time.monotonic() + 10
    while not Case.objects.get(pk=case.pk).card_message and time.monotonic() < deadline:
        time.sleep(0.05)
    teams_ready.fail("PUT", status=503)
    case_move(number=case.number, action="resolve", actor=Actor(label="system"))
    # To the agents: the card; a refused update; the update; the note under it. To the reporter: the survey.
    calls = settle(teams_ready, 5, extra=1.5)
    survey = [c for c in calls if c.conversation != SUPPORT and not c.conversation.startswith(f"{SUPPORT};")]
    assert len(survey) == 1
    assert "How did we do" in json.dumps(survey[0].cards(), ensure_ascii=False)
    calls = [c for c in calls if c not in survey]
    assert [(c.method, c.status) for c in calls] == [("POST", 201), ("PUT", 503), ("PUT", 200), ("POST", 201)]
    assert calls[0].conversation == SUPPORT
    assert calls[3].conversation == f"{SUPPORT};messageid={calls[0].activity_id}"
