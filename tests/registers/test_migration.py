"""conclusions 0013 moves the notices' own counters onto the bodies' registers: every issued
number is kept, and the next notice carries on after the last one."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from conclusions import services
from conclusions.models import ConclusionNotice
from registers.models import RegisterCounter, RegisterEntry
from tests.conclusions.helpers import draft_notice, leader_of, party_term, ready_notice

BEFORE = [("conclusions", "0012_notice_newest_index")]
AFTER = [("conclusions", "0013_notices_onto_register")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _migrate_to_latest():
    """Every app back to its newest migration (rolling conclusions back also unapplied the
    migrations that came after 0013 in other branches of the graph, e.g. the notices' codes)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_notices_numbers_move_onto_the_register(ward, make_user):
    clerk, leader = make_user("clerk"), leader_of(ward)
    party_term(ward.bodies["ĐU"])
    issued = [
        services.notice_issue(notice=ready_notice(ward, clerk), by=leader, issued_on=date(2025, 12, 30)),
        services.notice_issue(notice=ready_notice(ward, clerk), by=leader, issued_on=date(2026, 2, 3)),
        services.notice_issue(notice=ready_notice(ward, clerk), by=leader, issued_on=date(2026, 2, 4)),
        services.notice_issue(
            notice=draft_notice(ward, clerk, body="ĐU"), by=leader, issued_on=date(2026, 2, 5)
        ),
    ]
    before = {n.pk: (n.number, n.number_label) for n in issued}
    assert sorted(label for _number, label in before.values()) == [
        "01-TB/ĐU",
        "01/TB-UBND",
        "01/TB-UBND",
        "02/TB-UBND",
    ]

    # The database as it was before the register: the notices and their own counters.
    old = _migrate(BEFORE)
    assert old.get_model("conclusions", "NumberCounter").objects.count() == 3  # rebuilt backwards
    RegisterEntry.objects.all().delete()
    RegisterCounter.objects.all().delete()

    _migrate(AFTER)
    _migrate_to_latest()
    entries = {e.object_id: e for e in RegisterEntry.objects.all()}
    assert {pk: (e.number, e.label) for pk, e in entries.items()} == before
    assert {e.period for e in entries.values()} == {"2025", "2026", "Nhiệm kỳ 2025 – 2030"}
    assert all(e.document == ConclusionNotice.objects.get(pk=pk) for pk, e in entries.items())
    counters = dict(RegisterCounter.objects.values_list("series", "last_number"))
    party_series = ConclusionNotice.objects.get(pk=issued[3].pk).number_series
    assert counters == {"2025": 1, "2026": 2, party_series: 1}

    following = services.notice_issue(notice=ready_notice(ward, clerk), by=leader, issued_on=date(2026, 2, 6))
    assert following.number_label == "03/TB-UBND"
