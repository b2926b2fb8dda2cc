"""National-scale data for benchmarks: `manage.py seed_demo --scale N` (PostgreSQL only).

At N = 1 this writes about 10,000 ward/commune units in 34 provinces under one national unit
("Toàn quốc", `nation_ensure`), each ward with its Party committee, People's Committee,
Fatherland Front, police and two specialised offices, 50,000 users, five years of
conferences (2022–2026), 2 million petitions, one issued notice per held conference and
1 million assignments whose statuses age as real ones do: old items mostly
accepted (some late, a few still open and long overdue), recent ones open. Fractions work
too (`--scale 0.01` is a 100-ward country for a quick look).

Speed comes from PostgreSQL's COPY: rows are generated in Python in one pass with a seeded
random generator (the same N gives the same data) and streamed, never held all in memory;
primary keys are reserved from each table's sequence up front so that foreign keys can be
written without reading anything back. History tables (simple-history) are not filled: this
data stands for records made before the system existed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db import DatabaseError, connection, models, transaction

from accounts.areas import PROVINCE_KINDS, WARD_KINDS, current_provinces, province_full_name
from accounts.models import OrgUnit, User
from conclusions.models import Assignment, ConclusionNotice, NoticeItem
from conclusions.reach import reach_fill
from core.calendar import WorkingCalendar
from core.migration_ops import WORD_INDEXED_TABLES, remember_words_sql
from core.text import fold
from dialogue.models import Conference, ConferenceBasis
from petitions.models import TRACKING_ALPHABET, Category, Petition
from registers.models import RegisterCounter

WARDS_AT_SCALE_1 = 10_000
PETITIONS_AT_SCALE_1 = 2_000_000
ASSIGNMENTS_AT_SCALE_1 = 1_000_000
PROVINCES = 34  # after the 2025 reform
WARDS_PER_BATCH = 250
FIRST_YEAR = 2022
SCALE_PREFIX = "Z"  # generated tracking codes start with Z…: never equal to a random real one

BODIES = [
    # (kind, symbol, name prefix, has handlers)
    (OrgUnit.Kind.PARTY_COMMITTEE, "ĐU", "Đảng ủy", False),
    (OrgUnit.Kind.PEOPLES_COMMITTEE, "UBND", "Ủy ban nhân dân", True),
    (OrgUnit.Kind.FATHERLAND_FRONT, "MTTQ", "Ủy ban MTTQ Việt Nam", False),
    (OrgUnit.Kind.POLICE, "CA", "Công an", True),
    (OrgUnit.Kind.SPECIALISED_OFFICE, "KT", "Phòng Kinh tế, Hạ tầng và Đô thị", True),
    (OrgUnit.Kind.SPECIALISED_OFFICE, "VHXH", "Phòng Văn hóa – Xã hội", True),
]
UBND, MTTQ = 1, 2  # positions in BODIES
LEAD_AGENCIES = (1, 3, 4, 5)  # UBND, police, the two offices

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Oanh",
         "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Yến"]  # fmt: skip
STREETS = ["Nguyễn Văn Cừ", "Ngọc Lâm", "Bồ Đề", "Lê Lợi", "Trần Hưng Đạo", "Hai Bà Trưng",
           "Lý Thường Kiệt", "Quang Trung", "Hùng Vương", "Phan Đình Phùng"]  # fmt: skip

# Opinion templates by category position (petitions.defaults.CATEGORIES), in the words of the
# seeds: {street}, {group} and {alley} vary per row.
OPINIONS = {
    0: [
        "Đề nghị đẩy nhanh tiến độ cấp giấy chứng nhận quyền sử dụng đất cho các hộ tại tổ dân phố {group}.",
        "Kiến nghị giải quyết dứt điểm việc bồi thường, hỗ trợ giải phóng mặt bằng dự án mở rộng đường {street}.",
        "Phản ánh việc lấn chiếm đất công tại ngõ {alley} phố {street} chưa được xử lý.",
        "Kiến nghị giải quyết dứt điểm tranh chấp đất đai giữa các hộ tại tổ dân phố {group}.",
    ],
    1: [
        "Phản ánh công trình xây dựng sai phép tại số {alley} phố {street} gây ảnh hưởng nhà liền kề.",
        "Đề nghị xử lý tình trạng lấn chiếm vỉa hè, lòng đường để kinh doanh tại phố {street}.",
    ],
    2: [
        "Đề nghị sửa chữa mặt đường ngõ {alley} phố {street} bị xuống cấp, ngập úng khi mưa.",
        "Kiến nghị lắp đặt đèn chiếu sáng tại ngõ {alley} thuộc tổ dân phố {group}.",
        "Đề nghị bố trí thêm điểm trông giữ xe quanh khu vực chợ {street}.",
    ],
    3: [
        "Phản ánh tình trạng đổ trộm rác thải, phế thải xây dựng tại bãi đất trống tổ dân phố {group}.",
        "Đề nghị nạo vét hệ thống thoát nước khu vực phố {street} trước mùa mưa.",
    ],
    4: [
        "Phản ánh tình trạng tụ tập thanh thiếu niên gây mất trật tự về đêm tại ngõ {alley}.",
        "Đề nghị tăng cường tuần tra, lắp camera an ninh tại tổ dân phố {group}.",
    ],
    5: ["Đề nghị cải tạo nhà văn hóa tổ dân phố {group} đã xuống cấp."],
    6: ["Kiến nghị bố trí thêm bác sĩ khám bệnh buổi chiều tại trạm y tế phường."],
    7: ["Đề nghị sớm xây dựng trường mầm non công lập trên đất quy hoạch tại phố {street}."],
    8: ["Đề nghị xem xét chế độ cho người có công tại tổ dân phố {group} còn chậm."],
    9: ["Kiến nghị rút ngắn thời gian giải quyết thủ tục hành chính tại bộ phận một cửa."],
    10: ["Phản ánh thái độ tiếp dân chưa đúng mực của cán bộ tiếp nhận hồ sơ."],
    11: ["Đề nghị quan tâm hoạt động của chi hội người cao tuổi tổ dân phố {group}."],
    12: ["Đề nghị giải quyết tiếng ồn từ cơ sở sản xuất tại ngõ {alley} phố {street}."],
}
TASKS = [
    "Kiểm tra, rà soát và trả lời người dân về kiến nghị tại phiên đối thoại.",
    "Chủ trì xử lý dứt điểm vi phạm, báo cáo kết quả về Ủy ban nhân dân.",
    "Lập kế hoạch khắc phục, trình phê duyệt và thông báo cho tổ dân phố.",
]
ANSWER = "Đã kiểm tra, xử lý và trả lời bằng văn bản cho người dân."

PETITION_OUTCOMES = [  # (outcome, weight)
    (Petition.Outcome.ANSWERED, 35),
    (Petition.Outcome.IN_AUTHORITY, 52),
    (Petition.Outcome.TRANSFERRED, 7),
    (Petition.Outcome.DUPLICATE, 3),
    (Petition.Outcome.REJECTED, 2),
    (Petition.Outcome.PENDING, 1),
]
KINDS = [("kien_nghi", 50), ("phan_anh", 35), ("de_xuat", 8), ("khieu_nai", 5), ("to_cao", 2)]


def _real_units() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The 34 provinces and their wards, communes and special zones as the package lists them
    (accounts.areas): the generated country has real names."""
    return [
        (
            province_full_name(province),
            PROVINCE_KINDS[province["division_type"]].value,
            [(ward["name"], WARD_KINDS[ward["division_type"]].value) for ward in province["wards"]],
        )
        for province in current_provinces()
    ]


def _nth(name: str, repeat: int) -> str:
    return name if repeat == 0 else f"{name} ({repeat + 1})"


def _weighted(choices: list[tuple[str, int]]) -> list[str]:
    return [value for value, weight in choices for _ in range(weight)]


@dataclass
class Ward:
    pk: int
    name: str
    bodies: list[int]  # ids in BODIES order
    leader: int
    clerk: int
    handlers: dict[int, int]  # body position → a handler's user id
    monitor: int
    notices_in_year: dict[int, int] = field(default_factory=dict)
    # Its province: the opinions' and notices' region under the national unit (core.migration_ops.
    # RegionColumn; written here since a load in replica mode fires no trigger).
    region: int = 0


class Copier:
    """COPY rows into a model's table, keys reserved from its sequence."""

    def __init__(self, cursor) -> None:
        self.cursor = cursor

    def reserve(self, model: type[models.Model], count: int) -> int:
        """The first of `count` consecutive primary keys no one else will be given."""
        table = model._meta.db_table
        self.cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        first = self.cursor.fetchone()[0]
        if count > 1:
            self.cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + count - 1]
            )
        return first

    def copy(self, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
        count = 0
        names = ", ".join(f'"{name}"' for name in columns)
        with self.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count


class Generator:
    def __init__(self, scale: float, stdout, today: date, seed: int = 2200) -> None:
        self.scale, self.stdout, self.today = scale, stdout, today
        self.random = random.Random(seed)
        self.now = datetime.now(UTC)
        self.calendar = WorkingCalendar.for_span(date(FIRST_YEAR, 1, 1), today + timedelta(days=400))
        self.categories = list(Category.objects.order_by("position").values_list("pk", flat=True))
        self.basis = ConferenceBasis.objects.order_by("position").values_list("pk", flat=True).first()
        self.outcomes = _weighted(PETITION_OUTCOMES)
        self.kinds = _weighted(KINDS)
        self.started = time.monotonic()

    def next_working_day(self, day: date) -> date:
        while not self.calendar.is_working_day(day):
            day += timedelta(days=1)
        return day

    def say(self, message: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f} s] {message}")

    # --- areas, bodies, people -------------------------------------------------------------

    def areas(self, copier: Copier) -> list[Ward]:
        provinces = PROVINCES if self.scale >= 0.05 else max(1, round(PROVINCES * self.scale * 20))
        wards_per_province = max(1, round(WARDS_AT_SCALE_1 * self.scale / provinces))
        ward_count = provinces * wards_per_province
        units = provinces + ward_count * (1 + len(BODIES))
        next_id = copier.reserve(OrgUnit, units)
        rows, wards = [], []
        width = 10
        real = _real_units()
        taken_roots = set(OrgUnit.objects.filter(parent=None).values_list("name", flat=True))
        for p in range(provinces):
            province_id = next_id
            next_id += 1
            province_path = f"{province_id:0{width}d}."
            name, province_kind, real_wards = real[p % len(real)]
            name = _nth(name, p // len(real))
            if name in taken_roots:  # the demo's Hà Nội: keep the two apart in the area chooser
                name = f"{name} (dữ liệu thử)"
            rows.append(self._unit(province_id, name, province_kind, "", None, province_path, 0, province_id))
            for w in range(wards_per_province):
                ward_id = next_id
                next_id += 1
                # The province's real wards and communes in turn, numbered once they run out
                # (about 3 times over at N = 1: 10,000 units for 3,321 real ones).
                ward_name, kind = real_wards[w % len(real_wards)]
                ward_name = _nth(ward_name, w // len(real_wards))
                ward_path = f"{province_path}{ward_id:0{width}d}."
                rows.append(self._unit(ward_id, ward_name, kind, "", province_id, ward_path, 1, ward_id))
                bodies = []
                for body_kind, symbol, prefix, _handlers in BODIES:
                    body_id = next_id
                    next_id += 1
                    bodies.append(body_id)
                    body_name = (
                        f"{prefix} {ward_name.lower()}"
                        if prefix.startswith(("Đảng", "Ủy", "Công"))
                        else prefix
                    )
                    rows.append(
                        self._unit(
                            body_id,
                            body_name,
                            body_kind,
                            symbol,
                            ward_id,
                            f"{ward_path}{body_id:0{width}d}.",
                            2,
                            ward_id,
                        )
                    )
                wards.append(Ward(ward_id, ward_name, bodies, 0, 0, {}, 0, region=province_id))
        columns = ["id", "name", "symbol", "kind", "code", "parent_id", "path", "depth", "area_id",
                   "search_text", "created_at", "updated_at"]  # fmt: skip
        copier.copy(OrgUnit._meta.db_table, columns, rows)
        self.say(f"{provinces} tỉnh, {ward_count} phường/xã, {units} đơn vị")
        self._people(copier, wards)
        return wards

    def _unit(self, pk, name, kind, symbol, parent, path, depth, area) -> tuple:
        return (
            pk,
            name,
            symbol,
            kind,
            "",
            parent,
            path,
            depth,
            area,
            fold(f"{name} {symbol}"),
            self.now,
            self.now,
        )

    def _people(self, copier: Copier, wards: list[Ward]) -> None:
        per_ward = 3 + len([b for b in BODIES if b[3]])
        next_id = copier.reserve(User, len(wards) * per_ward)
        rows = []

        def person(
            username, full_name, title, agency, *, clerk=False, leader=False, handler=False, monitor=False
        ):
            nonlocal next_id
            pk = next_id
            next_id += 1
            rows.append((pk, "!", False, username, full_name, title, "", agency, clerk, leader, handler, monitor,
                         False, False, True, self.now, f"{username}@example.invalid",
                         fold(f"{full_name} {username} {title}")))  # fmt: skip
            return pk

        for ward in wards:
            name = self._name()
            ward.leader = person(f"s{ward.pk}.lanhdao", name, "Chủ tịch UBND", ward.bodies[UBND], leader=True)
            ward.clerk = person(
                f"s{ward.pk}.vanphong", self._name(), "Chuyên viên Văn phòng", ward.bodies[UBND], clerk=True
            )
            ward.monitor = person(
                f"s{ward.pk}.mttq", self._name(), "Chủ tịch UBMTTQ", ward.bodies[MTTQ], monitor=True
            )
            for position, (_kind, _symbol, _prefix, has_handlers) in enumerate(BODIES):
                if has_handlers:
                    ward.handlers[position] = person(
                        f"s{ward.pk}.xuly{position}",
                        self._name(),
                        "Chuyên viên",
                        ward.bodies[position],
                        handler=True,
                    )
        columns = ["id", "password", "is_superuser", "username", "full_name", "title", "phone", "agency_id",
                   "is_clerk", "is_leader", "is_handler", "is_monitor", "is_sysadmin", "is_staff", "is_active",
                   "date_joined", "email", "search_text"]  # fmt: skip
        copier.copy(User._meta.db_table, columns, rows)
        self.say(f"{len(rows)} người dùng (mật khẩu không dùng được: đây là dữ liệu đo)")

    def _name(self) -> str:
        pick = self.random.choice
        return f"{pick(SURNAMES)} {pick(MIDDLE)} {pick(GIVEN)}"

    # --- conferences, petitions, notices, assignments --------------------------------------

    def conferences(self, wards: list[Ward]) -> Iterator[tuple[Ward, int, date, str]]:
        """(ward, year, day, kind) of every conference, planned ones of the coming weeks too."""
        for ward in wards:
            for year in range(FIRST_YEAR, self.today.year + 1):
                count = 2 if self.random.random() < 0.3 else 1
                for n in range(count):
                    day = date(year, 1, 1) + timedelta(days=self.random.randrange(20, 350))
                    if year == self.today.year and day > self.today + timedelta(days=30):
                        day = self.today + timedelta(days=self.random.randrange(-120, 30))
                    yield ward, year, day, "scheduled" if n == 0 else "ad_hoc"

    def run(self, copier: Copier) -> None:
        wards = self.areas(copier)
        plan = list(self.conferences(wards))
        held = sum(1 for entry in plan if entry[2] <= self.today)
        self.petitions_per_conference = PETITIONS_AT_SCALE_1 * self.scale / max(1, held)
        totals = Totals()
        # Wards in batches: rows of one batch are written table by table, then forgotten, so
        # memory stays that of one batch whatever the scale.
        for start in range(0, len(wards), WARDS_PER_BATCH):
            batch = {ward.pk for ward in wards[start : start + WARDS_PER_BATCH]}
            entries = sorted((e for e in plan if e[0].pk in batch), key=lambda e: (e[0].pk, e[2]))
            rows = self.batch(copier, entries)
            rows.write(copier)
            totals.add(rows)
            self.say(f"{start + len(batch)}/{len(wards)} phường/xã: {totals}")
        counters = [
            (ward.bodies[UBND], str(year), number)
            for ward in wards
            for year, number in ward.notices_in_year.items()
        ]
        copier.copy(RegisterCounter._meta.db_table, ["body_id", "series", "last_number"], counters)

    def batch(self, copier: Copier, entries: list[tuple[Ward, int, date, str]]) -> Rows:
        held = [entry for entry in entries if entry[2] <= self.today]
        counts = [self._poisson(self.petitions_per_conference) for _entry in held]
        conference_id = copier.reserve(Conference, len(entries))
        notice_id = copier.reserve(ConclusionNotice, len(held))
        item_id = copier.reserve(NoticeItem, len(held) * len(TASKS))
        petition_id = copier.reserve(Petition, sum(counts) + 1)
        assignment_id = copier.reserve(Assignment, sum(counts) + 1)  # an upper bound: gaps are harmless
        rows = Rows()
        counts_left = iter(counts)
        for ward, year, day, kind in entries:
            is_held = day <= self.today
            concluded = is_held and day <= self.today - timedelta(days=12)
            rows.conference(self, conference_id, ward, year, day, kind, is_held, concluded)
            if is_held:
                count = next(counts_left)
                outcomes = rows.outcomes(self, count, day)
                if concluded:
                    issued_on = self.next_working_day(day + timedelta(days=self.random.randrange(3, 10)))
                    number = ward.notices_in_year.get(issued_on.year, 0) + 1
                    ward.notices_in_year[issued_on.year] = number
                    rows.notice(self, notice_id, conference_id, ward, issued_on, number, item_id)
                    to_assign = [
                        petition_id + i for i, outcome in enumerate(outcomes) if outcome == "in_authority"
                    ]
                    rows.assignments(self, assignment_id, notice_id, item_id, ward, day, issued_on, to_assign)
                    assignment_id += len(to_assign)
                    notice_id += 1
                    item_id += len(TASKS)
                rows.petitions(self, petition_id, conference_id, ward, day, outcomes)
                petition_id += count
            conference_id += 1
        return rows

    def _poisson(self, mean: float) -> int:
        return max(1, int(self.random.gauss(mean, mean**0.5)))

    def tracking_code(self, pk: int) -> str:
        digits, value = [], pk
        for _ in range(9):
            value, digit = divmod(value, len(TRACKING_ALPHABET))
            digits.append(TRACKING_ALPHABET[digit])
        raw = SCALE_PREFIX + "".join(reversed(digits))
        return f"{raw[:5]}-{raw[5:]}"


class Totals:
    def __init__(self) -> None:
        self.counts = {"hội nghị": 0, "ý kiến": 0, "thông báo": 0, "việc": 0}

    def add(self, rows: Rows) -> None:
        for label, found in zip(
            self.counts,
            (rows.conference_rows, rows.petition_rows, rows.notice_rows, rows.assignment_rows),
            strict=True,
        ):
            self.counts[label] += len(found)

    def __str__(self) -> str:
        return ", ".join(f"{count:,} {label}" for label, count in self.counts.items())


class Rows:
    """The rows of one batch of wards, as tuples, written table by table."""

    def __init__(self) -> None:
        self.conference_rows: list[tuple] = []
        self.petition_rows: list[tuple] = []
        self.notice_rows: list[tuple] = []
        self.item_rows: list[tuple] = []
        self.assignment_rows: list[tuple] = []
        self.link_rows: list[tuple] = []
        self.coordination_rows: list[tuple] = []
        self.resolved: dict[int, date] = {}  # petition → the day its assignment was accepted
        self.titles: dict[int, str] = {}

    def conference(self, gen: Generator, pk, ward: Ward, year, day, kind, is_held, concluded) -> None:
        title = (
            f"Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân {ward.name} năm {year}"
        )
        if kind == "ad_hoc":
            title = f"Đối thoại đột xuất với Nhân dân {ward.name} về phố {gen.random.choice(STREETS)}"
        self.titles[pk] = fold(title)
        starts_at = datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)  # 19:00 in Hà Nội
        status = "planned"
        if is_held:
            status = "concluded" if concluded else "held"
        participants = gen.random.randrange(80, 400) if is_held else None
        self.conference_rows.append((
            pk, ward.pk, title, gen.basis, kind, starts_at, f"Hội trường {ward.name}", "", "", status,
            participants, "", "", day if is_held else None, "", ward.clerk, fold(f"{title} {ward.name}"),
            gen.now, gen.now,
        ))  # fmt: skip

    def outcomes(self, gen: Generator, count: int, day: date) -> list[str]:
        """Recent conferences' opinions are not classified yet; the first opinion of a conference
        is never a duplicate (the others repeat it)."""
        if day > gen.today - timedelta(days=12):
            return ["pending"] * count
        found = [gen.random.choice(gen.outcomes) for _ in range(count)]
        if found[0] == "duplicate":
            found[0] = "answered"
        return found

    def petitions(
        self, gen: Generator, first_id, conference_id, ward: Ward, day, outcomes: list[str]
    ) -> None:
        rnd, title = gen.random, self.titles[conference_id]
        for position, outcome in enumerate(outcomes, start=1):
            pk = first_id + position - 1
            category = rnd.randrange(len(gen.categories))
            template = rnd.choice(OPINIONS.get(category, OPINIONS[12]))
            content = template.format(
                street=rnd.choice(STREETS), group=rnd.randrange(1, 40), alley=rnd.randrange(1, 300)
            )
            kind = rnd.choice(gen.kinds)
            channel = "at_conference" if rnd.random() < 0.8 else "before_conference"
            name, address = gen._name(), f"Tổ dân phố {rnd.randrange(1, 40)}"
            # A denouncer's name never enters the search column (as Petition.search_source).
            searchable = content if kind == "to_cao" else f"{content} {name} {address}"
            answered = outcome == "answered"
            self.petition_rows.append((
                pk, ward.pk, conference_id, position, gen.tracking_code(pk), kind, channel, day,
                gen.categories[category], content, "person", name, address, "",
                answered, "Lãnh đạo UBND trả lời trực tiếp tại hội nghị." if answered else "",
                "Chủ tịch UBND" if answered else "", outcome, day if outcome != "pending" else None,
                f"Cơ quan cấp trên của {ward.name}" if outcome == "transferred" else "",
                day if outcome == "transferred" else None, first_id if outcome == "duplicate" else None,
                "Nội dung không thuộc phạm vi đối thoại." if outcome == "rejected" else "", self.resolved.get(pk),
                ward.clerk, fold(f"{searchable} {title}"), gen.now, gen.now, ward.region,
            ))  # fmt: skip

    def notice(self, gen: Generator, pk, conference_id, ward: Ward, issued_on, number, first_item) -> None:
        issued_at = datetime(issued_on.year, issued_on.month, issued_on.day, 3, 0, tzinfo=UTC)
        self.notice_rows.append((
            pk, ward.pk, conference_id, ward.bodies[UBND], "issued",
            f"Kết luận của Chủ tịch UBND tại Hội nghị đối thoại với Nhân dân {ward.name}", "", "",
            "Như trên;\nThường trực Đảng ủy;\nUBMTTQ;\nLưu: VT.", ward.leader, "TM.", "CHỦ TỊCH",
            number, f"{number:02d}/TB-UBND", str(issued_on.year), issued_on, ward.clerk, None, "", "",
            ward.clerk, issued_at, issued_at, ward.region,
        ))  # fmt: skip
        for offset, text in enumerate(TASKS):
            self.item_rows.append((first_item + offset, pk, offset + 1, text))

    def assignments(
        self, gen: Generator, first_id, notice_id, first_item, ward: Ward, held_on, issued_on, petitions
    ) -> None:
        # `held_on`: the day the work arose (its notice's conference's: Assignment.arises_on,
        # kept by triggers in conclusions.arising; written here since replica mode fires none),
        # as is the region (the ward's province: Assignment.region, RegionColumn's triggers).
        rnd, today = gen.random, gen.today
        for offset, petition_pk in enumerate(petitions):
            pk = first_id + offset
            lead_position = rnd.choice(LEAD_AGENCIES)
            days = rnd.choice((15, 30, 30, 30, 45))
            deadline = gen.next_working_day(issued_on + timedelta(days=days))
            status, accepted_on = _aged_status(rnd, (today - deadline).days, deadline, today)
            reported_on = accepted_on or (today - timedelta(days=1) if status == "reported_done" else None)
            self.assignment_rows.append((
                pk, ward.pk, notice_id, first_item + offset % len(TASKS), TASKS[offset % len(TASKS)],
                ward.bodies[lead_position], ward.handlers[lead_position], "calendar_days", days, deadline,
                issued_on, status, ANSWER if status in ("reported_done", "accepted") else "",
                _morning(reported_on), _morning(accepted_on), ward.leader if accepted_on else None, "",
                gen.now, gen.now, held_on, ward.region,
            ))  # fmt: skip
            self.link_rows.append((pk, petition_pk))
            if accepted_on:
                self.resolved[petition_pk] = accepted_on
            if rnd.random() < 0.25:
                self.coordination_rows.append((pk, ward.bodies[MTTQ if rnd.random() < 0.3 else 4]))

    def write(self, copier: Copier) -> None:
        copier.copy(Conference._meta.db_table, CONFERENCE_COLUMNS, self.conference_rows)
        copier.copy(Petition._meta.db_table, PETITION_COLUMNS, self.petition_rows)
        copier.copy(ConclusionNotice._meta.db_table, NOTICE_COLUMNS, self.notice_rows)
        copier.copy(NoticeItem._meta.db_table, ["id", "notice_id", "position", "text"], self.item_rows)
        copier.copy(Assignment._meta.db_table, ASSIGNMENT_COLUMNS, self.assignment_rows)
        copier.copy(
            Assignment.petitions.through._meta.db_table, ["assignment_id", "petition_id"], self.link_rows
        )
        copier.copy(
            Assignment.coordinating_agencies.through._meta.db_table, ["assignment_id", "orgunit_id"],
            self.coordination_rows,
        )  # fmt: skip


def _morning(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, 3, 0, tzinfo=UTC) if day else None


def _aged_status(rnd: random.Random, age: int, deadline: date, today: date) -> tuple[str, date | None]:
    """How far along an assignment is, by how long ago its deadline was: most old work was
    accepted (a fifth of it late), a few per cent stays open long past its deadline — the
    weakness the product exists to show."""
    if age > 60:
        if rnd.random() < 0.04:
            return rnd.choice(("in_progress", "assigned", "returned")), None
        late = rnd.random() < 0.2
        shift = rnd.randrange(1, 40) if late else -rnd.randrange(0, 20)
        return "accepted", min(today, deadline + timedelta(days=shift))
    if age > 0:
        roll = rnd.random()
        if roll < 0.55:
            return "accepted", min(today, deadline + timedelta(days=rnd.randrange(-15, max(1, age))))
        return ("reported_done" if roll < 0.65 else "in_progress"), None
    roll = rnd.random()
    if roll < 0.25:
        return "accepted", today - timedelta(days=rnd.randrange(0, 10))
    return ("in_progress" if roll < 0.7 else "assigned"), None


CONFERENCE_COLUMNS = [
    "id", "host_area_id", "title", "basis_id", "kind", "starts_at", "place", "agenda", "invited_guests", "status",
    "participant_count", "minutes", "report_summary", "held_on", "cancel_reason", "created_by_id", "search_text",
    "created_at", "updated_at",
]  # fmt: skip
PETITION_COLUMNS = [
    "id", "area_id", "conference_id", "position", "tracking_code", "kind", "channel", "received_on",
    "category_id", "content", "petitioner_type", "petitioner_name", "petitioner_address", "petitioner_phone",
    "answered_at_conference", "conference_answer", "answered_by", "outcome", "outcome_decided_on",
    "transferred_to", "transferred_on", "duplicate_of_id", "rejection_reason", "resolved_on", "created_by_id",
    "search_text", "created_at", "updated_at", "region_id",
]  # fmt: skip
NOTICE_COLUMNS = [
    "id", "area_id", "conference_id", "issuing_body_id", "status", "summary", "preamble", "closing",
    "recipients", "signer_id", "sign_mode", "signer_title", "number", "number_label", "number_series",
    "issued_on", "issued_by_id", "amends_id", "pdf", "pdf_sha256", "created_by_id", "created_at", "updated_at",
    "region_id",
]  # fmt: skip
ASSIGNMENT_COLUMNS = [
    "id", "area_id", "notice_id", "item_id", "task", "lead_agency_id", "responsible_person_id", "deadline_rule",
    "deadline_days", "deadline", "deadline_from", "status", "answer_to_citizen", "reported_at", "accepted_at",
    "accepted_by_id", "return_reason", "created_at", "updated_at", "arises_on", "region_id",
]  # fmt: skip


def _skip_foreign_key_triggers(cursor) -> None:
    """Django's foreign keys are checked at commit: millions of queued checks make the commit
    of a load as long as the load. The generated keys are right by construction (and tested),
    so a superuser's load skips the checks (replica mode, as pg_restore does); anyone else
    has them checked row by row as the rows arrive instead of all at the end."""
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


# Secondary indexes (the search indexes of core.migration_ops above all) cost more to keep up
# row by row than to build once: every index of the loaded tables that backs no constraint is
# dropped for the load and built again at the end, B-trees with parallel workers. Unique
# indexes stay: they guard the data.
def _loaded_tables() -> list[str]:
    return [
        model._meta.db_table
        for model in (
            Conference,
            Petition,
            ConclusionNotice,
            NoticeItem,
            Assignment,
            Assignment.petitions.through,
            Assignment.coordinating_agencies.through,
        )
    ]


def _drop_secondary_indexes(cursor) -> list[str]:
    """Drop the loaded tables' plain indexes; return their definitions to build them again."""
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index AS i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)
        """,
        [_loaded_tables()],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in found]


NATION_NAME = "Toàn quốc"


def nation_ensure() -> OrgUnit:
    """The whole country as one unit (OrgUnit.Kind.NATION) with every other top-level area
    (the generated provinces, the demo's city) below it, so that "the whole country" is an
    area like any other: a national monitor or admin works in it, and it can be chosen in
    every form. Idempotent, two UPDATEs over the units' paths: a database generated before
    the national unit existed gets it on its next benchmark run."""
    nation = OrgUnit.objects.filter(parent=None, kind=OrgUnit.Kind.NATION).first()
    if nation is None:
        nation = OrgUnit(name=NATION_NAME, kind=OrgUnit.Kind.NATION, symbol="TQ")
        nation.save()
    table = OrgUnit._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET path = %s || path, depth = depth + 1 WHERE path NOT LIKE %s",
            [nation.path, nation.path + "%"],
        )
        cursor.execute(
            f"UPDATE {table} SET parent_id = %s WHERE parent_id IS NULL AND id <> %s", [nation.pk] * 2
        )
    return nation


def generate(*, scale: float, stdout, today: date | None = None) -> None:
    if connection.vendor != "postgresql":
        stdout.write("--scale cần PostgreSQL (DATABASE_URL=postgres://…): bỏ qua dữ liệu quy mô lớn.")
        return
    from django.utils import timezone

    generator = Generator(scale, stdout, today or timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        _skip_foreign_key_triggers(cursor)
        cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")
        rebuild = _drop_secondary_indexes(cursor)
        generator.run(Copier(cursor.cursor if hasattr(cursor, "cursor") else cursor))
        # Foreign keys are checked at commit (deferred); an index cannot be built over rows
        # whose checks are pending, so they are checked now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for definition in rebuild:
            cursor.execute(definition)
            generator.say(definition.split(" USING ")[0])
        # The dictionary's triggers do not fire in a load that skips triggers (replica mode).
        for table in WORD_INDEXED_TABLES:
            cursor.execute(remember_words_sql(f'"{table}"'))
        generator.say(f"{len(rebuild)} chỉ mục đã dựng lại")
        nation_ensure()
        # Nor do the assignments' reach triggers (conclusions.reach), and the national unit
        # just changed the regions: the generated work stays within its ward, so this finds
        # none of it, but the demo's work may cross.
        reach_fill(cursor)
        cursor.execute("ANALYZE")
    generator.say("ANALYZE xong")
