from __future__ import annotations

from datetime import datetime
from functools import cache

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator
from django.db import connections, models
from django.db.models import Func, Lookup, Q
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import SEARCH_WORD_INDEXED_LENGTH, fold, search_terms


class BaseModel(models.Model):
    """Every domain model: creation and change times, and a full change history
    (who, when, what) through django-simple-history."""

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):  # noqa: N802 (Django's name: get_<field>_display)
        """As Django's, with the labels looked up in a dict built once per field: Django's
        builds it on every call and hashes each lazy label on the way, which translates it
        (a list page's 25 rows showing two choice fields: ~500 translations)."""
        value = getattr(self, field.attname)
        return force_str(_choice_labels(field).get(make_hashable(value), value), strings_only=True)


@cache
def _choice_labels(field: models.Field) -> dict:
    # The values are hashed, not the labels: those stay lazy, translated when shown.
    return {make_hashable(value): label for value, label in field.flatchoices}


class SearchQuerySet(models.QuerySet):
    def search(self, query: str | None):
        """Accent-free search: every folded word of the query must occur in `search_text`.

        `contains` on an already folded, lower-case column is a plain LIKE, which the trigram
        index serves on PostgreSQL (see core.migration_ops.TrigramIndex)."""
        queryset = self
        for term in search_terms(query):
            queryset = queryset.filter(search_text__contains=term)
        return queryset

    def narrowed_by_words(self, query: str | None):
        """The same rows, with a condition the word index of a large table answers, for a
        search whose words are rare (core.pagination.fetch_search_page): the trigram index
        intersects posting lists of trigrams that most rows hold ("ong", "uon": 25 ms for
        "den duong" over two million opinions, which match none), the word index those of
        the whole words containing each query word, which the dictionary (SearchWord) lists.
        A superset of the search's rows (words are cut in the index), which the search's LIKE
        conditions make exact. No row can match a query word that no word contains: that
        answers at once. Unchanged on other databases and tables, or when a query word is in
        too many words to be worth it."""
        if not (
            getattr(self.model, "search_word_index", False) and connections[self.db].vendor == "postgresql"
        ):
            return self
        queryset, narrowed = self, set()
        for term, words in SearchWord.containing(search_terms(query), using=self.db).items():
            if words == []:
                return self.none()
            if words is not None:
                # The words as the index keeps them (cut), in the index's own expression.
                indexed = sorted({word[:SEARCH_WORD_INDEXED_LENGTH] for word in words})
                queryset = queryset.alias(search_words=SearchWords("search_text"))
                queryset = queryset.filter(search_words__overlap=indexed)
                narrowed.add(term)
        return queryset._likes_off_the_trigram_index(narrowed) if narrowed else queryset

    def _likes_off_the_trigram_index(self, terms: set[str]):
        """The LIKE conditions of `terms` (words the word index answers) tested on the rows
        the word index gives, not ANDed in from the trigram index: the planner takes the
        trigram index for narrowing them further, so it intersected the two and rechecked
        every condition on each row, the word index's function included ("den duong", 610
        matches in two million opinions: 6 ms of word index, 23 ms of trigrams, 42 ms of
        rechecks, 83 ms in all; 11.5 ms without the trigrams). The rows are the same: a row
        holding a whole word that contains the query word is what its LIKE finds, and the
        LIKE still decides. The other words' LIKEs keep the trigram index."""
        queryset = self.all()
        where = queryset.query.where
        if where.connector == "AND" and not where.negated:
            where.children = [
                type(condition)(NotIndexed(condition.lhs), condition.rhs)
                if searches_text(condition, self.model) and condition.rhs in terms
                else condition
                for condition in where.children
            ]
        return queryset


class NotIndexed(Func):
    """A text column as an expression no index is built on (`column || ''`, the same value),
    for a condition that must be tested on the rows other conditions give, not looked up."""

    template = "(%(expressions)s || '')"
    output_field = models.TextField()


def searches_text(condition, model) -> bool:
    """Whether a condition of a query's WHERE is a search's test of `search_text` (as
    SearchQuerySet.search writes them: a lookup on the column of `model` or of a parent)."""
    target = getattr(getattr(condition, "lhs", None), "target", None)
    return (
        isinstance(condition, Lookup)
        and target is not None
        and target.name == "search_text"
        and (target.model is model or issubclass(model, target.model))
    )


class SearchWords(Func):
    """The distinct words of a `search_text`, each cut to SEARCH_WORD_INDEXED_LENGTH: the
    expression of the word index (a PostgreSQL function, core.migration_ops)."""

    function = "core_search_words"
    output_field = ArrayField(models.TextField())


# A query word found in more dictionary words than this (a syllable like "an", or digits) is
# left to the LIKE alone: an index condition naming thousands of words would cost more.
SEARCH_WORDS_PER_TERM = 500


class SearchWord(models.Model):
    """A word of some row's folded `search_text` (PostgreSQL): the dictionary that turns a
    query word into the whole words containing it, for the word indexes of large tables.

    Database triggers add the words of every row written to an indexed table, however it is
    written (core.migration_ops.SearchWordIndex); words are never removed (one no row holds
    any more costs nothing but a lookup). No unique constraint on purpose: two transactions
    adding the same new word would wait on each other, or deadlock; the trigger skips known
    words, and a duplicate from a race is harmless (read with DISTINCT)."""

    word = models.TextField()

    class Meta:
        verbose_name = _("từ tìm kiếm")
        verbose_name_plural = _("từ tìm kiếm")

    def __str__(self) -> str:
        return self.word

    @classmethod
    def containing(cls, terms: list[str], *, using: str = "default") -> dict[str, list[str] | None]:
        """The known words containing each term, in one query; None for a term found in too
        many words to be worth it, or shorter than a trigram (the dictionary's own index
        cannot serve it). PostgreSQL only (the word indexes are)."""
        found: dict[str, list[str] | None] = dict.fromkeys(terms)
        looked_up = [term for term in dict.fromkeys(terms) if len(term) >= 3]
        if not looked_up:
            return found
        connection = connections[using]
        # LIKE '%term%' as the ORM's `word__contains` writes it (the term's own % _ \ escaped),
        # served by the dictionary's trigram index for each term in turn. Written as SQL: the
        # same statement built from one queryset per term and their UNION took ~1.5 ms of
        # Python on every search of a large list, longer than the lookup itself (0.7 ms).
        patterns = [f"%{connection.ops.prep_for_like_query(term)}%" for term in looked_up]
        sql = (
            "SELECT term.number, known.word"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS term (pattern, number)"
            " CROSS JOIN LATERAL ("
            f"  SELECT DISTINCT word FROM {connection.ops.quote_name(cls._meta.db_table)}"
            "   WHERE word LIKE term.pattern LIMIT %s"
            " ) AS known"
        )
        words: dict[int, list[str]] = {number: [] for number in range(1, len(looked_up) + 1)}
        with connection.cursor() as cursor:
            cursor.execute(sql, [patterns, SEARCH_WORDS_PER_TERM + 1])
            for number, word in cursor.fetchall():
                words[number].append(word)
        for number, term in enumerate(looked_up, start=1):
            found[term] = None if len(words[number]) > SEARCH_WORDS_PER_TERM else words[number]
        return found


class SearchableModel(models.Model):
    """A model with a folded `search_text` column, refilled on every save.

    Subclasses list what is searched in `search_source()`. Bulk inserts must call
    `refresh_search_text()` themselves because `bulk_create` skips `save()`."""

    search_text = models.TextField(editable=False, default="", blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def search_source(self) -> list[str | None]:
        raise NotImplementedError

    def refresh_search_text(self) -> None:
        self.search_text = fold(" ".join(part for part in self.search_source() if part))


class ValidityQuerySet(models.QuerySet):
    """Rows that are versions in time (`valid_from`, `valid_to`, either open)."""

    def in_force_on(self, day):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def in_force_between(self, first, last):
        """The versions in force on some day of [first, last] (None: open)."""
        rows = self
        if last is not None:
            rows = rows.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last))
        if first is not None:
            rows = rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        return rows

    def overlapping(self, version, **same):
        """The other versions of the same thing (`same`: the fields that name it, a code) in
        force on some day of `version`'s period: a model's clean() refuses them, so that a
        date has one version in force."""
        return (
            self.filter(**same).exclude(pk=version.pk).in_force_between(version.valid_from, version.valid_to)
        )


class CalendarOverride(BaseModel):
    """A day the government swapped: a weekday off or a Saturday worked (see core.calendar)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ thêm")
        WORKING_DAY = "working_day", _("Ngày làm việc bù")

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    note = models.CharField(
        _("căn cứ"), max_length=255, blank=True, help_text=_("Ví dụ: Thông báo 6150/TB-BLĐTBXH")
    )

    class Meta:
        ordering = ["-day"]
        verbose_name = _("ngày nghỉ/làm bù")
        verbose_name_plural = _("ngày nghỉ/làm bù")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} – {self.get_kind_display()}"


def export_file_path(instance: ExportJob, filename: str) -> str:
    return f"exports/{instance.created_at or timezone.now():%Y/%m}/{instance.pk}-{filename}"


class ExportJobQuerySet(models.QuerySet):
    def owned_by(self, user):
        """Export files are personal: only the user who asked for one sees or downloads it."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(requested_by=user)

    def expired(self, before: datetime):
        """Finished (done or failed) before `before`: the periodic cleanup removes them."""
        return self.filter(status__in=ExportJob.FINISHED_STATUSES, finished_at__lt=before)

    def stalled(self, before: datetime):
        """Running since before `before`: the worker was killed mid-way (tasks are acked late,
        but a file half written is not resumed)."""
        return self.filter(status=ExportJob.Status.RUNNING, started_at__lt=before)


class ExportJob(models.Model):
    """A file built in the background (core.exports): a large statistics workbook, a list of
    opinions or assignments. Infrastructure, not a domain record: no change history, because
    its progress is rewritten many times while it runs."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Bị lỗi")

    FINISHED_STATUSES = (Status.DONE, Status.FAILED)
    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    kind = models.CharField(_("loại"), max_length=100)
    title = models.CharField(_("tên tệp"), max_length=255)
    parameters = models.JSONField(_("tham số"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    rows_total = models.PositiveIntegerField(_("tổng số dòng"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    file = models.FileField(_("tệp"), upload_to=export_file_path, blank=True, max_length=255)
    filename = models.CharField(_("tên tệp tải về"), max_length=255, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tệp xuất")
        verbose_name_plural = _("tệp xuất")
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="exportjob_owner_created"),
            models.Index(fields=["status", "finished_at"], name="exportjob_status_finished"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="exportjob_progress_max_100"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED_STATUSES

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)


class FormSubmission(models.Model):
    """One rendered create form, claimed when it is first submitted (core.once).

    The token is the primary key: a second submission of the same form (Back, then save
    again; a double click; a resent request) cannot claim it twice, even at the same moment,
    and is shown where the first one led instead of saving a duplicate."""

    token = models.UUIDField(_("mã biểu mẫu"), primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(_("trang"), max_length=500)
    result_url = models.CharField(_("kết quả"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lần gửi biểu mẫu")
        verbose_name_plural = _("lần gửi biểu mẫu")
        indexes = [models.Index(fields=["created_at"], name="formsubmission_created")]

    def __str__(self) -> str:
        return f"{self.path} ({self.token})"
