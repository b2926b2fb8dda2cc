"""The default list of categories: loaded by the data migration, and again by tests that
empty the database."""

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


def ensure(category_model) -> None:
    for position, name in enumerate(CATEGORIES):
        category_model.objects.get_or_create(name=name, defaults={"position": position})


def load_defaults() -> str:
    """For manage.py setup_office: the categories and the statutory deadline rules (Luật Khiếu
    nại, Luật Tố cáo), each created only if missing: an admin's change is never overwritten."""
    from petitions.deadlines import rules_ensure
    from petitions.models import Category, StatutoryRule

    ensure(Category)
    rules_ensure(StatutoryRule)
    return (
        f"Lĩnh vực: {Category.objects.count()}; quy tắc thời hạn theo luật: {StatutoryRule.objects.count()}."
    )
