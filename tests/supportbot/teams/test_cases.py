"""Cases from Teams: the form card, the agents' card in their channel, moves from any path updating it in place."""

import time

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from cases.models import AccountKind, Case
from cases.policy import AGENTS_GROUP
from cases.states import State
from supportbot.conversation.dispatch import agent_language
from supportbot.conversation.wording import say
from supportbot.models import ChatUser
from tests.supportbot.teams.conftest import (
    AGENT,
    PERSONAL,
    REPORTER,
    SUPPORT,
    TENANT,
    assert_valid,
    button,
    buttons,
    settle,
    visible_text,
)

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {"wxbind": "submit_case", "s": "auth-exception", "q": "授权异常", "r": ["not-linked"], "l": "en"}


def _card_posted(case_number: int) -> Case:
    deadline = time.monotonic() + 5
    while not (case := Case.objects.get(number=case_number)).card_message and time.monotonic() < deadline:
        time.sleep(0.02)
    return case


def open_case(teams, standin, **values) -> Case:
    fields = {"description": "授权一直异常", **values}
    assert teams.click({**FORM, **fields}, reply_to="form-card").status == 200
    standin.wait_for(2)
    return _card_posted(Case.objects.get().number)


def test_the_open_a_case_button_sends_a_prefilled_form_card(teams, standin):
    teams.click({"wxbind": "open_case", "s": "auth-exception", "q": "auth broken", "r": ["not-linked"], "l": "en"})
    (card,) = standin.wait_for(1)[0].cards()
    assert_valid(card)
    inputs = {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}
    assert set(inputs) == {"description", "account_id", "appid", "account_kind"}
    assert inputs["description"]["isRequired"] is True
    assert {c["value"] for c in inputs["account_kind"]["choices"]} == set(AccountKind.values)
    submit = button(card, "Open case")
    assert submit["data"] == {
        "wxbind": "submit_case",
        "l": "en",
        "s": "auth-exception",
        "q": "auth broken",
        "r": ["not-linked"],
    }
    assert "not-linked" in visible_text(card)


def test_typing_case_sends_the_form_too(teams, standin):
    teams.message("wxbind case", locale="zh-CN")
    (card,) = standin.wait_for(1)[0].cards()
    assert "提交工单" in visible_text(card)


def test_submitting_opens_the_case_tells_the_reporter_and_posts_the_agents_card(teams, standin):
    case = open_case(teams, standin, account_id="100012345678", appid="wx0123456789abcdef", account_kind="sub")
    assert (case.number, case.channel, case.appid, case.account_kind, case.ruled_out) == (
        1001,
        "teams",
        "wx0123456789abcdef",
        "sub",
        ["not-linked"],
    )
    assert (case.workspace_id, case.reporter_id, case.reporter_name) == (TENANT, REPORTER, "Ada Lovelace")
    confirmation = next(s for s in standin.sent if s.method == "PUT")
    assert (confirmation.conversation, confirmation.activity_id) == (
        PERSONAL,
        "form-card",
    )  # the form became the number
    assert "1001" in visible_text(confirmation.cards()[0])
    support = next(s for s in standin.sent if s.conversation == SUPPORT)
    (card,) = support.cards()
    assert_valid(card)
    moves = [b["data"].get("m") for b in buttons(card)]
    assert moves == ["assign", "assign_me", "resolve"]  # "Assign to…" (with its choice), Assign to me, Resolve
    picker = next(e for e in card["body"] if e["type"] == "Input.ChoiceSet")
    assert [c["value"] for c in picker["choices"]] == [AGENT]
    mentioned = card["msteams"]["entities"]
    assert mentioned == [
        {"type": "mention", "text": "<at>Ada Lovelace</at>", "mentioned": {"id": REPORTER, "name": "Ada Lovelace"}}
    ]
    assert (case.card_platform, case.card_conversation, case.card_message) == ("teams", SUPPORT, support.activity_id)
    assert case.card_route == standin.service_url


def test_field_errors_come_back_on_the_card_and_nothing_is_opened(teams, standin):
    teams.click({**FORM, "description": "x", "appid": "wx12", "account_id": "abc"}, reply_to="form-card")
    (update,) = standin.wait_for(1)
    assert (update.method, update.activity_id) == ("PUT", "form-card")
    (card,) = update.cards()
    assert_valid(card)
    errors = {e["id"] for e in card["body"] if e.get("id", "").startswith("error_")}
    assert errors == {"error_appid", "error_account_id"}
    kept = {e["id"]: e.get("value") for e in card["body"] if e["type"] == "Input.Text"}
    assert kept["appid"] == "wx12"
    assert kept["description"] == "x"
    assert not Case.objects.exists()
    teams.click({**FORM, "description": "   "}, reply_to="form-card-2")
    (card,) = standin.wait_for(2)[-1].cards()
    assert "Please describe the problem." in visible_text(card)
    assert not Case.objects.exists()


def test_a_repeated_submit_of_the_same_form_opens_one_case(teams, standin):
    for _ in range(3):
        assert teams.click({**FORM, "description": "授权一直异常"}, reply_to="form-card").status == 200
    standin.wait_for(2)
    settle(0.5)
    assert Case.objects.count() == 1
    assert len([s for s in standin.sent if s.conversation == SUPPORT]) == 1


def test_an_agent_assigns_from_the_card_and_it_updates_in_place_with_a_note(teams, standin):
    case = open_case(teams, standin)
    standin.reset()
    card = Case.objects.get().card_message
    assert teams.click({"wxbind": "move", "n": case.number, "m": "assign_me"}, user=AGENT).status == 200
    sent = standin.wait_for(2)
    case.refresh_from_db()
    assert (case.state, case.assignee_chat_id) == (State.ASSIGNED, AGENT)
    update = next(s for s in sent if s.method == "PUT")
    assert (update.conversation, update.activity_id) == (SUPPORT, card)
    assert say("state_assigned", agent_language()) in visible_text(update.cards()[0])
    note = next(s for s in sent if s.method == "POST")
    assert note.conversation == f"{SUPPORT};messageid={card}"
    assert note.body["replyToId"] == card


def test_assign_to_someone_chosen_on_the_card(teams, standin):
    case = open_case(teams, standin)
    standin.reset()
    chosen = {"wxbind": "move", "n": case.number, "m": "assign", "to": AGENT}
    teams.click(chosen, user=AGENT)
    standin.wait_for(2)
    case.refresh_from_db()
    assert case.assignee_chat_id == AGENT
    standin.reset()
    teams.click({"wxbind": "move", "n": case.number, "m": "assign"}, user=AGENT)  # nobody chosen
    (refusal,) = standin.wait_for(1)
    assert "Choose whom" in visible_text(refusal.cards()[0])


def test_someone_who_is_not_an_agent_is_refused_and_nothing_changes(teams, standin):
    case = open_case(teams, standin)
    standin.reset()
    teams.click({"wxbind": "move", "n": case.number, "m": "assign_me"}, user="00000000-0000-0000-0000-0000000000ff")
    (refusal,) = standin.wait_for(1)
    assert "Nothing changed" in visible_text(refusal.cards()[0])
    case.refresh_from_db()
    assert case.state == State.OPEN


def test_a_site_agent_linked_to_a_teams_account_is_an_agent(teams, standin, django_user_model):
    helper = django_user_model.objects.create_user(username="helper", password="pw-helper-123")
    helper.groups.add(Group.objects.get_or_create(name=AGENTS_GROUP)[0])
    linked = "11111111-2222-3333-4444-555555555555"
    ChatUser.objects.create(
        platform="teams", workspace_id=TENANT, user_id=linked, display_name="Hui Helper", django_user=helper
    )
    case = open_case(teams, standin)
    card = next(s for s in standin.sent if s.conversation == SUPPORT).cards()[0]
    picker = next(e for e in card["body"] if e["type"] == "Input.ChoiceSet")
    assert {c["title"] for c in picker["choices"]} == {"Hui Helper", AGENT}
    teams.click({"wxbind": "move", "n": case.number, "m": "assign_me"}, user=linked)
    deadline = time.monotonic() + 5
    while Case.objects.get().state != State.ASSIGNED and time.monotonic() < deadline:
        time.sleep(0.02)
    assert Case.objects.get().assignee == helper


def test_changes_from_the_api_update_the_teams_card_too(teams, standin, staff):
    case = open_case(teams, standin)
    standin.reset()
    api = APIClient()
    api.force_authenticate(staff)
    reply = api.post(f"/api/cases/{case.number}/transition/", {"action": "resolve"}, format="json")
    assert reply.status_code in (200, 201), reply.content
    sent = standin.wait_for(2)
    update = next(s for s in sent if s.method == "PUT")
    assert update.activity_id == case.card_message
    assert say("state_resolved", agent_language()) in visible_text(update.cards()[0])
    assert_valid(update.cards()[0])


def test_the_reporter_lists_and_sees_their_cases(teams, standin):
    case = open_case(teams, standin)
    standin.reset()
    teams.message("cases")
    (listing,) = standin.wait_for(1)
    assert str(case.number) in visible_text(listing.cards()[0])
    standin.reset()
    teams.message(f"case {case.number}")
    (shown,) = standin.wait_for(1)
    card = shown.cards()[0]
    assert_valid(card)
    assert [b["data"]["m"] for b in buttons(card)] == ["resolve"]  # a reporter's own moves only


def test_someones_cases_asked_in_a_channel_go_to_their_own_chat(teams, standin):
    open_case(teams, standin)
    standin.reset()
    teams.mention("cases")
    (sent,) = standin.wait_for(1)
    assert sent.conversation.startswith("a:")  # their chat with the bot, not the channel
    assert sent.conversation == PERSONAL  # known from their earlier messages there


def test_someone_never_seen_in_personal_chat_gets_a_chat_opened_with_their_teams_id(teams, standin):
    teams.mention("cases")
    (sent,) = standin.wait_for(1)
    (opened,) = standin.conversations_opened
    assert opened["members"] == [{"id": "29:1AbCdEfReporter"}]
    assert opened["tenantId"] == TENANT
    assert sent.conversation == "a:direct-29:1AbCdEfReporter"
