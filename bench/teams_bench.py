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
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import recreate_postgres_database  # noqa: E402
from tests.teams_standin import TeamsStandIn  # noqa: E402

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENTS = 32
QUESTIONS = [
    "怎么解绑小程序",
    "小程序怎么绑定腾讯云账号",
    "授權異常怎麼辦",
    "how to unbind my mini program",
    "link mini program to tencent cloud",
    "再绑定另一个小程序",
    "cancelled the authorization by mistake",
    "permissions are incomplete",
    "报销流程",
    "小程序",
    "help",
    "unbnid mini prgram",
]
USERS = [f"6b1e7a4e-0000-0000-0000-{i:012d}" for i in range(50)]
# The product runs with its production configuration (gunicorn.conf.py); the bare
# app with the same worker model (3 workers × 4 threads, gthread) and nothing else.
SERVER_CONFIG = {
    "supportbot.wsgi": "gunicorn.conf.py",
    "bench.bare_teams.wsgi": "python:bench.bare_teams.gunicorn_conf",
}


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
        "DATABASE_URL": _prepare_database(args.database_url),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    _setup_product(env)
    servers = {"bare": _serve("bench.bare_teams.wsgi", 8621, env), "wxbind": _serve("supportbot.wsgi", 8622, env)}
    service_url = standin.service_url
    try:
        for _, port in servers.values():
            _wait_until_up(port)
            _load(port, 5.0, service_url)  # warm up: caches, connections, the interpreter
        results: dict[str, list[dict]] = {name: [] for name in servers}
        for _ in range(args.rounds):
            for name, (_, port) in servers.items():
                results[name].append(_load(port, args.seconds, service_url))
        _report(results)
        print(f"replies the stand-in received: {len(standin.sent)}")
    finally:
        for process, _ in servers.values():
            process.send_signal(signal.SIGTERM)
        for process, _ in servers.values():
            process.wait(timeout=20)
        standin.stop()


def _prepare_database(url: str) -> str:
    return url if url.startswith("sqlite") else recreate_postgres_database(url)


def _setup_product(env: dict) -> None:
    script = (
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "call_command('import_faq', verbosity=0)\n"
        "from supportbot.conversation.people import Person, remember_locale\n"
        f"for i, user in enumerate({USERS!r}):\n"
        "    locale = 'zh-CN' if i % 2 else 'en-US'\n"
        f"    remember_locale(Person('teams', {TENANT!r}, user, 'Bench'), locale=locale)\n"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True)


def _serve(module: str, port: int, env: dict):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        module,
        "--config",
        SERVER_CONFIG[module],
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env), port


def _wait_until_up(port: int) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/teams/messages")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not start")


def _activity(rng: random.Random, number: int, service_url: str) -> tuple[bytes, dict]:
    user = rng.choice(USERS)
    activity = {
        "type": "message",
        "id": uuid.uuid4().hex,  # every activity is new: the product answers a repeated one only once
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": f"29:{user}", "name": "Bench", "aadObjectId": user},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": f"a:{user}"},
        "recipient": {"id": "28:bench-bot", "name": "wxbind"},
        "textFormat": "plain",
        "locale": "zh-CN" if int(user[-1]) % 2 else "en-US",
        "text": rng.choice(QUESTIONS),
        "channelData": {"tenant": {"id": TENANT}},
    }
    return json.dumps(activity, ensure_ascii=False).encode(), {"Content-Type": "application/json"}


def _load(port: int, seconds: float, service_url: str) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.time() + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        sent = 0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        bad = 0
        while time.time() < stop_at:
            sent += 1
            body, headers = _activity(rng, number * 10**7 + sent, service_url)
            started = time.perf_counter()
            try:
                connection.request("POST", "/api/teams/messages", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                ok = False
            if ok:
                mine.append(time.perf_counter() - started)
            else:
                bad += 1
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return {
        "throughput": len(latencies) / elapsed,
        "p50": ordered[len(ordered) // 2] * 1000 if ordered else float("nan"),
        "p99": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000 if ordered else float("nan"),
        "errors": errors[0],
        "requests": len(latencies),
    }


def _report(results: dict[str, list[dict]]) -> None:
    summary = {}
    for name, rounds in results.items():
        summary[name] = {
            "throughput": statistics.mean(r["throughput"] for r in rounds),
            "p50": statistics.mean(r["p50"] for r in rounds),
            "p99": statistics.mean(r["p99"] for r in rounds),
            "errors": sum(r["errors"] for r in rounds),
        }
        s = summary[name]
        print(
            f"{name:>7}: {s['throughput']:7.1f} req/s  p50 {s['p50']:6.1f} ms  p99 {s['p99']:6.1f} ms  "
            f"errors {s['errors']}  (rounds: {', '.join(format(r['throughput'], '.0f') for r in rounds)} req/s)"
        )
    # Rounds alternate bare / wxbind; each round is compared with its own
    # bare round, and the median of those ratios is reported, so one noisy
    # round on this shared machine does not decide the result.
    pairs = list(zip(results["bare"], results["wxbind"], strict=True))
    ratio = statistics.median(w["throughput"] / b["throughput"] for b, w in pairs)
    p99_ratio = statistics.median(w["p99"] / b["p99"] for b, w in pairs)
    print(
        f"per-round throughput ratios: {', '.join(format(w['throughput'] / b['throughput'], '.1%') for b, w in pairs)}"
    )
    print(
        f"wxbind / bare (median of rounds): throughput {ratio:.1%} (target ≥ 90%), p99 {p99_ratio:.2f}× (target ≤ 1.2×)"
    )


if __name__ == "__main__":
    with tempfile.TemporaryDirectory():
        main()
