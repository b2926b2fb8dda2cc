"""The notices' own counter (NumberCounter) moves onto the bodies' outgoing registers
(registers app): every issued notice becomes a register entry with the number it was issued
with, and each counter carries on from where it stood, so no number is given twice."""

from django.db import migrations

BATCH = 2000


def _period(series: str, term_names: dict) -> str:
    if series.startswith("term-"):
        key = series.split("/", 1)[0].removeprefix("term-")
        return f"Nhiệm kỳ {term_names.get(int(key), key)}" if key.isdigit() else series
    return series.split("/", 1)[0]


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ConclusionNotice = apps.get_model("conclusions", "ConclusionNotice")
    CommitteeTerm = apps.get_model("conclusions", "CommitteeTerm")
    NumberCounter = apps.get_model("conclusions", "NumberCounter")
    RegisterCounter = apps.get_model("registers", "RegisterCounter")
    RegisterEntry = apps.get_model("registers", "RegisterEntry")

    notice_type, _created = ContentType.objects.get_or_create(
        app_label="conclusions", model="conclusionnotice"
    )
    term_names = dict(CommitteeTerm.objects.values_list("pk", "name"))
    RegisterCounter.objects.bulk_create(
        [
            RegisterCounter(
                body_id=counter.issuing_body_id, series=counter.series, last_number=counter.last_number
            )
            for counter in NumberCounter.objects.all()
        ],
        ignore_conflicts=True,
    )
    issued = ConclusionNotice.objects.filter(status="issued").order_by("pk")
    fields = [
        "pk",
        "issuing_body_id",
        "number_series",
        "number",
        "number_label",
        "issued_on",
        "summary",
        "issued_by_id",
    ]
    batch = []
    for notice in issued.only(*fields).iterator(chunk_size=BATCH):
        batch.append(
            RegisterEntry(
                body_id=notice.issuing_body_id,
                series=notice.number_series,
                period=_period(notice.number_series, term_names),
                number=notice.number,
                doc_type="TB",
                label=notice.number_label,
                issued_on=notice.issued_on,
                summary=notice.summary[:500],
                origin="app",
                recorded_by_id=notice.issued_by_id,
                content_type_id=notice_type.pk,
                object_id=notice.pk,
            )
        )
        if len(batch) >= BATCH:
            RegisterEntry.objects.bulk_create(batch)
            batch = []
    RegisterEntry.objects.bulk_create(batch)


def backwards(apps, schema_editor):
    """The notices' counters again, from the register's notice entries (a register shared
    with other documents cannot be split back: its other numbers are dropped)."""
    from django.db.models import Max

    NumberCounter = apps.get_model("conclusions", "NumberCounter")
    RegisterEntry = apps.get_model("registers", "RegisterEntry")
    highest = (
        RegisterEntry.objects.filter(doc_type="TB").values("body_id", "series").annotate(high=Max("number"))
    )
    NumberCounter.objects.bulk_create(
        [
            NumberCounter(issuing_body_id=row["body_id"], series=row["series"], last_number=row["high"])
            for row in highest
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("conclusions", "0012_notice_newest_index"),
        ("registers", "0001_outgoing_register"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="NumberCounter"),
    ]
