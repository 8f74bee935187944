"""What the service benchmarks share: the database under test, the service as a real
`checkin serve` process pinned to core 0 and pointed at fake providers on loopback, and its
shutdown. The load generator pins itself to core 1 so the two never share a core."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from tests.fakes.twilio_api import TEST_ACCOUNT_SID, TEST_AUTH_TOKEN
from tests.pg import PgServer

BOT_TOKEN = "123456:BENCHTOKEN"
SECRET = "bench-secret-token-0123456789abcdef"
OUR_NUMBER = "+15005550006"


def two_cores() -> bool:
    return shutil.which("taskset") is not None and (os.cpu_count() or 1) >= 2


def pin_load_generator() -> None:
    """This process (load + fake providers) on core 1; the service gets core 0."""
    if two_cores():
        os.sched_setaffinity(0, {1})


def bench_database(db_kind: str, workdir: Path) -> tuple[str, PgServer | None]:
    """A fresh database URL; for PostgreSQL a server with real durability settings (fsync on,
    synchronous commit), on disk, not in RAM."""
    if db_kind == "sqlite":
        return f"sqlite:///{workdir}/bench.db", None
    pg = PgServer(settings=(), scratch_root=str(workdir)).start()
    return pg.url(pg.create_database("bench")), pg


def service_env(
    database_url: str, public_url: str, telegram_url: str, twilio_url: str, *, sms_rate: float
) -> dict[str, str]:
    return {
        **os.environ, "DATABASE_URL": database_url, "PUBLIC_BASE_URL": public_url,
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_MODE": "webhook", "TELEGRAM_API_BASE_URL": f"{telegram_url}/bot",
        "TWILIO_ACCOUNT_SID": TEST_ACCOUNT_SID, "TWILIO_AUTH_TOKEN": TEST_AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": OUR_NUMBER, "TWILIO_API_BASE_URL": twilio_url,
        "SMS_RATE_PER_SECOND": str(sms_rate), "LOG_LEVEL": "WARNING",
    }


def start_service(port: int, env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """`checkin serve` on `port`, pinned to core 0, its output in `log_path`."""
    cmd = [str(Path(sys.executable).with_name("checkin")), "serve", "--port", str(port)]
    if two_cores():
        cmd = ["taskset", "-c", "0", *cmd]
    with open(log_path, "wb") as log:  # the child keeps its own handle
        return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop_service(proc: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM (a clean shutdown through the app's lifespan), then kill if it hangs."""
    if proc is None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
