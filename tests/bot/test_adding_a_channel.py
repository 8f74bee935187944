"""A channel is one package plus one line in `bot.channels.registry.CHANNEL_PACKAGES`.

The toy channel in `tests/bot/toy_channel/` is built as `docs/adding-a-channel.md` says, and
registered here with that one line (monkeypatched, so it lasts one test). Served by uvicorn with
the real sender, a check-in goes out through its adapter and the replies come back through its
webhook, deduplicated and authenticated, with nothing else in the app changed for it.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.app import build_context, create_app
from bot.channels import registry
from bot.context import AppContext
from bot.runner import start_checkin
from bot.settings import Settings, load_settings
from storage.models import Answer, Channel, Direction, Message, Role
from storage.queries import people
from tests.bot.helpers import database_for, enrol, wait_until
from tests.bot.toy_channel.adapter import TOY, ToyAdapter
from tests.bot.toy_channel.webhook import PATH, SECRET, SECRET_HEADER
from tests.fakes.server import LoopbackServer
from tests.pg import _free_port

ANA = "toy-ana"
ROOT = Path(__file__).resolve().parents[2]


class ToyService:
    def __init__(self, ctx: AppContext, url: str) -> None:
        self.ctx, self.url = ctx, url
        self.http = httpx.Client(timeout=10)

    @property
    def adapter(self) -> ToyAdapter:
        adapter = self.ctx.channels[TOY]
        assert isinstance(adapter, ToyAdapter)
        return adapter

    def reply(self, text: str, message_id: str, secret: str = SECRET) -> httpx.Response:
        return self.http.post(self.url + PATH, headers={SECRET_HEADER: secret},
                              content=json.dumps({"from": ANA, "id": message_id, "text": text}))


@pytest.fixture
def toy(db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[ToyService]:
    # The one line of registration:
    monkeypatch.setattr(registry, "CHANNEL_PACKAGES",
                        [*registry.CHANNEL_PACKAGES, "tests.bot.toy_channel"])
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    ctx = build_context(load_settings(database_url=db_url, public_base_url=url,
                                      semantic_screening=False))
    ctx.database.close()
    ctx.database = database_for(db_url, engine)
    app = create_app(ctx, run_scheduler=False)
    with LoopbackServer(app, port=port):
        service = ToyService(ctx, url)
        yield service
        service.http.close()


def test_a_checkin_goes_out_and_comes_back_through_a_registered_channel(
    toy: ToyService,
) -> None:
    assert toy.adapter.started  # the lifespan started it like any other channel
    with toy.ctx.database.transaction() as db:
        person = enrol(db, Role.mentee, "Ana Torres", channel=TOY, address=ANA)
        assert person.id is not None
        [contact] = people.contacts_for(db, person.id)
        assert contact.channel is TOY
        start_checkin(db, toy.ctx.flows, person, "mentee_checkin", contact, datetime.now(UTC))
        person_id = person.id
    assert toy.ctx.sender is not None
    toy.ctx.sender.wake()
    assert wait_until(lambda: len(toy.adapter.bodies_to(ANA)) == 1), toy.adapter.sent
    assert "How comfortable" in toy.adapter.bodies_to(ANA)[0]

    assert toy.reply("4", "toy-in-1").status_code == 200
    assert wait_until(lambda: len(toy.adapter.bodies_to(ANA)) == 2), toy.adapter.sent
    assert "How safe" in toy.adapter.bodies_to(ANA)[1]
    # The provider delivering the same message again: acknowledged, not a second turn.
    assert toy.reply("4", "toy-in-1").status_code == 200
    # A caller without the channel's secret: refused, nothing stored.
    assert toy.reply("5", "toy-in-2", secret="wrong-secret-0123456").status_code == 403

    with toy.ctx.database.transaction() as db:
        answers = db.exec(select(Answer).where(Answer.person_id == person_id)).all()
        assert [(a.key, a.value) for a in answers] == [("comfort", 4)]
        inbound = db.exec(select(Message).where(Message.direction == Direction.inbound)
                          .order_by(col(Message.id))).all()
        assert [(m.channel, m.provider_id) for m in inbound] == [(TOY, "toy-in-1")]
        outbound = db.exec(select(Message).where(Message.direction == Direction.outbound)
                           .order_by(col(Message.id))).all()
        # Recorded by the outbox with the toy provider's ids, like any channel's sends.
        assert [m.provider_id for m in outbound] == ["toy-0", "toy-1"]
    health = toy.http.get(toy.url + "/healthz").json()
    assert health["channels"]["toy"] == {"configured": True, "sent": 2}


def test_without_its_registry_line_the_channel_is_not_there(sqlite_db_url: str) -> None:
    ctx = build_context(Settings(database_url=sqlite_db_url, semantic_screening=False))
    app = create_app(ctx, run_sender=False, run_scheduler=False)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        response = client.post(PATH, headers={SECRET_HEADER: SECRET},
                               content=json.dumps({"from": ANA, "id": "x", "text": "hi"}))
        assert response.status_code == 404
    assert TOY not in ctx.channels
    # No provider configured: the simulator, and the outbound webhooks (always on: each
    # program opts in with its own URL).
    assert set(ctx.channels) == {Channel.web, Channel("webhook")}


def test_an_added_channel_name_is_a_channel_and_a_typo_is_not() -> None:
    assert Channel("toy") is TOY and TOY == "toy"
    assert TOY not in list(Channel)  # the built-in channels are still the members
    with pytest.raises(ValueError):
        Channel("tyo")


def test_the_app_names_no_channel() -> None:
    """bot/app.py reaches channels only through the registry and the shared protocol."""
    tree = ast.parse((ROOT / "bot" / "app.py").read_text())
    imported = {node.module for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    channel_modules = {m for m in imported if m.startswith("bot.channels")}
    assert channel_modules <= {"bot.channels", "bot.channels.base", "bot.channels.plugin"}
    named = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
             and isinstance(node.value, ast.Name) and node.value.id == "Channel"}
    assert named == set()
