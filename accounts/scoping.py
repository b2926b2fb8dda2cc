"""The one place where row-level visibility is decided.

Every model whose rows belong to an area uses a queryset derived from `ScopedQuerySet` and
names, in `scope_field`, the relation to the `OrgUnit` that owns the row (e.g. "host_area").
`visible_to(user)` then keeps the rows whose unit lies in the user's scope: their own area and
everything below it, plus the units their area succeeded (see `User.scope_paths`). Views get
objects through it, so an object outside the scope is simply not found (404).

Roles decide what a user may *do* (403 otherwise): see `accounts.permissions`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connections, models

if TYPE_CHECKING:
    from accounts.models import User


class ScopedQuerySet(models.QuerySet):
    # The relation from the row to its OrgUnit, "" for OrgUnit itself. A model may also set
    # `scope_field` on itself (as User does) when it cannot choose its queryset class freely.
    scope_field: str | None = None
    # The row's region column, where the model keeps one (core.migration_ops.RegionColumn,
    # PostgreSQL): a scope path of exactly one region (two segments: a province under the
    # national unit) is then `region_id = X`, an indexed equality that keeps the order of a
    # (region, date) index, instead of a join to the units and a prefix test on their paths.
    region_field: str | None = None

    def _scope_lookup(self) -> str:
        field = self.scope_field
        if field is None:
            field = getattr(self.model, "scope_field", None)
        if field is None:
            raise TypeError(f"{self.model.__name__} has no scope_field for visible_to()")
        return f"{field}__path__startswith" if field else "path__startswith"

    def visible_to(self, user: User):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser or user.sees_everything:
            return self
        paths = user.scope_paths
        if not paths:
            return self.none()
        lookup = self._scope_lookup()
        condition = models.Q()
        for path in paths:
            condition |= self._path_condition(lookup, path)
        return self.filter(condition)

    def _path_condition(self, lookup: str, path: str) -> models.Q:
        segments = path.split(".")[:-1]
        if self.region_field and len(segments) == 2 and connections[self.db].vendor == "postgresql":
            return models.Q(**{f"{self.region_field}_id": int(segments[1])})
        return models.Q(**{lookup: path})

    def editable_by(self, user: User):
        """What the user may change: what they see, if they hold a role that writes."""
        return self.visible_to(user) if user.is_authenticated and user.can_write else self.none()
