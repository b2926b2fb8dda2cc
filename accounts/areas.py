"""Vietnam's administrative units as data: read from the `vietnam-provinces` package (the
General Statistics Office's list and codes, after the reform of 1/7/2025: 34 provinces and
cities, 3,321 wards, communes and special zones) and written into the OrgUnit tree.

Codes are the key. The official codes are reused across the reform (the new Phường Ba Đình
took code 00004, which was Phường Trúc Bạch's), so a unit is known by its code *and* its era:
current, or ended on 30/06/2025. A province whose code carried over is the same unit before
and after; a province whose code ended is an old unit whose successor is the new province.

Predecessors come from the package's conversion table, which versions 2026.x ship (they need
Python 3.12; 2025.x have only today's units). An old ward that went wholly into one new ward
gets that ward as its successor, so the new ward's staff see its records (User.scope_paths);
an old ward split among several new ones is left without a successor for the admin to decide
(the model keeps one successor per unit).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import PATH_SEGMENT_WIDTH, OrgUnit
from core.text import fold

Kind = OrgUnit.Kind
REFORM_DAY = date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = date(2025, 6, 30)
BATCH_SIZE = 1000

# The package's division types (Vietnamese words) → the tree's kinds.
PROVINCE_KINDS = {"tỉnh": Kind.PROVINCE, "thành phố trung ương": Kind.CITY}
WARD_KINDS = {
    "phường": Kind.WARD,
    "xã": Kind.COMMUNE,
    "đặc khu": Kind.SPECIAL_ZONE,
    "thị trấn": Kind.TOWNSHIP,
}
DISTRICT_TYPES = {"huyện", "quận", "thành phố", "thị xã"}

UnitKey = tuple[str, bool]  # (official code, ended at the reform)


def province_code(number: int) -> str:
    return f"{int(number):02d}"


def district_code(number: int) -> str:
    return f"{int(number):03d}"


def ward_code(number: int) -> str:
    return f"{int(number):05d}"


@dataclass(frozen=True)
class AreaRecord:
    """One unit as the data gives it; `parent` and `successor` are keys of other records."""

    code: str
    name: str
    kind: str
    old: bool = False
    parent: UnitKey | None = None
    successor: UnitKey | None = None

    @property
    def key(self) -> UnitKey:
        return (self.code, self.old)

    @property
    def valid_from(self) -> date | None:
        # Provinces carried over; every ward, commune and special zone began with the reform.
        return REFORM_DAY if not self.old and self.kind in WARD_KINDS.values() else None

    @property
    def valid_to(self) -> date | None:
        return LAST_DAY_BEFORE_REFORM if self.old else None


class UnknownProvinceError(ValueError):
    pass


# --- Reading the package -----------------------------------------------------------------------


def package_version() -> str:
    import vietnam_provinces

    return f"vietnam-provinces {vietnam_provinces.__version__} (dữ liệu {vietnam_provinces.__data_version__})"


def current_provinces() -> list[dict]:
    """The 34 provinces and cities, each with its wards, as the package's JSON has them."""
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    return json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))


def province_full_name(province: dict) -> str:
    # Versions 2025.x write cities in full ("Thành phố Hà Nội") and provinces bare ("Cao Bằng").
    name = province["name"]
    if PROVINCE_KINDS[province["division_type"]] == Kind.CITY or name.startswith("Tỉnh "):
        return name
    return f"Tỉnh {name}"


def find_province(provinces: list[dict], wanted: str) -> dict:
    """A province by its code ("1" or "01") or its name, with or without accents and "Tỉnh"."""
    wanted = wanted.strip()
    for province in provinces:
        if wanted.isdigit() and int(wanted) == province["code"]:
            return province
        names = {fold(province["name"]), fold(province_full_name(province))}
        if fold(wanted) in names | {name.removeprefix("thanh pho ").removeprefix("tinh ") for name in names}:
            return province
    raise UnknownProvinceError(wanted)


def current_records(provinces: list[dict]) -> list[AreaRecord]:
    records = []
    for province in provinces:
        key = (province_code(province["code"]), False)
        records.append(
            AreaRecord(key[0], province_full_name(province), PROVINCE_KINDS[province["division_type"]])
        )
        for ward in province["wards"]:
            records.append(
                AreaRecord(
                    ward_code(ward["code"]), ward["name"], WARD_KINDS[ward["division_type"]], parent=key
                )
            )
    return records


def legacy_available() -> bool:
    try:
        import_module("vietnam_provinces.legacy")
        import_module("vietnam_provinces._ward_conversion_2025")
    except ImportError:
        return False
    return True


def predecessor_records(province_codes: set[int]) -> list[AreaRecord]:
    """The units that ended on 30/06/2025 and went into the given new provinces: the old
    provinces whose code ended, their districts and their wards. Empty when the installed
    package has no pre-2025 data."""
    if not legacy_available():
        return []
    legacy = import_module("vietnam_provinces.legacy")
    wards_conversion = import_module("vietnam_provinces._ward_conversion_2025").OLD_TO_NEW
    provinces_conversion = import_module("vietnam_provinces._province_conversion_2025").OLD_TO_NEW

    def new_province_of(old_code: int) -> int | None:
        entry = provinces_conversion.get(old_code)
        return entry.new_provinces[0].code if entry and entry.new_provinces else None

    old_provinces = {
        int(p.code): p for p in legacy.Province.iter_all() if new_province_of(int(p.code)) in province_codes
    }
    records: list[AreaRecord] = []
    for code, province in old_provinces.items():
        if code not in province_codes:  # its code ended: an old unit of its own
            successor = (province_code(new_province_of(code)), False)
            records.append(
                AreaRecord(province_code(code), province.name, PROVINCE_KINDS[province.division_type.value],
                           old=True, successor=successor)
            )  # fmt: skip

    def province_key(code: int) -> UnitKey:
        return (province_code(code), code not in province_codes)

    districts = [d for d in legacy.District.iter_all() if int(d.province_code) in old_provinces]
    district_codes = {int(d.code) for d in districts}
    for district in districts:
        records.append(
            AreaRecord(district_code(district.code), district.name, Kind.DISTRICT, old=True,
                       parent=province_key(int(district.province_code)))
        )  # fmt: skip
    for ward in legacy.Ward.iter_all():
        if int(ward.district_code) not in district_codes:
            continue
        entry = wards_conversion.get(int(ward.code))
        successor = None
        if entry and len(entry.new_wards) == 1:
            successor = (ward_code(entry.new_wards[0].code), False)
        records.append(
            AreaRecord(ward_code(ward.code), ward.name, WARD_KINDS[ward.division_type.value], old=True,
                       parent=(district_code(ward.district_code), True), successor=successor)
        )  # fmt: skip
    return records


def records_from_package(province: str | None = None) -> list[AreaRecord]:
    """Every unit of the country, or of one province, parents before children."""
    provinces = current_provinces()
    if province:
        provinces = [find_province(provinces, province)]
    return current_records(provinces) + predecessor_records({p["code"] for p in provinces})


# --- Writing the tree --------------------------------------------------------------------------


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    without_successor: int = 0  # old units split among several new ones
    created_by_kind: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        kinds = ", ".join(
            f"{count} {Kind(kind).label}" for kind, count in sorted(self.created_by_kind.items())
        )
        lines = [
            f"Tạo mới {self.created} đơn vị" + (f" ({kinds})" if kinds else ""),
            f"Cập nhật {self.updated}, giữ nguyên {self.unchanged}.",
        ]
        if self.without_successor:
            lines.append(
                f"{self.without_successor} đơn vị cũ bị chia cho nhiều đơn vị mới: chưa ghi đơn vị kế thừa "
                "(quản trị chọn trong trang quản trị nếu cần)."
            )
        return lines


class _Tree:
    """The area units already in the database, by key and, for those without a code (the
    demo's, or typed by hand), by (parent, name): loading the real units over them fills
    their code instead of making a second unit of the same name."""

    def __init__(self) -> None:
        self.by_key: dict[UnitKey, OrgUnit] = {}
        self.by_name: dict[tuple[int | None, str, bool], OrgUnit] = {}
        for unit in OrgUnit.objects.areas():
            old = unit.valid_to is not None and unit.valid_to <= LAST_DAY_BEFORE_REFORM
            if unit.code:
                self.by_key.setdefault((unit.code, old), unit)
            else:
                self.by_name.setdefault((unit.parent_id, fold(unit.name), old), unit)

    def find(self, record: AreaRecord, parent: OrgUnit | None) -> OrgUnit | None:
        found = self.by_key.get(record.key)
        if found is None:
            found = self.by_name.pop((parent.pk if parent else None, fold(record.name), record.old), None)
        return found


@transaction.atomic
def areas_load(*, records: Iterable[AreaRecord]) -> LoadReport:
    """Create the units that are missing and bring the others up to date with the data.
    Idempotent; never deletes anything, so the records of a unit are never orphaned."""
    tree = _Tree()
    report = LoadReport()
    pending: list[tuple[OrgUnit, AreaRecord]] = []

    for record in records:
        parent = tree.by_key.get(record.parent) if record.parent else None
        successor = tree.by_key.get(record.successor) if record.successor else None
        if record.old and record.kind in WARD_KINDS.values() and successor is None:
            report.without_successor += 1
        unit = tree.find(record, parent)
        if unit is None:
            unit = OrgUnit(parent=parent, code=record.code, name=record.name, kind=record.kind,
                           successor=successor, valid_from=record.valid_from, valid_to=record.valid_to)  # fmt: skip
            pending.append((unit, record))
            # Children come after their parent in the records: create each level when it ends.
            if record.parent is None or len(pending) >= BATCH_SIZE:
                _create(pending, tree, report)
        else:
            _flush_before_use(pending, tree, report, record)
            _update(unit, record, parent, successor, report)
        tree.by_key[record.key] = unit
    _create(pending, tree, report)
    return report


def _flush_before_use(pending, tree, report, record: AreaRecord) -> None:
    # An existing unit may be the child of one still pending: its parent needs its id first.
    if pending and any(item.key in (record.parent, record.successor) for _unit, item in pending):
        _create(pending, tree, report)


def _update(unit: OrgUnit, record: AreaRecord, parent, successor, report: LoadReport) -> None:
    wanted = {
        "code": record.code,
        "name": record.name,
        "kind": record.kind,
        "parent_id": parent.pk if parent else None,
        "valid_to": record.valid_to,
    }
    if successor is not None:  # a successor an admin chose by hand is never taken away
        wanted["successor_id"] = successor.pk
    if unit.valid_from is None and record.valid_from:
        wanted["valid_from"] = record.valid_from
    changed = {name: value for name, value in wanted.items() if getattr(unit, name) != value}
    if not changed:
        report.unchanged += 1
        return
    for name, value in changed.items():
        setattr(unit, name, value)
    unit.save()  # keeps the history and moves the subtree if the parent changed
    report.updated += 1


def _create(pending: list[tuple[OrgUnit, AreaRecord]], tree: _Tree, report: LoadReport) -> None:
    """Insert in bulk (with their history rows), then give each its place in the tree: its
    parent is either already saved or earlier in this same batch."""
    if not pending:
        return
    units = []
    for unit, record in pending:
        if unit.parent_id is None and record.parent:
            unit.parent = tree.by_key[record.parent]
        if unit.successor_id is None and record.successor and record.successor in tree.by_key:
            unit.successor = tree.by_key[record.successor]
        unit.refresh_search_text()
        units.append(unit)
    # Parents of this batch must have their ids before their children are inserted.
    for depth_group in _by_generation(units):
        bulk_create_with_history(depth_group, OrgUnit, batch_size=BATCH_SIZE)
        for unit in depth_group:
            parent = unit.parent
            unit.path = (parent.path if parent else "") + f"{unit.pk:0{PATH_SEGMENT_WIDTH}d}."
            unit.depth = parent.depth + 1 if parent else 0
            unit.area_id = unit.pk  # every unit loaded here is an area
        OrgUnit.objects.bulk_update(depth_group, ["path", "depth", "area"], batch_size=BATCH_SIZE)
        for unit in depth_group:
            report.created += 1
            report.created_by_kind[unit.kind] = report.created_by_kind.get(unit.kind, 0) + 1
    pending.clear()


def _by_generation(units: list[OrgUnit]) -> list[list[OrgUnit]]:
    """Split a batch so that no unit is inserted together with (or before) its parent."""
    generations: list[list[OrgUnit]] = []
    level: dict[int, int] = {}
    for unit in units:
        parent_level = (
            level.get(id(unit.parent), -1) if unit.parent is not None and unit.parent.pk is None else -1
        )
        mine = parent_level + 1
        level[id(unit)] = mine
        while len(generations) <= mine:
            generations.append([])
        generations[mine].append(unit)
    return generations
