"""Importing people from a CSV file in a real browser: one bad row, a report naming it and
nobody added; fixed, everyone added."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from storage.models import Role
from tests.dashboard.browser import Live, login, needs_chromium, screenshot

pytestmark = needs_chromium

HEADER = "name,role,phone,language,timezone,mentor\n"
ROWS = [
    "Maria Lopez,mentor,+1 202 555 0143,es,America/Chicago,",
    "Ana Ruiz,mentee,(312) 555-0188,es,,Maria Lopez",
    "Ben Carter,mentee,{phone},en,,Maria Lopez",
    "Cara Diaz,mentee,,en,,Maria Lopez",
]


def _csv(ben_phone: str) -> bytes:
    return (HEADER + "\n".join(ROWS).format(phone=ben_phone) + "\n").encode()


def _upload(page: Any, content: bytes) -> None:
    page.get_by_label("CSV file").set_input_files(
        {"name": "people.csv", "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="Check and import").click()


def test_an_import_with_a_bad_row_adds_nobody_until_it_is_fixed(page: Any, live: Live) -> None:
    live.staff(Role.admin, "ada", name="Ada Admin")
    login(page, live, "ada")
    page.goto(live.url("/people"))
    page.get_by_role("link", name="Import from a CSV file").click()
    expect(page.get_by_role("heading", name="Import people from a CSV file")).to_be_visible()

    _upload(page, _csv(ben_phone="555-12"))  # row 4 (Ben) has a phone number that is not one
    report = page.get_by_role("alert")
    expect(report).to_contain_text("Nothing was imported: 1 problem to fix")
    bad_row = report.get_by_role("row", name="Row 4")
    expect(bad_row).to_contain_text("phone")
    expect(bad_row).to_contain_text("'555-12' is not a valid phone number")
    screenshot(page, "import-report")

    page.get_by_role("link", name="← People").click()
    expect(page).to_have_url(live.url("/people"))
    table = page.locator("main")
    for name in ("Maria Lopez", "Ana Ruiz", "Ben Carter", "Cara Diaz"):
        expect(table).not_to_contain_text(name)
    expect(page.get_by_text("1 person", exact=True)).to_be_visible()  # only the admin

    page.get_by_role("link", name="Import from a CSV file").click()
    _upload(page, _csv(ben_phone="+1 617 555 0101"))
    expect(page.get_by_role("heading", name="4 added")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("with 3 pairings and 4 check-in schedules")

    page.get_by_role("link", name="See everyone").click()
    for name in ("Maria Lopez", "Ana Ruiz", "Ben Carter", "Cara Diaz"):
        expect(page.get_by_role("link", name=name, exact=True).first).to_be_visible()
    page.get_by_role("link", name="Ana Ruiz", exact=True).first.click()
    expect(page.get_by_role("heading", name="Mentors")).to_be_visible()
    expect(page.get_by_role("link", name="Maria Lopez")).to_be_visible()
