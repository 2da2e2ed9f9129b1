"""Helpers for tests that run the product as separate processes, as `make run` and a deployment do."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MANAGE = [sys.executable, str(REPO / "manage.py")]

# Opens case 1001 with its first "unassigned" reminder due two seconds later.
OPEN_A_CASE_DUE_IN_SECONDS = """
import datetime
from cases.models import ReminderPolicy
from cases.policy import Actor
from cases.services import case_open
ReminderPolicy.objects.update_or_create(pk=1, defaults={
    "unassigned_first": datetime.timedelta(seconds=2), "unassigned_repeat": datetime.timedelta(hours=1),
    "escalation_levels": 0})
case_open(reporter=Actor(label="slack:UREP", channel="slack", workspace_id="T1", user_id="UREP"),
          description="授权异常")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment_without_settings(**settings: str) -> dict[str, str]:
    """This process's environment without any wxbind setting, plus ``settings``."""
    prefixes = ("DJANGO_", "DATABASE_URL", "CELERY_", "SLACK_", "CASE_", "TEAMS_", "WXBIND_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(prefixes)}
    env.update(settings)
    return env


def processes_using(folder: Path) -> list[int]:
    """Processes whose environment names ``folder`` (those a test started with it)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if str(folder).encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return [pid for pid in found if pid != os.getpid()]
