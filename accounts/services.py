import logging
import re
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts import staff_excel
from accounts.bodies import standard_bodies
from accounts.models import Notification, OrgUnit, User
from core.text import fold


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


# --- Agencies and staff from Excel (accounts.staff_excel) -------------------------------------

logger = logging.getLogger(__name__)
IMPORT_NOT_VALID = _("Tệp còn dòng lỗi: không lưu gì.")
ACCOUNT_MAIL_SUBJECT = _("Tài khoản của bạn trên hệ thống Đối thoại")


@dataclass
class NewAccount:
    user: User
    link: str  # the one-time link that sets the first password
    emailed: bool = False


@dataclass
class StaffImportOutcome:
    bodies_created: int = 0
    bodies_updated: int = 0
    people_updated: int = 0
    new_accounts: list[NewAccount] = field(default_factory=list)

    @property
    def links_to_print(self) -> list[NewAccount]:
        return [account for account in self.new_accounts if not account.emailed]


def password_set_path(user: User) -> str:
    """A link valid until the password is set (the token hashes the current password) or
    PASSWORD_RESET_TIMEOUT passes: Django's password-reset token."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:password_set", args=[uid, default_token_generator.make_token(user)])


@transaction.atomic
def staff_import(*, result: staff_excel.StaffImport, by: User, site_url: str) -> StaffImportOutcome:
    """Save a checked file: all of it or (on any error) nothing. Bodies first, so that people
    can be placed in the bodies of the same file."""
    if not result.is_valid:
        raise ValidationError(IMPORT_NOT_VALID)
    outcome = StaffImportOutcome()
    created_bodies: dict[tuple[int, str], OrgUnit] = {}
    for row in result.bodies:
        created_bodies[(row.area.pk, fold(row.values["name"]))] = _body_save(row, outcome)
    agencies = {
        (unit.area_id, fold(unit.name)): unit
        for unit in OrgUnit.objects.bodies().filter(
            area__in={row.area for row in result.people}, valid_to__isnull=True
        )
    } | created_bodies
    taken: set[str] = set()
    for row in result.people:
        user = _person_save(row, agencies[(row.area.pk, fold(row.values["agency"]))], taken)
        if row.existing is not None:
            outcome.people_updated += 1
        else:
            outcome.new_accounts.append(
                NewAccount(user=user, link=site_url.rstrip("/") + password_set_path(user))
            )
    return outcome


def _body_save(row, outcome: StaffImportOutcome) -> OrgUnit:
    body = row.existing
    if body is None:
        outcome.bodies_created += 1
        return OrgUnit.objects.create(
            parent=row.area, name=row.values["name"], kind=row.kind, symbol=row.values["symbol"]
        )
    if (body.kind, body.symbol) != (row.kind, row.values["symbol"]):
        body.kind, body.symbol = row.kind, row.values["symbol"]
        body.save()
        outcome.bodies_updated += 1
    return body


def _person_save(row, agency: OrgUnit, taken: set[str]) -> User:
    user = row.existing or User(username=_free_username(row, taken))
    user.full_name = row.values["full_name"]
    user.title = row.values["title"]
    user.phone = row.values["phone"]
    user.agency = agency
    if row.values["email"]:
        user.email = row.values["email"]
    for role, field_name in User._ROLE_FIELDS.items():
        setattr(user, field_name, role in row.roles)
    if user.pk is None:
        user.set_unusable_password()  # the person sets it through the one-time link
    user.save()
    return user


def _free_username(row, taken: set[str]) -> str:
    """The username written in the file, else the e-mail's local part, else the folded name;
    a number is added until it is free."""
    base = row.values["username"] or row.values["email"].split("@", 1)[0] or fold(row.values["full_name"])
    base = re.sub(r"[^a-z0-9.@+_-]", "", fold(base).replace(" ", ".")) or "canbo"
    candidate, number = base[:140], 1
    while candidate in taken or User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base[:140]}{number}"
    taken.add(candidate)
    return candidate


def new_accounts_mail(*, accounts: list[NewAccount]) -> None:
    """One e-mail per new account that has an address, sent once the import is committed (the
    caller runs it after `staff_import` returns). A mail server that is down leaves `emailed`
    false, so the page lists that link to print instead."""
    for account in accounts:
        user = account.user
        if not user.email:
            continue
        body = render_to_string("accounts/email/new_account.txt", {"user": user, "link": account.link})
        try:
            send_mail(str(ACCOUNT_MAIL_SUBJECT), body, None, [user.email])
        except (OSError, smtplib.SMTPException):
            logger.warning("Account e-mail to %s failed", user.username, exc_info=True)
            continue
        account.emailed = True


# --- First run (manage.py setup_office) --------------------------------------------------------


@transaction.atomic
def area_bodies_ensure(*, area: OrgUnit) -> int:
    """Give an area the standard bodies of a ward or commune since 1/7/2025 (Party committee,
    People's Council and Committee, Fatherland Front, offices, police) that it lacks, by kind
    and name; returns how many were made. Bodies an office named otherwise are left alone."""
    existing = {
        (unit.kind, fold(unit.name))
        for unit in OrgUnit.objects.bodies().filter(area=area, valid_to__isnull=True)
    }
    kinds = {kind for kind, _name in existing}
    created = 0
    for kind, name, symbol in standard_bodies(area):
        # One of each governing body: a renamed People's Committee is still the committee.
        if (kind, fold(name)) in existing or (kind != OrgUnit.Kind.SPECIALISED_OFFICE and kind in kinds):
            continue
        OrgUnit.objects.create(parent=area, name=name, kind=kind, symbol=symbol)
        created += 1
    return created


@transaction.atomic
def office_admin_ensure(
    *, area: OrgUnit, username: str, full_name: str, email: str, password: str | None
) -> User:
    """The area's first admin, in its office (Văn phòng HĐND và UBND, else the People's
    Committee). Run again, it updates the same account; a password is set only when given."""
    bodies = OrgUnit.objects.bodies().filter(area=area, valid_to__isnull=True)
    agency = (
        bodies.filter(kind=OrgUnit.Kind.SPECIALISED_OFFICE, symbol="VP").first()
        or bodies.filter(kind=OrgUnit.Kind.PEOPLES_COMMITTEE).first()
    )
    if agency is None:
        raise ValidationError(_("Địa bàn chưa có Ủy ban nhân dân để đặt tài khoản quản trị."))
    user = User.objects.filter(username=username).first() or User(username=username)
    if user.pk and user.agency_id and user.area != area:
        raise ValidationError(_("Tên đăng nhập này đã dùng ở một địa bàn khác."))
    user.full_name, user.agency, user.is_sysadmin = full_name, agency, True
    if email:
        user.email = email
    if password:
        user.set_password(password)
    elif user.pk is None:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user
