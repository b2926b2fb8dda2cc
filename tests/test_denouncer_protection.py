"""A denouncer's identity never reaches anyone but the people handling the case and their
leader: not in lists, search, exports, dashboards, the API, PDFs, notifications or public
pages. (Issue 8, "Protection of denouncers".)

The pages are not listed by hand: every named URL pattern of the project is found through
the URL resolver, its arguments filled from the objects of this test's data, and the links
of the pages fetched are followed, so a page added later (the dashboards under /theo-doi/,
say) is covered without touching this test. A pattern is skipped only when it cannot be
reached with a GET (405) or when no object of the data fits its arguments (NoReverseMatch).
"""

from __future__ import annotations

import html
import io
import itertools
import json
import logging
import re
import shutil
import subprocess
import tempfile
import zipfile
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from accounts.models import Notification, OrgUnit, Role
from conclusions import services as conclusion_services
from conclusions.models import ProgressUpdate
from petitions import services
from petitions.models import IdentityDisclosure
from tests.conclusions.helpers import draft_notice, held_conference, leader_of
from tests.conftest import data_shared_by_the_module
from tests.factories import OrgUnitFactory, UserFactory, petition_for, ward_with_bodies
from tests.petitions.written_helpers import DENOUNCER, clerk_of, denunciation

# One worker takes the whole module (`make test`'s --dist loadgroup): its data and the
# superuser's answers (~18 s) are then built once rather than in each worker.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("denouncer"),
]

# Every piece of the identity: name, address, phone, identity number.
SECRETS = (DENOUNCER, "Số 9 ngõ Bí Mật", "0987000111", "001099900001")
MAX_PAGES_PER_USER = 400  # start URLs always; followed links up to this
NOT_FOLLOWED = ("/i18n/", "/static/", "/tai-khoan/dang-xuat/")


# --- the URLs -------------------------------------------------------------------------------


def named_patterns(patterns=None, namespaces=(), params=frozenset()):
    """(name with namespaces, argument names) of every named pattern of the project."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        groups = frozenset(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from named_patterns(pattern.url_patterns, inner, params | groups)
        elif pattern.name:
            yield ":".join((*namespaces, pattern.name)), params | groups


def candidates_for(argument: str, ids: list[int], code: str) -> list[str]:
    if argument == "format":
        return ["json"]
    if argument == "app_label":
        return [config.label for config in apps.get_app_configs()]
    if argument == "pk" or argument.endswith(("_pk", "_id")):
        return [str(pk) for pk in ids]
    return [code, *map(str, ids)]


def reachable_urls(ids: list[int], code: str) -> list[str]:
    urls = set()
    for name, arguments in named_patterns():
        arguments = sorted(arguments)
        choices = [candidates_for(argument, ids, code) for argument in arguments]
        for values in itertools.islice(itertools.product(*choices), 2000):
            try:
                urls.add(reverse(name, kwargs=dict(zip(arguments, values, strict=True))))
            except NoReverseMatch:
                continue
    return sorted(urls)


# --- what a response says -------------------------------------------------------------------


def readable(response) -> str:
    """The text of a page, a JSON answer, an Excel export or a PDF."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if body.startswith(b"PK\x03\x04"):  # xlsx, docx: XML inside a zip
        # Read as characters: with lxml installed (pyHanko brings it) openpyxl writes Vietnamese
        # letters as character references (&#7841;), which a search of the raw XML would miss.
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            raw = " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
        return html.unescape(raw)
    if body.startswith(b"%PDF"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(body)
            pdf.flush()
            return subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, text=True).stdout
    text = body.decode("utf-8", "replace")
    if "json" in kind:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def leaks(text: str) -> list[str]:
    folded = " ".join(text.split()).casefold()
    return [secret for secret in SECRETS if secret.casefold() in folded]


LINK = re.compile(r"""href=["']([^"'#]+)""")


def links_of(text: str) -> set[str]:
    found = set()
    for href in LINK.findall(text):
        href = href.replace("&amp;", "&")
        parts = urlsplit(href)
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if not url.startswith(NOT_FOLLOWED):
            found.add(url)
    return found


def crawl(
    client: Client, start: list[str], known: dict | None = None
) -> tuple[dict[str, list[str]], list[str]]:
    """GET every start URL and the links of the pages it returns (one level: lists link to
    their filtered views, pages and details); {url: leaked secrets}, errors. `known`: this
    client's answers already fetched, by URL (each read once)."""
    seen, found, errors = set(), {}, []
    queue = [(url, 0) for url in start]
    known = dict(known or {})
    while queue:
        url, depth = queue.pop(0)
        if url in seen or (depth and len(seen) >= MAX_PAGES_PER_USER):
            continue
        seen.add(url)
        response = known.pop(url, None)
        if response is None:
            response = client.get(url)
        if response.status_code >= 500:
            errors.append(url)
            continue
        if response.status_code != 200:
            continue
        text = readable(response)
        if leaked := leaks(text):
            found[url] = leaked
        if depth == 0 and "html" in response.get("Content-Type", ""):
            queue.extend((link, 1) for link in links_of(text) if link not in seen)
    return found, errors


# --- the data -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def case(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module (the tests only read it; what each adds is rolled back):
    a denunciation by letter (accepted, assigned, with a scan and a progress report, from a
    citizen reception) and one raised at a conference whose notice is issued."""
    files = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        STORAGES={**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with files:
        yield from data_shared_by_the_module(django_db_blocker, build_case)


def build_case() -> dict:
    city = OrgUnitFactory(name="Thành phố Hà Nội", kind="city", symbol="TP")
    built = case_in(ward_with_bodies(city, "Bồ Đề"), ward_with_bodies(city, "Cầu Giấy"))
    # Mail sent while the case was built is checked by the crawler too (pytest-django empties
    # the outbox before each test).
    built["mail"] = list(mail.outbox)
    return built


def case_in(ward, other_ward) -> dict:
    city = ward.parent
    office = OrgUnitFactory(
        parent=ward, name="Phòng Kinh tế, Hạ tầng và Đô thị", kind=OrgUnit.Kind.SPECIALISED_OFFICE
    )
    city_committee = OrgUnitFactory(parent=city, name="UBND Thành phố", kind=OrgUnit.Kind.PEOPLES_COMMITTEE)
    city_front = OrgUnitFactory(parent=city, name="Ủy ban MTTQ Thành phố", kind=OrgUnit.Kind.FATHERLAND_FRONT)
    clerk, leader = clerk_of(ward), leader_of(ward)
    investigator = UserFactory(agency=office, is_handler=True, full_name="Cán bộ xác minh")
    session = services.reception_create(
        area=ward, by=clerk, held_on=date(2026, 2, 6), receiving_leader=leader
    )
    letter = denunciation(ward, clerk, channel="reception")
    letter.reception = session
    letter.save()
    services.petition_attach(petition=letter, by=clerk, file=ContentFile(b"%PDF-1.4 scan", name="don.pdf"))
    services.petition_accept(petition=letter, by=clerk, accepted_on=date(2026, 2, 13), complexity="complex")
    assignment = conclusion_services.petition_assignment_add(
        petition=letter,
        by=clerk,
        task="Xác minh nội dung tố cáo",
        lead_agency=office,
        responsible_person=investigator,
    )
    # The case files name the denouncer, as real ones do: the report, its evidence, the answer.
    ProgressUpdate.objects.create(
        assignment=assignment,
        author=investigator,
        text=f"Đã làm việc với người tố cáo {DENOUNCER} tại trụ sở",
        evidence=ContentFile(
            f"Biên bản làm việc với {DENOUNCER}, {SECRETS[1]}".encode(), name="bien-ban.txt"
        ),
    )
    assignment.answer_to_citizen = f"Kính gửi {DENOUNCER}: kết quả xác minh như sau"
    assignment.save(update_fields=["answer_to_citizen"])
    conference = held_conference(ward, 1)
    spoken = petition_for(
        conference,
        kind="to_cao",
        petitioner_name=DENOUNCER,
        petitioner_address=SECRETS[1],
        petitioner_phone=SECRETS[2],
    )
    notice = draft_notice(ward, clerk, conference=conference, signer=leader)
    conclusion_services.assignment_add(
        notice=notice, by=clerk, item=notice.items.first(), task="Trả lời ý kiến", lead_agency=office,
        petitions=list(conference.petitions.all()),
        deadline=conclusion_services.DeadlineSpec(rule="date", on=date(2026, 12, 31)),
    )  # fmt: skip
    notice = conclusion_services.notice_issue(notice=notice, by=leader, issued_on=date(2026, 10, 5))
    from conclusions.pdf import notice_pdf_store

    notice_pdf_store(notice=notice)
    others = {
        "ward monitor": UserFactory(agency=ward.bodies["MTTQ"], is_monitor=True),
        "handler of another agency": UserFactory(agency=ward.bodies["MTTQ"], is_handler=True),
        "ward admin": UserFactory(agency=ward.bodies["UBND"], is_sysadmin=True),
        "clerk of another ward": clerk_of(other_ward),
        "leader of another ward": leader_of(other_ward),
        "city clerk": UserFactory(agency=city_committee, is_clerk=True),
        "city leader": UserFactory(agency=city_committee, is_leader=True),
        "city monitor": UserFactory(agency=city_front, is_monitor=True),
        "city admin": UserFactory(agency=city_committee, is_sysadmin=True),
        "superuser": UserFactory(agency=city_committee, is_superuser=True),
    }
    ids = sorted(
        {letter.pk, spoken.pk, session.pk, assignment.pk, notice.pk, conference.pk, ward.pk, office.pk,
         investigator.pk, letter.attachments.get().pk, ProgressUpdate.objects.get().pk, notice.items.first().pk}
    )  # fmt: skip
    return {"letter": letter, "clerk": clerk, "leader": leader, "investigator": investigator,
            "others": others, "ids": ids, "assignment": assignment}  # fmt: skip


def login(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# Everyone but those handling the case: case_in() makes one user of each; "the public" is
# not logged in. One test each, so that the roles share the work of two processes.
OTHER_ROLES = (
    "ward monitor", "handler of another agency", "ward admin", "clerk of another ward", "leader of another ward",
    "city clerk", "city leader", "city monitor", "city admin", "superuser", "the public",
)  # fmt: skip
NEEDS_PDFTOTEXT = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) reads the PDFs"
)


@pytest.fixture(scope="module")
def pages(case, django_db_blocker) -> dict:
    """What exists, fetched once for the module: a superuser passes every role and scope
    check, so a URL that does not answer them with a page (an id of another model: 404, or
    the admin's redirect) does not answer anyone with one, and need not be fetched for each
    role. {"urls": every URL filled from the data, "responses": the superuser's answers}."""
    quiet = logging.getLogger("django.request")
    level, quiet.level = quiet.level, logging.CRITICAL  # hundreds of 403/404/405 lines
    cache.clear()  # the public tracking page's rate limit counts in it (each test starts with it empty too: tests/conftest.py)
    try:
        with django_db_blocker.unblock():
            urls = reachable_urls(case["ids"], case["letter"].tracking_code)
            superuser = login(case["others"]["superuser"])
            responses = {url: superuser.get(url) for url in urls}
    finally:
        quiet.level = level
    existing = [url for url, response in responses.items() if response.status_code == 200]
    return {"urls": urls, "responses": responses, "existing": existing}


def test_those_handling_the_case_see_the_denouncer_and_it_is_logged(case, pages):
    """The check of the crawl below can fail: the identity is on pages those handling the
    case reach, each display logged; and the crawl starts from every page there is."""
    assert set(OTHER_ROLES) == {*case["others"], "the public"}
    assert len(pages["urls"]) > 100  # the resolver was walked, not a handful of pages
    assert len(pages["existing"]) > 100
    errors = [url for url, response in pages["responses"].items() if response.status_code >= 500]
    assert errors == []  # a page answering 500 would hide a leak (and is a bug of its own)
    clerk_page = login(case["clerk"]).get(reverse("petitions:handle", args=[case["letter"].pk]))
    assert DENOUNCER in clerk_page.content.decode()
    handler_page = login(case["investigator"]).get(reverse("petitions:detail", args=[case["letter"].pk]))
    assert DENOUNCER in handler_page.content.decode()
    evidence = reverse("conclusions:evidence", args=[ProgressUpdate.objects.get().pk])
    assert DENOUNCER in readable(login(case["leader"]).get(evidence))  # a case file, downloaded
    assignment_page = login(case["investigator"]).get(
        reverse("conclusions:assignment", args=[case["assignment"].pk])
    )
    assert DENOUNCER in assignment_page.content.decode()  # the case files, to its handler
    seen_by = set(IdentityDisclosure.objects.values_list("user", flat=True))
    assert seen_by == {case["clerk"].pk, case["investigator"].pk, case["leader"].pk}
    assert IdentityDisclosure.objects.filter(user=case["leader"], where=evidence).exists()


@NEEDS_PDFTOTEXT
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_no_other_role_ever_sees_the_denouncer(case, pages, role, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")  # thousands of 403/404/405 lines
    user = case["others"].get(role)
    client = login(user) if user else Client(raise_request_exception=False)
    # The superuser's answers to the start URLs were fetched for `pages`: read, not fetched again.
    known = pages["responses"] if role == "superuser" else {}
    found, errors = crawl(client, pages["existing"], known=known)
    assert found == {}
    # Nothing was shown to them, so no display was logged (those handling the case are
    # checked above, in a test of their own).
    assert not IdentityDisclosure.objects.exists()
    sent = [*case["mail"], *mail.outbox]
    for text in [*Notification.objects.values_list("text", flat=True), *(m.body for m in sent)]:
        assert not leaks(text)
    assert errors == []  # a page answering 500 would hide a leak (and is a bug of its own)


def test_identity_lookups_tell_only_those_who_may_see_the_identity(case):
    """Duplicate detection and the search boxes, asked with the denouncer's ID number, phone,
    name or address: a higher level learns nothing (not even that a letter matches); the
    area's clerk is shown the match, and that is logged like a display."""
    letter = case["letter"]
    suspect = {
        "received_on": "06/03/2026", "channel": "letter", "kind": "to_cao", "petitioner_type": "person",
        "petitioner_name": "Người nhập thử", "petitioner_id_number": SECRETS[3], "petitioner_phone": SECRETS[2],
        "petitioner_address": "", "content": letter.content, "category": letter.category_id,
    }  # fmt: skip
    searches = [reverse("petitions:list"), reverse("petitions:register"), "/api/v1/petitions/"]
    for role in ("city clerk", "city leader", "clerk of another ward"):
        client = login(case["others"][role])
        # (Saved as new, or shown the letter the city clerk saved just before, in its own area.)
        duplicates = readable(client.post(reverse("petitions:written_create"), suspect))
        duplicates = duplicates.replace(SECRETS[2], "").replace(SECRETS[3], "")  # the form, as typed
        assert letter.tracking_code not in duplicates and not leaks(duplicates), role
        for url in searches:
            # A list that ignores `q` (the register) shows the letter anyway: what the secret
            # must not change is whether the letter is there.
            listed = letter.tracking_code in readable(client.get(url, {"q": "khong co don nao"}))
            for secret in SECRETS:
                # The search box shows what was typed: the rest must not come back.
                page = readable(client.get(url, {"q": secret})).replace(secret, "")
                assert (letter.tracking_code in page) == listed, (role, url, secret)
                assert not leaks(page), (role, url, secret)
    assert not IdentityDisclosure.objects.filter(petition=letter).exists()

    offered = login(case["clerk"]).post(reverse("petitions:written_create"), suspect)
    assert offered.status_code == 200 and letter.tracking_code in offered.content.decode()
    logged = IdentityDisclosure.objects.get(petition=letter)
    assert logged.user == case["clerk"]
    assert "trùng" in logged.where


def test_case_files_follow_the_identity(case):
    """A denunciation's evidence, progress and answer: its handlers and the area's clerks and
    leaders read them (each download logged); higher levels and other agencies do not."""
    update = ProgressUpdate.objects.get()
    evidence = reverse("conclusions:evidence", args=[update.pk])
    page = reverse("conclusions:assignment", args=[case["assignment"].pk])
    api = f"/api/v1/assignments/{case['assignment'].pk}/"
    for role in ("city clerk", "city leader", "city monitor", "superuser"):
        client = login(case["others"][role])
        assert client.get(evidence).status_code in (403, 404), role
        for url in (page, api):
            response = client.get(url)
            assert not leaks(readable(response)), (role, url)
    assert not IdentityDisclosure.objects.exists()
    for user in (case["clerk"], case["leader"], case["investigator"]):
        assert DENOUNCER in readable(login(user).get(evidence))
        assert DENOUNCER in login(user).get(page).content.decode()
    assert IdentityDisclosure.objects.filter(where=evidence).count() == 3


def test_a_superuser_sees_a_denouncer_only_by_the_office_the_law_names(case):
    """has_role lets a superuser act in every role; the denouncer's identity is not a role but
    a secret the law keeps (Luật Tố cáo 2018, Điều 9 khoản 1 điểm b, Điều 47 khoản 2): a
    superuser of the very ward, without the clerk's or leader's office, does not see it."""
    letter = case["letter"]
    boss = UserFactory(agency=case["clerk"].agency, is_superuser=True)  # the ward's committee
    assert boss.has_role(Role.CLERK, Role.LEADER)  # every other rule lets them in
    assert not letter.identity_visible_to(boss)
    page = readable(login(boss).get(reverse("petitions:handle", args=[letter.pk])))
    assert page and not leaks(page)
    assert not IdentityDisclosure.objects.exists()
    boss.is_clerk = True  # given the ward's clerk office, they are one of those handling it
    boss.save()
    assert letter.identity_visible_to(boss)
    assert DENOUNCER in readable(login(boss).get(reverse("petitions:handle", args=[letter.pk])))
