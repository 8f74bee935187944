"""The served application: webhooks, health, the outbox sender and the scheduler in one process.

Start-up and shutdown live in the ASGI lifespan (uvicorn re-raises SIGTERM only after its server
returns, so work placed after `serve()` would never run): on SIGTERM uvicorn stops accepting,
finishes the requests in flight (each is one committed turn), and then the lifespan stops the
scheduler, lets the sender finish its batch, and closes the channels.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor as JobThreads
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlmodel import Session

from bot import data_keys
from bot.channels import registry
from bot.channels.base import ChannelAdapter
from bot.channels.plugin import ChannelPlugin
from bot.clock import utcnow
from bot.context import AppContext
from bot.dashboard import mount_dashboard
from bot.database import Database
from bot.escalation import reachability
from bot.flow_registry import load_configured_flows
from bot.jobs.digest import run_watch_digest
from bot.jobs.dispatch import run_dispatch
from bot.jobs.follow_up import run_follow_ups
from bot.jobs.realert import run_realerts
from bot.jobs.reminders import run_mentor_reminders
from bot.jobs.retention import erase_old_bodies
from bot.jobs.semantic import process_reader, reader_health, run_semantic_screening
from bot.jobs.timers import fire_due_timers
from bot.metrics.endpoint import install_metrics
from bot.metrics.timed_reader import TimedReader
from bot.outbox import OutboxSender
from bot.settings import Settings
from bot.web.front import ServiceApp
from bot.web.request_limits import BodyLimits
from bot.web.security_headers import SecurityHeaders
from storage.queries.outbox import backlog

log = logging.getLogger(__name__)


def build_context(settings: Settings, *, clock: Callable[[], datetime] = utcnow) -> AppContext:
    data_keys.install(settings)
    return AppContext(
        settings=settings,
        database=Database.open(settings.database_url, checkpoint_in_background=True),
        flows=load_configured_flows(settings),
        clock=clock,
    )


def _configured_channels(ctx: AppContext) -> list[tuple[ChannelPlugin[Any], ChannelAdapter]]:
    """Each channel of the registry that the settings turn on, with its adapter, in the
    registry's order. Read from the module each time: tests register channels of their own."""
    return [(plugin, plugin.build(ctx)) for plugin in registry.plugins()
            if plugin.configured(ctx.settings)]


def _run_dispatch(ctx: AppContext) -> None:
    run_dispatch(ctx)  # batches, one transaction each; wakes the sender itself


def _one_transaction(work: Callable[[Session, AppContext], int]) -> Callable[[AppContext], None]:
    """A job: one transaction, then wake the sender if the work queued anything."""

    def job(ctx: AppContext) -> None:
        with ctx.database.transaction() as db:
            queued = work(db, ctx)
        if queued and ctx.sender is not None:
            ctx.sender.wake()

    job.__name__ = work.__name__  # the APScheduler job id
    return job


@_one_transaction
def _run_timers(db: Session, ctx: AppContext) -> int:
    return fire_due_timers(db, ctx.flows, ctx.clock(),
                           missed_checkins_for_watch=ctx.settings.missed_checkins_for_watch,
                           dashboard_url=ctx.settings.dashboard_url)


@_one_transaction
def _run_mentor_reminders(db: Session, ctx: AppContext) -> int:
    days = ctx.settings.mentor_reminder_after_days
    return run_mentor_reminders(db, ctx.clock(), default_days=days)


@_one_transaction
def _run_realerts(db: Session, ctx: AppContext) -> int:
    return run_realerts(db, ctx.clock(), dashboard_url=ctx.settings.dashboard_url)


@_one_transaction
def _run_watch_digest(db: Session, ctx: AppContext) -> int:
    return run_watch_digest(db, ctx.clock(), dashboard_url=ctx.settings.dashboard_url)


@_one_transaction
def _run_follow_ups(db: Session, ctx: AppContext) -> int:
    return run_follow_ups(db, ctx.clock(), dashboard_url=ctx.settings.dashboard_url)


@_one_transaction
def _run_retention(db: Session, ctx: AppContext) -> int:
    erase_old_bodies(db, ctx.clock(), default_days=ctx.settings.retention_days)
    return 0  # erases only: nothing to send


def _run_semantic_screening(ctx: AppContext) -> None:
    # Transactions of its own: on SQLite the model runs outside the write lock.
    reader = process_reader(ctx.settings.semantic_backend,
                            enabled=ctx.settings.semantic_screening)
    if reader is not None and ctx.metrics is not None:
        reader = TimedReader.wrap(reader, ctx.metrics)
    result = run_semantic_screening(ctx.database, reader, ctx.clock,
                                    dashboard_url=ctx.settings.dashboard_url)
    if result.alerts and ctx.sender is not None:
        ctx.sender.wake()


# (job, interval in seconds). Each claims its rows in batches, so several instances can run them.
JOBS: list[tuple[Callable[[AppContext], None], int]] = [
    (_run_realerts, 15),  # urgent: every 5 min until ACK, then the backup list
    (_run_timers, 30),  # nudges and expiries
    (_run_dispatch, -1),  # due check-ins; interval from DISPATCH_INTERVAL_SECONDS
    (_run_mentor_reminders, 15 * 60),  # runs through the day: quiet hours skip, later runs send
    (_run_watch_digest, 10 * 60),  # sends only during each program's digest hour
    (_run_follow_ups, 60),  # an owner's follow-up time has come: tell them once
    (_run_retention, 60 * 60),
    # Free-text replies a second time, by the semantic reader (SEMANTIC_SCREENING=false: they
    # are only marked as passed over, and no model is loaded).
    (_run_semantic_screening, 2),
]


def job_name(job: Callable[[AppContext], None]) -> str:
    """A job's name on /metrics: "dispatch", "timers", ... (its function name without _run_)."""
    return job.__name__.removeprefix("_run_")


def measured_job(job: Callable[[AppContext], None]) -> Callable[[AppContext], None]:
    """The job, timed and its failures counted when the app measures (METRICS_TOKEN)."""
    name = job_name(job)

    def run(ctx: AppContext) -> None:
        if ctx.metrics is None:
            job(ctx)
        else:
            ctx.metrics.timed_job(name, lambda: job(ctx))

    run.__name__ = job.__name__  # the APScheduler job id stays the same
    return run


def create_app(
    ctx: AppContext, *, run_sender: bool = True, run_scheduler: bool = True
) -> ServiceApp:
    channels = _configured_channels(ctx)
    ctx.channels = {plugin.channel: adapter for plugin, adapter in channels}

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        for channel in ctx.channels.values():
            await channel.start()
        sender = OutboxSender(ctx)
        ctx.sender = sender
        if run_sender:
            await sender.start()
        # The jobs (plain functions: database work is synchronous) run on threads of their own,
        # not on the event loop's executor that webhook turns and SMS sends use.
        job_threads = JobThreads(max_workers=len(JOBS))
        scheduler = AsyncIOScheduler(timezone="UTC", executors={"default": job_threads})
        if run_scheduler:
            # The schedule itself lives in database rows; these jobs only poll for due rows.
            now = ctx.clock()
            for job, seconds in JOBS:
                interval = ctx.settings.dispatch_interval_seconds if seconds < 0 else seconds
                # Timers run once at start, before the first dispatch: after downtime, a session
                # that should have expired must not block the person's next check-in.
                first = now if job is _run_timers else now + timedelta(seconds=interval)
                scheduler.add_job(measured_job(job), "interval", args=[ctx], seconds=interval,
                                  id=job.__name__, max_instances=1, coalesce=True,
                                  next_run_time=first)
            scheduler.start()
        log.info("peer-checkin started: channels=%s", sorted(c.value for c in ctx.channels))
        try:
            yield
        finally:
            if run_scheduler:
                # No new runs; then wait, off the event loop, for a job already running to end
                # its transaction before the sender and the database close under it. (APScheduler
                # queues its own shutdown on the loop, and its asyncio executor could only cancel
                # a running job's future: the job went on in its thread and the cancel was
                # logged as an error.)
                scheduler.pause()
                await asyncio.to_thread(job_threads.shutdown, True)
                scheduler.shutdown(wait=False)
            await sender.stop()
            for channel in ctx.channels.values():
                await channel.stop()
            ctx.database.close()
            log.info("peer-checkin stopped cleanly")

    app = ServiceApp(title="Peer Check-in", lifespan=lifespan, docs_url=None, redoc_url=None,
                     openapi_url=None)
    app.state.ctx = ctx
    # Asked per request: tests replace ctx.settings on a running app.
    app.public_https = lambda: ctx.settings.public_https
    app.add_middleware(SecurityHeaders, public_https=app.public_https)
    # Bodies: a small limit everywhere, a larger one only where a file is uploaded.
    app.request_limits.limits = BodyLimits(
        default_bytes=ctx.settings.max_request_bytes,
        body_seconds=ctx.settings.request_body_timeout_seconds,
        larger={"/people/import": ctx.settings.max_upload_bytes})

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        """200 with "status": "ok", or "degraded" with the reasons (nobody on call can be
        alerted somewhere: the instance still serves, so load balancers keep it); 503 only
        when the database cannot be reached. No names or addresses: it needs no login."""
        ready = reachability.ready_channels(ctx.settings)

        def probe() -> tuple[dict[str, object], list[str]]:
            # A read outside the write lock: a load balancer polling every few seconds must
            # never make a conversation turn wait (on SQLite a write transaction would).
            with ctx.database.reading() as db:
                db.execute(text("SELECT 1"))
                queue = backlog(db, now=ctx.clock())
                try:
                    reasons = reachability.health_reasons(
                        reachability.check_programs(db, ctx.clock(), ready=ready))
                except Exception as exc:  # reported, never a crash or a "database down"
                    reasons = [f"alert check failed: {type(exc).__name__}"]
                return queue, reasons

        database: dict[str, object]
        reasons: list[str]
        try:
            outbox, reasons = await asyncio.to_thread(probe)
            database = {"ok": True}
        except Exception as exc:  # the point of a health check is to report, not to raise
            outbox, database = {}, {"ok": False, "error": type(exc).__name__}
            reasons = ["database unreachable"]
        # A provider failing every send is an outage staff must hear of, even with the
        # database fine and everyone on call reachable on paper.
        reasons += [r for r in (a.failing() for a in ctx.channels.values()) if r]
        body = {
            "status": "ok" if not reasons else "degraded",
            "reasons": reasons,
            "database": database,
            "sender": ctx.sender.health() if ctx.sender else {"running": False},
            "outbox": outbox,
            "channels": {c.value: a.health() for c, a in ctx.channels.items()},
            "counters": dict(ctx.counters),
            "semantic_screening": {"enabled": ctx.settings.semantic_screening,
                                   **reader_health()},
        }
        return JSONResponse(body, status_code=200 if database["ok"] else 503)

    # Before the dashboard: /metrics is not a dashboard page (no login, its own token).
    ctx.metrics = install_metrics(app, ctx)
    if ctx.metrics is not None:
        for job, _seconds in JOBS:  # every job's series from the start, at zero
            ctx.metrics.job_failures.labels(job_name(job))
    mount_dashboard(app)
    # Each channel mounts its own routes (provider webhooks are answered in front of FastAPI).
    for plugin, adapter in channels:
        plugin.mount(app, ctx, adapter)
    return app
