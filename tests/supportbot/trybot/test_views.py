"""Try the bot through its HTTP endpoints, as its page calls them: replies rendered for Slack and Teams,
buttons sent back in each platform's shape, cases opened for real, and bad requests refused."""

import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from cases.models import Case
from faq.models import AnswerEvent
from supportbot.recorder import recorder
from tests.supportbot.teams.conftest import assert_valid
from tests.supportbot.trybot.conftest import card_submit, require_card_renderer, slack_button, slack_buttons

pytestmark = pytest.mark.django_db
RULING_OUT = ("Yes", "No", "Yes", "Yes")


@pytest.fixture
def staff_client(client, staff, faq_content):
    client.force_login(staff)
    return client


def say(client, text, language="en"):
    response = client.post("/try/say", {"text": text, "language": language}, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["turns"]


def act(client, body):
    response = client.post("/try/act", body, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def slack_html(turn) -> str:
    return "".join(turn["slack"]["messages"])


# The page --------------------------------------------------------------------------------------


def test_the_page_is_for_staff_and_home_leads_there(client, staff, user):
    assert client.get("/try/").url.startswith("/admin/login/")
    assert client.get("/").url == "/admin/login/?next=/try/"
    client.force_login(user)  # signed in, but not staff
    assert client.get("/try/").url.startswith("/admin/login/")
    client.force_login(staff)
    assert client.get("/").url == "/try/"
    page = client.get("/try/")
    assert page.status_code == 200
    assert b'data-say-url="/try/say"' in page.content
    assert b'data-act-url="/try/act"' in page.content


def test_the_page_loads_microsofts_renderer_from_the_installed_package(staff_client):
    require_card_renderer()
    page = staff_client.get("/try/").content.decode()
    assert "/static/vendor/adaptivecards/adaptivecards.min.js" in page
    assert 'data-cards="on"' in page
    # Microsoft's package as npm installed it (the browser test sees it served and drawing cards).
    installed = Path(finders.find("vendor/adaptivecards/adaptivecards.min.js"))
    assert "node_modules" in installed.parts
    assert b"AdaptiveCards" in installed.read_bytes()[:2000]


def test_without_the_renderer_the_page_says_why_and_cards_come_as_json(staff_client, settings):
    settings.STATICFILES_DIRS = []
    finders.get_finder.cache_clear()
    try:
        page = staff_client.get("/try/").content.decode()
    finally:
        finders.get_finder.cache_clear()
    assert 'data-cards="off"' in page
    assert "adaptivecards.min.js" not in page
    assert "npm" in page  # what to install


# Questions and buttons -----------------------------------------------------------------------------


def test_a_question_is_answered_as_slack_and_teams_show_it_and_not_counted(staff_client):
    (turn,) = say(staff_client, "how do I unbind my mini program from tencent cloud")
    html = slack_html(turn)
    assert 'class="sk-header"' in html
    assert "nbind" in html
    labels = [button["label"] for button in slack_buttons(html)]
    assert {"Yes", "No", "Open a case"} <= set(labels)
    (card,) = turn["teams"]["cards"]
    assert_valid(card)
    assert card_submit(card, "Yes")["wxbind"] == "yes"
    yes = slack_button(html, "Yes")
    assert act(staff_client, {"platform": "slack", "action": yes})["turns"]  # thanks
    assert act(staff_client, {"platform": "teams", "data": card_submit(card, "No")})["turns"]
    recorder.flush()
    assert AnswerEvent.objects.count() == 0  # staff trying the bot are not what people asked


def test_the_diagnosis_walks_through_in_slack_and_a_case_is_opened_from_its_modal(staff_client, staff):
    (turn,) = say(staff_client, "diagnose")
    # The answer to each check that rules its cause out (the shipped steps, in order).
    for answer in RULING_OUT:
        assert "diagnosis:" in slack_html(turn)
        (turn,) = act(staff_client, {"platform": "slack", "action": slack_button(slack_html(turn), answer)})["turns"]
    assert "diagnosis:yes" not in slack_html(turn)  # the four causes ruled out: nothing more to check
    (form_turn,) = act(staff_client, {"platform": "slack", "action": slack_button(slack_html(turn), "Open a case")})[
        "turns"
    ]
    modal, form = form_turn["slack"]["modal"], form_turn["slack"]["form"]
    assert 'class="sk-modal"' in modal
    assert 'name="description"' in modal
    metadata = json.loads(modal.split('data-private-metadata="')[1].split('"')[0].replace("&quot;", '"'))
    assert len(metadata["r"]) == 4  # what was ruled out travels with the form

    def view(description):
        values = {
            "description": {"value": {"type": "plain_text_input", "value": description}},
            "account_id": {"value": {"type": "plain_text_input", "value": None}},
            "appid": {"value": {"type": "plain_text_input", "value": "wx0123456789abcdef"}},
            "account_kind": {"value": {"type": "static_select", "selected_option": None}},
        }
        return {"private_metadata": json.dumps(metadata), "state": {"values": values}}

    refused = act(staff_client, {"platform": "slack", "form": form, "view": view("")})
    assert set(refused["errors"]) == {"description"}
    assert not Case.objects.exists()
    opened = act(staff_client, {"platform": "slack", "form": form, "view": view("授权异常，四项都查过了")})
    case = Case.objects.get()
    assert f"#{case.number}" in slack_html(opened["turns"][0]) or str(case.number) in slack_html(opened["turns"][0])
    assert (case.channel, case.reporter_id, case.appid) == ("api", staff.username, "wx0123456789abcdef")
    assert len(case.ruled_out) == 4
    # The same form sent again (a double click) opens nothing more.
    assert act(staff_client, {"platform": "slack", "form": form, "view": view("again")})["turns"] == []
    assert Case.objects.count() == 1


def test_in_teams_the_case_form_card_is_replaced_by_its_errors_then_by_the_case_number(staff_client):
    (turn,) = say(staff_client, "case")
    (card,) = turn["teams"]["cards"]
    assert_valid(card)
    form, data = turn["teams"]["form"], card_submit(card, "Open case")
    fixed = act(staff_client, {"platform": "teams", "form": form, "data": {**data, "description": ""}})
    assert_valid(fixed["replace"])
    assert "error_description" in json.dumps(fixed["replace"])
    done = act(staff_client, {"platform": "teams", "form": form, "data": {**data, "description": "授权异常"}})
    case = Case.objects.get()
    assert str(case.number) in json.dumps(done["replace"], ensure_ascii=False)


def test_the_teams_diagnosis_buttons_move_it_on(staff_client):
    (turn,) = say(staff_client, "diagnose", language="zh")
    (card,) = turn["teams"]["cards"]
    first = json.dumps(card, ensure_ascii=False)
    assert "第 1/4 步" in first
    (turn,) = act(staff_client, {"platform": "teams", "data": card_submit(card, "解决了")})["turns"]
    (card,) = turn["teams"]["cards"]
    assert "第 2/4 步" in json.dumps(card, ensure_ascii=False)


# Bad requests ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/try/say", b"not json"),
        ("/try/say", b"[1, 2]"),
        ("/try/say", b'{"text": 42}'),
        ("/try/say", b'{"text": "hi", "language": "fr"}'),
        ("/try/say", b'{"text": "hi", "language": ["zh"]}'),
        ("/try/say", b'{"text": "' + b"x" * 70_000 + b'"}'),
        ("/try/act", b'{"platform": "irc"}'),
        ("/try/act", b'{"platform": "slack", "action": {"value": "1"}}'),
        ("/try/act", b'{"platform": "slack", "action": "feedback:yes"}'),
        ("/try/act", b'{"platform": "slack", "action": {"action_id": "case:resolve", "value": "x"}}'),
        ("/try/act", b'{"platform": "slack", "view": "x"}'),
        ("/try/act", b'{"platform": "slack", "form": "../../x", "view": {"state": {"values": {}}}}'),
        ("/try/act", b'{"platform": "slack", "form": "' + b"a" * 32 + b'", "view": {"state": {"values": 7}}}'),
        ("/try/act", b'{"platform": "teams", "data": []}'),
        ("/try/act", b'{"platform": "teams", "data": {"wxbind": "launch"}}'),
        ("/try/act", b'{"platform": "teams", "data": {"wxbind": "submit_case", "description": 5}, "form": "x"}'),
        ("/try/act", b'{"platform": "teams", "data": {"wxbind": "submit_case", "description": "hi"}}'),
    ],
)
def test_a_bad_request_gets_400_with_the_reason_and_changes_nothing(staff_client, url, body):
    response = staff_client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]
    assert not Case.objects.exists()


def test_only_staff_may_send(client, user):
    body = {"text": "help"}
    assert client.post("/try/say", body, content_type="application/json").status_code == 403
    client.force_login(user)
    assert client.post("/try/say", body, content_type="application/json").status_code == 403
    assert client.post("/try/act", {"platform": "slack"}, content_type="application/json").status_code == 403
    assert client.get("/try/say").status_code == 405
