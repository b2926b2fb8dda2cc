"""Default reference data of conclusions, for manage.py setup_office (the data migrations load
the same on a new database)."""


def load_defaults() -> str:
    from conclusions.models import ReminderRule
    from conclusions.reminders import rules_ensure

    rules_ensure(ReminderRule)
    return f"Quy tắc nhắc việc: {ReminderRule.objects.count()}."
