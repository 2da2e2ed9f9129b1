import json
import time
from urllib.parse import urlencode

import pytest

from faq.models import AnswerEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_without_slack_settings_the_endpoint_says_what_is_missing(settings, client):
    from supportbot.slack.app import reset_app

    settings.SLACK_BOT_TOKEN = ""
    settings.SLACK_SIGNING_SECRET = ""
    reset_app()
    response = client.post("/slack/events", data="x", content_type="text/plain")
    assert response.status_code == 503
    assert b"SLACK_BOT_TOKEN" in response.content
    assert b"SLACK_SIGNING_SECRET" in response.content
    assert client.get("/api/faq/").status_code == 403  # the rest still runs, and answers as it should
    reset_app()


def test_a_forged_signature_is_401_and_does_nothing(slack, standin, zh_user):
    reply = slack.post(slack.command_body("解绑"), "application/x-www-form-urlencoded", signature="v0=" + "0" * 64)
    assert reply.status == 401
    time.sleep(0.3)
    assert standin.calls == []
    assert not AnswerEvent.objects.exists()


def test_an_old_timestamp_is_401(slack, zh_user):
    reply = slack.post(
        slack.command_body("解绑"), "application/x-www-form-urlencoded", timestamp=int(time.time()) - 301
    )
    assert reply.status == 401


def test_a_signed_but_unparseable_payload_is_400(slack):
    reply = slack.post(urlencode({"payload": "{not json"}), "application/x-www-form-urlencoded")
    assert reply.status == 400


def test_an_unsigned_unparseable_payload_is_401(slack):
    reply = slack.post(urlencode({"payload": "{not json"}), "application/x-www-form-urlencoded", signature="v0=00")
    assert reply.status == 401


def test_a_signed_action_without_actions_is_4xx(slack):
    payload = {"type": "block_actions", "user": {"id": "U1"}, "team": {"id": "T0TEST"}, "actions": "nope"}
    reply = slack.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    assert 400 <= reply.status < 500


def test_url_verification_answers_the_challenge(slack):
    body = json.dumps(
        {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}
    )
    reply = slack.post(body, "application/json")
    assert reply.status == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in reply.body


def test_an_unknown_modal_submission_is_acknowledged(slack):
    from tests.supportbot.slack.conftest import PAYLOADS

    body = urlencode({"payload": (PAYLOADS / "view_submission.json").read_text(encoding="utf-8")})
    reply = slack.post(body, "application/x-www-form-urlencoded")
    assert reply.status == 200


HOSTILE_BODIES = [
    ("payload=null", "application/x-www-form-urlencoded"),
    ("payload=%5B%5D", "application/x-www-form-urlencoded"),
    ("payload=123", "application/x-www-form-urlencoded"),
    ('payload="s"', "application/x-www-form-urlencoded"),
    ("payload=" + "%5B" * 100_000, "application/x-www-form-urlencoded"),
    ("payload={}", "application/x-www-form-urlencoded"),
    ("null", "application/json"),
    ("[1, 2]", "application/json"),
    ("[" * 100_000, "application/json"),
]


@pytest.mark.parametrize(("body", "content_type"), HOSTILE_BODIES)
def test_unsigned_hostile_bodies_are_401_before_anything_reads_them(slack, standin, body, content_type):
    reply = slack.post(body, content_type, signature="v0=" + "0" * 64)
    assert reply.status == 401
    assert standin.calls == []


@pytest.mark.parametrize(("body", "content_type"), HOSTILE_BODIES)
def test_signed_hostile_bodies_are_400(slack, standin, body, content_type):
    reply = slack.post(body, content_type)
    assert reply.status == 400
    assert reply.body.startswith("Malformed payload")
    assert standin.calls == []


def test_a_body_that_is_not_utf8_or_a_timestamp_that_is_no_number_is_401(slack, standin):
    import hashlib
    import hmac

    from django.conf import settings

    body, timestamp = b"payload=\xff\xfe", str(int(time.time()))
    signed = hmac.new(settings.SLACK_SIGNING_SECRET.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    assert slack.post(body, "application/x-www-form-urlencoded", signature="v0=" + signed.hexdigest()).status == 401
    headers = {"X-Slack-Request-Timestamp": "soon"}
    assert slack.post("payload=%7B%7D", "application/x-www-form-urlencoded", headers=headers).status == 401
    assert standin.calls == []


def test_slacks_certificate_probe_gets_an_empty_200_and_does_nothing(slack, standin):
    reply = slack.post("ssl_check=1&token=x", "application/x-www-form-urlencoded", signature="v0=" + "0" * 64)
    assert reply.status == 200
    assert reply.body == ""
    assert standin.calls == []


def _form(**changes) -> dict:
    from tests.supportbot.slack.conftest import PAYLOADS

    payload = json.loads((PAYLOADS / "view_submission.json").read_text(encoding="utf-8"))
    payload["view"].update(callback_id="case_open")
    payload["view"]["state"] = {"values": {"description": {"value": {"type": "plain_text_input", "value": "授权异常"}}}}
    for path, value in changes.items():
        node = payload
        *parents, last = path.split(".")
        for step in parents:
            node = node[step]
        node[last] = value
    return payload


WRONG_SHAPES = {
    "state values not an object": _form(**{"view.state.values": []}),
    "a block's inputs not an object": _form(**{"view.state.values": {"description": "授权异常"}}),
    "an input's value not text": _form(**{"view.state.values": {"description": {"value": {"value": 12}}}}),
    "a view id longer than any": _form(**{"view.id": "V" * 500}),
    "no user": _form(user=None),
}


@pytest.mark.parametrize("payload", WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
def test_a_signed_case_form_of_the_wrong_shape_is_400_naming_the_field_and_opens_nothing(slack, standin, payload):
    from cases.models import Case

    reply = slack.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    assert reply.status == 400
    assert reply.body.startswith("Malformed payload: ")
    assert Case.objects.count() == 0
    assert standin.calls == []


def test_a_signed_action_list_that_is_empty_or_holds_no_objects_is_400(slack, standin):
    from tests.supportbot.slack.conftest import PAYLOADS

    payload = json.loads((PAYLOADS / "block_actions.json").read_text(encoding="utf-8"))
    for actions in ([], ["topic:unbind"], [{"value": "x"}]):
        payload["actions"] = actions
        reply = slack.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
        assert (reply.status, reply.body.split(":")[0]) == (400, "Malformed payload"), actions
    assert standin.calls == []


def test_a_signed_slash_command_without_a_user_is_400(slack, standin):
    body = slack.command_body("授权异常").replace("user_id=", "user=")
    reply = slack.post(body, "application/x-www-form-urlencoded")
    assert (reply.status, reply.body) == (400, "Malformed payload: payload: 'user_id' is a required property")
    assert standin.calls == []
