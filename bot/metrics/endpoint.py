"""GET /metrics: the Prometheus text format, for a scraper holding METRICS_TOKEN.

The route exists only when METRICS_TOKEN is set; without it the path is not mounted and answers
404 like any unknown path, so an instance with metrics off says nothing about them. With it:
no or a malformed ``Authorization`` header is 401 (with ``WWW-Authenticate: Bearer``), a wrong
token 403, and the token is compared in constant time. The exposition runs in a worker thread:
the state collector reads the database, which must never block the event loop's webhooks.
"""

from __future__ import annotations

import asyncio
import hmac

from fastapi import FastAPI, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.context import AppContext
from bot.metrics.instruments import ServiceMetrics
from bot.metrics.state import StateCollector

PATH = "/metrics"


def _bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def install_metrics(app: FastAPI, ctx: AppContext) -> ServiceMetrics | None:
    """Make the app's metrics and mount /metrics when METRICS_TOKEN is set; else None."""
    secret = ctx.settings.metrics_token
    if secret is None:
        return None
    metrics = ServiceMetrics()
    metrics.registry.register(StateCollector(
        lambda: ctx.database, ctx.clock, lambda: [str(c) for c in ctx.channels]))
    expected = secret.get_secret_value().encode()

    @app.get(PATH, include_in_schema=False)
    async def scrape(request: Request) -> Response:
        token = _bearer(request.headers.get("authorization"))
        if token is None:
            return Response("bearer token required\n", status_code=401,
                            headers={"WWW-Authenticate": "Bearer"}, media_type="text/plain")
        if not hmac.compare_digest(token.encode(), expected):
            return Response("wrong token\n", status_code=403, media_type="text/plain")
        body = await asyncio.to_thread(generate_latest, metrics.registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return metrics
