import contextlib
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.paths import REPO, SHARED  # noqa: F401 (tests import them from here)

# Property-based tests: in CI the same examples every run, so a landing is never
# decided by chance; locally new ones each run, to find what CI has not.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")


# The Redis database tests use as Celery's broker; tests that need it probe this URL, not a fixed address.
TEST_BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")


def broker_answers() -> bool:
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(TEST_BROKER)
    try:
        with socket.create_connection((where.hostname or "127.0.0.1", where.port or 6379), timeout=2):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def running_worker(broker: str = TEST_BROKER):
    """A real Celery worker (two threads) on ``broker``, its queue emptied first; meanwhile tasks go to it."""
    from celery.contrib.testing.worker import start_worker

    from supportbot.celery import app

    app.conf.broker_url = broker
    app.conf.task_always_eager = False
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING"):
        yield app
    app.conf.task_always_eager = True
    connections.close_all()


def require_broker(tests: str) -> None:
    """Skip ``tests`` without Redis, except in CI, where every tier must run: there they fail."""
    if broker_answers():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"Redis is required in CI for the {tests} ({TEST_BROKER})")
    pytest.skip(f"needs Redis at {TEST_BROKER} (TEST_CELERY_BROKER_URL) as the Celery broker")


def shared_file(relative: str) -> Path:
    """A file from the shared folder beside the repository, or skip the test saying why."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared folder is not beside this checkout (set WXBIND_SHARED_DIR)")
    return path


@pytest.fixture(scope="session", autouse=True)
def _stop_change_watch(django_db_setup, django_db_blocker):
    """Close the background threads' connections before the test database is dropped."""
    yield
    from faq.freshness import watch
    from supportbot.recorder import recorder

    watch.stop()
    recorder.stop()


@pytest.fixture(scope="session", autouse=True)
def _test_broker():
    """Every broker connection a test makes goes to the test Redis database, whichever test makes it first."""
    from supportbot.celery import app

    app.conf.broker_url = TEST_BROKER


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Celery tasks run in the test's own process when enqueued (the reliability tests start a real worker)."""
    from supportbot.celery import app

    app.conf.task_always_eager = True
    return


def database_url() -> str:
    """The test database as a URL, for a second process (``manage.py shell``) to reach the same data."""
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = f"{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}"
    return f"postgres://{settings['USER']}{password}@{host}/{settings['NAME']}"


@pytest.fixture
def faq_content(db):
    """The FAQ that ships with the product, as `import_faq` loads it."""
    call_command("import_faq", stdout=io.StringIO())


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="reader", password="pw-reader-123")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(username="editor", password="pw-editor-123", is_staff=True)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(username="boss", password="pw-boss-123")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def reader_api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def staff_api(staff):
    client = APIClient()
    client.force_authenticate(staff)
    return client
