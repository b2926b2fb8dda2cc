from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit, User
from accounts.scoping import ScopedQuerySet
from core.bounds import DOCUMENT_CHARS, REMARK_CHARS, BoundedTextField, validate_sensible_date
from core.models import BaseModel, ValidityQuerySet
from core.uploads import validate_upload
from dialogue.models import Conference
from petitions.models import Petition
from registers.models import VERIFY_CODE_LENGTH
from registers.ports import Term


class CommitteeTerm(BaseModel):
    """A Party committee's term (nhiệm kỳ). Party documents are numbered from 01 per document
    type per term, so issuing a Party notice needs the term that covers its date."""

    body = models.ForeignKey(
        OrgUnit, verbose_name=_("cấp ủy"), on_delete=models.PROTECT, related_name="terms"
    )
    name = models.CharField(_("nhiệm kỳ"), max_length=32, help_text=_("Ví dụ: 2020 – 2025"))
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))

    class Meta:
        ordering = ["body", "-starts_on"]
        verbose_name = _("nhiệm kỳ cấp ủy")
        verbose_name_plural = _("nhiệm kỳ cấp ủy")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="term_dates_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.body} – {self.name}"


def party_term(body: OrgUnit, day: date) -> Term | None:
    """The committee term covering `day`, as the register asks for it (registers.ports)."""
    term = CommitteeTerm.objects.filter(body=body, starts_on__lte=day, ends_on__gte=day).first()
    return Term(key=f"term-{term.pk}", name=term.name) if term else None


class NoticeQuerySet(ScopedQuerySet):
    scope_field = "area"
    region_field = "region"

    def issued(self):
        return self.filter(status=ConclusionNotice.Status.ISSUED)


def notice_pdf_path(instance: ConclusionNotice, filename: str) -> str:
    return f"notices/{instance.issued_on or date.today():%Y}/{instance.pk}-{filename}"


class ConclusionNotice(BaseModel):
    """Thông báo kết luận: what the leaders concluded after a conference (or on their own),
    numbered at issue and never changed afterwards; a correction is a new notice that amends
    this one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")

    class SignMode(models.TextChoices):
        ON_BEHALF = "TM.", _("TM. (thay mặt tập thể)")
        DEPUTY = "KT.", _("KT. (ký thay người đứng đầu)")
        BY_ORDER = "TL.", _("TL. (thừa lệnh)")

    area = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", editable=False)
    # The area's region (its province under the national unit), kept by triggers on
    # PostgreSQL (core.migration_ops.RegionColumn), as the opinions' (accounts.scoping): a
    # province's notices, newest first, are a walk of its own rows, not of the country's.
    region = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    conference = models.ForeignKey(
        Conference,
        verbose_name=_("hội nghị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    issuing_body = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="issued_notices"
    )
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    summary = models.CharField(_("trích yếu"), max_length=500)
    preamble = BoundedTextField(_("phần mở đầu"), max_length=DOCUMENT_CHARS, blank=True)
    closing = BoundedTextField(_("phần kết"), max_length=DOCUMENT_CHARS, blank=True)
    recipients = BoundedTextField(
        _("nơi nhận"), max_length=REMARK_CHARS, help_text=_("Mỗi nơi nhận một dòng.")
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ký"), on_delete=models.PROTECT, related_name="+"
    )
    sign_mode = models.CharField(
        _("hình thức ký"), max_length=4, choices=SignMode.choices, default=SignMode.ON_BEHALF
    )
    signer_title = models.CharField(_("chức danh người ký"), max_length=100, help_text=_("Ví dụ: CHỦ TỊCH"))
    number = models.PositiveIntegerField(_("số"), null=True, blank=True, editable=False)
    number_label = models.CharField(_("số, ký hiệu"), max_length=64, blank=True, editable=False)
    number_series = models.CharField(max_length=64, blank=True, editable=False)  # the register's series
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    amends = models.ForeignKey(
        "self",
        verbose_name=_("đính chính cho"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    pdf = models.FileField(
        _("tệp PDF"), upload_to=notice_pdf_path, blank=True, editable=False, max_length=255
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # The short code printed beside the QR code, and in the public page's address
    # (/cong-khai/van-ban/<code>/); given when the issued notice's PDF is made.
    verify_code = models.CharField(
        _("mã xác thực"), max_length=VERIFY_CODE_LENGTH, null=True, blank=True, unique=True, editable=False
    )
    # The stored PDF's signatures as validated when it was signed (core.signing.SignatureStatus
    # as dicts); empty: issued unsigned.
    pdf_signatures = models.JSONField(default=list, db_default=[], blank=True, editable=False)
    # Why an issued notice went out unsigned although the installation signs (a signer without
    # a key, an expired certificate…): shown on its page; empty when signed or when nothing signs.
    pdf_unsigned_reason = models.CharField(
        _("lý do không có chữ ký số"), max_length=500, blank=True, default="", db_default="", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("thông báo kết luận")
        verbose_name_plural = _("thông báo kết luận")
        indexes = [
            models.Index(fields=["area", "status", "-issued_on"], name="notice_area_status"),
            # The list's order for a national user and the API's keyset: no sort of every notice.
            models.Index(fields=["-issued_on", "-id"], name="notice_newest"),
            # A province's lists, newest first, walked in order (its scope is its region).
            models.Index(fields=["region", "-issued_on", "-id"], name="notice_region_newest"),
            models.Index(fields=["conference"], name="notice_conference"),
            models.Index(fields=["id"], condition=Q(status="draft"), name="notice_drafts"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_body", "number_series", "number"],
                condition=Q(status="issued"),
                name="notice_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(number__isnull=False) & Q(issued_on__isnull=False)),
                name="notice_issued_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number_label or _('Dự thảo')} – {self.summary[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("conclusions:notice", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def is_party(self) -> bool:
        return self.issuing_body.kind == OrgUnit.Kind.PARTY_COMMITTEE

    @property
    def verify_path(self) -> str:
        """The public check of the issued notice (its QR code's address, without the site)."""
        from core.ports import document_verify_path

        return document_verify_path()(self.verify_code) if self.verify_code else ""

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class NoticeItem(models.Model):
    """One numbered direction of the conclusion (seed 004 has four)."""

    notice = models.ForeignKey(ConclusionNotice, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("số thứ tự"))
    text = BoundedTextField(_("nội dung"), max_length=DOCUMENT_CHARS)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "position"], name="notice_item_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"


def with_assignment_counts(notices: list[ConclusionNotice]) -> list[ConclusionNotice]:
    """Set `assignment_count` on the notices of one page, grouping only their assignments:
    an annotation on the list's queryset groups every notice's assignments before its LIMIT
    (about a second over a million assignments)."""
    counts = dict(
        Assignment.objects.filter(notice__in=[notice.pk for notice in notices])
        .order_by()
        .values("notice")
        .annotate(count=models.Count("pk"))
        .values_list("notice", "count")
    )
    for notice in notices:
        notice.assignment_count = counts.get(notice.pk, 0)
    return notices


def _draft_notices() -> models.QuerySet:
    """The drafts' ids: few, a small hashed list served by a partial index."""
    return ConclusionNotice.objects.filter(status=ConclusionNotice.Status.DRAFT).values("pk")


def _arising_condition(lookup: str, day: date) -> Q:
    """The day an assignment arose compared with `day` (see AssignmentQuerySet.arising_in)."""
    return (
        Q(**{f"notice__conference__held_on__{lookup}": day})
        | Q(notice__isnull=False, notice__conference__isnull=True, **{f"notice__issued_on__{lookup}": day})
        | Q(notice__isnull=True, **{f"deadline_from__{lookup}": day})
    )


class _AnyOf(models.Func):
    """`value = ANY(array)`: with the array a parameter computed once (an InitPlan), which
    PostgreSQL can also look up in an index, where `IN (subquery)` is a hashed filter only."""

    output_field = models.BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        value, value_params = compiler.compile(self.source_expressions[0])
        array, array_params = compiler.compile(self.source_expressions[1])
        return f"{value} = ANY({array})", (*value_params, *array_params)


class AssignmentQuerySet(ScopedQuerySet):
    scope_field = "area"

    def visible_to(self, user, *, for_page: bool = False, among: models.QuerySet | None = None):
        """The notice's area decides, as everywhere; and an agency also sees what it was given
        by a notice of a higher level (a city notice assigning a ward's committee): as lead,
        as a coordinating agency, or through its responsible person.

        A scope path that is one region (a province under the national unit: two segments)
        is, on PostgreSQL, `region_id = X` (the area's region, `Assignment.region`) or one of
        the assignments reaching X otherwise (`AssignmentReach`: the lead agency, a
        coordinating agency or the responsible person's agency in X while the area is not;
        a few rows, kept by triggers, conclusions.reach). Both sets are exactly the rows the
        four ways find under the region's path. Where the four ways hashed the province's
        units, people and coordinated assignments for each query (3–4 ms each, built again
        by the bounded count), this is an equality and a handful of ids, so:
        - for a page, `region_id = X OR id = ANY(ARRAY(reaching X))`, tested as the list walks
          its own index in order up to its LIMIT; written `= ANY(array)` (not `IN (subquery)`)
          so that the bounded count may also combine the region's index with the primary key
          (a BitmapOr) instead of scanning;
        - otherwise (aggregates, `among`), a UNION of the region's rows and the reaching ones,
          each narrowed by `among` (the region's open work by deadline: `assignment_region_open`).

        Other scope paths (a ward, a district, the national unit's staff, SQLite) keep the
        four ways, in two shapes:
        - one UNION of indexed lookups on the units in scope (area, lead agency, coordinating
          agency, responsible person's agency): 2 ms for a ward; for a large scope it gathers
          and hashes every assignment in it first, which an aggregate needs anyway but a page
          does not;
        - `for_page` (a list's page, walked along its own index in order up to its LIMIT) and
          a large scope (`User.scope_is_small` false: over 300 units): OR-ed conditions on
          hashed lists of the units, tested row by row as the walk goes, which stops at the
          page. For a ward the walk would test every open assignment of the country (150 ms),
          so small scopes keep the UNION.

        `among` (a queryset of assignments, e.g. the open ones due soon) narrows each branch of
        the UNION before it is gathered: the partial indexes of open work (area, agency or
        region, deadline) then give a scope's few thousand open rows instead of every
        assignment it ever had (the overdue review of a province)."""
        if not (user.is_authenticated and user.is_active) or user.sees_everything:
            everything = super().visible_to(user)
            return everything if among is None else everything & among
        if not user.scope_paths:
            return self.none()
        regions, paths = self._regions_and_paths(user.scope_paths)
        condition = Q()
        if regions:
            condition |= self._region_condition(regions, for_page=for_page, among=among)
        if paths:
            condition |= self._unit_condition(
                paths, for_page=for_page and not user.scope_is_small, among=among
            )
        return self.filter(condition)

    def _regions_and_paths(self, scope_paths) -> tuple[list[int], list[str]]:
        """The scope's paths that are one region each, as region ids (PostgreSQL only: the
        columns are kept by its triggers), and the others."""
        if connections[self.db].vendor != "postgresql":
            return [], list(scope_paths)
        regions, paths = [], []
        for path in scope_paths:
            segments = path.split(".")[:-1]
            if len(segments) == 2:
                regions.append(int(segments[1]))
            else:
                paths.append(path)
        return regions, paths

    def _region_condition(self, regions: list[int], *, for_page: bool, among) -> Q:
        reaching = AssignmentReach.objects.filter(region_id__in=regions).values("assignment_id")
        if for_page:
            return Q(region_id__in=regions) | Q(_AnyOf(F("pk"), ArraySubquery(reaching)))
        plain = (among if among is not None else Assignment.objects.all()).order_by()
        own = plain.filter(region_id__in=regions).values("pk")
        if among is not None:
            # Narrowed too (as rows of `among`), so that the result lies within it.
            reaching = plain.filter(pk__in=reaching).values("pk")
        return Q(pk__in=own.union(reaching))

    def _unit_condition(self, paths: list[str], *, for_page: bool, among) -> Q:
        units = OrgUnit.objects.filter(
            Q(*[Q(path__startswith=path) for path in paths], _connector=Q.OR)
        ).values("pk")
        coordinated = Assignment.coordinating_agencies.through.objects.filter(orgunit_id__in=units)
        if for_page:
            people = User.objects.filter(agency_id__in=units).values("pk")
            return (
                Q(area_id__in=units)
                | Q(lead_agency_id__in=units)
                | Q(responsible_person_id__in=people)
                | Q(pk__in=coordinated.values("assignment_id"))
            )
        plain = (among if among is not None else Assignment.objects.all()).order_by()
        visible = (
            plain.filter(area_id__in=units)
            .values("pk")
            .union(
                plain.filter(lead_agency_id__in=units).values("pk"),
                plain.filter(responsible_person__agency_id__in=units).values("pk"),
                # Narrowed too (as rows of `among`), so that the result lies within it.
                plain.filter(pk__in=coordinated.values("assignment_id")).values("pk")
                if among is not None
                else coordinated.order_by().values("assignment_id"),
            )
        )
        return Q(pk__in=visible)

    def open(self):
        """Work still to be done: not accepted, and either given for a written petition (no
        notice) or given by an issued notice (a draft's assignments have not started)."""
        return self.exclude(status=Assignment.Status.ACCEPTED).started()

    def started(self):
        """Assignments whose work has begun (open or not): not those of a draft notice.
        Written as "not of a draft" (drafts are few: a small hashed list, served by a partial
        index) rather than a join to every notice to read its status."""
        return self.exclude(notice_id__in=_draft_notices())

    def open_or_accepted(self):
        """The open work and the accepted work (what the dashboards' rankings count): the rows
        of `open() | filter(status=accepted)` — started, or accepted — in one condition, so
        that the caller's other conditions stay at the top of the WHERE, where PostgreSQL can
        turn an `IN (subquery)` into a join served by an index (under the OR of the union it
        tested it row by row along the whole table: a province's late agencies, 1M rows)."""
        return self.filter(Q(status=Assignment.Status.ACCEPTED) | ~Q(notice_id__in=_draft_notices()))

    def overdue(self, today: date):
        return self.open().filter(deadline__lt=today)

    def _keeps_arises_on(self) -> bool:
        """The `arises_on` column is kept (by triggers, conclusions.arising) on PostgreSQL."""
        return connections[self.db].vendor == "postgresql"

    def arising_from(self, day: date):
        if self._keeps_arises_on():
            return self.filter(arises_on__gte=day)
        return self.filter(_arising_condition("gte", day))

    def arising_until(self, day: date):
        if self._keeps_arises_on():
            return self.filter(arises_on__lte=day)
        return self.filter(_arising_condition("lte", day))

    def arising_in(self, start: date, end: date):
        """Work that arose in [start, end] (the dashboards' default view of a period, issue 19):
        given by the notice of a conference held then; by a notice without a conference
        issued then; or, without a notice (a written petition, an opinion typed in after the
        notice), counted from a day then. A December conference's work due in January is the
        December period's work. Each assignment falls under exactly one of the three cases, so
        the two bounds may also be applied apart (the list's two filters).

        On PostgreSQL that day is the row's own `arises_on` (kept by triggers,
        conclusions.arising), a range of the index `assignment_arising_cover` that also holds
        what the dashboards count (status, deadline, lead agency, notice): a country's year,
        80,000 of a million rows, read from the index alone. Elsewhere (SQLite) the join of
        each assignment to its notice and that notice's conference."""
        return self.arising_from(start).arising_until(end)

    def of_user(self, user):
        """ "My work": what the user's agency leads or helps with, or the user answers for.
        A subquery for the coordinating agencies rather than a join, which would repeat an
        assignment once per coordinating agency and need DISTINCT."""
        mine = Q(responsible_person=user.pk)
        if user.agency_id:
            coordinated = Assignment.coordinating_agencies.through.objects.filter(orgunit=user.agency_id)
            mine |= Q(lead_agency=user.agency_id) | Q(pk__in=coordinated.values("assignment"))
        return self.filter(mine)


class Assignment(BaseModel):
    """A task given by a conclusion item to one lead agency, with a deadline stored when it is
    made together with the rule that produced it. Overdue is derived, never stored."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Đã giao")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        REPORTED_DONE = "reported_done", _("Báo cáo hoàn thành")
        ACCEPTED = "accepted", _("Đã nghiệm thu")
        RETURNED = "returned", _("Trả lại, làm tiếp")

    # The work is in the assignees' hands (neither reported done nor accepted).
    WORKING_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS, Status.RETURNED)

    class DeadlineRule(models.TextChoices):
        FIXED_DATE = "date", _("Đến ngày cụ thể")
        CALENDAR_DAYS = "calendar_days", _("Số ngày kể từ ngày ban hành")
        WORKING_DAYS = "working_days", _("Số ngày làm việc kể từ ngày ban hành")

    area = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", editable=False)
    # The area's region (its province under the national unit), kept by triggers on
    # PostgreSQL (core.migration_ops.RegionColumn), as the notices'. With `AssignmentReach`
    # (the few regions reached otherwise) it is a province's scope: AssignmentQuerySet.visible_to.
    region = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # No notice and no item: an assignment given for a written petition (petitions received
    # by letter or at a citizen reception), which starts when it is made.
    notice = models.ForeignKey(
        ConclusionNotice, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    item = models.ForeignKey(
        NoticeItem,
        verbose_name=_("mục kết luận"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    task = BoundedTextField(_("nội dung công việc"), max_length=DOCUMENT_CHARS)
    lead_agency = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan chủ trì"), on_delete=models.PROTECT, related_name="led_assignments"
    )
    coordinating_agencies = models.ManyToManyField(
        OrgUnit, verbose_name=_("cơ quan phối hợp"), blank=True, related_name="coordinated_assignments"
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chịu trách nhiệm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_assignments",
    )
    petitions = models.ManyToManyField(
        Petition, verbose_name=_("ý kiến được giải quyết"), blank=True, related_name="assignments"
    )
    deadline_rule = models.CharField(_("cách tính hạn"), max_length=16, choices=DeadlineRule.choices)
    deadline_days = models.PositiveSmallIntegerField(_("số ngày"), null=True, blank=True)
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True, validators=[validate_sensible_date])
    deadline_from = models.DateField(_("tính từ ngày"), null=True, blank=True, editable=False)
    # The day the work arose (AssignmentQuerySet.arising_in): the day its notice's conference
    # was held, or its notice's day of issue (a notice without a conference), or its own
    # deadline_from (no notice). Kept by PostgreSQL triggers whatever writes the rows or
    # moves those days (conclusions.arising); null on SQLite, where arising_in joins.
    arises_on = models.DateField(null=True, blank=True, editable=False)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.ASSIGNED)
    answer_to_citizen = BoundedTextField(
        _("văn bản trả lời người dân"), max_length=DOCUMENT_CHARS, blank=True
    )
    reported_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    return_reason = BoundedTextField(_("lý do trả lại"), max_length=REMARK_CHARS, blank=True)
    # The statutory rule behind the deadline of a written petition's assignment, as written
    # when it was made ("30 ngày – Giải quyết khiếu nại lần đầu"); empty for notices.
    deadline_basis = models.CharField(
        _("căn cứ thời hạn"), max_length=255, blank=True, default="", db_default="", editable=False
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("việc được giao")
        verbose_name_plural = _("việc được giao")
        indexes = [
            models.Index(fields=["lead_agency", "status", "deadline"], name="assignment_agency_deadline"),
            models.Index(fields=["area", "status", "deadline"], name="assignment_area_deadline"),
            models.Index(fields=["status", "deadline"], name="assignment_status_deadline"),
            # Dashboards (index-only aggregates by deadline) and the overdue lists (open only).
            # Keyed by the lists' whole order (deadline, id): keyed by the deadline alone, a page
            # sorted each deadline's rows (hundreds share one), joining them all first (the API's
            # cursor page: 1,014 rows joined, 10,526 buffers → 51 rows, 748).
            models.Index(
                fields=["deadline", "id"],
                include=["status", "lead_agency", "notice"],
                name="assignment_dashboard_cover",
            ),
            # Open work by deadline, read from the index alone (the overdue review and lists).
            models.Index(
                fields=["deadline", "id"],
                include=["lead_agency", "notice", "status"],
                condition=~Q(status="accepted"),
                name="assignment_open_cover",
            ),
            # A scope's open work by deadline, one lookup per unit of the scope (the branches of
            # visible_to(among=open work): the overdue review of a province or a ward).
            models.Index(
                fields=["area", "deadline"], condition=~Q(status="accepted"), name="assignment_area_open"
            ),
            models.Index(
                fields=["lead_agency", "deadline"],
                condition=~Q(status="accepted"),
                name="assignment_agency_open",
            ),
            models.Index(
                fields=["responsible_person", "deadline"],
                condition=~Q(status="accepted"),
                name="assignment_person_open",
            ),
            # A province's open work by deadline (visible_to(among=open work) of a regional
            # scope: the overdue review), and the bounded count of its lists.
            models.Index(
                fields=["region", "deadline", "id"],
                condition=~Q(status="accepted"),
                name="assignment_region_open",
            ),
            # The work arising in a period (the dashboards' default view), index-only.
            models.Index(
                fields=["arises_on"],
                include=["id", "status", "deadline", "lead_agency", "notice"],
                name="assignment_arising_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(deadline_rule="date") | Q(deadline__isnull=False),
                name="assignment_fixed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(deadline_rule="date") | Q(deadline_days__gt=0),
                name="assignment_relative_has_days",
            ),
        ]

    def __str__(self) -> str:
        return self.task[:80]

    def get_absolute_url(self) -> str:
        return reverse("conclusions:assignment", args=[self.pk])

    @property
    def is_started(self) -> bool:
        return self.notice_id is None or self.notice.is_issued

    @property
    def is_open(self) -> bool:
        """Row-level twin of AssignmentQuerySet.open()."""
        return self.is_started and self.status != self.Status.ACCEPTED

    def case_files_visible_to(self, user) -> bool:
        """Progress reports, their evidence files and the answer of an assignment that answers
        a denunciation are part of the case and may name the denouncer: they get the identity's
        protection (the handlers of the case, the area's clerks and leaders; see
        Petition.identity_visible_to), not that of the assignment, which a higher level reads.
        Petitions without a denouncer protect nothing: the check is one query for them."""
        denunciations = self.petitions.filter(kind=Petition.Kind.DENUNCIATION).select_related("area")
        return all(petition.identity_visible_to(user) for petition in denunciations)

    def days_overdue(self, today: date) -> int:
        if self.deadline is None or self.status == self.Status.ACCEPTED or today <= self.deadline:
            return 0
        return (today - self.deadline).days

    @property
    def deadline_rule_text(self) -> str:
        """How the deadline was given, as it would be written: "10 ngày làm việc kể từ ngày ban hành"."""
        if self.deadline_basis:
            return self.deadline_basis
        if self.deadline_rule == self.DeadlineRule.WORKING_DAYS:
            return _("%(days)s ngày làm việc kể từ ngày ban hành") % {"days": self.deadline_days}
        if self.deadline_rule == self.DeadlineRule.CALENDAR_DAYS:
            return _("%(days)s ngày kể từ ngày ban hành") % {"days": self.deadline_days}
        return str(self.DeadlineRule.FIXED_DATE.label)


class AssignmentReach(models.Model):
    """A region an assignment reaches through its lead agency, a coordinating agency or its
    responsible person's agency, other than its area's region (`Assignment.region`): a
    national notice assigning a province's department, a province's notice giving a ward's
    committee a part. Written by PostgreSQL triggers only (conclusions.reach), whatever writes
    the assignments, their coordinating agencies, the users' agencies or the units' places;
    empty on SQLite, where visible_to keeps the join to the units. No foreign-key
    constraints: the triggers delete an assignment's rows with it, in whatever order the
    rows of a deletion go."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    region = models.ForeignKey(OrgUnit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "assignment"], name="assignment_reach_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} → {self.region_id}"


def evidence_path(instance: ProgressUpdate, filename: str) -> str:
    return f"assignments/{instance.assignment_id}/{filename}"


class ProgressUpdate(BaseModel):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = BoundedTextField(_("nội dung"), max_length=DOCUMENT_CHARS)
    evidence = models.FileField(
        _("tệp kết quả"), upload_to=evidence_path, blank=True, validators=[validate_upload], max_length=255
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")

    def __str__(self) -> str:
        # Not the text: a denunciation's progress names the denouncer (case files), and this
        # string is what the admin lists as a related object, e.g. on a user's delete page,
        # to admins who may not read the case (found by tests/test_denouncer_protection.py).
        return _("Báo cáo tiến độ #%(pk)s") % {"pk": self.pk}

    @property
    def evidence_filename(self) -> str:
        """The file's own name, as the link shows it and the download saves it."""
        return self.evidence.name.rsplit("/", 1)[-1] if self.evidence else ""


class ExtensionRequest(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ quyết định")
        APPROVED = "approved", _("Đồng ý gia hạn")
        REJECTED = "rejected", _("Không đồng ý")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_deadline = models.DateField(_("đề nghị gia hạn đến"), validators=[validate_sensible_date])
    reason = BoundedTextField(_("lý do"), max_length=REMARK_CHARS)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    previous_deadline = models.DateField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_note = BoundedTextField(_("ý kiến của lãnh đạo"), max_length=REMARK_CHARS, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} → {self.requested_deadline:%d/%m/%Y}"


# --- reminders ---------------------------------------------------------------------------


REMINDER_PERIODS_OVERLAP = _(
    "Đã có một quy tắc mã %(code)s áp dụng trong khoảng thời gian này: hãy ghi ngày kết thúc ở quy tắc cũ trước."
)


class ReminderRule(BaseModel):
    """When a reminder is due, kept as data an admin can change (see docs/REMINDERS.md).

    Each rule gives the first date it is due relative to a reference date: an assignment's
    deadline, the day a conference was held, or the day an opinion's conference was held.
    Rules of one track (`TRACKS`) compete: after downtime only the latest due rule of a
    track is sent for an item, never a backlog of stale ones."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Trước hạn")
        ON_DAY = "on_day", _("Đúng ngày đến hạn")
        OVERDUE = "overdue", _("Quá hạn")
        ESCALATE_LEADER = "escalate_leader", _("Báo lãnh đạo khi quá hạn")
        ESCALATE_MONITOR = "escalate_monitor", _("Báo MTTQ giám sát khi quá hạn")
        CONFERENCE_WITHOUT_NOTICE = "conference_without_notice", _("Hội nghị chưa có thông báo kết luận")
        OPINION_WITHOUT_OUTCOME = "opinion_without_outcome", _("Ý kiến chưa được phân loại xử lý")
        PETITION_BEFORE = "petition_before", _("Đơn thư sắp đến hạn thụ lý, giải quyết")
        PETITION_OVERDUE = "petition_overdue", _("Đơn thư quá hạn thụ lý, giải quyết")
        REOPENING_UNREVIEWED = "reopening_unreviewed", _("Ý kiến người dân mở lại chưa được xem xét")

    # Kinds that share a track: on one item only the latest due of them is sent.
    TRACKS = {
        Kind.BEFORE: "deadline",
        Kind.ON_DAY: "deadline",
        Kind.OVERDUE: "deadline",
        Kind.ESCALATE_LEADER: "leader",
        Kind.ESCALATE_MONITOR: "monitor",
        Kind.CONFERENCE_WITHOUT_NOTICE: "conference",
        Kind.OPINION_WITHOUT_OUTCOME: "opinion",
        Kind.PETITION_BEFORE: "petition_deadline",
        Kind.PETITION_OVERDUE: "petition_deadline",
        Kind.REOPENING_UNREVIEWED: "reopening",
    }
    ASSIGNMENT_KINDS = (Kind.BEFORE, Kind.ON_DAY, Kind.OVERDUE, Kind.ESCALATE_LEADER, Kind.ESCALATE_MONITOR)
    # When two rules of a track fall on the same day, the more urgent one wins.
    URGENCY = {kind: rank for rank, kind in enumerate(Kind)}

    code = models.SlugField(_("mã"), max_length=64)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices)
    days = models.PositiveSmallIntegerField(
        _("số ngày"),
        default=0,
        help_text=_(
            "Trước hạn: nhắc trước hạn bấy nhiêu ngày. Quá hạn: nhắc sau hạn bấy nhiêu ngày. "
            "Báo lãnh đạo, MTTQ: khi quá hạn hơn bấy nhiêu ngày. Hội nghị, ý kiến: bấy nhiêu ngày "
            "sau ngày tổ chức hội nghị."
        ),
    )
    counts_working_days = models.BooleanField(_("tính theo ngày làm việc"), default=False)
    repeat_every_days = models.PositiveSmallIntegerField(
        _("nhắc lại sau mỗi (ngày)"),
        null=True,
        blank=True,
        help_text=_("Để trống: chỉ nhắc một lần. 7: nhắc lại hằng tuần (ngày theo lịch)."),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)
    # Versions in time: a sweep applies the version in force on its day; a new version (same
    # code) starts the day after the old one ends.
    valid_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("áp dụng đến hết ngày"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-days", "code"]
        verbose_name = _("quy tắc nhắc việc")
        verbose_name_plural = _("quy tắc nhắc việc")
        constraints = [
            models.CheckConstraint(
                condition=Q(repeat_every_days__isnull=True) | Q(repeat_every_days__gt=0),
                name="reminder_rule_repeat_positive",
            ),
            models.UniqueConstraint(
                fields=["code", "valid_from"], nulls_distinct=False, name="reminder_rule_one_version_a_day"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if ReminderRule.objects.overlapping(self, code=self.code).exists():
            raise ValidationError(REMINDER_PERIODS_OVERLAP, params={"code": self.code})

    @property
    def track(self) -> str:
        return self.TRACKS[self.kind]

    def first_due(self, reference: date, shift_working_days) -> date:
        """The first day this rule is due for `reference`; `shift_working_days(day, n)` is the
        working-day arithmetic of core.calendar (passed in so a sweep loads the calendar once)."""
        offset = {
            self.Kind.BEFORE: -self.days,
            self.Kind.PETITION_BEFORE: -self.days,
            self.Kind.ON_DAY: 0,
            # "Overdue more than N days": due on the (N + 1)-th day after the deadline.
            self.Kind.ESCALATE_LEADER: self.days + 1,
            self.Kind.ESCALATE_MONITOR: self.days + 1,
        }.get(self.kind, self.days)
        if self.counts_working_days:
            return shift_working_days(reference, offset)
        return date.fromordinal(reference.toordinal() + offset)

    def latest_due(self, reference: date, today: date, shift_working_days) -> tuple[int, date] | None:
        """(occurrence, day) of the latest time this rule fell due on or before `today`, or None.
        Repeats count calendar days from the first time."""
        if self.kind in (self.Kind.BEFORE, self.Kind.PETITION_BEFORE) and today >= reference:
            return None  # "before the deadline" means nothing once the deadline has come
        first = self.first_due(reference, shift_working_days)
        if first > today:
            return None
        if not self.repeat_every_days:
            return 0, first
        occurrence = (today - first).days // self.repeat_every_days
        return occurrence, date.fromordinal(first.toordinal() + occurrence * self.repeat_every_days)


class ReminderLog(models.Model):
    """The sent-log, and the claim that makes every reminder go out exactly once.

    A sweep inserts one row per (item, rule, deadline, occurrence, recipient) with INSERT ...
    ON CONFLICT DO NOTHING, marked with its own `sweep_id`: only the rows it inserted are its
    to send. A changed deadline is a new key, so an extension starts its own reminders. When
    the mail of a recipient fails, `sweep_id` is cleared (released) and the next sweep takes
    the row over; a claim left unsent by a killed worker is taken over after a lease."""

    class Subject(models.TextChoices):
        ASSIGNMENT = "assignment", _("Việc được giao")
        CONFERENCE = "conference", _("Hội nghị")
        PETITION = "petition", _("Ý kiến")
        PETITION_DEADLINE = "petition_deadline", _("Thời hạn thụ lý, giải quyết đơn")
        REOPENING = "reopening", _("Ý kiến mở lại")

    subject_type = models.CharField(_("loại"), max_length=20, choices=Subject.choices)
    object_id = models.BigIntegerField(_("mã đối tượng"))
    rule = models.ForeignKey(
        ReminderRule, verbose_name=_("quy tắc"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(
        _("hạn (ngày mốc)"), help_text=_("Hạn của việc; với hội nghị và ý kiến: ngày tổ chức hội nghị.")
    )
    occurrence = models.PositiveSmallIntegerField(_("lần nhắc lại"), default=0)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField(_("ngày đến lượt nhắc"))
    sweep_id = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("nhận gửi lúc"))
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    email_sent = models.BooleanField(_("đã gửi thư"), default=False)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi thư"), default=0)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=255, blank=True)

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        verbose_name = _("nhật ký nhắc việc")
        verbose_name_plural = _("nhật ký nhắc việc")
        constraints = [
            # Field order serves the sweep's lookups by (subject_type, object_id, deadline).
            models.UniqueConstraint(
                fields=["subject_type", "object_id", "deadline", "rule", "occurrence", "recipient"],
                name="reminder_log_once",
            )
        ]
        indexes = [
            # A sweep reads back its claims recipient by recipient, item by item.
            models.Index(
                fields=["sweep_id", "recipient", "subject_type", "object_id"], name="reminder_log_sweep"
            ),
            models.Index(
                fields=["subject_type", "object_id"],
                name="reminder_log_unsent",
                condition=Q(sent_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_type_display()} #{self.object_id} – {self.rule_id} → {self.recipient_id}"


# --- answers ------------------------------------------------------------------------------


class AnswerVersion(BaseModel):
    """One "report done" of an assignment, kept for ever: the answer to the citizen as it was
    reported (text, files, who, when). A return keeps it with the reason and the next report
    is a new version; accepting makes it the official answer of every opinion the assignment
    answers (with the lead agency and the day). At most one version of an assignment is
    accepted. Versions are never edited: a decision only fills in its own columns once."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Chờ nghiệm thu")
        RETURNED = "returned", _("Bị trả lại")
        ACCEPTED = "accepted", _("Đã nghiệm thu – trả lời chính thức")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="answer_versions")
    number = models.PositiveSmallIntegerField(_("lần báo cáo"))
    text = BoundedTextField(_("văn bản trả lời người dân"), max_length=DOCUMENT_CHARS)
    # Empty only for the versions migrated from reports made before versions were kept.
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("báo cáo lúc"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    return_reason = BoundedTextField(_("lý do trả lại"), max_length=REMARK_CHARS, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("nghiệm thu/trả lại lúc"), null=True, blank=True)

    class Meta:
        ordering = ["assignment", "number"]
        verbose_name = _("lần trả lời")
        verbose_name_plural = _("các lần trả lời")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "number"], name="answer_version_number_unique"),
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(status="accepted"), name="answer_version_one_accepted"
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="answer_version_return_reason"
            ),
        ]
        indexes = [
            # The official answers (accepted) by the day they became official: dashboards, the
            # report-back section and the promise ledger.
            models.Index(
                fields=["decided_at"],
                include=["assignment"],
                condition=Q(status="accepted"),
                name="answer_version_official",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} v{self.number} – {self.get_status_display()}"

    @property
    def is_official(self) -> bool:
        return self.status == self.Status.ACCEPTED


def answer_file_path(instance: AnswerFile, filename: str) -> str:
    return f"answers/{instance.version.assignment_id}/{instance.version.number}/{filename}"


class AnswerFile(BaseModel):
    """A result file reported with an answer. The handler marks whether it may be published;
    the clerk (or leader) of the issuing side can withhold a publishable file, with a reason.
    A file is public when it is publishable, not withheld, its version is official and the
    opinion's kind lets the answer be public (petitions.Petition.answer_text_is_public)."""

    version = models.ForeignKey(AnswerVersion, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(
        _("tệp kết quả"), upload_to=answer_file_path, validators=[validate_upload], max_length=255
    )
    publishable = models.BooleanField(_("được công khai"), default=False)
    withheld_reason = BoundedTextField(_("lý do không công khai"), max_length=REMARK_CHARS, blank=True)
    withheld_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["version", "pk"]
        verbose_name = _("tệp kết quả trả lời")
        verbose_name_plural = _("tệp kết quả trả lời")

    def __str__(self) -> str:
        return self.filename

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def is_published(self) -> bool:
        return self.publishable and not self.withheld_reason
