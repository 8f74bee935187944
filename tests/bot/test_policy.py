"""The shared rules of `bot.policy`: what each says, that the parts using them agree, and that
none of them is written a second time somewhere in bot/."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

from bot import contacts, policy
from bot.escalation import routing
from bot.program_settings import check_ack_minutes
from storage.models import Channel, ContactPoint, Program, Role
from tests.bot.helpers import NOW

BOT = Path(__file__).resolve().parents[2] / "bot"


def _contact(channel: Channel, *, agreed: bool) -> ContactPoint:
    return ContactPoint(id=1, person_id=1, channel=channel, address="+13125550001",
                        consent_at=NOW if agreed else None)


def test_only_an_sms_number_that_has_not_said_yes_needs_consent() -> None:
    assert policy.needs_consent(_contact(Channel.sms, agreed=False))
    assert not policy.needs_consent(_contact(Channel.sms, agreed=True))
    for channel in (Channel.telegram, Channel.web, Channel.terminal):
        assert not policy.needs_consent(_contact(channel, agreed=False))
    # The plain row of a fan-out reads the same way as the ORM row.
    row = contacts.ContactRow(1, 1, "sms", "+13125550001", opted_out=False, unreachable=False,
                              consent_at=None)
    assert policy.needs_consent(row)


def test_check_ins_reminders_and_alerts_read_consent_the_same_way() -> None:
    for channel in (Channel.sms, Channel.telegram):
        for agreed in (True, False):
            contact = _contact(channel, agreed=agreed)
            needs = policy.needs_consent(contact)
            # A reminder (content) is held back exactly when consent is missing ...
            assert contacts.usable(contact, require_consent=True) is not needs
            assert contacts.usable(contact)  # ... and a check-in start asks for it itself.
            # An alert is too, and the reason given is the consent.
            assert (routing.unusable_reason(contact) == "sms_not_agreed") is needs


def test_deadlines_are_the_defaults_unless_the_program_sets_its_own() -> None:
    program = Program(name="Hope House", timezone="UTC", settings={})
    assert policy.ack_deadline(program, "urgent", NOW) == NOW + timedelta(minutes=15)
    assert policy.ack_deadline(program, "concern", NOW) == NOW + timedelta(hours=24)
    assert policy.ack_deadline(program, "watch", NOW) == NOW + timedelta(hours=72)
    program.settings = {policy.ACK_SETTING: {"urgent": check_ack_minutes("urgent", "10")}}
    assert policy.ack_deadline(program, "urgent", NOW) == NOW + timedelta(minutes=10)
    assert policy.ack_deadline(program, "concern", NOW) == NOW + timedelta(hours=24)
    # What the settings page shows is what the deadline uses.
    assert policy.ack_minutes(program.settings) == {"urgent": 10, "concern": 1440, "watch": 4320}
    assert set(policy.ack_minutes(None)) == set(policy.ACK_LEVELS)


def test_staff_are_supervisors_and_admins_and_only_the_others_are_checked_in_on() -> None:
    assert policy.STAFF_ROLES == {Role.supervisor, Role.admin}
    assert policy.CHECKED_IN_ROLES == set(Role) - policy.STAFF_ROLES
    assert set(policy.DEFAULT_FLOW_FOR_ROLE) == policy.CHECKED_IN_ROLES


# ---- written once ----------------------------------------------------------------------------


def _rule_copies(tree: ast.AST) -> list[tuple[int, str]]:
    """Places that write one of the policy's rules out again instead of importing it."""
    found: list[tuple[int, str]] = []

    def roles_listed(node: ast.Tuple | ast.Set | ast.List) -> set[str]:
        """The roles of a literal made of roles only (Role.x, ...)."""
        if not all(isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                   and n.value.id == "Role" for n in node.elts):
            return set()
        return {n.attr for n in node.elts if isinstance(n, ast.Attribute)}

    for node in ast.walk(tree):
        if (isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute)
                and node.left.attr == "consent_at"
                and any(isinstance(op, ast.Is | ast.IsNot) for op in node.ops)):
            found.append((node.lineno, "the SMS-consent rule"))
        if (isinstance(node, ast.Tuple | ast.Set | ast.List)
                and {"supervisor", "admin"} <= roles_listed(node)):
            found.append((node.lineno, "the staff roles"))
        if isinstance(node, ast.Dict) and any(
                isinstance(v, ast.Constant) and v.value in ("mentee_checkin", "mentor_checkin")
                for v in node.values):
            found.append((node.lineno, "the default flow per role"))
        if isinstance(node, ast.Constant) and node.value == policy.ACK_SETTING:
            found.append((node.lineno, "the deadlines' setting"))
    return sorted(found)


def test_the_shared_rules_are_written_only_in_the_policy_module() -> None:
    copies = [f"{path.relative_to(BOT.parent)}:{line}: {what}"
              for path in sorted(BOT.rglob("*.py")) if path.name != "policy.py"
              for line, what in _rule_copies(ast.parse(path.read_text(encoding="utf-8")))]
    assert copies == []


def test_the_copy_finder_finds_a_copy_of_each_rule() -> None:
    tree = ast.parse(
        "x = c.channel == 'sms' and c.consent_at is None\n"
        "STAFF = frozenset({Role.supervisor, Role.admin})\n"
        "FLOWS = {Role.mentee: 'mentee_checkin'}\n"
        "minutes = settings.get('ack_minutes')\n"
        "fine = (Role.mentee, Role.mentor)\n"
        "seed = [(Role.supervisor, 'Sam'), (Role.admin, 'Alex')]\n"
    )
    assert [what for _line, what in _rule_copies(tree)] == [
        "the SMS-consent rule", "the staff roles", "the default flow per role",
        "the deadlines' setting"]
