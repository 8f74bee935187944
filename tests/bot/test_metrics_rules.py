"""deploy/prometheus-rules.yml: valid for Prometheus (`promtool check rules`), firing when it
should and quiet when it should (`promtool test rules` on deploy/prometheus-rules.test.yml), and
naming only metrics that /metrics really exports.

promtool is required, not optional: it comes with Debian's `prometheus` package, installed by
.ci/run. Without it the promtool tests fail, saying how to install it; on a development machine
without it, `pytest -m "not promtool"` leaves them out.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from bot.app import build_context, create_app
from bot.settings import load_settings
from tests.bot.helpers import database_for

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
RULES = DEPLOY / "prometheus-rules.yml"
RULE_TESTS = DEPLOY / "prometheus-rules.test.yml"
METRICS_TOKEN = "scrape-token-0123456789abcdef"
INSTALL_HINT = ("promtool is not installed, and these tests run it on the shipped rules: "
                "install it with the apt-get line in .ci/run (apt-get install -y "
                "--no-install-recommends prometheus), or leave these tests out on a development "
                "machine with: pytest -m 'not promtool'")
METRIC_NAME = re.compile(r"\bpeer_checkin_[a-z_]+\b")
# What the exposition adds to a family's name, per type (a counter's TYPE line already
# names it with _total).
SUFFIXES = {"counter": ("",), "gauge": ("",),
            "histogram": ("_bucket", "_count", "_sum", "_created")}


def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    return found


@pytest.mark.promtool
def test_promtool_accepts_the_rules() -> None:
    done = subprocess.run([promtool(), "check", "rules", str(RULES)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


@pytest.mark.promtool
def test_rules_fire_and_stay_quiet_as_their_unit_tests_say() -> None:
    done = subprocess.run([promtool(), "test", "rules", str(RULE_TESTS)], capture_output=True,
                          text=True, timeout=60, cwd=DEPLOY)
    assert done.returncode == 0, done.stdout + done.stderr


def rule_metric_names() -> set[str]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    exprs = [rule["expr"] for group in groups for rule in group["rules"]]
    assert exprs, "no rules found"
    return {name for expr in exprs for name in METRIC_NAME.findall(expr)}


def exported_names(exposition: str) -> set[str]:
    """Every sample name the exposition can hold, from its # TYPE lines (a labelled metric
    nobody has moved yet has its TYPE line and no samples)."""
    names: set[str] = set()
    for family, kind in re.findall(r"^# TYPE (\S+) (\S+)$", exposition, re.M):
        names |= {family + suffix for suffix in SUFFIXES.get(kind, ("",))}
    return names


def test_every_metric_the_rules_use_is_exported(db_url: str, engine: Engine) -> None:
    ctx = build_context(load_settings(database_url=db_url, metrics_token=METRICS_TOKEN))
    ctx.database = database_for(db_url, engine)
    app = create_app(ctx, run_sender=False, run_scheduler=False)
    with TestClient(app) as client:  # the lifespan runs: the app as served
        response = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status_code == 200
    exported = exported_names(response.text)
    used = rule_metric_names()
    assert len(used) >= 8
    missing = used - exported
    assert not missing, f"the rules use metrics /metrics does not export: {sorted(missing)}"
    # The check can fail: a made-up name is not among them.
    assert "peer_checkin_made_up_seconds" not in exported
    # The rules' four alerts the issue asks for are there.
    alerts = {rule["alert"] for group in yaml.safe_load(RULES.read_text())["groups"]
              for rule in group["rules"]}
    assert {"PeerCheckinOutboxBacklogGrowing", "PeerCheckinUrgentAlertNotDelivered",
            "PeerCheckinNoDispatch", "PeerCheckinDeadLetters"} <= alerts
