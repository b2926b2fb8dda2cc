"""Backups: the database and the stored files in one dated archive, and its restore.

The archive (`doithoai-backup-YYYYMMDD-HHMMSS.tar`) holds:

- `database.dump`: `pg_dump --format=custom` of the whole database (schema, data, the search
  triggers and word dictionary), restorable with `pg_restore` into an empty database;
- `files/<name>`: every file of the default storage (local MEDIA_ROOT or the S3 bucket), under
  the name the database knows it by;
- `manifest.json`: when, which database, and each file's size and SHA-256, checked on restore.

It is written to a local folder or to `s3://bucket/prefix` (the S3 settings' endpoint and keys;
use a bucket other than the site's own). Restore refuses a database that has tables or a storage
that holds files: it rebuilds an installation, it does not merge into one (docs/DEPLOY.md).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

DUMP = "database.dump"
MANIFEST = "manifest.json"
FILES = "files/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass
class BackupResult:
    location: str
    files: int
    bytes: int


# --- the database -----------------------------------------------------------------------------


def _pg_environment() -> dict[str, str]:
    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("postgresql"):
        raise BackupError("Backups are made of PostgreSQL databases (DATABASE_URL).")
    env = {**os.environ, "PGDATABASE": database["NAME"]}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            env[name] = str(database[key])
    return env


def _run(command: list[str]) -> None:
    finished = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise BackupError(f"{command[0]} failed: {finished.stderr.strip()[-2000:]}")


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0] == 0


# --- the files --------------------------------------------------------------------------------


def stored_names(storage=default_storage, folder: str = "") -> list[str]:
    """Every file of the storage, recursively (local folders and S3 prefixes alike)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += stored_names(storage, f"{folder}{sub}/")
    return sorted(names)


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


# --- backup -----------------------------------------------------------------------------------


def backup_create(*, destination: str) -> BackupResult:
    """Dump, collect the files, write one archive to `destination` (a folder or s3://…)."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    name = f"doithoai-backup-{stamp}.tar"
    with tempfile.TemporaryDirectory(prefix="doithoai-backup-") as work:
        dump = Path(work) / DUMP
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"])
        archive = Path(work) / name
        files, size = _write_archive(archive, dump, stamp)
        location = _put(archive, destination, name)
    return BackupResult(location=location, files=files, bytes=size)


def _write_archive(archive: Path, dump: Path, stamp: str) -> tuple[int, int]:
    manifest = {"created": stamp, "database": settings.DATABASES["default"]["NAME"], "files": {}}
    size = 0
    with tarfile.open(archive, "w") as tar:
        tar.add(dump, arcname=DUMP)
        for stored in stored_names():
            with default_storage.open(stored, "rb") as handle:
                digest = _sha256(handle)
                handle.seek(0)
                length = default_storage.size(stored)
                info = tarfile.TarInfo(FILES + stored)
                info.size = length
                tar.addfile(info, handle)
            manifest["files"][stored] = {"size": length, "sha256": digest}
            size += length
        data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return len(manifest["files"]), size


def _s3_client():
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=os.environ.get("S3_ENDPOINT_URL") or None,
        aws_access_key_id=os.environ.get("S3_ACCESS_KEY") or None,
        aws_secret_access_key=os.environ.get("S3_SECRET_KEY") or None,
        region_name=os.environ.get("S3_REGION") or None,
    )


def _split_s3(url: str) -> tuple[str, str]:
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    return bucket, prefix.strip("/")


def _put(archive: Path, destination: str, name: str) -> str:
    if destination.startswith("s3://"):
        bucket, prefix = _split_s3(destination)
        key = f"{prefix}/{name}" if prefix else name
        _s3_client().upload_file(str(archive), bucket, key)
        return f"s3://{bucket}/{key}"
    folder = Path(destination)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.move(str(archive), target)
    return str(target)


# --- restore ----------------------------------------------------------------------------------


def backup_restore(*, source: str) -> BackupResult:
    """Into an empty database and an empty storage: the database first, then every file,
    each checked against the manifest's SHA-256."""
    if not _database_is_empty():
        raise BackupError("The database is not empty: restore goes into a new, empty database.")
    if stored_names():
        raise BackupError("The file storage is not empty: restore goes into an empty folder or bucket.")
    with tempfile.TemporaryDirectory(prefix="doithoai-restore-") as work:
        archive = _get(source, Path(work))
        with tarfile.open(archive, "r") as tar:
            manifest = json.load(tar.extractfile(MANIFEST))
            tar.extract(DUMP, work, filter="data")
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    f"--dbname={_dbname()}",
                    str(Path(work) / DUMP),
                ]
            )
            size = _restore_files(tar, manifest["files"])
    return BackupResult(location=source, files=len(manifest["files"]), bytes=size)


def _dbname() -> str:
    return settings.DATABASES["default"]["NAME"]


def _get(source: str, work: Path) -> Path:
    if source.startswith("s3://"):
        bucket, key = _split_s3(source)
        target = work / Path(key).name
        _s3_client().download_file(bucket, key, str(target))
        return target
    path = Path(source)
    if not path.is_file():
        raise BackupError(f"No backup archive at {source}.")
    return path


def _restore_files(tar: tarfile.TarFile, expected: dict[str, dict]) -> int:
    size = 0
    for stored, facts in expected.items():
        data = tar.extractfile(FILES + stored).read()
        if hashlib.sha256(data).hexdigest() != facts["sha256"]:
            raise BackupError(f"The archive's copy of {stored} does not match its checksum.")
        saved = default_storage.save(stored, ContentFile(data))
        if saved != stored:
            raise BackupError(f"{stored} was stored as {saved}: the storage was not empty.")
        size += len(data)
    return size
