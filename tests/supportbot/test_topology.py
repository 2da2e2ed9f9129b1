"""The docker-compose topology without Docker: PostgreSQL and Redis on this machine, gunicorn, a Celery
worker and beat as processes, production settings. A signed `/wxbind` is answered and a reminder is
delivered end to end."""

import os
import secrets
import subprocess
import sys
import time
import urllib.request

import dj_database_url
import psycopg
import pytest

from tests.conftest import TEST_BROKER, require_broker
from tests.processes import MANAGE, OPEN_A_CASE_DUE_IN_SECONDS, REPO, environment_without_settings, free_port
from tests.slack_standin import SlackStandIn
from tests.supportbot.slack.conftest import SIGNING_SECRET, SlackSender

DATABASE = "wxbind_topology"
BROKER = TEST_BROKER.rsplit("/", 1)[0] + "/13"  # beside the tests' own database


@pytest.fixture
def server_database():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("needs PostgreSQL and Redis; the PostgreSQL tier runs this")
    require_broker("production topology test")
    config = dj_database_url.parse(url)
    admin = {"host": config["HOST"], "port": config["PORT"] or 5432, "user": config["USER"], "dbname": "postgres"}
    if config.get("PASSWORD"):
        admin["password"] = config["PASSWORD"]
    with psycopg.connect(**admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    yield url.rsplit("/", 1)[0] + f"/{DATABASE}"
    with psycopg.connect(**admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


@pytest.fixture
def standin():
    server = SlackStandIn().start()
    yield server
    server.stop()


def _wait_until_ready(base: str, seconds: float) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:  # not listening yet, or still warming up (URLError and timeouts are OSErrors)
            pass
        time.sleep(0.5)
    raise AssertionError("gunicorn never became ready")


def _about_case_1001(standin) -> list:
    return [call for call in standin.calls_to("chat.postMessage") if "1001" in str(call.payload.get("text", ""))]


def test_gunicorn_a_worker_and_beat_on_postgresql_and_redis_answer_and_remind(server_database, standin, tmp_path):
    import redis

    redis.Redis.from_url(BROKER).flushdb()
    port = free_port()
    env = environment_without_settings(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=server_database,
        CELERY_BROKER_URL=BROKER,
        CASE_SWEEP_SECONDS="1",
        SLACK_BOT_TOKEN=standin.token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.api_url,
        SLACK_SUPPORT_CHANNEL="CSUPPORT",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
    )
    subprocess.run([*MANAGE, "bootstrap"], env=env, cwd=REPO, check=True, capture_output=True, timeout=180)
    celery = [sys.executable, "-m", "celery", "-A", "supportbot"]
    started = [
        subprocess.Popen([sys.executable, "-m", "gunicorn", "supportbot.wsgi"], env=env, cwd=REPO),
        subprocess.Popen([*celery, "worker", "--pool", "threads", "-c", "2", "-l", "WARNING"], env=env, cwd=REPO),
        subprocess.Popen(
            [*celery, "beat", "-l", "WARNING", "--schedule", str(tmp_path / "beat-schedule")], env=env, cwd=REPO
        ),
    ]
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_ready(base, 90)
        reply = SlackSender(f"{base}/slack/events", standin).command("怎么解绑小程序", response_name="topology")
        assert reply.status == 200
        answered = reply.body or str(standin.wait_for("response_url", 1, timeout=10)[0].payload)
        assert "解绑" in answered
        opened = [*MANAGE, "shell", "-c", OPEN_A_CASE_DUE_IN_SECONDS]
        subprocess.run(opened, env=env, cwd=REPO, check=True, capture_output=True, timeout=60)
        # The case's card and its first reminder (the weekly digest may be posted in the channel too).
        deadline = time.monotonic() + 45
        while len(about_the_case := _about_case_1001(standin)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        card, reminder = about_the_case[:2]
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=20)
    assert card.payload["channel"] == "CSUPPORT"
    assert "1001" in reminder.payload["text"]
    assert reminder.payload.get("thread_ts")
