"""Slack benchmark: signed /wxbind requests at 32 concurrent clients against the product
and against a bare Bolt-on-Django app that only acknowledges, both on gunicorn.

    python bench/slack_bench.py [--seconds 10] [--rounds 5] [--database-url postgres://…]

The product runs with DJANGO_DEBUG=0 against a fresh PostgreSQL database (or
SQLite with --database-url sqlite:///…), with the shipped FAQ and known user
locales, so every answer is given in the acknowledgement as in steady use.
The bare app gets the same worker model (3 workers × 4 threads, gthread) and nothing else.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slack_sdk.signature import SignatureVerifier  # noqa: E402

from bench import chatload  # noqa: E402
from tests.slack_standin import SlackStandIn  # noqa: E402

SECRET = "bench-signing-secret"
USERS = [f"UBENCH{i:03d}" for i in range(50)]
SIGNER = SignatureVerifier(SECRET)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wxbind_slack_bench")
    args = parser.parse_args()

    standin = SlackStandIn().start()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SLACK_BOT_TOKEN": standin.token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": standin.api_url,
        "DATABASE_URL": chatload.prepare_database(args.database_url),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    chatload.set_up_product(
        env,
        "from supportbot.conversation.people import Person, remember_locale\n"
        f"for i, user in enumerate({USERS!r}):\n"
        "    locale = 'zh-CN' if i % 2 else 'en-US'\n"
        "    remember_locale(Person('slack', 'T0BENCH', user), locale=locale)\n",
    )
    try:
        chatload.compare(
            bare="bench.bare_slack.wsgi",
            bare_config="python:bench.bare_gunicorn",
            ports=(8611, 8612),
            path="/slack/events",
            env=env,
            make_request=_signed_command,
            rounds=args.rounds,
            seconds=args.seconds,
        )
    finally:
        standin.stop()


def _signed_command(rng: random.Random) -> tuple[bytes, dict]:
    body = urlencode(
        {
            "token": "x",
            "team_id": "T0BENCH",
            "team_domain": "bench",
            "channel_id": "C1",
            "channel_name": "bench",
            "user_id": rng.choice(USERS),
            "user_name": "bench",
            "command": "/wxbind",
            "text": rng.choice(chatload.QUESTIONS),
            "api_app_id": "A1",
            "response_url": "http://127.0.0.1:9/unused",
            "trigger_id": "1.2.3",
        }
    )
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": SIGNER.generate_signature(timestamp=timestamp, body=body),
    }
    return body.encode(), headers


if __name__ == "__main__":
    with tempfile.TemporaryDirectory():
        main()
