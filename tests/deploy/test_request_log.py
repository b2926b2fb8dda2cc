"""Structured logs: one line per request with its id (gunicorn's access log, the id from
core/requestlog.py), the id on every line a request writes, and a 403/404 not logged again
with a traceback."""

import logging

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from core.requestlog import RequestIdFilter, RequestIdMiddleware

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id():
    first, second = Client().get("/healthz"), Client().get("/healthz")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    # The proxy's id is kept, so its log and ours meet; a strange one is replaced.
    assert Client().get("/healthz", HTTP_X_REQUEST_ID="nginx-5f2a9c01")["X-Request-ID"] == "nginx-5f2a9c01"
    assert Client().get("/healthz", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"] != "bad id\n"


def test_a_not_found_is_not_logged_again_with_a_traceback(caplog):
    with caplog.at_level(logging.WARNING):
        assert Client().get("/khong-co-trang-nay/").status_code == 404
    assert "Not Found" not in caplog.text and "Traceback" not in caplog.text


def test_lines_written_during_a_request_carry_its_id():
    seen = []

    def view(request):
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "inside", None, None)
        RequestIdFilter().filter(record)
        seen.append(record.request_id)
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="abcdef123456"))
    assert seen == [response["X-Request-ID"]] == ["abcdef123456"]
    outside = logging.LogRecord("x", logging.INFO, __file__, 1, "after", None, None)
    RequestIdFilter().filter(outside)
    assert outside.request_id == "-"
