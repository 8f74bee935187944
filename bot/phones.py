"""Phone numbers in E.164, so one person is one contact point however the number was typed."""

from __future__ import annotations

import phonenumbers


class BadPhoneNumber(ValueError):
    pass


def normalize_phone(raw: str, default_region: str = "US") -> str:
    try:
        number = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException as exc:
        raise BadPhoneNumber(f"'{raw}' is not a phone number ({exc})") from None
    if not phonenumbers.is_valid_number(number):
        raise BadPhoneNumber(
            f"'{raw}' is not a valid phone number for {default_region}; "
            "write it with the country code, e.g. +1 202 555 0143"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
