import pytest
from django.core.exceptions import ValidationError

from cases.models import Case, CaseEvent
from cases.policy import Actor, NotAllowed
from cases.services import case_move, case_open
from cases.states import Action, IllegalMove, State

pytestmark = pytest.mark.django_db

REPORTER = Actor(label="slack:U1", channel="slack", workspace_id="T1", user_id="U1")
AGENT = Actor(label="slack:UAGENT", channel="slack", workspace_id="T1", user_id="UAGENT", is_agent=True)
STRANGER = Actor(label="slack:U2", channel="slack", workspace_id="T1", user_id="U2")


def open_case(**fields):
    return case_open(reporter=REPORTER, description="授权异常", **fields).case


def test_cases_get_sayable_increasing_numbers_and_a_timeline():
    first, second = open_case(), open_case()
    assert (first.number, second.number) == (1001, 1002)
    assert [(e.action, e.to_state, e.actor) for e in first.events.all()] == [("open", State.OPEN, "slack:U1")]


def test_secrets_are_masked_before_saving(faq_content):
    opened = case_open(reporter=REPORTER, description="AppSecret 0123456789abcdef0123456789abcdef", topic_slug="bind")
    assert "0123456789abcdef" not in Case.objects.get(pk=opened.case.pk).description
    assert opened.masked == ("AppSecret",)
    assert opened.case.topic.slug == "bind"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"appid": "wx123"}, "appid"),
        ({"appid": "xx1234567890abcdef"}, "appid"),
        ({"tencent_account_id": "12ab"}, "tencent_account_id"),
        ({"account_kind": "boss"}, "account_kind"),
    ],
)
def test_invalid_binding_details_are_refused_and_nothing_is_saved(fields, field):
    with pytest.raises(ValidationError) as error:
        case_open(reporter=REPORTER, **fields)
    assert field in error.value.message_dict
    assert not Case.objects.exists()


def test_the_same_submission_opens_one_case():
    first = case_open(reporter=REPORTER, description="x", source_key="slack:view:V1")
    again = case_open(reporter=REPORTER, description="x", source_key="slack:view:V1")
    assert first.created
    assert not again.created
    assert again.case.pk == first.case.pk
    assert Case.objects.count() == 1


def test_a_move_and_its_event_are_written_together(django_user_model):
    agent_user = django_user_model.objects.create_user(username="agent")
    case = open_case()
    case_move(number=case.number, action=Action.ASSIGN, actor=AGENT, assignee=agent_user, note="mine")
    case.refresh_from_db()
    assert (case.state, case.assignee) == (State.ASSIGNED, agent_user)
    last = case.events.last()
    assert (last.from_state, last.to_state, last.actor, last.note) == (
        State.OPEN,
        State.ASSIGNED,
        "slack:UAGENT",
        "mine",
    )


def test_an_illegal_move_changes_nothing():
    case = open_case()
    with pytest.raises(IllegalMove):
        case_move(number=case.number, action=Action.WAIT, actor=AGENT)
    case.refresh_from_db()
    assert case.state == State.OPEN
    assert case.events.count() == 1


def test_a_repeated_click_applies_once(django_user_model):
    agent_user = django_user_model.objects.create_user(username="agent")
    case = open_case()
    case_move(number=case.number, action=Action.ASSIGN, actor=AGENT, assignee=agent_user)
    case_move(number=case.number, action=Action.ASSIGN, actor=AGENT, assignee=agent_user)
    case_move(number=case.number, action=Action.RESOLVE, actor=AGENT)
    with pytest.raises(IllegalMove):
        case_move(number=case.number, action=Action.RESOLVE, actor=AGENT)
    assert [e.action for e in case.events.all()] == ["open", "assign", "resolve"]


def test_reporters_resolve_and_reopen_their_own_cases_only():
    case = open_case()
    case_move(number=case.number, action=Action.RESOLVE, actor=REPORTER)
    case_move(number=case.number, action=Action.REOPEN, actor=REPORTER)
    with pytest.raises(NotAllowed):
        case_move(number=case.number, action=Action.RESOLVE, actor=STRANGER)
    with pytest.raises(NotAllowed):
        case_move(number=case.number, action=Action.WAIT, actor=REPORTER)
    assert Case.objects.get(pk=case.pk).state == State.ASSIGNED


def test_timeline_events_cannot_be_edited_or_deleted():
    event = open_case().events.first()
    event.note = "rewritten"
    with pytest.raises(ValueError, match="immutable"):
        event.save()
    with pytest.raises(ValueError, match="immutable"):
        event.delete()
    assert CaseEvent.objects.get(pk=event.pk).note == ""


def test_nul_characters_are_dropped_from_everything_a_case_stores():
    opened = case_open(
        reporter=REPORTER,
        description="授权\x00异常",
        question="怎么\x00办",
        reporter_name="A\x00lice",
        appid="wx1234567890abcdef\x00",
        ruled_out=["not-linked\x00"],
    ).case
    stored = Case.objects.get(pk=opened.pk)
    assert (stored.description, stored.question, stored.reporter_name) == ("授权异常", "怎么办", "Alice")
    assert stored.appid == "wx1234567890abcdef"
    assert stored.ruled_out == ["not-linked"]
    case_move(number=stored.number, action=Action.RESOLVE, actor=AGENT, note="看\x00看")
    assert stored.events.last().note == "看看"


def test_the_recovery_waits_are_settings(settings):
    import datetime

    from django.utils import timezone

    from cases.models import Delivery
    from cases.services import delivery_send, followups_sweep

    case = open_case()
    delivery = Delivery.objects.get(case=case, kind=Delivery.Kind.ANNOUNCE)  # written with the case
    Delivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - datetime.timedelta(seconds=30))
    settings.CASE_LOST_TASK_SECONDS = 300
    assert delivery.pk not in followups_sweep()  # its task may yet arrive
    settings.CASE_LOST_TASK_SECONDS = 20
    assert delivery.pk in followups_sweep()  # lost: handed out again

    settings.CASE_DELIVERY_LEASE_SECONDS = 45
    settings.WXBIND_COURIER = "tests.cases.test_services.courier_noting_the_claim"
    before = timezone.now()
    assert delivery_send(delivery_id=delivery.pk) == "sent"
    lease = CLAIMS[-1] - before
    assert datetime.timedelta(seconds=44) < lease <= datetime.timedelta(seconds=46)


CLAIMS: list = []


def courier_noting_the_claim(delivery):
    """A courier (WXBIND_COURIER) that notes how long the claim it was handed holds, and delivers."""
    CLAIMS.append(type(delivery).objects.get(pk=delivery.pk).claimed_until)
    return "C0TEST", "1.0001"


def test_a_policy_edit_moves_open_cases_next_reminder(time_machine):
    import datetime

    from django.utils import timezone

    from cases.models import Delivery, ReminderPolicy
    from cases.services import followups_sweep

    start = timezone.now()
    time_machine.move_to(start, tick=False)
    case = open_case()
    policy = ReminderPolicy.current()
    case.refresh_from_db()
    assert case.next_due_at == start + policy.unassigned_first  # 30 minutes
    time_machine.move_to(start + datetime.timedelta(minutes=5), tick=False)
    assert followups_sweep() == []  # nothing due under the old policy
    policy.unassigned_first = datetime.timedelta(minutes=2)
    policy.save()
    followups_sweep()
    assert Delivery.objects.filter(case=case, kind=Delivery.Kind.UNASSIGNED, step=1).count() == 1
    case.refresh_from_db()
    assert case.next_due_at == case.created_at + policy.unassigned_first + policy.unassigned_repeat
    followups_sweep()
    assert Delivery.objects.filter(case=case, kind=Delivery.Kind.UNASSIGNED).count() == 1  # once
    closed = open_case()
    case_move(number=closed.number, action=Action.RESOLVE, actor=AGENT)
    closed.refresh_from_db()
    before = closed.next_due_at
    time_machine.move_to(start + datetime.timedelta(minutes=9), tick=False)
    policy.save()
    closed.refresh_from_db()
    assert closed.next_due_at == before  # only open cases are looked at again


def test_after_a_pause_one_sender_tries_and_its_success_lets_the_rest_go(time_machine):
    import datetime

    from django.utils import timezone

    from cases.services import send_paused, send_resumed, send_wait

    start = timezone.now()
    time_machine.move_to(start, tick=False)
    assert send_wait(scope="slack") is None  # nothing paused: send
    send_paused(scope="slack", seconds=30)
    assert send_wait(scope="slack") == 30.0
    assert send_wait(scope="teams") is None  # another platform is not held back
    time_machine.move_to(start + datetime.timedelta(seconds=31), tick=False)
    assert send_wait(scope="slack") == 0.0  # this one tries again…
    assert send_wait(scope="slack") == 5.0  # …and the others look again shortly
    send_resumed(scope="slack")
    assert send_wait(scope="slack") is None


# Retries live on the delivery row ------------------------------------------------

REFUSALS: list = []


def courier_refusing(delivery):
    """A courier (WXBIND_COURIER) whose platform answers 503 to every send."""
    from cases.transports import TransportError

    REFUSALS.append(delivery.pk)
    raise TransportError("service_unavailable", permanent=False)


def courier_told_to_wait(delivery):
    """A courier whose platform is paused by someone else's 429: nothing leaves."""
    from cases.transports import TransportError

    REFUSALS.append(delivery.pk)
    raise TransportError("slack asked us to wait", permanent=False, retry_after=30, attempted=False)


def _announcement():
    from cases.models import Delivery

    return Delivery.objects.get(case=open_case(), kind=Delivery.Kind.ANNOUNCE)


def test_a_passing_failure_schedules_its_retry_on_the_row_and_nothing_sends_it_earlier(settings, time_machine):
    import datetime

    from django.utils import timezone

    from cases.models import Delivery
    from cases.services import RetryScheduled, delivery_send, followups_sweep

    settings.WXBIND_COURIER = "tests.cases.test_services.courier_refusing"
    settings.CASE_RETRY_BACKOFF_SECONDS = 10
    settings.CASE_LOST_TASK_SECONDS = 5
    REFUSALS.clear()
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    delivery = _announcement()
    with pytest.raises(RetryScheduled) as scheduled:
        delivery_send(delivery_id=delivery.pk)
    assert scheduled.value.seconds == 10
    stored = Delivery.objects.get(pk=delivery.pk)
    assert (stored.state, stored.attempts, stored.claimed_until) == (Delivery.State.PENDING, 1, None)
    assert stored.retry_at == start + datetime.timedelta(seconds=10)
    assert stored.error == "service_unavailable"

    # A second task for it (a duplicate, a sweep) before then sends nothing, and no sweep hands it out.
    time_machine.move_to(start + datetime.timedelta(seconds=9), tick=False)
    assert delivery_send(delivery_id=delivery.pk) == "taken"
    assert delivery.pk not in followups_sweep()
    assert [delivery.pk] == REFUSALS
    # Its own retry comes back at retry_at; the backoff doubles.
    time_machine.move_to(start + datetime.timedelta(seconds=10), tick=False)
    with pytest.raises(RetryScheduled) as scheduled:
        delivery_send(delivery_id=delivery.pk)
    assert scheduled.value.seconds == 20
    # Only if that retry never comes does a sweep hand the delivery out, once the grace has passed.
    time_machine.move_to(start + datetime.timedelta(seconds=30 + 4), tick=False)
    assert delivery.pk not in followups_sweep()
    time_machine.move_to(start + datetime.timedelta(seconds=30 + 6), tick=False)
    assert delivery.pk in followups_sweep()


def test_attempts_are_bounded_and_end_in_a_failure_recorded_on_the_case(settings, time_machine):
    import datetime

    from django.utils import timezone

    from cases.models import Delivery
    from cases.services import RetryScheduled, delivery_send

    settings.WXBIND_COURIER = "tests.cases.test_services.courier_refusing"
    settings.CASE_DELIVERY_MAX_ATTEMPTS = 3
    REFUSALS.clear()
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    delivery = _announcement()
    outcomes = []
    for _ in range(5):
        try:
            outcomes.append(delivery_send(delivery_id=delivery.pk))
        except RetryScheduled:
            outcomes.append("retry")
        now += datetime.timedelta(minutes=10)
        time_machine.move_to(now, tick=False)
    assert outcomes == ["retry", "retry", "failed", "taken", "taken"]
    assert len(REFUSALS) == 3
    stored = Delivery.objects.get(pk=delivery.pk)
    assert (stored.state, stored.retry_at) == (Delivery.State.FAILED, None)
    assert stored.error == "gave up after 3 attempts: service_unavailable"
    assert "gave up after 3 attempts" in Case.objects.get(pk=stored.case_id).delivery_problem


def test_a_delivery_whose_senders_keep_dying_is_given_up(settings):
    from cases.models import Delivery
    from cases.services import delivery_send

    settings.WXBIND_COURIER = "tests.cases.test_services.courier_refusing"
    settings.CASE_DELIVERY_MAX_ATTEMPTS = 3
    REFUSALS.clear()
    delivery = _announcement()
    Delivery.objects.filter(pk=delivery.pk).update(attempts=3)  # three claims whose workers were killed
    assert delivery_send(delivery_id=delivery.pk) == "failed"
    assert REFUSALS == []
    assert Delivery.objects.get(pk=delivery.pk).error == "gave up after 3 attempts"


def test_waiting_out_another_senders_rate_limit_is_not_an_attempt(settings):
    from cases.models import Delivery
    from cases.services import RetryScheduled, delivery_send

    settings.WXBIND_COURIER = "tests.cases.test_services.courier_told_to_wait"
    settings.CASE_DELIVERY_MAX_ATTEMPTS = 1
    delivery = _announcement()
    with pytest.raises(RetryScheduled) as scheduled:
        delivery_send(delivery_id=delivery.pk)
    assert scheduled.value.seconds == 30
    stored = Delivery.objects.get(pk=delivery.pk)
    assert (stored.state, stored.attempts) == (Delivery.State.PENDING, 0)


def test_every_free_text_field_of_a_case_is_masked_with_one_masker():
    opened = case_open(
        reporter=REPORTER,
        description="绑定失败，AppID wx1234567890abcdef，账号 100012345678",
        question='{"SecretKey": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"} 为什么授权异常',
    )
    stored = Case.objects.get(pk=opened.case.pk)
    assert "Gu5t9x" not in stored.question
    assert stored.question.endswith("为什么授权异常")
    assert stored.description == "绑定失败，AppID wx1234567890abcdef，账号 100012345678"  # AppID and account kept
    assert opened.masked == ("SecretKey",)
    case_move(number=stored.number, action=Action.RESOLVE, actor=AGENT, note="新密码: N3w!Pass456，已重置")
    assert stored.events.last().note == "新密码: ••••••，已重置"


def test_the_reminder_policy_exists_from_the_first_migrate():
    import importlib

    from django.apps import apps
    from django.db.migrations.recorder import MigrationRecorder

    from cases.models import ReminderPolicy

    name = "0008_reminder_policy_from_the_start"
    assert MigrationRecorder.Migration.objects.filter(app="cases", name=name).exists()
    ReminderPolicy.objects.all().delete()  # as a database is before that migration
    importlib.import_module(f"cases.migrations.{name}").create_the_policy(apps, None)
    policy = ReminderPolicy.objects.get(pk=ReminderPolicy.SINGLETON_ID)
    assert policy.unassigned_first == ReminderPolicy._meta.get_field("unassigned_first").default


def courier_rate_limited(delivery):
    """A courier whose platform answers 429 with Retry-After."""
    from cases.transports import TransportError

    REFUSALS.append(delivery.pk)
    raise TransportError("rate limited", permanent=False, retry_after=20)


def test_a_rate_limit_storm_never_uses_up_a_deliverys_attempts(settings, time_machine):
    import datetime

    from django.utils import timezone

    from cases.models import Delivery
    from cases.services import RetryScheduled, delivery_send

    settings.WXBIND_COURIER = "tests.cases.test_services.courier_rate_limited"
    settings.CASE_DELIVERY_MAX_ATTEMPTS = 3
    REFUSALS.clear()
    now = timezone.now()
    delivery = _announcement()
    for _ in range(10):  # ten windows of a long storm
        time_machine.move_to(now, tick=False)
        with pytest.raises(RetryScheduled) as scheduled:
            delivery_send(delivery_id=delivery.pk)
        assert scheduled.value.seconds == 20
        now += datetime.timedelta(seconds=20)
    assert len(REFUSALS) == 10  # one send per window
    stored = Delivery.objects.get(pk=delivery.pk)
    assert (stored.state, stored.attempts) == (Delivery.State.PENDING, 0)  # still to be sent when it ends


def test_a_sweep_that_resolves_quiet_cases_reads_the_reminder_policy_once():
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from cases.models import ReminderPolicy
    from cases.services import followups_sweep

    ReminderPolicy.current()
    long_ago = timezone.now() - datetime.timedelta(days=30)
    quiet = [open_case(), open_case()]
    Case.objects.filter(pk__in=[case.pk for case in quiet]).update(
        state=State.WAITING, waiting_since=long_ago, last_activity_at=long_ago, next_due_at=long_ago
    )
    with CaptureQueriesContext(connection) as queries:
        followups_sweep()
    assert {case.state for case in Case.objects.filter(pk__in=[case.pk for case in quiet])} == {State.RESOLVED}
    # Recorded, though it may be 0: cases opened moments ago outside business hours took none of them.
    assert all(case.resolution_hours is not None for case in Case.objects.filter(pk__in=[case.pk for case in quiet]))
    assert sum('"cases_reminderpolicy"' in query["sql"] for query in queries.captured_queries) == 1
