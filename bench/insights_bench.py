"""Insights benchmark: the page's queries over 1,000,000 answer events and 100,000 cases.

    python bench/insights_bench.py [--database-url postgres://…/wxbind_insights_bench]

Needs PostgreSQL. The database is dropped and created afresh, filled with a
year of events and cases, and the workers' rollup is run once (timed: it is
background work). Then every chart is computed, as the page does, for the last
12 weeks and for the whole year: target under 1 s in total each time.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import recreate_postgres_database  # noqa: E402

EVENTS = 1_000_000
CASES = 100_000
DAYS = 365


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wxbind_insights_bench")
    args = parser.parse_args()
    recreate_postgres_database(args.database_url)
    os.environ.update(DATABASE_URL=args.database_url, DJANGO_SETTINGS_MODULE="supportbot.settings", LOG_LEVEL="WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    call_command("import_faq", verbosity=0, stdout=io.StringIO())

    started = time.perf_counter()
    _fill()
    print(f"filled {EVENTS:,} answer events and {CASES:,} cases in {time.perf_counter() - started:.0f} s")

    from supportbot.insights.services import answer_days_refresh

    started = time.perf_counter()
    rows = answer_days_refresh()
    print(f"first rollup (the workers, once): {rows:,} day rows in {time.perf_counter() - started:.1f} s")
    answer_days_refresh()  # what every later run costs: the days not final yet
    steady = _timed(answer_days_refresh)
    print(f"rollup refresh (every run after): median {steady:.0f} ms")

    import datetime

    from django.utils import timezone

    from supportbot.insights.charts import Filters
    from supportbot.insights.selectors import insights

    today = timezone.localdate()
    for name, days in (("last 12 weeks", 84), ("the whole year", DAYS)):
        filters = Filters(start=today - datetime.timedelta(days=days), end=today)
        total = _timed(lambda filters=filters: insights(filters))
        print(f"every chart, {name}: median {total:.0f} ms (target < 1000 ms)")
        slack = Filters(start=filters.start, end=today, platform="slack")
        print(f"every chart, {name}, Slack only: median {_timed(lambda slack=slack: insights(slack)):.0f} ms")


def _timed(function, rounds: int = 5) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _fill() -> None:
    """A year of traffic: events spread over the days, one case per ten questions, most resolved and rated."""
    from django.db import connection

    from faq.models import Entry

    entries = list(Entry.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO faq_answerevent (kind, entry_id, question, language, channel, workspace_id, user_id,
                created_at, question_key, taught_entry_id)
            SELECT (ARRAY['shown','shown','shown','shown','choices','no_match','helpful','not_helpful'])[1 + n %% 8],
                CASE WHEN n %% 8 IN (4, 5) THEN NULL ELSE (%s::int[])[1 + n %% %s] END,
                'question ' || (n %% 5000), (ARRAY['zh','en'])[1 + n %% 2],
                (ARRAY['slack','teams','api'])[1 + n %% 3], 'T1', 'U' || (n %% 20000),
                now() - (n::float / %s * interval '365 days'),
                CASE WHEN n %% 8 IN (4, 5) THEN 'question ' || (n %% 5000) ELSE '' END, NULL
            FROM generate_series(1, %s) AS n
            """,
            [entries, len(entries), EVENTS, EVENTS],
        )
        cursor.execute(
            """
            INSERT INTO cases_case (number, state, escalation_level, channel, workspace_id, chat_channel_id,
                reporter_id, reporter_name, assignee_chat_id, tencent_account_id, appid, account_kind, ruled_out,
                description, question, answer_slug, created_at, updated_at, last_activity_at, next_due_at,
                delivery_problem, card_platform, card_conversation, card_message, card_route, topic_id,
                first_response_at, first_response_hours, resolved_at, resolution_hours, satisfaction,
                satisfaction_comment, rated_at)
            SELECT 1000 + n,
                CASE WHEN n %% 20 = 0 THEN 'open' WHEN n %% 20 = 1 THEN 'assigned' ELSE 'resolved' END,
                0, (ARRAY['slack','teams','api'])[1 + n %% 3], 'T1', '', 'U' || (n %% 20000), '',
                'UAGENT' || (n %% 7), '', '', '', '[]', '', '', '',
                now() - (n::float / %s * interval '365 days'), now(), now(), NULL, '', '', '', '', '',
                (%s::int[])[1 + n %% %s],
                now() - (n::float / %s * interval '365 days') + interval '2 hours', (n %% 9) + 0.5,
                CASE WHEN n %% 20 > 1 THEN now() - (n::float / %s * interval '365 days') + interval '1 day' END,
                CASE WHEN n %% 20 > 1 THEN (n %% 40) + 1.5 END,
                CASE WHEN n %% 20 > 1 AND n %% 3 = 0 THEN 1 + n %% 5 END, '',
                CASE WHEN n %% 20 > 1 AND n %% 3 = 0 THEN now() - (n::float / %s * interval '365 days')
                    + interval '1 day' END
            FROM generate_series(1, %s) AS n
            """,
            [CASES, entries, len(entries), CASES, CASES, CASES, CASES],
        )
        cursor.execute(
            """
            INSERT INTO cases_delivery (case_id, kind, step, state, attempts, destination, message_ref, error,
                created_at)
            SELECT id, 'escalation', 1, 'sent', 1, '', '', '', created_at + interval '9 hours'
            FROM cases_case WHERE number %% 10 = 0
            """,
            [],
        )
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
