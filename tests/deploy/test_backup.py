"""Backups: `manage.py backup` writes the database and the files into one dated archive;
`manage.py restore` rebuilds an installation from it into an empty database and an empty
storage, and the restored site serves the same opinions, the same PDFs (hashes equal) and the
same search results."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import psycopg
import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from moto import mock_aws

from conclusions.models import ConclusionNotice
from conclusions.pdf import notice_pdf_store
from petitions.models import Petition
from tests.conclusions.helpers import leader_of
from tests.petitions.written_helpers import clerk_of
from tests.public.test_public import _issued_conference

BASE_DIR = Path(__file__).resolve().parents[2]
SEARCH = "y kien"  # every opinion of the factories reads "Ý kiến số N": a restored word index must find them

READ_BACK = """
import hashlib, json
from django.core.files.storage import default_storage
from conclusions.models import ConclusionNotice
from petitions.models import Petition
notices = {}
for notice in ConclusionNotice.objects.exclude(pdf="").order_by("pk"):
    with default_storage.open(notice.pdf.name, "rb") as handle:
        notices[notice.number_label] = [notice.pdf_sha256, hashlib.sha256(handle.read()).hexdigest()]
print(json.dumps({
    "opinions": list(Petition.objects.order_by("pk").values_list("tracking_code", "content")),
    "notices": notices,
    "search": sorted(Petition.objects.search(%r).values_list("pk", flat=True)),
}))
"""


def _server_url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def empty_database():
    name = connection.settings_dict["NAME"] + "_restore"
    admin = psycopg.connect(_server_url("postgres").replace("postgres://", "postgresql://"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def local_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media-a"
    return settings.MEDIA_ROOT


def _site_contents(ward) -> dict:
    leader, clerk = leader_of(ward), clerk_of(ward)
    for opinions in (2, 3):
        notice = ConclusionNotice.objects.get(conference=_issued_conference(ward, leader, clerk, opinions))
        notice_pdf_store(notice=notice)
    notices = {}
    for notice in ConclusionNotice.objects.exclude(pdf="").order_by("pk"):
        with default_storage.open(notice.pdf.name, "rb") as handle:
            notices[notice.number_label] = [notice.pdf_sha256, hashlib.sha256(handle.read()).hexdigest()]
    return {
        "opinions": [
            list(row) for row in Petition.objects.order_by("pk").values_list("tracking_code", "content")
        ],
        "notices": notices,
        "search": sorted(Petition.objects.search(SEARCH).values_list("pk", flat=True)),
    }


def _manage(*args: str, database: str, media: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": _server_url(database),
        "MEDIA_ROOT": str(media),
        "S3_BUCKET": "",
        "CONN_MAX_AGE": "0",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_serves_the_same_site(ward, local_storage, empty_database, tmp_path):
    before = _site_contents(ward)
    assert len(before["opinions"]) == 5 and len(before["notices"]) == 2 and before["search"]
    assert all(stored == actual for stored, actual in before["notices"].values())

    call_command("backup", to=str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("doithoai-backup-*.tar")

    restored_media = tmp_path / "media-b"
    restore = _manage("restore", str(archive), database=empty_database, media=restored_media)
    assert restore.returncode == 0, restore.stderr[-3000:]
    assert "Restored" in restore.stdout and "2 files" in restore.stdout
    read = _manage("shell", "-c", READ_BACK % SEARCH, database=empty_database, media=restored_media)
    assert read.returncode == 0, read.stderr[-3000:]
    assert json.loads(read.stdout.strip().splitlines()[-1]) == before, read.stdout[-2000:]

    # A restore never merges into a live installation.
    again = _manage("restore", str(archive), database=empty_database, media=restored_media)
    assert again.returncode != 0 and "not empty" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_tables(local_storage, tmp_path):
    (tmp_path / "x.tar").write_bytes(b"")
    with pytest.raises(CommandError, match="database is not empty"):
        call_command("restore", str(tmp_path / "x.tar"))


@pytest.mark.django_db(transaction=True)
def test_backup_to_an_s3_bucket(ward, local_storage, monkeypatch):
    for name in ("S3_ENDPOINT_URL", "S3_ACCESS_KEY", "S3_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("S3_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    _site_contents(ward)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="doithoai-backups")
        call_command("backup", to="s3://doithoai-backups/nightly")
        keys = [item["Key"] for item in s3.list_objects_v2(Bucket="doithoai-backups")["Contents"]]
    assert len(keys) == 1 and keys[0].startswith("nightly/doithoai-backup-") and keys[0].endswith(".tar")
