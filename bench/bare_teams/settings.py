"""A bare Teams SDK echo bot on Django, the yardstick for the Teams benchmark: one view that hosts the
Teams SDK the way the product does."""

import os

from bench.bare_settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_teams.urls"
TEAMS_API_TIMEOUT = int(os.environ.get("TEAMS_API_TIMEOUT", "10"))
