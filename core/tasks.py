"""Periodic housekeeping of core's own tables (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from core.once import form_submissions_prune


@shared_task(name="core.tasks.form_submissions_prune")
def form_submissions_prune_task() -> int:
    """Nightly; safe to run twice (the second run finds nothing older to remove)."""
    return form_submissions_prune()
