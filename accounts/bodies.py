"""The bodies of a ward, commune or special zone since the 2025 reform, each with the symbol its
documents are numbered with: what a new area starts with (setup_office, the staff workbook of an
area that has no bodies yet) and what the demo's wards have."""

from __future__ import annotations

from accounts.models import OrgUnit

Kind = OrgUnit.Kind

# (kind, name pattern, symbol); "{level}" is "phường", "xã" or "đặc khu", "{name}" the area's own
# name: the pattern as a whole is "Ủy ban nhân dân" + the area's name in lower case.
WARD_BODIES = [
    (Kind.PARTY_COMMITTEE, "Đảng ủy {level} {name}", "ĐU"),
    (Kind.PEOPLES_COUNCIL, "Hội đồng nhân dân {level} {name}", "HĐND"),
    (Kind.PEOPLES_COMMITTEE, "Ủy ban nhân dân {level} {name}", "UBND"),
    (Kind.FATHERLAND_FRONT, "Ủy ban MTTQ Việt Nam {level} {name}", "MTTQ"),
    (Kind.SPECIALISED_OFFICE, "Văn phòng HĐND và UBND {level} {name}", "VP"),
    (Kind.SPECIALISED_OFFICE, "Phòng Kinh tế, Hạ tầng và Đô thị {level} {name}", "KTHTĐT"),
    (Kind.SPECIALISED_OFFICE, "Phòng Văn hóa - Xã hội {level} {name}", "VHXH"),
    (Kind.PUBLIC_SERVICE, "Trung tâm Phục vụ hành chính công {level} {name}", "TTPVHCC"),
    (Kind.POLICE, "Công an {level} {name}", "CA"),
    (Kind.SOCIO_POLITICAL, "Hội Liên hiệp Phụ nữ {level} {name}", "HLHPN"),
    (Kind.SOCIO_POLITICAL, "Đoàn Thanh niên Cộng sản Hồ Chí Minh {level} {name}", "ĐTN"),
    (Kind.SOCIO_POLITICAL, "Hội Cựu chiến binh {level} {name}", "HCCB"),
]


def standard_bodies(area: OrgUnit) -> list[tuple[str, str, str]]:
    """(kind, name, symbol) of the standard bodies of `area` ("Phường Hoàn Kiếm" → "Ủy ban
    nhân dân phường Hoàn Kiếm")."""
    lower = area.name[:1].lower() + area.name[1:]
    return [(kind, pattern.replace("{level} {name}", lower), symbol) for kind, pattern, symbol in WARD_BODIES]
