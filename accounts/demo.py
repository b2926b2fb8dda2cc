"""Demo organisations and users: Hanoi as it is now (the city and its 126 wards and communes
directly under it since 1/7/2025, Resolution 1656/NQ-UBTVQH15), and a historical slice as it
was in 2022 (the city → Long Biên district → Bồ Đề ward), whose old ward is succeeded by the
new Bồ Đề ward so that today's staff see its records.

Idempotent: units are found by (parent, name) and users by username; running it again
creates nothing new and leaves passwords alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from accounts.bodies import WARD_BODIES as LOCAL_BODIES
from accounts.models import OrgUnit, User

Kind = OrgUnit.Kind
REFORM_DAY = date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = date(2025, 6, 30)

HANOI_WARDS = [
    "Hoàn Kiếm",
    "Cửa Nam",
    "Ba Đình",
    "Ngọc Hà",
    "Giảng Võ",
    "Hai Bà Trưng",
    "Vĩnh Tuy",
    "Bạch Mai",
    "Đống Đa",
    "Kim Liên",
    "Văn Miếu - Quốc Tử Giám",
    "Láng",
    "Ô Chợ Dừa",
    "Hồng Hà",
    "Lĩnh Nam",
    "Hoàng Mai",
    "Vĩnh Hưng",
    "Tương Mai",
    "Định Công",
    "Hoàng Liệt",
    "Yên Sở",
    "Thanh Xuân",
    "Khương Đình",
    "Phương Liệt",
    "Cầu Giấy",
    "Nghĩa Đô",
    "Yên Hòa",
    "Tây Hồ",
    "Phú Thượng",
    "Tây Tựu",
    "Phú Diễn",
    "Xuân Đỉnh",
    "Đông Ngạc",
    "Thượng Cát",
    "Từ Liêm",
    "Xuân Phương",
    "Tây Mỗ",
    "Đại Mỗ",
    "Long Biên",
    "Bồ Đề",
    "Việt Hưng",
    "Phúc Lợi",
    "Hà Đông",
    "Dương Nội",
    "Yên Nghĩa",
    "Phú Lương",
    "Kiến Hưng",
    "Thanh Liệt",
    "Chương Mỹ",
    "Sơn Tây",
    "Tùng Thiện",
]
HANOI_COMMUNES = [
    "Sóc Sơn",
    "Kim Anh",
    "Trung Giã",
    "Đa Phúc",
    "Nội Bài",
    "Đông Anh",
    "Phúc Thịnh",
    "Thư Lâm",
    "Thiên Lộc",
    "Vĩnh Thanh",
    "Mê Linh",
    "Yên Lãng",
    "Tiến Thắng",
    "Quang Minh",
    "Gia Lâm",
    "Thuận An",
    "Bát Tràng",
    "Phù Đổng",
    "Thanh Trì",
    "Đại Thanh",
    "Nam Phù",
    "Ngọc Hồi",
    "Thượng Phúc",
    "Thường Tín",
    "Chương Dương",
    "Hồng Vân",
    "Phú Xuyên",
    "Phượng Dực",
    "Chuyên Mỹ",
    "Đại Xuyên",
    "Thanh Oai",
    "Bình Minh",
    "Tam Hưng",
    "Dân Hòa",
    "Vân Đình",
    "Ứng Thiên",
    "Hòa Xá",
    "Ứng Hòa",
    "Mỹ Đức",
    "Hồng Sơn",
    "Phúc Sơn",
    "Hương Sơn",
    "Phú Nghĩa",
    "Xuân Mai",
    "Trần Phú",
    "Hòa Phú",
    "Quảng Bị",
    "Minh Châu",
    "Quảng Oai",
    "Vật Lại",
    "Cổ Đô",
    "Bất Bạt",
    "Suối Hai",
    "Ba Vì",
    "Yên Bài",
    "Đoài Phương",
    "Phúc Thọ",
    "Phúc Lộc",
    "Hát Môn",
    "Thạch Thất",
    "Hạ Bằng",
    "Tây Phương",
    "Hòa Lạc",
    "Yên Xuân",
    "Quốc Oai",
    "Hưng Đạo",
    "Kiều Phú",
    "Phú Cát",
    "Hoài Đức",
    "Dương Hòa",
    "Sơn Đồng",
    "An Khánh",
    "Đan Phượng",
    "Ô Diên",
    "Liên Minh",
]

# Before the reform a ward had no specialised offices of its own; these are the 2022 bodies.
OLD_WARD_BODIES = [
    (Kind.PARTY_COMMITTEE, "Đảng ủy phường {name}", "ĐU"),
    (Kind.PEOPLES_COMMITTEE, "Ủy ban nhân dân phường {name}", "UBND"),
    (Kind.FATHERLAND_FRONT, "Ủy ban MTTQ Việt Nam phường {name}", "MTTQ"),
    (Kind.POLICE, "Công an phường {name}", "CA"),
    (Kind.SOCIO_POLITICAL, "Hội Liên hiệp Phụ nữ phường {name}", "HLHPN"),
]
CITY_BODIES = [
    (Kind.PARTY_COMMITTEE, "Thành ủy Hà Nội", "TU"),
    (Kind.PEOPLES_COMMITTEE, "Ủy ban nhân dân thành phố Hà Nội", "UBND"),
    (Kind.FATHERLAND_FRONT, "Ủy ban MTTQ Việt Nam thành phố Hà Nội", "MTTQ"),
]
OLD_DISTRICT_BODIES = [
    (Kind.PARTY_COMMITTEE, "Quận ủy Long Biên", "QU"),
    (Kind.PEOPLES_COMMITTEE, "Ủy ban nhân dân quận Long Biên", "UBND"),
    (Kind.FATHERLAND_FRONT, "Ủy ban MTTQ Việt Nam quận Long Biên", "MTTQ"),
]


# Fictitious people, all in today's units. The old 2022 ward has bodies of the same names, so
# an agency is looked up inside a named area.
@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    title: str
    area: str
    agency: str
    roles: tuple[str, ...]


BO_DE, CAU_GIAY, HANOI = "Phường Bồ Đề", "Phường Cầu Giấy", "Thành phố Hà Nội"
DEMO_USERS = [
    DemoUser(
        "clerk",
        "Trần Thị Thu Hà",
        "Chuyên viên Văn phòng HĐND và UBND",
        BO_DE,
        "Văn phòng HĐND và UBND phường Bồ Đề",
        ("is_clerk",),
    ),
    DemoUser(
        "leader",
        "Nguyễn Văn Minh",
        "Chủ tịch UBND phường",
        BO_DE,
        "Ủy ban nhân dân phường Bồ Đề",
        ("is_leader",),
    ),
    DemoUser(
        "handler",
        "Lê Quang Huy",
        "Chuyên viên Phòng Kinh tế, Hạ tầng và Đô thị",
        BO_DE,
        "Phòng Kinh tế, Hạ tầng và Đô thị phường Bồ Đề",
        ("is_handler",),
    ),
    DemoUser(
        "monitor",
        "Phạm Thị Lan",
        "Phó Chủ tịch Ủy ban MTTQ phường",
        BO_DE,
        "Ủy ban MTTQ Việt Nam phường Bồ Đề",
        ("is_monitor",),
    ),
    DemoUser(
        "admin",
        "Đỗ Mạnh Cường",
        "Quản trị hệ thống phường",
        BO_DE,
        "Văn phòng HĐND và UBND phường Bồ Đề",
        ("is_sysadmin",),
    ),
    DemoUser(
        "giamsat_tp",
        "Vũ Thị Hồng",
        "Trưởng ban Dân chủ - Pháp luật, Ủy ban MTTQ thành phố",
        HANOI,
        "Ủy ban MTTQ Việt Nam thành phố Hà Nội",
        ("is_monitor",),
    ),
    DemoUser(
        "quantri_tp",
        "Hoàng Anh Tuấn",
        "Quản trị hệ thống thành phố",
        HANOI,
        "Ủy ban nhân dân thành phố Hà Nội",
        ("is_sysadmin",),
    ),
    DemoUser(
        "lanhdao_caugiay",
        "Lê Thu Trang",
        "Chủ tịch UBND phường",
        CAU_GIAY,
        "Ủy ban nhân dân phường Cầu Giấy",
        ("is_leader",),
    ),
    DemoUser(
        "vanphong_caugiay",
        "Bùi Thị Mai",
        "Chuyên viên Văn phòng HĐND và UBND",
        CAU_GIAY,
        "Văn phòng HĐND và UBND phường Cầu Giấy",
        ("is_clerk",),
    ),
]
ALL_ROLE_FIELDS = ["is_clerk", "is_leader", "is_handler", "is_monitor", "is_sysadmin"]


class TreeBuilder:
    """Finds or creates units by (parent, name) with the existing ones read in one query."""

    def __init__(self) -> None:
        self.known = {(unit.parent_id, unit.name): unit for unit in OrgUnit.objects.all()}
        self.created = 0

    def unit(self, parent: OrgUnit | None, name: str, kind: str, symbol: str = "", **extra) -> OrgUnit:
        key = (parent.pk if parent else None, name)
        if key not in self.known:
            self.known[key] = OrgUnit.objects.create(
                parent=parent, name=name, kind=kind, symbol=symbol, **extra
            )
            self.created += 1
        return self.known[key]

    def bodies(self, area: OrgUnit, patterns, **names) -> None:
        for kind, pattern, symbol in patterns:
            self.unit(
                area,
                pattern.format(**names),
                kind,
                symbol,
                valid_from=area.valid_from,
                valid_to=area.valid_to,
            )


def seed(*, stdout, scale: int = 0) -> None:
    tree = TreeBuilder()
    city = tree.unit(None, "Thành phố Hà Nội", Kind.CITY, "TP", code="01")
    tree.bodies(city, CITY_BODIES)
    for names, kind, level in ((HANOI_WARDS, Kind.WARD, "phường"), (HANOI_COMMUNES, Kind.COMMUNE, "xã")):
        for name in names:
            area = tree.unit(city, f"{level.capitalize()} {name}", kind, valid_from=REFORM_DAY)
            tree.bodies(area, LOCAL_BODIES, level=level, name=name)

    long_bien = tree.unit(
        city, "Quận Long Biên", Kind.DISTRICT, valid_from=date(2004, 1, 1), valid_to=LAST_DAY_BEFORE_REFORM
    )
    tree.bodies(long_bien, OLD_DISTRICT_BODIES)
    new_bo_de = tree.known[(city.pk, "Phường Bồ Đề")]
    old_bo_de = tree.unit(
        long_bien,
        "Phường Bồ Đề (quận Long Biên, đến 30/6/2025)",
        Kind.WARD,
        valid_from=date(2004, 1, 1),
        valid_to=LAST_DAY_BEFORE_REFORM,
        successor=new_bo_de,
    )
    tree.bodies(old_bo_de, OLD_WARD_BODIES, name="Bồ Đề")

    areas = {BO_DE: new_bo_de, HANOI: city, CAU_GIAY: tree.known[(city.pk, CAU_GIAY)]}
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo.username, defaults={"full_name": demo.full_name}
        )
        user.full_name, user.title = demo.full_name, demo.title
        user.agency = tree.known[(areas[demo.area].pk, demo.agency)]
        user.email = f"{demo.username}@demo.doithoai.local"
        for field in ALL_ROLE_FIELDS:
            setattr(user, field, field in demo.roles)
        if created:
            user.set_password(settings.DEMO_PASSWORD)
        user.save()

    stdout.write(f"Tổ chức: {OrgUnit.objects.count()} cơ quan, đơn vị ({tree.created} mới).")
    stdout.write(f"Tài khoản demo (mật khẩu chỉ dùng để thử: {settings.DEMO_PASSWORD}):")
    for demo in DEMO_USERS:
        stdout.write(f"  {demo.username:<18} {demo.full_name} – {demo.title}, {demo.agency}")
