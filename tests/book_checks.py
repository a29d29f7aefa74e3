"""Checks of a whole book that tests of every writer share: the derived fields are what the one
rule (storage.rules.derived) makes of the history, and the rows a change touched."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from peewee import JOIN

from storage.book.models import FollowUp, Prospect, Touch, database
from storage.rules.derived import DERIVED_FIELDS, OpenStep, derived_fields

JOURNALLED = ("prospect", "follow_up", "touch")


def derived_mismatches() -> dict[int, tuple[dict[str, Any], dict[str, Any]]]:
    """prospect id -> (stored, expected) for every prospect whose derived fields are not what the
    rule computes from its touches and its open follow-up, or a touch of whom has not the kind of
    its follow-up. Empty when the book is consistent."""
    histories: dict[int, list[tuple[Any, str, str]]] = defaultdict(list)
    rows = Touch.select(Touch.prospect, Touch.at, Touch.outcome, Touch.direction).order_by(Touch.prospect, Touch.at, Touch.id).tuples()
    for prospect_id, at, outcome, direction in rows.iterator():
        histories[prospect_id].append((at, outcome, direction))
    steps: dict[int, OpenStep] = {}
    query = FollowUp.select(FollowUp.prospect, FollowUp.due_at, FollowUp.promised, FollowUp.kind, FollowUp.has_time)
    for prospect_id, due_at, promised, kind, has_time in query.where(FollowUp.done_at.is_null()).order_by(FollowUp.id).tuples().iterator():
        steps[prospect_id] = OpenStep(due_at, promised, kind, bool(has_time))  # the latest open one, as FollowUp.open_of
    wrong = {}
    columns = [getattr(Prospect, name) for name in DERIVED_FIELDS]
    for prospect_id, *values in Prospect.select(Prospect.id, *columns).tuples().iterator():
        stored = dict(zip(DERIVED_FIELDS, values))
        expected = derived_fields(histories.get(prospect_id, []), steps.get(prospect_id))
        stored["next_promised"] = bool(stored["next_promised"])
        stored["next_has_time"] = bool(stored["next_has_time"])
        if stored != expected:
            wrong[prospect_id] = (stored, expected)
    # and each touch keeps the kind of the follow-up it was logged on ("" on none): models.Touch.kind
    kinds = (Touch.select(Touch.prospect, Touch.id, Touch.kind, FollowUp.kind)
             .join(FollowUp, JOIN.LEFT_OUTER, on=Touch.followup == FollowUp.id).tuples())
    for prospect_id, touch_id, kind, step_kind in kinds.iterator():
        if kind != (step_kind or ""):
            wrong.setdefault(prospect_id, ({}, {}))
            wrong[prospect_id][0][f"touch {touch_id} kind"] = kind
            wrong[prospect_id][1][f"touch {touch_id} kind"] = step_kind or ""
    return wrong


def rows(table: str) -> dict[int, dict[str, Any]]:
    """Every row of a journalled table, by id, as the journal writes rows (column names)."""
    cursor = database.execute_sql(f'SELECT * FROM "{table}" ORDER BY id')
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row)) for row in cursor.fetchall()}


def snapshot() -> dict[str, dict[int, dict[str, Any]]]:
    return {table: rows(table) for table in JOURNALLED}
