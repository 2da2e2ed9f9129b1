import json
from pathlib import Path

import pytest

from faq.models import DiagnosisStep
from supportbot.conversation import platforms
from supportbot.conversation.people import forget_locales
from tests.conftest import running_worker
from tests.slack_standin import SlackStandIn
from tests.teams_standin import TeamsStandIn

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def echo(settings, faq_content):
    """The echo platform registered as the home platform, with the shipped FAQ and diagnosis."""
    settings.WXBIND_PLATFORMS = {"echo": "tests.supportbot.conversation.echo.EchoPlatform"}
    settings.WXBIND_HOME_PLATFORM = "echo"
    settings.LANGUAGE_CODE = "en"  # what agents read
    platforms._load.cache_clear()
    forget_locales()
    if not DiagnosisStep.objects.exists():
        steps = json.loads((REPO / "faq/content/diagnosis.json").read_text("utf-8"))
        for order, step in enumerate(steps, start=1):
            DiagnosisStep.objects.create(display_order=order * 10, **step)
    yield platforms.platform("echo")
    platforms._load.cache_clear()


@pytest.fixture(scope="module")
def slack_standin():
    server = SlackStandIn().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def teams_standin():
    server = TeamsStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def worker(live_server):
    with running_worker() as app:
        yield app
