"""The endpoint's gate: Bot Framework tokens checked as the SDK checks them, configuration, malformed activities."""

import time

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from cases.models import Case
from supportbot.models import ChatEventReceipt, ChatUser
from tests.supportbot.teams.conftest import APP_ID, settle

pytestmark = pytest.mark.django_db(transaction=True)


def _refused(teams, standin, reply) -> None:
    assert reply.status == 401, reply.body
    settle(0.2)
    assert standin.sent == []
    assert not ChatEventReceipt.objects.exists()
    assert not ChatUser.objects.exists()


def test_a_signed_activity_is_accepted_and_the_keys_are_fetched_once(teams, standin):
    for _ in range(3):
        assert teams.post(teams.activity("message_personal", text="help")).status == 200
    standin.wait_for(3)
    assert standin.key_fetches == 1


def test_no_token_is_401_and_causes_nothing(teams, standin):
    _refused(teams, standin, teams.post(teams.activity("message_personal", text="help"), token=None))


def test_a_token_for_another_bot_is_401(teams, standin):
    activity = teams.activity("message_personal", text="help")
    _refused(teams, standin, teams.post(activity, token=teams.token_for(activity, audience="another-app-id")))


def test_an_expired_token_is_401(teams, standin):
    activity = teams.activity("message_personal", text="help")
    # Beyond the SDK's five minutes of clock leeway.
    _refused(teams, standin, teams.post(activity, token=teams.token_for(activity, expires_in=-600)))


def test_a_token_that_never_expires_is_401(teams, standin):
    import jwt

    from tests.teams_standin import ISSUER, KEY_ID

    activity = teams.activity("message_personal", text="help")
    claims = {"iss": ISSUER, "aud": APP_ID, "serviceurl": activity["serviceUrl"], "iat": int(time.time())}
    forever = jwt.encode(claims, standin.key, algorithm="RS256", headers={"kid": KEY_ID})
    _refused(teams, standin, teams.post(activity, token=forever))


def test_a_token_from_another_issuer_is_401(teams, standin):
    activity = teams.activity("message_personal", text="help")
    token = teams.token_for(activity, issuer="https://sts.example.com/")
    _refused(teams, standin, teams.post(activity, token=token))


def test_a_token_signed_by_another_key_is_401(teams, standin):
    activity = teams.activity("message_personal", text="help")
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    _refused(teams, standin, teams.post(activity, token=teams.token_for(activity, key=forger)))


def test_a_token_for_another_service_url_is_401(teams, standin):
    activity = teams.activity("message_personal", text="help")
    token = teams.token_for(activity, serviceurl="https://smba.trafficmanager.net/emea/")
    _refused(teams, standin, teams.post(activity, token=token))


def test_garbage_in_the_authorization_header_is_401(teams, standin):
    activity = teams.activity("message_personal", text="help")
    _refused(teams, standin, teams.post(activity, token="not-a-jwt"))
    reply = teams.post(activity, token=None, headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert reply.status == 401


def test_an_unsigned_malformed_body_is_401_not_400(teams, standin):
    assert teams.post(None, raw=b"{not json", token=None).status == 401


def test_a_signed_malformed_body_is_400(teams, standin):
    token = standin.token(audience=APP_ID)
    reply = teams.post(None, raw=b"{not json", token=token)
    assert reply.status == 400
    assert "Malformed" in reply.body


@pytest.mark.parametrize(
    "change",
    [
        {"from": "someone"},
        {"conversation": None},
        {"text": 42},
        {"serviceUrl": "ftp://example.com/"},
        {"recipient": None},
        {"value": {"wxbind": "move", "n": "1001; DROP TABLE", "m": "resolve"}, "text": ""},
        {"value": {"wxbind": "teleport"}, "text": ""},
    ],
)
def test_malformed_activities_are_400_and_change_nothing(teams, standin, change):
    activity = teams.activity("message_personal", text="help")
    activity.update(change)
    token = teams.token_for(activity) if "serviceUrl" in change else "sign"
    reply = teams.post(activity, token=token)
    assert reply.status == 400, reply.body
    assert "Malformed activity" in reply.body
    settle(0.1)
    assert standin.sent == []
    assert not Case.objects.exists()


def test_a_huge_question_is_answered_not_refused(teams, standin):
    reply = teams.post(teams.activity("message_personal", text="绑定 " * 3000))
    assert reply.status == 200
    (card,) = standin.wait_for(1)[0].cards()
    assert len(str(card)) < 28 * 1024


def test_other_activity_types_are_acknowledged_and_ignored(teams, standin):
    activity = teams.activity("message_personal", type="typing")
    activity.pop("text")
    assert teams.post(activity).status == 200
    settle(0.1)
    assert standin.sent == []


def test_get_is_not_allowed(teams):
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(teams.url, timeout=5)
    assert error.value.code == 405


def test_without_an_app_id_the_endpoint_says_what_is_missing(teams, standin, settings):
    settings.TEAMS_APP_ID = ""
    reply = teams.post(teams.activity("message_personal", text="help"))
    assert reply.status == 503
    assert "TEAMS_APP_ID" in reply.body


def test_skip_auth_accepts_unsigned_activities_and_replies_without_a_token(teams, standin, settings):
    settings.TEAMS_APP_ID = ""
    settings.TEAMS_SKIP_AUTH = True
    assert teams.post(teams.activity("message_personal", text="help"), token=None).status == 200
    (sent,) = standin.wait_for(1)
    assert "authorization" not in sent.headers
    assert standin.token_requests == []


def test_skip_auth_is_never_the_default():
    import os
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if not k.startswith("TEAMS_")}
    environment["DJANGO_SETTINGS_MODULE"] = "supportbot.settings"
    shown = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.TEAMS_SKIP_AUTH)"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))),
    )
    assert shown.stdout.strip() == "False"
