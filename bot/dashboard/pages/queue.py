"""The supervisor queue (first version: a plain list; filters and live refresh to come)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from bot.dashboard.access import StaffViewer
from bot.dashboard.render import render

router = APIRouter()


@router.get("/queue")
def queue_page(request: Request, viewer: StaffViewer) -> HTMLResponse:
    return render(request, "queue.html", {"rows": []})
