"""Templates: Jinja2 with autoescaping, and what every page gets (viewer, navigation, CSRF)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from bot.dashboard.access import CSRF_FIELD, CSRF_HEADER, Viewer
from bot.dashboard.their_words import flow_title

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")

# (label, path, admin only). Supervisors see the first part; admins see all of it.
NAV: list[tuple[str, str, bool]] = [
    ("Queue", "/queue", False),
    ("Mentees", "/mentees", False),
    ("Overview", "/overview", False),
    ("People", "/people", True),
    ("Schedules", "/schedules", True),
    ("Settings", "/settings", True),
    ("Delivery", "/delivery", True),
    ("Simulator", "/simulator", True),
]


def nav_for(viewer: Viewer | None) -> list[tuple[str, str]]:
    if viewer is None:
        return []
    return [(label, path) for label, path, admin_only in NAV if viewer.is_admin or not admin_only]


def local_time(value: datetime | None, timezone: str = "UTC", fmt: str = "%a %d %b %H:%M") -> str:
    """A UTC time as the program's local time ("Mon 02 Mar 18:00")."""
    if value is None:
        return "—"
    return value.astimezone(ZoneInfo(timezone)).strftime(fmt)


def duration(delta: timedelta) -> str:
    """'3 h 20 min', '12 min', 'under a minute' (absolute value)."""
    seconds = abs(int(delta.total_seconds()))
    if seconds < 60:
        return "under a minute"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{hours // 24} days"


templates.env.filters["local_time"] = local_time
templates.env.filters["duration"] = duration
templates.env.filters["flow_title"] = flow_title


def render(
    request: Request, template: str, values: dict[str, Any] | None = None, *,
    status_code: int = 200, headers: dict[str, str] | None = None,
) -> HTMLResponse:
    viewer: Viewer | None = getattr(request.state, "viewer", None)
    base = {
        "viewer": viewer,
        "nav": nav_for(viewer),
        "csrf_field": CSRF_FIELD,
        "csrf_header": CSRF_HEADER,
        "csrf_token": viewer.csrf_token if viewer else "",
        "path": request.url.path,
    }
    return templates.TemplateResponse(request, template, {**base, **(values or {})},
                                      status_code=status_code, headers=headers)
