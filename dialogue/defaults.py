"""The default reference data of dialogue, kept in one place: the data migration loads it, and
tests that empty the database (transactional tests) load it again."""

# The basis of voter meetings (tiếp xúc cử tri); an admin may rename it or add the older texts.
VOTER_MEETING_BASIS = (
    "Nghị quyết liên tịch số 72/2025/NQLT/UBTVQH15-CP-ĐCTUBTWMTTQVN quy định chi tiết việc tổ chức "
    "tiếp xúc cử tri của đại biểu Quốc hội và đại biểu HĐND các cấp"
)
BASES = [
    ("Quyết định số 2200-QĐ/TU ngày 25/5/2017 của Ban Thường vụ Thành ủy Hà Nội", "QĐ 2200-QĐ/TU"),
    ("Luật Tổ chức chính quyền địa phương năm 2025, Điều 43", "Luật TCCQĐP 2025, Đ.43"),
    ("Quy định số 11-QĐi/TW ngày 18/02/2019 của Bộ Chính trị", "QĐi 11-QĐi/TW"),
    ("Khác (đột xuất, theo yêu cầu)", "Khác"),
    (VOTER_MEETING_BASIS, "TXCT"),
]
# Decision 2200-QĐ/TU: heads of wards and communes hold at least one dialogue a year.
REQUIREMENTS = [("ward", 1), ("commune", 1), ("township", 1), ("special_zone", 1), ("district", 1)]


def ensure(basis_model, requirement_model) -> None:
    """Idempotent; takes the model classes so a migration can pass its historical models."""
    for position, (name, short_name) in enumerate(BASES):
        basis_model.objects.get_or_create(
            name=name, defaults={"short_name": short_name, "position": position}
        )
    for kind, per_year in REQUIREMENTS:
        requirement_model.objects.get_or_create(
            area_kind=kind, defaults={"per_year": per_year, "note": "Quyết định 2200-QĐ/TU"}
        )
