"""Answer statistics written in batches, so recording never costs a request a database write."""

from __future__ import annotations

import atexit
import collections
import datetime
import logging
import threading
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections, transaction

from cases.secrets import mask_text
from faq.models import AnswerEvent, Entry
from faq.plaintext import storable
from faq.tokenize import question_key

logger = logging.getLogger(__name__)

_COLUMNS = [
    "kind",
    "entry_id",
    "question",
    "language",
    "channel",
    "workspace_id",
    "user_id",
    "question_key",
    "created_at",
]
_TABLE = AnswerEvent._meta.db_table
_INSERT = f"INSERT INTO {_TABLE} ({', '.join(_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
_COPY = f"COPY {_TABLE} ({', '.join(_COLUMNS)}) FROM STDIN"
# The longest question kept: enough to read what was asked.
MAX_QUESTION_CHARS = 2000
# Text columns by position, and the most each holds: a longer value, or a NUL
# (PostgreSQL refuses it in text), is cut or dropped here rather than fail the batch.
_TEXT_LIMITS = {
    _COLUMNS.index(name): AnswerEvent._meta.get_field(name).max_length or MAX_QUESTION_CHARS
    for name in ("kind", "question", "language", "channel", "workspace_id", "user_id")
}
QUESTION = _COLUMNS.index("question")


class EventRecorder:
    FLUSH_SECONDS = 1.0
    MAX_PENDING = 50_000

    def __init__(self) -> None:
        # deque.append is atomic: the request path takes no lock.
        self._pending: collections.deque[tuple] = collections.deque(maxlen=self.MAX_PENDING)
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        # One flush at a time, so a flush called while the flusher is mid-write
        # returns only once that write is in, not as soon as the queue looks empty.
        self._flush_lock = threading.Lock()
        atexit.register(self.flush)

    def add(
        self,
        *,
        kind: str,
        language: str,
        channel: str,
        entry_id: int | None = None,
        question: str = "",
        workspace_id: str = "",
        user_id: str = "",
    ) -> None:
        """Record one AnswerEvent; it is written within a fraction of a second."""
        row = _storable((kind, entry_id, question, language, channel, workspace_id, user_id, time.time()))
        if _in_transaction():
            # The caller's transaction owns this write: it commits or rolls back with it.
            _write([row], check_entries=False)
            return
        self._pending.append(row)
        if self._thread is None or not self._thread.is_alive():
            self._start_flusher()

    def flush(self) -> int:
        """Write every queued event now; how many were written."""
        with self._flush_lock:
            return self._flush_pending()

    def _flush_pending(self) -> int:
        batch = []
        while self._pending:
            try:
                batch.append(self._pending.popleft())
            except IndexError:
                break
        if not batch:
            return 0
        for attempt in (1, 2):
            try:
                _write(batch, check_entries=True)
                return len(batch)
            except (OperationalError, InterfaceError) as error:
                # This thread keeps one connection for its life (opening one a second
                # would cost more than the writes); after a failure it gets a fresh one.
                connection.close()
                if attempt == 2:
                    logger.error("could not record %d answer events, keeping them for later: %s", len(batch), error)
            except (DatabaseError, ValueError):
                # Not an outage: some row the database will not take. One bad event
                # must not sink the others, so write them one by one.
                connection.close()
                return self._write_each(batch)
        # Keep them for the next flush; the queue's bound sheds the newest if an outage lasts.
        self._pending.extendleft(reversed(batch))
        return 0

    def _write_each(self, rows: list[tuple]) -> int:
        """Write rows one at a time, dropping (and logging) those the database refuses; how many were written."""
        written = 0
        for position, row in enumerate(rows):
            try:
                _write([row], check_entries=True)
                written += 1
            except (OperationalError, InterfaceError):
                connection.close()
                self._pending.extendleft(reversed(rows[position:]))  # an outage after all: keep the rest
                break
            except (DatabaseError, ValueError) as error:
                connection.close()
                logger.error("dropped an answer event the database refused (%s): %r", error, row[:3])
        return written

    def stop(self) -> None:
        """Write what is queued and let the flusher go (tests and orderly shutdown)."""
        self._stopping.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5)
        self.flush()
        self._stopping.clear()
        self._wake.clear()

    def _start_flusher(self) -> None:
        # A forked server worker inherits no running threads: each process starts its own.
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._flush_forever, name="answer-event-flusher", daemon=True)
                self._thread.start()

    def _flush_forever(self) -> None:
        try:
            while not self._stopping.is_set():
                self._wake.wait(self.FLUSH_SECONDS)
                try:
                    self.flush()
                except Exception:
                    # Whatever went wrong with one batch, the next second's events still need a writer.
                    logger.exception("answer events could not be written")
        finally:
            connections.close_all()  # this thread's connection


def _in_transaction() -> bool:
    # The default connection of this thread, without the connection proxy's lookup per attribute.
    return connections["default"].in_atomic_block


def _storable(row: tuple) -> tuple:
    """The row with every text value storable (faq.plaintext) and cut to what its column holds."""
    cleaned = list(row)
    for index, limit in _TEXT_LIMITS.items():
        value = cleaned[index]
        cleaned[index] = storable(value if isinstance(value, str) else str(value or ""))[:limit]
    return tuple(cleaned)


def _write(rows: list[tuple], *, check_entries: bool) -> None:
    """Insert rows in one go. Building model objects would cost more than the write itself."""
    if check_entries:
        # An entry deleted since its event was queued must not sink the whole batch.
        wanted = {row[1] for row in rows if row[1] is not None}
        existing = set(Entry.objects.filter(pk__in=wanted).values_list("pk", flat=True)) if wanted else set()
        rows = [row if row[1] is None or row[1] in existing else (row[0], None, *row[2:]) for row in rows]
    # Statistics keep what was asked, never a pasted secret: masked here, off the request path;
    # and an unanswered question gets the key that groups it with those asked alike.
    rows = [
        (
            *row[:QUESTION],
            masked := mask_text(row[QUESTION]),
            *row[QUESTION + 1 : -1],
            question_key(masked) if row[0] in AnswerEvent.UNANSWERED else "",
            datetime.datetime.fromtimestamp(row[-1], tz=datetime.UTC),
        )
        for row in rows
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Statistics already wait in memory for up to a second; waiting for the
            # WAL flush on top protects nothing worth the time.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            # COPY is PostgreSQL's bulk path: far less work per row than INSERTs on both ends.
            with cursor.cursor.copy(_COPY) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            adapt = connection.ops.adapt_datetimefield_value
            cursor.executemany(_INSERT, [(*row[:-1], adapt(row[-1])) for row in rows])


recorder = EventRecorder()
