import io

import pytest
from django.core.management import call_command

from conclusions.models import AnswerFile, AnswerVersion
from petitions.models import CitizenVerdict, Reopening

pytestmark = pytest.mark.django_db


def test_the_demo_has_answers_versions_verdicts_and_one_reopening(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    assert AnswerVersion.objects.filter(status="returned").exists()
    assert AnswerVersion.objects.filter(status="accepted").count() >= 2
    assert AnswerFile.objects.filter(publishable=True).exists()
    verdicts = sorted(CitizenVerdict.objects.values_list("verdict", flat=True))
    assert verdicts == ["no_opinion", "not_resolved", "resolved"]
    assert Reopening.objects.filter(status="pending").count() == 1
    call_command("seed_demo", stdout=io.StringIO())
    assert CitizenVerdict.objects.count() == 3 and Reopening.objects.count() == 1
