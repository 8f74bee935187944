"""No disclosure goes unheard (issue 18, points 1, 2, 3 and 5), end to end.

Everything goes through the signed Twilio webhook, the real runner paths (the lean reply turn
inside a check-in, the general path outside one), the real outbox sender and the fake providers,
with the team of tests/bot/test_escalation_scenarios.py: Ana (mentee, SMS), her mentor Marco
(SMS + Telegram), supervisors Sam (SMS + Telegram) and Tess (Telegram) on call, Ada (admin) on
the backup list.

- a disclosure at a 1-5 or yes/no question is acknowledged and the question asked again gently;
- every urgent hit gets the crisis reply; a repeat within 10 minutes is folded into a short
  thanks unless a staff member acted since;
- a finding after staff acknowledged or resolved the escalation that would absorb it raises a
  new escalation, alerted afresh (the whole matrix: status x level x same/later session; a
  watch is a sharp drop of Ana's own scores, the watch her check-in raises through the real
  runner, and it goes to the daily digest, never to an alert);
- a mentor's worry is an escalation about the mentee, reported by the mentor, never shown or
  routed to him.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from bot.escalation import alert_messages, lifecycle
from bot.runner import handle_timer, start_checkin
from storage.models import (
    CheckinSession,
    Escalation,
    EscalationStatus,
    Lane,
    Message,
    Pairing,
    Person,
    SessionStatus,
)
from storage.queries import people
from tests.bot import test_escalation_scenarios as scenarios
from tests.bot.helpers import NOW

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

# The world of the escalation scenarios (fixtures are looked up by name in this module).
world = scenarios.world
providers = scenarios.providers
edge = scenarios.edge
World = scenarios.World

MENTEE_PHONE = scenarios.MENTEE_PHONE
MENTOR_PHONE = scenarios.MENTOR_PHONE
SUP1_PHONE = scenarios.SUP1_PHONE
ON_CALL = scenarios.ON_CALL
alert_keys = scenarios.alert_keys

# A finding of each level, as a mentee writes it, in both flow languages. Watch is not in
# words (the rubric puts not eating or sleeping at concern, and the screener raises no watch
# from text): Ana's watch is a sharp drop of her own scores (bot/signals.py), see WATCH_SCORE.
FINDING = {
    "urgent": {"en": "sometimes i just want to die", "es": "ya no quiero vivir"},
    "concern": {"en": "my mentor keeps asking me for money", "es": "mi mentor me pide dinero"},
}
# What of it the evidence keeps (a verbatim slice; a drop's evidence is the score).
EVIDENCE = {
    "urgent": {"en": "want to die", "es": "no quiero vivir"},
    "concern": {"en": "asking me for money", "es": "me pide dinero"},
    "watch": {"en": "safety: 3", "es": "safety: 3"},
}
# Her usual score is 5 (two completed check-ins, see _usual_history); a 3 is a sharp drop
# (2 below her recent average) without being a concern (<= 2) on either scale.
USUAL_SCORE = "5"
WATCH_SCORE = {"en": "3", "es": "tres"}
PRESSURE_QUESTION = {"en": "pressured you", "es": "te ha presionado"}
CRISIS = {"en": "call or text 988", "es": "llamar o escribir al 988"}
THANKS = {"en": "Thank you for telling us. Staff will see this.",
          "es": "Gracias por contárnoslo. El personal lo verá."}
GENTLE = {"en": "When you're ready, and only if you want to:",
          "es": "Cuando quieras, y solo si quieres:"}
SORRY = ("Sorry, I didn't get that", "Perdón, no entendí")
YES = {"en": "yes", "es": "sí"}


# ---- helpers --------------------------------------------------------------------------------


def _at(w: World, when: datetime) -> None:
    w.clock.set(when)


def _active_session(w: World, person_id: int) -> CheckinSession | None:
    with w.ctx.database.transaction() as db:
        return db.exec(select(CheckinSession).where(
            CheckinSession.person_id == person_id,
            CheckinSession.status == SessionStatus.active)).first()


async def _new_checkin(w: World, language: str, when: datetime, person_id: int | None = None,
                       flow_id: str = "mentee_checkin") -> int:
    """End the person's open check-in (the real expiry timer) and start a new one in
    ``language`` at ``when``; its first question is delivered."""
    pid = person_id or w.team.mentee
    _at(w, when)
    row = _active_session(w, pid)
    with w.ctx.database.transaction() as db:
        if row is not None:
            fresh = db.get(CheckinSession, row.id)
            assert fresh is not None
            assert handle_timer(db, w.ctx.flows, fresh, "expire", fresh.turn, when) is not None
        person = db.get(Person, pid)
        assert person is not None
        person.language = language
        contact = next(c for c in people.contacts_for(db, pid) if c.channel == "sms")
        started = start_checkin(db, w.ctx.flows, person, flow_id, contact, when)
        assert started is not None and started.id is not None
        session_id = started.id
    await w.deliver(Lane.routine)
    return session_id


async def _mentee(w: World, text: str, when: datetime) -> None:
    _at(w, when)
    await w.sms(MENTEE_PHONE, text)


async def _staff(w: World, text: str, when: datetime) -> None:
    _at(w, when)
    await w.sms(SUP1_PHONE, text)


def _escalations(w: World) -> list[Escalation]:
    """Escalations raised by what people wrote (ending check-ins with the expiry timer may also
    raise a missed-check-ins watch, which is not what these tests are about)."""
    return [e for e in w.escalations() if "missed_checkins" not in e.reasons]


def _turn_rows(w: World, when: datetime) -> list[Message]:
    """The outgoing rows one turn at ``when`` queued."""
    return [m for m in w.outbound() if m.created_at == when]


def _to_mentee(rows: list[Message]) -> list[Message]:
    return [m for m in rows if m.address == MENTEE_PHONE]


def _alert_people(rows: list[Message], esc_id: int | None) -> set[int | None]:
    return {m.person_id for m in rows if m.kind == alert_messages.KIND and m.escalation_id == esc_id}


async def _usual_history(w: World, lang: str, since: datetime) -> datetime:
    """Two check-ins Ana completes with her usual scores (comfort and safety 5), one a day from
    ``since``; so a later 3 is a sharp drop. Returns when the second one ended."""
    at = since
    for day in range(2):
        at = since + timedelta(days=day)
        await _new_checkin(w, lang, at)
        for n, text in enumerate((USUAL_SCORE, USUAL_SCORE, "no", "no"), start=1):
            await _mentee(w, text, at + timedelta(minutes=n))
        assert _active_session(w, w.team.mentee) is None  # completed
        at += timedelta(minutes=4)
    assert _escalations(w) == []
    return at


async def _raise_first(w: World, level: str, lang: str, start: datetime) -> Escalation:
    """Ana's first escalation of ``level`` in her current check-in, through her answers."""
    if level == "urgent":
        await _mentee(w, "4", start)
        await _mentee(w, "1", start + timedelta(minutes=1))  # safety 1
    elif level == "concern":
        await _mentee(w, "2", start + timedelta(minutes=1))  # comfort 2
    else:  # comfort 3 against her usual 5: a falling-comfort watch
        await _mentee(w, WATCH_SCORE[lang], start + timedelta(minutes=1))
    [esc] = _escalations(w)
    assert (esc.level, esc.status) == (level, EscalationStatus.open)
    return esc


# ---- point 3: the whole matrix --------------------------------------------------------------

STATUSES = ("open", "acknowledged", "resolved")
LEVELS = ("watch", "concern", "urgent")
WHEN = ("same_session", "later_session")
MATRIX = [
    pytest.param(status, level, when, ("en", "es")[(i + j + k) % 2],
                 id=f"{status}-{level}-{when}-{('en', 'es')[(i + j + k) % 2]}")
    for i, status in enumerate(STATUSES) for j, level in enumerate(LEVELS)
    for k, when in enumerate(WHEN)
]


@pytest.mark.parametrize(("status", "level", "when", "lang"), MATRIX)
async def test_a_finding_after_staff_acted_is_new_news(
    world: World, status: str, level: str, when: str, lang: str,
) -> None:
    w = world
    start = NOW + timedelta(minutes=1)
    if level == "watch":  # a drop needs her usual scores to drop from
        await _usual_history(w, lang, start)
        start += timedelta(days=2)
    first_session = await _new_checkin(w, lang, start)
    first = await _raise_first(w, level, lang, start)
    first_reasons = list(first.reasons)
    first_alerts = _alert_people(w.outbound(), first.id)
    await w.deliver(Lane.urgent)
    if status in ("acknowledged", "resolved"):
        await _staff(w, f"ACK {first.id}", start + timedelta(minutes=3))
    if status == "resolved":
        await _staff(w, f"RESOLVE {first.id} talked with her, safe", start + timedelta(minutes=4))

    if when == "same_session":
        turn = start + timedelta(minutes=6)
        session_id = first_session
    else:
        session_id = await _new_checkin(w, lang, start + timedelta(days=1))
        turn = start + timedelta(days=1, minutes=2)
    if level != "watch":
        await _mentee(w, FINDING[level][lang], turn)
    else:  # safety 3 against her usual 5: a falling-safety watch
        if when == "later_session":  # her comfort is as usual this time
            await _mentee(w, USUAL_SCORE, turn - timedelta(minutes=1))
        await _mentee(w, WATCH_SCORE[lang], turn)

    escalations = _escalations(w)
    before = next(e for e in escalations if e.id == first.id)
    assert before.status == EscalationStatus(status)  # staff's item is left as they left it
    rows = _turn_rows(w, turn)
    if status == "open" and when == "same_session":
        # Nobody has acted yet: the finding joins the open item, no second alert round.
        assert [e.id for e in escalations] == [first.id]
        assert len(before.reasons) >= len(first_reasons)
        assert any(EVIDENCE[level][lang] in e for e in before.evidence)
        assert _alert_people(rows, first.id) == set()
    else:
        # New news: a new escalation at the finding's level, alerted as a fresh one.
        others = [e for e in escalations if e.id != first.id]
        assert len(others) == 1, [(e.level, e.reasons, e.session_id) for e in escalations]
        new = others[0]
        assert (new.level, new.status, new.session_id) == (level, EscalationStatus.open,
                                                           session_id)
        assert new.raised_at == turn
        assert any(EVIDENCE[level][lang] in e for e in new.evidence), new.evidence
        assert list(before.reasons) == first_reasons  # nothing slipped into the old item
        if level == "watch":
            assert _alert_people(rows, new.id) == set()  # watch: the daily digest
            assert new.next_alert_at is None
        else:
            assert _alert_people(rows, new.id) == {w.team.sup1, w.team.sup2}
            assert first_alerts <= {w.team.sup1, w.team.sup2}
            sent_before = len(w.deliveries())
            await w.deliver(Lane.urgent)
            got = set(alert_keys(w.deliveries()[sent_before:], new.id))
            assert got == ON_CALL if level == "urgent" else got and got <= ON_CALL

    # Point 1 and 2 on the way: the mentee's reply in this turn.
    to_her = _to_mentee(rows)
    assert not any(s in (m.body or "") for m in to_her for s in SORRY)
    kinds = [m.kind for m in to_her]
    if level == "urgent":
        # The first crisis reply went out 5 minutes earlier: only an open, un-acted item in
        # the same session is still inside the 10-minute window.
        folded = status == "open" and when == "same_session" and first.level == "urgent"
        assert kinds[0] == ("thanks" if folded else "crisis"), kinds
        assert to_her[0].lane == Lane.urgent
        assert (THANKS[lang] if folded else CRISIS[lang]) in (to_her[0].body or "")
    elif level == "concern":
        assert "crisis" not in kinds
        assert any(THANKS[lang] in (m.body or "") for m in to_her), [m.body for m in to_her]
    if level == "watch":
        # A drop is a trend for staff to review, not something she told us: no thanks and no
        # gentle re-ask, the check-in goes on to its next question, in her language.
        assert kinds == ["question"], [m.body for m in to_her]
        assert PRESSURE_QUESTION[lang] in (to_her[0].body or "")
        assert not any(s in (to_her[0].body or "") for s in (THANKS[lang], GENTLE[lang]))
    else:
        assert any(GENTLE[lang] in (m.body or "") for m in to_her)
    scenarios._assert_private(w)


# ---- point 3: a day later, and the README's demo path ---------------------------------------


@pytest.mark.parametrize(("lang", "inside_checkin"), [("en", False), ("es", True)])
async def test_a_resolved_urgent_and_a_suicidal_message_a_day_later(
    world: World, lang: str, inside_checkin: bool,
) -> None:
    w = world
    start = NOW + timedelta(minutes=1)
    await _new_checkin(w, lang, start)
    first = await _raise_first(w, "urgent", lang, start)
    await w.deliver(Lane.urgent)
    await _staff(w, f"ACK {first.id}", start + timedelta(minutes=5))
    await _staff(w, f"RESOLVE {first.id} called her, safe", start + timedelta(minutes=30))
    await w.deliver(Lane.urgent)

    later = start + timedelta(days=1)
    if inside_checkin:
        await _new_checkin(w, lang, later)
    else:  # her check-in expired overnight; she writes in on her own
        _at(w, later)
        row = _active_session(w, w.team.mentee)
        assert row is not None
        with w.ctx.database.transaction() as db:
            fresh = db.get(CheckinSession, row.id)
            assert fresh is not None
            handle_timer(db, w.ctx.flows, fresh, "expire", fresh.turn, later)
    turn = later + timedelta(minutes=5)
    await _mentee(w, FINDING["urgent"][lang], turn)

    # One committed turn: the new escalation, the crisis reply and the alerts, all urgent.
    [new] = [e for e in _escalations(w) if e.id != first.id]
    assert (new.level, new.status, new.raised_at) == ("urgent", EscalationStatus.open, turn)
    rows = _turn_rows(w, turn)
    [crisis] = [m for m in rows if m.kind == "crisis"]
    assert crisis.address == MENTEE_PHONE and crisis.lane == Lane.urgent
    assert CRISIS[lang] in (crisis.body or "")
    assert _alert_people(rows, new.id) == {w.team.sup1, w.team.sup2}
    assert all(m.lane == Lane.urgent for m in rows if m.kind == alert_messages.KIND)
    sent_before = len(w.deliveries())
    await w.deliver(Lane.urgent)
    new_deliveries = w.deliveries()[sent_before:]
    assert any(d.key == ("sms", MENTEE_PHONE) and CRISIS[lang] in d.body
               for d in new_deliveries)
    assert sorted(alert_keys(new_deliveries, new.id)) == sorted(ON_CALL)
    scenarios._assert_private(w)


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_readme_demo_path_yes_after_resolve_raises_a_fresh_escalation(
    world: World, lang: str,
) -> None:
    """Ana answers 4, 1; the supervisor acknowledges and resolves #1; then Ana answers yes to
    "Would you like a staff member to reach out?": a new concern escalation, alerted."""
    w = world
    start = NOW + timedelta(minutes=1)
    await _new_checkin(w, lang, start)
    first = await _raise_first(w, "urgent", lang, start)
    await w.deliver(Lane.urgent)
    await w.deliver(Lane.routine)
    assert any(q in w.providers.twilio.bodies_to(MENTEE_PHONE)[-1]
               for q in ("staff member to reach out", "alguien del personal te contacte"))
    await _staff(w, f"ACK {first.id}", start + timedelta(minutes=4))
    await _staff(w, f"RESOLVE {first.id} spoke with her", start + timedelta(minutes=8))

    turn = start + timedelta(minutes=10)
    await _mentee(w, YES[lang], turn)
    old, new = _escalations(w)
    assert old.id == first.id and old.status == EscalationStatus.resolved
    assert "asked_for_staff_contact" not in old.reasons
    assert (new.level, new.status, list(new.reasons)) == (
        "concern", EscalationStatus.open, ["asked_for_staff_contact"])
    assert new.session_id == old.session_id
    assert _alert_people(_turn_rows(w, turn), new.id) == {w.team.sup1, w.team.sup2}
    sent_before = len(w.deliveries())
    await w.deliver(Lane.urgent)
    assert alert_keys(w.deliveries()[sent_before:], new.id)


# ---- points 1 and 2 through the real path ---------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_a_disclosure_at_a_yes_no_question_is_never_met_with_sorry(
    world: World, lang: str,
) -> None:
    w = world
    start = NOW + timedelta(minutes=1)
    await _new_checkin(w, lang, start)
    await _mentee(w, "4", start + timedelta(minutes=1))
    await _mentee(w, "4", start + timedelta(minutes=2))  # now at "pressured you? YES or NO"
    await w.deliver(Lane.routine)
    sent_before = len(w.providers.twilio.bodies_to(MENTEE_PHONE))
    await _mentee(w, FINDING["urgent"][lang], start + timedelta(minutes=3))
    await w.deliver(Lane.urgent)
    await w.deliver(Lane.routine)
    got = w.providers.twilio.bodies_to(MENTEE_PHONE)[sent_before:]
    assert len(got) == 2, got
    assert CRISIS[lang] in got[0]  # the crisis reply first
    assert got[1].startswith(GENTLE[lang])  # then the same question, gently
    assert any(q in got[1] for q in ("pressured you", "te ha presionado"))
    assert not any(s in body for body in got for s in SORRY)
    [esc] = _escalations(w)
    assert esc.level == "urgent" and esc.session_id is not None


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_every_urgent_hit_gets_the_crisis_reply_unless_folded_into_a_recent_one(
    world: World, lang: str,
) -> None:
    w = world
    start = NOW + timedelta(minutes=1)
    await _new_checkin(w, lang, start)
    text = FINDING["urgent"][lang]

    def reply_kind(at: datetime) -> str:
        [first] = _to_mentee(_turn_rows(w, at))[:1]
        return first.kind

    t1 = start + timedelta(minutes=1)
    await _mentee(w, text, t1)
    assert reply_kind(t1) == "crisis"
    t2 = t1 + timedelta(minutes=3)  # a repeat within 10 minutes: folded into a thanks
    await _mentee(w, text, t2)
    assert reply_kind(t2) == "thanks"
    [esc] = _escalations(w)
    await _staff(w, f"ACK {esc.id}", t2 + timedelta(minutes=1))
    t3 = t2 + timedelta(minutes=2)  # staff acted: the window is closed, and this is new news
    await _mentee(w, text, t3)
    assert reply_kind(t3) == "crisis"
    assert len(_escalations(w)) == 2
    t4 = t3 + timedelta(minutes=9)  # no staff action since t3, within 10 minutes: folded
    await _mentee(w, text, t4)
    assert reply_kind(t4) == "thanks"
    t5 = t3 + timedelta(minutes=10)  # ten minutes after the last crisis reply: sent again
    await _mentee(w, text, t5)
    assert reply_kind(t5) == "crisis"
    # Outside any check-in the same holds.
    later = t5 + timedelta(days=1)
    _at(w, later)
    row = _active_session(w, w.team.mentee)
    assert row is not None
    with w.ctx.database.transaction() as db:
        fresh = db.get(CheckinSession, row.id)
        assert fresh is not None
        handle_timer(db, w.ctx.flows, fresh, "expire", fresh.turn, later)
    t6 = later + timedelta(minutes=1)
    await _mentee(w, text, t6)
    assert reply_kind(t6) == "crisis"
    t7 = t6 + timedelta(minutes=2)
    await _mentee(w, text, t7)
    assert reply_kind(t7) == "thanks"
    assert THANKS[lang] in (_to_mentee(_turn_rows(w, t7))[0].body or "")


# ---- point 5: a mentor's worry is about the mentee ------------------------------------------


def _mentor_got(w: World) -> list[Message]:
    with w.ctx.database.transaction() as db:
        addresses = {c.address for c in people.contacts_for(db, w.team.mentor)}
    return [m for m in w.outbound() if m.address in addresses]


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_a_mentors_worry_in_his_check_in_is_about_his_mentee(
    world: World, lang: str,
) -> None:
    w = world
    start = NOW + timedelta(minutes=1)
    await _new_checkin(w, lang, start, person_id=w.team.mentor, flow_id="mentor_checkin")
    worry = {"en": "my mentee seems scared of someone on the unit",
             "es": "mi mentee dice: tengo miedo de alguien aqui"}[lang]
    for n, text in enumerate((YES[lang], "4", worry), start=1):
        _at(w, start + timedelta(minutes=n))
        await w.sms(MENTOR_PHONE, text)
    [esc] = _escalations(w)
    assert (esc.person_id, esc.reported_by, esc.level) == (w.team.mentee, w.team.mentor,
                                                           "concern")
    assert "mentor_reported_worry" in esc.reasons and esc.about_mentor_id is None
    rows = _turn_rows(w, start + timedelta(minutes=3))
    assert _alert_people(rows, esc.id) == {w.team.sup1, w.team.sup2}
    assert not any(m.escalation_id is not None for m in _mentor_got(w))
    await w.deliver(Lane.urgent)
    recipients = {d.key for d in w.deliveries() if f"alert #{esc.id} " in d.body}
    assert recipients and recipients <= ON_CALL
    assert not any(d.key[1] in (MENTOR_PHONE, scenarios.MENTOR_CHAT) and "alert #" in d.body
                   for d in w.deliveries())


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_a_mentors_free_text_is_about_his_mentee_or_says_he_has_none(
    world: World, lang: str,
) -> None:
    w = world
    text = {"en": "my mentee seems scared of someone on the unit",
            "es": "mi mentee dice: tengo miedo de alguien aqui"}[lang]
    with w.ctx.database.transaction() as db:
        mentor = db.get(Person, w.team.mentor)
        assert mentor is not None
        mentor.language = lang
    t1 = NOW + timedelta(minutes=5)
    _at(w, t1)
    await w.sms(MENTOR_PHONE, text)  # no mentor check-in open: the general path
    [esc] = _escalations(w)
    assert (esc.person_id, esc.reported_by, esc.level, esc.session_id) == (
        w.team.mentee, w.team.mentor, "concern", None)
    assert _alert_people(_turn_rows(w, t1), esc.id) == {w.team.sup1, w.team.sup2}
    assert [m.kind for m in _mentor_got(w)] == ["info"]  # "Thanks for your message…" only

    # The pairing ended: the worry stays about the mentor, and says he has no active mentee.
    with w.ctx.database.transaction() as db:
        for pairing in db.exec(select(Pairing).where(Pairing.mentor_id == w.team.mentor)):
            pairing.active_until = t1 + timedelta(minutes=1)
    t2 = t1 + timedelta(minutes=2)
    _at(w, t2)
    await w.sms(MENTOR_PHONE, text)
    [alone] = [e for e in _escalations(w) if e.id != esc.id]
    assert (alone.person_id, alone.reported_by) == (w.team.mentor, None)
    assert "no_active_mentee" in alone.reasons
    assert w.team.mentor not in _alert_people(_turn_rows(w, t2), alone.id)
    assert not any(m.escalation_id is not None for m in _mentor_got(w))


async def test_a_mentors_own_self_harm_stays_about_him(world: World) -> None:
    w = world
    t1 = NOW + timedelta(minutes=5)
    _at(w, t1)
    await w.sms(MENTOR_PHONE, "honestly i want to die")
    [esc] = _escalations(w)
    assert (esc.person_id, esc.reported_by, esc.level) == (w.team.mentor, None, "urgent")
    [crisis] = [m for m in _turn_rows(w, t1) if m.kind == "crisis"]
    assert crisis.address == MENTOR_PHONE


async def test_reopening_a_resolved_item_while_a_newer_one_is_open_is_refused(
    world: World,
) -> None:
    """One open escalation per check-in and level: the newer one raised after the resolve is
    the one to work, and the staff member is told so."""
    w = world
    start = NOW + timedelta(minutes=1)
    first = await _raise_first(w, "concern", "en", start)
    await _staff(w, f"RESOLVE {first.id} checked in with her", start + timedelta(minutes=3))
    await _mentee(w, FINDING["concern"]["en"], start + timedelta(minutes=4))
    new = _escalations(w)[-1]
    assert new.id != first.id and new.status == EscalationStatus.open
    with w.ctx.database.transaction() as db:
        with pytest.raises(lifecycle.EscalationError,
                           match=f"#{new.id} is open for the same check-in and level"):
            lifecycle.reopen(db, first.id or 0, actor="cli", by_person_id=None,
                             now=start + timedelta(minutes=5))
    old, _ = _escalations(w)
    assert old.status == EscalationStatus.resolved
