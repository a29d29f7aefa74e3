"""Search on a PostgreSQL server, answering as SQLite's FTS5 answers (issue 18, point 5): the same
prospects for the same query, ranked by the same bm25 and in the same order, so a book searched on
either engine gives the same hits (tests/storage/test_search_engines.py compares them).

- Words: storage.rules.search_words.index_words splits and folds text as SQLite's tokenizer
  (unicode61, remove_diacritics 2) does, in Python, for the rows and for the query alike. Not the
  server's own parser or `unaccent`: the parser keeps "ada@engines.example" or "-010" whole and
  unaccent folds "ß" and "æ" where FTS5 does not, so their answers would differ from SQLite's; and
  a team's DBA then has no extension to install (nothing here needs a superuser).
- The index: search_prospect and search_note, one tsvector a row holding each word at its
  position, each of the prospect's columns from a multiple of SPAN on (a gap between columns, so a
  phrase never runs from one into the next, as in FTS5), and the row's number of words; a GIN index
  answers the query, every typed token a phrase (`'555' <-> '010'`), the one being typed a prefix
  (`:*`): "zoe" finds "Zoë", "0102" a phone's digits, "lov" Lovelace.
- Ranking: FTS5's bm25 (k1 1.2, b 0.75, the columns' weights), worked out here over the same
  RANK_WINDOW most recent matches SQLite ranks, from the same figures (the table's rows and words,
  how many rows hold each phrase: read by the statement that finds the matches), with the same
  arithmetic; ties in SQLite's order (engines.sqlite: _PROSPECT_SQL, _NOTE_SQL).

On a team's book the search tables are under the team's row-level security (engines.postgres_team):
a row is seen when its prospect is, the prospects a rep sees gathered once per statement
(postgres_team._seen_through), so the GIN index still answers (`@@` is not leakproof: a policy
checked row by row before the words took 1.8-4.3 s a search on a 10k-prospect book, 53-81 ms so).

A mixin of PostgresEngine: the methods of engines.base.Engine's search part, on self.db."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence

from storage.rules.search_words import COLUMNS, WEIGHTS, index_words, prospect_fields

SPAN = 1000  # positions a short column may use (a name of 200 characters has at most 100 words)
MAX_POSITION = 16_383  # the server's largest position; a later word is kept at it
MAX_LEXEME_BYTES = 2_046  # the server refuses a longer word
K1, B = 1.2, 0.75  # bm25's constants, as FTS5's

# The word indexes take each write at once (fastupdate off): a GIN index's pending list, where
# writes wait for the next vacuum otherwise, is read through by every search (a search of a 1,000
# prospect book took 27 ms after a refill, 3 ms once the list was merged). A refill makes them anew.
WORD_INDEXES = (
    "CREATE INDEX search_prospect_words ON search_prospect USING GIN (words) WITH (fastupdate = off)",
    "CREATE INDEX search_note_words ON search_note USING GIN (words) WITH (fastupdate = off)",
)
CREATE_SQL = (
    "CREATE TABLE search_prospect (id BIGINT PRIMARY KEY, words TSVECTOR NOT NULL, size INTEGER NOT NULL)",
    "CREATE TABLE search_note (id BIGINT PRIMARY KEY, prospect_id BIGINT NOT NULL, words TSVECTOR NOT NULL,"
    " size INTEGER NOT NULL)",
    "CREATE INDEX search_note_prospect_id ON search_note (prospect_id)",
    # bm25's figures of the whole table (rows, words) from these alone: 100k notes, 38 ms -> 9 ms
    "CREATE INDEX search_prospect_size ON search_prospect (size)",
    "CREATE INDEX search_note_size ON search_note (size)",
    *WORD_INDEXES,
)
_UPSERT_PROSPECTS = (
    "INSERT INTO search_prospect (id, words, size) SELECT * FROM unnest(%s::bigint[], %s::tsvector[], %s::int[]) "
    "ON CONFLICT (id) DO UPDATE SET words = EXCLUDED.words, size = EXCLUDED.size"
)
_INSERT_NOTES = (
    "INSERT INTO search_note (id, prospect_id, words, size) "
    "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::tsvector[], %s::int[])"
)
_PROSPECT_ROWS = "SELECT id, name, company, email, phone, title, notes FROM prospect"
BATCH = 2_000


# -- what a row holds ------------------------------------------------------------------------


def document(columns: Sequence[str]) -> tuple[str, int]:
    """A row's tsvector (as text) and its number of words (bm25's document length, every word
    counted, as FTS5 counts them)."""
    where: dict[str, list[str]] = {}
    size = 0
    last_column = len(columns) - 1
    for column, text in enumerate(columns):
        words = index_words(text)
        if not words:
            continue
        size += len(words)
        base = column * SPAN + 1
        top = MAX_POSITION if column == last_column else base + SPAN - 2
        for place, word in enumerate(words, base):  # a column longer than its room: the rest at its last place
            where.setdefault(word, []).append(str(place if place <= top else top))
    # a word is letters and digits only: never a quote or a backslash to escape
    return " ".join([f"'{word}':{','.join(places)}" for word, places in where.items()
                     if len(word) * 4 <= MAX_LEXEME_BYTES or len(word.encode()) <= MAX_LEXEME_BYTES]), size


def _quoted(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"




# -- the query -------------------------------------------------------------------------------

Phrase = tuple[list[str], bool]  # its words, and whether the last is a prefix


def phrases(query: str, tokens: list[str]) -> list[Phrase] | None:
    """Each typed token a phrase of its words, the last a prefix while it is typed (the FTS5 query
    ends in *); None when a token holds no word (FTS5's empty phrase matches nothing)."""
    typing = query.endswith("*")
    out: list[Phrase] = []
    for number, token in enumerate(tokens):
        words = index_words(token)
        if not words:
            return None
        out.append((words, typing and number == len(tokens) - 1))
    return out or None


def tsquery(phrase: Phrase) -> str:
    words, prefix = phrase
    parts = [_quoted(word) for word in words]
    if prefix:
        parts[-1] += ":*"
    return " <-> ".join(parts)


def _finders(phrase: Phrase) -> list[re.Pattern[str]]:
    """For each word of the phrase, what finds its positions in a tsvector's text (`'word':1,7`):
    the word whole, or any word it begins while it is typed. A word holds no quote, so a quote
    after a space (or first) starts a word."""
    words, prefix = phrase
    last = len(words) - 1
    tail = "[^']*" if prefix else ""
    return [re.compile(f"(?:^| )'{re.escape(word)}{tail if i == last else ''}':([0-9,]+)") for i, word in enumerate(words)]


def _instances(text: str, finders: list[re.Pattern[str]]) -> Iterable[int]:
    """Where the phrase starts in a row (each of its occurrences, as FTS5's xInst lists them)."""
    places = [{int(p) for found in finder.findall(text) for p in found.split(",")} for finder in finders]
    return [p for p in places[0] if all(p + i in later for i, later in enumerate(places[1:], 1))]


def _bm25(text: str, size: int, finders: list[list[re.Pattern[str]]], idf: list[float], avgdl: float,
          weights: Sequence[float]) -> float:
    """FTS5's bm25 for one row, with its arithmetic in its order (fts5_aux.c), so that equal rows
    score equal on both engines and the order, ties included, is the same."""
    score = 0.0
    for number, finder in enumerate(finders):
        freq = 0.0
        for place in _instances(text, finder):
            freq += weights[min((place - 1) // SPAN, len(weights) - 1)]
        score += idf[number] * ((freq * (K1 + 1.0)) / (freq + K1 * (1 - B + B * size / avgdl)))
    return -1.0 * score


def _idf(rows: int, hits: int) -> float:
    idf = math.log((rows - hits + 0.5) / (hits + 0.5))
    return idf if idf > 0.0 else 1e-6


def _matching(table: str, found: list[Phrase]) -> tuple[str, str, list[str], str]:
    """The WHERE of a table's rows holding every phrase, above the floor (the rank window's oldest
    match), and the statistics bm25 needs, read once by the same statement."""
    every = " & ".join(f"({tsquery(phrase)})" for phrase in found)
    stats = (
        f"(SELECT ARRAY[count(*), COALESCE(sum(size), 0)] FROM {table}) AS totals_, "
        "ARRAY[" + ", ".join(f"(SELECT count(*) FROM {table} WHERE words @@ %s::tsquery)" for _ in found) + "] AS hits_"
    )
    where = (
        f"s.words @@ %s::tsquery AND s.id >= COALESCE((SELECT id FROM {table} WHERE words @@ %s::tsquery "
        "ORDER BY id DESC OFFSET %s LIMIT 1), 0)"
    )
    return stats, where, [tsquery(phrase) for phrase in found], every


_EPOCH = dt.datetime(1970, 1, 1)


def _newest_first(moment: dt.datetime | None) -> tuple[int, float]:
    """SQLite's `ORDER BY last_touch_at DESC`: the latest first, never touched last."""
    if moment is None:
        return 1, 0.0
    return 0, -(moment.replace(tzinfo=None) - _EPOCH).total_seconds()


class ServerSearch:
    """engines.base.Engine's search methods, on a server (mixed into PostgresEngine)."""

    db: object
    rank_window: int

    # -- kept in step by the writers ---------------------------------------------------------

    def create_search(self) -> None:
        for sql in CREATE_SQL:
            self.db.execute_sql(sql)

    def index_prospect(self, prospect_id: int, fields: dict[str, str]) -> None:
        self._put_prospects([(prospect_id, fields)])

    def index_touch(self, touch_id: int, prospect_id: int, note: str) -> None:
        self._put_notes([(touch_id, prospect_id, note)])

    def forget_touch(self, touch_id: int) -> None:
        self.db.execute_sql("DELETE FROM search_note WHERE id = %s", (touch_id,))

    def forget_prospect(self, prospect_id: int) -> None:
        self.db.execute_sql("DELETE FROM search_prospect WHERE id = %s", (prospect_id,))
        self.db.execute_sql("DELETE FROM search_note WHERE prospect_id = %s", (prospect_id,))

    def reindex(self, prospect_ids: Sequence[int] | None = None) -> None:
        """Refill from the rows, folded by the rule the writers use (prospect_fields, searchable),
        a batch of rows at a time."""
        if prospect_ids is not None:
            for start in range(0, len(prospect_ids), BATCH):
                chunk = list(prospect_ids[start : start + BATCH])
                rows = self.db.execute_sql(f"{_PROSPECT_ROWS} WHERE id = ANY(%s)", (chunk,)).fetchall()
                self._put_prospects([(row[0], prospect_fields(*row[1:])) for row in rows])
            return
        from storage.rules.text import searchable

        # The word indexes made once, after the rows, by the role that owns them (the team's
        # administrator); a rep refills what they see (row-level security) with the indexes kept.
        owner = self.db.execute_sql(
            "SELECT pg_has_role(current_user, relowner, 'MEMBER') FROM pg_class WHERE oid = 'search_note'::regclass"
        ).fetchone()[0]
        if owner:
            self.db.execute_sql("DROP INDEX search_prospect_words, search_note_words")
        self.db.execute_sql("DELETE FROM search_prospect")
        self.db.execute_sql("DELETE FROM search_note")
        for rows in self._batches(_PROSPECT_ROWS):
            self._put_prospects([(row[0], prospect_fields(*row[1:])) for row in rows])
        for rows in self._batches("SELECT id, prospect_id, note FROM touch"):
            self._put_notes([(row[0], row[1], searchable(row[2] or "")) for row in rows])
        if owner:
            for sql in WORD_INDEXES:
                self.db.execute_sql(sql)

    def _batches(self, select: str) -> Iterable[list[tuple]]:
        after = 0
        while True:
            rows = self.db.execute_sql(f"{select} WHERE id > %s ORDER BY id LIMIT {BATCH}", (after,)).fetchall()
            if not rows:
                return
            yield rows
            after = rows[-1][0]

    def _put_prospects(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        if rows:
            made = [document([fields[column] for column in COLUMNS]) for _, fields in rows]
            self.db.execute_sql(_UPSERT_PROSPECTS, ([pid for pid, _ in rows], [m[0] for m in made], [m[1] for m in made]))

    def _put_notes(self, rows: list[tuple[int, int, str]]) -> None:
        if rows:
            made = [document([note]) for _, _, note in rows]
            self.db.execute_sql(_INSERT_NOTES, ([r[0] for r in rows], [r[1] for r in rows], [m[0] for m in made], [m[1] for m in made]))

    # -- answering ---------------------------------------------------------------------------

    def prospect_matches(self, query: str, tokens: list[str], limit: int) -> list[tuple]:
        found = phrases(query, tokens)
        if found is None:
            return []
        stats, where, each, every = _matching("search_prospect", found)
        rows = self.db.execute_sql(
            "SELECT p.id, p.name, p.company, p.email, p.phone, p.title, p.notes, p.status, p.last_touch_at, "
            f"s.words::text, s.size, {stats} FROM search_prospect AS s JOIN prospect AS p ON p.id = s.id WHERE {where}",
            (*each, every, every, self.rank_window - 1),
        ).fetchall()
        finders = [_finders(phrase) for phrase in found]
        scored = []
        for row in rows:
            (count, total), hits = row[11], row[12]
            idf = [_idf(count, h) for h in hits]
            score = _bm25(row[9], row[10], finders, idf, total / count, WEIGHTS)
            scored.append(((score, _newest_first(row[8]), -row[0]), (*row[:8], score)))
        scored.sort(key=lambda item: item[0])
        return [answer for _, answer in scored[:limit]]

    def count_matches(self, query: str, tokens: list[str], cap: int) -> int:
        """The prospects prospect_matches and note_matches would find, counted by the server
        without ranking them (one statement): the order never changes how many there are."""
        found = phrases(query, tokens)
        if found is None or cap <= 0:
            return 0
        _, own_where, _, every = _matching("search_prospect", found)
        _, note_where, _, _ = _matching("search_note", found)
        own, others = self.db.execute_sql(
            f"WITH own AS (SELECT s.id FROM search_prospect AS s JOIN prospect AS p ON p.id = s.id WHERE {own_where} LIMIT %s) "
            "SELECT (SELECT count(*) FROM own), "
            f"(SELECT count(DISTINCT s.prospect_id) FROM search_note AS s WHERE {note_where} AND s.prospect_id NOT IN (SELECT id FROM own))",
            (every, every, self.rank_window - 1, cap, every, every, self.rank_window - 1),
        ).fetchone()
        return own if own >= cap else own + min(others, cap - own)

    def note_matches(self, query: str, tokens: list[str], wanted: int, exclude: set[int]) -> list[tuple[int, int, float]]:
        found = phrases(query, tokens)
        if found is None or wanted <= 0:
            return []
        stats, where, each, every = _matching("search_note", found)
        rows = self.db.execute_sql(
            f"SELECT s.id, s.prospect_id, s.words::text, s.size, {stats} FROM search_note AS s WHERE {where}",
            (*each, every, every, self.rank_window - 1),
        ).fetchall()
        finders = [_finders(phrase) for phrase in found]
        scored = []
        for touch_id, prospect_id, words, size, (count, total), hits in rows:
            idf = [_idf(count, h) for h in hits]
            scored.append((_bm25(words, size, finders, idf, total / count, (1.0,)), -touch_id, prospect_id))
        scored.sort()  # the best first; equal scores, the most recent (SQLite: ORDER BY rank, rowid DESC)
        best: dict[int, tuple[int, float]] = {}
        for score, negative_id, prospect_id in scored:
            if prospect_id not in exclude and prospect_id not in best:
                best[prospect_id] = (-negative_id, score)
                if len(best) >= wanted:
                    break
        return [(pid, touch_id, score) for pid, (touch_id, score) in best.items()]
