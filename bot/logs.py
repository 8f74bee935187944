"""Logging set-up. Secrets and message bodies never reach the logs (invariant 5).

``LOG_FORMAT=text`` (the default) writes the lines people read in a terminal; ``json`` writes one
JSON object per line for a log shipper: ``time`` (ISO 8601, UTC), ``level``, ``logger``,
``message``, ``request_id`` when the line belongs to a request (`bot.request_ids`: the webhook,
its turn and the sends it queued), and the structured fields the code passes with ``extra=``.
Both formats carry the request id. uvicorn's own loggers (its errors and, with ``ACCESS_LOG``,
one line per request) go through the same handler; access lines never show a query string.

A stdlib `logging.Formatter` is enough for this: structlog would add a second logging API to a
codebase that logs through the stdlib everywhere, and its processors buy nothing here.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from typing import Any, Literal

from bot import request_ids

LogFormat = Literal["text", "json"]

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s%(request_suffix)s"

# What every LogRecord has: anything else on a record came from ``extra=`` and is a field.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message", "asctime", "request_id", "request_suffix", "taskName", "color_message"}


class RequestIdFilter(logging.Filter):
    """Puts the bound request id on each record (unless the code named one itself). A filter on
    the handler, so records of every logger (uvicorn's, libraries') get it."""

    def filter(self, record: logging.LogRecord) -> bool:
        rid = getattr(record, "request_id", None)
        if rid is None:
            rid = record.request_id = request_ids.current()
        record.request_suffix = f" [request {rid}]" if rid else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line. Written for its cost: a few lines per webhook, so at INFO
    every microsecond here is paid several times per message (bench/inbound.py --logs json)."""

    def __init__(self) -> None:
        super().__init__()
        # One encoder for every line (json.dumps with arguments builds a new one per call).
        # default=str: an extra that is not JSON (a datetime, an enum) is written as its text.
        self._encode = json.JSONEncoder(default=str, ensure_ascii=False).encode
        self._second: int | None = None
        self._second_text = ""

    def _time(self, created: float) -> str:
        """ISO 8601 in UTC with milliseconds; the part up to the second is made once a second."""
        second = int(created)
        if second != self._second:
            self._second = second
            self._second_text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return f"{self._second_text}.{int((created - second) * 1000):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self._time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None)
        if rid:
            entry["request_id"] = rid
        for key, value in record.__dict__.items():
            # An extra never replaces one of the fields above (a "level" extra would).
            if key not in _STANDARD and key not in entry and key[0] != "_":
                entry[key] = value
        if record.exc_info:
            # Type and frames only, as bot.outbox logs errors: an exception's text can quote a
            # body, or a URL with a token in it.
            exc_type, _exc, tb = record.exc_info
            entry["exc_type"] = exc_type.__name__ if exc_type else None
            entry["traceback"] = "".join(traceback.format_tb(tb)).rstrip()
        return self._encode(entry)


class QuerylessAccess(logging.Filter):
    """uvicorn's access lines without the query string: `?token=…` or a signed link's
    parameters must not reach the logs. uvicorn passes (client, method, path with query,
    http version, status) as the record's args. On the handler, so it holds however uvicorn
    configures its own loggers."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if (record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5
                and isinstance(args[2], str)):
            path = args[2].partition("?")[0]
            record.args = (args[0], args[1], path, args[3], args[4])
            record.method, record.path, record.status = args[1], path, args[4]
        return True


def make_handler(log_format: LogFormat, stream: Any = None) -> logging.Handler:
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(QuerylessAccess())
    handler.setFormatter(JsonFormatter() if log_format == "json"
                         else logging.Formatter(TEXT_FORMAT))
    return handler


def configure_logging(level: str, log_format: LogFormat = "text") -> None:
    """The root logger's handler in the chosen format; uvicorn's loggers hand their lines to
    it (see `uvicorn_log_config`). As `logging.basicConfig`, a process whose logging someone
    else set up already (a test runner running `serve` in-process) keeps its own handlers."""
    root = logging.getLogger()
    root.setLevel(level)
    if not root.handlers:
        root.addHandler(make_handler(log_format))
        # Neither format shows the process, thread or source line of a call, and finding
        # them is most of the cost of a record (the logging HOWTO's "Optimization"
        # switches): a few lines per webhook at INFO should cost the service little
        # (bench/inbound.py --logs).
        logging.logProcesses = logging.logThreads = logging.logMultiprocessing = False
        logging._srcfile = None  # type: ignore[attr-defined]  # the HOWTO's switch for call sites
    # httpx logs every request URL at INFO, and Telegram's URLs contain the bot token.
    # python-telegram-bot's Bot logger prints request parameters (message bodies) at DEBUG.
    for noisy in ("httpx", "httpcore", "apscheduler", "telegram"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))


def uvicorn_log_config(level: str) -> dict[str, Any]:
    """uvicorn's ``log_config``: its loggers keep no handler of their own and propagate to the
    root's (set up by `configure_logging`), so their lines share its format and request id."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "loggers": {
            name: {"handlers": [], "level": level, "propagate": True}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
        },
    }
