"""Issue 20, failure 3: a stored file the database names but the storage does not hold (a
second web host with its own local disk) answered 500. Every download answers 404 with a
clear message and logs the missing file (core/files.py)."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conclusions.models import ConclusionNotice
from conclusions.pdf import notice_pdf_store
from core.files import FILE_MISSING
from dialogue.models import ConferenceAttachment
from tests.conclusions.helpers import leader_of
from tests.conftest import login
from tests.factories import conference_for
from tests.petitions.written_helpers import clerk_of
from tests.public.test_public import _issued_conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def assert_missing_answered(response, caplog, name):
    assert response.status_code == 404
    assert str(FILE_MISSING) in response.content.decode()
    assert f"Stored file missing: {name!r}" in caplog.text


def test_issued_notice_pdf_missing_from_storage(ward, local_storage, caplog):
    leader, clerk = leader_of(ward), clerk_of(ward)
    notice = ConclusionNotice.objects.get(conference=_issued_conference(ward, leader, clerk, opinions=1))
    notice_pdf_store(notice=notice)
    notice.refresh_from_db()
    (local_storage / notice.pdf.name).unlink()  # as on a host that never had it
    with caplog.at_level(logging.ERROR, logger="core.files"):
        assert_missing_answered(
            Client().get(reverse("public:notice_pdf", args=[notice.pk])), caplog, notice.pdf.name
        )
        assert_missing_answered(
            login(leader).get(reverse("conclusions:notice_pdf", args=[notice.pk])), caplog, notice.pdf.name
        )
        api = login(leader).get(reverse("api:notice-pdf", args=[notice.pk]), HTTP_ACCEPT="application/pdf")
        assert api.status_code == 404
        assert str(FILE_MISSING) in api.content.decode()


def test_conference_attachment_missing_from_storage(ward, make_user, local_storage, caplog):
    conference = conference_for(ward, status="held")
    client = login(make_user("clerk"))
    client.post(
        reverse("dialogue:attachment_upload", args=[conference.pk]),
        {"file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%test\n"), "kind": "minutes"},
    )
    attachment = ConferenceAttachment.objects.get()
    (local_storage / attachment.file.name).unlink()
    with caplog.at_level(logging.ERROR, logger="core.files"):
        response = client.get(reverse("dialogue:attachment_download", args=[attachment.pk]))
        assert_missing_answered(response, caplog, attachment.file.name)
