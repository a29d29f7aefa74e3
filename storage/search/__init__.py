"""Search (/): one box that finds prospects by name, company, email, phone, title and background
notes, and by the words (and #tags) of their touches' notes, as the rep types, best first.

The engine holds the index and answers the query (SQLite: two FTS5 tables, accents and case
folded, ranked by bm25; elsewhere a portable LIKE query); this module keeps the index in step for
the writers and turns what the engine finds into one hit per prospect with the line to show."""

from __future__ import annotations

from dataclasses import dataclass

from storage.book.models import Prospect, Touch
from storage.engines import current
from storage.engines.base import Engine
from storage.rules.search_words import prospect_fields
from storage.rules.text import searchable
from storage.search.snippets import SNIPPET_MAX, field_hit, note_hit
from storage.search.words import fold, fts_query, query_words, typed_tokens

__all__ = ["COUNT_CAP", "SNIPPET_MAX", "Hit", "count", "fold", "fts_query", "search"]


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
# Keeping the index in step (called by the writers inside their transactions)


def index_prospect(prospect: Prospect) -> None:
    """Add or replace the prospect's row (after add_prospect or edit_prospect). The index holds
    the text with its invisible characters folded away (rules.text.searchable), so a word they
    split is found whole; the engine's rebuild folds the rows by the same rule."""
    fields = prospect_fields(prospect.name, prospect.company, prospect.email, prospect.phone, prospect.title, prospect.notes)
    current().index_prospect(prospect.id, fields)


def index_touch(touch: Touch) -> None:
    """Index a new touch's note (every touch, an empty note too: the rebuild does the same),
    folded as the engine folds it when the touch is forgotten or the index rebuilt."""
    current().index_touch(touch.id, touch.prospect_id, searchable(touch.note or ""))


def forget_touch(touch_id: int) -> None:
    """Take a touch's note out of the index; call before deleting the touch row."""
    current().forget_touch(touch_id)


def forget_prospect(prospect_id: int) -> None:
    """Take a prospect and all their notes out of the index; call before deleting the rows."""
    current().forget_prospect(prospect_id)


def reindex(prospect_ids: list[int] | None = None) -> None:
    """Refill the whole index from the book (after a bulk load), or these new prospects' rows
    (their notes come with the full refill, or one by one through index_touch)."""
    current().reindex(prospect_ids)


# ---------------------------------------------------------------------------------------------
# Searching


def search(text: str, limit: int = 50, *, engine: Engine | None = None) -> list[Hit]:
    """The prospects matching what the rep typed, best first, one hit each (their best): matches
    in their own fields above matches in notes, then by rank, then the most recent. `engine`:
    the open book's (another answers the same question its own way; the tests use the portable one)."""
    if limit <= 0:
        return []
    text = searchable(text or "")  # as the index holds it: "Ro<U+200B>bert" typed is "Robert"
    query = fts_query(text)
    if query is None:
        return []
    tokens, _ = typed_tokens(text)
    words = query_words(text)
    engine = engine or current()
    hits: list[Hit] = []
    for pid, name, company, email, phone, title, notes, status, score in engine.prospect_matches(query, tokens, limit):
        where, snippet, span = field_hit(words, name=name, company=company, email=email, phone=phone, title=title, notes=notes)
        hits.append(Hit(pid, name, company, status, where, snippet, score, None, span))
    if len(hits) < limit:
        found = engine.note_matches(query, tokens, limit - len(hits), {hit.prospect_id for hit in hits})
        hits.extend(_note_hits(found, words))
    return hits


def _note_hits(found: list[tuple[int, int, float]], words: list[str]) -> list[Hit]:
    if not found:
        return []
    touches = {t.id: t for t in Touch.select(Touch.id, Touch.note, Touch.at).where(Touch.id.in_([t for _, t, _ in found]))}
    people = {
        p.id: p
        for p in Prospect.select(Prospect.id, Prospect.name, Prospect.company, Prospect.status).where(
            Prospect.id.in_([pid for pid, _, _ in found])
        )
    }
    hits = []
    for pid, touch_id, score in found:
        person, touch = people.get(pid), touches.get(touch_id)
        if person is None or touch is None:
            continue
        where, snippet, span = note_hit(words, touch.note)
        hits.append(Hit(pid, person.name, person.company, person.status, where, snippet, score, touch_id, span))
    # equal scores: the more recent note first
    hits.sort(key=lambda h: (h.rank, -(touches[h.touch_id].at.timestamp() if touches[h.touch_id].at else 0), -(h.touch_id or 0)))
    return hits



# ---------------------------------------------------------------------------------------------
# Counting: "50 of 98"

COUNT_CAP = 2_000  # as many as an engine ranks at once (Engine.rank_window): a count stays cheap


def count(text: str, *, cap: int | None = None, engine: Engine | None = None) -> tuple[int, bool]:
    """How many prospects match, and whether that is only a floor (the count stopped at `cap`:
    "2,000+"). Asked apart from the hits (once a page of them is full), so the hits never wait
    for it. By the engine's own match lists, without snippets; an engine ranks a note among its
    rank_window most recent matches, so a prospect met only in older notes is not counted."""
    cap = cap or COUNT_CAP
    text = searchable(text or "")
    query = fts_query(text)
    if query is None:
        return 0, False
    tokens, _ = typed_tokens(text)
    total = (engine or current()).count_matches(query, tokens, cap)
    return total, total >= cap
