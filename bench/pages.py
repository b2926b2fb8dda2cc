"""Server time of the pages people wait for, at national scale (in-process, warm, median of
seven after two warm-ups), with their SQL query counts.

    .venv/bin/python bench/pages.py [--json]

Runs on the benchmark database (bench/harness.py). Requests go through Django's test client,
the whole stack from URL routing to the rendered template, logged in as:
- a national superuser (every area: the heaviest case of every list and dashboard);
- the leader of one generated ward (what a ward sees every day);
- a leader and a monitor of that ward's province (the middle level), and of the national
  unit above the provinces (the whole country as a user's own area, not a superuser);
- the JSON API's lists, deep pages of the web lists, and the public area pages (anonymous).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Measure, count_queries, emit, setup_django, timed

setup_django()

from django.db.models import Count  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from scale import nation_ensure  # noqa: E402

from accounts.models import OrgUnit, User  # noqa: E402
from core.pagination import API_MAX_PAGE_NUMBER  # noqa: E402

LIST_BUDGET_MS = 50
DASHBOARD_BUDGET_MS = 300


def client_for(user: User, headers: dict | None = None) -> Client:
    client = Client(headers=headers)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def national_user() -> User:
    user, _created = User.objects.get_or_create(
        username="bench-national", defaults={"full_name": "Đo hiệu năng toàn quốc", "is_superuser": True}
    )
    return user


def ward_leader() -> User:
    """The leader of the generated ward with the most assignments (a busy one)."""
    user = User.objects.filter(username__startswith="s", username__endswith=".lanhdao").order_by("pk").first()
    if user is None:
        raise SystemExit("No generated data: run `make bench` (it seeds with seed_demo --scale 1).")
    return user


def province_users(province: OrgUnit) -> tuple[User, User]:
    """A leader and a monitor of a whole province (the generated data has staff in the wards
    only): their scope is the province and its 294 wards, the middle level."""
    return area_users(province, "province")


def area_users(area: OrgUnit, level: str) -> tuple[User, User]:
    """A leader and a monitor working in `area` itself (a province, or the national unit)."""
    made = []
    for role in ("leader", "monitor"):
        # Not update_or_create: its SELECT … FOR UPDATE meets User's nullable join to its agency.
        User.objects.filter(username=f"bench-{level}-{role}").delete()
        made.append(
            User.objects.create(
                username=f"bench-{level}-{role}",
                full_name=f"Đo hiệu năng {area.name} ({role})",
                agency=area,
                **{f"is_{role}": True},
            )
        )
    return made[0], made[1]


def busiest_ward() -> OrgUnit:
    from petitions.models import Petition

    top = Petition.objects.order_by().values("area").annotate(n=Count("pk")).order_by("-n", "area")[:1]
    return OrgUnit.objects.get(pk=top[0]["area"])


def page(client: Client, name: str, url: str, budget: float, note: str = "", expect: int = 200) -> Measure:
    def get():
        response = client.get(url)
        if response.status_code != expect:
            raise SystemExit(f"{name}: {url} answered {response.status_code}")
        return response

    median, worst = timed(get)
    queries = count_queries(get)
    print(f"{name}: median {median:.1f} ms, max {worst:.1f} ms, {queries} queries", file=sys.stderr)
    return Measure(name, budget, median, worst, queries, note or url)


def dashboard_urls(area: OrgUnit) -> list[tuple[str, str]]:
    """The dashboards app's pages, when it has them (names from dashboards/urls_boards.py)."""
    found = []
    for label, name, query in [
        ("overdue review (leader)", "dashboards:overdue", ""),
        ("supervision dashboard", "dashboards:supervision", f"?area={area.pk}"),
    ]:
        try:
            found.append((label, reverse(name) + query))
        except NoReverseMatch:
            print(f"skipped {label}: no URL named {name}", file=sys.stderr)
    return found


PARTS = ("country", "province", "nation", "api", "deep")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default=",".join(PARTS), help=f"some of {','.join(PARTS)}")
    parts = set(parser.parse_args().only.split(","))
    nation = nation_ensure()  # a database generated before the national unit gets it now
    national, leader = client_for(national_user()), ward_leader()
    measures = country_measures(national, leader) if "country" in parts else []
    if "province" in parts:
        measures += level_measures(leader.area.parent, "province")
    if "nation" in parts:
        measures += level_measures(nation, "national unit")
    if "api" in parts:
        measures += api_measures(
            national,
            province_leader=client_for(province_users(leader.area.parent)[0]),
            nation_leader=client_for(area_users(nation, "nation")[0]),
        )
    if "deep" in parts:
        measures += deep_and_public_measures(national, leader.area.parent)
    emit(measures)


def country_measures(national: Client, leader: User) -> list[Measure]:
    """The whole country as a superuser, and one ward, with the national dashboard's modes."""
    ward = leader.area
    local = client_for(leader)
    assignments, petitions, conferences = (
        reverse("conclusions:assignments"),
        reverse("petitions:list"),
        reverse("dialogue:list"),
    )
    measures = [
        page(national, "overdue list, whole country", f"{assignments}?mine=0&show=overdue", LIST_BUDGET_MS),
        page(local, "overdue list, one ward", f"{assignments}?mine=0&show=overdue", LIST_BUDGET_MS),
        page(national, "conference list, whole country", conferences, LIST_BUDGET_MS),
        page(national, "opinion list, whole country", petitions, LIST_BUDGET_MS),
        page(
            national, "accent-free search 'dat dai', whole country", f"{petitions}?q=dat+dai", LIST_BUDGET_MS
        ),
        page(local, "accent-free search 'lan chiem', one ward", f"{petitions}?q=lan+chiem", LIST_BUDGET_MS),
        # Rare words: each frequent alone ("den", "duong"), together ~600 of two million, none
        # among the newest rows (the newest rows, then the word index).
        page(
            national,
            "search 'den duong' (rare words), whole country",
            f"{petitions}?q=den+duong",
            LIST_BUDGET_MS,
        ),
        # A search's count comes after its page, asked by htmx (core/pagination.py).
        page(
            client_for(national_user(), {"HX-Request": "true"}),
            "  its count (htmx, after the page) 'dat dai', whole country",
            f"{petitions}?q=dat+dai&_count=1",
            LIST_BUDGET_MS,
        ),
    ]
    for label, url in dashboard_urls(ward):
        measures.append(page(local, f"{label}, one ward", url, DASHBOARD_BUDGET_MS))
    national_area = OrgUnit.objects.areas().filter(parent__isnull=True).order_by("pk").first()
    measures.append(refresh_summaries())
    for label, url in dashboard_urls(national_area):
        url = url.split("?")[0]
        measures.append(page(national, f"{label}, whole country", url, DASHBOARD_BUDGET_MS))
        if "supervision" in label:
            # The national figures are cached (DASHBOARD_CACHE_SECONDS): also measure computing
            # them, from the monthly summaries (this year: whole months), and for dates that
            # cut two months (their days computed live), and entirely live.
            with override_settings(DASHBOARD_CACHE_SECONDS=0):
                for note, query in [
                    ("this year (monthly summaries)", ""),
                    ("15/03/2025–20/09/2026 (2 part-months live)", "?start=15/03/2025&end=20/09/2026"),
                ]:
                    measures.append(page(national, f"  uncached, {note}", url + query, DASHBOARD_BUDGET_MS))
                # With the worker stopped the summaries grow stale and the figures are computed
                # live: a degraded mode (the numbers stay right), with the dashboard's budget.
                with override_settings(DASHBOARD_SUMMARY_MAX_AGE=-1):
                    measures.append(
                        page(
                            national,
                            "  uncached, summaries stale (worker down): live",
                            url,
                            DASHBOARD_BUDGET_MS,
                        )
                    )
    return measures


def level_measures(area: OrgUnit, level: str) -> list[Measure]:
    """A leader and a monitor working in `area`: a province (the middle level: 295 areas, 1/34
    of the data) or the national unit above the provinces (every area, as users, not as a
    superuser: the scope is the national unit's path)."""
    leader_user, monitor_user = area_users(area, "province" if level == "province" else "nation")
    leader, monitor = client_for(leader_user), client_for(monitor_user)
    assignments, petitions = reverse("conclusions:assignments"), reverse("petitions:list")
    year = date.today().year
    report = f"?area={area.pk}&start=01/01/{year}&end=31/12/{year}"
    measures = [
        page(leader, f"overdue list, {level}", f"{assignments}?mine=0&show=overdue", LIST_BUDGET_MS),
        page(leader, f"accent-free search 'dat dai', {level}", f"{petitions}?q=dat+dai", LIST_BUDGET_MS),
        page(leader, f"overdue review (leader), {level}", reverse("dashboards:overdue"), DASHBOARD_BUDGET_MS),
        page(monitor, f"supervision dashboard (monitor), {level}", reverse("dashboards:supervision"),
             DASHBOARD_BUDGET_MS),
        page(leader, f"statistics page, {level}, this year", reverse("dashboards:statistics") + report,
             DASHBOARD_BUDGET_MS),
        # Over SYNC_MAX_AREAS areas (the country) the workbook is built in the background: the
        # request answers with a redirect to the page that starts it, measured as such.
        page(leader, f"statistics xlsx, {level}, this year" + ("" if level == "province" else " (302)"),
             reverse("dashboards:statistics_xlsx") + report, DASHBOARD_BUDGET_MS,
             expect=200 if level == "province" else 302),
    ]  # fmt: skip
    with override_settings(DASHBOARD_CACHE_SECONDS=0):
        measures.append(page(monitor, "  uncached", reverse("dashboards:supervision"), DASHBOARD_BUDGET_MS))
    return measures


def api_measures(national: Client, province_leader: Client, nation_leader: Client) -> list[Measure]:
    """The JSON API's lists: page 1, page 100 (the last by number), the cursor after it, and
    page 2000 (refused with a 400 that says to follow `next`: core.pagination.ApiPagination)."""
    measures = []
    for label, url in [
        ("notices", reverse("api:notice-list")),
        ("assignments", reverse("api:assignment-list")),
        ("petitions", reverse("api:petition-list")),
        ("petitions q='dat dai'", reverse("api:petition-list") + "?q=dat+dai"),
    ]:
        joiner = "&" if "?" in url else "?"
        measures.append(page(national, f"API {label}, page 1, whole country", url, LIST_BUDGET_MS))
        measures.append(page(province_leader, f"API {label}, page 1, province", url, LIST_BUDGET_MS))
        measures.append(page(nation_leader, f"API {label}, page 1, national unit", url, LIST_BUDGET_MS))
        last_numbered = f"{url}{joiner}page={API_MAX_PAGE_NUMBER}"
        measures.append(
            page(national, f"API {label}, page {API_MAX_PAGE_NUMBER}", last_numbered, LIST_BUDGET_MS)
        )
        cursor = national.get(last_numbered).json()["next"]
        measures.append(page(national, f"API {label}, cursor after page {API_MAX_PAGE_NUMBER}", cursor,
                             LIST_BUDGET_MS))  # fmt: skip
        measures.append(
            page(national, f"API {label}, page 2000 (refused: 400)", f"{url}{joiner}page=2000", LIST_BUDGET_MS,
                 expect=400)
        )  # fmt: skip
    return measures


def deep_and_public_measures(national: Client, province: OrgUnit) -> list[Measure]:
    ward = busiest_ward()
    public = Client()
    measures = [
        page(national, f"web list {label}, page 2000", f"{reverse(name)}?page=2000", LIST_BUDGET_MS)
        for label, name in [
            ("opinions", "petitions:list"),
            ("conferences", "dialogue:list"),
            ("notices", "conclusions:notices"),
        ]
    ]
    measures.append(
        page(national, "web list assignments, page 2000", f"{reverse('conclusions:assignments')}?mine=0&page=2000",
             LIST_BUDGET_MS)
    )  # fmt: skip
    measures.append(page(public, "public area page, busiest ward", reverse("public:area", args=[ward.pk]),
                         LIST_BUDGET_MS))  # fmt: skip
    measures.append(page(public, "public area page, province", reverse("public:area", args=[province.pk]),
                         LIST_BUDGET_MS))  # fmt: skip
    return measures


def refresh_summaries() -> Measure:
    """The Celery task that refreshes the monthly summaries (every DASHBOARD_SUMMARY_MINUTES),
    timed once: a background job, reported without a budget of its own."""
    from dashboards import summaries

    started = time.perf_counter()
    rows = summaries.refresh()
    elapsed = (time.perf_counter() - started) * 1000
    print(f"monthly summaries refresh: {elapsed:.0f} ms, {rows} rows", file=sys.stderr)
    return Measure(f"[background] monthly summaries refresh, {rows:,} rows", None, elapsed, elapsed, None, "")


if __name__ == "__main__":
    main()
