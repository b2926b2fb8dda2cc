from django.db import migrations

from core.migration_ops import TrigramIndex

CATEGORIES = [
    "Đất đai – GPMB – tái định cư",
    "Quy hoạch – xây dựng – trật tự đô thị",
    "Giao thông – hạ tầng",
    "Tài nguyên – môi trường",
    "An ninh trật tự",
    "Văn hóa – xã hội",
    "Y tế",
    "Giáo dục",
    "Lao động – chính sách xã hội",
    "Cải cách hành chính",
    "Cán bộ – công chức",
    "Đảng – đoàn thể",
    "Khác",
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("petitions", "Category")
    for position, name in enumerate(CATEGORIES):
        Category.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial"), ("core", "0002_trigram_extension")]
    operations = [
        migrations.RunPython(add_categories, migrations.RunPython.noop),
        TrigramIndex(table="petitions_petition"),
    ]
