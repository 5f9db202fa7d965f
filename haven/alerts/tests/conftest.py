"""Fixtures for the alerts tests: drafts, a real SMTP server and a real webhook receiver on loopback."""

from __future__ import annotations

import http.server
import threading

import pytest

from haven.alerts import actions
from haven.alerts.tests.support import CLEAN_BODY, SPIKE_CONTEXT, free_port


@pytest.fixture
def spike_draft(places):
    alert, _created = actions.alert_draft(
        source_kind="overdose_spike", source_key="northside-2026-03-02", title="More overdoses than usual in Northside",
        body=CLEAN_BODY, severity="urgent", context=SPIKE_CONTEXT, areas=[places["north"]],
    )
    return alert


@pytest.fixture
def published_alert(spike_draft, dana):
    return actions.alert_publish(actor=dana, alert=spike_draft, base_url="http://haven.test")


class Inbox:
    """aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        import email
        from email import policy

        return [email.message_from_bytes(envelope.content, policy=policy.default) for envelope in self.envelopes]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield inbox
    controller.stop()


class Receiver:
    def __init__(self):
        self.requests: list[dict] = []
        self.status = 204
        self.url = ""


@pytest.fixture
def webhook_receiver():
    """A real HTTP server on 127.0.0.1 that records each POST; set `.status` to make it fail."""
    receiver = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests.append({"path": self.path, "headers": dict(self.headers.items()), "body": body})
            self.send_response(receiver.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/haven-alerts"
    yield receiver
    server.shutdown()
    server.server_close()
