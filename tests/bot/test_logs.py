"""The log formats (`bot.logs`): LOG_FORMAT=json gives one JSON object per line with the
request id and the structured fields; text keeps its lines with the id at the end; uvicorn's
access lines lose their query strings; an exception's text never reaches a JSON line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot import request_ids
from bot.logs import LogFormat, make_handler, uvicorn_log_config

Emit = tuple[logging.Logger, dict[LogFormat, io.StringIO]]


@pytest.fixture
def emit() -> Iterator[Emit]:
    """A logger writing through both formats' handlers; what each wrote."""
    logger = logging.getLogger("tests.logs")
    streams: dict[LogFormat, io.StringIO] = {"json": io.StringIO(), "text": io.StringIO()}
    handlers = [make_handler(kind, stream) for kind, stream in streams.items()]
    for handler in handlers:
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield logger, streams
    finally:
        for handler in handlers:
            logger.removeHandler(handler)
        logger.propagate = True


def _json(streams: dict[LogFormat, io.StringIO]) -> list[dict[str, object]]:
    return [json.loads(line) for line in streams["json"].getvalue().splitlines()]


def test_a_json_line_has_time_level_logger_message_id_and_fields(emit: Emit) -> None:
    logger, streams = emit
    with request_ids.bound("rid-1"):
        logger.info("send %d done", 7, extra={"message_id": 7, "lane": "urgent"})
    logger.warning("outside any request")
    first, second = _json(streams)
    assert first["message"] == "send 7 done" and first["level"] == "INFO"
    assert first["logger"] == "tests.logs" and first["request_id"] == "rid-1"
    assert (first["message_id"], first["lane"]) == (7, "urgent")
    assert str(first["time"]).endswith("Z") and "T" in str(first["time"])
    assert "request_id" not in second and second["level"] == "WARNING"
    text = streams["text"].getvalue().splitlines()
    assert text[0].endswith("tests.logs: send 7 done [request rid-1]")
    assert text[1].endswith("tests.logs: outside any request")


def test_an_extra_cannot_replace_a_base_field(emit: Emit) -> None:
    logger, streams = emit
    logger.info("raised", extra={"level": "urgent", "logger": "x", "time": "then"})
    [entry] = _json(streams)
    assert (entry["level"], entry["logger"]) == ("INFO", "tests.logs")
    assert entry["time"] != "then"


def test_an_exception_is_logged_by_type_and_frames_never_its_text(emit: Emit) -> None:
    logger, streams = emit
    words = "".join(["he h", "urt me, call +1312555", "0143"])  # not in any source line
    try:
        raise ValueError(f"the body: {words}")
    except ValueError:
        logger.exception("turn failed")
    [entry] = _json(streams)
    assert entry["exc_type"] == "ValueError" and "test_logs.py" in str(entry["traceback"])
    assert "hurt" not in streams["json"].getvalue()
    assert "3125550143" not in streams["json"].getvalue()


def test_a_value_json_cannot_hold_is_written_as_text(emit: Emit) -> None:
    logger, streams = emit
    logger.info("odd", extra={"obj": object()})
    [entry] = _json(streams)
    assert str(entry["obj"]).startswith("<object object")


def test_uvicorn_access_lines_lose_their_query_string(emit: Emit) -> None:
    logger, streams = emit
    access = logging.getLogger("uvicorn.access")
    for handler in logger.handlers:
        access.addHandler(handler)
    access.propagate, access.disabled = False, False
    access.setLevel(logging.INFO)
    try:
        access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET",
                    "/login?token=s3cret&next=/queue", "1.1", 200)
    finally:
        for handler in logger.handlers:
            access.removeHandler(handler)
        access.propagate = True
    [entry] = _json(streams)
    assert entry["message"] == '127.0.0.1:5000 - "GET /login HTTP/1.1" 200'
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/login", 200)
    assert "s3cret" not in streams["text"].getvalue() + streams["json"].getvalue()


def test_uvicorn_loggers_hand_their_lines_to_the_root_handler() -> None:
    config = uvicorn_log_config("INFO")
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        assert config["loggers"][name] == {"handlers": [], "level": "INFO", "propagate": True}
    assert config["disable_existing_loggers"] is False
