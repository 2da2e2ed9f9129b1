"""The whole product through a test front end of about a hundred lines (echo.py): no Bolt, no Slack.

If this works, a platform needs only payload parsing, rendering and a transport.
"""

import datetime

import pytest
from django.utils import timezone

from cases.models import Case, Delivery
from cases.services import followups_sweep
from cases.states import State
from cases.tasks import enqueue_deliveries
from tests.supportbot.conversation.echo import EchoFrontEnd

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_question_a_diagnosis_a_case_an_agent_and_a_reminder(echo):
    reporter, agent = EchoFrontEnd("ureporter"), EchoFrontEnd("uagent")
    echo.agents.add("uagent")

    (answer,) = reporter.type("my mini program says authorization exception, what should I check?")
    assert answer["kind"] == "AnswerReply"
    assert answer["text"] == 'What should I do about a mini program "authorization exception"?'
    assert "Diagnose step by step" in answer["buttons"]  # the rule lives in the core

    (step,) = reporter.click(answer, "Diagnose step by step")
    assert step["text"].startswith("Step 1 of 4")
    for reply in ["Yes", "No", "Yes", "Yes"]:  # none of the four causes
        (step,) = reporter.click(step, reply)
    assert step["text"].startswith("None of the usual causes fits")
    (form,) = reporter.click(step, "Open a case")
    assert form["kind"] == "CaseFormRequest"
    assert form["prefill"].topic == "auth-exception"
    assert len(form["prefill"].ruled_out) == 4

    (confirmation,) = reporter.submit(form, description="still broken", appid="wx0123456789ABCDEF")
    case = Case.objects.get()
    assert confirmation["text"] == f"Case {case.number} is open. Support will get back to you here."
    assert case.appid == "wx0123456789abcdef"

    # Agents see the case on the support channel (sent by the delivery, after commit).
    (announced,) = [shown for address, shown in echo.sent if address.conversation == "support"]
    assert (announced["kind"], announced["number"]) == ("CaseCard", case.number)
    assert reporter.click(announced, "Assign to me")[0]["kind"] == "Refusal"  # not an agent
    assert agent.click(announced, "Assign to me") == []
    case.refresh_from_db()
    assert (case.state, case.assignee_chat_id) == (State.ASSIGNED, "uagent")
    (updated,) = echo.updated  # the card, in place
    assert updated[1]["text"] == f"Case {case.number} · assigned"
    (note,) = [shown for address, shown in echo.sent if address.thread == case.card_message]
    assert note["text"] == "echo:uagent: open → assigned"

    # The agent goes quiet: the sweep reminds them, in a direct message.
    quiet = timezone.now() - datetime.timedelta(days=7)
    Case.objects.filter(pk=case.pk).update(last_activity_at=quiet, next_due_at=quiet)
    enqueue_deliveries(followups_sweep())
    reminder = Delivery.objects.get(case=case, kind=Delivery.Kind.AGENT_IDLE)
    assert reminder.state == Delivery.State.SENT
    assert echo.sent[-1][0].conversation == "dm:uagent"
    assert echo.sent[-1][1]["kind"] == "Reminder"
