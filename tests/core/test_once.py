"""The one-time tokens of saved forms (core.once) are pruned after FORM_SUBMISSION_KEEP_DAYS."""

import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import FormSubmission
from core.tasks import form_submissions_prune_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def claim(user, *, days_ago: float) -> FormSubmission:
    submission = FormSubmission.objects.create(token=uuid.uuid4(), user=user, path="/y-kien/moi/")
    # created_at is auto_now_add: set the past with an update, as time would.
    FormSubmission.objects.filter(pk=submission.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return submission


def test_claims_older_than_the_period_are_pruned_nightly_and_twice_is_harmless(settings, ward):
    settings.FORM_SUBMISSION_KEEP_DAYS = 30
    user = UserFactory(agency=ward.bodies["UBND"], is_clerk=True)
    kept = [claim(user, days_ago=0), claim(user, days_ago=29.9)]
    claim(user, days_ago=30.1)
    claim(user, days_ago=400)

    assert form_submissions_prune_task() == 2
    assert set(FormSubmission.objects.values_list("pk", flat=True)) == {s.pk for s in kept}
    assert form_submissions_prune_task() == 0


def test_the_prune_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["form-submissions-prune"]
    assert entry["task"] == form_submissions_prune_task.name
