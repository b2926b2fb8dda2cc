"""Request ids and request logging.

Every request gets an id: the reverse proxy's X-Request-ID when it sent a sane one (nginx:
`proxy_set_header X-Request-ID $request_id`), a fresh one otherwise. It is returned in the
X-Request-ID response header, so gunicorn's access log (config/gunicorn.py) writes it on the
request's one line, and it is added to every log record written while the request runs
(`RequestIdFilter`), so an error's traceback is found from the line of its request.

A 403 or 404 is an answer, not a fault: the access line records it, and Django's own
"Not Found"/"Forbidden" warning (with the exception's traceback) is dropped
(`SkipClientErrors`). 5xx errors keep their traceback.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
_SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_current: ContextVar[str] = ContextVar("request_id", default="-")


def current_request_id() -> str:
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(HEADER, "")
        request_id = offered if _SANE.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True


class SkipClientErrors(logging.Filter):
    """For the django.request logger: 4xx answers are on the access log's line already."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        return not (status is not None and 400 <= status < 500)


class JsonFormatter(logging.Formatter):
    """One JSON object per line; the message (and a traceback) escaped as a JSON string."""

    def format(self, record: logging.LogRecord) -> str:
        import json

        message = record.getMessage()
        if record.exc_info:
            message += "\n" + self.formatException(record.exc_info)
        record.message_json = json.dumps(message, ensure_ascii=False)
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        record.asctime = self.formatTime(record, self.datefmt)
        return self._fmt % record.__dict__
