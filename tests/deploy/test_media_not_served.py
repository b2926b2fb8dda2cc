"""Uploaded files are served only through their views, never from /media/ (found in review)."""

import pytest

pytestmark = pytest.mark.django_db


def test_uploaded_files_are_not_served_from_media(client, settings):
    assert client.get("/media/notices/2026/1-thong-bao.pdf").status_code == 404
