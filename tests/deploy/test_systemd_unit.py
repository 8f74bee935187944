"""deploy/peer-checkin.service, the unit deployers install (docs/deploy.md).

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

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "peer-checkin.service"
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


def _unit_with_this_checkin(folder: Path) -> Path:
    """The shipped unit with exactly one change: the install path of `checkin` replaced by this
    test environment's (verify checks that the command exists and is executable)."""
    text = UNIT.read_text()
    assert INSTALLED_CHECKIN in text
    here = str(Path(sys.executable).with_name("checkin"))
    copy = folder / UNIT.name
    copy.write_text(text.replace(INSTALLED_CHECKIN, here))
    return copy


@pytest.mark.systemd
def test_systemd_verify_accepts_the_unit(tmp_path: Path) -> None:
    unit = _unit_with_this_checkin(tmp_path)
    done = subprocess.run([systemd_analyze(), "verify", str(unit)], capture_output=True,
                          text=True, timeout=60)
    # verify exits 0 even for an unknown key or a bad value, which it reports on stderr.
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr


@pytest.mark.systemd
def test_systemd_verify_would_report_a_misspelt_option(tmp_path: Path) -> None:
    """The check above can fail: a typo in a hardening option is reported, not ignored."""
    unit = _unit_with_this_checkin(tmp_path)
    unit.write_text(unit.read_text().replace("ProtectSystem=strict", "ProtectSystm=strict"))
    done = subprocess.run([systemd_analyze(), "verify", str(unit)], capture_output=True,
                          text=True, timeout=60)
    assert "ProtectSystm" in done.stderr


@pytest.mark.systemd
def test_systemd_rates_the_sandbox_exposure_low(tmp_path: Path) -> None:
    """systemd's own score of the sandbox, 0 (locked down) to 10 (none): 1.3 today; above 2.0
    means an option was dropped."""
    unit = _unit_with_this_checkin(tmp_path)
    done = subprocess.run([systemd_analyze(), "security", "--offline=yes", "--threshold=20",
                           str(unit)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
