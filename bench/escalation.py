"""Urgent never waits: from a mentee's concerning SMS at the webhook to the supervisor alert at the
provider, with a large routine backlog draining at real channel rates.

Before the service starts: 50,000 routine messages are bulk-inserted (Core) into the outbox, half
to SMS numbers and half to Telegram chats; a program has two on-call supervisors (one on SMS and
Telegram, one on Telegram only); and one fresh mentee per run is enrolled, her check-in started
and her comfort question already answered, so she sits at the safety question. The service is a
real `checkin serve` subprocess pinned to core 0 (SMS_RATE_PER_SECOND=30, so the routine backlog
keeps both channels busy for the whole benchmark); this process -- the load generator and the
fake Twilio / Telegram servers, which stamp the receive time of every request -- runs on core 1.

Each run POSTs a signed Twilio webhook from one mentee answering "1" (urgent: crisis reply and
alerts to every on-call supervisor on every channel). Latency is from just before the request is
written to when the fake provider received the last of that escalation's alerts (matched by
recipient and "alert #<id>"). Runs are spaced (default 0.2 s apart) and sent open loop.

    .venv/bin/python bench/escalation.py [--runs 200] [--backlog 50000] [--db sqlite|postgresql]
                                         [--sms-rate 30]

With --sms-rate 1 (a US long code's pace; use fewer, wider-spaced runs, e.g. --runs 20
--spacing 3) it shows what an SMS alert waits for when routine SMS are queued for the same
sender.

With --provider-failing, Twilio is down (every message creation answers 503) and the program has
one on-call supervisor with SMS only and a backup admin with Telegram only: each urgent alert
fails at Twilio and must fail over to the backup. The figures are then from the first failed
attempt of the supervisor's alert (the fake's log of the 503) to the backup's Telegram alert
(`failover_p50_ms` ...; only escalations whose own alert reached Twilio: while one alert to the
supervisor is being retried, later ones wait behind it at the same address and fail over when
queued, without an attempt of their own), and from the webhook to the backup's alert for every
run (`p50_ms` ...).

Traffic goes only to 127.0.0.1; every loop and wait is bounded; it stops by itself. The last line
printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert  # noqa: E402
from sqlmodel import select  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from bench.inbound import Connection, Request, percentile, wait_healthy  # noqa: E402
from bench.service import (  # noqa: E402
    BOT_TOKEN,
    OUR_NUMBER,
    bench_database,
    pin_load_generator,
    service_env,
    start_service,
    stop_service,
)
from bot.database import Database  # noqa: E402
from bot.flow_registry import load_configured_flows  # noqa: E402
from bot.runner import handle_inbound, start_checkin  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from storage.models import (  # noqa: E402
    Channel,
    Direction,
    Escalation,
    Lane,
    Message,
    MessageStatus,
    Role,
)
from storage.queries import people  # noqa: E402
from tests.fakes.server import LoopbackServer  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402
from tests.fakes.twilio_api import TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, FakeTwilio  # noqa: E402
from tests.pg import _free_port  # noqa: E402

SMS_RATE = 30
TARGET_P99_MS = 1000
SUP1_PHONE = "+13125550201"
SUP1_CHAT = 900201
SUP2_CHAT = 900202
ADMIN_CHAT = 900301
ALERTS_PER_RUN = 3  # supervisor 1 on SMS and Telegram, supervisor 2 on Telegram
ROUTINE_BODY = "Routine reminder: your group meets Thursday at 6pm."
_ALERT = re.compile(r"alert #(\d+) ")


@dataclass
class Run:
    mentee_id: int
    phone: str
    request: Request
    sent_at: float = 0.0  # time.time() just before the request was written
    answered_at: float = 0.0
    status: int = 0


def _insert_backlog(database: Database, count: int, now: datetime) -> None:
    """``count`` routine outbox rows, half SMS and half Telegram, all due now (Core, chunked)."""
    table = Message.__table__  # type: ignore[attr-defined]
    chunk = 5000
    with database.engine.begin() as conn:
        for start in range(0, count, chunk):
            rows: list[dict[str, Any]] = []
            for n in range(start, min(count, start + chunk)):
                sms = n % 2 == 0
                rows.append({
                    "direction": Direction.outbound,
                    "channel": Channel.sms if sms else Channel.telegram,
                    "address": f"+1415{n:07d}" if sms else str(50_000_000 + n),
                    "body": ROUTINE_BODY, "kind": "reminder",
                    "status": MessageStatus.pending, "lane": Lane.routine,
                    "priority": Lane.routine.priority, "attempts": 0,
                    "next_attempt_at": now, "created_at": now, "updated_at": now,
                })
            conn.execute(insert(table), rows)


def _enrol(database: Database, settings: Any, runs: int, public: str,
           failing: bool = False) -> list[Run]:
    """The staff, and one mentee per run already at the safety question. ``failing``: one
    on-call supervisor on SMS only, and a backup admin on Telegram only."""
    flows = load_configured_flows(settings)
    now = datetime.now(UTC) - timedelta(minutes=5)
    consent = now - timedelta(days=30)
    validator = RequestValidator(TEST_AUTH_TOKEN)
    out: list[Run] = []
    with database.transaction() as db:
        program = people.add_program(db, "Bench", timezone="UTC", now=now)
        assert program.id is not None
        sup1 = people.add_person(db, program.id, Role.supervisor, "Sam Rivera", now=now)
        assert sup1.id is not None
        people.add_contact(db, sup1.id, Channel.sms, SUP1_PHONE, consent_at=consent, now=now)
        if failing:  # no rota: supervisors on call, admins the backup list
            admin = people.add_person(db, program.id, Role.admin, "Ada Brooks", now=now)
            assert admin.id is not None
            people.add_contact(db, admin.id, Channel.telegram, str(ADMIN_CHAT), now=now)
        else:
            sup2 = people.add_person(db, program.id, Role.supervisor, "Tess Nguyen", now=now)
            assert sup2.id is not None
            people.add_contact(db, sup1.id, Channel.telegram, str(SUP1_CHAT), now=now)
            people.add_contact(db, sup2.id, Channel.telegram, str(SUP2_CHAT), now=now)
        for i in range(runs):
            phone = f"+1312{i:07d}"
            person = people.add_person(db, program.id, Role.mentee, f"Mentee {i}", now=now)
            assert person.id is not None
            contact = people.add_contact(db, person.id, Channel.sms, phone, consent_at=consent,
                                         now=now)
            start_checkin(db, flows, person, "mentee_checkin", contact, now)
            handle_inbound(db, flows, channel="sms", address=phone, text="4",
                           provider_id=f"SMcomfort{i:08d}", now=now)
            form = {"MessageSid": f"SMsafety{i:08d}", "AccountSid": TEST_ACCOUNT_SID,
                    "From": phone, "To": OUR_NUMBER, "Body": "1", "NumMedia": "0"}
            signature = validator.compute_signature(f"{public}/webhooks/twilio/sms", form)
            request = Request(
                "/webhooks/twilio/sms",
                {"Content-Type": "application/x-www-form-urlencoded",
                 "X-Twilio-Signature": signature},
                urllib.parse.urlencode(form).encode(),
            )
            out.append(Run(person.id, phone, request))
    return out


async def _fire(port: int, runs: list[Run], spacing: float) -> None:
    """Open loop: run i is sent at start + i * spacing, whatever the previous ones are doing."""
    free: list[Connection] = []

    async def one(run: Run) -> None:
        conn = free.pop() if free else Connection(port)
        run.sent_at = time.time()
        run.status = await conn.post(run.request)
        run.answered_at = time.time()
        free.append(conn)

    start = time.perf_counter()
    tasks = []
    for i, run in enumerate(runs):
        delay = start + i * spacing - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(run)))
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=120 + len(runs) * spacing)
    for conn in free:
        await conn.close()


def _alerts(telegram: FakeTelegram, twilio: FakeTwilio) -> dict[int, list[tuple[str, float]]]:
    """{escalation id: [(recipient, receive time)]} for every alert the fakes received."""
    found: dict[int, list[tuple[str, float]]] = {}
    for m in list(twilio.sent):
        match = _ALERT.search(m["body"])
        if match:
            found.setdefault(int(match[1]), []).append((f"sms:{m['to']}", m["at"]))
    for m in list(telegram.sent):
        match = _ALERT.search(m["text"])
        if match:
            found.setdefault(int(match[1]), []).append((f"telegram:{m['chat_id']}", m["at"]))
    return found


def _first_failures(twilio: FakeTwilio) -> dict[int, float]:
    """{escalation id: when Twilio answered the first 5xx to one of its alerts}."""
    found: dict[int, float] = {}
    for request in list(twilio.requests):
        match = _ALERT.search(str(request["params"].get("Body", "")))
        if match and request["status"] >= 500:
            found.setdefault(int(match[1]), request["at"])
    return found


def _ms(values: list[float], q: float) -> float:
    return round(percentile(values, q) * 1000, 1) if values else float("nan")


def run_bench(db_kind: str, runs_n: int, backlog: int, spacing: float, workdir: Path,
              sms_rate: float = SMS_RATE, provider_failing: bool = False) -> dict:
    proc: subprocess.Popen[bytes] | None = None
    url, pg = bench_database(db_kind, workdir)
    telegram, twilio = FakeTelegram(BOT_TOKEN), FakeTwilio()
    per_run = 1 if provider_failing else ALERTS_PER_RUN  # failing: the backup's Telegram alert
    if provider_failing:
        twilio.set_down(True)
    try:
        with LoopbackServer(telegram) as tg_server, LoopbackServer(twilio) as tw_server:
            port = _free_port()
            public = f"http://127.0.0.1:{port}"
            env = service_env(url, public, tg_server.url, tw_server.url, sms_rate=sms_rate)
            settings = load_settings(database_url=url)
            database = Database.open(url)
            database.upgrade()
            t0 = time.perf_counter()
            _insert_backlog(database, backlog, datetime.now(UTC) - timedelta(minutes=10))
            runs = _enrol(database, settings, runs_n, public, provider_failing)
            database.engine.dispose()
            setup_s = time.perf_counter() - t0

            proc = start_service(port, env, workdir / "service.log")
            wait_healthy(public, proc)
            time.sleep(2.0)  # the routine lanes are now draining the backlog at full rate
            routine_before = len(twilio.sent) + len(telegram.sent)

            asyncio.run(_fire(port, runs, spacing))
            expected = per_run * len(runs)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if sum(len(v) for v in _alerts(telegram, twilio).values()) >= expected:
                    break
                time.sleep(0.1)
            delivered_during = len(twilio.sent) + len(telegram.sent) - routine_before

            database = Database.open(url)
            with database.transaction() as db:
                esc_of: dict[int, int] = {
                    p: e for e, p in db.exec(select(Escalation.id, Escalation.person_id))
                    if e is not None
                }
                pending_routine = db.exec(select(func.count()).select_from(Message).where(
                    Message.status == MessageStatus.pending, Message.lane == Lane.routine,
                )).one()
            database.engine.dispose()
    finally:
        stop_service(proc)
        if pg is not None:
            pg.stop()

    found = _alerts(telegram, twilio)
    failed_at = _first_failures(twilio)
    last, first, sms_only, webhook, failover = [], [], [], [], []
    missing = bad_status = 0
    for run in runs:
        bad_status += run.status != 200
        webhook.append(run.answered_at - run.sent_at)
        esc_id = esc_of.get(run.mentee_id, -1)
        got = found.get(esc_id, [])
        if len(got) < per_run:
            missing += 1
            continue
        times = [at for _who, at in got[:per_run]]
        last.append(max(times) - run.sent_at)
        first.append(min(times) - run.sent_at)
        if provider_failing:
            backup = next(at for who, at in got if who == f"telegram:{ADMIN_CHAT}")
            if esc_id in failed_at:
                failover.append(backup - failed_at[esc_id])
        else:
            sms_only.append(next(at for who, at in got if who.startswith("sms:")) - run.sent_at)
    extra: dict[str, Any] = {}
    if provider_failing:
        extra = {
            "provider_failing": "twilio 503 on every message",
            "failover_runs": len(failover),
            "failover_p50_ms": _ms(failover, 0.5),
            "failover_p99_ms": _ms(failover, 0.99),
            "failover_max_ms": round(max(failover) * 1000, 1) if failover else float("nan"),
            "failover_target_ms": 30_000,
        }
    return {
        "runs": len(runs),
        "routine_backlog": backlog,
        "p50_ms": round(statistics.median(last) * 1000, 1) if last else float("nan"),
        "p99_ms": _ms(last, 0.99),
        "max_ms": round(max(last) * 1000, 1) if last else float("nan"),
        "db": db_kind,
        "target_p99_ms": TARGET_P99_MS,
        "first_alert_p50_ms": _ms(first, 0.5),
        "first_alert_p99_ms": _ms(first, 0.99),
        "sms_alert_p50_ms": _ms(sms_only, 0.5),
        "sms_alert_p99_ms": _ms(sms_only, 0.99),
        "webhook_p50_ms": _ms(webhook, 0.5),
        "webhook_p99_ms": _ms(webhook, 0.99),
        "spacing_s": spacing,
        "sms_rate_per_s": sms_rate,
        # minus the urgent ones (with Twilio down, the crisis replies by SMS fail)
        "routine_sent_during_runs": (delivered_during - expected
                                     - (0 if provider_failing else len(runs))),
        "routine_still_pending": pending_routine,
        "runs_missing_alerts": missing,
        "webhook_non_200": bad_status,
        "setup_s": round(setup_s, 1),
        **extra,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--backlog", type=int, default=50_000, help="routine messages waiting")
    parser.add_argument("--spacing", type=float, default=0.2, help="seconds between runs")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--sms-rate", type=float, default=SMS_RATE,
                        help="SMS_RATE_PER_SECOND of the service (a US long code: 1)")
    parser.add_argument("--provider-failing", action="store_true",
                        help="Twilio answers 503: the SMS-only supervisor's alerts must fail "
                             "over to the backup on Telegram")
    args = parser.parse_args()
    if not 1 <= args.runs <= 5000:
        parser.error("--runs must be 1..5000")
    if not 0.1 <= args.sms_rate <= 1000:
        parser.error("--sms-rate must be between 0.1 and 1000")
    if not 0.01 <= args.spacing <= 5:
        parser.error("--spacing must be 0.01..5 seconds")
    if not 0 <= args.backlog <= 1_000_000:
        parser.error("--backlog must be 0..1,000,000")
    pin_load_generator()
    with tempfile.TemporaryDirectory(prefix="bench-escalation-") as tmp:
        os.chmod(tmp, 0o755)  # PostgreSQL runs as the postgres user when we are root
        workdir = Path(tmp) / args.db
        workdir.mkdir()
        if args.db == "postgresql":
            os.chmod(workdir, 0o777)
        result = run_bench(args.db, args.runs, args.backlog, args.spacing, workdir,
                           args.sms_rate, args.provider_failing)
    print(f"{result['db']}: {result['runs']} urgent replies with {result['routine_backlog']} "
          f"routine messages waiting -> all alerts at the provider p50 {result['p50_ms']} ms, "
          f"p99 {result['p99_ms']} ms, max {result['max_ms']} ms (first alert p50 "
          f"{result['first_alert_p50_ms']} ms; webhook answered p50 {result['webhook_p50_ms']} "
          f"ms); routine sent meanwhile: {result['routine_sent_during_runs']}, "
          f"missing: {result['runs_missing_alerts']}")
    if args.provider_failing:
        print(f"provider failing: first failed attempt -> backup's alert p50 "
              f"{result['failover_p50_ms']} ms, p99 {result['failover_p99_ms']} ms, max "
              f"{result['failover_max_ms']} ms over {result['failover_runs']} escalations "
              f"(target {result['failover_target_ms']} ms); webhook -> backup's alert, every "
              f"run: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, max "
              f"{result['max_ms']} ms")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
