"""Run an ASGI app under uvicorn on 127.0.0.1 in a background thread.

``LoopbackServer`` is used by tests (sync and async) and by the benchmarks to serve the fake
provider APIs (and, if wanted, the app under test) on a loopback port::

    with LoopbackServer(FakeTelegram()) as srv:
        bot = telegram.Bot(token, base_url=f"{srv.url}/bot")

    async with LoopbackServer(app) as srv:      # start/stop run off the event loop
        ...

The listening socket is bound by us before uvicorn starts, so the port is known at once and no
other process can grab it in between. ``stop()`` keeps the port: a later ``start()`` binds the same
port again, so a test can take a provider "off the network" (connection refused) and bring it back
under the same URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

__all__ = ["LoopbackServer"]


class _PromptServer(uvicorn.Server):
    """uvicorn's Server, told to stop instead of polled.

    uvicorn looks at ``should_exit`` every 0.1 s, then sleeps another 0.1 s after asking open
    connections to close: about 0.15 s per stop, and the test suite stops a few thousand
    servers. Here ``wake()`` ends the main loop at once, and shutdown waits only while a
    connection or request task is still there (up to ``timeout_graceful_shutdown``, then the
    tasks are cancelled, as uvicorn does), before the app's lifespan shutdown.
    """

    _loop: asyncio.AbstractEventLoop | None = None
    _wake: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        while not await self.on_tick(counter):
            counter += 10  # on_tick refreshes the Date header when counter % 10 == 0
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 1.0)

    def wake(self) -> None:
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: nothing to wake
                loop.call_soon_threadsafe(wake.set)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        state, loop = self.server_state, asyncio.get_running_loop()
        grace = self.config.timeout_graceful_shutdown
        deadline = loop.time() + (grace if grace is not None else float("inf"))
        while (state.connections or state.tasks) and not self.force_exit:
            if loop.time() > deadline:
                for task in state.tasks:
                    task.cancel(msg="Task cancelled, timeout graceful shutdown exceeded")
                break
            await asyncio.sleep(0.005)
        for server in self.servers:
            await server.wait_closed()
        if not self.force_exit:
            await self.lifespan.shutdown()


class LoopbackServer:
    """An ASGI app served by uvicorn in a daemon thread on ``127.0.0.1``.

    Args:
        app: any ASGI 3 application (a Starlette/FastAPI app, or an object with an async
            ``__call__(scope, receive, send)`` such as ``FakeTelegram``).
        port: 0 (default) picks a free port.
        startup_timeout: seconds to wait for uvicorn to accept connections.
        shutdown_timeout: seconds to wait for the server thread to end on ``stop()``; in-flight
            requests get at most this long to finish before their tasks are cancelled.
        lifespan: uvicorn lifespan mode ("auto", "on", "off").
        log_level: level for the ``uvicorn.error`` logger; access logs are always off.
        config: further ``uvicorn.Config`` arguments, e.g. the service's own limits
            (``bot.web.slow_clients.uvicorn_limits``).
    """

    host = "127.0.0.1"

    def __init__(
        self,
        app: Any,
        *,
        port: int = 0,
        startup_timeout: float = 10.0,
        shutdown_timeout: float = 5.0,
        lifespan: str = "auto",
        log_level: str | None = "warning",
        **config: Any,
    ) -> None:
        self.app = app
        self.port: int = port
        self.startup_timeout = startup_timeout
        self.shutdown_timeout = shutdown_timeout
        self.lifespan = lifespan
        self.log_level = log_level
        self.config = config  # more uvicorn.Config arguments (they win over the ones here)
        self._server: _PromptServer | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    # -- properties ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        if not self.port:
            raise RuntimeError("LoopbackServer has not been started yet")
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> LoopbackServer:
        """Start serving; returns once the server accepts connections (or raises)."""
        if self._thread is not None:
            raise RuntimeError("LoopbackServer is already running")
        sock = self._bind()
        self.port = sock.getsockname()[1]
        options: dict[str, Any] = {
            "loop": "asyncio",
            "ws": "none",
            "interface": "asgi3",
            "lifespan": self.lifespan,
            "log_config": None,
            "log_level": self.log_level,
            "access_log": False,
            "timeout_graceful_shutdown": max(1, int(self.shutdown_timeout)),
            "timeout_keep_alive": 5,
            **self.config,
        }
        config = uvicorn.Config(self.app, host=self.host, port=self.port, **options)
        server = _PromptServer(config)
        self._server = server
        self._error = None
        thread = threading.Thread(
            target=self._run,
            args=(server, sock),
            name=f"loopback-server-{self.port}",
            daemon=True,
        )
        self._thread = thread
        thread.start()

        deadline = time.monotonic() + self.startup_timeout
        while not server.started:
            if not thread.is_alive():
                self._thread = None
                self._server = None
                with contextlib.suppress(OSError):
                    sock.close()
                raise RuntimeError(f"uvicorn failed to start on {self.url}") from self._error
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"uvicorn did not start within {self.startup_timeout}s")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        """Ask uvicorn to exit and join the thread. Idempotent."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        server.wake()
        thread.join(self.shutdown_timeout + 2.0)
        if thread.is_alive():
            server.force_exit = True
            thread.join(5.0)
        self._server = None
        self._thread = None
        if thread.is_alive():  # pragma: no cover - would mean uvicorn is wedged
            raise RuntimeError(f"server thread {thread.name} did not stop")

    def _bind(self) -> socket.socket:
        # proto must be IPPROTO_TCP (not 0): asyncio only sets TCP_NODELAY on accepted sockets
        # whose proto is TCP, and without it every response costs a 40 ms delayed-ACK stall.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(128)
        except OSError:
            sock.close()
            raise
        return sock

    def _run(self, server: uvicorn.Server, sock: socket.socket) -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # keep it for start() to report
            self._error = exc
        finally:
            with contextlib.suppress(OSError):
                sock.close()

    # -- context managers ---------------------------------------------------------------------

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> LoopbackServer:
        return await asyncio.to_thread(self.start)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.stop)

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<LoopbackServer {self.host}:{self.port} {state}>"
