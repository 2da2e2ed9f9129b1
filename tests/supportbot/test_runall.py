"""`make run`'s process set on one machine with no servers: SQLite, the filesystem broker, the web app, a
worker and beat. A case opened with a reminder due in seconds gets its card and its reminder in Slack."""

import json
import signal
import subprocess

import pytest

from tests.processes import MANAGE, OPEN_A_CASE_DUE_IN_SECONDS, environment_without_settings, free_port, processes_using
from tests.slack_standin import SlackStandIn


@pytest.fixture
def standin():
    server = SlackStandIn().start()
    yield server
    server.stop()


def test_the_run_command_starts_web_worker_and_beat_and_a_reminder_reaches_slack(tmp_path, standin):
    env = environment_without_settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_DIR=str(tmp_path / "broker"),
        CASE_SWEEP_SECONDS="1",
        SLACK_BOT_TOKEN=standin.token,
        SLACK_SIGNING_SECRET="test-secret",
        SLACK_API_URL=standin.api_url,
        SLACK_SUPPORT_CHANNEL="CSUPPORT",
        WXBIND_ADMIN_PASSWORD="pw-admin-123",
    )
    subprocess.run([*MANAGE, "bootstrap"], env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    run = subprocess.Popen(
        [*MANAGE, "runall", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        opened = [*MANAGE, "shell", "-c", OPEN_A_CASE_DUE_IN_SECONDS]
        subprocess.run(opened, env=env, check=True, capture_output=True, timeout=60)
        messages = standin.wait_for("chat.postMessage", 2, timeout=45)
    finally:
        run.send_signal(signal.SIGINT)  # what Ctrl-C does
        output, _ = run.communicate(timeout=30)
    card, reminder = messages[0].payload, messages[1].payload
    assert card["channel"] == "CSUPPORT"
    assert "1001" in json.dumps(card["blocks"], ensure_ascii=False)
    assert "1001" in reminder["text"]
    assert reminder.get("thread_ts")  # under the case card, where agents work it
    log = output.decode("utf-8", "replace").splitlines()
    labels = {line.split("|", 1)[0].strip() for line in log if "|" in line}
    assert {"web", "worker", "beat"} <= labels
    assert sum("Starting development server" in line for line in log) == 1  # each line once
    assert run.returncode == 0
    assert processes_using(tmp_path) == []  # Ctrl-C stopped every process it started
    # The broker keeps all its files in its own folder, none in the working directory.
    assert (tmp_path / "broker" / "control").is_dir()
