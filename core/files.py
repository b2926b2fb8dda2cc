"""Stored files (attachments, issued notices' PDFs, exports) opened for download.

A file the database names but the storage does not hold answers 404 with a clear message and
is logged as an error: the usual cause is several web hosts each writing to their own local
MEDIA_ROOT (a PDF rendered by the worker on host A is not on host B's disk). Several hosts
need one shared storage: an S3-compatible object store (S3_BUCKET) or one shared mount;
`check --deploy` says so when WEB_HOSTS > 1 (core/checks.py).
"""

from __future__ import annotations

import logging

from django.core.files import File
from django.http import Http404
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

FILE_MISSING = _(
    "Tệp này không có trong kho lưu trữ. Hồ sơ vẫn còn; hãy báo quản trị hệ thống để khôi phục tệp."
)


class StoredFileMissingError(Http404):
    """Raised instead of FileNotFoundError: a 404 page with FILE_MISSING, not a 500."""


def open_stored(field_file) -> File:
    try:
        return field_file.open("rb")
    except FileNotFoundError as error:
        storage = type(field_file.storage).__name__
        logger.error("Stored file missing: %r in %s (%s)", field_file.name, storage, error)
        raise StoredFileMissingError(str(FILE_MISSING)) from error
