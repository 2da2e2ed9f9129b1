import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from cases.models import Case
from cases.states import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_api(django_user_model):
    agent = django_user_model.objects.create_user(username="agent")
    agent.groups.add(Group.objects.create(name="Agents"))
    client = APIClient()
    client.force_authenticate(agent)
    return client


def open_case(client, **fields):
    return client.post("/api/cases/", {"description": "授权异常", **fields}, format="json")


def test_a_user_opens_a_case_and_sees_its_number_and_timeline(reader_api):
    response = open_case(reader_api, appid="wx1234567890ABCDEF", tencent_account_id="100012345678")
    assert response.status_code == 201
    data = response.json()
    assert data["number"] == 1001
    assert data["state"] == "open"
    assert data["appid"] == "wx1234567890abcdef"
    assert [event["action"] for event in data["timeline"]] == ["open"]


def test_masked_secrets_are_reported_back(reader_api):
    data = open_case(reader_api, description="AppSecret 0123456789abcdef0123456789abcdef").json()
    assert data["masked"] == ["AppSecret"]
    assert "0123456789abcdef0123456789abcdef" not in data["description"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"appid": "wx12"}, "appid"),
        ({"tencent_account_id": "abc"}, "tencent_account_id"),
        ({"account_kind": "x"}, "account_kind"),
    ],
)
def test_invalid_fields_are_400_and_open_nothing(reader_api, fields, field):
    response = open_case(reader_api, **fields)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Case.objects.exists()


def test_an_idempotency_key_opens_one_case(reader_api):
    first = reader_api.post("/api/cases/", {"description": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = reader_api.post("/api/cases/", {"description": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"]
    assert Case.objects.count() == 1


def test_reporters_see_their_own_cases_and_agents_see_all(reader_api, agent_api, staff_api):
    open_case(reader_api)
    open_case(staff_api)
    assert [c["number"] for c in reader_api.get("/api/cases/").json()["results"]] == [1001]
    assert [c["number"] for c in agent_api.get("/api/cases/").json()["results"]] == [1002, 1001]
    assert reader_api.get("/api/cases/1002/").status_code == 404


def test_transitions_follow_the_same_rules_as_chat(reader_api, agent_api):
    number = open_case(reader_api).json()["number"]
    url = f"/api/cases/{number}/transition/"
    assert reader_api.post(url, {"action": "wait"}, format="json").status_code == 403
    assigned = agent_api.post(url, {"action": "assign", "assignee": "agent", "note": "on it"}, format="json")
    assert assigned.status_code == 200
    assert assigned.json()["assignee"] == "agent"
    assert agent_api.post(url, {"action": "reopen"}, format="json").status_code == 409
    assert reader_api.post(url, {"action": "resolve"}, format="json").json()["state"] == State.RESOLVED
    assert agent_api.post(url, {"action": "fly"}, format="json").status_code == 400
    assert Case.objects.get(number=number).events.count() == 3


def test_cases_need_a_signed_in_user(api):
    assert api.get("/api/cases/").status_code in (401, 403)
    assert api.post("/api/cases/", {"description": "x"}, format="json").status_code in (401, 403)


def test_cases_are_in_the_openapi_schema(reader_api):
    paths = reader_api.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {"/api/cases/", "/api/cases/{number}/", "/api/cases/{number}/transition/"} <= set(paths)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("WX1234567890ABCDEF", "wx1234567890abcdef"), (" wx1234567890abcdef ", "wx1234567890abcdef")],
)
def test_the_appid_rule_is_the_same_as_in_chat_and_admin(reader_api, typed, stored):
    # One rule (cases.models): any letter case, stored in lower case; the same check as the chat form.
    assert open_case(reader_api, appid=typed).json()["appid"] == stored
    assert open_case(reader_api, appid="wx1234567890abcdeg").status_code == 400


@pytest.mark.parametrize("path", ["/api/cases/", "/api/faq/"])
@pytest.mark.parametrize(
    "query", ["limit=9223372036854775808", "offset=9223372036854775808", "limit=100000&offset=99999999999999999999"]
)
def test_page_sizes_and_offsets_are_bounded(agent_api, path, query):
    response = agent_api.get(f"{path}?{query}")
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 200


def test_a_page_holds_at_most_two_hundred(agent_api):
    for n in range(205):
        Case.objects.create(number=2000 + n, channel="slack", workspace_id="T1", reporter_id=f"U{n}", description="x")
    page = agent_api.get("/api/cases/?limit=1000").json()
    assert page["count"] == 205
    assert len(page["results"]) == 200


def test_a_case_number_too_long_for_a_database_is_simply_not_found(agent_api):
    assert agent_api.get("/api/cases/99999999999999999999999/").status_code == 404
    moved = agent_api.post("/api/cases/99999999999999999999999/transition/", {"action": "resolve"}, format="json")
    assert moved.status_code == 404


def test_an_assignee_no_username_can_be_is_refused_with_400(agent_api):
    number = open_case(agent_api).json()["number"]
    for assignee in ["\u0000", "agent\u0000", "x" * 500, 12]:
        response = agent_api.post(
            f"/api/cases/{number}/transition/", {"action": "assign", "assignee": assignee}, format="json"
        )
        assert response.status_code == 400, (assignee, response.content)
        assert "assignee" in response.json()["detail"]
    assert Case.objects.get(number=number).state == State.OPEN


def test_a_malformed_request_about_a_case_one_cannot_see_is_not_found_not_invalid(reader_api, agent_api):
    number = open_case(agent_api).json()["number"]
    response = reader_api.post(f"/api/cases/{number}/transition/", {"action": "nonsense"}, format="json")
    assert response.status_code == 404
    assert "action" not in response.json()["detail"]


def test_a_case_shows_its_conversation_first_response_and_rating_but_internal_notes_only_to_agents(
    reader_api, agent_api, user
):
    from cases.models import Said
    from cases.policy import Actor, actor_for_user
    from cases.services import case_agent_message, case_move, case_rate, case_reporter_message

    number = open_case(reader_api).json()["number"]
    reporter = actor_for_user(user)
    agent = Actor(label="slack:UAGENT", channel="slack", workspace_id="T1", user_id="UAGENT")
    file = {"name": "auth-error.png", "url": "https://files.example.com/F0SHOT/auth-error.png"}
    case_reporter_message(number=number, author=reporter, platform="", text="截图如下", files=[file], relay=False)
    case_agent_message(number=number, author=agent, author_name="Grace", platform="slack", text="请重新授权")
    case_agent_message(number=number, author=agent, author_name="Grace", platform="slack", text="内部", internal=True)
    case_move(number=number, action="resolve", actor=Actor(label="system"))
    case_rate(number=number, reporter=reporter, score=4, comment="很快")

    seen_by_agent = agent_api.get(f"/api/cases/{number}/").json()
    assert seen_by_agent["satisfaction"] == 4
    assert seen_by_agent["satisfaction_comment"] == "很快"
    assert seen_by_agent["rated_at"]
    assert seen_by_agent["first_response_at"]
    said = {event["action"]: event for event in seen_by_agent["timeline"]}
    assert said[Said.REPORTER]["attachments"] == [file]
    assert (said[Said.AGENT]["actor_name"], said[Said.AGENT]["platform"]) == ("Grace", "slack")
    assert said[Said.NOTE]["note"] == "内部"
    assert said[Said.RATED]["note"] == "4/5 很快"

    seen_by_reporter = reader_api.get(f"/api/cases/{number}/").json()
    assert seen_by_reporter["satisfaction"] == 4
    assert Said.NOTE not in [event["action"] for event in seen_by_reporter["timeline"]]
    assert "内部" not in str(reader_api.get("/api/cases/").json())
    assert Said.AGENT in [event["action"] for event in seen_by_reporter["timeline"]]
    # The case as a move returns it: an agent still sees the notes, the reporter still does not.
    reopened = agent_api.post(f"/api/cases/{number}/transition/", {"action": "reopen"}, format="json").json()
    assert Said.NOTE in [event["action"] for event in reopened["timeline"]]
    resolved = reader_api.post(f"/api/cases/{number}/transition/", {"action": "resolve"}, format="json").json()
    assert Said.NOTE not in [event["action"] for event in resolved["timeline"]]


def test_the_new_case_fields_are_read_only_and_in_the_schema(reader_api):
    schema = reader_api.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    case = schema["Case"]["properties"]
    for field in ("first_response_at", "satisfaction", "satisfaction_comment", "rated_at"):
        assert case[field]["readOnly"], field
    event = schema["CaseEvent"]["properties"]
    assert {"actor_name", "platform", "attachments"} <= set(event)
    assert schema["Attachment"]["properties"]["url"]["format"] == "uri"
