"""The word index of large tables (PostgreSQL): a search of opinions for rare words is
narrowed to the rows holding one of the whole words that contain each query word, from a
dictionary that triggers keep complete; the search's LIKE keeps what matches exactly what it
is without it (core.models.SearchQuerySet.narrowed_by_words)."""

from io import StringIO

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

import core.models
from core.models import SearchWord
from core.text import SEARCH_WORD_INDEXED_LENGTH
from petitions.models import Petition
from tests.factories import conference_for, petition_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def opinions(ward):
    conference = conference_for(ward, status="held")
    return {
        "lights": petition_for(conference, content="Lắp đèn đường ngõ 12 Ngọc Thụy"),
        "drains": petition_for(conference, content="Khơi thông thoát nước đường Ngọc Lâm"),
        "trees": petition_for(conference, content="Cắt tỉa cây xanh trước trường học"),
    }


def found(query: str) -> set[int]:
    return set(Petition.objects.search(query).narrowed_by_words(query).values_list("pk", flat=True))


def like_only(query: str) -> set[int]:
    """What the same search finds without the word index: the LIKE of every word."""
    rows = Petition.objects.all()
    for term in query.split():
        rows = rows.filter(search_text__contains=term)
    return set(rows.values_list("pk", flat=True))


def known(*words: str) -> set[str]:
    return set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))


def test_saved_rows_add_their_words_to_the_dictionary(opinions):
    assert known("den", "duong", "thuy", "truong") == {"den", "duong", "thuy", "truong"}


@pytest.mark.parametrize(
    "query", ["den duong", "duong", "uong", "ngoc", "ngoc lam", "thoat nuoc", "truong hoc", "12", "ngo 12"]
)
def test_the_index_finds_what_the_like_finds(opinions, query):
    assert found(query) == like_only(query)
    assert found(query)  # every query here matches something


def test_a_word_inside_other_words_finds_them_all(opinions):
    # "uong" is no word of its own: the dictionary gives "duong" and "truong".
    assert found("uong") == {opinions["lights"].pk, opinions["drains"].pk, opinions["trees"].pk}
    assert found("den duong") == {opinions["lights"].pk}


def test_a_word_no_row_holds_finds_nothing_without_reading_the_table(opinions):
    with CaptureQueriesContext(connection) as queries:
        assert found("den xyzabc") == set()
    assert not any("petitions_petition" in query["sql"] for query in queries.captured_queries)


def test_words_of_rows_written_without_save_are_known(ward, opinions):
    # Bulk inserts and updates skip save(); the triggers do not.
    conference = opinions["lights"].conference
    Petition.objects.bulk_create(
        [
            Petition(
                conference=conference,
                area=ward,
                category=opinions["lights"].category,
                content="x",
                search_text="chieu sang cong vien",
                received_on=conference.held_on,
                position=90,
            )
        ]
    )
    Petition.objects.filter(pk=opinions["trees"].pk).update(search_text="via he lan chiem")
    assert known("chieu", "sang", "cong", "vien", "via", "he", "lan", "chiem") == {
        "chieu", "sang", "cong", "vien", "via", "he", "lan", "chiem"
    }  # fmt: skip
    assert found("cong vien") and found("lan chiem") == {opinions["trees"].pk}


def test_a_very_long_word_is_saved_and_found_exactly(ward):
    conference = conference_for(ward, status="held")
    head = "a" * 250
    long_one = petition_for(conference, content=f"Đường dẫn {head}xyz trong đơn")
    other = petition_for(conference, content=f"Đường dẫn {head}qrs khác")
    # Both are cut to the same 200 characters in the index: the LIKE tells them apart.
    assert found("axyz") == {long_one.pk}
    assert found("aqrs") == {other.pk}


def test_a_word_in_too_many_dictionary_words_is_left_to_the_like(opinions, monkeypatch):
    monkeypatch.setattr(core.models, "SEARCH_WORDS_PER_TERM", 1)
    with CaptureQueriesContext(connection) as queries:
        assert found("uong") == like_only("uong")
    search = next(q["sql"] for q in queries.captured_queries if 'FROM "petitions_petition"' in q["sql"])
    assert "core_search_words" not in search


def test_the_dictionary_reads_a_query_words_wildcards_as_letters(opinions):
    """LIKE's % and _ in what was typed are letters to look for, as in the search's own LIKE:
    "d_ong" is no word (the unescaped pattern would find "duong"), "%" no part of any."""
    SearchWord.objects.create(word="l%_lo")  # a word holding both (an odd one, as typed)
    looked_up = SearchWord.containing(["d_ong", "den", "%_l", "uong"])
    assert looked_up["d_ong"] == [] and looked_up["%_l"] == ["l%_lo"]
    assert looked_up["den"] == ["den"]
    assert sorted(looked_up["uong"]) == ["duong", "truong"]
    assert found("d_ong") == set() == like_only("d_ong")


def test_other_tables_and_plain_searches_are_not_narrowed(ward):
    from accounts.models import OrgUnit

    assert OrgUnit.objects.search("bo de").narrowed_by_words("bo de").query.where == (
        OrgUnit.objects.search("bo de").query.where
    )


def test_short_words_are_left_to_the_like(opinions):
    with CaptureQueriesContext(connection) as queries:
        assert found("12") == {opinions["lights"].pk}
    assert not any("core_searchword" in query["sql"] for query in queries.captured_queries)


def test_the_narrowing_condition_is_the_word_index_expression(opinions):
    narrowed = Petition.objects.search("den duong").narrowed_by_words("den duong")
    sql, params = narrowed.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:  # in the test's transaction: rolled back
        cursor.execute("DROP INDEX petitions_petition_search_text_trgm")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "petitions_petition_search_words" in plan


def test_a_narrowed_search_tests_its_like_on_the_rows_of_the_word_index(opinions, monkeypatch):
    # Not ANDed with the trigram index, which the planner takes for narrowing further: for
    # words frequent alone but rare together it read and rechecked far more than the words.
    def plan(queryset, dropped: str) -> str:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX {dropped}")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            explained = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)
        return explained

    searched = Petition.objects.search("den duong")
    assert "petitions_petition_search_text_trgm" in plan(searched, "petitions_petition_search_words")
    narrowed = searched.narrowed_by_words("den duong")
    assert "petitions_petition_search_text_trgm" not in plan(narrowed, "petitions_petition_search_words")
    assert set(narrowed.values_list("pk", flat=True)) == {opinions["lights"].pk}
    # A word left to the LIKE (in too many dictionary words: "uong") keeps the trigram index.
    monkeypatch.setattr(core.models, "SEARCH_WORDS_PER_TERM", 1)
    partly = Petition.objects.search("den uong").narrowed_by_words("den uong")
    assert "petitions_petition_search_text_trgm" in plan(partly, "petitions_petition_search_words")
    assert set(partly.values_list("pk", flat=True)) == like_only("den uong") == {opinions["lights"].pk}


def test_a_rare_search_page_uses_the_word_index_and_a_word_in_no_row_reads_nothing(opinions, monkeypatch):
    from core import pagination

    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 1)  # the window never fills here
    searched = Petition.objects.search("den duong").order_by("-received_on", "-pk")
    with CaptureQueriesContext(connection) as queries:
        rows = pagination.fetch_search_page(searched, 0, 3, "den duong")
    assert [row.pk for row in rows] == [opinions["lights"].pk]
    assert any("core_search_words" in query["sql"] for query in queries.captured_queries)
    nothing = Petition.objects.search("den xyzabc").order_by("-received_on", "-pk")
    with CaptureQueriesContext(connection) as queries:
        assert pagination.fetch_search_page(nothing, 0, 3, "den xyzabc") == []
    last = queries.captured_queries[-1]["sql"]
    assert "core_searchword" in last  # the dictionary was the last thing asked: nothing after


def test_the_database_cuts_words_where_python_does():
    # The migration wrote the length into core_search_words; the query's words are cut in
    # Python (core.text): they must agree, or long words would stop matching.
    with connection.cursor() as cursor:
        cursor.execute("SELECT core_search_words(repeat('a', 500) || ' b')")
        (words,) = cursor.fetchone()
    assert sorted(len(word) for word in words) == [1, SEARCH_WORD_INDEXED_LENGTH]


def test_an_update_that_keeps_the_text_reads_no_words(opinions):
    # The update trigger adds the words of rows whose search_text changed, and only those.
    SearchWord.objects.all().delete()
    Petition.objects.filter(pk=opinions["lights"].pk).update(outcome=Petition.Outcome.PENDING)
    assert not SearchWord.objects.exists()
    Petition.objects.filter(pk=opinions["lights"].pk).update(search_text="cong vien moi")
    assert known("cong", "vien", "moi") == {"cong", "vien", "moi"}


def test_the_command_fills_the_dictionary_again(opinions):
    from django.core.management import call_command

    SearchWord.objects.all().delete()  # as after a load with the triggers off
    call_command("search_words", stdout=StringIO())
    assert known("den", "duong", "truong") == {"den", "duong", "truong"}
    count = SearchWord.objects.count()
    call_command("search_words", stdout=StringIO())
    assert SearchWord.objects.count() == count  # nothing twice


def test_a_rare_search_page_reads_its_rows_by_the_keys_of_the_lookup(opinions, monkeypatch):
    # PostgreSQL joins a page's rows (select_related) before it sorts them: the lookup picks
    # the page's keys in a subquery, and only those rows are read and joined, with no search
    # condition that would bring the trigram index back.
    from core import pagination

    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 1)  # the window never fills here
    conference = opinions["lights"].conference
    for number in range(4):
        petition_for(conference, content=f"Đèn đường hỏng, cột số {number}")
    searched = (
        Petition.objects.search("den duong")
        .select_related("area", "conference", "category")
        .order_by("-received_on", "-pk")
    )
    expected = list(searched)
    assert len(expected) == 5
    with CaptureQueriesContext(connection) as queries:
        pages = [
            pagination.fetch_search_page(searched, bottom, bottom + 3, "den duong") for bottom in (0, 2, 4)
        ]
    assert pages == [expected[0:3], expected[2:5], expected[4:5]]
    lookups = [query["sql"] for query in queries.captured_queries if "core_search_words" in query["sql"]]
    assert len(lookups) == 2  # the first page filled among the newest rows (all of today)
    for sql in lookups:
        rows, keys = sql.split(" IN (SELECT ", 1)
        assert "LIKE" not in rows and "core_search_words" not in rows and "accounts_orgunit" in rows
        assert "LIKE" in keys and "core_search_words" in keys and "LIMIT 3" in keys


def test_no_search_index_keeps_a_pending_list():
    """Every GIN index of the database, today's and any added later, is written to directly
    (core.migration_ops.GIN_OPTIONS): a pending list would be read whole by every search."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT index.relname, coalesce(index.reloptions, '{}')
            FROM pg_class AS index
            JOIN pg_am AS method ON method.oid = index.relam
            JOIN pg_namespace AS schema ON schema.oid = index.relnamespace
            WHERE method.amname = 'gin' AND schema.nspname = current_schema()
            """
        )
        indexes = dict(cursor.fetchall())
    assert {"petitions_petition_search_words", "core_searchword_word_trgm"} <= set(indexes)
    assert {name: options for name, options in indexes.items() if "fastupdate=off" not in options} == {}
