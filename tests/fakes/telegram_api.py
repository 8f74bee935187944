"""A fake Telegram Bot API server that the real python-telegram-bot (v22) talks to.

How PTB builds requests (checked against telegram/_bot.py and telegram/request/ in v22.8):

* ``Bot(token, base_url=...)``: if ``base_url`` contains ``{token}`` it is formatted with the
  token, otherwise the token is appended: ``base_url + token``. Every call is then
  ``POST {that}/{method}``. So use ``base_url=f"{srv.url}/bot"`` (or
  ``f"{srv.url}/bot{{token}}"``); ``base_file_url`` works the same (``f"{srv.url}/file/bot"``).
* Parameters go as ``application/x-www-form-urlencoded`` (multipart only when uploading files).
  Each value is the JSON encoding of the argument, except that plain strings are sent raw:
  ``chat_id=42``, ``text=hi``, ``reply_markup={"inline_keyboard": ...}``, ``timeout=10``.
  This fake also accepts JSON bodies and query strings.
* Replies: ``{"ok": true, "result": ...}`` with a 2xx status. For any other status PTB reads
  ``description`` and raises, by *HTTP status*: any ``parameters.retry_after`` ->
  ``telegram.error.RetryAfter`` (whatever the status), 403 -> ``Forbidden``, 400 -> ``BadRequest``,
  401/404 -> ``InvalidToken``, 409 -> ``Conflict``, everything else (502...) -> ``NetworkError``.
  ``RetryAfter.retry_after`` is an int (with a PTBDeprecationWarning) unless ``PTB_TIMEDELTA=1``,
  in which case it is a ``timedelta``.

``FakeTelegram`` is itself an ASGI app: ``LoopbackServer(FakeTelegram())``.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from tests.fakes.loopback_http import loopback_client

__all__ = [
    "SECRET_TOKEN_HEADER",
    "FakeTelegram",
    "make_callback_update",
    "make_text_update",
]

#: Header Telegram sends with each webhook POST when ``secret_token`` was set.
SECRET_TOKEN_HEADER = "X-Telegram-Bot-Api-Secret-Token"

_INT_FIELDS = frozenset(
    {
        "chat_id",
        "offset",
        "limit",
        "timeout",
        "max_connections",
        "message_id",
        "message_thread_id",
        "reply_to_message_id",
    }
)
_BOOL_FIELDS = frozenset(
    {
        "drop_pending_updates",
        "disable_notification",
        "protect_content",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "show_alert",
    }
)
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "allowed_updates",
        "entities",
        "reply_parameters",
        "link_preview_options",
        "commands",
        "scope",
    }
)
_CHAT_METHODS = frozenset({"sendMessage", "sendChatAction"})
_TRUE_METHODS = frozenset(
    {"sendChatAction", "answerCallbackQuery", "setMyCommands", "deleteMyCommands"}
)
_MAX_TEXT = 4096


def _coerce(name: str, value: Any) -> Any:
    """Turn a PTB form value (JSON-encoded unless a plain string) into a Python value."""
    if not isinstance(value, str):
        return value
    if name in _INT_FIELDS:
        try:
            return int(value)
        except ValueError:
            return value  # e.g. "@channelusername"
    if name in _BOOL_FIELDS:
        return value.lower() == "true"
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _command_entities(text: str) -> list[dict[str, Any]]:
    if not text.startswith("/"):
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}]


def _user(chat_id: int, first_name: str, username: str | None, language_code: str | None) -> dict:
    user: dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": first_name}
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def _private_chat(chat_id: int, first_name: str, username: str | None) -> dict[str, Any]:
    chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": first_name}
    if username:
        chat["username"] = username
    return chat


def make_text_update(
    update_id: int,
    chat_id: int,
    text: str,
    first_name: str = "Ana",
    username: str | None = None,
    *,
    message_id: int | None = None,
    date: int | None = None,
    language_code: str | None = "en",
) -> dict[str, Any]:
    """An ``Update`` dict for a private text message, as Telegram would send it.

    ``/start CODE`` (any text starting with ``/``) gets a ``bot_command`` entity so PTB's
    ``CommandHandler`` matches it and ``context.args == ["CODE"]``.
    """
    message: dict[str, Any] = {
        "message_id": message_id if message_id is not None else update_id,
        "from": _user(chat_id, first_name, username, language_code),
        "chat": _private_chat(chat_id, first_name, username),
        "date": date if date is not None else int(time.time()),
        "text": text,
    }
    entities = _command_entities(text)
    if entities:
        message["entities"] = entities
    return {"update_id": update_id, "message": message}


# What Telegram puts in a message for each kind of media (only the fields PTB requires).
_MEDIA: dict[str, Any] = {
    "photo": [{"file_id": "p1", "file_unique_id": "up1", "width": 90, "height": 60},
              {"file_id": "p2", "file_unique_id": "up2", "width": 1280, "height": 853}],
    "video": {"file_id": "v1", "file_unique_id": "uv1", "width": 640, "height": 360,
              "duration": 12},
    "document": {"file_id": "d1", "file_unique_id": "ud1", "file_name": "note.pdf"},
    "voice": {"file_id": "o1", "file_unique_id": "uo1", "duration": 4},
    "audio": {"file_id": "a1", "file_unique_id": "ua1", "duration": 180},
    "animation": {"file_id": "g1", "file_unique_id": "ug1", "width": 320, "height": 240,
                  "duration": 3},
    "sticker": {"file_id": "s1", "file_unique_id": "us1", "type": "regular", "width": 512,
                "height": 512, "is_animated": False, "is_video": False},
    "location": {"latitude": 41.88, "longitude": -87.63},
}
MEDIA_KINDS = tuple(_MEDIA)
CAPTIONED_KINDS = ("photo", "video", "document", "voice", "audio", "animation")


def make_media_update(
    update_id: int,
    chat_id: int,
    kind: str = "photo",
    caption: str | None = None,
    first_name: str = "Ana",
    *,
    message_id: int | None = None,
    date: int | None = None,
    language_code: str | None = "en",
) -> dict[str, Any]:
    """An ``Update`` dict for a private message carrying media of ``kind`` (see `MEDIA_KINDS`),
    with ``caption`` under it when given (Telegram allows one on `CAPTIONED_KINDS`)."""
    message: dict[str, Any] = {
        "message_id": message_id if message_id is not None else update_id,
        "from": _user(chat_id, first_name, None, language_code),
        "chat": _private_chat(chat_id, first_name, None),
        "date": date if date is not None else int(time.time()),
        kind: _MEDIA[kind],
    }
    if caption is not None:
        message["caption"] = caption
    return {"update_id": update_id, "message": message}


def make_edited_update(
    update_id: int,
    chat_id: int,
    text: str,
    *,
    message_id: int,
    caption_of: str | None = None,
    first_name: str = "Ana",
    language_code: str | None = "en",
    edit_delay: int = 30,
) -> dict[str, Any]:
    """An ``edited_message`` Update: message ``message_id`` of ``chat_id`` now reads ``text``.
    Telegram sends it with a new update_id and the original message_id and date. With
    ``caption_of`` (a media kind), it is the caption of that media that was edited."""
    date = int(time.time()) - edit_delay
    if caption_of is None:
        message = make_text_update(update_id, chat_id, text, first_name, message_id=message_id,
                                   date=date, language_code=language_code)["message"]
    else:
        message = make_media_update(update_id, chat_id, caption_of, text, first_name,
                                    message_id=message_id, date=date,
                                    language_code=language_code)["message"]
    message["edit_date"] = date + edit_delay
    return {"update_id": update_id, "edited_message": message}


def make_callback_update(
    update_id: int,
    chat_id: int,
    data: str,
    *,
    message_id: int = 1,
    message_text: str = "",
    first_name: str = "Ana",
    username: str | None = None,
    bot_id: int = 1000,
) -> dict[str, Any]:
    """An ``Update`` dict for a press on an inline keyboard button (``callback_query``)."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": str(update_id * 1000 + 7),
            "from": _user(chat_id, first_name, username, "en"),
            "chat_instance": str(-chat_id),
            "data": data,
            "message": {
                "message_id": message_id,
                "from": {"id": bot_id, "is_bot": True, "first_name": "Peer Check-in"},
                "chat": _private_chat(chat_id, first_name, username),
                "date": int(time.time()),
                "text": message_text,
            },
        },
    }


def _error(status: int, description: str, retry_after: int | None = None) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return JSONResponse(body, status_code=status)


def _ok(result: Any, description: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"ok": True, "result": result}
    if description:
        body["description"] = description
    return JSONResponse(body)


_STATUS_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class FakeTelegram:
    """In-memory Bot API subset: getMe, sendMessage, sendChatAction, setWebhook,
    deleteWebhook, getWebhookInfo, getUpdates (+ answerCallbackQuery, setMyCommands,
    deleteMyCommands). Routes ``/bot{token}/{method}``, GET or POST. Thread-safe.

    Args:
        token: if given, other tokens get 401 "Unauthorized" (PTB: ``InvalidToken``);
            by default any token is accepted (and recorded in ``tokens``).
        bot_username / bot_name: what ``getMe`` answers.
        max_poll_timeout: cap (seconds) on how long ``getUpdates`` long-polls, so servers
            stop quickly.
    """

    def __init__(
        self,
        token: str | None = None,
        *,
        bot_username: str = "peer_checkin_bot",
        bot_name: str = "Peer Check-in",
        max_poll_timeout: float = 1.0,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_name = bot_name
        self.max_poll_timeout = max_poll_timeout
        self._lock = threading.RLock()
        self.app = Starlette(
            routes=[Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"])]
        )
        self._init_state()

    def _init_state(self) -> None:
        #: every successful sendMessage: chat_id, text, parse_mode, reply_markup, message_id,
        #: at (time.time()), params (all decoded parameters).
        self.sent: list[dict[str, Any]] = []
        #: every call: method, http_method, token, params, status, at.
        self.requests: list[dict[str, Any]] = []
        self.tokens: set[str] = set()
        #: from setWebhook: url, secret_token, allowed_updates, max_connections; None if unset.
        self.webhook: dict[str, Any] | None = None
        self._updates: list[dict[str, Any]] = []
        self._last_update_id = 0
        self._message_ids: dict[Any, int] = {}
        self._fail: list[tuple[str, int, int | None, str | None]] = []
        self._down = False
        self._blocked: set[Any] = set()
        self._bad: set[Any] = set()
        self._delay = 0.0

    # -- ASGI ---------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    # -- fault injection & control ------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything: messages, requests, faults, webhook, queued updates. Update ids
        keep increasing, as Telegram's do: a long poll still open from a previous test carries
        an `offset`, and reused ids below it would be discarded as already confirmed."""
        with self._lock:
            last_update_id = self._last_update_id
            self._init_state()
            self._last_update_id = last_update_id

    def fail_next(
        self,
        n: int,
        status: int = 429,
        retry_after: int | None = 1,
        *,
        method: str = "sendMessage",
        description: str | None = None,
    ) -> None:
        """The next ``n`` calls of ``method`` answer ``status``. A 429 carries
        ``parameters.retry_after`` (PTB raises ``RetryAfter``); other statuses never do (PTB
        maps them by status: 400 BadRequest, 403 Forbidden, 5xx NetworkError)."""
        if status == 429:
            ra: int | None = retry_after if retry_after is not None else 1
            desc = description or f"Too Many Requests: retry after {ra}"
        else:
            ra = None
            desc = description or _STATUS_TEXT.get(status, f"Error {status}")
        with self._lock:
            self._fail.extend([(method, status, ra, desc)] * n)

    def set_down(self, down: bool = True) -> None:
        """While down, every method answers 502 Bad Gateway (PTB: ``NetworkError``)."""
        with self._lock:
            self._down = down

    def block_chat(self, chat_id: int | str) -> None:
        """Messages to this chat answer 403 "Forbidden: bot was blocked by the user"."""
        with self._lock:
            self._blocked.add(_coerce("chat_id", chat_id))

    def unblock_chat(self, chat_id: int | str) -> None:
        with self._lock:
            self._blocked.discard(_coerce("chat_id", chat_id))

    def bad_chat(self, chat_id: int | str) -> None:
        """Messages to this chat answer 400 "Bad Request: chat not found"."""
        with self._lock:
            self._bad.add(_coerce("chat_id", chat_id))

    def delay(self, seconds: float) -> None:
        """Wait this long before answering every request (0 to turn off)."""
        with self._lock:
            self._delay = float(seconds)

    # -- updates for polling mode / webhook delivery ------------------------------------------

    def next_update_id(self) -> int:
        with self._lock:
            self._last_update_id += 1
            return self._last_update_id

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an Update for ``getUpdates``."""
        with self._lock:
            self._last_update_id = max(self._last_update_id, int(update["update_id"]))
            self._updates.append(update)
        return update

    def push_media(self, chat_id: int, kind: str = "photo", caption: str | None = None,
                   **kwargs: Any) -> dict[str, Any]:
        """Queue a media message from ``chat_id`` (see ``make_media_update``)."""
        return self.push_update(make_media_update(self.next_update_id(), chat_id, kind, caption,
                                                  **kwargs))

    def push_edit(self, chat_id: int, text: str, *, message_id: int,
                  **kwargs: Any) -> dict[str, Any]:
        """Queue an edit of message ``message_id`` (see ``make_edited_update``)."""
        return self.push_update(make_edited_update(self.next_update_id(), chat_id, text,
                                                   message_id=message_id, **kwargs))

    def push_text(self, chat_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        """Queue a text message from ``chat_id`` (see ``make_text_update`` for kwargs)."""
        return self.push_update(make_text_update(self.next_update_id(), chat_id, text, **kwargs))

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._updates)

    def _webhook_target(self) -> tuple[str, dict[str, str]]:
        with self._lock:
            if not self.webhook or not self.webhook.get("url"):
                raise RuntimeError("no webhook set (call setWebhook first)")
            headers = {"Content-Type": "application/json"}
            if self.webhook.get("secret_token"):
                headers[SECRET_TOKEN_HEADER] = self.webhook["secret_token"]
            return self.webhook["url"], headers

    def would_deliver(self, update: dict[str, Any]) -> bool:
        """Whether Telegram sends ``update`` to the webhook: only the update types named in
        setWebhook's ``allowed_updates`` (all of them when it named none)."""
        with self._lock:
            allowed = (self.webhook or {}).get("allowed_updates")
        return not allowed or any(kind in update for kind in allowed)

    def post_to_webhook(self, update: dict[str, Any], timeout: float = 10.0) -> int:
        """POST ``update`` to the URL from setWebhook, with the secret header, like Telegram
        does. Returns the HTTP status, or 0 when Telegram would not send an update of this
        type (not in ``allowed_updates``). (Only for loopback webhook URLs.)"""
        if not self.would_deliver(update):
            return 0
        url, headers = self._webhook_target()
        response = loopback_client().post(url, content=json.dumps(update), headers=headers, timeout=timeout)
        return response.status_code

    async def apost_to_webhook(self, update: dict[str, Any], http_timeout: float = 10.0) -> int:
        """Async ``post_to_webhook``."""
        url, headers = self._webhook_target()
        async with httpx.AsyncClient(timeout=http_timeout) as client:
            response = await client.post(url, content=json.dumps(update), headers=headers)
        return response.status_code

    # -- inspection helpers -------------------------------------------------------------------

    def sent_to(self, chat_id: int | str) -> list[dict[str, Any]]:
        chat_id = _coerce("chat_id", chat_id)
        with self._lock:
            return [m for m in self.sent if m["chat_id"] == chat_id]

    def texts_to(self, chat_id: int | str) -> list[str]:
        return [m["text"] for m in self.sent_to(chat_id)]

    def calls(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [r for r in self.requests if r["method"] == method]

    def wait_for(self, predicate: Callable[[FakeTelegram], bool], within: float = 5.0) -> bool:
        """Poll ``predicate(self)`` until true or ``within`` seconds; returns the last result."""
        deadline = time.monotonic() + within
        while True:
            with self._lock:
                if predicate(self):
                    return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)

    async def await_for(
        self, predicate: Callable[[FakeTelegram], bool], within: float = 5.0
    ) -> bool:
        """Async ``wait_for`` (does not block the event loop)."""
        deadline = time.monotonic() + within
        while True:
            with self._lock:
                if predicate(self):
                    return True
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.01)

    def wait_for_sent(self, n: int, within: float = 5.0) -> bool:
        """Wait until at least ``n`` messages were sent."""
        return self.wait_for(lambda fake: len(fake.sent) >= n, within)

    async def await_sent(self, n: int, within: float = 5.0) -> bool:
        return await self.await_for(lambda fake: len(fake.sent) >= n, within)

    # -- request handling ---------------------------------------------------------------------

    def bot_user(self, token: str | None = None) -> dict[str, Any]:
        """The bot's ``User``; its id is the numeric part of the token (as on Telegram)."""
        prefix = (token or self.token or "").split(":", 1)[0]
        bot_id = int(prefix) if prefix.isdigit() else 1000
        return {
            "id": bot_id,
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
        }

    async def _read_params(self, request: Request) -> dict[str, Any]:
        raw: dict[str, Any] = dict(request.query_params)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/json":
            body = await request.body()
            if body:
                data = json.loads(body)
                if isinstance(data, dict):
                    raw.update(data)
        elif content_type == "multipart/form-data":
            form = await request.form()
            raw.update({k: v for k, v in form.items() if isinstance(v, str)})
        else:
            body = await request.body()
            raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        return {k: _coerce(k, v) for k, v in raw.items()}

    async def _endpoint(self, request: Request) -> JSONResponse:
        token = request.path_params["token"]
        method = request.path_params["method"]
        try:
            params = await self._read_params(request)
        except (ValueError, UnicodeDecodeError):
            params = {}
            response = _error(400, "Bad Request: can't parse request body")
        else:
            with self._lock:
                delay = self._delay
            if delay:
                await asyncio.sleep(delay)
            if method == "getUpdates":
                response = await self._get_updates(token, params)
            else:
                with self._lock:
                    response = self._handle(token, method, params)
        with self._lock:
            self.tokens.add(token)
            self.requests.append(
                {
                    "method": method,
                    "http_method": request.method,
                    "token": token,
                    "params": params,
                    "status": response.status_code,
                    "at": time.time(),
                }
            )
        return response

    def _precheck(self, token: str, method: str, params: dict[str, Any]) -> JSONResponse | None:
        if self.token is not None and token != self.token:
            return _error(401, "Unauthorized")
        if self._down:
            return _error(502, "Bad Gateway")
        for i, (fail_method, status, retry_after, desc) in enumerate(self._fail):
            if fail_method == method:
                del self._fail[i]
                return _error(status, desc or "", retry_after)
        if method in _CHAT_METHODS:
            chat_id = params.get("chat_id")
            if chat_id in (None, ""):
                return _error(400, "Bad Request: chat_id is empty")
            if chat_id in self._blocked:
                return _error(403, "Forbidden: bot was blocked by the user")
            if chat_id in self._bad:
                return _error(400, "Bad Request: chat not found")
        return None

    def _handle(self, token: str, method: str, params: dict[str, Any]) -> JSONResponse:
        error = self._precheck(token, method, params)
        if error is not None:
            return error
        if method == "getMe":
            return _ok(
                {
                    **self.bot_user(token),
                    "can_join_groups": True,
                    "can_read_all_group_messages": False,
                    "supports_inline_queries": False,
                }
            )
        if method == "sendMessage":
            return self._send_message(token, params)
        if method in _TRUE_METHODS:
            return _ok(True)
        if method == "setWebhook":
            url = params.get("url", "")
            self.webhook = (
                {
                    "url": url,
                    "secret_token": params.get("secret_token"),
                    "allowed_updates": params.get("allowed_updates"),
                    "max_connections": params.get("max_connections"),
                }
                if url
                else None
            )
            if params.get("drop_pending_updates"):
                self._updates.clear()
            return _ok(True, "Webhook was set" if url else "Webhook was deleted")
        if method == "deleteWebhook":
            was_set = self.webhook is not None
            self.webhook = None
            if params.get("drop_pending_updates"):
                self._updates.clear()
            return _ok(True, "Webhook was deleted" if was_set else "Webhook is already deleted")
        if method == "getWebhookInfo":
            info: dict[str, Any] = {
                "url": (self.webhook or {}).get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
            if self.webhook:
                if self.webhook.get("max_connections"):
                    info["max_connections"] = self.webhook["max_connections"]
                if self.webhook.get("allowed_updates"):
                    info["allowed_updates"] = self.webhook["allowed_updates"]
            return _ok(info)
        return _error(404, "Not Found")

    def _send_message(self, token: str, params: dict[str, Any]) -> JSONResponse:
        chat_id = params["chat_id"]
        text = params.get("text")
        if not text:
            return _error(400, "Bad Request: message text is empty")
        if len(str(text)) > _MAX_TEXT:
            return _error(400, "Bad Request: message is too long")
        message_id = self._message_ids.get(chat_id, 0) + 1
        self._message_ids[chat_id] = message_id
        now = time.time()
        reply_markup = params.get("reply_markup")
        self.sent.append(
            {
                "chat_id": chat_id,
                "text": text,
                "parse_mode": params.get("parse_mode"),
                "reply_markup": reply_markup,
                "message_id": message_id,
                "at": now,
                "params": params,
            }
        )
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": self.bot_user(token),
            "chat": {"id": chat_id, "type": "private"},
            "date": int(now),
            "text": text,
        }
        if isinstance(reply_markup, dict) and "inline_keyboard" in reply_markup:
            message["reply_markup"] = reply_markup
        return _ok(message)

    async def _get_updates(self, token: str, params: dict[str, Any]) -> JSONResponse:
        offset = params.get("offset")
        limit = params.get("limit") or 100
        timeout = params.get("timeout") or 0
        wait = min(float(timeout) if isinstance(timeout, int) else 0.0, self.max_poll_timeout)
        deadline = time.monotonic() + wait
        while True:
            with self._lock:
                error = self._precheck(token, "getUpdates", {})
                if error is not None:
                    return error
                if self.webhook is not None:
                    return _error(
                        409,
                        "Conflict: can't use getUpdates method while webhook is active; "
                        "use deleteWebhook to delete the webhook first",
                    )
                if isinstance(offset, int):
                    # Telegram forgets updates below the offset (they are confirmed).
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                batch = list(self._updates[: max(1, min(int(limit), 100))])
            if batch or time.monotonic() >= deadline:
                return _ok(batch)
            await asyncio.sleep(0.02)
