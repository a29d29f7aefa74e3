"""storage/reads/closed.py: the closed book (won and dropped), newest closed first, a page at a time,
narrowed by status, drop reason, a revisit coming up and words; through the status indexes."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from storage import actions
from storage.reads import closed
from storage.reads.closed import ClosedFilter
from tests.storage.query_plans import plan_of
from tests.storage.test_queue import _full_scans, _recorded

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def book_of_closings(book, frozen):
    """Six closed (one a day, 10 to 15 Nov) and one still active."""
    ids = {}
    for day, (name, how) in enumerate(
        [("Ann Won", "won"), ("Bob Budget", "No budget"), ("Cid Won", "won"), ("Dee Rival", "Went with a competitor"),
         ("Eve Later", "No budget"), ("Fay Won", "won")], start=10):
        at = dt.datetime(2026, 11, day, 9, 0)
        pid = actions.add_prospect({"name": name, "company": f"{name.split()[1]} Ltd", "deal_value": day * 100},
                                   None, now=at - dt.timedelta(days=5))
        actions.log_touch(pid, channel="call", outcome="talked", note=f"talked about {how}", now=at - dt.timedelta(days=1))
        if how == "won":
            actions.close_won(pid, now=at)
        else:
            revisit = dt.date(2026, 12, 1) if name == "Eve Later" else dt.date(2027, 6, 1) if name == "Bob Budget" else None
            actions.drop(pid, picked=how, revisit_on=revisit, now=at)
        ids[name.split()[0]] = pid
    ids["Gus"] = actions.add_prospect({"name": "Gus Active"}, None)
    return ids


def names(rows) -> list[str]:
    return [row.name for row in rows]


def test_newest_closed_first_a_page_at_a_time_with_what_the_rep_reads(book_of_closings):
    first = closed.first_page(ClosedFilter(), 4, TODAY)
    assert first.total == 6 and (first.won, first.dropped) == (3, 3)
    assert names(first.rows) == ["Fay Won", "Eve Later", "Dee Rival", "Cid Won"]
    assert names(closed.page(first.narrow, 4, 4, TODAY)) == ["Bob Budget", "Ann Won"]
    eve = first.rows[1]
    assert (eve.status, eve.reason, eve.deal_value, eve.touch_count, eve.revisit_on) == (
        "dropped", "No budget", 1400, 1, dt.date(2026, 12, 1))
    assert eve.closed_at == dt.datetime(2026, 11, 14, 9, 0) and eve.company == "Later Ltd"
    assert first.rows[0].reason == "won"


def test_narrowed_by_status_reason_revisit_and_words(book_of_closings):
    def shown(**kw) -> list[str]:
        got = closed.first_page(ClosedFilter(**kw), 50, TODAY)
        assert got.total == len(got.rows)
        return names(got.rows)

    assert shown(status="won") == ["Fay Won", "Cid Won", "Ann Won"]
    assert shown(status="dropped") == ["Eve Later", "Dee Rival", "Bob Budget"]
    assert shown(reason="No budget") == ["Eve Later", "Bob Budget"]
    assert shown(revisit_due=True) == ["Eve Later"]  # 1 Dec is within 30 days; June is not
    local_today = pendulum.date(2026, 11, 23)  # as the desk's clock gives it (a subclass of date)
    assert names(closed.first_page(ClosedFilter(revisit_due=True), 50, local_today).rows) == ["Eve Later"]
    assert shown(words="rival") == ["Dee Rival"]
    assert shown(words="competitor") == ["Dee Rival"]  # a word of a note: the search index
    assert shown(words="ltd", status="won") == ["Fay Won", "Cid Won", "Ann Won"]
    assert shown(words="gus") == []  # active: not in the closed book
    assert shown(words="nothing like it") == []


def test_reopened_leaves_the_closed_book(book_of_closings):
    from storage.actions import NextStep

    actions.reopen(book_of_closings["Dee"], NextStep(due_at=dt.datetime(2026, 11, 24, 8, 0)))
    assert "Dee Rival" not in names(closed.first_page(ClosedFilter(), 50, TODAY).rows)


def test_the_closed_book_reads_through_the_status_indexes(book_of_closings, book):
    """No full scan of the prospects for the count or a page, whatever the filter (the sort by the
    day closed runs over the closed rows the index finds: see the module's figures)."""
    recorded = []
    with _recorded() as handler:
        for narrow in (ClosedFilter(), ClosedFilter(status="won"), ClosedFilter(reason="No budget"),
                       ClosedFilter(revisit_due=True), closed.resolve(ClosedFilter(words="budget"))):
            before = len(handler.seen)
            closed.count(narrow, TODAY)
            closed.page(narrow, 2, 5, TODAY)
            recorded += handler.seen[before:]
    assert recorded
    problems = []
    for sql, params in recorded:
        scans, plan = _full_scans(book, sql, params)
        if scans:
            problems.append(f"{sql}\n    {plan}")
    assert problems == [], "\n".join(problems)


def test_a_drop_reason_is_read_through_its_own_index(book_of_closings, book):
    """Not through the status index and a look at every closed row (137 ms on the 100k bench book)."""
    with _recorded() as handler:
        closed.count(ClosedFilter(reason="No budget"), TODAY)
    [(sql, params)] = handler.seen
    plan = plan_of(book, sql, params)
    assert plan.uses("picked_reason"), plan


def test_a_page_of_one_status_is_read_in_the_index_order_without_sorting(book_of_closings, book, request):
    """The (status, closed_at DESC, id DESC) index: a page deep in the dropped or the won ones
    never sorts every closed row (15-65 ms a page on the 100k bench book without it)."""
    for status in ("won", "dropped"):
        with _recorded() as handler:
            closed.page(ClosedFilter(status=status), 2, 5, TODAY)
        [(sql, params)] = handler.seen
        plan = plan_of(book, sql, params)
        assert plan.uses("prospect_status_closed_at_id") and not plan.sorts, plan
