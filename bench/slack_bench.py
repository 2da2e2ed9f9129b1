"""Slack benchmark: signed /wxbind requests at 32 concurrent clients against the product
and against a bare Bolt-on-Django app that only acknowledges, both on gunicorn.

    python bench/slack_bench.py [--seconds 10] [--rounds 5] [--database-url postgres://…]

The product runs with DJANGO_DEBUG=0 against a fresh PostgreSQL database (or
SQLite with --database-url sqlite:///…), with the shipped FAQ and known user
locales, so every answer is given in the acknowledgement as in steady use.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slack_sdk.signature import SignatureVerifier  # noqa: E402

from bench.databases import recreate_postgres_database  # noqa: E402
from tests.slack_standin import SlackStandIn  # noqa: E402

SECRET = "bench-signing-secret"
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
USERS = [f"UBENCH{i:03d}" for i in range(50)]
# The product runs with its production configuration (gunicorn.conf.py); the bare
# app with the same worker model (3 workers × 4 threads, gthread) and nothing else.
SERVER_CONFIG = {
    "supportbot.wsgi": "gunicorn.conf.py",
    "bench.bare_slack.wsgi": "python:bench.bare_slack.gunicorn_conf",
}


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
        "DATABASE_URL": _prepare_database(args.database_url),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    _setup_product(env)
    servers = {"bare": _serve("bench.bare_slack.wsgi", 8611, env), "wxbind": _serve("supportbot.wsgi", 8612, env)}
    try:
        for _, port in servers.values():
            _wait_until_up(port)
            _load(port, 5.0)  # warm up: caches, auth.test, connections, the interpreter
        results: dict[str, list[dict]] = {name: [] for name in servers}
        for _ in range(args.rounds):
            for name, (_, port) in servers.items():
                results[name].append(_load(port, args.seconds))
        _report(results)
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
        "    remember_locale(Person('slack', 'T0BENCH', user), locale=locale)\n"
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
            connection.request("GET", "/slack/events")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not start")


def _signed_command(signer: SignatureVerifier, rng: random.Random) -> tuple[bytes, dict]:
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
            "text": rng.choice(QUESTIONS),
            "api_app_id": "A1",
            "response_url": "http://127.0.0.1:9/unused",
            "trigger_id": "1.2.3",
        }
    )
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signer.generate_signature(timestamp=timestamp, body=body),
    }
    return body.encode(), headers


def _load(port: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.time() + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        signer = SignatureVerifier(SECRET)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        bad = 0
        while time.time() < stop_at:
            body, headers = _signed_command(signer, rng)
            started = time.perf_counter()
            try:
                connection.request("POST", "/slack/events", body=body, headers=headers)
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
