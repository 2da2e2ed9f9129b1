"""Teams benchmark: message activities at 32 concurrent clients against the product
and against a bare Teams SDK echo bot hosted the same way, both on gunicorn.

    python bench/teams_bench.py [--seconds 10] [--rounds 5] [--database-url postgres://…]

Both run in skip-auth mode and send their replies to a local Bot Connector
stand-in over HTTP before answering the activity. The product runs with
DJANGO_DEBUG=0 against a fresh PostgreSQL database (or SQLite with
--database-url sqlite:///…), with the shipped FAQ and known senders.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import chatload  # noqa: E402
from tests.teams_standin import TeamsStandIn  # noqa: E402

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
USERS = [f"6b1e7a4e-0000-0000-0000-{i:012d}" for i in range(50)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wxbind_teams_bench")
    args = parser.parse_args()

    standin = TeamsStandIn(check_cards=False).start()  # the tests check cards; here it only answers
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TEAMS_SKIP_AUTH": "1",
        "TEAMS_SERVICE_URL": standin.service_url,
        "DATABASE_URL": chatload.prepare_database(args.database_url),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    chatload.set_up_product(
        env,
        "from supportbot.conversation.people import Person, remember_locale\n"
        f"for i, user in enumerate({USERS!r}):\n"
        "    locale = 'zh-CN' if i % 2 else 'en-US'\n"
        f"    remember_locale(Person('teams', {TENANT!r}, user, 'Bench'), locale=locale)\n",
    )

    def activity(rng: random.Random) -> tuple[bytes, dict]:
        user = rng.choice(USERS)
        message = {
            "type": "message",
            "id": uuid.uuid4().hex,  # every activity is new: the product answers a repeated one only once
            "channelId": "msteams",
            "serviceUrl": standin.service_url,
            "from": {"id": f"29:{user}", "name": "Bench", "aadObjectId": user},
            "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": f"a:{user}"},
            "recipient": {"id": "28:bench-bot", "name": "wxbind"},
            "textFormat": "plain",
            "locale": "zh-CN" if int(user[-1]) % 2 else "en-US",
            "text": rng.choice(chatload.QUESTIONS),
            "channelData": {"tenant": {"id": TENANT}},
        }
        return json.dumps(message, ensure_ascii=False).encode(), {"Content-Type": "application/json"}

    try:
        chatload.compare(
            bare="bench.bare_teams.wsgi",
            bare_config="python:bench.bare_gunicorn",
            ports=(8621, 8622),
            path="/api/teams/messages",
            env=env,
            make_request=activity,
            rounds=args.rounds,
            seconds=args.seconds,
        )
        print(f"replies the stand-in received: {len(standin.sent)}")
    finally:
        standin.stop()


if __name__ == "__main__":
    main()
