"""deploy/peer-checkin.service, the unit deployers install (docs/deploy.md), and the nightly
backup (deploy/peer-checkin-backup.service and .timer).

Two checks. systemd's own: `systemd-analyze verify` (every key known, every value valid, the
commands executable) and `systemd-analyze security --offline` (the exposure score systemd
computes from the sandboxing options). And ours, reading the file as systemd would (a key may
repeat, so each value is kept): the hardening options the service relies on are there, and it
runs the installed `checkin` console script.

systemd-analyze is required, not optional, as nginx is for the proxy test: without it the test
fails saying how to install it (the apt-get line in .ci/run); `pytest -m "not systemd"` leaves
it out on a development machine without systemd.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "peer-checkin.service"
BACKUP_UNIT = ROOT / "deploy" / "peer-checkin-backup.service"
BACKUP_TIMER = ROOT / "deploy" / "peer-checkin-backup.timer"
UNITS = (UNIT, BACKUP_UNIT, BACKUP_TIMER)
BACKUPS = "/var/backups/peer-checkin"
# Where docs/deploy.md installs the service: a virtual environment under /opt.
INSTALLED_CHECKIN = "/opt/peer-checkin/.venv/bin/checkin"
INSTALL_HINT = ("systemd-analyze is not installed, and this test runs it on the shipped unit: "
                "install it with the apt-get line in .ci/run (apt-get install -y systemd), or "
                "leave this test out on a development machine with: pytest -m 'not systemd'")


def unit_options(text: str) -> dict[str, dict[str, list[str]]]:
    """section -> key -> every value given, in order (systemd keys may repeat, which
    configparser refuses). Comments, blank lines and line continuations as systemd reads them."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    pending = ""
    for raw in text.splitlines():
        line = pending + raw.strip()
        pending = ""
        if not line or line.startswith(("#", ";")):
            continue
        if line.endswith("\\"):
            pending = line[:-1].rstrip() + " "
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"{line!r} before any [section]"
        key, sep, value = line.partition("=")
        assert sep, f"not a key=value line: {line!r}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def service_options() -> dict[str, list[str]]:
    return unit_options(UNIT.read_text())["Service"]


def one(options: dict[str, list[str]], key: str) -> str:
    values = options.get(key)
    assert values and len(values) == 1, f"{key}: expected one value, got {values}"
    return values[0]


def systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    return found


def test_the_unit_parser_reads_repeated_keys_and_continuations() -> None:
    parsed = unit_options("[Service]\n# a comment\nA=1\nA=2\nB=x \\\n  y\n")
    assert parsed == {"Service": {"A": ["1", "2"], "B": ["x y"]}}


def test_the_service_runs_the_installed_checkin_serve_after_migrating() -> None:
    options = service_options()
    assert one(options, "ExecStart") == f"{INSTALLED_CHECKIN} serve"
    assert one(options, "ExecStartPre") == f"{INSTALLED_CHECKIN} db upgrade"
    # The command is the console script this project installs under that name.
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["checkin"] == "bot.cli:app"
    assert one(options, "Restart") == "on-failure"
    assert one(options, "EnvironmentFile") == "/etc/peer-checkin/peer-checkin.env"


def test_the_service_is_sandboxed() -> None:
    options = service_options()
    # A dedicated user (see the unit's first comment for why not DynamicUser).
    assert one(options, "User") == "peer-checkin"
    assert "DynamicUser" not in options
    expected = {
        "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes",
        "NoNewPrivileges": "yes", "PrivateDevices": "yes", "RestrictSUIDSGID": "yes",
        "UMask": "0077", "CapabilityBoundingSet": "",
    }
    for key, value in expected.items():
        assert one(options, key) == value, key
    # The one writable place: the SQLite folder, made by systemd, private to the user.
    assert one(options, "StateDirectory") == "peer-checkin"
    assert one(options, "StateDirectoryMode") == "0700"
    assert "ReadWritePaths" not in options  # nothing else is writable
    assert set(one(options, "RestrictAddressFamilies").split()) == {
        "AF_INET", "AF_INET6", "AF_UNIX"}
    assert options["SystemCallFilter"] == ["@system-service", "~@privileged @resources"]


def test_the_documented_database_url_is_inside_the_writable_folder() -> None:
    """The SQLite file the docs name must be where ProtectSystem=strict lets the service write."""
    state = "/var/lib/" + one(service_options(), "StateDirectory") + "/"
    documented = (ROOT / "docs" / "deploy.md").read_text()
    assert f"DATABASE_URL=sqlite:///{state}peer-checkin.db" in documented
    assert f"DATABASE_URL=sqlite:///{state}peer-checkin.db" in UNIT.read_text()


def _units_with_this_checkin(folder: Path) -> dict[str, Path]:
    """The shipped units with exactly one change: the install path of `checkin` replaced by
    this test environment's (verify checks that the command exists and is executable)."""
    here = str(Path(sys.executable).with_name("checkin"))
    copies = {}
    for unit in UNITS:
        text = unit.read_text()
        if unit.suffix == ".service":
            assert INSTALLED_CHECKIN in text, unit.name
        copies[unit.name] = folder / unit.name
        copies[unit.name].write_text(text.replace(INSTALLED_CHECKIN, here))
    return copies


@pytest.mark.systemd
def test_systemd_verify_accepts_the_units(tmp_path: Path) -> None:
    units = _units_with_this_checkin(tmp_path)
    done = subprocess.run([systemd_analyze(), "verify", *map(str, units.values())],
                          capture_output=True, text=True, timeout=60)
    # verify exits 0 even for an unknown key or a bad value, which it reports on stderr.
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr


@pytest.mark.systemd
def test_systemd_verify_would_report_a_misspelt_option(tmp_path: Path) -> None:
    """The check above can fail: a typo in a hardening option is reported, not ignored."""
    unit = _units_with_this_checkin(tmp_path)[UNIT.name]
    unit.write_text(unit.read_text().replace("ProtectSystem=strict", "ProtectSystm=strict"))
    done = subprocess.run([systemd_analyze(), "verify", str(unit)], capture_output=True,
                          text=True, timeout=60)
    assert "ProtectSystm" in done.stderr


@pytest.mark.systemd
@pytest.mark.parametrize("name", [UNIT.name, BACKUP_UNIT.name])
def test_systemd_rates_the_sandbox_exposure_low(tmp_path: Path, name: str) -> None:
    """systemd's own score of the sandbox, 0 (locked down) to 10 (none): 1.3 today; above 2.0
    means an option was dropped."""
    unit = _units_with_this_checkin(tmp_path)[name]
    done = subprocess.run([systemd_analyze(), "security", "--offline=yes", "--threshold=20",
                           str(unit)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr


def test_the_backup_unit_is_sandboxed_like_the_service() -> None:
    service, backup = service_options(), unit_options(BACKUP_UNIT.read_text())["Service"]
    for key, values in service.items():
        if key.startswith(("Exec", "Restart", "Timeout", "Type")):
            continue
        assert backup.get(key) == values, key
    # Its one more writable place: the backups folder.
    assert one(backup, "ReadWritePaths") == BACKUPS


def _unescape(command: str) -> str:
    """A unit's command line as systemd runs it: %% is a literal %; no other specifier used."""
    assert "%" not in command.replace("%%", ""), f"a specifier the test does not know: {command}"
    return command.replace("%%", "%")


def test_the_backup_units_commands_back_up_and_prune(tmp_path: Path) -> None:
    """The backup unit's ExecStart and ExecStartPost, run as shipped but for two paths: the
    backups folder and the installed checkin. A new backup appears with a dated name and is
    whole; a backup older than 14 days is removed, a recent one kept."""
    here = str(Path(sys.executable).with_name("checkin"))
    backups = tmp_path / "backups"
    backups.mkdir()
    database = tmp_path / "peer-checkin.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run([here, "db", "upgrade"], env=env, check=True, capture_output=True,
                   timeout=120)
    old, recent = backups / "peer-checkin-20250101T031500Z.backup", backups / "keep.backup"
    old.write_bytes(b"old")
    recent.write_bytes(b"recent")
    twenty_days_ago = time.time() - 20 * 86400
    os.utime(old, (twenty_days_ago, twenty_days_ago))
    options = unit_options(BACKUP_UNIT.read_text())["Service"]
    for key in ("ExecStart", "ExecStartPost"):
        command = _unescape(one(options, key)).replace(INSTALLED_CHECKIN, here)
        command = command.replace(BACKUPS, str(backups))
        done = subprocess.run(shlex.split(command), env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, (key, done.stdout, done.stderr)
    made = sorted(p.name for p in backups.iterdir())
    assert not old.exists() and recent.exists(), made
    [new] = [name for name in made if re.fullmatch(r"peer-checkin-\d{8}T\d{6}Z\.backup", name)]
    conn = sqlite3.connect(f"file:{backups / new}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


def test_the_timer_starts_the_backup_nightly() -> None:
    timer = unit_options(BACKUP_TIMER.read_text())
    assert one(timer["Timer"], "OnCalendar") == "*-*-* 03:15:00"
    assert one(timer["Timer"], "Persistent") == "true"
    assert one(timer["Install"], "WantedBy") == "timers.target"
