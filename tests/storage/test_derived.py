"""The derived fields of a prospect (storage.rules.derived): the one rule every writer follows —
the actions, the imports, the demo and the big book (their tests check their books against it
through tests.book_checks.derived_mismatches)."""

from __future__ import annotations

import datetime as dt

from storage.rules.derived import DERIVED_FIELDS, OpenStep, derived_fields

T = dt.datetime(2026, 11, 23, 9, 0)


def at(hours: int) -> dt.datetime:
    return T + dt.timedelta(hours=hours)


def test_a_prospect_without_touches_or_step():
    assert derived_fields([], None) == {
        "touch_count": 0, "last_touch_at": None, "last_reply_at": None, "unanswered_streak": 0,
        "next_due_at": None, "next_promised": False, "next_kind": None, "next_has_time": False,
    }


def test_the_streak_counts_the_touches_after_the_last_reply():
    history = [(at(0), "no answer"), (at(1), "replied"), (at(2), "left message"), (at(3), "no answer")]
    got = derived_fields(history, None)
    assert (got["touch_count"], got["last_reply_at"], got["unanswered_streak"], got["last_touch_at"]) == (4, at(1), 2, at(3))


def test_every_answering_outcome_resets_the_streak():
    for outcome in ("talked", "replied", "meeting booked", "not now", "not interested"):
        assert derived_fields([(at(0), "no answer"), (at(1), outcome)], None)["unanswered_streak"] == 0, outcome


def test_touches_at_the_same_moment_count_in_the_history_order():
    """Two touches logged in the same second: the one logged later (the higher id, later in the
    history handed over) decides whether the streak runs."""
    assert derived_fields([(at(1), "replied"), (at(1), "no answer")], None)["unanswered_streak"] == 1
    assert derived_fields([(at(1), "no answer"), (at(1), "replied")], None)["unanswered_streak"] == 0


def test_the_next_step_fields_come_from_the_open_follow_up():
    got = derived_fields([], OpenStep(due_at=at(48), promised=1, kind="referral", has_time=1))
    assert (got["next_due_at"], got["next_promised"], got["next_kind"], got["next_has_time"]) == (at(48), True, "referral", True)
    assert derived_fields([], OpenStep(at(48), False, "referral", False))["next_has_time"] is False
    assert tuple(got) == DERIVED_FIELDS
