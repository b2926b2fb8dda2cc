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
