"""Accessibility basics on every page an admin can open: each form field has a label, each
button and link has a name, each page has one h1 and a language. Pages are found by walking the
route table (GET routes without path parameters, plus one record of each kind)."""

from __future__ import annotations

from html.parser import HTMLParser

from storage.models import Channel, Role
from tests.dashboard.conftest import Dash
from tests.dashboard.queue_builders import checkin
from tests.dashboard.test_security import _routes


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.h1 = 0
        self.lang: str | None = None
        self.in_label = 0
        self.open_buttons: list[dict[str, object]] = []
        self.empty_buttons: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "h1":
            self.h1 += 1
        if tag == "label":
            self.in_label += 1
            if a.get("for"):
                self.label_for.add(a["for"] or "")
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.fields.append({**a, "_wrapped": "yes" if self.in_label else None})
        if tag == "button":
            self.open_buttons.append({"attrs": a, "text": ""})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self.in_label:
            self.in_label -= 1
        if tag == "button" and self.open_buttons:
            button = self.open_buttons.pop()
            attrs = button["attrs"]
            assert isinstance(attrs, dict)
            if not str(button["text"]).strip() and not attrs.get("aria-label"):
                self.empty_buttons.append(str(attrs))

    def handle_data(self, data: str) -> None:
        for button in self.open_buttons:
            button["text"] = str(button["text"]) + data


def _unlabelled(page: _Page) -> list[str]:
    bad = []
    for field in page.fields:
        named = (field.get("_wrapped") or field.get("aria-label") or field.get("aria-labelledby")
                 or (field.get("id") and field.get("id") in page.label_for))
        if not named:
            bad.append(str({k: v for k, v in field.items() if not k.startswith("_")}))
    return bad


def test_every_page_has_labelled_fields_named_buttons_and_one_heading(sqlite_dash: Dash) -> None:
    dash = sqlite_dash
    dash.staff(Role.admin, "ada")
    mentee = dash.person(Role.mentee, "Ana Torres", channel=Channel.web, address="web-ana")
    with dash.db() as db:
        checkin(db, dash.ctx.flows, mentee, ["2", "1"], dash.clock())
    dash.login("ada")
    paths = sorted({route.path for route in _routes(dash.client.app.routes)  # type: ignore[attr-defined]
                    if "GET" in (route.methods or ()) and "{" not in route.path
                    and not route.path.startswith(("/webhooks", "/healthz", "/logout"))
                    and not route.path.endswith(".csv")})
    paths += [f"/mentees/{mentee.id}", f"/people/{mentee.id}", "/escalations/1",
              f"/simulator/{mentee.id}"]
    checked = []
    for path in paths:
        response = dash.client.get(path)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        assert response.status_code == 200, (path, response.status_code)
        if path == "/queue/rows":
            continue  # a fragment, shown inside /queue
        page = _Page()
        page.feed(response.text)
        assert page.lang == "en", path
        assert page.h1 == 1, (path, page.h1)
        assert _unlabelled(page) == [], path
        assert page.empty_buttons == [], path
        checked.append(path)
    assert {"/queue", "/people", "/settings", "/delivery", "/simulator"} <= set(checked)
