"""Putting the DATA_KEYS setting to work: the process's keyring for stored words.

Production without keys never gets here (`bot.settings` refuses it). In development without
keys, words are stored as plaintext, with one warning at start and a line in `checkin doctor`:
`make run` on a fresh clone must work, and a key generated into a local .env would be a secret
whose loss (a deleted .env, a fresh clone beside the old database) makes the data unreadable,
which is worse for a demo than plaintext that says so.
"""

from __future__ import annotations

import logging

from bot.settings import Settings
from storage import crypto

log = logging.getLogger(__name__)
_warned = False  # `checkin serve` installs twice (migrations, then the app): one warning

PLAINTEXT_WARNING = ("DATA_KEYS is not set: message bodies, answers and evidence are stored "
                     "unencrypted (development only; make a key with `checkin keys new`)")


def install(settings: Settings) -> crypto.Keyring | None:
    """Configure this process's keyring from `settings`; warn once when there is none."""
    global _warned
    ring = crypto.configure(settings.data_key_list)
    if ring is None and not _warned:
        _warned = True
        log.warning(PLAINTEXT_WARNING)
    return ring


def status_line(settings: Settings) -> str:
    """One line for `checkin doctor`."""
    keys = settings.data_key_list
    if not keys:
        return "Encryption at rest: OFF. " + PLAINTEXT_WARNING
    return (f"Encryption at rest: on ({len(keys)} key{'s' if len(keys) != 1 else ''}; "
            "the first encrypts)")
