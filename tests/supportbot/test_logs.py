"""Log lines say which request or which bot work they belong to, in production as JSON, and never carry a
credential."""

import io
import json
import logging
import subprocess

import pytest

from supportbot.logs import ContextFilter, log_context
from tests.processes import MANAGE, environment_without_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    """What the product's console handler writes, while the test runs."""
    (handler,) = [h for h in logging.getLogger().handlers if any(isinstance(f, ContextFilter) for f in h.filters)]
    written = io.StringIO()
    previous = handler.setStream(written)
    yield written
    handler.setStream(previous)


def test_every_line_of_a_request_carries_its_id_and_the_response_echoes_it(client, console, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/api/faq/", HTTP_X_REQUEST_ID="req-42")  # signed out: a 403, logged by Django
    assert response["X-Request-ID"] == "req-42"
    assert "[request_id=req-42]" in console.getvalue()
    chosen = client.get("/api/faq/", HTTP_X_REQUEST_ID="bad id\n{}")["X-Request-ID"]
    assert chosen != "bad id\n{}"
    assert len(chosen) == 16


def test_bot_work_carries_the_case_and_chat_ids(console):
    with log_context(case=1001, platform="slack", user="U123"):
        logging.getLogger("cases").warning("reminder failed")
    assert "[case=1001 platform=slack user=U123]: reminder failed" in console.getvalue()


def test_no_token_or_secret_reaches_a_log_line_even_in_a_traceback(console, settings):
    settings.SLACK_BOT_TOKEN = "xoxb-1111-2222-abcdefghijkl"
    settings.TEAMS_APP_PASSWORD = "teams~password~value~1234"
    logger = logging.getLogger("supportbot")
    logger.warning("posting with %s", settings.SLACK_BOT_TOKEN)
    try:
        raise RuntimeError(f"auth failed for {settings.TEAMS_APP_PASSWORD} and xapp-1-A0-9999-secretish")
    except RuntimeError:
        logger.exception("could not send")
    logger.warning('case text: {"SecretKey": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"}')
    written = console.getvalue()
    for secret in (settings.SLACK_BOT_TOKEN, settings.TEAMS_APP_PASSWORD, "xapp-1-A0-9999", "Gu5t9xGARNpq"):
        assert secret not in written
    assert written.count("[redacted]") >= 3
    assert "RuntimeError" in written  # the traceback is kept, without the secret


def test_production_lines_are_json_objects_with_level_logger_and_context():
    env = environment_without_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 60, DATABASE_URL="sqlite:///:memory:")
    script = (
        "import logging; from supportbot.logs import log_context\n"
        "with log_context(case=7, platform='teams'):\n"
        "    logging.getLogger('cases').warning('sent to %s', 'xoxb-1234-5678-abcdefgh')\n"
    )
    result = subprocess.run([*MANAGE, "shell", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    (line,) = [line for line in lines if line.get("logger") == "cases"]
    assert line["level"] == "WARNING"
    assert line["message"] == "sent to [redacted]"
    assert (line["case"], line["platform"]) == ("7", "teams")
    assert "time" in line


@pytest.mark.parametrize(("dsn", "active"), [("", "False"), ("https://public@127.0.0.1:9/1", "True")])
def test_errors_go_to_sentry_only_when_a_dsn_is_set(dsn, active):
    env = environment_without_settings(SENTRY_DSN=dsn) if dsn else environment_without_settings()
    script = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    result = subprocess.run([*MANAGE, "shell", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == active, result.stderr
