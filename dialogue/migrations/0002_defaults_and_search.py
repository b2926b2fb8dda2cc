from django.db import migrations

from core.migration_ops import TrigramIndex

BASES = [
    ("Quyết định số 2200-QĐ/TU ngày 25/5/2017 của Ban Thường vụ Thành ủy Hà Nội", "QĐ 2200-QĐ/TU"),
    ("Luật Tổ chức chính quyền địa phương năm 2025, Điều 43", "Luật TCCQĐP 2025, Đ.43"),
    ("Quy định số 11-QĐi/TW ngày 18/02/2019 của Bộ Chính trị", "QĐi 11-QĐi/TW"),
    ("Khác (đột xuất, theo yêu cầu)", "Khác"),
]
# Decision 2200-QĐ/TU: heads of wards and communes hold at least one dialogue a year.
REQUIREMENTS = [("ward", 1), ("commune", 1), ("township", 1), ("special_zone", 1), ("district", 1)]


def add_defaults(apps, schema_editor):
    ConferenceBasis = apps.get_model("dialogue", "ConferenceBasis")
    ConferenceRequirement = apps.get_model("dialogue", "ConferenceRequirement")
    for position, (name, short_name) in enumerate(BASES):
        ConferenceBasis.objects.get_or_create(
            name=name, defaults={"short_name": short_name, "position": position}
        )
    for kind, per_year in REQUIREMENTS:
        ConferenceRequirement.objects.get_or_create(
            area_kind=kind, defaults={"per_year": per_year, "note": "Quyết định 2200-QĐ/TU"}
        )


class Migration(migrations.Migration):
    dependencies = [("dialogue", "0001_initial"), ("core", "0002_trigram_extension")]
    operations = [
        migrations.RunPython(add_defaults, migrations.RunPython.noop),
        TrigramIndex(table="dialogue_conference"),
    ]
