"""Reports made before answers were kept as versions become version 1 of their assignment:
the answer last reported, with the status it reached (accepted, returned with its reason, or
waiting). Earlier returned answers were overwritten and cannot be recovered."""

from django.db import migrations


def forwards(apps, schema_editor):
    Assignment = apps.get_model("conclusions", "Assignment")
    AnswerVersion = apps.get_model("conclusions", "AnswerVersion")
    reported = Assignment.objects.filter(reported_at__isnull=False).exclude(answer_to_citizen="")
    reported = reported.exclude(pk__in=AnswerVersion.objects.values("assignment"))
    batch = []
    for assignment in reported.iterator(chunk_size=2000):
        if assignment.status == "accepted":
            status, reason = "accepted", ""
        elif assignment.status in ("returned", "in_progress") and assignment.return_reason:
            status, reason = "returned", assignment.return_reason
        else:
            status, reason = "submitted", ""
        batch.append(
            AnswerVersion(
                assignment_id=assignment.pk,
                number=1,
                text=assignment.answer_to_citizen,
                reported_by_id=assignment.responsible_person_id,
                reported_at=assignment.reported_at,
                status=status,
                return_reason=reason,
                decided_by_id=assignment.accepted_by_id if status == "accepted" else None,
                decided_at=assignment.accepted_at if status == "accepted" else None,
            )
        )
        if len(batch) >= 2000:
            AnswerVersion.objects.bulk_create(batch)
            batch = []
    AnswerVersion.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("conclusions", "0013_answer_versions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
