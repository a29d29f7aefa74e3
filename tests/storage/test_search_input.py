"""storage/search: what the rep types, alone (the FTS5 query made of it) and at its oddest (quotes,
operators, emoji, NUL, a pasted paragraph) on a book of either engine (ON_BOTH_ENGINES), through
the engine's index and through the portable LIKE query."""

from __future__ import annotations

import pytest

from storage import search
from storage.search import fts_query, words
from tests.storage.test_search import add, portable, touch

# --- the query, alone ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("", None),
        ("   ", None),
        ("ada", '"ada"*'),
        ("ada ", '"ada"'),
        ("ada love", '"ada" "love"*'),
        ('say "hi', '"say" """hi"*'),
        ("NEAR(a b)", '"NEAR(a" "b)"*'),
        ("col:x", '"col:x"*'),
        ("a -b", '"a" "-b"*'),
        ("* - \" '", None),
        ("price *", '"price"'),
        ("Zoë", '"Zoë"*'),
        ("😀", None),
    ],
)
def test_fts_query_quotes_every_token_and_makes_the_last_a_prefix(text, query):
    assert fts_query(text) == query


def test_fts_query_caps_a_pasted_paragraph():
    query = fts_query("word " * 2000 + "x" * 10_000)
    assert query is not None and query.count('"word"') == words.MAX_TOKENS
    assert len(query) < 200


# --- hostile input ------------------------------------------------------------------------

HOSTILE = [
    '"', '""', '"""', "'", "''", "*", "**", "-", "--", "+", "^", ":", "(", ")", "()",
    "AND", "OR", "NOT", "AND(", "a AND", "OR b", "NOT a", "NEAR(", "NEAR(a b, 2)", "a NEAR b",
    "col:x", "name:ada", "{name}: ada", "-ada", "ada*", "*ada", "\"ada", "ada\"", "a\"b\"c",
    "^ada", "ada + bob", "\\", "%", "_", "%_%", "😀", "👩‍👩‍👧", "Zoë", "ǅ", "ﬁ", "\u0301", "\u200b",
    "\x00", "\x1b[31m", "a\tb\nc", "   ", "\u3000", "日本語", "مرحبا", "x" * 10_000, "a " * 5000,
    "ada" + "\"" * 100, "; DROP TABLE prospect; --",
]


@pytest.mark.parametrize("text", HOSTILE, ids=[f"h{i}" for i in range(len(HOSTILE))])
def test_odd_input_never_raises(book, text):
    ada = add("Ada \"Quotes\" O'Neil", company="*Stars* & -Dashes-")
    touch(ada, "NEAR(this) AND col:x OR \"that\" 😀 日本語 #tag")
    hits = search.search(text)
    assert isinstance(hits, list)
    assert portable(text, 50) is not None
    if not text.strip():
        assert hits == []


def test_the_portable_query_finds_fields_then_notes(book):
    ada = add("Ada Lovelace", company="Engines")
    bob = add("Bob")
    touch(bob, "Talked about Lovelace's 100% plan")
    hits = portable("lovelace", 50)
    assert [(h.prospect_id, h.where) for h in hits] == [(ada, "name"), (bob, "note")]
    assert [h.prospect_id for h in portable("100%", 50)] == [bob]
    assert portable("1000%", 50) == []
