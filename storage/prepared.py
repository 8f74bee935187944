"""Core statements compiled once per dialect and run on the DB-API cursor.

The inbound reply turn runs about seven small statements. Through ``Connection.execute`` each
costs ~30 µs of SQLAlchemy bookkeeping (execution context, parameter processing, result
wrapping) around ~3 µs of SQLite work; on one core that bookkeeping was a sixth of a turn.
A `Prepared` statement keeps SQLAlchemy for everything that must be right — the SQL text of
each dialect, the bind processors that turn datetimes, enums and JSON into what is stored, the
result processors that turn them back — and only skips the per-call machinery: it runs the
compiled text on the connection's own DB-API cursor, inside the transaction SQLAlchemy began.

It is built on SQLAlchemy's documented API only: the compiled statement's text
(``Compiled.string``), ``SQLCompiler.construct_expanded_state`` for the order of the parameters
and the statement's own constant values, ``SQLCompiler.binds`` for the parameters' types, and
each type's ``bind_processor`` / ``result_processor``. A column default computed in Python is
refused from the table's own columns (``Column.default`` / ``onupdate``).

What it gives up: these statements do not pass through engine events (``echo`` and
``before_cursor_execute`` do not see them). Driver errors are still raised as SQLAlchemy's
exceptions (``IntegrityError``, ``OperationalError``), so callers catch the same types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any] | None


@dataclass
class _Plan:
    sql: str
    positional: bool
    names: tuple[str, ...]  # bind names in the order the SQL uses them
    binds: tuple[tuple[str, Processor], ...]  # names a caller supplies, with their processors
    constants: Mapping[str, Any]  # bind names whose values the statement carries, processed
    columns: tuple[Any, ...]  # the type of each selected or returned column
    # psycopg: run as a server-side prepared statement (parsed and planned once per
    # connection), and fetched only when asked (in a pipeline the fetch is what waits).
    psycopg: bool
    # Their result processors: built at the first fetch, as some (PostgreSQL's numbers) need
    # the column's type code from the cursor's description.
    results: tuple[Processor, ...] | None = None


class Prepared:
    """A Core statement run through the DB-API cursor of a SQLAlchemy connection.

    ``keys`` (INSERT and UPDATE): the columns every call supplies, as in
    ``stmt.compile(column_keys=...)``; each distinct key set of an UPDATE gets its own plan.
    A column default or server-side work the statement would need is refused when the plan is
    built, not silently skipped."""

    def __init__(self, stmt: Any) -> None:
        self.stmt = stmt
        self._select = _is_select(stmt)  # once: rows() runs on every turn
        self._plans: dict[tuple[str, tuple[str, ...] | None], _Plan] = {}

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run once; the result rows with SQLAlchemy's result processing applied."""
        plan, cursor, args = self._execute(conn, params)
        try:
            return self._fetch(conn, plan, cursor, args)
        finally:
            cursor.close()

    def send(
        self, conn: Connection, params: Mapping[str, Any]
    ) -> Callable[[], list[tuple[Any, ...]]]:
        """Run once and return the function that fetches its rows (as `rows` returns them).

        In a PostgreSQL pipeline (`pipelined`) the statement only goes out: sending several and
        then fetching each waits for one round trip, where `rows` after `rows` waits for one
        each. Call every returned function before the block ends, in any order. On SQLite the
        rows are fetched at once and the function hands them over."""
        plan, cursor, args = self._execute(conn, params)

        def fetch() -> list[tuple[Any, ...]]:
            try:
                return self._fetch(conn, plan, cursor, args)
            finally:
                cursor.close()

        if plan.psycopg:  # psycopg's fetch is what waits for a pipeline
            return fetch
        fetched = fetch()
        return lambda: fetched

    def _execute(self, conn: Connection, params: Mapping[str, Any]) -> tuple[_Plan, Any, Any]:
        """The statement run on a new DB-API cursor: (its plan, the cursor, the arguments)."""
        plan = self._plan(conn.dialect, None if self._select else tuple(params), params)
        args = _arguments(plan, params)
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor: Any = raw.cursor()  # psycopg's or sqlite3's own: `prepare` is psycopg's
        try:
            if plan.psycopg:
                cursor.execute(plan.sql, args, prepare=True)
            else:
                cursor.execute(plan.sql, args)
        except conn.dialect.loaded_dbapi.Error as error:
            translated = _driver_error(conn, cursor, plan.sql, args, error)
            cursor.close()
            raise translated from error
        return plan, cursor, args

    def _fetch(
        self, conn: Connection, plan: _Plan, cursor: Any, args: Any
    ) -> list[tuple[Any, ...]]:
        try:
            # Only what the statement selects or returns explicitly: PostgreSQL's INSERT
            # may carry an implicit RETURNING of its key that nobody asked for.
            if not plan.columns:
                return []
            # In a pipeline (`pipelined`) the fetch waits for this and every earlier
            # statement, and raises their errors.
            fetched = cursor.fetchall()
        except conn.dialect.loaded_dbapi.Error as error:
            raise _driver_error(conn, cursor, plan.sql, args, error) from error
        results = plan.results
        if results is None:
            results = plan.results = tuple(
                type_.dialect_impl(conn.dialect).result_processor(conn.dialect, desc[1])
                for type_, desc in zip(plan.columns, cursor.description, strict=True))
        if not any(results):  # no column needs converting
            return [tuple(row) for row in fetched]
        return [tuple(p(v) if p else v for p, v in zip(results, row, strict=True))
                for row in fetched]

    def first(self, conn: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        found = self.rows(conn, params)
        return found[0] if found else None

    def many(self, conn: Connection, params: Sequence[Mapping[str, Any]]) -> None:
        """Run once per parameter set (``executemany``); all sets have the same keys."""
        if not params:
            return
        plan = self._plan(conn.dialect, tuple(params[0]), params[0])
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        args = [_arguments(plan, p) for p in params]
        try:
            cursor.executemany(plan.sql, args)
        except conn.dialect.loaded_dbapi.Error as error:
            raise _driver_error(conn, cursor, plan.sql, args, error) from error
        finally:
            cursor.close()

    def _plan(
        self, dialect: Dialect, keys: tuple[str, ...] | None, params: Mapping[str, Any]
    ) -> _Plan:
        # Threads may race to build the same plan; both build the same one, and the dict
        # assignment is atomic, so no lock.
        cache_key = (dialect.name, keys)
        plan = self._plans.get(cache_key)
        if plan is None:
            plan = _compile(self.stmt, dialect, keys, params)
            self._plans[cache_key] = plan
        return plan


def _is_select(stmt: ClauseElement) -> bool:
    return bool(getattr(stmt, "is_select", False))


def _compile(
    stmt: ClauseElement, dialect: Dialect, keys: tuple[str, ...] | None,
    params: Mapping[str, Any],
) -> _Plan:
    """The statement's plan, from SQLAlchemy's documented API only: the compiled SQL text,
    `construct_expanded_state` for the parameters' order and the statement's constants (the
    values a call does not supply), and the bind parameters' types for their processors.
    ``params``: a call's parameters (which names a call supplies)."""
    _refuse_python_defaults(stmt, keys)
    compiled = stmt.compile(dialect=dialect, column_keys=list(keys) if keys else None)
    assert isinstance(compiled, SQLCompiler)
    state = compiled.construct_expanded_state(params)
    if state.statement != compiled.string:  # an expanding IN list: its SQL differs per call
        raise ValueError("statements with expanding or literal-execute parameters need "
                         "Connection.execute")
    positional = state.positiontup is not None
    names = tuple(state.positiontup) if state.positiontup is not None else tuple(state.parameters)
    binds: list[tuple[str, Processor]] = []
    constants: dict[str, Any] = {}
    for name in names:
        processor = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
        if name in params:
            binds.append((name, processor))
        else:
            value = state.parameters[name]
            constants[name] = processor(value) if processor else value
    columns = tuple(column.type for column in _result_columns(stmt))
    return _Plan(compiled.string, positional, names, tuple(binds), constants, columns,
                 dialect.driver == "psycopg")


def _refuse_python_defaults(stmt: ClauseElement, keys: tuple[str, ...] | None) -> None:
    """An INSERT or UPDATE that leaves out a column whose default (or update value) SQLAlchemy
    computes in Python would store NULL here: refused when the plan is built."""
    table = getattr(stmt, "table", None)
    inserts, updates = getattr(stmt, "is_insert", False), getattr(stmt, "is_update", False)
    # INSERT ... FROM SELECT: SQLAlchemy puts the defaults of the other columns in the SELECT.
    from_select = getattr(stmt, "select", None) is not None
    if keys is None or table is None or not (inserts or updates) or from_select:
        return
    for column in table.c:
        default = column.default if inserts else column.onupdate
        if default is not None and column.key not in keys and not column.primary_key:
            raise ValueError(f"the column default of {column.key} would be computed in "
                             "Python: supply every column")


def _result_columns(stmt: ClauseElement) -> Iterable[Any]:
    if _is_select(stmt):
        return list(stmt.selected_columns)  # type: ignore[attr-defined]
    # DML: its RETURNING columns, when it has them (none otherwise)
    return list(getattr(stmt, "exported_columns", ()))


def _arguments(plan: _Plan, params: Mapping[str, Any]) -> Any:
    values = dict(plan.constants)
    for name, processor in plan.binds:
        value = params[name]
        values[name] = processor(value) if processor else value
    if plan.positional:
        return tuple(values[name] for name in plan.names)
    return values


def pipelined(conn: Connection) -> AbstractContextManager[object]:
    """Send the block's statements without waiting for each one's answer: PostgreSQL's pipeline
    mode (psycopg's ``Connection.pipeline``); on SQLite, which has no round trips, nothing.

    Each statement on PostgreSQL is a round trip, and the worker thread waits it out: under
    load a turn spent most of its time in seven of them. In a pipeline, statements whose result
    nobody reads (INSERT, UPDATE) go out at once; a fetch (a SELECT, a RETURNING) waits for its
    own result and every earlier one, and the block's end waits for the rest. An error of any
    of them is raised at that point, as SQLAlchemy's type.

    Only `Prepared` statements belong inside: the ORM reads ``rowcount`` right after an UPDATE,
    which a pipeline does not know yet."""
    pipeline = getattr(conn.connection.dbapi_connection, "pipeline", None)
    return nullcontext() if pipeline is None else _pipeline(conn, pipeline)


@contextmanager
def _pipeline(conn: Connection, pipeline: Callable[[], Any]) -> Iterator[None]:
    try:
        with pipeline():
            yield
    except conn.dialect.loaded_dbapi.Error as error:  # reported at the block's end
        raise _driver_error(conn, None, "-- pipeline sync", None, error) from error


def _driver_error(
    conn: Connection, cursor: Any, sql: str, args: Any, error: Any
) -> exc.StatementError:
    """A driver error as Connection.execute raises it: a lost connection (PostgreSQL
    restarted) is invalidated, so the pool never hands it out again, and the error is
    SQLAlchemy's type (OperationalError, IntegrityError), so callers catch one family.
    (A plain try/except at each call: a context manager here cost ~1.6 µs a statement.)"""
    dialect = conn.dialect
    lost = dialect.is_disconnect(error, conn.connection.dbapi_connection, cursor)
    if lost:
        conn.invalidate(error)
    return exc.DBAPIError.instance(sql, args, error, dialect.loaded_dbapi.Error,
                                   dialect=dialect, connection_invalidated=lost)
