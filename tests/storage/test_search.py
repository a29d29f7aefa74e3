"""storage/search.py: the search box's storage side, on real books: a SQLite file and a database on a
PostgreSQL server (tests/storage/conftest.py: ON_BOTH_ENGINES); what only SQLite's FTS5 tables have
(their plans, the migrations of a file) is tested on a file alone."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from storage import actions
from storage import search
from storage.book.opening import close_book, open_book
from storage.book.models import database
from storage.engines import current
from storage.engines import sqlite as sqlite_engine
from storage.engines.base import Engine
from storage.search import Hit


def portable(text: str, limit: int) -> list[Hit]:
    """The portable LIKE search every engine can fall back on, run on this book."""
    return search.search(text, limit, engine=Engine(database.obj))
from tests.storage.test_migrations import schema, v1_book
from tests.storage.search_index import index_is_a_rebuild

NOW = dt.datetime(2026, 11, 23, 8, 30)


def add(name: str, *, now: dt.datetime = NOW, **fields) -> int:
    return actions.add_prospect({"name": name, **fields}, now=now)


def touch(prospect_id: int, note: str, *, at: dt.datetime = NOW) -> int:
    return actions.log_touch(prospect_id, channel="call", outcome="talked", note=note, at=at, now=NOW)


def sql(statement: str, args: tuple = ()):
    """A statement in the book's own placeholders ("?" on SQLite, "%s" on a server)."""
    return database.execute_sql(statement.replace("?", database.obj.param), args)


def found(text: str, **kw) -> list[int]:
    return [hit.prospect_id for hit in search.search(text, **kw)]


def index_matches_the_book() -> None:
    """The index holds exactly what a rebuild from the rows would hold."""
    if current().name != "SQLite":
        server_index_matches_the_book()
        return
    conn = database.connection()
    assert conn.execute("INSERT INTO search_note (search_note) VALUES ('integrity-check')") is not None
    assert conn.execute("INSERT INTO search_prospect (search_prospect) VALUES ('integrity-check')") is not None
    assert conn.execute("SELECT COUNT(*) FROM search_prospect").fetchone()[0] == conn.execute("SELECT COUNT(*) FROM prospect").fetchone()[0]
    assert conn.execute("SELECT COUNT(*) FROM search_note_docsize").fetchone()[0] == conn.execute("SELECT COUNT(*) FROM touch").fetchone()[0]
    # what the actions wrote row by row is what a rebuild from the rows (SQL) writes
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.note_terms USING fts5vocab(main, search_note, instance)")
    terms = "SELECT term, doc, col, offset FROM temp.note_terms ORDER BY doc, offset"
    kept = conn.execute("SELECT rowid, * FROM search_prospect ORDER BY rowid").fetchall()
    kept_terms = conn.execute(terms).fetchall()
    search.reindex()
    assert conn.execute("SELECT rowid, * FROM search_prospect ORDER BY rowid").fetchall() == kept
    assert conn.execute(terms).fetchall() == kept_terms  # the notes' index: each word, where it was


def server_index_matches_the_book() -> None:
    """A server's index tables: a row for each prospect and touch, each as the rebuild makes it."""
    assert list(sql("SELECT id FROM search_prospect ORDER BY id")) == list(sql("SELECT id FROM prospect ORDER BY id"))
    assert list(sql("SELECT id, prospect_id FROM search_note ORDER BY id")) == list(sql("SELECT id, prospect_id FROM touch ORDER BY id"))
    index_is_a_rebuild()


# --- finding ------------------------------------------------------------------------------


def test_finds_by_name_company_email_phone_and_title(book):
    ada = add("Ada Lovelace", company="Analytical Engines", email="ada@engines.example", phone="+1 (555) 010-2030", title="Countess")
    add("Bob Babbage", company="Difference Ltd")
    assert [(h.prospect_id, h.where) for h in search.search("lovelace")] == [(ada, "name")]
    assert [(h.prospect_id, h.where) for h in search.search("analyt")] == [(ada, "company")]
    assert [(h.prospect_id, h.where) for h in search.search("ada@engines")] == [(ada, "name")]  # "ada" is in her name too
    assert [(h.prospect_id, h.where) for h in search.search("engines.exam")][0] == (ada, "company")
    assert [(h.prospect_id, h.where) for h in search.search("555-010")] == [(ada, "phone")]
    assert [(h.prospect_id, h.where) for h in search.search("5550102")] == [(ada, "phone")]
    assert [(h.prospect_id, h.where) for h in search.search("countess")] == [(ada, "title")]
    hit = search.search("lovelace")[0]
    assert isinstance(hit, Hit)
    assert (hit.name, hit.company, hit.status, hit.snippet, hit.touch_id) == ("Ada Lovelace", "Analytical Engines", "active", "Ada Lovelace", None)
    assert hit.snippet[hit.span[0] : hit.span[1]] == "Lovelace"


def test_finds_by_the_prospects_background_notes_showing_the_matching_line(book):
    ada = add("Ada", notes="Met at the trade fair\nWants a quote for 40 seats")
    assert [(h.prospect_id, h.where, h.snippet) for h in search.search("quote")] == [(ada, "notes", "Wants a quote for 40 seats")]
    assert [(h.prospect_id, h.where) for h in portable("quote", 50)] == [(ada, "notes")]
    actions.edit_prospect(ada, {"notes": "Moved to another team"})
    assert search.search("quote") == []
    assert found("another") == [ada]
    index_matches_the_book()


def test_finds_by_note_words_and_tags_showing_the_matching_line(book):
    ada = add("Ada")
    bob = add("Bob")
    touch(ada, "Called about the renewal.\nThey use Contoso today, unhappy with support\nCall back in May")
    t = touch(bob, "Sent the deck\nMentioned #competitor pricing twice")
    [hit] = search.search("contoso")
    assert (hit.prospect_id, hit.where, hit.snippet) == (ada, "note", "They use Contoso today, unhappy with support")
    assert hit.snippet[hit.span[0] : hit.span[1]] == "Contoso"
    [hit] = search.search("#competitor")
    assert (hit.prospect_id, hit.where, hit.touch_id, hit.snippet) == (bob, "tag", t, "Mentioned #competitor pricing twice")
    [hit] = search.search("compet")
    assert hit.where == "tag"
    assert found("contoso support") == [ada]  # every word must be there
    assert found("contoso pricing") == []


def test_the_snippet_is_one_plain_line_of_at_most_120_characters(book):
    ada = add("Ada")
    touch(ada, "intro\n" + "blah " * 60 + "the [b]needle[/b] \x1b]52;c;x\x07 here " + "tail " * 60)
    [hit] = search.search("needle")
    assert "\n" not in hit.snippet and "\x1b" not in hit.snippet and "\x07" not in hit.snippet
    assert len(hit.snippet) <= search.SNIPPET_MAX
    assert "needle" in hit.snippet and hit.snippet[hit.span[0] : hit.span[1]] == "needle"
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")


def test_accents_and_case_are_folded_both_ways(book):
    zoe = add("Zoë Ångström", company="Café Müller")
    assert found("zoe") == [zoe]
    assert found("ZOË") == [zoe]
    assert found("angstrom") == [zoe]
    assert found("cafe mull") == [zoe]
    hit = search.search("zoe")[0]
    assert hit.snippet[hit.span[0] : hit.span[1]] == "Zoë"
    ana = add("Ana")
    touch(ana, "Prefers the crème brûlée")
    assert found("creme brulee") == [ana]


def test_the_last_word_is_a_prefix_while_typing(book):
    ada = add("Ada Lovelace")
    assert found("l") == [ada]
    assert found("lov") == [ada]
    assert found("lov ") == []  # a finished word is a whole word
    assert found("lovelace ") == [ada]
    assert found("ada lov") == [ada]


# --- ranking ------------------------------------------------------------------------------


def test_a_name_match_ranks_above_a_note_match_and_one_hit_per_prospect(book):
    in_note = add("Bob", now=NOW)
    touch(in_note, "Spoke with Acme's buyer about Acme")
    touch(in_note, "acme again")
    in_name = add("Carol Acme", now=NOW - dt.timedelta(days=300))
    hits = search.search("acme")
    assert [h.prospect_id for h in hits] == [in_name, in_note]
    assert [h.where for h in hits] == ["name", "note"]


def test_better_bm25_first_among_notes_then_recent(book):
    a, b, c = add("A"), add("B"), add("C")
    touch(a, "a long note that talks about many things and mentions budget once among many other words here",
          at=NOW - dt.timedelta(hours=1))  # a touch is never in the future: the older one is back an hour
    touch(b, "budget budget")
    touch(c, "a long note that talks about many things and mentions budget once among many other words here")
    hits = search.search("budget")
    assert [h.prospect_id for h in hits] == [b, c, a]
    assert hits[0].rank < hits[1].rank
    assert hits[1].rank == hits[2].rank  # same note: the more recent first


def test_a_very_common_word_is_ranked_among_its_most_recent_matches(book, monkeypatch):
    monkeypatch.setattr(Engine, "rank_window", 3)
    old, *recent = [add(f"P{n}") for n in range(5)]
    touch(old, "budget budget budget")  # the best bm25, but older than the window
    for pid in recent:
        touch(pid, "a longer note that mentions the budget once among other words")
    assert found("budget") == list(reversed(recent))[:3]
    monkeypatch.setattr(Engine, "rank_window", 100)
    assert found("budget")[0] == old


def test_a_word_s_notes_are_read_in_one_pass(file_book):
    """FTS5 merges a prefix's match lists whole for each statement that reads them: the notes'
    window and their ranks come in one (storage/engines/sqlite.py)."""
    ada = add("Ada")
    touch(ada, "the price was right")
    statements: list[str] = []
    database.connection().set_trace_callback(statements.append)
    try:
        assert found("pri") == [ada]
    finally:
        database.connection().set_trace_callback(None)
    assert len([s for s in statements if "search_note MATCH" in s]) == 1, statements


def test_among_names_better_bm25_first(book):
    two = add("Kim Kim")
    one = add("Kim Smith-Jones-Alvarez Long Name")
    assert found("kim") == [two, one]


def test_limit_is_respected_across_fields_and_notes(book):
    ids = [add(f"Zed {n}") for n in range(5)]
    others = [add(f"Other {n}") for n in range(5)]
    for pid in others:
        touch(pid, "met zed at the fair")
    assert len(search.search("zed", limit=3)) == 3
    hits = search.search("zed", limit=8)
    assert len(hits) == 8 and {h.prospect_id for h in hits[:5]} == set(ids)
    assert len({h.prospect_id for h in search.search("zed")}) == 10
    assert search.search("zed", limit=0) == []


# --- kept in step -------------------------------------------------------------------------


def test_the_index_follows_add_edit_touch_and_drop(book):
    ada = add("Ada Lovelace", company="Engines")
    assert found("lovelace") == [ada]
    actions.edit_prospect(ada, {"name": "Ada King", "phone": "020 7946 0000"}, now=NOW)
    assert found("lovelace") == []
    assert found("king") == [ada]
    assert found("engines") == [ada]
    assert found("02079460000") == [ada]
    touch(ada, "Wants a quote for the #warehouse")
    assert [(h.prospect_id, h.where) for h in search.search("warehouse")] == [(ada, "tag")]
    actions.drop(ada, "No budget", last_note="Final word: zeppelin budget frozen", now=NOW)
    assert [(h.prospect_id, h.status) for h in search.search("zeppelin")] == [(ada, "dropped")]
    bob = add("Bob")
    actions.final_note_and_drop(bob, "Went with Initech", channel="email", reason="lost", now=NOW)
    assert found("initech") == [bob]
    index_matches_the_book()


def test_a_failed_action_leaves_the_index_as_it_was(book):
    ada = add("Ada")
    with pytest.raises(Exception):
        actions.log_touch(ada, channel="call", outcome="talked", note="x" * (actions.NOTE_MAX + 1))
    with pytest.raises(Exception):
        actions.edit_prospect(ada, {"name": "Grace", "email": "no-at-sign"})
    assert found("grace") == []
    assert found("ada") == [ada]
    index_matches_the_book()


def test_forget_helpers_take_rows_out_in_the_callers_transaction(book):
    ada, bob = add("Ada"), add("Bob")
    t1 = touch(ada, "orchid one")
    touch(ada, "orchid two")
    touch(bob, "orchid three")
    with database.atomic():
        search.forget_touch(t1)
        sql("DELETE FROM tag WHERE touch_id = ?", (t1,))
        sql("DELETE FROM touch WHERE id = ?", (t1,))
    assert sorted(found("orchid")) == [ada, bob]
    with database.atomic():
        search.forget_prospect(ada)
        sql("DELETE FROM prospect WHERE id = ?", (ada,))
    assert found("orchid") == [bob]
    assert found("ada") == []
    index_matches_the_book()


def test_the_demo_is_indexed(book):
    from storage.demo import build_demo

    build_demo(now=NOW, prospects=60)
    index_matches_the_book()
    name = database.execute_sql("SELECT name FROM prospect ORDER BY id LIMIT 1").fetchone()[0]
    assert search.search(name.split()[-1])
    tag = database.execute_sql("SELECT name FROM tag LIMIT 1").fetchone()[0]
    hits = search.search("#" + tag)
    assert hits and any(h.where == "tag" for h in hits)


def test_a_big_book_load_is_indexed(tmp_path):
    from bench.bigbook import build_big_book

    path = tmp_path / "big.db"
    result = build_big_book(path, 120, 900, seed=3, now=NOW, tz="Europe/Paris")
    assert result["search_index_seconds"] >= 0
    open_book(path)
    index_matches_the_book()
    email = database.execute_sql("SELECT email FROM prospect WHERE email != '' LIMIT 1").fetchone()[0]
    assert search.search(email)
    tag = database.execute_sql("SELECT name FROM tag LIMIT 1").fetchone()[0]
    assert any(h.where == "tag" for h in search.search("#" + tag))


# --- invisible characters ---------------------------------------------------------------

ZWSP, RLO, WJ = "\u200b", "\u202e", "\u2060"


def test_a_word_split_by_a_zero_width_character_is_found_whole(book):
    robert = add(f"Ro{ZWSP}bert Smith", company=f"Ac{RLO}me", phone=f"555{ZWSP}0102")
    assert database.execute_sql("SELECT name FROM prospect").fetchone()[0] == "Ro<U+200B>bert Smith"  # stored visibly
    for typed in ("Robert", "robert", "rob", "ROB", f"Ro{ZWSP}bert", "Ro<U+200B>bert", "robert smith"):
        assert [(h.prospect_id, h.where) for h in search.search(typed)] == [(robert, "name")], typed
    hit = search.search("Robert")[0]
    assert hit.snippet == "Ro<U+200B>bert Smith" and hit.snippet[hit.span[0] : hit.span[1]] == "Ro<U+200B>bert"
    assert [(h.prospect_id, h.where) for h in search.search("acme")] == [(robert, "company")]
    assert [(h.prospect_id, h.where) for h in search.search("5550102")] == [(robert, "phone")]
    assert found("ro") == [robert] and found("bert") == []  # one word, not two
    index_matches_the_book()


def test_a_note_word_split_by_an_invisible_character_is_found_whole_and_forgotten_cleanly(book):
    ada = add("Ada")
    t = touch(ada, f"Talked about the ren{WJ}ewal\nasked for Jo{ZWSP}hn")
    [hit] = search.search("renewal")
    assert (hit.prospect_id, hit.where, hit.snippet) == (ada, "note", "Talked about the ren<U+2060>ewal")
    assert hit.snippet[hit.span[0] : hit.span[1]] == "ren<U+2060>ewal"
    assert found("john") == [ada]
    index_matches_the_book()
    with database.atomic():  # the index is told the note as it was indexed: it stays whole
        search.forget_touch(t)
        sql("DELETE FROM tag WHERE touch_id = ?", (t,))
        sql("DELETE FROM touch WHERE id = ?", (t,))
    assert found("renewal") == [] and found("john") == []
    index_matches_the_book()


def test_raw_invisible_characters_from_a_book_written_elsewhere_are_folded_by_the_rebuild(book):
    ada = add("Ada")
    t = touch(ada, "plain")
    sql("UPDATE prospect SET name = ? WHERE id = ?", (f"Gr{ZWSP}ace Ho{RLO}pper", ada))
    sql("UPDATE touch SET note = ? WHERE id = ?", (f"com{ZWSP}piler", t))
    search.reindex()
    assert [(h.where, h.snippet) for h in search.search("grace hopper")] == [("name", "Gr<U+200B>ace Ho<U+202E>pper")]
    assert [(h.where, h.snippet) for h in search.search("compiler")] == [("note", "com<U+200B>piler")]
    index_matches_the_book()
    with database.atomic():
        search.forget_prospect(ada)
        sql("DELETE FROM tag WHERE prospect_id = ?", (ada,))
        sql("DELETE FROM touch WHERE prospect_id = ?", (ada,))
        sql("DELETE FROM prospect WHERE id = ?", (ada,))
    assert found("compiler") == [] and found("grace") == []
    index_matches_the_book()


# --- migration ----------------------------------------------------------------------------


def test_a_book_indexed_before_the_folding_is_indexed_again_when_it_is_opened(tmp_path):
    path = tmp_path / "old.db"
    v1_book(path)
    with sqlite3.connect(path) as conn:  # written visibly, as the desk stored them then
        conn.execute("UPDATE prospect SET name = 'Ro<U+200B>bert' WHERE id = 1")
        conn.execute("UPDATE touch SET note = 'the ren<U+200B>ewal' WHERE id = 2")
    open_book(path)
    assert found("robert") == [1]
    assert found("renewal") == [1]
    index_matches_the_book()
    with database.atomic():  # the index holds what a delete tells it now: it stays whole
        search.forget_touch(2)
        sql("DELETE FROM touch WHERE id = 2")
    assert found("renewal") == []
    index_matches_the_book()


def test_a_version_1_book_gets_the_index_filled_from_its_rows(tmp_path):
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    v1_book(old)
    open_book(old)
    assert found("contoso") == [1]
    assert [(h.where, h.snippet) for h in search.search("#price")] == [("tag", "They use Contoso today #competitor #Price")]
    assert found("ada") == [1]
    index_matches_the_book()
    close_book()
    open_book(new)
    close_book()
    assert schema(old) == schema(new)
    sql = "SELECT type, name, sql FROM sqlite_master WHERE name LIKE 'search%' ORDER BY name"
    with sqlite3.connect(old) as a, sqlite3.connect(new) as b:
        assert a.execute(sql).fetchall() == b.execute(sql).fetchall()
        assert len(a.execute(sql).fetchall()) >= 2


# --- the plan -----------------------------------------------------------------------------


def test_the_search_queries_use_the_fts_index(file_book):  # SQLite's FTS5 plans: a file only
    ada = add("Ada")
    touch(ada, "hello")
    cutoff = sqlite_engine._CUTOFF_SQL.format(table="search_note")
    plan = " | ".join(row[3] for row in database.execute_sql("EXPLAIN QUERY PLAN " + cutoff, ('"ada"*', 5)))
    assert "VIRTUAL TABLE" in plan and "SCAN touch" not in plan, plan
    for sql, args in ((sqlite_engine._PROSPECT_SQL, ('"ada"*', 0, 10)), (sqlite_engine._NOTE_SQL, ('"ada"*', 10, 10))):
        plan = " | ".join(row[3] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, args))
        assert "VIRTUAL TABLE" in plan, plan
        assert "SCAN prospect" not in plan and "SCAN p " not in plan and not plan.endswith("SCAN p"), plan
        assert "SCAN touch" not in plan, plan
