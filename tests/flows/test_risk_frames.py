"""The second round of concept x frame patterns (flows/risk/frames.py), the normaliser's typo
reading and the hyperbole exceptions: each urgent idea in both languages, and the ordinary texts
that share its words and must stay calm.

The texts here are written for these tests, not taken from bench/risk_data/."""

from __future__ import annotations

import pytest

from flows.levels import Level
from flows.risk import assess
from flows.risk.normalise import normalise


def _canonical(text: str) -> str:
    return " ".join(w.text for w in normalise(text)[0])


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # self-injury by what was done to the body
        ("i scraped my arms with a key until they bled", "en"),
        ("used a staple on my wrist again", "en"),
        ("i wear my hoodie so staff dont see my arms", "en"),
        ("i take it out on my arms when nobody is around", "en"),
        ("me rasco los brazos hasta sacarme sangre", "es"),
        ("me autolesiono cuando me siento asi", "es"),
        ("ando cortandome otra vez", "es"),
        # fighting the urge, handing it to fate
        ("i wont act on it but i think about it every single night", "en"),
        ("the only thing stopping me is my little brother", "en"),
        ("i would not mind if i never woke up", "en"),
        ("no lo voy a hacer pero los pensamientos no se van", "es"),
        ("lo unico que me detiene es mi hija", "es"),
        ("si me atropella un camion no me importaria", "es"),
        # wishes said as a state, in idioms
        ("what is the point of me waking up every day", "en"),
        ("i wish i had the guts to just end it", "en"),
        ("me quiero quitar de en medio", "es"),
        ("la vida ya no vale la pena", "es"),
        # plans without a method, means gathered, goodbyes
        ("i already decided, tonight", "en"),
        ("i been hoarding my seroquel", "en"),
        ("by the time you read this i will be gone", "en"),
        ("ya se donde amarrarlo", "es"),
        ("estoy juntando mis pastillas", "es"),
        ("esto es un adios", "es"),
        # recent attempts by what was done
        ("i swallowed a handful of my meds on friday", "en"),
        ("me hicieron un lavado de estomago ayer", "es"),
        # danger now
        ("there are guys fighting in my dorm with knives", "en"),
        ("my brother just punched me and he is coming back", "en"),
        ("se estan peleando en el patio con puntas", "es"),
        ("hay un hombre en mi cuarto ahorita", "es"),
        # typed in a hurry
        ("i wanna kil myslef", "en"),
        ("thinkin bout killin myself", "en"),
        ("i want 2 die", "en"),
        ("tengo pastiyas guardadas", "es"),
    ],
)
def test_urgent_ideas_in_new_wordings(text: str, language: str) -> None:
    assert assess(text, language).level is Level.URGENT


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("my little brother bit my arm so hard it bled lol", "en"),
        ("i took all my meds this morning like im supposed to", "en"),
        ("nobody will be home this weekend so we're having a movie night", "en"),
        ("i already decided, friday i'm going to the fair", "en"),
        ("hanging on by a thread with this homework lol", "en"),
        ("there was a fight in the yard with knives last week, im glad i wasnt there", "en"),
        ("the only thing stopping me from quitting is the money", "en"),
        ("if the cowboys lose again im jumping off a bridge lmao", "en"),
        ("the song goes i wanna die young", "en"),
        ("i wish my grandpa didnt die", "en"),
        ("no voy a hacerlo pero quiero faltar a la escuela", "es"),
        ("le regale mi ropa vieja a mi prima, ya termine de limpiar", "es"),
        ("mi hermano me mordio el brazo hasta que sangro jaja", "es"),
        ("nadie me va a ver en la obra de teatro", "es"),
        ("lo unico que me detiene de comprar los tenis es el dinero", "es"),
        ("si pierde el america otra vez me aviento de un puente jajaja", "es"),
        ("un famoso se suicido y todos publican de eso", "es"),
        ("no soy suicida, nomas estoy aburrido", "es"),
    ],
)
def test_ordinary_texts_with_the_same_words_stay_below_urgent(text: str, language: str) -> None:
    assert assess(text, language).level is not Level.URGENT


def test_hyperbole_needs_a_trigger_that_is_really_trivial() -> None:
    # the trivial words are there ("found out", "photo"), but so are self-harm and exposure
    assert assess("my mom found out about my cutting and now i want to die", "en").level \
        is Level.URGENT
    assert assess("after the photo got out i want to kill myself", "en").level is Level.URGENT
    assert assess("this show is killing me lol", "en").level is Level.NONE


def test_typo_reading_corrects_risk_words_and_leaves_real_words_alone() -> None:
    assert _canonical("kil myslef") == "kill myself"
    assert _canonical("thinkin bout it") == "thinking about it"
    assert _canonical("suicdie") == "suicide"
    assert _canonical("se suicida") == "se suicida"  # a real Spanish word, not a typo
    assert _canonical("i want 2 die") == "i want to die"
    assert _canonical("2 days ago i took 2 pills") == "2 days ago i took 2 pills"


def test_evidence_is_a_verbatim_slice_of_what_was_written() -> None:
    text = "ya se donde amarrarlo, no le digas a nadie"
    found = assess(text, "es")
    assert found.level is Level.URGENT
    assert all(piece in text for piece in found.evidence)


@pytest.mark.parametrize(
    ("text", "language", "category"),
    [
        ("at the group home they dont let us eat when we talk back", "en", "abuse_at_home"),
        ("mi tio me hace dormir en el patio", "es", "abuse_at_home"),
        ("could i get moved, my bunkie keeps messing with me", "en", "asking_for_help"),
        ("que me llame la psicologa porfa", "es", "asking_for_help"),
        ("the guys on my tier gang up on me", "en", "bullying"),
        ("my mentor told me i shouldnt tell staff about our talks", "en",
         "coercion_exploitation"),
        ("dice que si no le guardo el paquete me va a reportar", "es", "coercion_exploitation"),
        ("nothing is ever going to change for me", "en", "hopelessness"),
        ("llevo tres noches sin dormir", "es", "not_eating_sleeping"),
        ("my foster dad comes into my room at night", "en", "sexual_boundary"),
        ("me pidio que le mandara fotos", "es", "sexual_boundary"),
        ("someone keeps following me after school", "en", "feeling_unsafe"),
    ],
)
def test_concern_situations_without_keywords(text: str, language: str, category: str) -> None:
    found = assess(text, language)
    assert found.level is Level.CONCERN
    assert category in found.categories


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("can someone help me with my math homework", "en"),
        ("could i get moved to the morning class", "en"),
        ("me pueden ayudar con la tarea de mate", "es"),
        ("can someone help me fill out the job application", "en"),
    ],
)
def test_ordinary_requests_are_not_concerns(text: str, language: str) -> None:
    assert assess(text, language).level is Level.NONE
