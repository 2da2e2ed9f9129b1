"""Sending deliveries: the domain says what is due; a courier (the conversation core) says it on a platform."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string


class TransportError(Exception):
    """A send that failed. ``permanent`` ones are recorded and never retried.

    ``attempted`` is False when nothing reached the platform (it had asked us to
    wait): such a retry does not count against the delivery's attempts.
    """

    def __init__(
        self, reason: str, *, permanent: bool, retry_after: float | None = None, attempted: bool = True
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after
        self.attempted = attempted


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
