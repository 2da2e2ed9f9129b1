"""Sending deliveries: the domain says what is due; a courier (the conversation core) says it on a platform."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string


class TransportError(Exception):
    """A send that failed. ``permanent`` ones are recorded and never retried."""

    def __init__(self, reason: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class Undeliverable(Exception):
    """Nothing to send, or nobody to send it to (e.g. a reporter with no chat address): skipped, not retried."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def courier():
    """The function that sends a delivery: ``courier()(delivery) -> (destination, message reference)``.

    It raises TransportError when the platform fails and Undeliverable when
    there is nothing to send. Set by WXBIND_COURIER.
    """
    return import_string(settings.WXBIND_COURIER)
