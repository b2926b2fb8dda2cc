"""`manage.py restore ARCHIVE`: a backup (a file or s3://bucket/key) into an EMPTY database
and an EMPTY file storage (core/backup.py, docs/DEPLOY.md)."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and an empty file storage."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the archive: a path, or s3://bucket/key")

    def handle(self, *args, archive: str, **options):
        try:
            result = backup_restore(source=archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {result.location}: the database and {result.files} files ({result.bytes} bytes)"
        )
