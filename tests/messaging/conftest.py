"""A real HTTP server on loopback that plays the SMS gateway and the Zalo API: it records
every request (path, headers, JSON body) and answers as told (`fail_next` refusals first)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class FakeGateway:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.fail_next = 0  # answer 503 to this many requests first
        self.zalo_error = 0  # Zalo's `error` field in its answers
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                with gateway.lock:
                    refuse = gateway.fail_next > 0
                    gateway.fail_next -= refuse
                    gateway.requests.append(
                        {
                            "path": self.path,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": body,
                            "refused": refuse,
                        }
                    )
                    number = len(gateway.requests)
                if refuse:
                    self._answer(503, {"error": "busy"})
                elif self.path.startswith("/zalo"):
                    self._answer(
                        200, {"error": gateway.zalo_error, "message": "ok", "data": {"msg_id": f"z{number}"}}
                    )
                else:
                    self._answer(200, {"status": 0, "id": f"sms{number}"})

            def _answer(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def delivered(self, path_prefix: str = "/sms") -> list[dict]:
        with self.lock:
            return [
                r["body"] for r in self.requests if r["path"].startswith(path_prefix) and not r["refused"]
            ]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    fake = FakeGateway()
    yield fake
    fake.stop()


@pytest.fixture
def channels(settings, gateway, tmp_path):
    """SMS through the fake gateway, Zalo through the fake ZNS, e-mail through Django's
    (locmem in tests: mailoutbox)."""
    settings.CITIZEN_MESSAGE_BACKENDS = {"sms": "http", "zalo": "zns", "email": "django"}
    settings.SMS_GATEWAY_URL = f"{gateway.url}/sms/send"
    settings.SMS_GATEWAY_USER, settings.SMS_GATEWAY_PASSWORD = "phuong", "bi-mat"
    settings.SMS_GATEWAY_BRANDNAME = "UBND-BODE"
    settings.SMS_GATEWAY_ERROR_FIELD = "status"
    settings.ZALO_ZNS_URL = f"{gateway.url}/zalo/template"
    settings.ZALO_ZNS_ACCESS_TOKEN = "zalo-token"
    settings.ZALO_ZNS_TEMPLATES = {
        kind: f"tpl-{kind}" for kind in ("received", "assigned", "extended", "answered", "closed")
    }
    settings.SITE_URL = "https://doithoai.hanoi.gov.vn"
    settings.MESSAGES_FILE_DIR = str(tmp_path)
    settings.MESSAGES_RETRY_SECONDS = 1
    settings.MESSAGES_MAX_ATTEMPTS = 3
    return settings
