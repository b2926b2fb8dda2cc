"""One reminder sweep by hand: the same code the Celery beat runs every working morning."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from conclusions.reminders import reminders_sweep


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date: expected YYYY-MM-DD, got {value!r}") from error


class Command(BaseCommand):
    help = "Send the deadline reminders due today (one digest email per person, exactly once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would be sent (recipient, item, rule); send and record nothing.",
        )
        parser.add_argument(
            "--date", dest="day", type=_day, help="Run as of this day (YYYY-MM-DD) instead of today."
        )

    def handle(self, *args, dry_run: bool = False, day: date | None = None, **options):
        result = reminders_sweep(today=day, dry_run=dry_run)
        if dry_run:
            for planned in result.planned:
                recipient = f"{planned.recipient} <{planned.email}>" if planned.email else planned.recipient
                self.stdout.write(f"{recipient}\t{planned.item}\t{planned.rule}")
            self.stdout.write(
                f"Dry run {result.today:%d/%m/%Y}: {len(result.planned)} reminders to "
                f"{result.recipients} people would be sent; nothing was sent or recorded."
            )
            return
        self.stdout.write(
            f"Sweep {result.today:%d/%m/%Y}: {result.claimed} reminders to {result.recipients} people, "
            f"{result.emails_sent} emails sent, {result.emails_failed} failed (retried next sweep), "
            f"{result.notifications} notifications."
        )
        if result.emails_failed:
            self.stderr.write(self.style.WARNING(f"{result.emails_failed} digests could not be mailed."))
