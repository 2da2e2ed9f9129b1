"""Messages between agents and the reporter, internal notes and the satisfaction rating, as cases keep them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, CaseEvent, Delivery, ReminderPolicy, Said
from cases.policy import Actor, NotAllowed
from cases.services import case_agent_message, case_move, case_open, case_rate, case_reporter_message
from cases.states import Action, State

pytestmark = pytest.mark.django_db

REPORTER = Actor(label="teams:R1", channel="teams", workspace_id="TEN", user_id="R1")
AGENT = Actor(label="slack:UAGENT", channel="slack", workspace_id="T1", user_id="UAGENT")
SYSTEM = Actor(label="system")


def open_case() -> Case:
    return case_open(reporter=REPORTER, description="授权异常").case


def kinds(case: Case) -> list[tuple[str, int]]:
    return sorted((d.kind, d.step) for d in case.deliveries.exclude(kind=Delivery.Kind.ANNOUNCE))


def agent_says(case: Case, text: str = "Which AppID?", key: str = "slack:C1:1.1", **extra):
    return case_agent_message(
        number=case.number, author=AGENT, author_name="Grace", platform="slack", text=text, source_key=key, **extra
    )


def reporter_says(case: Case, text: str = "wx0123456789abcdef", key: str = "teams:a:1:42", **extra):
    return case_reporter_message(
        number=case.number, author=REPORTER, author_name="Ada", platform="teams", text=text, source_key=key, **extra
    )


def test_an_agents_message_takes_an_open_case_waits_on_the_reporter_and_is_relayed_once():
    case = open_case()
    event = agent_says(case)
    case.refresh_from_db()
    assert (case.state, case.assignee_chat_id) == (State.WAITING, "UAGENT")
    assert case.first_response_at is not None
    assert case.waiting_since is not None
    assert (event.action, event.actor, event.actor_name, event.platform, event.note) == (
        Said.AGENT,
        "slack:UAGENT",
        "Grace",
        "slack",
        "Which AppID?",
    )
    # The message, then the moves it made, on the timeline; one relay and one card update (no note: the message is it).
    assert [e.action for e in case.events.all()] == ["open", Said.AGENT, Action.ASSIGN, Action.WAIT]
    assert kinds(case) == sorted([(Delivery.Kind.TO_REPORTER, event.pk), (Delivery.Kind.CASE_CHANGED, event.pk)])


def test_recording_an_agents_message_reads_the_reminder_policy_once():
    case = open_case()
    ReminderPolicy.current()  # exists before, as on any running site
    with CaptureQueriesContext(connection) as queries:
        agent_says(case)
    assert sum('"cases_reminderpolicy"' in query["sql"] for query in queries.captured_queries) == 1


def test_the_same_message_delivered_twice_is_recorded_and_relayed_once():
    case = open_case()
    assert agent_says(case) is not None
    assert agent_says(case) is None
    assert CaseEvent.objects.filter(action=Said.AGENT).count() == 1
    assert case.deliveries.filter(kind=Delivery.Kind.TO_REPORTER).count() == 1


def test_an_internal_note_is_recorded_never_relayed_and_moves_nothing():
    case = open_case()
    event = agent_says(case, "// the reporter is on a sub-account", internal=True)
    case.refresh_from_db()
    assert event.action == Said.NOTE
    assert (case.state, case.first_response_at) == (State.OPEN, None)
    assert kinds(case) == []


def test_with_the_policy_off_an_agents_message_does_not_wait_on_the_reporter():
    ReminderPolicy.objects.update_or_create(pk=1, defaults={"agent_message_waits": False})
    case = open_case()
    agent_says(case)
    case.refresh_from_db()
    assert case.state == State.ASSIGNED


def test_the_reporters_reply_goes_back_to_the_agent_and_restarts_their_reminder_clock():
    case = open_case()
    agent_says(case)
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now() - datetime.timedelta(hours=5))
    before = timezone.now()
    event = reporter_says(case)
    case.refresh_from_db()
    assert case.state == State.ASSIGNED
    assert case.waiting_since is None
    assert case.last_activity_at >= before
    assert (Delivery.Kind.TO_AGENTS, event.pk) in kinds(case)
    assert (Delivery.Kind.CASE_CHANGED, event.pk) in kinds(case)
    assert case.events.order_by("-pk").first().action == Action.REPORTER_REPLIED


def test_a_reporters_message_on_an_assigned_case_changes_no_state_but_is_relayed():
    case = open_case()
    case_move(number=case.number, action="assign", actor=SYSTEM, assignee_chat_id="UAGENT")
    event = reporter_says(case)
    case.refresh_from_db()
    assert case.state == State.ASSIGNED
    assert (Delivery.Kind.TO_AGENTS, event.pk) in kinds(case)
    assert (Delivery.Kind.CASE_CHANGED, event.pk) not in kinds(case)


def test_only_the_reporter_writes_as_the_reporter():
    case = open_case()
    with pytest.raises(NotAllowed):
        case_reporter_message(number=case.number, author=AGENT, platform="slack", text="hi", source_key="x")
    assert not CaseEvent.objects.filter(action=Said.REPORTER).exists()


def test_secrets_are_masked_in_messages_and_file_names_and_only_web_links_are_kept():
    case = open_case()
    secret = "0123456789abcdef0123456789abcdef"
    event = reporter_says(
        case,
        f"AppSecret {secret}",
        files=[
            {"name": f"AppSecret={secret}.png", "url": "https://files.example.com/a.png"},
            {"name": "evil", "url": "javascript:alert(1)"},
        ],
    )
    assert secret not in event.note
    assert "AppSecret" in event.note
    assert [f["url"] for f in event.attachments] == ["https://files.example.com/a.png"]
    assert secret not in event.attachments[0]["name"]


def test_assignment_sets_the_first_response_once():
    case = open_case()
    case_move(number=case.number, action="assign", actor=SYSTEM, assignee_chat_id="UAGENT")
    first = Case.objects.get(pk=case.pk).first_response_at
    agent_says(case)
    assert first is not None
    assert Case.objects.get(pk=case.pk).first_response_at == first


def test_resolving_asks_the_reporter_to_rate_once_even_if_resolved_again():
    case = open_case()
    case_move(number=case.number, action="resolve", actor=SYSTEM)
    case_move(number=case.number, action="reopen", actor=SYSTEM)
    case_move(number=case.number, action="resolve", actor=SYSTEM)
    assert case.deliveries.filter(kind=Delivery.Kind.SURVEY).count() == 1


def test_the_reporter_rates_a_resolved_case_once():
    case = open_case()
    with pytest.raises(ValidationError):
        case_rate(number=case.number, reporter=REPORTER, score=5)
    case_move(number=case.number, action="resolve", actor=SYSTEM)
    with pytest.raises(NotAllowed):
        case_rate(number=case.number, reporter=AGENT, score=1)
    for bad in (0, 6, True, "5"):
        with pytest.raises(ValidationError):
            case_rate(number=case.number, reporter=REPORTER, score=bad)
    rated, kept = case_rate(number=case.number, reporter=REPORTER, score=4, comment="fast, thanks. password: hunter22")
    assert kept
    assert (rated.satisfaction, rated.rated_at is not None) == (4, True)
    assert "hunter22" not in rated.satisfaction_comment
    _again, kept_again = case_rate(number=case.number, reporter=REPORTER, score=1)
    assert not kept_again
    assert Case.objects.get(pk=case.pk).satisfaction == 4
    rated_event = case.events.get(action=Said.RATED)
    assert rated_event.note.startswith("4/5 fast, thanks.")
    assert case.deliveries.filter(kind=Delivery.Kind.CASE_CHANGED, step=rated_event.pk).exists()


def test_a_rated_case_is_not_asked_again_after_reopening():
    case = open_case()
    case_move(number=case.number, action="resolve", actor=SYSTEM)
    case.deliveries.filter(kind=Delivery.Kind.SURVEY).delete()
    case_rate(number=case.number, reporter=REPORTER, score=5)
    case_move(number=case.number, action="reopen", actor=SYSTEM)
    case_move(number=case.number, action="resolve", actor=SYSTEM)
    assert not case.deliveries.filter(kind=Delivery.Kind.SURVEY).exists()
