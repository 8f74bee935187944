"""Concern-level screening: every concern row of the rubric (shared/risk-rubric.md), in English
and Spanish, and the ordinary texts next to each row that must stay none.

The texts here are written for these tests, not taken from bench/risk_data/."""

from __future__ import annotations

import pytest

from flows.levels import Level
from flows.risk import CATEGORY_LEVELS, assess


def _check(text: str, category: str, language: str) -> None:
    result = assess(text, language)
    assert result.level >= Level.CONCERN, (text, result)
    assert category in result.categories, (text, result)
    for snippet in result.evidence:  # evidence stays a verbatim slice of the text
        assert snippet in text


def test_issue_examples() -> None:
    """The concern examples of issue 19's first paragraph."""
    threat = assess("he said if i tell anyone he'll hurt my little sister")
    assert threat.level >= Level.CONCERN, threat  # a threat used to keep a secret
    assert assess("honestly i cant stand myself").level is Level.CONCERN
    assert assess("everything feels pointless and empty lately").level is Level.CONCERN


def test_new_categories_are_concern() -> None:
    for category in ("bullying", "past_attempt", "asking_for_help", "not_eating_sleeping"):
        assert CATEGORY_LEVELS[category] is Level.CONCERN


@pytest.mark.parametrize(
    ("text", "category", "language"),
    [
        # feeling unsafe, followed, threatened in the past days
        ("im scared to go out to the yard", "feeling_unsafe", "en"),
        ("some dude has been following me after work all week", "feeling_unsafe", "en"),
        ("a guy on the block said im gonna get it next time he sees me", "feeling_unsafe", "en"),
        ("me da miedo salir al patio", "feeling_unsafe", "es"),
        ("un tipo me anda siguiendo desde la parada del camion", "feeling_unsafe", "es"),
        # coercion: a demand, a person in power, a lever or a secret
        ("my mentor keeps asking me to lend him my bank card", "coercion_exploitation", "en"),
        ("the CO said if i dont bring him smokes hell put me in the hole",
         "coercion_exploitation", "en"),
        ("she told me not to mention our meetings to my caseworker",
         "coercion_exploitation", "en"),
        ("staff said theyll take away my home pass if i report what i saw",
         "coercion_exploitation", "en"),
        ("mi mentor me pidio que le prestara mi tarjeta del banco",
         "coercion_exploitation", "es"),
        ("la educadora me dijo que no le cuente a la psicologa lo que hablamos",
         "coercion_exploitation", "es"),
        ("mi novio me obliga a darle todo mi sueldo", "coercion_exploitation", "es"),
        # sexual boundaries
        ("the counselor keeps texting me at 1am asking if im alone", "sexual_boundary", "en"),
        ("she keeps grabbing my butt in the hallway", "sexual_boundary", "en"),
        ("el maestro me manda mensajes en la madrugada", "sexual_boundary", "es"),
        # abuse at home, past with ongoing effects
        ("my stepdad slapped me again last night", "abuse_at_home", "en"),
        ("my dad choked me last year and now hes back home", "abuse_at_home", "en"),
        ("mi padrastro me volvio a cachetear anoche", "abuse_at_home", "es"),
        ("mi tia no me da de comer cuando se enoja", "abuse_at_home", "es"),
        # bullying
        ("they always make fun of my shoes and push me into the lockers", "bullying", "en"),
        ("en la escuela me hacen burla por mi ropa y me empujan", "bullying", "es"),
        ("me robaron los tenis y todos se burlaron", "bullying", "es"),
        # substance use to cope, near-relapse
        ("i've been smoking weed every morning just to deal", "substance_relapse", "en"),
        ("i almost bought a bottle tonight after 8 months sober", "substance_relapse", "en"),
        ("fumo mota todos los dias para no pensar en nada", "substance_relapse", "es"),
        # persistent despair
        ("i feel like a total waste of space", "hopelessness", "en"),
        ("me siento una carga para mi familia", "hopelessness", "es"),
        ("no me soporto", "hopelessness", "es"),
        # not eating, not sleeping, panic attacks
        ("haven't eaten anything real in 3 days", "not_eating_sleeping", "en"),
        ("i keep having panic attacks at night", "not_eating_sleeping", "en"),
        ("llevo tres dias sin comer", "not_eating_sleeping", "es"),
        ("me dan ataques de panico cada noche", "not_eating_sleeping", "es"),
        # a past attempt
        ("i attempted when i was 13 but im ok now", "past_attempt", "en"),
        ("intente matarme cuando tenia 13 pero ya estoy bien", "past_attempt", "es"),
        # asking for help
        ("can someone from the program call me tonight", "asking_for_help", "en"),
        ("alguien del programa me puede llamar hoy?", "asking_for_help", "es"),
        ("necesito hablar con alguien sobre mi tio", "asking_for_help", "es"),
    ],
)
def test_concern_rows(text: str, category: str, language: str) -> None:
    _check(text, category, language)


@pytest.mark.parametrize(
    "text",
    [
        # money, errands, school, pets, jokes, one short night: ordinary life
        "i owe my sister $20 for pizza lol",
        "le debo 20 pesos a mi hermana",
        "the staff asked me to carry the chairs to the gym",
        "my mentor asked me to bring my report card",
        "me pidieron que lleve el pastel a la fiesta",
        "got written up for being late to class",
        "i took my meds this morning",
        "can you help me with my homework",
        "necesito ayuda con la tarea de mate",
        "who do i call about the bus schedule",
        "can u call me tmrw",
        "my dog is scared of thunder",
        "everybody laughed at my joke",
        "cant sleep bc im excited for the trip tomorrow",
        "got like 4 hours of sleep last night studying",
        "my mom took my phone because of my grades",
        "ayer no dormi porque vi una serie hasta tarde",
        "diabetes stuff, my sugar was high today",
        "me molesta que mi hermano use mi ropa",
        # negated
        "nobody is asking me for money",
        "nadie me pide dinero",
        "no he tenido ataques de panico esta semana",
        "i dont hate myself anymore",
        "no one has asked me for favors",
        "no me siento sola, tengo a mis amigas",
    ],
)
def test_ordinary_and_negated_stay_none(text: str) -> None:
    for language in ("en", "es"):
        assert assess(text, language).level is Level.NONE, (text, assess(text, language))
