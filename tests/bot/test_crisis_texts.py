"""The crisis reply per language: each mentee gets the program's text in their own language, and
a language without one gets the shipped text in that language, never another language's custom
text. Inside a check-in (started through the bulk start path, answered through the reply hot
path) and outside one (the general path)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from bot import texts
from bot.database import Database
from bot.flow_registry import load_configured_flows
from bot.runner import handle_inbound, start_checkin
from bot.settings import load_settings
from storage.models import Channel, Role
from storage.queries import people
from tests.bot.helpers import NOW, database_for, enrol, outbox

FLOWS = load_configured_flows(load_settings())
MENTEE_FLOW = FLOWS["mentee_checkin"]
EN_CRISIS = "Call the unit nurse on ext 4411, or text 988."
ES_CRISIS = "Llama a la enfermera, ext 4411, o escribe al 988."
ES_TOLD = "La enfermera Ruiz ya lo sabe."
DANGER = {"en": "i want to kill myself", "es": "quiero morir"}


@pytest.fixture
def database(db_url: str, engine: Engine) -> Database:
    return database_for(db_url, engine)


def _program_texts(database: Database, settings: dict[str, object]) -> None:
    with database.transaction() as db:
        program = people.get_program_by_name(db, "Hope House") or people.add_program(
            db, "Hope House", now=NOW)
        program.settings = dict(program.settings or {}, **settings)


def _mentee(database: Database, name: str, language: str, *, checkin: bool) -> str:
    with database.transaction() as db:
        person = enrol(db, Role.mentee, name, language=language)
        assert person.id is not None
        contact = people.contacts_for(db, person.id)[0]
        if checkin:
            assert start_checkin(db, FLOWS, person, "mentee_checkin", contact, NOW) is not None
        return contact.address


def _crisis_reply(database: Database, address: str, language: str) -> str:
    with database.transaction() as db:
        handle_inbound(db, FLOWS, channel=Channel.terminal, address=address,
                       text=DANGER[language], provider_id=f"in-{address}",
                       now=NOW + timedelta(minutes=1))
    with database.transaction() as db:
        [crisis] = [m for m in outbox(db, address) if m.kind == "crisis"]
        assert crisis.body is not None
        return crisis.body


@pytest.mark.parametrize("checkin", [True, False], ids=["in_checkin", "outside_checkin"])
def test_english_and_spanish_mentees_each_get_their_own_custom_text(
    database: Database, checkin: bool,
) -> None:
    _program_texts(database, {"crisis_message": {"en": EN_CRISIS, "es": ES_CRISIS},
                              "staff_told": {"es": ES_TOLD}})
    ana = _mentee(database, "Ana Torres", "es", checkin=checkin)
    ben = _mentee(database, "Ben Cole", "en", checkin=checkin)

    assert _crisis_reply(database, ana, "es") == f"{ES_CRISIS} {ES_TOLD}"
    # English has no line of its own: the shipped English one (never the Spanish custom one).
    shipped_told = (MENTEE_FLOW.messages["staff_told"]["en"] if checkin
                    else texts.text("staff_told", "en"))
    assert _crisis_reply(database, ben, "en") == f"{EN_CRISIS} {shipped_told}"


@pytest.mark.parametrize("checkin", [True, False], ids=["in_checkin", "outside_checkin"])
def test_spanish_without_a_custom_text_gets_the_shipped_spanish_one_not_the_english_custom(
    database: Database, checkin: bool,
) -> None:
    _program_texts(database, {"crisis_message": {"en": EN_CRISIS},
                              "staff_told": {"en": "Nurse Ruiz knows."}})
    ana = _mentee(database, "Ana Torres", "es", checkin=checkin)
    body = _crisis_reply(database, ana, "es")

    if checkin:  # the flow file's own Spanish texts
        shipped = (f"{MENTEE_FLOW.messages['crisis']['es']} "
                   f"{MENTEE_FLOW.messages['staff_told']['es']}")
    else:
        shipped = f"{texts.text('crisis', 'es')} {texts.text('staff_told', 'es')}"
    assert body == shipped
    assert "4411" not in body and "Nurse" not in body


def test_a_regional_language_finds_its_base_languages_text(database: Database) -> None:
    _program_texts(database, {"crisis_message": {"en": EN_CRISIS, "es": ES_CRISIS}})
    ana = _mentee(database, "Ana Torres", "es-MX", checkin=False)
    assert _crisis_reply(database, ana, "es").startswith(ES_CRISIS)


def test_a_program_with_no_texts_sends_the_shipped_default(database: Database) -> None:
    with database.transaction() as db:
        assert people.add_program(db, "Hope House", now=NOW).settings == {}
    ben = _mentee(database, "Ben Cole", "en", checkin=True)
    assert _crisis_reply(database, ben, "en") == (
        f"{MENTEE_FLOW.messages['crisis']['en']} {MENTEE_FLOW.messages['staff_told']['en']}")
