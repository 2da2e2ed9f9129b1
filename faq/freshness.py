"""Knowing, cheaply and in every process, whether the FAQ changed since we last looked.

Every change writes a new token to one row (``IndexGeneration``). On
PostgreSQL, each process also LISTENs for the NOTIFY sent in the same
transaction, so while that connection is up a process trusts what it has
and asks the database only after a change. Without it (SQLite, or while
reconnecting) every check reads the token: always correct, just slower.
"""

from __future__ import annotations

import logging
import threading

from django.db import connection, connections

logger = logging.getLogger(__name__)

CHANNEL = "wxbind_faq_changed"


class ChangeWatch:
    """A background LISTEN on PostgreSQL that flags when another process changed the FAQ."""

    RECONNECT_SECONDS = 2.0

    def __init__(self) -> None:
        self.listening = False
        self._changed = threading.Event()
        self._started = False
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def ensure_started(self) -> None:
        if self._started or connection.vendor != "postgresql":
            return
        with self._lock:
            if not self._started:
                self._started = True
                self._stopping.clear()
                self._thread = threading.Thread(target=self._listen_forever, name="faq-change-watch", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        """Close the listening connection (for tests and orderly shutdown)."""
        with self._lock:
            thread, self._thread = self._thread, None
            self._stopping.set()
            self._started = False
        if thread is not None:
            thread.join(timeout=5)
        self.listening = False

    def mark_changed(self) -> None:
        self._changed.set()

    def take_change(self) -> bool:
        """True if something changed since the last call (or we cannot know)."""
        if not self.listening:
            return True
        if self._changed.is_set():
            self._changed.clear()
            return True
        return False

    def _listen_forever(self) -> None:
        import psycopg

        while not self._stopping.is_set():
            try:
                params = connections["default"].get_connection_params()
                with psycopg.connect(**params, autocommit=True) as listener:
                    listener.execute(f"LISTEN {CHANNEL}")
                    # Changes made while we were not listening are unknown: re-check once.
                    self._changed.set()
                    self.listening = True
                    while not self._stopping.is_set():
                        for _ in listener.notifies(timeout=1.0):
                            self._changed.set()
            except Exception as error:  # any failure: fall back to checking every time
                logger.warning("FAQ change watch disconnected (%s); checking the database on every query", error)
            self.listening = False
            self._stopping.wait(self.RECONNECT_SECONDS)


watch = ChangeWatch()


def announce_change() -> None:
    """Tell every process (at commit, on PostgreSQL) and this one (now) that the FAQ changed."""
    watch.mark_changed()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])
