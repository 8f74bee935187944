"""The security suite drives the dashboard and the webhooks with the fixtures their own test
folders use: the in-process dashboard (`dash`, both databases), the browser (`live`, `page`),
and argon2 at a cheap cost (what is tested is who may do what, not the hash's cost)."""

# tests.dashboard.conftest first: it imports the browser module at its end.
from tests.dashboard.conftest import (  # noqa: F401, I001
    _cheap_password_hashing,
    dash,
    sqlite_dash,
)
from tests.dashboard.browser import _browser, live, page, phone_page  # noqa: F401
