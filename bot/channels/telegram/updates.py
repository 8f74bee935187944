"""Shapes of Telegram messages: recognising a plain answer in an update, the words of a message,
and cutting a long body into parts Telegram accepts. Pure functions, no client."""

from __future__ import annotations

from typing import Any

from telegram import Message

MAX_MESSAGE_LENGTH = 4096  # Telegram's limit for one text message (counted here in UTF-16 units)


def plain_text_message(data: dict[str, Any]) -> tuple[int, int, str] | None:
    """(update_id, chat_id, text) when ``data`` is a text message in a private chat that is
    not a command, else None.

    Nearly every update a check-in gets is one: an answer. For those the webhook calls
    `_on_text`'s work directly instead of building PTB's `Update` and dispatching it; measured
    on the benchmark's service, `Update.de_json` and `process_update` cost ~1 ms of CPU per
    update, more than the turn's transaction. Everything else (``/start``, other commands,
    edits, groups, stickers, anything not shaped as expected) goes through PTB's handlers, so
    the two paths route alike: a test compares them on generated updates."""
    update_id = data.get("update_id")
    message = data.get("message")
    if type(update_id) is not int or type(message) is not dict or len(data) != 2:
        return None
    chat, text = message.get("chat"), message.get("text")
    if type(chat) is not dict or type(text) is not str or not text or text.startswith("/"):
        return None
    chat_id = chat.get("id")
    if (type(chat_id) is not int or chat.get("type") != "private"
            or type(message.get("message_id")) is not int or type(message.get("date")) is not int):
        return None
    entities = message.get("entities")
    if entities is not None and (type(entities) is not list or any(
            type(e) is not dict or e.get("type") == "bot_command" for e in entities)):
        return None  # PTB's CommandHandler reads commands from the entities, not the text
    return update_id, chat_id, text


def words_of(message: Message | None) -> str | None:
    """What a person wrote in ``message``: its text, or the caption under its media."""
    if message is None:
        return None
    return message.text if message.text is not None else message.caption


def split_message(body: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Cut `body` into parts Telegram accepts, at a line break or space where one is near."""
    parts: list[str] = []
    rest = body
    while _utf16_len(rest) > limit:
        cut = _prefix_within(rest, limit)
        window = rest[:cut]
        brk = max(window.rfind("\n"), window.rfind(" "))
        if brk > cut // 2:
            cut = brk + 1
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    parts.append(rest)
    return [p for p in parts if p] or [body]


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _prefix_within(text: str, limit: int) -> int:
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return max(i, 1)
    return len(text)
