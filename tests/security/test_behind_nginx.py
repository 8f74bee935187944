"""`checkin serve` behind a real nginx (Debian's package) with a self-signed certificate.

Two nginx configurations in front of the same service: the shipped site,
deploy/nginx-peer-checkin.conf (the file deployers install, run as shipped except for the
addresses, server name and certificate paths listed in `substitutions()`), and a bare
`proxy_pass` with nginx's default headers (no X-Forwarded-Proto, nginx's own Host), the setup
in which the login cookie used to lose `Secure`. Through https on 127.0.0.1, for each: a login
sets a Secure, HttpOnly, SameSite, host-only cookie that then works; every response carries the
security headers and HSTS; a Twilio webhook signed for the public address is taken and one
unsigned or wrongly signed is refused. The shipped site also sends plain http to https, and
refuses a body over its limit itself.

nginx is required, not optional: without it the test fails, saying how to install it (the
apt-get line in .ci/run). On a development machine without nginx, `pytest -m "not nginx"`
leaves this file out on purpose; CI never does.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from bot.dashboard.accounts import create_account
from bot.dashboard.pages.login import LOGIN_CSRF_COOKIE
from bot.database import Database
from storage.models import Channel, Message, Role
from tests.bot.helpers import NOW, enrol, wait_until
from tests.fakes.server import LoopbackServer
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

pytestmark = pytest.mark.nginx

SHIPPED_SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx-peer-checkin.conf"
OUR_NUMBER = "+15005550006"
PASSWORD = "correct horse battery"
SMS_PATH = "/webhooks/twilio/sms"
INSTALL_HINT = ("nginx is not installed, and this test runs the real one in front of the "
                "service: install it with the apt-get line in .ci/run "
                "(apt-get install -y nginx-light), or leave this test out on a development "
                "machine with: pytest -m 'not nginx'")


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK)
                                      else None)
    if found is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    return found


def shipped_site() -> str:
    """deploy/nginx-peer-checkin.conf as shipped."""
    return SHIPPED_SITE.read_text()


def bare_nginx_server() -> str:
    """nginx at its defaults: no X-Forwarded-Proto or -For, Host is the upstream's address."""
    return """server {
    listen 443 ssl;
    server_name checkin.example.org;
    ssl_certificate     /etc/letsencrypt/live/checkin.example.org/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/checkin.example.org/privkey.pem;
    location / {
        proxy_pass http://127.0.0.1:8000;
    }
}
"""


@dataclass
class Certificate:
    cert: Path
    key: Path


@dataclass
class Service:
    proc: subprocess.Popen[bytes]
    port: int
    public_port: int
    http_port: int  # the shipped site's plain-http server (certbot, redirect to https)
    database_url: str
    log: Path

    @property
    def public_url(self) -> str:
        return f"https://127.0.0.1:{self.public_port}"


def _self_signed(folder: Path) -> Certificate:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True)
    return Certificate(cert, key)


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    nginx_binary()  # fail first, and clearly, on a machine without nginx
    return _self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """`checkin serve` on a free loopback port, its public address the (later) nginx's, with
    Twilio on (a fake API on loopback) and one admin account."""
    nginx_binary()
    folder = tmp_path_factory.mktemp("service")
    database_url = f"sqlite:///{folder / 'checkin.db'}"
    database = Database.open(database_url)
    database.upgrade()
    with database.transaction() as db:
        person = enrol(db, Role.admin, "Ada", channel=Channel.terminal, address="staff-ada")
        create_account(db, person, "ada", PASSWORD, NOW)
    database.close()
    port, public_port, http_port = _free_port(), _free_port(), _free_port()
    with LoopbackServer(FakeTwilio()) as twilio:
        # No Telegram (an empty TELEGRAM_BOT_TOKEN would still count as set): loopback only.
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        env = {**inherited, "DATABASE_URL": database_url, "HOST": "127.0.0.1",
               "PORT": str(port), "PUBLIC_BASE_URL": f"https://127.0.0.1:{public_port}",
               "TWILIO_ACCOUNT_SID": TEST_ACCOUNT_SID, "TWILIO_AUTH_TOKEN": TEST_AUTH_TOKEN,
               "TWILIO_FROM_NUMBER": OUR_NUMBER, "TWILIO_API_BASE_URL": twilio.url,
               "SEMANTIC_SCREENING": "false",
               "WEB_SIMULATOR": "false", "LOG_LEVEL": "INFO"}
        log = folder / "serve.log"
        checkin = str(Path(sys.executable).with_name("checkin"))
        with open(log, "wb") as out:  # the child keeps its own handle
            # In its own folder: a developer's .env in the worktree is not this test's.
            proc = subprocess.Popen([checkin, "serve"], env=env, cwd=folder, stdout=out,
                                    stderr=subprocess.STDOUT)
        try:
            up = wait_until(lambda: proc.poll() is not None or _answers(port), 60, every=0.2)
            assert up and proc.poll() is None, log.read_text()[-3000:]
            yield Service(proc, port, public_port, http_port, database_url, log)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def substitutions(service_port: int, https_port: int, http_port: int,
                  tls: Certificate) -> list[tuple[str, str]]:
    """Everything the test changes in a site file to run it here, and nothing else: (as
    shipped, as run here). Addresses and ports (loopback, free ports), the server name (the
    test's certificate is for 127.0.0.1), the certificate paths, and the service's port."""
    return [
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("server_name checkin.example.org;", "server_name 127.0.0.1;"),
        ("/etc/letsencrypt/live/checkin.example.org/fullchain.pem", str(tls.cert)),
        ("/etc/letsencrypt/live/checkin.example.org/privkey.pem", str(tls.key)),
        ("proxy_pass http://127.0.0.1:8000;", f"proxy_pass http://127.0.0.1:{service_port};"),
    ]


def _directives(site: str) -> str:
    """The site without its comments (they name the shipped address on purpose)."""
    return "\n".join(line.split("#", 1)[0] for line in site.splitlines())


def _for_this_test(site: str, service: Service, tls: Certificate) -> str:
    for shipped, here in substitutions(service.port, service.public_port, service.http_port,
                                       tls):
        site = site.replace(shipped, here)
    left = _directives(site)
    # Nothing that only works on the deployer's machine is left to run here.
    for shipped_only in ("example.org", "letsencrypt/live", "127.0.0.1:8000", "listen 80;",
                         "listen 443"):
        assert shipped_only not in left, f"not substituted: {shipped_only}"
    return site


def _nginx_conf(site: str, folder: Path) -> str:
    """An nginx main configuration around a site (sites are included in the http block)."""
    # Run as root (CI does), nginx's workers would be `nobody` and could not use this test's
    # private temp folders; as anyone else the directive is not allowed, nor needed.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
{site}
}}
"""


def test_the_shipped_site_has_every_line_the_test_substitutes() -> None:
    """Each substitution matches the shipped file: a changed file fails here, instead of being
    run with a line the test silently no longer touches."""
    site = _directives(shipped_site())
    for shipped, _ in substitutions(18001, 18002, 18003, Certificate(Path("c"), Path("k"))):
        assert shipped in site, shipped


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(params=["shipped", "default_headers"])
def proxy(request: pytest.FixtureRequest, service: Service, certificate: Certificate,
          tmp_path: Path) -> Iterator[str]:
    """nginx in front of the service on its public port; yields the configuration's name."""
    site = shipped_site() if request.param == "shipped" else bare_nginx_server()
    conf = tmp_path / "nginx.conf"
    conf.write_text(_nginx_conf(_for_this_test(site, service, certificate), tmp_path))
    check = subprocess.run([nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(conf),
                            "-e", str(tmp_path / "error.log")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([nginx_binary(), "-p", str(tmp_path), "-c", str(conf),
                             "-e", str(tmp_path / "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        up = wait_until(lambda: proc.poll() is not None or _port_open(service.public_port), 20)
        assert up and proc.poll() is None, (tmp_path / "error.log").read_text()
        yield request.param
    finally:
        proc.send_signal(signal.SIGQUIT)  # graceful: the port is free again for the next one
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _client(service: Service, tls: Certificate) -> httpx.Client:
    trust = ssl.create_default_context(cafile=str(tls.cert))
    return httpx.Client(base_url=service.public_url, verify=trust, timeout=30)


def _check_security_headers(response: httpx.Response, where: str) -> None:
    headers = response.headers
    csp = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, where
    assert headers.get("strict-transport-security", "").startswith("max-age="), where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "same-origin", where
    assert headers.get("x-frame-options") == "DENY", where


def _cookie(response: httpx.Response, name: str) -> list[str]:
    """The attributes of the Set-Cookie for `name`, lower-cased, value left out."""
    for header in response.headers.get_list("set-cookie"):
        first, *attributes = [part.strip() for part in header.split(";")]
        if first.split("=", 1)[0] == name:
            return [attribute.lower() for attribute in attributes]
    raise AssertionError(f"no {name} cookie in {response.headers.get_list('set-cookie')}")


def test_login_through_the_proxy_sets_a_secure_cookie_that_works(
    proxy: str, service: Service, certificate: Certificate,
) -> None:
    with _client(service, certificate) as client:
        form = client.get("/login")
        assert form.status_code == 200, form.text
        _check_security_headers(form, f"{proxy}: /login")
        assert {"secure", "httponly", "samesite=lax"} <= set(_cookie(form, LOGIN_CSRF_COOKIE))
        token = re.search(r'name="login_token" value="([^"]+)"', form.text)
        assert token, form.text
        response = client.post("/login", data={"username": "ada", "password": PASSWORD,
                                               "login_token": token.group(1), "next": "/people"})
        assert response.status_code == 303, response.text
        _check_security_headers(response, f"{proxy}: POST /login")
        # __Host-: the browser keeps it only if Secure, Path=/ and no Domain (host-only).
        attributes = _cookie(response, "__Host-checkin")
        assert {"secure", "httponly", "samesite=lax", "path=/"} <= set(attributes), attributes
        assert not any(attribute.startswith("domain=") for attribute in attributes)
        page = client.get("/people")
        assert page.status_code == 200 and "Ada" in page.text, page.text[:500]
        _check_security_headers(page, f"{proxy}: /people")
        assert page.headers.get("cache-control") == "no-store"


def test_a_twilio_webhook_signed_for_the_public_address_is_taken_through_the_proxy(
    proxy: str, service: Service, certificate: Certificate,
) -> None:
    url = service.public_url + SMS_PATH
    sid = new_message_sid()
    form = inbound_sms_form(sid, "+13125550199", OUR_NUMBER, "hello")
    with _client(service, certificate) as client:
        signed = client.post(SMS_PATH, data=form,
                             headers={SIGNATURE_HEADER: sign(url, form, TEST_AUTH_TOKEN)})
        assert signed.status_code == 200, signed.text
        _check_security_headers(signed, f"{proxy}: webhook")
        # Signed for the address the service listens on behind the proxy: not what Twilio calls.
        inner = f"http://127.0.0.1:{service.port}{SMS_PATH}"
        refused_sids = []
        for signed_for, token in ((None, None), (inner, TEST_AUTH_TOKEN),
                                  (url, "not-the-auth-token")):
            other = {**form, "MessageSid": new_message_sid()}
            refused_sids.append(other["MessageSid"])
            headers = ({SIGNATURE_HEADER: sign(signed_for, other, token)}
                       if signed_for and token else {})
            refused = client.post(SMS_PATH, data=other, headers=headers)
            assert refused.status_code == 403, (signed_for, token, refused.text)
    database = Database.open(service.database_url)
    try:
        with database.reading() as db:
            stored = db.exec(select(Message.provider_id).where(
                Message.provider_id.is_not(None))).all()  # type: ignore[union-attr]
    finally:
        database.close()
    assert sid in stored
    assert not set(refused_sids) & set(stored)


@pytest.mark.parametrize("proxy", ["shipped"], indirect=True)
def test_the_shipped_site_sends_plain_http_to_https(proxy: str, service: Service) -> None:
    response = httpx.get(f"http://127.0.0.1:{service.http_port}/queue?level=urgent", timeout=10)
    assert response.status_code == 301
    assert response.headers["location"] == "https://127.0.0.1/queue?level=urgent"
    # certbot's challenge is served from its webroot, not redirected (404: no such file here).
    challenge = httpx.get(f"http://127.0.0.1:{service.http_port}/.well-known/acme-challenge/x",
                          timeout=10)
    assert challenge.status_code == 404


@pytest.mark.parametrize("proxy", ["shipped"], indirect=True)
def test_the_shipped_site_limits_bodies_itself_except_the_people_import(
    proxy: str, service: Service, certificate: Certificate,
) -> None:
    """A 100 KB body is refused by nginx (its own 413 page: the service never sees it); the
    same body to the people import passes nginx and meets the service's login check."""
    body = b"x" * 100_000
    with _client(service, certificate) as client:
        refused = client.post("/login", content=body,
                              headers={"content-type": "application/x-www-form-urlencoded"})
        assert refused.status_code == 413
        assert "<center>nginx</center>" in refused.text
        passed = client.post("/people/import", content=body,
                             headers={"content-type": "application/x-www-form-urlencoded"})
        assert passed.status_code != 413 and "<center>nginx</center>" not in passed.text


def test_the_http_part_of_the_shipped_site_loads_before_the_certificate_exists(
    service: Service, certificate: Certificate, tmp_path: Path,
) -> None:
    """docs/deploy.md installs the part above the "--- https" line first, to get the first
    certificate from certbot: that part alone must be a site nginx accepts."""
    site = shipped_site()
    marker = "# --- https"
    assert site.count(marker) == 1
    http_only = site[:site.index(marker)]
    assert "ssl_certificate" not in http_only and "listen 80;" in http_only
    conf = tmp_path / "nginx.conf"
    conf.write_text(_nginx_conf(_for_this_test(http_only, service, certificate), tmp_path))
    check = subprocess.run([nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(conf),
                            "-e", str(tmp_path / "error.log")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
