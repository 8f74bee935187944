"""Staff replies from the phone: ACK 17, RESOLVE 17 <note>, QUEUE, HELP.

`handle_staff_text` reads one text from a supervisor or admin, changes what it asks for (through
`bot.escalation.lifecycle`, so everything is audited) and returns the one reply to send.

The reply lands on a phone that others may see: it names the mentee by initials only and
never contains the mentee's words (evidence, answers) or the reasons. An escalation in another
program, or one the sender has a conflict of interest with (their own mentee, about them as a
mentor, about themselves), is never shown and never changed.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.escalation import lifecycle
from bot.escalation.lifecycle import EscalationError
from flows.parsing import normalize
from storage.models import Direction, Escalation, EscalationStatus, Message, Person

QUEUE_LINES = 5
MAX_DB_ID = 2**31 - 1  # larger numbers are never an escalation (and overflow INTEGER)
EXAMPLE_NOTE = "called her, safe at home"
ACK_ALONE_LEVELS = ("urgent", "concern")

_WORDS = {
    "ack": "ack", "acknowledge": "ack", "acknowledged": "ack",
    "resolve": "resolve", "resolved": "resolve",
    "queue": "queue", "q": "queue", "list": "queue",
    "help": "help", "commands": "help", "?": "help",
}
# "ACK 17", "/ack@peer_bot #17", "resolve17: called her", "  Queue  ".
_COMMAND = re.compile(r"/?(?P<word>[^\W\d_]+|\?)(?:@\w+)?(?P<rest>.*)", re.S)
_ID = re.compile(r"#?\s*(?P<id>\d+)(?:\s*[:,.;)\-]+\s*|\s+|$)(?P<note>.*)", re.S)


def handle_staff_text(
    db: Session, person: Person, text: str, now: datetime, *, dashboard_url: str | None
) -> str:
    """The reply to one text from a supervisor or admin (changes are flushed, not committed)."""
    if not lifecycle.programs_for(db, person):
        return "Staff commands are for active supervisors and admins."
    line = " ".join((text or "").split())
    match = _COMMAND.fullmatch(line)
    word = _WORDS.get(normalize(match["word"])) if match else None
    if not line:
        return _help(dashboard_url)
    if match is None or word is None:
        return "Not a command. " + _help(dashboard_url)
    rest = match["rest"].strip()
    found = _ID.fullmatch(rest)
    esc_id = int(found["id"]) if found else None
    note = found["note"].strip() if found else ""
    if not note.strip(" :,.;-_*"):
        note = ""
    if word == "help":
        return _help(dashboard_url)
    if word == "queue":
        return _queue(db, person, now, dashboard_url)
    if word == "ack":
        if esc_id is not None:
            return _ack(db, person, esc_id, now)
        return "Reply ACK and the number, e.g. ACK 17." if rest else _ack_alone(db, person, now)
    if esc_id is None:
        return ("Which one? Reply RESOLVE, the number and a short note, e.g. "
                f"RESOLVE 17 {EXAMPLE_NOTE}")
    return _resolve(db, person, esc_id, note, now)


# ---- the commands ----------------------------------------------------------------------------


def _help(dashboard_url: str | None) -> str:
    lines = [
        "Staff commands:",
        "ACK 17 - acknowledge #17, stops re-alerts",
        "RESOLVE 17 note - close #17 with a short note",
        "QUEUE - open escalations, most urgent first",
    ]
    if dashboard_url:
        lines.append(f"Details: {dashboard_url}")
    return "\n".join(lines)


def _visible(
    db: Session, person: Person, esc_id: int, now: datetime
) -> tuple[Escalation | None, str]:
    """The escalation this person may act on, or None and the answer to give."""
    assert person.id is not None
    esc = db.get(Escalation, esc_id) if esc_id <= MAX_DB_ID else None
    if esc is None or esc.program_id not in lifecycle.programs_for(db, person):
        return None, f"No open escalation #{esc_id} in your program."
    if lifecycle.has_conflict(db, person.id, esc, now):
        return None, "That escalation is handled by another supervisor."
    if esc.status == EscalationStatus.resolved:
        return None, f"No open escalation #{esc_id} in your program (it is already resolved)."
    return esc, ""


def _ack(db: Session, person: Person, esc_id: int, now: datetime) -> str:
    esc, answer = _visible(db, person, esc_id, now)
    if esc is None:
        return answer
    try:
        esc = lifecycle.acknowledge(db, esc_id, actor=_actor(person), by_person_id=person.id,
                                    now=now)
    except EscalationError:
        return f"No open escalation #{esc_id} in your program (it is already resolved)."
    tag = _tag(db, esc)
    if esc.acknowledged_by == person.id and esc.acknowledged_at == now:
        return f"Acknowledged #{esc_id} ({tag}). Re-alerts stopped."
    if esc.acknowledged_by == person.id:
        return f"You already acknowledged #{esc_id} ({tag})."
    return f"#{esc_id} ({tag}) was already acknowledged by {_staff_name(db, esc.acknowledged_by)}."


def _resolve(db: Session, person: Person, esc_id: int, note: str, now: datetime) -> str:
    esc, answer = _visible(db, person, esc_id, now)
    if esc is None:
        return answer
    if not note:
        return f"Add a short note: RESOLVE {esc_id} {EXAMPLE_NOTE}"
    try:
        esc = lifecycle.resolve(db, esc_id, actor=_actor(person), by_person_id=person.id,
                                note=note, now=now)
    except EscalationError:
        return f"No open escalation #{esc_id} in your program (it is already resolved)."
    return f"Resolved #{esc_id} ({_tag(db, esc)}). Thank you."


def _open_for(db: Session, person: Person, now: datetime) -> list[Escalation]:
    """Open and acknowledged escalations this person may see, in queue order."""
    assert person.id is not None
    rows = lifecycle.queue(db, program_ids=lifecycle.programs_for(db, person), now=now,
                           limit=None)
    return [esc for esc in rows if not lifecycle.has_conflict(db, person.id, esc, now)]


def _queue(db: Session, person: Person, now: datetime, dashboard_url: str | None) -> str:
    rows = _open_for(db, person, now)
    if not rows:
        return "Nothing open in your program."
    lines = [_queue_line(db, esc, now) for esc in rows[:QUEUE_LINES]]
    if len(rows) > QUEUE_LINES:
        lines.append(f"and {len(rows) - QUEUE_LINES} more")
    if dashboard_url:
        lines.append(f"Details: {dashboard_url}")
    return "\n".join(lines)


def _queue_line(db: Session, esc: Escalation, now: datetime) -> str:
    head = f"#{esc.id} {esc.level.upper()} {_initials_of(db, esc)} {ago(now - esc.raised_at)}"
    if esc.status == EscalationStatus.acknowledged:
        return f"{head}, acked by {_staff_name(db, esc.acknowledged_by)}"
    return f"{head}, not acked" + (", overdue" if now > esc.due_at else "")


def _ack_alone(db: Session, person: Person, now: datetime) -> str:
    """ACK with no number: fine when exactly one urgent/concern item alerted to them is open."""
    assert person.id is not None
    alerted = set(
        db.exec(
            select(Message.escalation_id).where(
                Message.person_id == person.id,
                Message.direction == Direction.outbound,
                col(Message.escalation_id).is_not(None),
            )
        ).all()
    )
    candidates = [
        esc for esc in _open_for(db, person, now)
        if esc.status == EscalationStatus.open and esc.level in ACK_ALONE_LEVELS
        and esc.id in alerted
    ]
    if len(candidates) == 1 and candidates[0].id is not None:
        return _ack(db, person, candidates[0].id, now)
    if not candidates:
        return "Nothing waiting for your ACK. Reply QUEUE to see open items, or ACK and a number."
    lines = ["Which one? Reply ACK and the number, e.g. ACK " + str(candidates[0].id)]
    lines += [_queue_line(db, esc, now) for esc in candidates[:QUEUE_LINES]]
    if len(candidates) > QUEUE_LINES:
        lines.append(f"and {len(candidates) - QUEUE_LINES} more")
    return "\n".join(lines)


# ---- discreet wording ------------------------------------------------------------------------


def initials(display_name: str | None) -> str:
    """ "Ana María Torres" -> "A.T."; "Ana" -> "A."; nothing usable -> "?"."""
    words = [w for w in re.split(r"[\s\-_.,]+", display_name or "") if any(c.isalnum() for c in w)]
    if not words:
        return "?"
    chosen = words if len(words) == 1 else [words[0], words[-1]]
    return "".join(next(c for c in w if c.isalnum()).upper() + "." for w in chosen)


def ago(delta: timedelta) -> str:
    """A short age: "just now", "12m ago", "5h ago", "3d ago"."""
    return "just now" if delta < timedelta(minutes=1) else f"{short_duration(delta)} ago"


def short_duration(delta: timedelta) -> str:
    """ "45s", "12m", "5h", "3d" (whole units, rounded down; negative counts as zero)."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 48 * 3600:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def _initials_of(db: Session, esc: Escalation) -> str:
    if esc.person_id is None:
        return "unknown sender"  # never the number: staff phones are seen by others
    about = db.get(Person, esc.person_id)
    return initials(about.display_name if about else None)


def _tag(db: Session, esc: Escalation) -> str:
    return f"{esc.level}, {_initials_of(db, esc)}"


def _staff_name(db: Session, person_id: int | None) -> str:
    staff = db.get(Person, person_id) if person_id is not None else None
    if staff is None or not staff.display_name.split():
        return "staff"
    return staff.display_name.split()[0]


def _actor(person: Person) -> str:
    return f"person:{person.id}"
