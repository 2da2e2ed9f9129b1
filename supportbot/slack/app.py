"""The one Bolt app, built from settings on first use."""

from __future__ import annotations

import threading

from django.conf import settings
from slack_bolt import App
from slack_bolt.adapter.django import SlackRequestHandler
from slack_sdk import WebClient

REQUIRED_SETTINGS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")


class SlackNotConfigured(Exception):
    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"Slack is not configured: set {', '.join(missing)}")


def web_client(token: str | None = None) -> WebClient:
    """A Slack Web API client pointed at SLACK_API_URL (Slack itself unless overridden)."""
    return WebClient(
        token=token or settings.SLACK_BOT_TOKEN,
        base_url=settings.SLACK_API_URL,
        timeout=settings.SLACK_API_TIMEOUT,
    )


def build_app() -> App:
    missing = [name for name in REQUIRED_SETTINGS if not getattr(settings, name)]
    if missing:
        raise SlackNotConfigured(missing)
    from supportbot.slack.listeners import register

    app = App(
        signing_secret=settings.SLACK_SIGNING_SECRET,
        client=web_client(),
        # Listeners answer inside the acknowledgement and hand slow work to
        # lazy listeners, so replies are not held up by Bolt's ack polling.
        process_before_response=True,
        # Checked on the first request instead; start-up must not need Slack.
        token_verification_enabled=False,
    )
    register(app)
    return app


_handler: SlackRequestHandler | None = None
_lock = threading.Lock()


def get_handler() -> SlackRequestHandler:
    """Bolt's Django adapter over the app, built once per process."""
    global _handler
    if _handler is None:
        with _lock:
            if _handler is None:
                _handler = SlackRequestHandler(build_app())
    return _handler


def get_app() -> App:
    return get_handler().app


def reset_app() -> None:
    """Forget the app so the next request builds one from current settings."""
    global _handler
    with _lock:
        _handler = None
