"""Logging: which request or which piece of bot work a line belongs to, and never a credential.

Every line carries the request id (``X-Request-ID`` when a proxy sent a sane
one, else a new one, echoed back) or, for bot work outside a request, the case
number and chat ids the work is about. In production lines are JSON objects
(``LOG_FORMAT``). Every line passes one redactor: the configured tokens and
secrets, anything shaped like a Slack token, and whatever the case masker
finds are replaced before the line is written.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import uuid
from collections.abc import Iterator

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

# Never mutated: each log_context sets a new dict, so an immutable empty default is enough.
_context: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("wxbind_log_context", default=None)
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_SLACK_TOKEN = re.compile(r"\bx(?:ox[abposr]|app)-[A-Za-z0-9-]{8,}")
REDACTED = "[redacted]"
# Settings whose values must never appear in a log line.
SECRET_SETTINGS = ("SECRET_KEY", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "TEAMS_APP_PASSWORD")


@contextlib.contextmanager
def log_context(**fields: object) -> Iterator[None]:
    """Lines logged inside carry these fields too (case number, chat platform and ids…)."""
    token = _context.set({**(_context.get() or {}), **{key: str(value) for key, value in fields.items() if value}})
    try:
        yield
    finally:
        _context.reset(token)


class RequestIdMiddleware:
    """Give each request an id, log it on every line of the request, and echo it as ``X-Request-ID``."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _SANE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex[:16]
        # Set for the rest of the request, not just the middleware chain: Django logs an error
        # response ("Forbidden: /…") after the chain returns. request_finished clears it.
        _context.set({"request_id": request_id})
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


@receiver(request_finished)
def _forget_the_request(**kwargs) -> None:
    _context.set(None)


class ContextFilter(logging.Filter):
    """Puts the current request id, case and chat ids on the record (as attributes the formatters show)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get() or {}
        for key, value in context.items():
            setattr(record, key, value)
        record.context = f" [{' '.join(f'{key}={value}' for key, value in context.items())}]" if context else ""
        return True


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and traceback) without credentials."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = redact(record.getMessage())
        record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def redact(text: str) -> str:
    from cases.secrets import mask_text  # the one masker; imported late, as logging is set up before apps

    for name in SECRET_SETTINGS:
        value = getattr(settings, name, "")
        if value and len(value) >= 8 and value in text:
            text = text.replace(value, REDACTED)
    return mask_text(_SLACK_TOKEN.sub(REDACTED, text))
