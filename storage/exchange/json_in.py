"""Our JSON file coming back into a book (`followup import`, the desk's import screen).

Every record is checked by the rules of a form (json_records), never doubles a prospect (json_plan:
same email, or same name and company, in the book or earlier in the file), and the import is ONE
action (storage.actions.bulk_load): one transaction, one journal entry, its rows inserted in bulk;
a prospect already in the book that a merge changes goes through the load's Change, so the journal
holds it as it was and as it became. A failure half-way leaves the book as it was, and no entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from peewee import fn

from storage import search
from storage.actions import BulkLoad, bulk_load
from storage.actions.writing import locked, naive_utc, refresh_derived, rows_are_locked
from storage.book.clock import utc_now
from storage.book.errors import Conflict
from storage.book.models import DropReason, FollowUp, Prospect, Tag, Touch
from storage.exchange.incoming import DUPLICATE_CHOICES, ImportReport, Problem, Progress
from storage.exchange.json_plan import Target, plan
from storage.exchange.json_records import BadRecord, Checker, StepRecord, check_header, read_json, who
from storage.rules.derived import OpenStep, derived_fields
from storage.rules.tags import tags_in

__all__ = ["import_json", "read_json"]

BATCH = 500  # prospects written per round of inserts (and per progress report)
# every column of the rows written (what a row leaves out: the model's default)
_TAG_COLUMNS = ("prospect", "touch", "name")


def import_json(
    data: dict[str, Any],
    *,
    on_duplicate: str = "skip",
    dry_run: bool = False,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    tz: str | None = None,
) -> ImportReport:
    """Bring a file of ours (read_json) into the book. A record that cannot be imported is
    reported and left out; a prospect already in the book (or earlier in the file) is skipped or
    merged into, as the rep chose; all the rest is written in one action, or nothing is.
    A dry run reads the book and reports the same counts, writing nothing. `tz`: the rep's zone, in
    which a version-1 file's date-only follow-ups are read (their day, from the moment it holds)."""
    if on_duplicate not in DUPLICATE_CHOICES:
        raise ValueError(f"on_duplicate must be one of {DUPLICATE_CHOICES}")
    check_header(data)
    now = naive_utc(now or utc_now())
    report = ImportReport(dry_run=dry_run)
    checker = Checker(tz)
    records = []
    for number, raw in enumerate(data["prospects"], start=1):
        try:
            records.append(checker.record(raw, number))
        except BadRecord as exc:
            report.problems.append(Problem(0, f"prospect {number} in the file ({who(raw)}): {exc}."))
    if dry_run:
        plan(records, on_duplicate, report)
        if progress:
            progress(len(records), len(records))
        return report
    with bulk_load("import", now=now) as load:
        # the prospects merged into, locked first where rows are locked; a file's write lock holds the book
        held = _lock_merged_into(records) if on_duplicate == "merge" and rows_are_locked() else None
        targets = plan(records, on_duplicate, report)
        if held is not None and any(t.record is None and t.id not in held for t in targets):  # matched since
            raise Conflict("A prospect this file merges into was changed on another desk while the import read "
                           "the book; nothing was imported. Import it again.")
        writer = _Writer(load, targets)
        for start in range(0, len(targets), BATCH):
            writer.write(targets[start : start + BATCH])
            if progress:
                progress(min(start + BATCH, len(targets)), len(targets))
        writer.finish()
        load.change.summary = report.as_change()
    return report


def _lock_merged_into(records: list) -> set[int]:
    """The prospects already in the book that a merge will change, locked before it reads them (on
    a server: another desk changing one at the same time waits for the import, or has committed
    and the merge reads its change), in id order like every action's locks, a page at a time.
    Found by planning the records as copies: a plan points a merged record's touches at the
    prospect's own follow-ups; the rest of a record it only reads (3,000 merges: 0.6 s of plan;
    a deep copy of the records would add 0.7 s)."""
    copies = [replace(record, touches=[replace(touch) for touch in record.touches]) for record in records]
    ahead = plan(copies, "merge", ImportReport(dry_run=True))
    ids = sorted(t.id for t in ahead if t.record is None)
    held: set[int] = set()
    for start in range(0, len(ids), BATCH):
        held.update(locked(ids[start : start + BATCH]))
    return held


def _rebuild_index(new_notes: int) -> bool:
    """The search index learns of the new rows as they are written, unless the file brings more
    notes than the book holds: then one rebuild at the end is cheaper (~7 µs a note, not ~19)."""
    return new_notes > Touch.select().count()


class _Writer:
    def __init__(self, load: BulkLoad, targets: list[Target]) -> None:
        self.load = load
        self.late_referrals: list[tuple[int, int]] = []  # (prospect, referrer) written after both exist
        self.rebuild_index = _rebuild_index(sum(len(t.touches) for t in targets))
        new = [t for t in targets if t.record is not None]
        for target, prospect_id in zip(new, load.ids(Prospect, len(new))):
            target.id = prospect_id  # all at once: a referral may point to a later batch

    def write(self, targets: list[Target]) -> None:
        load = self.load
        step_ids = iter(load.ids(FollowUp, sum(len(t.steps) for t in targets)))
        touch_ids = iter(load.ids(Touch, sum(len(t.touches) for t in targets)))
        rows: dict[type, list[dict[str, Any]]] = {Prospect: [], FollowUp: [], Touch: []}
        tags: list[tuple[int, int, str]] = []
        for target in targets:
            # the history's order is (at, id): ids given in time order (equal moments keep the file's)
            target.touches.sort(key=lambda t: t.row["at"])
            for step in target.steps:
                step.id = next(step_ids)
                rows[FollowUp].append({"id": step.id, "prospect": target.id, **step.row})
            for touch in target.touches:
                touch.id = next(touch_ids)
                link = touch.step.id if isinstance(touch.step, StepRecord) else touch.step
                rows[Touch].append({"id": touch.id, "prospect": target.id, "followup": link, **touch.row})
                tags += [(target.id, touch.id, name) for name in tags_in(touch.row["note"])]
            if target.record is not None:
                rows[Prospect].append(self._new_row(target))
        for model, written in rows.items():
            load.insert_dicts(model, written)
        load.insert(Tag, _TAG_COLUMNS, tags, journal=False)
        if not self.rebuild_index:
            search.reindex([row["id"] for row in rows[Prospect]])
            for row in rows[Touch]:
                search.index_touch(Touch(id=row["id"], prospect=row["prospect"], note=row["note"]))
        for target in targets:
            if target.record is None:
                self._update(target)

    def _new_row(self, target: Target) -> dict[str, Any]:
        referrer = target.referrer_id
        if referrer is not None and referrer > target.id:  # not written yet: the foreign key waits
            self.late_referrals.append((target.id, referrer))
            referrer = None
        state = dict(target.record.state)
        state["picked_reason"] = self._reason_id(state.get("picked_reason"))
        if target.merged:
            state["updated_at"] = self.load.change.now
        history = [(t.row["at"], t.row["outcome"], t.row["direction"]) for t in target.touches]  # in (at, id) order
        step = next((s.row for s in target.steps if s.row["done_at"] is None), None)  # one at most
        derived = derived_fields(history, OpenStep(step["due_at"], step["promised"], step["kind"], bool(step["has_time"])) if step else None)
        return {"id": target.id, **target.facts, "referred_by": referrer, **state, **derived}

    def _reason_id(self, label: str | None) -> int | None:
        """The id of a picked drop reason in this book's list, found by its label (case aside);
        one the list does not hold joins it (journalled with the load)."""
        if not label:
            return None
        reasons = getattr(self, "_reasons", None)
        if reasons is None:
            reasons = self._reasons = {r.label.casefold(): r.id for r in DropReason.select()}
        found = reasons.get(label.casefold())
        if found is None:
            top = DropReason.select(fn.MAX(DropReason.position)).scalar() or 0
            found = reasons[label.casefold()] = self.load.change.create(DropReason, label=label, position=top + 1).id
        return found

    def _update(self, target: Target) -> None:
        """A prospect already in the book, when the merge changed something: its facts, its
        referrer (when it had none) and its derived fields, through the load's Change."""
        changed = target.facts != target.before
        referrer = target.referrer_id if target.referrer_in_file is not None else None
        if not (changed or referrer or target.steps or target.touches):
            return  # the file had nothing new about them: the row stays as it was
        prospect = Prospect.get_by_id(target.id)
        for key, value in target.facts.items():
            setattr(prospect, key, value)
        if referrer:
            prospect.referred_by = referrer
        refresh_derived(self.load.change, prospect)  # saves it, with the history now in the book
        if changed and not self.rebuild_index:
            search.index_prospect(prospect)

    def finish(self) -> None:
        for prospect_id, referrer in self.late_referrals:
            self.load.change.update(Prospect, prospect_id, referred_by=referrer)
        if self.rebuild_index:
            search.reindex()
