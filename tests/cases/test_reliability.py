"""Follow-ups on real parts: PostgreSQL, Redis as the broker, a Celery worker, and the Slack stand-in.

Every scenario counts the messages that reached Slack: none lost, none twice.
"""

import datetime
import itertools
import threading
import time
import zoneinfo

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.utils import timezone

from cases.models import Case, Delivery, ReminderPolicy
from cases.policy import Actor
from cases.services import case_open, followups_sweep
from cases.states import State
from tests.conftest import TEST_BROKER, require_broker, running_worker
from tests.slack_standin import SlackStandIn

pytestmark = pytest.mark.django_db(transaction=True)

BROKER = TEST_BROKER
REPORTER = Actor(label="slack:UREP", channel="slack", workspace_id="T1", user_id="UREP")


@pytest.fixture(autouse=True)
def _real_parts():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SKIP LOCKED claims); the PostgreSQL tier runs these")
    require_broker("follow-up reliability tests")


@pytest.fixture(scope="module")
def standin():
    server = SlackStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def slack_ready(settings, standin):
    settings.SLACK_BOT_TOKEN = standin.token
    settings.SLACK_API_URL = standin.api_url
    settings.SLACK_SUPPORT_CHANNEL = "CSUPPORT"
    settings.CASE_RETRY_BACKOFF_SECONDS = 0.2
    standin.reset()
    # Reminders only: no escalations, and no weekly digest in the channel these tests count.
    ReminderPolicy.objects.update_or_create(pk=1, defaults={"escalation_levels": 0, "digest_weekday": None})
    return standin


@pytest.fixture
def worker(slack_ready):
    with running_worker(BROKER) as app:
        yield app


def opened_long_ago(**fields) -> Case:
    """A case whose announcement to agents went out when it opened: these tests count reminders only."""
    with transaction.atomic():
        case = case_open(reporter=REPORTER, description="授权异常").case
        case.deliveries.filter(kind=Delivery.Kind.ANNOUNCE).update(state=Delivery.State.SENT)
        Case.objects.filter(pk=case.pk).update(**fields)
    return Case.objects.get(pk=case.pk)


def due_case() -> Case:
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    return opened_long_ago(created_at=long_ago, last_activity_at=long_ago, next_due_at=long_ago)


def sends(standin) -> list:
    return standin.calls_to("chat.postMessage")


def settle(standin, count: int, *, extra: float = 1.0) -> list:
    """The messages once ``count`` arrived, after waiting a little longer for any that should not."""
    standin.wait_for("chat.postMessage", count, timeout=20)
    time.sleep(extra)
    return sends(standin)


def test_two_sweeps_at_once_write_and_send_each_reminder_once(worker, slack_ready):
    from cases.tasks import send_delivery

    cases = [due_case() for _ in range(40)]
    barrier, found = threading.Barrier(2), []

    def sweep() -> None:
        barrier.wait()
        found.append(followups_sweep())
        connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not set(found[0]) & set(found[1])  # the sweeps claimed different cases
    assert Delivery.objects.exclude(kind=Delivery.Kind.ANNOUNCE).count() == len(cases)
    for delivery_id in found[0] + found[1] + found[0][:5]:  # and some enqueued twice
        send_delivery.delay(delivery_id)
    assert len(settle(slack_ready, len(cases))) == len(cases)
    assert Delivery.objects.filter(state=Delivery.State.SENT, kind=Delivery.Kind.UNASSIGNED).count() == len(cases)


def test_a_worker_dying_during_delivery_loses_nothing(worker, slack_ready):
    from cases.tasks import send_delivery

    due_case()
    (delivery_id,) = followups_sweep()
    # A worker claimed it and was killed before sending: the claim holds until its lease runs out…
    Delivery.objects.filter(pk=delivery_id).update(
        claimed_until=timezone.now() + datetime.timedelta(minutes=1), attempts=1
    )
    assert followups_sweep() == []
    send_delivery.delay(delivery_id)
    time.sleep(1.0)
    assert sends(slack_ready) == []
    # …and once it has, the next sweep picks the delivery up again.
    Delivery.objects.filter(pk=delivery_id).update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    assert followups_sweep() == [delivery_id]
    send_delivery.delay(delivery_id)
    assert len(settle(slack_ready, 1)) == 1
    assert Delivery.objects.get(pk=delivery_id).attempts == 2


def test_rate_limited_then_sent_honouring_retry_after(worker, slack_ready):
    from cases.tasks import send_delivery

    due_case()
    (delivery_id,) = followups_sweep()
    slack_ready.fail("chat.postMessage", status=429, headers={"Retry-After": "1"})
    send_delivery.delay(delivery_id)
    calls = settle(slack_ready, 2)
    assert len(calls) == 2
    assert calls[1].at - calls[0].at >= 0.95  # waited as Slack asked
    delivery = Delivery.objects.get(pk=delivery_id)
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 1)  # the refusal uses up no attempt


def test_three_server_errors_then_sent_once(worker, slack_ready):
    from cases.tasks import send_delivery

    due_case()
    (delivery_id,) = followups_sweep()
    slack_ready.fail("chat.postMessage", status=500, times=3)
    send_delivery.delay(delivery_id)
    assert len(settle(slack_ready, 4)) == 4  # three refused, one delivered
    delivery = Delivery.objects.get(pk=delivery_id)
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 4)


def test_a_permanent_error_is_recorded_not_retried(worker, slack_ready):
    from cases.tasks import send_delivery

    case = due_case()
    (delivery_id,) = followups_sweep()
    slack_ready.fail("chat.postMessage", error="channel_not_found")
    send_delivery.delay(delivery_id)
    assert len(settle(slack_ready, 1, extra=2.0)) == 1
    delivery = Delivery.objects.get(pk=delivery_id)
    assert (delivery.state, delivery.error) == (Delivery.State.FAILED, "channel_not_found")
    assert "channel_not_found" in Case.objects.get(pk=case.pk).delivery_problem


def test_reporter_nudges_wait_for_monday(worker, slack_ready):
    from cases.tasks import send_delivery

    ReminderPolicy.objects.filter(pk=1).update(reporter_nudge_after=datetime.timedelta(hours=1))
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    friday = datetime.datetime(2026, 11, 27, 17, 30, tzinfo=shanghai)
    with time_machine.travel(friday, tick=False):
        opened_long_ago(state=State.WAITING, waiting_since=friday, next_due_at=friday)
        assert followups_sweep() == []  # the nudge falls due at 18:30, after hours: Monday 09:00
    with time_machine.travel(datetime.datetime(2026, 11, 28, 10, 0, tzinfo=shanghai), tick=False):
        assert followups_sweep() == []  # Saturday: nothing
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, 1, tzinfo=shanghai), tick=False):
        due = followups_sweep()
    assert [d.kind for d in Delivery.objects.filter(pk__in=due)] == [Delivery.Kind.REPORTER_NUDGE]
    for delivery_id in due:
        send_delivery.delay(delivery_id)
    (message,) = settle(slack_ready, 1)
    assert message.payload["channel"] == "UREP"
    assert "case:reporter_replied" in str(message.payload["blocks"])


def test_a_sweep_enqueues_batches_and_a_failure_inside_one_is_retried_alone(worker, slack_ready):
    from cases.tasks import sweep_followups

    cases = [due_case() for _ in range(150)]
    slack_ready.fail("chat.postMessage", status=503, times=1)
    assert sweep_followups() == len(cases)  # 150 deliveries in two broker messages
    calls = settle(slack_ready, len(cases) + 1, extra=1.5)
    assert len(calls) == len(cases) + 1  # one refused, then every reminder exactly once
    assert Delivery.objects.filter(state=Delivery.State.SENT, kind=Delivery.Kind.UNASSIGNED).count() == len(cases)
    assert sorted(Delivery.objects.values_list("attempts", flat=True)).count(2) == 1


def test_a_rate_limit_storm_costs_one_attempt_per_window_and_loses_nothing(worker, slack_ready):
    from cases.models import SendPause
    from cases.tasks import sweep_followups

    cases = [due_case() for _ in range(12)]
    slack_ready.fail("chat.postMessage", status=429, headers={"Retry-After": "2"}, times=3)
    assert sweep_followups() == len(cases)
    calls = settle(slack_ready, len(cases) + 3, extra=2.0)
    assert len(calls) == len(cases) + 3  # three refusals, then every reminder exactly once
    # Nothing reached Slack inside a window: each attempt came after the previous refusal's Retry-After.
    for refused, attempt in itertools.pairwise(calls[:4]):
        assert attempt.at - refused.at >= 1.9, [round(c.at - calls[0].at, 2) for c in calls[:5]]
    assert Delivery.objects.filter(state=Delivery.State.SENT, kind=Delivery.Kind.UNASSIGNED).count() == len(cases)
    assert not SendPause.objects.exists()  # lifted by the first send that got through


def _beat(stop: threading.Event, every: float) -> None:
    """What celery beat does: sweep (and hand out what the sweep finds) every ``every`` seconds."""
    from cases.tasks import sweep_followups

    while not stop.wait(every):
        sweep_followups()
    connections.close_all()


def test_a_long_rate_limit_storm_gets_one_attempt_per_window_with_sweeps_running(worker, slack_ready, settings):
    # The recovery waits in seconds, so the sweeps would hand out anything whose retry looked lost.
    settings.CASE_LOST_TASK_SECONDS = 1
    settings.CASE_DELIVERY_LEASE_SECONDS = 2
    storm, window = 10.0, 1.0
    cases = [due_case() for _ in range(6)]
    slack_ready.fail_for("chat.postMessage", storm, status=429, headers={"Retry-After": str(int(window))})
    started = time.time()
    stop = threading.Event()
    beat = threading.Thread(target=_beat, args=(stop, 0.25))
    beat.start()
    try:
        calls = settle(slack_ready, len(cases) + int(storm / window), extra=3.0)
    finally:
        stop.set()
        beat.join()
    refused = [call for call in calls if call.at < started + storm]
    delivered = calls[len(refused) :]
    gaps = [round(later.at - earlier.at, 2) for earlier, later in itertools.pairwise(refused)]
    assert all(gap >= window - 0.05 for gap in gaps), gaps  # never inside a Retry-After window
    assert len(refused) <= storm / window + 1  # one attempt per window, however many sweeps ran
    assert len(delivered) == len(cases)  # then every reminder exactly once
    assert len({call.payload["text"] for call in delivered}) == len(cases)
    assert Delivery.objects.filter(state=Delivery.State.SENT, kind=Delivery.Kind.UNASSIGNED).count() == len(cases)
    # Neither the refusals nor waiting out the pause count toward giving up: one counted send each.
    assert sorted(Delivery.objects.filter(kind=Delivery.Kind.UNASSIGNED).values_list("attempts", flat=True)) == [
        1
    ] * len(cases)


def test_a_platform_that_keeps_failing_ends_in_a_recorded_failure(worker, slack_ready, settings):
    from cases.tasks import send_delivery

    settings.CASE_LOST_TASK_SECONDS = 1
    settings.CASE_DELIVERY_MAX_ATTEMPTS = 4
    case = due_case()
    (delivery_id,) = followups_sweep()
    slack_ready.fail_for("chat.postMessage", 60, status=503)
    stop = threading.Event()
    beat = threading.Thread(target=_beat, args=(stop, 0.25))
    beat.start()
    try:
        send_delivery.delay(delivery_id)
        calls = settle(slack_ready, 4, extra=3.0)  # backoff 0.2, 0.4, 0.8 s: well inside the wait
    finally:
        stop.set()
        beat.join()
    assert len(calls) == 4  # bounded: no retry after the last, and the sweeps did not start new chains
    delivery = Delivery.objects.get(pk=delivery_id)
    assert (delivery.state, delivery.attempts) == (Delivery.State.FAILED, 4)
    assert delivery.error.startswith("gave up after 4 attempts")
    assert "gave up after 4 attempts" in Case.objects.get(pk=case.pk).delivery_problem
