"""Behind a real reverse proxy (nginx, Caddy: the files in deploy/, as docs/DEPLOY.md gives them), Haven
sees each client's own address and scheme: lockouts and public-form limits are per client, the audit
log records the client's address, HTTPS works without a redirect loop, and a forged header is ignored.

Each proxy runs from Debian's package on loopback with a certificate made here, in front of a real
`python -m haven serve` (HAVEN_PROXY_COUNT=1, HAVEN_HTTPS=1). Two clients are told apart by binding
their sockets to different loopback addresses (127.0.0.2, 127.0.0.3, ...), as two machines would be.
Skipped where the proxy is not installed, except in CI (CI=true), where that fails.
"""

from __future__ import annotations

import datetime
import http.client
import http.cookies
import os
import re
import shutil
import signal
import sqlite3
import ssl
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from haven.testing.processes import ADMIN_PASSWORD, REPO, free_port, haven_env, run_haven

DEPLOY = REPO / "deploy"
# Each proxy gets its own loopback addresses for its clients, and its own admin account.
CLIENTS = {
    "nginx": ("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"),
    "caddy": ("127.0.0.12", "127.0.0.13", "127.0.0.14", "127.0.0.15"),
}
FORGED = "203.0.113.9"


def require(binary: str) -> str:
    found = shutil.which(binary) or (f"/usr/sbin/{binary}" if os.path.exists(f"/usr/sbin/{binary}") else None)
    if not found:
        message = (
            f"{binary} not found: install Debian's {'nginx-light' if binary == 'nginx' else binary} package"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path | None = None):
    import socket

    deadline = time.monotonic() + 180  # a first start migrates a new database
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = log.read_text() if log and log.exists() else ""
            raise AssertionError(f"{what} exited with status {process.returncode}: {detail}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{what} did not start listening on port {port}")


def stop(process: subprocess.Popen):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def substitute(text: str, replacements: dict[str, str]) -> str:
    """The deploy file with the test's ports and paths; fails if a line it expects has gone."""
    for old, new in replacements.items():
        assert text.count(old) == 1, (
            f"{old!r} is no longer in the deploy file once: update this test and the docs"
        )
        text = text.replace(old, new)
    return text


# The servers -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def haven_server(tmp_path_factory):
    """`haven serve` as deployed: one trusted proxy hop, HTTPS on, a SQLite data folder of its own."""
    data = tmp_path_factory.mktemp("proxied") / "data"
    for username in ("nginx-admin", "caddy-admin"):
        created = run_haven("createadmin", "--username", username, data_dir=data)
        assert created.returncode == 0, created.stderr
    port = free_port()
    log = data.parent / "haven.log"
    env = haven_env(data, HAVEN_PROXY_COUNT="1", HAVEN_HTTPS="1", HAVEN_ALLOWED_HOSTS="127.0.0.1,localhost")
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "haven", "serve", "--port", str(port), "--no-worker"],
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, process, "haven serve", log)
        yield {"port": port, "data": data, "log": log}
    finally:
        stop(process)


def start_nginx(folder: Path, haven_port: int, cert: Path, key: Path):
    binary = require("nginx")
    http_port, https_port = free_port(), free_port()
    site = substitute(
        (DEPLOY / "nginx-haven.conf").read_text(),
        {
            "listen 80;": f"listen 127.0.0.1:{http_port};",
            "    listen [::]:80;\n": "",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
            "    listen [::]:443 ssl http2;\n": "",
            "server 127.0.0.1:8000;": f"server 127.0.0.1:{haven_port};",
            "/etc/letsencrypt/live/haven.example.org/fullchain.pem": str(cert),
            "/etc/letsencrypt/live/haven.example.org/privkey.pem": str(key),
        },
    )
    (folder / "site.conf").write_text(site)
    temp = "".join(
        f"{kind}_temp_path {folder}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{\naccess_log off;\n{temp}include {folder}/site.conf;\n}}\n"
    )
    process = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(folder / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "stderr.log", "w"),
    )
    wait_for_port(https_port, process, "nginx", folder / "stderr.log")
    return process, http_port, https_port


def start_caddy(folder: Path, haven_port: int, cert: Path, key: Path):
    binary = require("caddy")
    http_port, https_port = free_port(), free_port()
    site = substitute(
        (DEPLOY / "Caddyfile").read_text(),
        {
            "haven.example.org {": f"https://127.0.0.1:{https_port} {{\n\ttls {cert} {key}",
            "reverse_proxy 127.0.0.1:8000": f"reverse_proxy 127.0.0.1:{haven_port}",
        },
    )
    options = (
        f"{{\n\tadmin off\n\thttp_port {http_port}\n\thttps_port {https_port}\n"
        f"\tstorage file_system {folder}/storage\n\tskip_install_trust\n}}\n\n"
    )
    (folder / "Caddyfile").write_text(options + site)
    env = {**os.environ, "HOME": str(folder), "XDG_DATA_HOME": str(folder), "XDG_CONFIG_HOME": str(folder)}
    process = subprocess.Popen(
        [binary, "run", "--adapter", "caddyfile", "--config", str(folder / "Caddyfile")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "stderr.log", "w"),
    )
    wait_for_port(https_port, process, "caddy", folder / "stderr.log")
    wait_for_port(http_port, process, "caddy (plain HTTP)", folder / "stderr.log")
    return process, http_port, https_port


@pytest.fixture(scope="module", params=["nginx", "caddy"])
def proxy(request, haven_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    cert, key = self_signed_certificate(folder)
    start = start_nginx if request.param == "nginx" else start_caddy
    process, http_port, https_port = start(folder, haven_server["port"], cert, key)
    try:
        yield {
            "name": request.param,
            "http_port": http_port,
            "https_port": https_port,
            "clients": CLIENTS[request.param],
            "admin": f"{request.param}-admin",
            **haven_server,
        }
    finally:
        stop(process)


# A browser-like client from one address ------------------------------------------------------------------


class Client:
    """Cookies, CSRF tokens and a fixed source address; always sends a forged X-Forwarded-For."""

    def __init__(self, address: str, port: int, *, https: bool = True):
        self.address, self.port, self.https = address, port, https
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None):
        if self.https:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.port, timeout=60, context=context, source_address=(self.address, 0)
            )
        else:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=60, source_address=(self.address, 0)
            )
        origin = f"{'https' if self.https else 'http'}://127.0.0.1:{self.port}"
        sent = {"X-Forwarded-For": FORGED, "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": origin,
                    "Referer": origin + path,
                }
            )
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read().decode(errors="replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response, content

    def post_form(self, path: str, fields: dict):
        _response, page = self.request("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, page[:500]
        return self.request("POST", path, {"csrfmiddlewaretoken": token.group(1), **fields})


def audit_addresses(data: Path, action: str) -> set[str]:
    database = sqlite3.connect(data / "haven.sqlite3")
    try:
        rows = database.execute(
            "SELECT ip_address FROM core_auditevent WHERE action = ?", [action]
        ).fetchall()
    finally:
        database.close()
    return {row[0] for row in rows}


# What must hold ---------------------------------------------------------------------------------------------


def test_https_through_the_proxy_serves_pages_without_a_redirect_loop(proxy):
    response, page = Client(proxy["clients"][0], proxy["https_port"]).request("GET", "/login/")
    assert response.status == 200, page[:300]
    assert "max-age=63072000" in response.headers["Strict-Transport-Security"]
    assert "Secure" in response.headers["Set-Cookie"]


def test_plain_http_through_the_proxy_is_redirected_to_https(proxy):
    response, _page = Client(proxy["clients"][0], proxy["http_port"], https=False).request("GET", "/login/")
    assert response.status in (301, 302, 308)
    assert response.headers["Location"].startswith("https://127.0.0.1")
    assert response.headers["Location"].endswith("/login/")


def test_five_bad_logins_from_one_client_do_not_lock_out_another(proxy):
    first, second = proxy["clients"][0], proxy["clients"][1]
    attacker = Client(first, proxy["https_port"])
    for _attempt in range(5):
        response, _page = attacker.post_form(
            "/login/", {"username": proxy["admin"], "password": "wrong guess"}
        )
        assert response.status in (200, 429)
    response, page = attacker.post_form("/login/", {"username": proxy["admin"], "password": ADMIN_PASSWORD})
    assert response.status == 429, "the client that kept guessing is locked out"

    colleague = Client(second, proxy["https_port"])
    response, page = colleague.post_form("/login/", {"username": proxy["admin"], "password": ADMIN_PASSWORD})
    assert response.status == 302, page[:500]
    assert "/two-factor/" in response.headers["Location"] or "two-factor" in response.headers["Location"]

    # The audit log records the real client, never the proxy or the forged header.
    failed_from = audit_addresses(proxy["data"], "login_failed")
    assert first in failed_from
    assert not failed_from & {"127.0.0.1", FORGED}
    assert second in audit_addresses(proxy["data"], "login")


def test_public_lookup_limits_count_each_client_separately(proxy):
    third, fourth = proxy["clients"][2], proxy["clients"][3]
    busy = Client(third, proxy["https_port"])
    statuses = [busy.post_form("/checking/result/", {"code": "K7QM-4XPD-R2"})[0].status for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    response, _page = Client(fourth, proxy["https_port"]).post_form(
        "/checking/result/", {"code": "K7QM-4XPD-R2"}
    )
    assert response.status == 200


def test_forged_headers_sent_straight_to_haven_are_ignored(haven_server):
    """Not from the proxy's address: X-Forwarded-Proto: https does not make plain HTTP look secure."""
    response, _page = Client("127.0.0.6", haven_server["port"], https=False).request("GET", "/login/")
    assert response.status == 301
    assert response.headers["Location"].startswith("https://")


# How waitress is set up -------------------------------------------------------------------------------------


def test_without_a_proxy_nothing_is_trusted_and_proxy_headers_are_dropped():
    from haven.core.proxy import waitress_options

    assert waitress_options(proxy_count=0, proxy_address="127.0.0.1") == {
        "clear_untrusted_proxy_headers": True
    }


def test_with_a_proxy_waitress_trusts_exactly_that_many_hops_from_its_address():
    from haven.core.proxy import waitress_options

    options = waitress_options(proxy_count=2, proxy_address="10.0.0.5")
    assert options["trusted_proxy"] == "10.0.0.5" and options["trusted_proxy_count"] == 2
    assert options["trusted_proxy_headers"] == {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"}
    assert options["clear_untrusted_proxy_headers"] is True


def test_an_ipv6_client_address_loses_the_brackets_waitress_adds(rf):
    from haven.core.proxy import client_address

    assert client_address(rf.get("/", REMOTE_ADDR="[2001:db8::7]")) == "2001:db8::7"
    assert client_address(rf.get("/", REMOTE_ADDR="192.0.2.4")) == "192.0.2.4"
    assert client_address(None) is None
