"""GET /metrics through the real service: `create_app` served on loopback with its lifespan, the
real Twilio and Telegram clients against the fake provider servers, on SQLite and PostgreSQL.
Each metric family moves because something happened on its real path (a webhook turn, a send
answered 429, an escalation raised and acknowledged, a due check-in, a job run), and no label of
any sample carries a name, a number, a chat id or a text of the scenario."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.app import JOBS, build_context, create_app, job_name, measured_job
from bot.context import AppContext
from bot.database import Database
from bot.escalation import lifecycle
from bot.metrics.endpoint import install_metrics
from bot.runner import start_checkin
from bot.settings import load_settings
from storage.models import Channel, Escalation, Role
from storage.queries import people, schedules
from tests.bot.helpers import database_for, enrol, wait_until
from tests.fakes.server import LoopbackServer
from tests.fakes.telegram_api import SECRET_TOKEN_HEADER, FakeTelegram, make_text_update
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

TOKEN = "123456:TESTTOKEN"
SECRET = "metrics-test-secret-0123456789"
METRICS_TOKEN = "scrape-token-0123456789abcdef"
OUR_NUMBER = "+15005550006"
MENTEE_NAME = "Ana Torres"
MENTEE_PHONE = "+13125550143"
MENTEE_CHAT = 777001
# Free text the patterns rate none, so the semantic reader reads it.
FREE_TEXT = "things at the unit have been kind of weird lately honestly"

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


class Service:
    def __init__(self, database: Database, telegram: FakeTelegram, twilio: FakeTwilio,
                 tg_url: str, tw_url: str, **overrides: object) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        values: dict[str, object] = dict(
            database_url=database.url, public_base_url=self.url,
            telegram_bot_token=TOKEN, telegram_webhook_secret=SECRET, telegram_mode="webhook",
            telegram_api_base_url=f"{tg_url}/bot",
            twilio_account_sid=TEST_ACCOUNT_SID, twilio_auth_token=TEST_AUTH_TOKEN,
            twilio_from_number=OUR_NUMBER, twilio_api_base_url=tw_url, sms_rate_per_second=100,
            metrics_token=METRICS_TOKEN,
        )
        values.update(overrides)
        self.ctx = build_context(load_settings(**values))
        self.ctx.database = database
        self.app = create_app(self.ctx, run_scheduler=False)
        self.server = LoopbackServer(self.app, port=self.port)
        self.telegram, self.twilio, self.database = telegram, twilio, database
        self.http = httpx.Client(timeout=10)
        self.update_id = 1000

    def sms(self, body: str) -> httpx.Response:
        form = inbound_sms_form(new_message_sid(), MENTEE_PHONE, OUR_NUMBER, body)
        url = f"{self.url}/webhooks/twilio/sms"
        return self.http.post(url, data=form,
                              headers={SIGNATURE_HEADER: sign(url, form, TEST_AUTH_TOKEN)})

    def telegram_text(self, text: str) -> httpx.Response:
        self.update_id += 1
        return self.http.post(f"{self.url}/webhooks/telegram",
                              json=make_text_update(self.update_id, MENTEE_CHAT, text),
                              headers={SECRET_TOKEN_HEADER: SECRET})

    def scrape_text(self) -> str:
        response = self.http.get(f"{self.url}/metrics",
                                 headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/plain; version=")
        return response.text

    def scrape(self) -> Samples:
        return samples(self.scrape_text())

    def sms_texts(self) -> list[str]:
        return [m["body"] for m in self.twilio.sent if m["to"] == MENTEE_PHONE]


def samples(text: str) -> Samples:
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def value(found: Samples, name: str, **labels: str) -> float:
    """The sample's value; 0 when the series is absent (a counter nobody has moved yet)."""
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def total(found: Samples, name: str, **labels: str) -> float:
    """Sum over every series of ``name`` whose labels include ``labels``."""
    return sum(v for (n, ls), v in found.items()
               if n == name and set(labels.items()) <= set(ls))


@pytest.fixture
def make_service(db_url: str, engine: Engine) -> Iterator[object]:
    started: list[tuple[Service, list[LoopbackServer]]] = []

    def make(**overrides: object) -> Service:
        telegram, twilio = FakeTelegram(TOKEN), FakeTwilio()
        servers = [LoopbackServer(telegram), LoopbackServer(twilio)]
        for server in servers:
            server.__enter__()
        svc = Service(database_for(db_url, engine), telegram, twilio, servers[0].url,
                      servers[1].url, **overrides)
        svc.server.__enter__()
        started.append((svc, servers))
        return svc

    yield make
    for svc, servers in reversed(started):
        svc.server.__exit__(None, None, None)
        svc.http.close()
        for server in reversed(servers):
            server.__exit__(None, None, None)


@pytest.fixture
def service(make_service: object) -> Service:
    return make_service()  # type: ignore[operator,no-any-return]


def app_job(name: str) -> Callable[[AppContext], None]:
    """The scheduler's job of that name, as `create_app` schedules it (before measuring)."""
    [job] = [job for job, _ in JOBS if job_name(job) == name]
    return job


def enrol_mentee(svc: Service, channel: Channel, *, start: bool = True) -> int:
    address = MENTEE_PHONE if channel == Channel.sms else str(MENTEE_CHAT)
    with svc.database.transaction() as db:
        person = enrol(db, Role.mentee, MENTEE_NAME, channel=channel, address=address)
        assert person.id is not None
        [contact] = people.contacts_for(db, person.id)
        contact.consent_at = datetime.now(UTC)
        if start:
            start_checkin(db, svc.ctx.flows, person, "mentee_checkin", contact,
                          datetime.now(UTC))
        person_id = person.id
    assert svc.ctx.sender is not None
    svc.ctx.sender.wake()
    return person_id


# --- the route ---------------------------------------------------------------------------------


def test_without_metrics_token_the_route_is_not_mounted(make_service: object) -> None:
    svc: Service = make_service(metrics_token=None)  # type: ignore[operator]
    assert svc.ctx.metrics is None
    response = svc.http.get(f"{svc.url}/metrics",
                            headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status_code == 404
    assert not any(getattr(r, "path", None) == "/metrics" for r in svc.app.routes)


def test_token_is_required_and_checked(service: Service) -> None:
    url = f"{service.url}/metrics"
    missing = service.http.get(url)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert service.http.get(url, headers={"Authorization": "Basic eDp5"}).status_code == 401
    wrong = service.http.get(url, headers={"Authorization": "Bearer " + "x" * 29})
    assert wrong.status_code == 403 and "peer_checkin" not in wrong.text
    # One character short of the token is wrong too (no prefix match).
    short = service.http.get(url, headers={"Authorization": f"Bearer {METRICS_TOKEN[:-1]}"})
    assert short.status_code == 403
    assert value(service.scrape(), "peer_checkin_database_up") == 1


def test_two_apps_in_one_process_keep_their_own_figures(
    make_service: object, db_url: str, engine: Engine,
) -> None:
    """The first app's turns never show on a second app's /metrics (per-app registries)."""
    first: Service = make_service()  # type: ignore[operator]
    enrol_mentee(first, Channel.sms)
    assert wait_until(lambda: len(first.sms_texts()) == 1)
    assert first.sms("4").status_code == 200
    second = build_context(first.ctx.settings)
    second.database = database_for(db_url, engine)
    app = create_app(second, run_sender=False, run_scheduler=False)
    assert second.metrics is not None and second.metrics is not first.ctx.metrics
    assert value(first.scrape(), "peer_checkin_inbound_turns_total",
                 channel="sms", outcome="reply") == 1
    assert second.metrics.registry.get_sample_value(
        "peer_checkin_inbound_turns_total", {"channel": "sms", "outcome": "reply"}) is None
    assert app is not first.app


# --- inbound turns -----------------------------------------------------------------------------


@pytest.mark.parametrize("channel", [Channel.sms, Channel.telegram])
def test_a_webhook_turn_counts_by_channel_and_outcome(service: Service, channel: Channel) -> None:
    enrol_mentee(service, channel)
    send = service.sms if channel == Channel.sms else service.telegram_text
    before = service.scrape()
    assert send("4").status_code == 200
    after = service.scrape()
    name = "peer_checkin_inbound_turns_total"
    replies = 1
    assert value(after, name, channel=channel.value, outcome="reply") == replies
    assert value(before, name, channel=channel.value, outcome="reply") == 0
    assert value(after, "peer_checkin_turn_seconds_count", channel=channel.value) == replies
    assert value(after, "peer_checkin_turn_seconds_sum", channel=channel.value) > 0
    # The other channel saw nothing.
    other = "telegram" if channel == Channel.sms else "sms"
    assert total(after, name, channel=other) == 0
    # Inside the check-in the engine screened each reply with the patterns.
    assert value(after, "peer_checkin_screening_seconds_count", reader="pattern") == replies


def test_a_stranger_counts_as_unknown_sender(service: Service) -> None:
    assert service.sms("hello?").status_code == 200
    assert value(service.scrape(), "peer_checkin_inbound_turns_total",
                 channel="sms", outcome="unknown_sender") == 1


# --- sending -----------------------------------------------------------------------------------


def test_sends_show_outcomes_latency_and_a_429_with_its_retry(service: Service) -> None:
    service.twilio.fail_next(1, 429, retry_after=0)
    enrol_mentee(service, Channel.sms)
    # The 429 is retried (after its back-off) and the question then reaches the fake Twilio.
    assert service.ctx.sender is not None
    assert wait_until(lambda: value(service.scrape(), "peer_checkin_sends_total",
                                    channel="sms", outcome="rate_limited") == 1)
    found = service.scrape()
    assert value(found, "peer_checkin_send_retries_total", channel="sms") == 1
    assert value(found, "peer_checkin_send_seconds_count", channel="sms") >= 1
    assert value(found, "peer_checkin_dead_letters_total", channel="sms") == 0


def test_a_dead_letter_shows_in_process_and_in_the_database(make_service: object) -> None:
    svc: Service = make_service(outbox_max_attempts=1)  # type: ignore[operator]
    svc.twilio.fail_next(1, 500)
    enrol_mentee(svc, Channel.sms)
    assert wait_until(lambda: value(svc.scrape(), "peer_checkin_dead_letters_total",
                                    channel="sms") == 1)
    found = svc.scrape()
    assert value(found, "peer_checkin_sends_total", channel="sms", outcome="failed") == 1
    assert value(found, "peer_checkin_outbox_dead_letters", channel="sms") == 1
    assert value(found, "peer_checkin_outbox_dead_letters", channel="telegram") == 0


def test_backlog_per_lane_and_channel_is_counted_at_scrape_time(make_service: object) -> None:
    svc: Service = make_service()  # type: ignore[operator]
    assert svc.ctx.sender is not None
    # Twilio down: the question stays queued (each failure puts it back with a back-off).
    svc.twilio.set_down()
    enrol_mentee(svc, Channel.sms)
    assert wait_until(lambda: value(svc.scrape(), "peer_checkin_sends_total",
                                    channel="sms", outcome="failed") >= 1)
    found = svc.scrape()
    assert value(found, "peer_checkin_outbox_backlog", lane="routine", channel="sms") == 1
    assert value(found, "peer_checkin_outbox_backlog", lane="urgent", channel="sms") == 0
    assert value(found, "peer_checkin_outbox_backlog", lane="routine", channel="telegram") == 0
    assert value(found, "peer_checkin_outbox_oldest_pending_seconds", lane="routine") > 0
    svc.twilio.set_down(False)


# --- escalations -------------------------------------------------------------------------------


def test_urgent_escalation_open_not_alerted_then_time_to_acknowledge(service: Service) -> None:
    """Safety 1 raises an urgent escalation; the program has no supervisor who can be alerted,
    so its alert round reaches nobody. Acknowledged, it moves to the time-to-ack histogram."""
    enrol_mentee(service, Channel.sms)
    assert wait_until(lambda: len(service.sms_texts()) == 1)
    assert service.sms("4").status_code == 200
    assert service.sms("1").status_code == 200
    with service.database.reading() as db:
        [esc] = db.exec(select(Escalation)).all()
        esc_id, program = esc.id, str(esc.program_id)
        assert esc.level == "urgent" and esc_id is not None
    found = service.scrape()
    assert value(found, "peer_checkin_escalations_open", level="urgent", program=program,
                 state="open") == 1
    assert value(found, "peer_checkin_escalations_not_alerted", level="urgent",
                 program=program) == 1
    assert value(found, "peer_checkin_alert_undelivered_oldest_seconds", level="urgent") > 0
    assert value(found, "peer_checkin_alert_undelivered_oldest_seconds", level="concern") == 0
    assert total(found, "peer_checkin_time_to_acknowledge_seconds_count") == 0

    acked_at = datetime.now(UTC) + timedelta(minutes=3)
    with service.database.transaction() as db:
        lifecycle.acknowledge(db, esc_id, actor="cli", by_person_id=None, now=acked_at)
    found = service.scrape()
    assert value(found, "peer_checkin_escalations_open", level="urgent", program=program,
                 state="open") == 0
    assert value(found, "peer_checkin_escalations_open", level="urgent", program=program,
                 state="acknowledged") == 1
    assert value(found, "peer_checkin_escalations_not_alerted", level="urgent",
                 program=program) == 0
    assert value(found, "peer_checkin_alert_undelivered_oldest_seconds", level="urgent") == 0
    hist = "peer_checkin_time_to_acknowledge_seconds"
    assert value(found, hist + "_count", level="urgent") == 1
    assert 180 <= value(found, hist + "_sum", level="urgent") < 200
    assert value(found, hist + "_bucket", level="urgent", le="120.0") == 0
    assert value(found, hist + "_bucket", level="urgent", le="300.0") == 1
    assert value(found, hist + "_bucket", level="urgent", le="+Inf") == 1


# --- check-ins due, jobs, screening ------------------------------------------------------------


def test_due_checkins_not_started_until_dispatch_runs(service: Service) -> None:
    person_id = enrol_mentee(service, Channel.sms, start=False)
    due_at = datetime.now(UTC) - timedelta(minutes=10)
    with service.database.transaction() as db:
        schedule = schedules.set_schedule(db, person_id=person_id, flow_id="mentee_checkin",
                                          rule="FREQ=WEEKLY", timezone="America/Chicago",
                                          now=due_at)
        schedule.next_due_at = due_at
    found = service.scrape()
    assert value(found, "peer_checkin_checkins_due_not_started") == 1
    assert value(found, "peer_checkin_checkins_due_oldest_seconds") >= 600
    # The dispatch job, measured the way the scheduler runs it.
    measured_job(app_job("dispatch"))(service.ctx)
    found = service.scrape()
    assert value(found, "peer_checkin_checkins_due_not_started") == 0
    assert value(found, "peer_checkin_checkins_due_oldest_seconds") == 0
    assert value(found, "peer_checkin_job_seconds_count", job_name="dispatch") == 1
    assert value(found, "peer_checkin_job_last_success_timestamp_seconds",
                 job_name="dispatch") > 0
    assert value(found, "peer_checkin_job_failures_total", job_name="dispatch") == 0


def test_a_failing_job_is_counted(service: Service) -> None:
    def run_dispatch_on_a_closed_database(ctx: AppContext) -> None:
        raise RuntimeError("database is gone")

    run_dispatch_on_a_closed_database.__name__ = "_run_dispatch"
    with pytest.raises(RuntimeError):
        measured_job(run_dispatch_on_a_closed_database)(service.ctx)
    found = service.scrape()
    assert value(found, "peer_checkin_job_failures_total", job_name="dispatch") == 1
    assert value(found, "peer_checkin_job_seconds_count", job_name="dispatch") == 1
    assert value(found, "peer_checkin_job_last_success_timestamp_seconds",
                 job_name="dispatch") == 0
    # Every scheduled job has its failure series from the start.
    assert value(found, "peer_checkin_job_failures_total", job_name="realerts") == 0


def test_semantic_reader_latency(service: Service) -> None:
    """A free-text reply is read by the semantic job: its time per text shows by reader."""
    enrol_mentee(service, Channel.sms)
    assert wait_until(lambda: len(service.sms_texts()) == 1)
    assert service.sms(FREE_TEXT).status_code == 200
    measured_job(app_job("semantic_screening"))(service.ctx)
    found = service.scrape()
    assert value(found, "peer_checkin_screening_seconds_count", reader="semantic") == 1
    assert value(found, "peer_checkin_screening_seconds_sum", reader="semantic") > 0
    assert value(found, "peer_checkin_job_seconds_count", job_name="semantic_screening") == 1


# --- privacy -------------------------------------------------------------------------------------


def test_no_label_carries_a_person_number_chat_or_text(service: Service) -> None:
    """A whole scenario on both channels, a stranger, an urgent escalation: the scrape holds
    no name, phone number, chat id or message text, in a label or anywhere else."""
    enrol_mentee(service, Channel.sms)
    with service.database.transaction() as db:
        person = enrol(db, Role.mentee, "Marcus Hill", channel=Channel.telegram,
                       address=str(MENTEE_CHAT))
        assert person.id is not None
    assert wait_until(lambda: len(service.sms_texts()) == 1)
    words = ["4", "1", FREE_TEXT, "i want to die", "hello?"]
    for text in words[:4]:
        assert service.sms(text).status_code == 200
    assert service.telegram_text("i want to die").status_code == 200
    stranger = "+13125550199"
    form = inbound_sms_form(new_message_sid(), stranger, OUR_NUMBER, "hello?")
    url = f"{service.url}/webhooks/twilio/sms"
    service.http.post(url, data=form, headers={SIGNATURE_HEADER: sign(url, form, TEST_AUTH_TOKEN)})
    body = service.scrape_text()
    found = samples(body)
    assert total(found, "peer_checkin_inbound_turns_total") >= 6
    labels = {v for (_, ls) in found for _, v in ls}
    forbidden = [MENTEE_NAME, "Ana", "Torres", "Marcus Hill", MENTEE_PHONE, MENTEE_PHONE[1:],
                 "3125550143", str(MENTEE_CHAT), stranger, "3125550199", FREE_TEXT,
                 "i want to die", "hello?", METRICS_TOKEN, TOKEN, SECRET, TEST_AUTH_TOKEN]
    for label in labels:
        for word in forbidden:
            assert word.lower() not in label.lower(), (label, word)
    for word in forbidden:
        assert word not in body, word
    # Every label value is from a closed set: channels, outcomes, lanes, levels, ids, buckets.
    allowed_names = {"channel", "outcome", "lane", "level", "program", "state", "reader",
                     "job_name", "le"}
    assert {name for (_, ls) in found for name, _ in ls} <= allowed_names


def test_install_metrics_is_off_without_a_token(db_url: str, engine: Engine) -> None:
    ctx = build_context(load_settings(database_url=db_url))
    ctx.database = database_for(db_url, engine)
    app = create_app(ctx, run_sender=False, run_scheduler=False)
    assert install_metrics(app, ctx) is None and ctx.metrics is None
