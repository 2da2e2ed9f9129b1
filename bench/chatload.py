"""Shared by the chat benchmarks: the product and a bare app on gunicorn, loaded in alternating rounds.

Each benchmark says how to make one request (a signed slash command, a Teams
activity) and what else the product needs; this module runs both servers with
the same worker model, warms them up, loads them from 32 concurrent clients and
reports throughput and latency side by side.
"""

from __future__ import annotations

import http.client
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bench.databases import recreate_postgres_database

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 32
WARM_UP_SECONDS = 5.0
PRODUCT = "supportbot.wsgi"
PRODUCT_CONFIG = "gunicorn.conf.py"  # the product's production configuration
# What both benchmarks ask: keywords, sentences, traditional Chinese, typos, unrelated questions, help.
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

# One request: (body, headers), from a client's own random source.
RequestMaker = Callable[[random.Random], tuple[bytes, dict]]


def prepare_database(url: str) -> str:
    return url if url.startswith("sqlite") else recreate_postgres_database(url)


def set_up_product(env: dict, script: str) -> None:
    """Migrate, load the shipped FAQ, then run the benchmark's own set-up (Python, in the product's shell)."""
    preamble = (
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "call_command('import_faq', verbosity=0)\n"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", preamble + script], cwd=ROOT, env=env, check=True)


def compare(
    *,
    bare: str,
    bare_config: str,
    ports: tuple[int, int],
    path: str,
    env: dict,
    make_request: RequestMaker,
    rounds: int,
    seconds: float,
) -> dict[str, list[dict]]:
    """Serve the bare app and the product, warm both up, load them in alternating rounds, print the report."""
    servers = {
        "bare": _serve(bare, bare_config, ports[0], env),
        "wxbind": _serve(PRODUCT, PRODUCT_CONFIG, ports[1], env),
    }
    try:
        for _, port in servers.values():
            _wait_until_up(port, path)
            load(port, path, WARM_UP_SECONDS, make_request)  # caches, connections, the interpreter
        results: dict[str, list[dict]] = {name: [] for name in servers}
        for _ in range(rounds):
            for name, (_, port) in servers.items():
                results[name].append(load(port, path, seconds, make_request))
        report(results)
        return results
    finally:
        for process, _ in servers.values():
            process.send_signal(signal.SIGTERM)
        for process, _ in servers.values():
            process.wait(timeout=20)


def _serve(module: str, config: str, port: int, env: dict):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        module,
        "--config",
        config,
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env), port


def _wait_until_up(port: int, path: str) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not start")


def load(port: int, path: str, seconds: float, make_request: RequestMaker) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.time() + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        bad = 0
        while time.time() < stop_at:
            body, headers = make_request(rng)
            started = time.perf_counter()
            try:
                connection.request("POST", path, body=body, headers=headers)
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


def report(results: dict[str, list[dict]]) -> None:
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
