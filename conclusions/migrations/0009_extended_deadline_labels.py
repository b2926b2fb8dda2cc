"""Assignments whose deadline an approved extension set still showed the first rule's label
("15 ngày làm việc kể từ ngày ban hành"): write the extension's label, as the service now does
(conclusions.services.extension_basis)."""

from django.db import migrations
from django.utils import timezone

FIRST_RULE = {
    "working_days": "{days} ngày làm việc kể từ ngày ban hành",
    "calendar_days": "{days} ngày kể từ ngày ban hành",
    "date": "Đến ngày cụ thể",
}


def label_extended_deadlines(apps, schema_editor):
    request_model = apps.get_model("conclusions", "ExtensionRequest")
    approved = (
        request_model.objects.filter(status="approved")
        .select_related("assignment", "decided_by")
        .order_by("assignment_id", "-decided_at")
    )
    seen = None
    for request in approved.iterator(chunk_size=2000):
        if request.assignment_id == seen:
            continue  # only the latest approval of each assignment (SQLite has no DISTINCT ON)
        seen = request.assignment_id
        assignment = request.assignment
        if assignment.deadline != request.requested_deadline or assignment.deadline_basis.startswith(
            "Gia hạn"
        ):
            continue
        previous = assignment.deadline_basis or FIRST_RULE[assignment.deadline_rule].format(
            days=assignment.deadline_days
        )
        decided_on = (
            timezone.localdate(request.decided_at) if request.decided_at else request.requested_deadline
        )
        who = request.decided_by.full_name or request.decided_by.username if request.decided_by else ""
        assignment.deadline_basis = (
            f"Gia hạn đến {request.requested_deadline:%d/%m/%Y} ({who} đồng ý ngày {decided_on:%d/%m/%Y}); "
            f"trước đó: {previous}"
        )[:255]
        assignment.save(update_fields=["deadline_basis"])


class Migration(migrations.Migration):
    dependencies = [("conclusions", "0008_open_work_indexes")]

    operations = [migrations.RunPython(label_extended_deadlines, migrations.RunPython.noop)]
