"""The production password hasher: argon2id at argon2-cffi's defaults (RFC 9106's low-memory
profile). The dashboard tests hash with a cheap cost; this checks what the service uses."""

from __future__ import annotations

from argon2 import PasswordHasher, Type, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY

from bot.dashboard import passwords


def test_the_service_hashes_with_argon2id_at_the_rfc_9106_low_memory_cost() -> None:
    hashed = passwords.hash_password("correct horse battery")
    params = extract_parameters(hashed)
    assert params.type is Type.ID
    assert (params.time_cost, params.memory_cost, params.parallelism) == (
        RFC_9106_LOW_MEMORY.time_cost, RFC_9106_LOW_MEMORY.memory_cost,
        RFC_9106_LOW_MEMORY.parallelism)
    assert passwords.verify(hashed, "correct horse battery")
    assert not passwords.verify(hashed, "correct horse battery!")
    assert not passwords.needs_rehash(hashed)


def test_a_hash_made_at_a_lower_cost_is_rehashed_at_the_next_login() -> None:
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    assert passwords.needs_rehash(cheap.hash("correct horse battery"))
