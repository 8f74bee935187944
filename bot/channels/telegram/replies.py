"""The few sentences the Telegram bot says on its own, outside any check-in: to a chat that is
not enrolled, on binding an invite, on a failed invite, and to media with no words."""

from __future__ import annotations

# Flow wording lives in the flow files; these are the bot's own.
REPLIES: dict[str, dict[str, str]] = {
    "not_enrolled": {
        "en": "This bot is only for enrolled program members. Please ask your program staff "
              "for an invite link.",
        "es": "Este bot es solo para participantes inscritos del programa. Pide un enlace de "
              "invitación al personal del programa.",
    },
    "connected": {
        "en": "Hi {name}, you're connected. Your check-ins will come here. Reply HELP any time.",
        "es": "Hola {name}, ya estás conectado/a. Tus chequeos llegarán aquí. Responde AYUDA "
              "cuando quieras.",
    },
    "invite_failed": {
        "en": "That invite link has expired or was already used. Please ask your program staff "
              "for a new one.",
        "es": "Ese enlace de invitación venció o ya se usó. Pide uno nuevo al personal del "
              "programa.",
    },
    "text_only": {
        "en": "Please answer with text.",
        "es": "Por favor responde con texto.",
    },
}


def bot_says(which: str, language: str | None, **values: str) -> str:
    """One of `REPLIES` in `language` (falling back to English), with {placeholders} filled."""
    by_lang = REPLIES[which]
    lang = (language or "en").split("-")[0].lower()
    template = by_lang.get(lang, by_lang["en"])
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template
