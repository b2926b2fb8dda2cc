from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from accounts.models import Notification, User


def notifications_send(*, recipients: Iterable[User], text: str, url: str = "") -> int:
    """One in-app notification per distinct active recipient; returns how many were made."""
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    Notification.objects.bulk_create(
        Notification(recipient=user, text=text[:500], url=url) for user in unique.values()
    )
    return len(unique)


@transaction.atomic
def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
