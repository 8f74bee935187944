"""The red "nobody can be alerted" banner of the Queue and Delivery pages.

What it says comes from `bot.escalation.reachability`, the same check as /healthz and
`checkin doctor`: per program of the viewer, who cannot be alerted and what to fix.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.context import AppContext
from bot.dashboard.access import Viewer
from bot.escalation import reachability
from bot.escalation.reachability import ProgramReach


def alert_problems(
    ctx: AppContext, db: Session, viewer: Viewer, now: datetime
) -> list[ProgramReach]:
    """The viewer's programs where alerts cannot reach anyone (empty when all is well)."""
    reaches = reachability.check_programs(
        db, now, ready=reachability.ready_channels(ctx.settings), program_ids=viewer.program_ids)
    return [r for r in reaches if not r.ok]
