"""Search gives the same answers on SQLite and on a PostgreSQL server (issue 18, point 5): the same
book, written on both engines, searched with the same queries (names with and without their
accents, companies, emails, note words and tags, phone digit runs, prefixes being typed, several
words) gives the same hits: the same prospects in the same order, the same field or note, the same
touch, the same line and the same bm25 score; and the same count ("50 of 98").

The book is written twice through the actions (the writers' path: one row of the index at a time)
and the demo book twice (the bulk path: the rebuild). Equal ranks are ordered alike on both engines
(the most recent first), so the order is defined wherever it is compared."""

from __future__ import annotations

import datetime as dt
import random

from storage import actions, search
from storage.book.models import database
from storage.book.opening import close_book, open_book
from storage.engines import current
from storage.engines.base import Engine
from tests.team_books import SERVER_ROLES

pytestmark = SERVER_ROLES

NOW = dt.datetime(2026, 11, 23, 8, 30)

FIRST = ["Zoë", "Ada", "José", "François", "Åsa", "Søren", "Łukasz", "Chloé", "Renée", "Björn", "Ana",
         "Noël", "Grace", "Kim", "Inès", "Mátyás", "Zoe", "Jose", "Ines", "Dvořák"]
LAST = ["Ångström", "Lovelace", "Müller", "Núñez", "Çelik", "Hopper", "Kim", "Dubois", "Wałęsa", "O'Neil",
        "Smith-Jones", "Lefèvre", "Straße", "Zoë", "Muller", "Nunez", "Garcia", "García"]
COMPANIES = ["Café Müller", "Analytical Engines", "Crème & Co", "Initech", "Contoso Ltd", "Société Générale",
             "Zürich Re", "Acme", "Ærø Shipping", "Über Logistics", ""]
TITLES = ["CEO", "Directrice générale", "Head of Procurement", "CTO", "Buyer", ""]
NOTE_WORDS = ["budget", "renewal", "pricing", "crème", "brûlée", "café", "quote", "seats", "contract",
              "unhappy", "support", "decision", "März", "naïve", "façade", "Zoë", "demo", "trial", "next",
              "week", "call", "back", "#competitor", "#renewal", "#Price", "Contoso", "55-01", "v2.1"]
PHONES = ["+1 (555) 010-{:04d}", "+33 1 42 68 {:02d} {:02d}", "020 7946 {:04d}", "+49 30 901820{:02d}", "06.12.34.{:02d}.{:02d}"]

QUERIES = [
    # names, with and without their accents, any case, being typed or complete
    "zoe", "Zoë", "ZOË", "zoë ", "angstrom", "ångström", "jose", "josé", "francois", "asa", "soren", "søren",
    "lukasz", "chloe", "renee", "bjorn", "noel", "ines", "matyas", "dvorak", "muller", "müller", "nunez",
    "celik", "walesa", "o'neil", "neil", "smith-jones", "jones", "lefevre", "strasse", "straße", "garcia",
    "kim", "kim ", "grace hop", "ada love", "zoe ang", "ana",
    # prefixes
    "z", "zo", "a", "an", "lo", "mü", "mu", "sm", "ga",
    # companies, emails, titles
    "cafe", "café mull", "analytical", "creme", "initech", "contoso", "societe generale", "zurich", "aero",
    "ærø", "uber", "acme", "engines.exam", "example", "@example", "ceo", "directrice", "procurement",
    # note words and tags
    "budget", "renewal", "#renewal", "#competitor", "#price", "price", "pricing", "creme brulee", "brulee",
    "quote seats", "marz", "märz", "naive", "facade", "demo", "trial", "call back", "next week", "55-01",
    "v2", "v2.1", "support unhappy", "budget renewal",
    # phone digit runs
    "555", "555-010", "5550", "0102", "010", "+33", "4268", "42 68", "7946", "301", "9018", "06", "0612",
    "1234", "33142",
    # nothing to find, and odd input
    "zzzz", "quux budget", "", "   ", "*", '"', "-", "AND", "NEAR(a b)", "col:x", "%", "日本語",
]


def fill(seed: int = 7, prospects: int = 240) -> None:
    """A book of `prospects` people with accents, phones and notes, written through the actions."""
    rng = random.Random(seed)
    minutes = prospects * 4 * 60
    for n in range(prospects):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        phone = rng.choice(PHONES).format(rng.randrange(100), rng.randrange(100)) if rng.random() < 0.8 else ""
        fields = {
            "name": f"{first} {last}",
            "company": rng.choice(COMPANIES),
            "title": rng.choice(TITLES),
            "email": f"{first[0].lower()}{n}@engines.example" if rng.random() < 0.7 else "",
            "phone": phone,
            "notes": " ".join(rng.choice(NOTE_WORDS) for _ in range(rng.randrange(6))),
        }
        pid = actions.add_prospect(fields, now=NOW - dt.timedelta(minutes=minutes))
        for _ in range(rng.randrange(4)):
            minutes -= rng.randrange(1, 60)
            words = [rng.choice(NOTE_WORDS) for _ in range(rng.randrange(1, 14))]
            note = " ".join(words) if rng.random() < 0.8 else " ".join(words[:3]) + "\n" + " ".join(words[3:])
            actions.log_touch(pid, channel="call", outcome="talked", note=note,
                              at=NOW - dt.timedelta(minutes=minutes), now=NOW)


def answers(queries: list[str], limit: int = 50) -> dict[str, tuple]:
    out = {}
    for query in queries:
        hits = search.search(query, limit)
        out[query] = (
            [(h.prospect_id, h.where, h.touch_id, h.snippet, h.span, h.rank) for h in hits],
            search.count(query),
        )
    return out


def the_rows() -> tuple[list, list]:
    return (
        list(database.execute_sql("SELECT id, name FROM prospect ORDER BY id")),
        list(database.execute_sql("SELECT id, prospect_id, note FROM touch ORDER BY id")),
    )


def on_both(tmp_path, server_url: str, write, queries: list[str], limit: int = 50) -> tuple[dict, dict]:
    """The answers of the same book written by `write`, on a file and on the server."""
    results, rows, engines = [], [], []
    for where in (tmp_path / "book.db", server_url):
        open_book(where)
        try:
            write()
            engines.append(current().name)
            rows.append(the_rows())
            results.append(answers(queries, limit))
        finally:
            close_book()
    assert engines == ["SQLite", "PostgreSQL"]
    assert rows[0] == rows[1]  # the same book, ids included
    return results[0], results[1]


def assert_same(on_file: dict, on_server: dict) -> None:
    different = [query for query in on_file if on_file[query] != on_server[query]]
    assert not different, {query: (on_file[query], on_server[query]) for query in different[:3]}


def test_the_same_book_gives_the_same_hits_on_both_engines(tmp_path, server_book_url):
    on_file, on_server = on_both(tmp_path, server_book_url, fill, QUERIES)
    assert_same(on_file, on_server)
    # the comparison is worth something: most queries find people, in fields and in notes
    found = [query for query, (hits, _) in on_file.items() if hits]
    assert len(found) > len(QUERIES) * 2 // 3
    wheres = {where for hits, _ in on_file.values() for _, where, *_ in hits}
    assert {"name", "company", "email", "phone", "title", "notes", "note", "tag"} <= wheres
    zoe = {pid for pid, *_ in on_file["zoe"][0]}
    assert zoe == {pid for pid, *_ in on_file["ZOË"][0]} and len(zoe) > 5  # "zoe" finds "Zoë", and "Zoe"
    assert any(total > 50 for _, (total, _capped) in on_file.values())  # a page of 50 of more


def test_a_page_and_the_rank_window_are_the_same_on_both_engines(tmp_path, server_book_url, monkeypatch):
    """A small page, and the most recent matches ranked among a window much smaller than the
    matches (as a very common word is on a big book), cut alike on both engines."""
    monkeypatch.setattr(Engine, "rank_window", 25)
    queries = ["budget", "a", "renewal", "zoe", "call back", "#renewal", "555", "e"]
    on_file, on_server = on_both(tmp_path, server_book_url, fill, queries, limit=7)
    assert_same(on_file, on_server)
    assert all(len(hits) == 7 for hits, _ in on_file.values())


def test_the_demo_book_gives_the_same_hits_on_both_engines(tmp_path, server_book_url):
    from storage.demo import build_demo

    def write() -> None:
        build_demo(now=NOW, prospects=80)

    open_book(tmp_path / "words.db")  # queries from the demo's own names, companies and tags
    try:
        write()
        names = [row[0] for row in database.execute_sql("SELECT name || ' ' || company FROM prospect ORDER BY id LIMIT 30")]
        tags = [row[0] for row in database.execute_sql("SELECT DISTINCT name FROM tag ORDER BY name LIMIT 10")]
    finally:
        close_book()
    words = sorted({word for text in names for word in text.split()})
    queries = words + [word[:2] for word in words] + [f"#{tag}" for tag in tags] + tags
    on_file, on_server = on_both(tmp_path, server_book_url, write, queries)
    assert_same(on_file, on_server)
    assert sum(1 for hits, _ in on_file.values() if hits) > len(queries) // 2


def test_a_server_book_from_before_search_gets_its_index_filled(server_book_url):
    """A server book made before its search tables existed (migration 17) gets them, filled from
    its rows, when it is opened."""
    open_book(server_book_url)
    ada = actions.add_prospect({"name": "Zoë Ångström", "phone": "+33 1 42 68 53 00"}, now=NOW)
    actions.log_touch(ada, channel="call", outcome="talked", note="Wants the crème brûlée #renewal", at=NOW, now=NOW)
    database.execute_sql("DROP TABLE search_prospect")
    database.execute_sql("DROP TABLE search_note")
    database.execute_sql("UPDATE schema_version SET version = 16")
    close_book()
    open_book(server_book_url)
    assert [h.prospect_id for h in search.search("zoe angstrom")] == [ada]
    assert [(h.prospect_id, h.where) for h in search.search("268530")] == [(ada, "phone")]
    assert [(h.prospect_id, h.where) for h in search.search("#renewal")] == [(ada, "tag")]
    assert [(h.prospect_id, h.where) for h in search.search("creme brulee")] == [(ada, "note")]
    secured = "SELECT relname, relrowsecurity FROM pg_class WHERE relname IN ('search_prospect', 'search_note') ORDER BY 1"
    assert database.execute_sql(secured).fetchall() == [("search_note", True), ("search_prospect", True)]  # a rep's own


def test_a_rep_refills_the_index_of_what_they_see_on_a_team_book(server_book_url):
    """A full refill (a JSON import runs one) by a rep, who does not own the index tables: their
    own and the shared prospects are indexed again, another rep's are neither read nor touched."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    from tests.server_books import admin

    reps = [f"rep_{uuid.uuid4().hex[:6]}" for _ in range(2)]
    for rep in reps:
        admin(f"CREATE ROLE {rep} LOGIN IN ROLE followup_rep")
    parts = urlsplit(server_book_url)
    as_rep = [urlunsplit(parts._replace(netloc=f"{rep}@{parts.netloc.rpartition('@')[2]}")) for rep in reps]
    try:
        open_book(as_rep[1])
        theirs = actions.add_prospect({"name": "Zoë Theirs"}, now=NOW)
        close_book()
        open_book(as_rep[0])
        mine = actions.add_prospect({"name": "Zoë Mine", "phone": "020 7946 0000"}, now=NOW)
        with database.atomic():
            search.reindex()
        assert [h.prospect_id for h in search.search("zoe")] == [mine]
        assert [h.prospect_id for h in search.search("946000")] == [mine]
        close_book()
        open_book(as_rep[1])
        assert [h.prospect_id for h in search.search("zoe")] == [theirs]
    finally:
        close_book()
        admin(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')  # before its roles
        for rep in reps:
            admin(f"DROP ROLE IF EXISTS {rep}")
