"""A mail backend for benchmarks: every message is built down to its bytes, as the SMTP
backend does before sending, and then dropped. (Django's in-memory backend keeps every message
in `mail.outbox`, which would count tens of thousands of digests as the sweep's memory.)"""

from django.core.mail.backends.base import BaseEmailBackend


class SerializeAndDropBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            message.message().as_bytes()
        return len(email_messages)
