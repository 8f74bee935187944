"""Telegram through python-telegram-bot (webhook mode in production, polling for local use).

- `adapter`: the PTB `Application` (handlers for `/start <code>`, answers, edits, media) and
  sending, mapped onto the outbox's three outcomes; paced by PTB's `AIORateLimiter`.
- `webhook`: `POST /webhooks/telegram`, authenticated by the secret token.
- `http`: PTB's transport on aiohttp; `updates`: message shapes; `replies`: the bot's own words.
- `channel`: the registry entry (configured by `TELEGRAM_BOT_TOKEN`).
"""
