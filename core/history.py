"""A record's change history for its page (issue 19, trap 11): who, when, and what changed,
read from django-simple-history's table of the record. The caller has already decided that
the user may see the record (its page's scoping): the history shows nothing more than it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils.text import Truncator

HISTORY_LIMIT = 30
# Bookkeeping the reader does not need to see as a change.
HIDDEN_FIELDS = {"updated_at", "created_at", "search_text", "search_words"}


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[tuple[str, str]] = field(default_factory=list)  # (field label, new value)


def _shown(value, model_field: models.Field | None) -> str:
    if value in (None, ""):
        return "—"
    if model_field is not None and model_field.choices:
        value = dict(model_field.flatchoices).get(value, value)  # "Đã ban hành", not "issued"
    return Truncator(str(value)).chars(80)


def _changes(newer, older, fields: dict) -> list[tuple[str, str]]:
    """(field's name, new value shown) for what a later version changed, hidden fields aside."""
    return [
        (
            str(fields[change.field].verbose_name) if change.field in fields else change.field,
            _shown(change.new, fields.get(change.field)),
        )
        for change in newer.diff_against(older).changes
        if change.field not in HIDDEN_FIELDS
    ]


def record_history(instance: models.Model, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """Newest first. One query: the versions with their authors; changes are the differences
    between consecutive versions, computed in memory."""
    versions = list(
        instance.history.select_related("history_user").order_by("-history_date", "-pk")[: limit + 1]
    )
    fields = {f.attname: f for f in instance._meta.concrete_fields}
    fields.update({f.name: f for f in instance._meta.concrete_fields})
    entries = []
    for newer, older in zip(versions[:limit], [*versions[1:], None], strict=False):
        who = newer.history_user.get_full_name() if newer.history_user else ""
        entry = HistoryEntry(when=newer.history_date, who=who, kind=newer.history_type)
        if older is not None and newer.history_type == "~":
            entry.changes = _changes(newer, older, fields)
        entries.append(entry)
    return entries
