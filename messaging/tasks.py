"""Celery tasks of the messages: thin, safe to run twice (services.py says why)."""

from celery import shared_task
from django.conf import settings

from messaging import services


@shared_task(bind=True, max_retries=None)
def messages_deliver_batch(self, batch: str) -> dict:
    """Deliver a claimed batch; what a channel refused is tried again with backoff
    (MESSAGES_RETRY_SECONDS, doubled each time) until MESSAGES_MAX_ATTEMPTS."""
    result = services.messages_deliver(batch=batch)
    if self.request.is_eager:
        # In-process (`make run` without Redis, tests): no countdown to wait on, so the retries
        # follow at once; each costs an attempt, so this ends at MESSAGES_MAX_ATTEMPTS.
        while result.to_retry:
            result = services.messages_deliver(batch=batch)
    elif result.to_retry:
        countdown = settings.MESSAGES_RETRY_SECONDS * 2**self.request.retries
        raise self.retry(countdown=countdown)
    return {"sent": result.sent, "failed": result.failed}


@shared_task
def messages_resume_left() -> int:
    return services.messages_resume()
