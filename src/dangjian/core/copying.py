"""COPY statements whose end the client does not wait for.

A COPY's last rows, its index entries and its foreign-key checks (with constraints set
IMMEDIATE) take the server a while after the client has sent the data. `CopyStream` sends
the end of a COPY and returns at once, so Python builds the next rows while the server
finishes; the statement's result is read before the next statement is sent, and when the
stream closes. An error in a statement surfaces then, as the error Django raises for a
plain COPY (an IntegrityError for a missing reference), and the caller's transaction rolls
everything back.

PostgreSQL only. It drives psycopg 3 a level below its public API (its `generators` and
`Connection.wait`, as its own COPY does), hence the narrow pin in pyproject.toml;
tests/core/test_copying.py holds it to its contract. Nothing else may use the connection
while a result is pending: the stream is a context manager and collects on every way out.
"""

import contextlib
from collections.abc import Iterable, Sequence

from psycopg import errors, pq
from psycopg.copy import LibpqWriter
from psycopg.generators import fetch_many
from psycopg.waiting import Wait


def _end_copy(pgconn):
    """psycopg's copy_end without reading the result."""
    while pgconn.put_copy_end(None) == 0:
        while not (yield Wait.W):
            continue
    while True:
        while not (yield Wait.W):
            continue
        if pgconn.flush() == 0:
            break


class _EndOnlyWriter(LibpqWriter):
    def finish(self, exc: BaseException | None = None) -> None:
        if exc:
            super().finish(exc)
        else:
            self.connection.wait(_end_copy(self._pgconn))


class CopyStream:
    """`checked_tables`: the tables whose deferrable foreign keys are set IMMEDIATE while
    the stream is open (and DEFERRED again after), so that the server checks each row's
    references as the statement ends rather than all of them at COMMIT, when the client
    has nothing left to do. Other constraints of the transaction stay as they are."""

    def __init__(self, db, *, checked_tables: Sequence[str] = ()):
        self.db = db
        self.checked_tables = list(checked_tables)
        self._constraints = ""
        self._pending = False

    def __enter__(self):
        self.db.ensure_connection()
        self.connection = self.db.connection
        if self.checked_tables:
            with self.db.cursor() as cursor:
                cursor.execute(
                    "SELECT conname FROM pg_constraint WHERE contype = 'f' AND condeferrable"
                    " AND conrelid::regclass::text = ANY(%s) ORDER BY conname",
                    [self.checked_tables],
                )
                names = [self.db.ops.quote_name(name) for (name,) in cursor.fetchall()]
                if names:
                    self._constraints = ", ".join(names)
                    cursor.execute(f"SET CONSTRAINTS {self._constraints} IMMEDIATE")
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            with contextlib.suppress(Exception):  # the first error is the one to tell
                self._collect()
            return False
        self._collect()
        if self._constraints:
            with self.db.cursor() as cursor:
                cursor.execute(f"SET CONSTRAINTS {self._constraints} DEFERRED")
        return False

    def copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        """COPY `rows` into `table`; returns once the data and the end are sent."""
        self._collect()
        quote = self.db.ops.quote_name
        sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        with self.db.cursor() as wrapper, self.db.wrap_database_errors:
            cursor = wrapper.cursor
            with cursor.copy(sql, writer=_EndOnlyWriter(cursor)) as copy:
                for row in rows:
                    copy.write_row(row)
            self._pending = True

    def _collect(self) -> None:
        if not self._pending:
            return
        self._pending = False
        pgconn = self.connection.pgconn
        with self.db.wrap_database_errors:
            for result in self.connection.wait(fetch_many(pgconn)):
                if result.status != pq.ExecStatus.COMMAND_OK:
                    raise errors.error_from_result(result, encoding=pgconn._encoding)
