"""Read flow YAML files into validated `Flow` models.

Every mistake a staff member can make in a flow file is reported at load time with the file,
the line and the state, so a broken flow never reaches a mentee: unknown and unreachable states,
states that can never reach an end, missing translations, unknown placeholders, bad conditions.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import yaml

from flows.expressions import Condition, ExpressionError, numeric_bounds_ok, parse_condition
from flows.levels import Level
from flows.model import (
    PLACEHOLDERS,
    REPROMPT_PLACEHOLDERS,
    REQUIRED_MESSAGES,
    EscalateRule,
    Expect,
    Flow,
    Goto,
    StateDef,
    placeholders_in,
)

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_SCALE = re.compile(r"^\s*scale\s+(-?\d+)\s*\.\.\s*(-?\d+)\s*$")
_STATE_KEYS = {"ask", "ask_again", "say", "expect", "key", "optional", "escalate", "next"}
_TOP_KEYS = {
    "id", "version", "audience", "languages", "start", "states", "messages",
    "expires_after", "nudge_after", "max_replies", "description",
}  # fmt: skip


class FlowError(ValueError):
    """A flow file that cannot be used, with every problem found (file:line: message)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def load_flow(path: str | Path) -> Flow:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FlowError([f"{path}: cannot read the file: {exc.strerror}"]) from exc
    return parse_flow(text, str(path))


def load_flows(paths: Iterable[str | Path] | None = None) -> dict[str, Flow]:
    """Load the given files (or the shipped definitions), keyed by flow id. Problems in all
    files are collected into one FlowError so an admin fixes them in one pass."""
    files = sorted(DEFINITIONS_DIR.glob("*.yaml")) if paths is None else _expand(paths)
    flows: dict[str, Flow] = {}
    problems: list[str] = []
    for file in files:
        try:
            flow = load_flow(file)
        except FlowError as exc:
            problems.extend(exc.problems)
            continue
        if flow.id in flows:
            problems.append(f"{file}: flow id '{flow.id}' is also used by {flows[flow.id].source}")
        flows[flow.id] = flow
    if problems:
        raise FlowError(problems)
    return flows


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    return out


def parse_duration(value: object) -> timedelta:
    if isinstance(value, str) and (m := _DURATION.match(value)):
        amount, unit = int(m.group(1)), m.group(2)
        return timedelta(**{_UNITS[unit]: amount})
    raise ValueError(f"'{value}' is not a duration like 30m, 4h or 2d")


def parse_flow(text: str, source: str = "<memory>") -> Flow:
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise FlowError([f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}"]) from exc
    if not isinstance(data, dict) or root is None:
        raise FlowError([f"{source}: a flow file must be a mapping with id, start and states"])
    return _Builder(source, data, _line_map(root)).build()


def _line_map(root: yaml.Node) -> dict[tuple[str, ...], int]:
    """1-based line numbers of every mapping key, by its path (('states', 'comfort', 'ask'))."""
    lines: dict[tuple[str, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key_path = (*path, str(key_node.value))
                lines[key_path] = key_node.start_mark.line + 1
                walk(value_node, key_path)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*path, str(index))] = item.start_mark.line + 1
                walk(item, (*path, str(index)))

    walk(root, ())
    return lines


class _Builder:
    def __init__(self, source: str, data: dict[str, Any], lines: dict[tuple[str, ...], int]):
        self.source, self.data, self.lines = source, data, lines
        self.problems: list[str] = []

    def error(self, path: tuple[str, ...], message: str) -> None:
        line = None
        for depth in range(len(path), 0, -1):
            if path[:depth] in self.lines:
                line = self.lines[path[:depth]]
                break
        where = f"{self.source}:{line}" if line else self.source
        if len(path) >= 2 and path[0] == "states":
            message = f"state '{path[1]}': {message}"
        self.problems.append(f"{where}: {message}")

    def build(self) -> Flow:
        d = self.data
        for key in sorted(set(d) - _TOP_KEYS):
            self.error((key,), f"unknown key '{key}' (expected one of {sorted(_TOP_KEYS)})")
        flow_id = d.get("id")
        if not isinstance(flow_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", flow_id):
            self.error(("id",), "id must be lower-case letters, digits and _ (e.g. mentee_checkin)")
            flow_id = "invalid"
        version = d.get("version", 1)
        if not isinstance(version, int) or version < 1:
            self.error(("version",), "version must be a whole number ≥ 1")
            version = 1
        audience: Literal["mentee", "mentor"] = "mentee"
        if d.get("audience") == "mentor":
            audience = "mentor"
        elif d.get("audience") != "mentee":
            self.error(("audience",), "audience must be 'mentee' or 'mentor'")
        languages = d.get("languages")
        if not isinstance(languages, list) or not languages or not all(
            isinstance(x, str) and x for x in languages
        ):
            self.error(("languages",), "languages must be a list such as [en, es]")
            languages = ["en"]
        expires_after = self._duration("expires_after", required=True) or timedelta(hours=24)
        nudge_after = self._duration("nudge_after", required=False)
        if nudge_after is not None and nudge_after >= expires_after:
            self.error(("nudge_after",), "nudge_after must be shorter than expires_after")
        max_replies = d.get("max_replies", 40)
        if not isinstance(max_replies, int) or max_replies < 5:
            self.error(("max_replies",), "max_replies must be a whole number ≥ 5")
            max_replies = 40
        messages = self._messages(languages)
        states = self._states(languages)
        start = d.get("start")
        if not isinstance(start, str) or start not in states:
            self.error(("start",), f"start state '{start}' is not defined under states")
        else:
            self._check_graph(start, states)
        if self.problems:
            raise FlowError(self.problems)
        return Flow(
            id=flow_id,
            version=version,
            audience=audience,
            languages=tuple(languages),
            start=str(start),
            states=states,
            messages=messages,
            expires_after=expires_after,
            nudge_after=nudge_after,
            max_replies=max_replies,
            source=self.source,
        )

    def _duration(self, key: str, *, required: bool) -> timedelta | None:
        if key not in self.data:
            if required:
                self.error((key,), f"{key} is required (e.g. 24h)")
            return None
        try:
            value = parse_duration(self.data[key])
        except ValueError as exc:
            self.error((key,), str(exc))
            return None
        if value <= timedelta(0):
            self.error((key,), f"{key} must be longer than zero")
        return value

    def _texts(
        self, path: tuple[str, ...], value: object, languages: list[str], allowed: frozenset[str]
    ) -> dict[str, str]:
        """A translated text: {en: ..., es: ...} with every flow language present."""
        if isinstance(value, str):
            value = {languages[0]: value}
        if not isinstance(value, dict):
            self.error(path, "expected a text per language, e.g. {en: '...', es: '...'}")
            return {}
        texts: dict[str, str] = {}
        for lang in languages:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.error(path, f"missing the '{lang}' translation")
                continue
            unknown = placeholders_in(text) - allowed
            if unknown:
                self.error(
                    path,
                    f"'{lang}' text uses unknown placeholder(s) "
                    f"{', '.join('{' + u + '}' for u in sorted(unknown))}; "
                    f"allowed: {', '.join('{' + a + '}' for a in sorted(allowed))}",
                )
            texts[lang] = text.strip()
        for extra in sorted(set(value) - set(languages)):
            self.error(path, f"text in '{extra}', which is not in the flow's languages")
        return texts

    def _messages(self, languages: list[str]) -> dict[str, dict[str, str]]:
        raw = self.data.get("messages")
        if not isinstance(raw, dict):
            self.error(("messages",), f"messages must define {', '.join(REQUIRED_MESSAGES)}")
            return {}
        out: dict[str, dict[str, str]] = {}
        for name in REQUIRED_MESSAGES:
            if name not in raw:
                self.error(("messages",), f"messages.{name} is missing")
        for name, value in raw.items():
            if name not in REQUIRED_MESSAGES:
                self.error(("messages", name), f"unknown message '{name}'")
                continue
            allowed = PLACEHOLDERS | (REPROMPT_PLACEHOLDERS if name == "reprompt_scale" else set())
            out[name] = self._texts(("messages", name), value, languages, frozenset(allowed))
        return out

    def _states(self, languages: list[str]) -> dict[str, StateDef]:
        raw = self.data.get("states")
        if not isinstance(raw, dict) or not raw:
            self.error(("states",), "states must be a mapping of state names to questions")
            return {}
        states: dict[str, StateDef] = {}
        for name, body in raw.items():
            path = ("states", str(name))
            if not isinstance(body, dict):
                self.error(path, "a state must be a mapping with ask/say, expect and next")
                continue
            for key in sorted(set(body) - _STATE_KEYS):
                self.error((*path, key), f"unknown key '{key}'")
            if ("ask" in body) == ("say" in body):
                self.error(path, "a state needs exactly one of 'ask' (a question) or 'say'")
                continue
            expect = self._expect(path, body)
            if "say" in body and expect.kind != "none":
                self.error(path, "a 'say' state sends a message and cannot expect an answer")
            if "ask" in body and expect.kind == "none":
                self.error(path, "an 'ask' state needs 'expect' (scale 1..5, yes_no or text)")
            text_key = "ask" if "ask" in body else "say"
            ask = self._texts((*path, text_key), body[text_key], languages, PLACEHOLDERS)
            ask_again: dict[str, str] = {}
            if "ask_again" in body:
                if "ask" not in body:
                    self.error((*path, "ask_again"), "'ask_again' goes with 'ask'")
                ask_again = self._texts((*path, "ask_again"), body["ask_again"], languages,
                                        PLACEHOLDERS)
            states[str(name)] = StateDef(
                name=str(name),
                line=self.lines.get(path, 0),
                ask=ask,
                ask_again=ask_again,
                expect=expect,
                key=str(body.get("key", name)),
                optional=bool(body.get("optional", False)),
                escalate=self._escalate(path, body.get("escalate", []), expect),
                next=self._next(path, body.get("next")),
            )
        return states

    def _expect(self, path: tuple[str, ...], body: dict[str, Any]) -> Expect:
        raw = body.get("expect")
        if raw is None:
            return Expect("none")
        if raw in ("yes_no", "text"):
            return Expect(raw)
        if isinstance(raw, str) and (m := _SCALE.match(raw)):
            low, high = int(m.group(1)), int(m.group(2))
            if low >= high or high - low > 10:
                self.error((*path, "expect"), f"scale {low}..{high} must go up, by at most 10")
            return Expect("scale", low, high)
        self.error((*path, "expect"), f"expect '{raw}' is not 'scale LOW..HIGH', yes_no or text")
        return Expect("text")

    def _condition(self, path: tuple[str, ...], raw: object, expect: Expect) -> Condition | None:
        try:
            cond = parse_condition(raw)
        except ExpressionError as exc:
            self.error(path, str(exc))
            return None
        wanted = {"scale": "numeric", "yes_no": "boolean"}.get(expect.kind)
        if cond.kind != "status" and cond.kind != wanted:
            self.error(path, f"condition '{cond.source}' cannot apply to a {expect.kind} answer")
            return None
        if not numeric_bounds_ok(cond, expect.low, expect.high):
            scale = f"{expect.low}..{expect.high}"
            self.error(path, f"condition '{cond.source}' is never true on {scale}")
            return None
        return cond

    def _escalate(
        self, path: tuple[str, ...], raw: object, expect: Expect
    ) -> tuple[EscalateRule, ...]:
        if not isinstance(raw, list):
            self.error((*path, "escalate"), "escalate must be a list of {when, level, reason}")
            return ()
        rules: list[EscalateRule] = []
        for i, item in enumerate(raw):
            ipath = (*path, "escalate", str(i))
            if not isinstance(item, dict) or not {"when", "level", "reason"} <= set(item):
                self.error(ipath, "each escalate entry needs when, level and reason")
                continue
            try:
                level = Level(str(item["level"]))
            except ValueError:
                level = Level.NONE
            if level is Level.NONE:
                self.error(ipath, f"level '{item['level']}' must be urgent, concern or watch")
                continue
            cond = self._condition(ipath, item["when"], expect)
            if cond is not None:
                about = bool(item.get("about_mentor", False))
                rules.append(EscalateRule(cond, level, str(item["reason"]), about))
        return tuple(rules)

    def _next(self, path: tuple[str, ...], raw: object) -> tuple[Goto, ...]:
        if raw is None:
            return ()
        if isinstance(raw, str):
            return (Goto(raw),)
        if not isinstance(raw, list) or not raw:
            self.error((*path, "next"), "next must be a state name or a list of {when, goto}")
            return ()
        body = self.data["states"][path[1]]
        expect = self._expect(path, body) if "expect" in body else Expect("none")
        gotos: list[Goto] = []
        for i, item in enumerate(raw):
            ipath = (*path, "next", str(i))
            if not isinstance(item, dict) or "goto" not in item:
                self.error(ipath, "each next entry needs goto (and when, except the last)")
                continue
            cond = self._condition(ipath, item["when"], expect) if "when" in item else None
            gotos.append(Goto(str(item["goto"]), cond))
        if gotos and gotos[-1].when is not None:
            self.error((*path, "next"), "the last next entry must have no 'when' (the default)")
        return tuple(gotos)

    def _check_graph(self, start: str, states: dict[str, StateDef]) -> None:
        for state in states.values():
            for i, goto in enumerate(state.next):
                if goto.target not in states:
                    self.error(
                        ("states", state.name, "next", str(i)),
                        f"goes to unknown state '{goto.target}'",
                    )
        edges = {
            s.name: [g.target for g in s.next if g.target in states] for s in states.values()
        }
        reachable = _reach([start], edges)
        for name in states:
            if name not in reachable:
                self.error(("states", name), "is unreachable from the start state")
        # Every state must be able to reach an end; otherwise a conversation could loop forever.
        reverse: dict[str, list[str]] = {n: [] for n in states}
        for src, targets in edges.items():
            for t in targets:
                reverse[t].append(src)
        ends = [s.name for s in states.values() if not s.next]
        can_end = _reach(ends, reverse)
        for name in sorted(reachable - can_end):
            self.error(("states", name), "can never reach the end of the flow (a loop)")
        for state in states.values():
            if not state.waits and len(state.next) > 1:
                self.error(("states", state.name, "next"), "a 'say' state can only have one next")


def _reach(starts: list[str], edges: dict[str, list[str]]) -> set[str]:
    seen = set(starts)
    queue = deque(starts)
    while queue:
        for nxt in edges.get(queue.popleft(), []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen
