"""Card buttons: an Action.Submit arrives as a message with a value, an Action.Execute as an invoke."""

import pytest

from faq.models import AnswerEvent, DiagnosisStep
from supportbot.recorder import recorder
from tests.supportbot.teams.conftest import assert_valid, button, buttons, settle, visible_text

pytestmark = pytest.mark.django_db(transaction=True)


def _first_card(standin, count: int = 1) -> dict:
    return standin.wait_for(count)[count - 1].cards()[0]


def test_a_topic_button_shows_that_answer(teams, standin):
    teams.message("help")
    topic = next(b for b in buttons(_first_card(standin)) if b["data"].get("s") == "unbind")
    assert teams.click(topic["data"]).status == 200
    card = _first_card(standin, 2)
    assert_valid(card)
    assert "解绑" in visible_text(card) or "nbind" in visible_text(card)


def test_an_invoke_gets_the_invoke_answer_teams_needs(teams, standin):
    reply = teams.invoke({"wxbind": "topic", "s": "bind", "l": "en"})
    assert reply.status == 200
    assert reply.json() == {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": ""}
    assert_valid(_first_card(standin))


def test_feedback_is_recorded_and_no_offers_a_case(teams, standin):
    teams.message("how do I unbind my mini program from tencent cloud")
    answer = _first_card(standin)
    teams.click(button(answer, "Yes")["data"])
    thanks = _first_card(standin, 2)
    assert "Thanks" in visible_text(thanks)
    teams.click(button(answer, "No")["data"])
    sorry = _first_card(standin, 3)
    assert button(sorry, "Open a case")["data"]["wxbind"] == "open_case"
    recorder.flush()
    verdicts = sorted(AnswerEvent.objects.exclude(kind=AnswerEvent.Kind.SHOWN).values_list("kind", flat=True))
    assert verdicts == sorted([AnswerEvent.Kind.HELPFUL, AnswerEvent.Kind.NOT_HELPFUL])


def test_share_posts_the_answer_without_feedback_buttons_naming_who_shared(teams, standin):
    teams.message("how do I unbind my mini program from tencent cloud")
    teams.click(button(_first_card(standin), "Share in channel")["data"])
    shared = _first_card(standin, 2)
    assert_valid(shared)
    assert "Shared by Ada Lovelace" in visible_text(shared)
    assert not any(b["data"].get("wxbind") in {"yes", "no"} for b in buttons(shared) if "data" in b)


def test_the_diagnosis_walks_one_cause_at_a_time_in_place_to_a_case(teams, standin):
    steps = list(DiagnosisStep.objects.filter(is_published=True).order_by("display_order"))
    teams.message("diagnose")
    card = _first_card(standin)
    assert "Step 1 of 4" in visible_text(card)
    for number, step in enumerate(steps, start=1):
        assert_valid(card)
        assert f"Step {number} of {len(steps)}" in visible_text(card)
        clear = "no" if step.cause_answer == "yes" else "yes"  # the answer that rules this cause out
        choice = next(b for b in buttons(card) if b["data"].get("a") == clear)
        teams.click(choice["data"], reply_to="diagnosis-card")
        update = standin.wait_for(number + 1)[-1]
        assert (update.method, update.activity_id) == ("PUT", "diagnosis-card")  # the same card moves on
        card = update.cards()[0]
    assert "none of the usual causes" in visible_text(card).lower()
    case_button = button(card, "Open a case")
    assert case_button["data"]["r"] == [step.key for step in steps]


def test_a_found_cause_shows_its_fix_and_a_case_that_knows_it(teams, standin):
    first = DiagnosisStep.objects.filter(is_published=True).order_by("display_order").first()
    teams.message("diagnose")
    card = _first_card(standin)
    cause = next(b for b in buttons(card) if b["data"].get("a") == first.cause_answer)
    teams.click(cause["data"], reply_to="diagnosis-card")
    found = standin.wait_for(2)[-1].cards()[0]
    assert "Found the cause" in visible_text(found)
    assert button(found, "Open a case")["data"]["c"] == first.key


def test_a_stale_diagnosis_step_says_so(teams, standin):
    teams.click({"wxbind": "diagnosis", "k": "no-such-step", "a": "yes", "r": [], "l": "en"})
    assert "That button has expired" in visible_text(_first_card(standin))


def test_data_that_is_not_ours_does_nothing(teams, standin):
    assert teams.click({"action": "save", "item_id": 42}).status == 200
    settle(0.2)
    assert standin.sent == []
