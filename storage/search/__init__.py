"""Search (/): one box that finds prospects by name, company, email, phone, title, and by the
words (and #tags) of their notes, as the rep types, best first.

On SQLite two FTS5 tables hold the words, kept in step by storage.actions inside each action's own
transaction (and refilled by the bulk loaders with `reindex`):
  - search_prospect: one row per prospect (rowid = prospect.id) with its name, company, email,
    phone (plus the phone's digits alone, so 5550102 finds "+1 (555) 010-2…") and title;
  - search_note: an external-content index over touch.note (rowid = touch.id, no second copy of
    the notes); a note's #tags are words of the note.
Both fold case and accents (unicode61, remove_diacritics 2: "zoe" finds "Zoë").

Elsewhere (a PostgreSQL book) a portable LIKE/ILIKE query over the same fields and notes answers,
limited, unranked beyond "prospect fields before notes, then recent"."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import peewee as pw

from storage.book.models import Prospect, Touch, database
from storage.rules.tags import tags_in
from storage.rules.text import visible

TOKENIZE = "unicode61 remove_diacritics 2"
SNIPPET_MAX = 120
MAX_TOKENS = 8  # words the box uses; the rest of a pasted paragraph is ignored
MAX_TOKEN_CHARS = 64
MAX_TEXT = 400
# bm25 weights of search_prospect's columns: a name outweighs a company, email or phone, then title
PROSPECT_WEIGHTS = (10.0, 5.0, 5.0, 5.0, 2.0, 1.0)
PROSPECT_COLUMNS = ("name", "company", "email", "phone", "title", "notes")

# The current schema of the index (a new book gets it; migrations step 3 made the same).
CREATE_SQL = (
    "CREATE VIRTUAL TABLE search_prospect USING fts5("
    f"name, company, email, phone, title, notes, tokenize = '{TOKENIZE}')",
    "CREATE VIRTUAL TABLE search_note USING fts5("
    f"note, prospect_id UNINDEXED, content = 'touch', content_rowid = 'id', tokenize = '{TOKENIZE}')",
)
# the phone's digits alone, in SQL (the same as _digits below)
_DIGITS_SQL = "phone"
for _ch in " -().+/":
    _DIGITS_SQL = f"replace({_DIGITS_SQL}, '{_ch}', '')"
# the phone as typed, its digits, and their last 10 and 7 (so a number typed without the country
# or area code is found as it is typed)
_PHONE_SQL = f"phone || ' ' || {_DIGITS_SQL} || ' ' || substr({_DIGITS_SQL}, -10) || ' ' || substr({_DIGITS_SQL}, -7)"
# Fill both tables from the book's rows (after a bulk load or a migration); raw SQL so a loader
# holding a bare sqlite3 connection can run the same statements in its own transaction.
REINDEX_SQL = (
    "DELETE FROM search_prospect",
    "INSERT INTO search_prospect (rowid, name, company, email, phone, title, notes) "
    f"SELECT id, name, company, email, {_PHONE_SQL}, title, notes FROM prospect",
    "INSERT INTO search_note (search_note) VALUES ('rebuild')",
)


@dataclass(frozen=True)
class Hit:
    prospect_id: int
    name: str
    company: str
    status: str
    where: str  # name, company, email, phone, title, note or tag
    snippet: str  # one plain line, at most SNIPPET_MAX characters
    rank: float  # lower is better (bm25); only comparable within one search
    touch_id: int | None = None  # the note's touch, for a note or tag hit
    span: tuple[int, int] | None = None  # where the match is in the snippet, for highlighting


# ---------------------------------------------------------------------------------------------
# The query


def _words(text: str) -> list[str]:
    """The words unicode61 would see, folded as it folds them (near enough for display)."""
    return re.findall(r"[^\W_]+", fold(text))


def fold(text: str) -> str:
    """Lowercase without accents, one output character per input character where possible."""
    if text.isascii():  # most names and emails: the same answer, without a call per character
        return text.lower()
    return "".join(_fold_char(ch) for ch in text)


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _tokens(text: str) -> tuple[list[str], bool]:
    """The typed tokens worth searching for, and whether the last is still being typed."""
    text = (text or "")[:MAX_TEXT]
    typing = bool(text) and not text[-1].isspace()
    tokens = [token[:MAX_TOKEN_CHARS] for token in text.split()]
    kept = [token for token in tokens if any(ch.isalnum() for ch in token)]
    if kept and tokens and kept[-1] is not tokens[-1]:
        typing = False  # the last thing typed was punctuation only: the last word is complete
    return kept[:MAX_TOKENS], typing and len(kept) <= MAX_TOKENS


def fts_query(text: str) -> str | None:
    """An FTS5 query for what the rep typed: every token an FTS5 string (each `"` doubled), all of
    them required, the last one a prefix while it is being typed. None when nothing is searchable.
    Operators, column filters and NEAR typed as text are only words here, never syntax."""
    tokens, typing = _tokens(text)
    if not tokens:
        return None
    parts = ['"' + token.replace('"', '""') + '"' for token in tokens]
    if typing:
        parts[-1] += "*"
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------
# Keeping the index in step (called by storage.actions inside their transactions)


def _is_sqlite() -> bool:
    return isinstance(database.obj, pw.SqliteDatabase)


def create_index(db: pw.Database) -> None:
    """The index tables of a new book (no-op where the database is not SQLite)."""
    if isinstance(db, pw.SqliteDatabase):
        for sql in CREATE_SQL:
            db.execute_sql(sql)


def _digits(phone: str) -> str:
    for ch in " -().+/":
        phone = phone.replace(ch, "")
    return phone


def _phone_words(phone: str) -> str:
    """What search_prospect.phone holds (the same as _PHONE_SQL)."""
    digits = _digits(phone)
    return f"{phone} {digits} {digits[-10:]} {digits[-7:]}"


def index_prospect(prospect: Prospect) -> None:
    """Add or replace the prospect's row (after add_prospect or edit_prospect)."""
    if not _is_sqlite():
        return
    database.execute_sql("DELETE FROM search_prospect WHERE rowid = ?", (prospect.id,))
    database.execute_sql(
        "INSERT INTO search_prospect (rowid, name, company, email, phone, title, notes) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            prospect.id,
            prospect.name or "",
            prospect.company or "",
            prospect.email or "",
            _phone_words(prospect.phone or ""),
            prospect.title or "",
            prospect.notes or "",
        ),
    )


def index_touch(touch: Touch) -> None:
    """Index a new touch's note (every touch, an empty note too: the rebuild does the same)."""
    if not _is_sqlite():
        return
    database.execute_sql(
        "INSERT INTO search_note (rowid, note, prospect_id) VALUES (?, ?, ?)",
        (touch.id, touch.note or "", touch.prospect_id),
    )


def forget_touch(touch_id: int) -> None:
    """Take a touch's note out of the index. Call BEFORE deleting the touch row: an external
    content index is told the old values it indexed."""
    if not _is_sqlite():
        return
    row = database.execute_sql("SELECT note, prospect_id FROM touch WHERE id = ?", (touch_id,)).fetchone()
    if row is not None:
        database.execute_sql(
            "INSERT INTO search_note (search_note, rowid, note, prospect_id) VALUES ('delete', ?, ?, ?)",
            (touch_id, row[0], row[1]),
        )


def forget_prospect(prospect_id: int) -> None:
    """Take a prospect and all their notes out of the index; call before deleting the rows
    (inside the same transaction)."""
    if not _is_sqlite():
        return
    database.execute_sql("DELETE FROM search_prospect WHERE rowid = ?", (prospect_id,))
    database.execute_sql(
        "INSERT INTO search_note (search_note, rowid, note, prospect_id) "
        "SELECT 'delete', id, note, prospect_id FROM touch WHERE prospect_id = ?",
        (prospect_id,),
    )


def reindex() -> None:
    """Refill the whole index from the book (after a bulk load: the demo, an import). Runs in the
    caller's transaction when there is one."""
    if not _is_sqlite():
        return
    with database.atomic():
        for sql in REINDEX_SQL:
            database.execute_sql(sql)


# ---------------------------------------------------------------------------------------------
# Searching

_PROSPECT_SQL = (
    "SELECT p.id, p.name, p.company, p.email, p.phone, p.title, p.notes, p.status, "
    f"bm25(search_prospect, {', '.join(map(str, PROSPECT_WEIGHTS))}) AS score "
    "FROM search_prospect JOIN prospect AS p ON p.id = search_prospect.rowid "
    "WHERE search_prospect MATCH ? AND search_prospect.rowid >= ? "
    "ORDER BY score, p.last_touch_at DESC, p.id DESC LIMIT ?"
)
_NOTE_SQL = (
    "SELECT rowid, prospect_id, rank FROM search_note WHERE search_note MATCH ? AND rowid >= ? "
    "ORDER BY rank LIMIT ?"
)
# bm25 costs ~10 µs a matching row on the 2-core bench machine (a word in 180k of 1M notes: over a
# second), so a very common word or short prefix is ranked among its RANK_WINDOW most recent
# matches (ids follow time): ~20 ms, where 20,000 took ~150 ms. Walking the match list by rowid to
# find where that window starts costs under a millisecond.
RANK_WINDOW = 2_000
_CUTOFF_SQL = "SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?"


def _floor(table: str, query: str) -> int:
    """The lowest rowid worth ranking: the RANK_WINDOW-th most recent match, or 0 for all."""
    row = database.execute_sql(_CUTOFF_SQL.format(table=table), (query, RANK_WINDOW - 1)).fetchone()
    return row[0] if row else 0


def search(text: str, limit: int = 50) -> list[Hit]:
    """The prospects matching what the rep typed, best first, one hit each (their best): matches
    in their own fields above matches in notes, then by bm25, then the most recent."""
    if limit <= 0:
        return []
    query = fts_query(text)
    if query is None:
        return []
    words = _query_words(text)
    if not _is_sqlite():
        return _search_portable(text, limit, words)
    hits: list[Hit] = []
    seen: set[int] = set()
    floor = _floor("search_prospect", query)
    for pid, name, company, email, phone, title, notes, status, score in database.execute_sql(
        _PROSPECT_SQL, (query, floor, limit)
    ):
        where, snippet, span = _field_hit(words, name=name, company=company, email=email, phone=phone, title=title, notes=notes)
        hits.append(Hit(pid, name, company, status, where, snippet, score, None, span))
        seen.add(pid)
    if len(hits) < limit:
        hits.extend(_note_hits(query, limit - len(hits), seen, words))
    return hits


def _note_hits(query: str, wanted: int, seen: set[int], words: list[str]) -> list[Hit]:
    """The best note of each prospect not found already. A prospect first met within the top K
    notes has its best note within them too, so widening K until enough are found is exact."""
    best: dict[int, tuple[int, float]] = {}  # prospect -> (touch, score), in rank order
    # ranking costs the same for any LIMIT (bm25 scores every match above the floor): ask for plenty
    window = max(wanted * 20, 1024)
    floor = _floor("search_note", query)
    while True:
        rows = database.execute_sql(_NOTE_SQL, (query, floor, window)).fetchall()
        for touch_id, pid, score in rows:
            if pid not in seen and pid not in best:
                best[pid] = (touch_id, score)
        if len(best) >= wanted or len(rows) < window:
            break
        window *= 4
    chosen = list(best.items())[:wanted]
    if not chosen:
        return []
    touches = {t.id: t for t in Touch.select(Touch.id, Touch.note, Touch.at).where(Touch.id.in_([t for _, (t, _) in chosen]))}
    people = {
        p.id: p
        for p in Prospect.select(Prospect.id, Prospect.name, Prospect.company, Prospect.status).where(
            Prospect.id.in_([pid for pid, _ in chosen])
        )
    }
    hits = []
    for pid, (touch_id, score) in chosen:
        person, touch = people.get(pid), touches.get(touch_id)
        if person is None or touch is None:
            continue
        where, snippet, span = _note_hit(words, touch.note)
        hits.append(Hit(pid, person.name, person.company, person.status, where, snippet, score, touch_id, span))
    # equal scores: the more recent note first
    hits.sort(key=lambda h: (h.rank, -(touches[h.touch_id].at.timestamp() if touches[h.touch_id].at else 0), -(h.touch_id or 0)))
    return hits


def _query_words(text: str) -> list[str]:
    tokens, _ = _tokens(text)
    return [word for token in tokens for word in _words(token)]


def _find(words: list[str], text: str, before: str = r"(?<![^\W_])") -> tuple[int, int] | None:
    """Where the first query word starts a word of `text` (accents and case aside)."""
    folded_chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in _fold_char(ch):
            folded_chars.append(c)
            origin.append(i)
    folded = "".join(folded_chars)
    for word in words:
        match = re.search(before + re.escape(word), folded)
        if match:
            return origin[match.start()], origin[match.end() - 1] + 1
    return None


def _one_line(text: str, span: tuple[int, int] | None) -> tuple[str, tuple[int, int] | None]:
    """Shorten a line to SNIPPET_MAX around the match, as plain visible text."""
    text = visible(text.replace("\t", " "), one_line=True)
    if len(text) <= SNIPPET_MAX:
        return text, span
    start = 0
    if span is not None and span[1] > SNIPPET_MAX - 1:
        start = max(0, min(span[0] - 30, len(text) - (SNIPPET_MAX - 1)))
    prefix = "…" if start else ""
    room = SNIPPET_MAX - len(prefix)
    body = text[start : start + room]
    suffix = ""
    if start + room < len(text):
        body, suffix = body[:-1], "…"
    out = prefix + body + suffix
    if span is not None:
        s, e = span[0] - start + len(prefix), min(span[1] - start + len(prefix), len(prefix) + len(body))
        span = (s, e) if 0 <= s < e else None
    return out, span


def _field_hit(words: list[str], **fields: str) -> tuple[str, str, tuple[int, int] | None]:
    """Which of the prospect's fields matched (name first), and that field as the snippet."""
    for column in PROSPECT_COLUMNS:
        value = fields.get(column) or ""
        if column == "notes":  # background notes are shown by their matching line, like a touch's
            value = next((line for line in value.split("\n") if _find(words, line)), "")
        span = _find(words, value)
        if span is None and column == "phone" and value:
            digits = _digits(value)
            if any(word.isdigit() and word in digits for word in words):
                return "phone", *_one_line(value, None)
        if span is not None:
            return column, *_one_line(value, span)
    name = fields.get("name") or ""
    return "name", *_one_line(name, None)


def _note_hit(words: list[str], note: str) -> tuple[str, str, tuple[int, int] | None]:
    """The note's line to show: one where a query word is a #tag first, else one where it is a word."""
    lines = (note or "").split("\n")
    for line in lines:
        span = _find(words, line, r"(?<![\w&#])#")
        if span is not None:
            return "tag", *_one_line(line, (span[0] + 1, span[1]))
    for line in lines:
        span = _find(words, line)
        if span is not None:
            return "note", *_one_line(line, span)
    first = next((line for line in lines if line.strip()), "")
    return "note", *_one_line(first, None)


# ---------------------------------------------------------------------------------------------
# Elsewhere than SQLite: a portable query


def _search_portable(text: str, limit: int, words: list[str] | None = None) -> list[Hit]:
    """LIKE/ILIKE (peewee's `contains`, wildcards escaped) over the prospect fields, then notes;
    every token must appear. Runs on any database peewee speaks to (SQLite too, for the tests)."""
    tokens, _ = _tokens(text)
    if not tokens or limit <= 0:
        return []
    words = words if words is not None else _query_words(text)
    fields = (Prospect.name, Prospect.company, Prospect.email, Prospect.phone, Prospect.title, Prospect.notes)
    condition = None
    for token in tokens:
        any_field = None
        for field in fields:
            expr = field.contains(token)
            any_field = expr if any_field is None else (any_field | expr)
        condition = any_field if condition is None else (condition & any_field)
    hits: list[Hit] = []
    seen: set[int] = set()
    query = (
        Prospect.select(
            Prospect.id, Prospect.name, Prospect.company, Prospect.email, Prospect.phone, Prospect.title, Prospect.notes, Prospect.status
        )
        .where(condition)
        .order_by(Prospect.last_touch_at.desc(nulls="LAST"), Prospect.id.desc())
        .limit(limit)
    )
    for p in query:
        where, snippet, span = _field_hit(
            words, name=p.name, company=p.company, email=p.email, phone=p.phone, title=p.title, notes=p.notes
        )
        hits.append(Hit(p.id, p.name, p.company, p.status, where, snippet, 0.0, None, span))
        seen.add(p.id)
    if len(hits) < limit:
        note_condition = None
        for token in tokens:
            expr = Touch.note.contains(token)
            note_condition = expr if note_condition is None else (note_condition & expr)
        notes = (
            Touch.select(Touch.id, Touch.note, Touch.prospect, Prospect.id, Prospect.name, Prospect.company, Prospect.status)
            .join(Prospect)
            .where(note_condition)
            .order_by(Touch.at.desc(), Touch.id.desc())
            .limit(limit * 4)
        )
        for t in notes:
            pid = t.prospect_id
            if pid in seen:
                continue
            seen.add(pid)
            where, snippet, span = _note_hit(words, t.note)
            hits.append(Hit(pid, t.prospect.name, t.prospect.company, t.prospect.status, where, snippet, 1.0, t.id, span))
            if len(hits) >= limit:
                break
    return hits
