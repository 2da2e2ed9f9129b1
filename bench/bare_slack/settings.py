"""A bare Bolt-on-Django app, the yardstick for the Slack benchmark: one Bolt handler."""

import os

from bench.bare_settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_slack.urls"
SLACK_SIGNING_SECRET = os.environ["SLACK_SIGNING_SECRET"]
SLACK_API_URL = os.environ["SLACK_API_URL"]
SLACK_BOT_TOKEN = os.environ["SLACK_BOT_TOKEN"]
