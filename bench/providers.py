"""The fake Telegram and Twilio servers in a process of their own.

In the load generator's process they shared its interpreter lock: a burst of replies from the
service to the fakes delayed the generator's next request, and that delay was counted as the
service's latency. In their own process (on the generator's core, so the service's core stays
its own) the two no longer wait on each other.

    with ProviderProcess(BOT_TOKEN) as fakes:
        fakes.telegram_url, fakes.twilio_url, fakes.delivered(), fakes.bodies()
"""

from __future__ import annotations

import multiprocessing as mp
from multiprocessing.connection import Connection
from types import TracebackType


def _serve(token: str, pipe: Connection) -> None:
    from tests.fakes.server import LoopbackServer
    from tests.fakes.telegram_api import FakeTelegram
    from tests.fakes.twilio_api import FakeTwilio

    telegram, twilio = FakeTelegram(token), FakeTwilio()
    with LoopbackServer(telegram) as tg_server, LoopbackServer(twilio) as tw_server:
        pipe.send((tg_server.url, tw_server.url))
        # Bounded by the parent: it sends "stop" on exit, and a closed pipe ends the loop too.
        while True:
            try:
                command = pipe.recv()
            except EOFError:
                return
            if command == "delivered":
                pipe.send(len(telegram.sent) + len(twilio.sent))
            elif command == "bodies":
                pipe.send({"telegram": [str(m["text"]) for m in list(telegram.sent)],
                           "sms": [str(m["body"]) for m in list(twilio.sent)]})
            else:
                return


class ProviderProcess:
    """Both fakes served by uvicorn in a child process on 127.0.0.1."""

    def __init__(self, bot_token: str, *, start_timeout: float = 30.0) -> None:
        self.bot_token = bot_token
        self.start_timeout = start_timeout
        self.telegram_url = ""
        self.twilio_url = ""
        self._pipe: Connection | None = None
        self._process: mp.process.BaseProcess | None = None

    def __enter__(self) -> ProviderProcess:
        ours, theirs = mp.Pipe()
        # spawn, not fork: the parent has threads (and may hold locks) a fork would copy.
        self._process = mp.get_context("spawn").Process(
            target=_serve, args=(self.bot_token, theirs), daemon=True)
        self._process.start()
        self._pipe = ours
        if not ours.poll(self.start_timeout):
            self._stop()
            raise TimeoutError("the fake providers did not start")
        self.telegram_url, self.twilio_url = ours.recv()
        return self

    def delivered(self) -> int:
        """Messages the service has sent to the two fakes so far."""
        assert self._pipe is not None
        self._pipe.send("delivered")
        return int(self._pipe.recv())

    def bodies(self) -> dict[str, list[str]]:
        """Every message text each fake has accepted so far, in order: {"telegram", "sms"}."""
        assert self._pipe is not None
        self._pipe.send("bodies")
        return dict(self._pipe.recv())

    def _stop(self) -> None:
        if self._pipe is not None:
            try:
                self._pipe.send("stop")
            except OSError:
                pass
            self._pipe.close()
        if self._process is not None:
            self._process.join(timeout=10)
            if self._process.is_alive():
                self._process.kill()
                self._process.join(timeout=5)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop()
