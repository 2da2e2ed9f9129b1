"""Case follow-up benchmark: one sweep over 10,000 and over 1,000,000 cases (1,000 due each time),
then delivery of 1,000 due reminders to the Slack stand-in by two Celery worker processes.

    python bench/followups_bench.py [--database-url postgres://…/wxbind_followups_bench] [--broker redis://…/14]

Needs PostgreSQL and Redis. The database is dropped and created afresh.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import recreate_postgres_database  # noqa: E402

DUE = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wxbind_followups_bench")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    recreate_postgres_database(args.database_url)

    from tests.slack_standin import SlackStandIn

    standin = SlackStandIn().start()
    os.environ.update(
        DATABASE_URL=args.database_url,
        CELERY_BROKER_URL=args.broker,
        DJANGO_SETTINGS_MODULE="supportbot.settings",
        SLACK_BOT_TOKEN=standin.token,
        SLACK_SIGNING_SECRET="bench",
        SLACK_API_URL=standin.api_url,
        SLACK_SUPPORT_CHANNEL="CSUPPORT",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    from cases.models import ReminderPolicy

    ReminderPolicy.objects.update_or_create(pk=1, defaults={"escalation_levels": 0})

    _add_history(9_000)
    small = _time_sweeps()
    print(f"sweep, 10,000 cases ({DUE:,} due): median {small:.0f} ms")
    _add_history(990_000)
    large = _time_sweeps()
    print(
        f"sweep, 1,000,000 cases ({DUE:,} due): median {large:.0f} ms "
        f"(target ≤ 200 ms; {large / small:.2f}× the 10,000-case sweep, target ≤ 1.5×)"
    )
    _deliver(args.broker, standin)
    standin.stop()


def _insert_cases(count: int, *, due: bool) -> None:
    """``count`` cases: due open ones, or resolved and closed history with nothing due."""
    from django.db import connection

    state = "'open'" if due else "CASE WHEN n %% 3 = 0 THEN 'resolved' ELSE 'closed' END"
    age = "interval '1 hour'" if due else "interval '30 days'"
    next_due = "now() - interval '1 minute'" if due else "NULL"
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(number), 1000) FROM cases_case")
        start = cursor.fetchone()[0] + 1
        cursor.execute(
            f"""
            INSERT INTO cases_case (number, state, escalation_level, channel, workspace_id, chat_channel_id,
                reporter_id, reporter_name, assignee_chat_id, tencent_account_id, appid, account_kind, ruled_out,
                description, question, answer_slug, created_at, updated_at, last_activity_at, next_due_at,
                delivery_problem, card_platform, card_conversation, card_message, card_route)
            SELECT n, {state}, 0, 'slack', 'T1', '', 'U' || n, '', '', '', '', '', '[]', '', '', '',
                now() - {age}, now(), now() - {age}, {next_due}, '', '', '', '', ''
            FROM generate_series(%s, %s) AS n
            """,
            [start, start + count - 1],
        )
        if not due:
            cursor.execute("ANALYZE cases_case")


def _add_history(count: int) -> None:
    _insert_cases(count, due=False)


def _due_cases() -> None:
    _insert_cases(DUE, due=True)


def _time_sweeps(rounds: int = 3) -> float:
    """Median milliseconds for one sweep to claim the due cases, write and enqueue their deliveries."""
    from django.db import connection

    from cases.models import Case, Delivery
    from cases.services import followups_sweep
    from cases.tasks import enqueue_deliveries
    from supportbot.celery import app

    timings = []
    for _ in range(rounds):
        _due_cases()
        started = time.perf_counter()
        due = followups_sweep()
        enqueue_deliveries(due)
        timings.append((time.perf_counter() - started) * 1000)
        assert len(due) == DUE, len(due)
        # Leave no trace for the next round: these were measured, not to be sent.
        Delivery.objects.filter(pk__in=due).delete()
        Case.objects.filter(state="open").update(state="closed", next_due_at=None)
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge("celery")
        connection.close()
    return statistics.median(timings)


def _deliver(broker: str, standin) -> None:
    from cases.models import Delivery
    from cases.services import followups_sweep
    from cases.tasks import enqueue_deliveries

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "supportbot",
                "worker",
                "--pool",
                "threads",
                "--concurrency",
                "4",
                "--loglevel",
                "WARNING",
                "-n",
                f"bench{i}@%h",
            ],
            cwd=ROOT,
            env=env,
        )
        for i in (1, 2)
    ]
    try:
        time.sleep(4)  # let both workers connect
        _due_cases()
        standin.reset()
        started = time.perf_counter()
        enqueue_deliveries(followups_sweep())
        deadline = started + 120
        while time.perf_counter() < deadline:
            if Delivery.objects.filter(state=Delivery.State.SENT).count() >= DUE:
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        sent = Delivery.objects.filter(state=Delivery.State.SENT).count()
        messages = len(standin.calls_to("chat.postMessage"))
        print(
            f"delivery: {sent:,} of {DUE:,} reminders sent in {elapsed:.1f} s by 2 worker processes "
            f"(target ≤ 60 s); {messages:,} messages reached Slack"
        )
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)


if __name__ == "__main__":
    main()
