"""Program overview: response rates, average scores per week, escalations by level, time to
acknowledge, and the weekly figures as CSV.

Aggregates only: no names, no free text, no single mentee's answers, so no audit event.
Weeks run Monday 00:00 to Monday 00:00 in the program's time zone, as every other page shows
times on the program's clock (the server's own zone never matters); the definitions are in
storage/queries/reports.py.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from bot.dashboard.access import StaffViewer, Viewer, context
from bot.dashboard.render import render
from bot.escalation import casework
from storage.models import Program
from storage.queries import reports

router = APIRouter()

WEEKS = 12
RECENT_DAYS = 30
CSV_HEADER = [
    "week_start", "program", "checkins_started", "completed", "expired", "response_rate",
    "avg_comfort", "avg_safety", "escalations_urgent", "escalations_concern",
    "escalations_watch",
]


@dataclass(frozen=True)
class ProgramReport:
    program: reports.ProgramInfo
    rate_recent: reports.ResponseCounts
    rate_all: reports.ResponseCounts
    weeks: list[reports.WeekFigures]
    by_level: dict[str, int]
    ack: list[reports.AckStats]
    people: dict[str, int]
    # (outcome, escalations resolved with it) over the recent days: the program's list in its
    # order, then outcomes no longer on it, then "Not recorded" (phone or CLI RESOLVE).
    outcomes: list[tuple[str, int]]

    @property
    def chart(self) -> dict[str, Any]:
        return {
            "labels": [w.week_start.strftime("%d %b") for w in self.weeks],
            "comfort": [_round(w.avg_comfort) for w in self.weeks],
            "safety": [_round(w.avg_safety) for w in self.weeks],
        }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


class BadFilter(ValueError):
    pass


def _chosen_programs(viewer: Viewer, program: str | None) -> list[int]:
    """All the viewer's programs, or the one chosen in the filter (404 for another program's,
    BadFilter for something that is not a program id)."""
    if program is None or program.strip() in ("", "all"):
        return list(viewer.program_ids)
    text = program.strip()
    if not text.isdigit() or len(text) > 18:
        raise BadFilter("Choose a program from the list.")
    program_id = int(text)
    viewer.check_program(program_id)
    return [program_id]


def _week_starts(info: reports.ProgramInfo, now: datetime) -> list[datetime]:
    return reports.local_week_starts(now, info.timezone, WEEKS)


def _report(db: Session, info: reports.ProgramInfo, now: datetime) -> ProgramReport:
    since = now - timedelta(days=RECENT_DAYS)
    return ProgramReport(
        program=info,
        rate_recent=reports.response_counts(db, program_id=info.id, since=since),
        rate_all=reports.response_counts(db, program_id=info.id),
        weeks=reports.weekly_figures(db, info.id, _week_starts(info, now)),
        by_level=reports.escalations_by_level(db, info.id, since),
        ack=reports.time_to_acknowledge(db, info.id, since),
        people=reports.active_people(db, info.id),
        outcomes=_outcomes(db, info.id, since),
    )


NOT_RECORDED = "Not recorded"


def _outcomes(db: Session, program_id: int, since: datetime) -> list[tuple[str, int]]:
    counts = reports.outcome_counts(db, program_id, since)
    listed = casework.outcomes(db.get(Program, program_id))
    rows = [(o, counts.get(o, 0)) for o in listed]
    rows += [(o, n) for o, n in sorted(counts.items(), key=lambda kv: str(kv[0]))
             if o is not None and o not in listed]
    if counts.get(None):
        rows.append((NOT_RECORDED, counts[None]))
    return rows


@router.get("/overview")
def overview_page(request: Request, viewer: StaffViewer,
                  program: str | None = None) -> HTMLResponse:
    ctx = context(request)
    now = ctx.clock()
    error = None
    try:
        chosen = _chosen_programs(viewer, program)
    except BadFilter as exc:
        error, chosen = str(exc), list(viewer.program_ids)
    with ctx.database.reading() as db:
        mine = reports.programs(db, viewer.program_ids)
        shown = [_report(db, info, now) for info in mine if info.id in chosen]
    selected = chosen[0] if len(chosen) == 1 and len(mine) > 1 else None
    csv_query = f"?program={selected}" if selected is not None else ""
    return render(request, "overview.html", {
        "programs": mine, "reports": shown, "selected": selected, "error": error,
        "weeks": WEEKS, "recent_days": RECENT_DAYS, "levels": reports.LEVELS,
        "csv_url": "/overview.csv" + csv_query, "pct": _pct, "num": _num,
    }, status_code=400 if error else 200)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _cell(text: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@router.get("/overview.csv")
def overview_csv(request: Request, viewer: StaffViewer, program: str | None = None) -> Response:
    ctx = context(request)
    now = ctx.clock()
    try:
        chosen = _chosen_programs(viewer, program)
    except BadFilter as exc:
        return Response(str(exc) + "\n", status_code=400, media_type="text/plain")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    with ctx.database.reading() as db:
        for info in reports.programs(db, chosen):
            for week in reports.weekly_figures(db, info.id, _week_starts(info, now)):
                rate = week.response_rate
                writer.writerow([
                    week.week_start.date().isoformat(), _cell(info.name), week.started,
                    week.completed, week.expired,
                    "" if rate is None else f"{rate:.3f}",
                    "" if week.avg_comfort is None else f"{week.avg_comfort:.2f}",
                    "" if week.avg_safety is None else f"{week.avg_safety:.2f}",
                    *(week.escalations.get(level, 0) for level in reports.LEVELS),
                ])
    filename = f"overview-{now.date().isoformat()}.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })
