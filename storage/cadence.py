"""Coaching rules: when the desk suggests the next follow-up (pure: no I/O, no Peewee).

Spacing follows the practice of PRODUCT §1: follow up several times, spaced out, never daily."""

from __future__ import annotations

# Days between unanswered follow-ups: the first retry soon, then wider and wider.
PERSISTENT_STEPS = (2, 3, 5, 7, 14, 30)
# After an answer, the next step follows what was agreed; these are the defaults.
AFTER_OUTCOME = {
    "talked": 7,
    "replied": 3,
    "meeting booked": 1,
    "not now": 30,
    "not interested": 90,
}


def suggest_days(outcome: str, unanswered_streak: int) -> int:
    """Days until the next follow-up after a touch with `outcome`, when the prospect has now
    gone `unanswered_streak` touches without a reply (counting this one)."""
    if outcome in AFTER_OUTCOME:
        return AFTER_OUTCOME[outcome]
    step = max(unanswered_streak, 1) - 1
    return PERSISTENT_STEPS[min(step, len(PERSISTENT_STEPS) - 1)]


def suggest_text(outcome: str, unanswered_streak: int) -> str:
    """The suggestion as a rep would type it, so the date field shows and explains it."""
    days = suggest_days(outcome, unanswered_streak)
    if days % 7 == 0 and days >= 7:
        return f"+{days // 7}w"
    return f"+{days}d"
