"""The whole product in one terminal: what `make run` starts after `bootstrap`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]
CELERY = [sys.executable, "-m", "celery", "-A", "supportbot"]


@dataclass(frozen=True)
class Process:
    label: str
    command: list[str]


def processes(*, host: str, port: str) -> list[Process]:
    """The web app, a Celery worker and beat; Slack over Socket Mode when an app token is set."""
    beat_schedule = settings.CELERY_BROKER_DIR.parent / "beat-schedule"
    beat_schedule.parent.mkdir(parents=True, exist_ok=True)
    found = [
        Process("web", [*MANAGE, "runserver", f"{host}:{port}", "--noreload"]),
        Process("worker", [*CELERY, "worker", "--pool", "threads", "--concurrency", "4", "--loglevel", "INFO"]),
        Process("beat", [*CELERY, "beat", "--loglevel", "INFO", "--schedule", str(beat_schedule)]),
    ]
    if settings.SLACK_APP_TOKEN:
        found.append(Process("slack", [*MANAGE, "slack_socket_mode"]))
    return found


class Command(BaseCommand):
    help = (
        "Run the web app, a Celery worker and Celery beat (and Slack Socket Mode when SLACK_APP_TOKEN is set) "
        "in one terminal, each line labelled with its process. Ctrl-C stops them all."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host: str, port: str, **options) -> None:
        started = [self._start(process) for process in processes(host=host, port=port)]
        width = max(len(process.label) for process, _ in started)
        pumps = [
            threading.Thread(target=self._pump, args=(process.label.ljust(width), child), daemon=True)
            for process, child in started
        ]
        for pump in pumps:
            pump.start()
        stopping = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        try:
            while not stopping.is_set():
                ended = [(process, child) for process, child in started if child.poll() is not None]
                if ended:
                    process, child = ended[0]
                    self.stderr.write(f"{process.label} stopped (exit code {child.returncode}); stopping the rest")
                    break
                stopping.wait(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self._stop([child for _, child in started])
        for pump in pumps:
            pump.join(timeout=2)

    def _start(self, process: Process) -> tuple[Process, subprocess.Popen]:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        child = subprocess.Popen(
            process.command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            # Its own process group: Ctrl-C reaches this supervisor, which stops each child in order.
            start_new_session=True,
        )
        return process, child

    def _pump(self, label: str, child: subprocess.Popen) -> None:
        for raw in iter(child.stdout.readline, b""):
            self.stdout.write(f"{label} | {raw.decode('utf-8', 'replace').rstrip()}")

    def _stop(self, children: list[subprocess.Popen]) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
