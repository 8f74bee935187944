"""The webhook front: provider paths answered before FastAPI, everything else passed through."""

from __future__ import annotations

import httpx
import pytest

from bot.web.front import MAX_WEBHOOK_BODY, ServiceApp, WebhookRequest, WebhookResponse

seen: list[WebhookRequest] = []


async def echo(request: WebhookRequest) -> WebhookResponse:
    seen.append(request)
    return WebhookResponse(200, b"got " + request.body)


async def broken(request: WebhookRequest) -> WebhookResponse:
    raise RuntimeError("a body the log must not quote: " + request.body.decode())


def make_app() -> ServiceApp:
    app = ServiceApp()

    @app.get("/page")
    def page() -> dict[str, str]:
        return {"from": "fastapi"}

    app.provider_webhooks.update({"/webhooks/echo": echo, "/webhooks/broken": broken})
    return app


async def call(method: str, path: str, **kwargs: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.request(method, path, **kwargs)  # type: ignore[arg-type]


async def test_a_webhook_gets_its_body_headers_and_query() -> None:
    seen.clear()
    response = await call("POST", "/webhooks/echo?a=1", content=b"x=1",
                          headers={"X-Twilio-Signature": "sig"})
    assert (response.status_code, response.content) == (200, b"got x=1")
    [request] = seen
    assert (request.path, request.query, request.body) == ("/webhooks/echo", "a=1", b"x=1")
    assert request.headers["x-twilio-signature"] == "sig"  # names in lower case


async def test_other_paths_reach_fastapi() -> None:
    response = await call("GET", "/page")
    assert response.json() == {"from": "fastapi"}
    assert (await call("GET", "/nowhere")).status_code == 404


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_a_webhook_path_answers_only_post(method: str) -> None:
    seen.clear()
    response = await call(method, "/webhooks/echo")
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    assert seen == []


async def test_a_body_over_the_limit_is_refused_unread() -> None:
    seen.clear()
    response = await call("POST", "/webhooks/echo", content=b"x" * (MAX_WEBHOOK_BODY + 1))
    assert response.status_code == 413 and seen == []
    assert (await call("POST", "/webhooks/echo", content=b"x" * 1000)).status_code == 200


async def test_a_failing_handler_is_answered_500_and_logged_by_type_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    response = await call("POST", "/webhooks/broken", content=b"i feel unsafe")
    assert response.status_code == 500
    assert "RuntimeError" in caplog.text and "unsafe" not in caplog.text
