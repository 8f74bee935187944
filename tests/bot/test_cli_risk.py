"""`checkin risk` with both readers, in-process, and the lazily loaded command list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import _LAZY, app, lazy_help, real_command
from bot.screening.head import HEAD_FILE, Head

runner = CliRunner()
KEYS = {"text", "level", "pattern_level", "semantic_level", "semantic_score", "categories",
        "evidence"}


def test_json_gives_both_readers_verdicts() -> None:
    out = runner.invoke(app, ["risk", "--json", "i want to kill myself tonight"])
    assert out.exit_code == 0, out.output
    row = json.loads(out.stdout)
    assert set(row) >= KEYS
    assert row["pattern_level"] == "urgent" and row["level"] == "urgent"
    assert row["semantic_level"] in ("concern", "none")
    assert isinstance(row["semantic_score"], float) and 0.0 <= row["semantic_score"] <= 1.0
    assert row["semantic_threshold"] == pytest.approx(Head.load(HEAD_FILE).threshold, abs=1e-4)
    assert row["categories"] and row["evidence"]


def test_the_level_follows_the_rule_for_a_text_the_patterns_rate_none() -> None:
    text = "we had a long talk about the weekend plans"
    row = json.loads(runner.invoke(app, ["risk", "--json", text]).stdout)
    assert row["pattern_level"] == "none"
    expected = "concern" if row["semantic_score"] >= row["semantic_threshold"] else "none"
    assert row["level"] == row["semantic_level"] == expected


def test_patterns_only_loads_no_model() -> None:
    out = runner.invoke(app, ["risk", "--json", "--patterns-only", "my mentor asked for money"])
    row = json.loads(out.stdout)
    assert row["pattern_level"] == "concern" and row["semantic_score"] is None
    assert row["semantic_level"] == "none" and row["level"] == "concern"


def test_file_prints_one_line_per_text_and_a_summary(tmp_path: Path) -> None:
    lines = ["i wanna die fr", "ok", "we played cards after dinner tonight", "my mentor asked me for money"]
    path = tmp_path / "texts.txt"
    path.write_text("\n".join(lines) + "\n")
    out = runner.invoke(app, ["risk", "--file", str(path)])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["text"] for r in rows] == lines and all(set(r) >= KEYS for r in rows)
    # Read by the semantic reader only where the service would: 3+ words, patterns below concern.
    assert [r["semantic_score"] is not None for r in rows] == [False, False, True, False]
    summary = json.loads(out.stderr.strip().splitlines()[-1])["summary"]
    assert summary["texts"] == 4 and summary["semantic_read"] == 1
    assert sum(summary["levels"].values()) == 4


@pytest.mark.parametrize("name", sorted(_LAZY))
def test_each_lazy_command_lists_its_own_help(name: str) -> None:
    """The help `checkin --help` shows without importing a command is the command's own."""
    real = real_command(name)
    first = (real.help or "").strip().split("\n\n")[0].replace("\n", " ")
    assert lazy_help(name) == first


def test_help_lists_every_command_and_a_sub_command_still_runs() -> None:
    out = runner.invoke(app, ["--help"])
    assert out.exit_code == 0
    for name in _LAZY:
        assert name in out.stdout
    sub = runner.invoke(app, ["programs", "--help"])
    assert sub.exit_code == 0 and "set" in sub.stdout and "show" in sub.stdout


def test_file_embeds_each_distinct_text_once_and_keeps_the_line_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.cli import risk_cmd

    # Chunks of 2 lines: repeats fall in later chunks while earlier ones are still embedding.
    monkeypatch.setattr(risk_cmd, "FILE_BATCH", 2)
    asked: list[str] = []
    real_scores = risk_cmd._Semantic.scores

    def counting(self: risk_cmd._Semantic, texts: list[str]) -> list[float] | None:
        asked.extend(texts)
        return real_scores(self, texts)

    monkeypatch.setattr(risk_cmd._Semantic, "scores", counting)
    lines = ["we played cards after dinner tonight", "ok", "we had a long talk about the weekend plans",
             "we played cards after dinner tonight", "i wanna die fr",
             "we had a long talk about the weekend plans", "ok", "we played cards after dinner tonight"]
    path = tmp_path / "texts.txt"
    path.write_text("\n".join(lines) + "\n")
    out = runner.invoke(app, ["risk", "--file", str(path)])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["text"] for r in rows] == lines
    assert sorted(asked) == sorted({lines[0], lines[2]})  # each once, nothing else
    by_text: dict[str, set[object]] = {}
    for r in rows:
        by_text.setdefault(r["text"], set()).add((r["semantic_score"], r["level"]))
    assert all(len(v) == 1 for v in by_text.values())
    single = json.loads(runner.invoke(app, ["risk", "--json", lines[2]]).stdout)
    assert rows[2]["semantic_score"] == single["semantic_score"]
    assert rows[2]["level"] == single["level"]
