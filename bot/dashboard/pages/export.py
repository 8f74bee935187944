"""The Export page: a program's de-identified check-in scores and escalation times over a range
of days, downloaded as a zip of two CSV or Parquet files (bot/export/ builds and writes them).

Supervisors and admins, for their own programs only (another program's id gets the 404 every
page gives). Every download is in the audit trail (`data_exported`: who, which program, which
days, which format, how many rows and people). An export of fewer than `MIN_PEOPLE` people is
refused until the staff member confirms they will keep it private.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from bot.dashboard.access import StaffViewer, Viewer, context
from bot.dashboard.render import render
from bot.export.audit import record_export
from bot.export.files import FORMATS, Format, download_name, zip_bytes
from bot.export.tables import MIN_PEOPLE, BadRange, build
from storage.models import Program
from storage.queries import reports

router = APIRouter()

DEFAULT_DAYS = 84  # the form starts at the last twelve weeks, as the Overview shows


@dataclass
class ExportForm:
    program_id: str
    first: str
    last: str
    fmt: str
    allow_small: bool = False


def _page(request: Request, viewer: Viewer, form: ExportForm, *, error: str | None = None,
          small: int | None = None, status_code: int = 200) -> HTMLResponse:
    ctx = context(request)
    with ctx.database.reading() as db:
        programs = reports.programs(db, viewer.program_ids)
    return render(request, "export.html", {
        "programs": programs, "form": form, "formats": FORMATS, "error": error,
        "small": small, "min_people": MIN_PEOPLE,
    }, status_code=status_code)


@router.get("/export")
def export_page(request: Request, viewer: StaffViewer) -> HTMLResponse:
    ctx = context(request)
    with ctx.database.reading() as db:
        first_program = db.get(Program, viewer.program_ids[0])
    zone = ZoneInfo(first_program.timezone if first_program else "UTC")
    today = ctx.clock().astimezone(zone).date()
    form = ExportForm(program_id=str(viewer.program_ids[0]),
                      first=(today - timedelta(days=DEFAULT_DAYS)).isoformat(),
                      last=today.isoformat(), fmt="csv")
    return _page(request, viewer, form)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


@router.post("/export", response_model=None)
def export_download(
    request: Request,
    viewer: StaffViewer,
    program_id: Annotated[str, Form(max_length=20)] = "",
    first: Annotated[str, Form(alias="from", max_length=20)] = "",
    last: Annotated[str, Form(alias="to", max_length=20)] = "",
    fmt: Annotated[str, Form(alias="format", max_length=20)] = "csv",
    allow_small: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    ctx = context(request)
    form = ExportForm(program_id, first, last, fmt, allow_small == "yes")
    if not program_id.isdigit() or len(program_id) > 18:
        return _page(request, viewer, form, error="Choose a program from the list.",
                     status_code=400)
    viewer.check_program(int(program_id))  # another program's: 404
    first_day, last_day = _day(first), _day(last)
    if first_day is None or last_day is None:
        return _page(request, viewer, form, error="Give the first and the last day as dates "
                     "(YYYY-MM-DD).", status_code=400)
    if fmt not in FORMATS:
        return _page(request, viewer, form, error="Choose CSV or Parquet.", status_code=400)
    chosen: Format = "csv" if fmt == "csv" else "parquet"
    with ctx.database.reading() as db:
        program = db.get(Program, int(program_id))
        assert program is not None and program.id is not None
        try:
            tables = build(db, program, ctx.flows, first_day, last_day)
        except BadRange as exc:
            return _page(request, viewer, form, error=str(exc), status_code=400)
    if tables.small and not form.allow_small:
        return _page(request, viewer, form, small=tables.people, status_code=409)
    data = zip_bytes(tables, chosen)
    # Recorded before the file leaves: a download the audit trail does not show never happens.
    with ctx.database.transaction() as db:
        record_export(db, actor=viewer.actor, program_id=program.id, export=tables, fmt=chosen,
                      via="dashboard", now=ctx.clock())
    headers: dict[str, Any] = {
        "Content-Disposition": f'attachment; filename="{download_name(tables, chosen)}"',
        "Cache-Control": "no-store",
    }
    return Response(data, media_type="application/zip", headers=headers)
