"""`manage.py backup [--to FOLDER | --to s3://bucket/prefix]`: one dated archive of the
database and the stored files (core/backup.py, docs/DEPLOY.md)."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Dump the database and every stored file into one dated archive (a folder or s3://bucket/prefix)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", default="var/backups", help="a folder, or s3://bucket/prefix (default: var/backups)"
        )

    def handle(self, *args, to: str, **options):
        try:
            result = backup_create(destination=to)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backup written: {result.location} ({result.files} files, {result.bytes} bytes of files)"
        )
