"""One-time submission of create forms: Back, then save again, must not save twice.

Every create form carries a fresh token ({% once_token %} from core/templatetags/once.py).
The view, wrapped in @submit_once, claims the token by inserting it as a primary key in the
same transaction as what the view saves:

- the first submission inserts it, runs the view and remembers where it led (its redirect);
- a second submission of the same rendered form (browser Back, a double click, a resent
  request) finds the token taken and is sent where the first one led, with a message saying
  nothing was saved again; at the same moment, its insert waits for the first to commit;
- a submission that saved nothing (a form error, an error message) is rolled back with its
  claim, so the clerk can correct the form and send it again.

A POST without a token (an API client, a script) is served as before: the token protects
what a browser renders, it is not a permission."""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import FormSubmission

TOKEN_FIELD = "_once"
ALREADY_SUBMITTED = _(
    "Biểu mẫu này đã được gửi và lưu trước đó (có thể do bấm Quay lại rồi Lưu lần nữa): "
    "không lưu thêm lần nào. Đây là kết quả của lần lưu trước."
)
ALREADY_IN_PROGRESS = _("Biểu mẫu này đã được gửi, không lưu thêm lần nào.")
REDIRECT_CODES = (301, 302, 303)


def new_token() -> str:
    return str(uuid.uuid4())


def _token_of(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(TOKEN_FIELD, ""))
    except ValueError:
        return None


class _NothingSavedError(Exception):
    """Carries a response that saved nothing out of the transaction, rolling back the claim."""

    def __init__(self, response):
        super().__init__()
        self.response = response


def _error_added(request, before: int) -> bool:
    """Did the view add an error message? Some POST handlers (the assignment page's forms)
    redirect back with an error instead of re-rendering: that is not a saved submission."""
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    return any(message.level >= messages.ERROR for message in queued[before:])


def _queued_count(request) -> int:
    return len(getattr(getattr(request, "_messages", None), "_queued_messages", []))


def _replay(request, token: uuid.UUID):
    earlier = FormSubmission.objects.filter(token=token, user=request.user).first()
    if earlier is None or not earlier.result_url:
        messages.warning(request, ALREADY_IN_PROGRESS)
        return redirect(request.get_full_path())
    messages.info(request, ALREADY_SUBMITTED)
    return redirect(earlier.result_url)


def submit_once(view):
    """Decorate a view whose POST creates something and redirects when it has saved."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = _token_of(request) if request.method == "POST" else None
        if token is None:
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        claim = FormSubmission.objects.create(
                            token=token, user=request.user, path=request.path[:500]
                        )
                except IntegrityError:
                    claim = None
                if claim is None:
                    return _replay(request, token)
                before = _queued_count(request)
                response = view(request, *args, **kwargs)
                if response.status_code not in REDIRECT_CODES or _error_added(request, before):
                    raise _NothingSavedError(response)
                claim.result_url = response["Location"][:500]
                claim.save(update_fields=["result_url"])
                return response
        except _NothingSavedError as nothing:
            return nothing.response

    return wrapper


def form_submissions_prune(*, older_than: timedelta | None = None) -> int:
    """Forget the claims older than FORM_SUBMISSION_KEEP_DAYS (or `older_than`): a token only
    matters while a browser can still send its form again (Back, a resent request), and the
    table would otherwise keep one row for every form ever saved. One indexed DELETE; a form
    older than that, sent again, is saved like a new one. Returns the number removed."""
    if older_than is None:
        older_than = timedelta(days=settings.FORM_SUBMISSION_KEEP_DAYS)
    removed, _per_model = FormSubmission.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return removed
