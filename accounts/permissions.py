"""What a user may do, by role. Which rows they may see is decided in accounts.scoping."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.models import Role


def role_required(*roles: Role) -> Callable:
    """Log in first; then a user holding none of `roles` gets 403 (superusers pass)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


ANY_ROLE = tuple(Role)
staff_required = role_required(*ANY_ROLE)


def acts_for_area(user, area, *roles: Role) -> bool:
    """The user holds one of `roles` (superusers pass, as with role_required) and `area` lies
    within the user's scope: who answers for what is done in an area (accept or return its
    assignments, answer a supervision remark)."""
    holds_role = user.has_role(*roles)
    return holds_role and any(area.path.startswith(path) for path in user.scope_paths)
