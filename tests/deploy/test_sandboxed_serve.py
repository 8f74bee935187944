"""`checkin serve` inside the file-system sandbox of deploy/peer-checkin.service.

systemd-analyze checks the unit's options (test_systemd_unit.py) but cannot run it here: there
is no systemd as PID 1 on a build machine. This test builds the same file-system view by hand,
in a mount namespace of its own (`unshare --mount`: nothing changes outside it):

- ProtectSystem=strict: every mount read-only, but the API file systems (/proc, /sys, /dev);
- StateDirectory=peer-checkin: /var/lib/peer-checkin the one writable folder (the test's own
  folder mounted there, so it can look at the files afterwards);
- PrivateTmp: an empty /tmp and /var/tmp of its own;
- CapabilityBoundingSet= and NoNewPrivileges: no capabilities at all, none to gain
  (`setpriv`); the working folder and HOME are the state folder, as the unit and the
  peer-checkin user's home make them.

Then it runs what the unit runs, `checkin db upgrade` and then `checkin serve`, with the
SQLite file the docs name, and drives it: it creates its database, is healthy, takes an SMS
turn (crisis words from an unknown sender) whose crisis reply goes through the outbox to the
fake Twilio and is recorded as sent, and a SIGTERM ends it with status 0. So the service needs
nothing writable but its state folder.

Making mount namespaces needs root (CI runs as root), like the other deployment tests it is
marked `systemd`: `pytest -m 'not systemd'` leaves it out on a development machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.bot.helpers import wait_until
from tests.fakes.server import LoopbackServer
from tests.fakes.twilio_api import (
    SIGNATURE_HEADER,
    TEST_ACCOUNT_SID,
    TEST_AUTH_TOKEN,
    FakeTwilio,
    inbound_sms_form,
    new_message_sid,
    sign,
)
from tests.pg import _free_port

pytestmark = pytest.mark.systemd

STATE = "/var/lib/peer-checkin"
OUR_NUMBER = "+15005550006"
STRANGER = "+13125550177"

# $1: the test's folder to mount as the state folder; $2: the checkin command; $3...: the
# folders the code runs from (the checkout and its venv).
SANDBOX = r"""
set -eu
state_source=$1 checkin=$2
shift 2
# The state folder first, while the test's folder (under /tmp) is still visible.
mount -t tmpfs -o mode=0755 tmpfs /var/lib
mkdir /var/lib/peer-checkin
mount --bind "$state_source" /var/lib/peer-checkin
# PrivateTmp. A checkout under /tmp (a clone in a temporary folder, as CI may make) stays
# where it is, read-only below like /opt is for the real unit: the old /tmp is held aside,
# the code folders are bound back into the new, empty one, and the old one is let go.
mkdir /var/lib/.old-tmp
mount --bind /tmp /var/lib/.old-tmp
mount -t tmpfs -o mode=1777 tmpfs /tmp
for code in "$@"; do
  case "$code" in
    /tmp/*) mkdir -p "$code"; mount --bind "/var/lib/.old-tmp/${code#/tmp/}" "$code" ;;
  esac
done
umount -l /var/lib/.old-tmp
rmdir /var/lib/.old-tmp
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
# ProtectSystem=strict: everything else read-only.
findmnt -rn -o TARGET | while read -r target; do
  case "$target" in
    /proc|/proc/*|/sys|/sys/*|/dev|/dev/*|/tmp|/var/tmp|/var/lib/peer-checkin) continue ;;
  esac
  mount -o remount,bind,ro "$target" || { echo "sandbox: cannot make $target read-only" >&2; exit 97; }
done
# The sandbox holds: the installed code cannot be written.
if touch "$(dirname "$checkin")/.sandbox-probe" 2>/dev/null; then
  echo "sandbox: the code folder is writable" >&2; exit 98
fi
cd /var/lib/peer-checkin
exec setpriv --no-new-privs --inh-caps=-all --ambient-caps=-all --bounding-set=-all -- \
  sh -c '"$1" db upgrade && exec "$1" serve' sandboxed-serve "$checkin"
"""


def _code_folders() -> list[str]:
    """The checkout (an editable install runs from it) and the venv, resolved."""
    return sorted({str(Path(__file__).resolve().parents[2]),
                   str(Path(sys.prefix).resolve())})


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_the_service_runs_with_only_its_state_folder_writable(tmp_path: Path) -> None:
    unshare = shutil.which("unshare")
    if os.geteuid() != 0 or unshare is None or shutil.which("setpriv") is None:
        pytest.fail("this test makes a mount namespace: run it as root with util-linux's "
                    "unshare and setpriv (as CI does), or leave it out with "
                    "-m 'not systemd'", pytrace=False)
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    log = tmp_path / "serve.log"
    checkin = str(Path(sys.executable).with_name("checkin"))
    port = _free_port()
    twilio = FakeTwilio()
    with LoopbackServer(twilio) as tw_server:
        public = f"http://127.0.0.1:{port}"
        # What /etc/peer-checkin/peer-checkin.env would hold (EnvironmentFile), nothing more.
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": STATE, "LANG": "C.UTF-8",
               "DATABASE_URL": f"sqlite:///{STATE}/peer-checkin.db", "HOST": "127.0.0.1",
               "PORT": str(port), "PUBLIC_BASE_URL": public,
               "TWILIO_ACCOUNT_SID": TEST_ACCOUNT_SID, "TWILIO_AUTH_TOKEN": TEST_AUTH_TOKEN,
               "TWILIO_FROM_NUMBER": OUR_NUMBER, "TWILIO_API_BASE_URL": tw_server.url,
               "LOG_LEVEL": "INFO"}
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [unshare, "--mount", "--propagation", "private", "--", "bash", "-c", SANDBOX,
                 "sandbox", str(state), checkin, *_code_folders()],
                env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            up = wait_until(lambda: proc.poll() is not None or _healthy(port), 90, every=0.2)
            assert up and proc.poll() is None, log.read_text()[-3000:]
            form = inbound_sms_form(new_message_sid(), STRANGER, OUR_NUMBER, "i want to die")
            url = f"{public}/webhooks/twilio/sms"
            answer = httpx.post(url, data=form, timeout=30,
                                headers={SIGNATURE_HEADER: sign(url, form, TEST_AUTH_TOKEN)})
            assert answer.status_code == 200, answer.text
            assert wait_until(lambda: any(m["to"] == STRANGER and "988" in m["body"]
                                          for m in twilio.sent), 30), twilio.sent
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    output = log.read_text()
    assert proc.returncode == 0, output[-3000:]
    assert "peer-checkin stopped cleanly" in output
    assert "Read-only file system" not in output and "Permission denied" not in output
    database = state / "peer-checkin.db"
    assert oct(database.stat().st_mode & 0o777) == oct(0o600)
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # The crisis reply went through the outbox: written in the turn, sent, recorded.
        sent = conn.execute("SELECT kind, status FROM message WHERE direction = 'outbound' "
                            "AND address = ?", (STRANGER,)).fetchall()
        assert sent == [("crisis", "sent")]
    finally:
        conn.close()
