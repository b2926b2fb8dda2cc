from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet
from core.models import BaseModel, SearchableModel, SearchQuerySet

PATH_SEGMENT_WIDTH = 10  # zero-padded primary key: sibling order in a path sort is id order


class OrgUnitQuerySet(ScopedQuerySet, SearchQuerySet):
    scope_field = ""  # an org unit is scoped by its own path

    def subtree(self, unit: OrgUnit):
        """The unit and everything below it: one indexed prefix query on `path`."""
        return self.filter(path__startswith=unit.path)

    def areas(self):
        return self.filter(kind__in=OrgUnit.AREA_KINDS)

    def bodies(self):
        return self.exclude(kind__in=OrgUnit.AREA_KINDS)

    def existed_during(self, start: date, end: date):
        """Units in force on at least one day of [start, end] (valid_from/valid_to overlap it)."""
        return self.filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=end)).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=start)
        )

    def valid_on(self, day: date):
        return self.filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day)).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class OrgUnit(SearchableModel, BaseModel):
    """A node of the administrative tree, kept as data: an area (city, district, ward...) or a
    body inside an area (Party committee, People's Committee, Fatherland Front...).

    `path` is a materialised path of zero-padded ids ("0000000001.0000000007."), so "this unit
    and everything below" is one prefix query on an index; `area` is the nearest area at or
    above the unit (an area's own `area` is itself), which later apps use to scope their rows.
    After the 2025 reform old units keep their records and point to their `successor`.
    """

    class Kind(models.TextChoices):
        # The whole country as one unit (a national monitor or admin works here); when there
        # is one, the provinces and centrally-run cities are its children (regional_depth).
        NATION = "nation", _("Toàn quốc")
        CITY = "city", _("Thành phố trực thuộc Trung ương")
        PROVINCE = "province", _("Tỉnh")
        DISTRICT = "district", _("Quận, huyện, thị xã")
        WARD = "ward", _("Phường")
        COMMUNE = "commune", _("Xã")
        TOWNSHIP = "township", _("Thị trấn")
        SPECIAL_ZONE = "special_zone", _("Đặc khu")
        PARTY_COMMITTEE = "party_committee", _("Cấp ủy Đảng")
        PEOPLES_COUNCIL = "peoples_council", _("Hội đồng nhân dân")
        PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
        FATHERLAND_FRONT = "fatherland_front", _("Ủy ban MTTQ Việt Nam")
        SOCIO_POLITICAL = "socio_political", _("Tổ chức chính trị - xã hội")
        SPECIALISED_OFFICE = "specialised_office", _("Cơ quan chuyên môn")
        POLICE = "police", _("Công an")
        PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp")
        OTHER = "other", _("Cơ quan, đơn vị khác")

    AREA_KINDS = frozenset(
        {
            Kind.NATION,
            Kind.CITY,
            Kind.PROVINCE,
            Kind.DISTRICT,
            Kind.WARD,
            Kind.COMMUNE,
            Kind.TOWNSHIP,
            Kind.SPECIAL_ZONE,
        }
    )

    name = models.CharField(_("tên đầy đủ"), max_length=255)
    symbol = models.CharField(
        _("ký hiệu"),
        max_length=32,
        blank=True,
        help_text=_("Ký hiệu dùng trong số văn bản, ví dụ UBND, ĐU, MTTQ."),
    )
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices)
    code = models.CharField(_("mã đơn vị hành chính"), max_length=16, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("Sau sắp xếp đơn vị hành chính: đơn vị tiếp nhận hồ sơ của đơn vị này."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    # The Law on Complaints gives areas with difficult travel (vùng sâu, vùng xa) longer time to
    # resolve a complaint. db_default: bulk inserts that do not name the column keep working.
    is_remote_area = models.BooleanField(
        _("vùng sâu, vùng xa"),
        default=False,
        db_default=False,
        help_text=_("Địa bàn vùng sâu, vùng xa: thời hạn giải quyết khiếu nại dài hơn theo luật."),
    )
    # Decree 30/2020/NĐ-CP, Phụ lục I (địa danh): a unit named after a person, a number or a
    # historical event is written in full before the date ("Phường Hai Bà Trưng", "Xã Trần
    # Phú"); a number is recognised by itself ("Phường 5"), a person or an event is data.
    named_after_person_or_event = models.BooleanField(
        _("tên đặt theo tên người, sự kiện lịch sử"),
        default=False,
        db_default=False,
        help_text=_(
            "Văn bản ghi địa danh đầy đủ, cả “Phường”, “Xã” (Nghị định 30/2020/NĐ-CP, Phụ lục I), "
            "ví dụ “Phường Hai Bà Trưng, ngày …”. Tên bằng chữ số (“Phường 5”) được nhận ra tự động."
        ),
    )
    path = models.CharField(max_length=255, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    area = models.ForeignKey("self", null=True, editable=False, on_delete=models.PROTECT, related_name="+")

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' under any
            # collation; SQLite ignores the opclass.
            models.Index(fields=["path"], name="orgunit_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind"], name="orgunit_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            )
        ]

    @property
    def place_name(self) -> str:
        """The place written before a document's date (Decree 30/2020/NĐ-CP, Phụ lục I)."""
        from core.pdf import place_name

        return place_name(self.name, named_after_person_or_event=self.named_after_person_or_event)

    def __str__(self) -> str:
        return self.name

    def search_source(self) -> list[str | None]:
        return [self.name, self.symbol, self.code]

    @property
    def is_area(self) -> bool:
        return self.kind in self.AREA_KINDS

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @classmethod
    def regional_depth(cls) -> int:
        """The depth of the country's first division (provinces, centrally-run cities): 0 when
        they are the top of the tree, 1 below a national unit (Kind.NATION). One query."""
        return 1 if cls.objects.filter(parent=None, kind=cls.Kind.NATION).exists() else 0

    def ancestors(self) -> OrgUnitQuerySet:
        """Every unit above this one, top first: their paths are prefixes of this path."""
        step = PATH_SEGMENT_WIDTH + 1
        prefixes = [self.path[:end] for end in range(step, len(self.path), step)]
        return OrgUnit.objects.filter(path__in=prefixes).order_by("depth")

    def lineage_paths(self) -> tuple[str, ...]:
        """The path prefixes of this unit and of every unit it (or a unit in it) succeeded after
        an administrative reform, generation after generation: a new ward's records include
        those of the old wards merged into it. One query per generation of reform."""
        paths = [self.path]
        frontier = [self.path]
        while frontier:
            condition = models.Q()
            for prefix in frontier:
                condition |= models.Q(successor__path__startswith=prefix)
            # "Has a successor" first: the few units that have one come from the index on
            # successor, each joined to its successor by key. Without it the planner, which
            # takes the prefix of a province or the country for most units, hashes every unit
            # twice (the national unit: 124 ms, 7,526 buffers; with it 0.1 ms, 9 buffers).
            found = [
                path
                for path in OrgUnit.objects.filter(condition, successor__isnull=False).values_list(
                    "path", flat=True
                )
                if not any(path.startswith(known) for known in paths)
            ]
            paths.extend(found)
            frontier = found
        return tuple(paths)

    def clean(self) -> None:
        if self.parent_id and self.pk and self.parent.path.startswith(self.path):
            raise ValidationError(
                {"parent": _("Không thể đặt một đơn vị trực thuộc chính nó hoặc đơn vị cấp dưới của nó.")}
            )
        if not self.is_area and self.parent_id is None:
            raise ValidationError({"parent": _("Cơ quan, tổ chức phải trực thuộc một địa bàn.")})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("Đơn vị không thể kế thừa chính nó.")})

    @transaction.atomic
    def save(self, *args, **kwargs):
        old_path = self.path
        super().save(*args, **kwargs)
        self._place_in_tree(old_path)

    def _place_in_tree(self, old_path: str) -> None:
        parent = self.parent
        path = (parent.path if parent else "") + f"{self.pk:0{PATH_SEGMENT_WIDTH}d}."
        area_id = self.pk if self.is_area else (parent.area_id if parent else None)
        depth = parent.depth + 1 if parent else 0
        if (path, area_id, depth) == (self.path, self.area_id, self.depth):
            return
        self.path, self.area_id, self.depth = path, area_id, depth
        OrgUnit.objects.filter(pk=self.pk).update(path=path, area_id=area_id, depth=depth)
        if old_path and old_path != path:
            self._rebuild_descendants(old_path)

    def _rebuild_descendants(self, old_path: str) -> None:
        """A moved unit drags its subtree along. Org units move rarely and subtrees are small,
        so this is done in Python, parents before children."""
        placed = {self.pk: self}
        descendants = list(
            OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).order_by("depth")
        )
        for unit in descendants:
            parent = placed[unit.parent_id]
            unit.path = parent.path + f"{unit.pk:0{PATH_SEGMENT_WIDTH}d}."
            unit.depth = parent.depth + 1
            unit.area_id = unit.pk if unit.is_area else parent.area_id
            placed[unit.pk] = unit
        OrgUnit.objects.bulk_update(descendants, ["path", "depth", "area"])


class Role(models.TextChoices):
    CLERK = "clerk", _("Cán bộ văn phòng")
    LEADER = "leader", _("Lãnh đạo")
    HANDLER = "handler", _("Cán bộ được giao xử lý")
    MONITOR = "monitor", _("Giám sát (MTTQ)")
    ADMIN = "admin", _("Quản trị hệ thống")


# Roles whose holders may change data in their scope; a monitor only reads.
WRITING_ROLES = frozenset({Role.CLERK, Role.LEADER, Role.HANDLER, Role.ADMIN})


class UserQuerySet(ScopedQuerySet, SearchQuerySet):
    pass


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    def get_queryset(self):
        # The agency and its area are read on every request (scoping, the header).
        return super().get_queryset().select_related("agency__area")


class User(SearchableModel, AbstractUser):
    """A person using the system: one agency in one area, one or several roles."""

    first_name = None
    last_name = None
    full_name = models.CharField(_("họ và tên"), max_length=150)
    title = models.CharField(_("chức vụ"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    agency = models.ForeignKey(
        OrgUnit,
        verbose_name=_("cơ quan, đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    # One boolean per role: roles are few and fixed in code, and "the leaders of this body"
    # (for escalation) stays a plain indexed filter on any database.
    is_clerk = models.BooleanField(Role.CLERK.label, default=False)
    is_leader = models.BooleanField(Role.LEADER.label, default=False)
    is_handler = models.BooleanField(Role.HANDLER.label, default=False)
    is_monitor = models.BooleanField(Role.MONITOR.label, default=False)
    is_sysadmin = models.BooleanField(Role.ADMIN.label, default=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = ScopedUserManager()

    scope_field = "agency__area"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def search_source(self) -> list[str | None]:
        return [self.full_name, self.username, self.title, self.email, self.phone]

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name.rsplit(" ", 1)[-1] if self.full_name else self.username

    def save(self, *args, **kwargs):
        # The admin role is what opens Django's admin site; it is not granted separately.
        self.is_staff = self.is_sysadmin or self.is_superuser
        super().save(*args, **kwargs)

    # --- roles ---------------------------------------------------------------------------
    _ROLE_FIELDS = {
        Role.CLERK: "is_clerk",
        Role.LEADER: "is_leader",
        Role.HANDLER: "is_handler",
        Role.MONITOR: "is_monitor",
        Role.ADMIN: "is_sysadmin",
    }

    @property
    def roles(self) -> list[Role]:
        return [role for role, field in self._ROLE_FIELDS.items() if getattr(self, field)]

    def has_role(self, *roles: Role) -> bool:
        """Whether the user may act in one of `roles`: the one place permissions are decided.
        An active superuser acts in every office role, as Django's has_perm lets them in once
        (views and services never add `is_superuser or` of their own)."""
        return self.is_active and (self.is_superuser or self.holds_role(*roles))

    def holds_role(self, *roles: Role) -> bool:
        """Whether one of `roles` was given to this person, superuser status aside. For facts
        about a person (the leader chosen to sign or to receive citizens) and for the rules a
        law names by office: a denouncer's identity (Petition.identity_visible_to)."""
        return self.is_active and any(getattr(self, self._ROLE_FIELDS[role]) for role in roles)

    @property
    def can_write(self) -> bool:
        return self.has_role(*WRITING_ROLES)

    @classmethod
    def role_filter(cls, role: Role) -> models.Q:
        return models.Q(**{cls._ROLE_FIELDS[role]: True})

    # --- scope ---------------------------------------------------------------------------
    @property
    def area(self) -> OrgUnit | None:
        return self.agency.area if self.agency_id else None

    @cached_property
    def scope_paths(self) -> tuple[str, ...]:
        """The path prefixes this user may see: their area and every unit their area (or a
        unit in it) succeeded after an administrative reform, so a new ward's staff see the
        records of the old wards merged into it. One query per generation of reform."""
        area = self.area
        return area.lineage_paths() if area is not None else ()

    @cached_property
    def sees_everything(self) -> bool:
        """Whether the scope holds every unit: a superuser, or the staff of the only top-level
        area (the national unit). Their lists need no scope condition at all (a condition
        true of every row still costs a test per row). A query only for a top-level scope."""
        if self.is_superuser:
            return True
        tops = [path for path in self.scope_paths if len(path) == PATH_SEGMENT_WIDTH + 1]
        return bool(tops) and not OrgUnit.objects.filter(parent=None).exclude(path__in=tops).exists()

    # Scopes up to this many units (a ward has 7, a district a few hundred) are answered by
    # index lookups per unit; larger ones by walking the list's own index (see
    # conclusions.models.AssignmentQuerySet.visible_to).
    SMALL_SCOPE_UNITS = 300

    @cached_property
    def scope_is_small(self) -> bool:
        """Whether the scope holds at most SMALL_SCOPE_UNITS units (one bounded count)."""
        paths = self.scope_paths
        units = OrgUnit.objects.filter(
            models.Q(*[models.Q(path__startswith=p) for p in paths], _connector="OR")
        )
        return units.order_by()[: self.SMALL_SCOPE_UNITS + 1].count() <= self.SMALL_SCOPE_UNITS

    # The apps whose admin pages the admin role may use. Others (API tokens, login lockouts,
    # groups) stay with superusers: their pages are not scoped and would open the whole city.
    ADMIN_ROLE_APPS = frozenset({"accounts", "core", "dialogue", "petitions", "conclusions", "dashboards"})

    def has_perm(self, perm, obj=None) -> bool:
        # The admin role manages org units, users and reference data in Django's admin, limited
        # to its own scope by the ModelAdmins' querysets (accounts.admin.ScopedAdminMixin).
        if self.is_active and self.is_sysadmin and perm.split(".", 1)[0] in self.ADMIN_ROLE_APPS:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        if self.is_active and self.is_sysadmin and app_label in self.ADMIN_ROLE_APPS:
            return True
        return super().has_module_perms(app_label)

    @property
    def is_top_level_admin(self) -> bool:
        """A superuser, or the admin of a top-level area (the city): they keep the lists that
        every area shares (calendar, categories, bases)."""
        return self.is_superuser or (
            self.holds_role(Role.ADMIN) and self.area is not None and self.area.parent_id is None
        )


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one user (assigned, returned, extended, accepted; reminders)."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("nội dung"), max_length=500)
    url = models.CharField(_("đường dẫn"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.text
