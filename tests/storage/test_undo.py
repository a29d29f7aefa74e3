"""Undo and redo (storage.actions.undo) on a real book file: each action undone puts every row back
exactly as it was (tags and the search index following), redone makes it again; several steps
deep; a new change ends the redo chain; a change a later one built on is refused whole, with the
reason; the stack lives in the journal, so it survives closing the book; an import's rows go and
come back a page at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from storage import actions, search
from storage.actions import NextStep
from storage.actions.bulk import bulk_load
from storage.book.errors import InvalidInput
from storage.book.models import FollowUp, Journal, Prospect, Tag, Touch, database
from storage.book.opening import close_book, open_book
from storage.exchange import imports
from storage.exchange.incoming import Incoming
from tests.book_checks import derived_mismatches, rows, snapshot
from tests.conftest import TZ
from tests.storage.desks import as_rep
from tests.storage.search_index import indexed

NOW = dt.datetime(2026, 11, 23, 8, 30)  # naive UTC: Monday 09:30 in Paris


def later(days: float = 0) -> dt.datetime:
    return NOW + dt.timedelta(days=days)


def step(days: float = 1, **kwargs: Any) -> NextStep:
    return NextStep(due_at=later(days), **kwargs)


def whole_book() -> dict[str, Any]:
    """Every row a rep's change can reach, the derived ones too (tags by what they say: their ids
    are not the rep's), and the search index checked against the notes it indexes."""
    tags = sorted(database.execute_sql("SELECT prospect_id, touch_id, name FROM tag").fetchall())
    return {**snapshot(), "drop_reason": rows("drop_reason"), "tags": tags, "search": indexed()}


def found(word: str) -> set[str]:
    return {hit.name for hit in search.search(word)}


@pytest.fixture
def ana(book) -> int:
    return actions.add_prospect({"name": "Ana Nguyen", "company": "Acme"}, step(1), now=NOW)


def undone_then_redone(change: Callable[[], Any]) -> tuple[actions.Undone, actions.Undone]:
    """Run one change; undo it: the book is as before; redo it: the book is as after."""
    before = whole_book()
    change()
    after = whole_book()
    assert after != before
    undone = actions.undo(now=later(0.1))
    assert whole_book() == before
    assert derived_mismatches() == {}
    redone = actions.redo(now=later(0.2))
    assert whole_book() == after
    assert derived_mismatches() == {}
    return undone, redone


ACTIONS: dict[str, tuple[Callable[[int], Any], str]] = {
    "log a touch": (
        lambda pid: actions.log_touch(pid, channel="call", outcome="talked", note="Zebra pricing #competitor",
                                      next_step=step(7, what="Send the quote"), now=NOW),
        "touch logged to Ana Nguyen",
    ),
    "snooze": (lambda pid: actions.snooze(pid, later(3), now=NOW), "Ana Nguyen snoozed"),
    "won": (lambda pid: actions.close_won(pid, step(30, kind="check-in"), amount="12,500",
                                          note="Signed for two years", now=NOW), "Ana Nguyen closed as won"),
    "drop": (lambda pid: actions.drop(pid, "Too pricey for now", picked="Zebra budget freeze", last_note="Bye #price",
                                      revisit_on=dt.date(2027, 3, 1), now=NOW), "Ana Nguyen dropped"),
    "last note and drop": (lambda pid: actions.final_note_and_drop(pid, "Still here if you need us", channel="email",
                                                                   picked="no answer", now=NOW), "Ana Nguyen dropped"),
    "edit": (lambda pid: actions.edit_prospect(pid, {"name": "Ana Zebra", "email": "ana@acme.test", "notes": "Met at the fair"},
                                               step(2, channel="email"), now=NOW), "edit of Ana Zebra"),
    "next step": (lambda pid: actions.set_next_step(pid, step(5, kind="service", what="Check the install"), now=NOW),
                  "next step set for Ana Nguyen"),
    "promise": (lambda pid: actions.promise(pid, True, now=NOW), "promised the call to Ana Nguyen"),
}


@pytest.mark.parametrize("kind", ACTIONS)
def test_undo_puts_back_every_row_and_redo_makes_the_change_again(ana, kind):
    change, said = ACTIONS[kind]
    undone, redone = undone_then_redone(lambda: change(ana))
    assert undone == actions.Undone(f"Undone: {said}", ana)
    assert redone == actions.Undone(f"Redone: {said}", ana)


def test_undo_of_a_reopen_and_of_a_new_prospect(ana):
    actions.drop(ana, "No budget", now=NOW)
    undone, _ = undone_then_redone(lambda: actions.reopen(ana, step(2), now=later(1)))
    assert undone.message == "Undone: Ana Nguyen reopened"
    undone, _ = undone_then_redone(lambda: actions.add_prospect({"name": "Bo Zebra"}, step(1), now=NOW))
    assert undone == actions.Undone("Undone: Bo Zebra added", None)  # no longer in the book: nobody to show


def test_the_notes_and_tags_of_an_undone_touch_are_not_found_and_come_back_with_redo(ana):
    actions.log_touch(ana, channel="call", outcome="talked", note="They like Zebra #competitor", now=NOW)
    assert found("zebra") == {"Ana Nguyen"}
    actions.undo(now=NOW)
    assert found("zebra") == set() and found("#competitor") == set()
    actions.redo(now=NOW)
    assert found("zebra") == {"Ana Nguyen"} and found("#competitor") == {"Ana Nguyen"}


def test_several_steps_back_newest_first_then_forward_again(ana):
    states = [whole_book()]
    actions.log_touch(ana, channel="call", outcome="no answer", next_step=step(1), now=NOW)
    states.append(whole_book())
    actions.snooze(ana, later(2), now=NOW)
    states.append(whole_book())
    actions.edit_prospect(ana, {"company": "Acme Zebra"}, now=NOW)
    states.append(whole_book())
    told = [actions.undo(now=NOW).message for _ in range(3)]
    assert told == ["Undone: edit of Ana Nguyen", "Undone: Ana Nguyen snoozed", "Undone: touch logged to Ana Nguyen"]
    assert whole_book() == states[0]
    for state in states[1:]:
        actions.redo(now=NOW)
        assert whole_book() == state
    assert actions.redo(now=NOW) == actions.Undone("Nothing to redo.", None, done=False)
    actions.undo(now=NOW)  # after a redo, undo takes back what was redone
    assert whole_book() == states[2]


def test_undo_goes_back_to_an_empty_book_and_no_further(book):
    empty = whole_book()
    actions.add_prospect({"name": "Ana Nguyen"}, now=NOW)
    assert actions.undo(now=NOW).done
    assert whole_book() == empty
    assert actions.undo(now=NOW) == actions.Undone("Nothing to undo.", None, done=False)
    entries = Journal.select().count()
    actions.undo(now=NOW)
    assert Journal.select().count() == entries  # nothing to undo writes nothing


def test_a_new_change_after_an_undo_ends_the_redo_chain(ana):
    actions.snooze(ana, later(2), now=NOW)
    actions.undo(now=NOW)
    actions.log_touch(ana, channel="email", outcome="replied", now=NOW)
    assert actions.redo(now=NOW).message == "Nothing to redo."
    assert actions.undo(now=NOW).message == "Undone: touch logged to Ana Nguyen"
    assert actions.redo(now=NOW).message == "Redone: touch logged to Ana Nguyen"  # the new chain redoes


def test_the_undo_is_an_entry_of_its_own_naming_what_it_undid(ana):
    actions.snooze(ana, later(2), now=NOW)
    snoozed = Journal.select().order_by(Journal.id.desc()).first()
    actions.undo(now=later(1))
    undo = Journal.select().order_by(Journal.id.desc()).first()
    assert (undo.action, undo.undoes, undo.prospect, undo.at, undo.summary) == ("undo", snoozed.id, ana, later(1), "Ana Nguyen snoozed")
    actions.redo(now=later(2))
    redo = Journal.select().order_by(Journal.id.desc()).first()
    assert (redo.action, redo.undoes) == ("redo", undo.id)


def desk(monkeypatch, who: str) -> None:
    """This process writes as that rep from now on (tests/storage/desks.py)."""
    as_rep(monkeypatch, who)


def test_a_refusal_names_the_later_change_of_another_desk_and_writes_nothing(ana, monkeypatch):
    desk(monkeypatch, "sam")
    actions.log_touch(ana, channel="call", outcome="talked", next_step=step(3), now=NOW)
    desk(monkeypatch, "maria")
    actions.snooze(ana, later(5), now=NOW)
    desk(monkeypatch, "sam")
    kept, entries = whole_book(), Journal.select().count()
    with pytest.raises(InvalidInput) as refused:
        actions.undo(now=NOW)
    assert refused.value.message == (
        "Can't undo 'touch logged to Ana Nguyen': a later change by maria, 'Ana Nguyen snoozed', depends on it."
    )
    assert whole_book() == kept and Journal.select().count() == entries
    desk(monkeypatch, "maria")
    actions.undo(now=NOW)  # once maria has taken hers back, sam's undo goes through
    desk(monkeypatch, "sam")
    assert actions.undo(now=NOW).message == "Undone: touch logged to Ana Nguyen"
    assert derived_mismatches() == {}


def test_a_redo_is_refused_when_another_desk_changed_the_rows_since_the_undo(ana, monkeypatch):
    desk(monkeypatch, "sam")
    actions.snooze(ana, later(2), now=NOW)
    actions.undo(now=NOW)
    desk(monkeypatch, "maria")
    actions.log_touch(ana, channel="call", outcome="talked", now=NOW)
    desk(monkeypatch, "sam")
    kept = whole_book()
    with pytest.raises(InvalidInput) as refused:
        actions.redo(now=NOW)
    assert refused.value.message == (
        "Can't redo 'Ana Nguyen snoozed': a later change by maria, 'touch logged to Ana Nguyen', depends on it."
    )
    assert whole_book() == kept


def test_the_desks_upkeep_is_passed_by_but_what_it_built_on_is_refused(ana):
    actions.drop(ana, "No budget", revisit_on=dt.date(2026, 11, 24), now=NOW)
    actions.wake_revisits(tz=TZ, now=later(2))  # the desk's own upkeep: not the rep's to undo
    with pytest.raises(InvalidInput) as refused:
        actions.undo(now=later(2))
    assert refused.value.message == (
        "Can't undo 'Ana Nguyen dropped': a later change, '1 dropped prospect(s) back for a revisit', depends on it."
    )


def test_a_refusal_by_a_later_change_of_this_desk_says_to_undo_that_first(ana, monkeypatch):
    """(ctrl+z itself always takes the newest first: the check, asked of an older entry.)"""
    from storage.actions.journal import changes_of
    from storage.actions.undo_checks import check

    desk(monkeypatch, "sam")
    actions.snooze(ana, later(2), now=NOW)
    actions.set_next_step(ana, step(4, what="Call about the quote"), now=NOW)
    entry = Journal.select().where(Journal.action == "snooze").get()
    rows = [item for item in changes_of(entry) if "id" in item]
    with pytest.raises(InvalidInput) as refused:
        check(entry, "undo", "sam", rows, {}, [])
    assert refused.value.message == (
        "Can't undo 'Ana Nguyen snoozed': a later change, 'next step set for Ana Nguyen', depends on it — undo that first."
    )


def test_another_desks_changes_are_not_this_desks_to_undo(ana, monkeypatch):
    desk(monkeypatch, "sam")
    bo = actions.add_prospect({"name": "Bo Berg"}, step(2), now=NOW)
    desk(monkeypatch, "maria")
    touch = actions.log_touch(ana, channel="call", outcome="talked", now=NOW)
    desk(monkeypatch, "sam")
    assert actions.undo(now=NOW) == actions.Undone("Undone: Bo Berg added", None)
    assert Prospect.get_or_none(Prospect.id == bo) is None and Touch.get_or_none(Touch.id == touch) is not None
    assert actions.undo(now=NOW).message == "Nothing to undo."


def test_undo_survives_closing_the_book(tmp_path):
    path = tmp_path / "book.db"
    open_book(path)
    ana = actions.add_prospect({"name": "Ana Nguyen"}, step(1), now=NOW)
    before = whole_book()
    actions.log_touch(ana, channel="call", outcome="talked", note="Zebra", now=NOW)
    close_book()
    open_book(path)
    assert actions.undo(now=NOW).message == "Undone: touch logged to Ana Nguyen"
    assert whole_book() == before
    close_book()
    open_book(path)
    assert actions.redo(now=NOW).message == "Redone: touch logged to Ana Nguyen"
    assert found("zebra") == {"Ana Nguyen"}


# -- imports ---------------------------------------------------------------------------------------


def import_people(*names: str, **kwargs) -> imports.ImportReport:
    people = [Incoming(line, {"name": name, "email": f"{name.split()[0].lower()}@example.test"}, later(line), False)
              for line, name in enumerate(names, start=2)]
    return imports.apply(people, now=NOW, **kwargs)


def test_undo_of_an_import_deletes_its_rows_and_redo_writes_them_again(ana):
    actions.log_touch(ana, channel="call", outcome="talked", now=NOW)
    undone, redone = undone_then_redone(lambda: import_people("Cleo Zebra", "Dev Patel", "Eli Moss"))
    assert undone == actions.Undone("Undone: import of 3 new prospects", None)
    assert found("zebra") == {"Cleo Zebra"}


def test_undo_of_an_import_that_merged_into_a_prospect_puts_them_back(ana):
    actions.edit_prospect(ana, {"email": "ana@example.test"}, now=NOW)
    people = [Incoming(2, {"name": "Ana Nguyen", "email": "ana@example.test", "phone": "+33 1 23 45 67 89"}, None, False),
              Incoming(3, {"name": "Dev Patel"}, later(1), False)]
    undone, _ = undone_then_redone(lambda: imports.apply(people, on_duplicate="merge", now=NOW))
    assert undone.message == "Undone: import of 1 new prospect (1 merged)"


def test_undo_of_an_import_is_refused_once_a_touch_was_logged_to_one_of_its_prospects(book, monkeypatch):
    desk(monkeypatch, "sam")
    import_people("Cleo Zebra", "Dev Patel")
    desk(monkeypatch, "maria")
    dev = Prospect.get(Prospect.name == "Dev Patel").id
    actions.log_touch(dev, channel="call", outcome="talked", now=NOW)
    desk(monkeypatch, "sam")
    kept = whole_book()
    with pytest.raises(InvalidInput) as refused:
        actions.undo(now=NOW)
    assert refused.value.message == (
        "Can't undo 'import of 2 new prospects': a later change by maria, 'touch logged to Dev Patel', depends on it."
    )
    assert whole_book() == kept


def test_undo_of_an_import_is_refused_while_a_prospect_made_since_was_referred_by_one_of_them(book, monkeypatch):
    desk(monkeypatch, "sam")
    import_people("Cleo Zebra", "Dev Patel")
    cleo = Prospect.get(Prospect.name == "Cleo Zebra").id
    desk(monkeypatch, "maria")
    actions.add_prospect({"name": "Fay Friend", "referred_by": cleo}, now=NOW)  # Cleo's row is unchanged
    desk(monkeypatch, "sam")
    with pytest.raises(InvalidInput) as refused:
        actions.undo(now=NOW)
    assert refused.value.message == (
        "Can't undo 'import of 2 new prospects': a later change by maria, 'Fay Friend added', depends on it."
    )
    assert Prospect.select().count() == 3


def test_an_import_undone_since_a_change_to_one_of_its_people_was_undone(book):
    import_people("Cleo Zebra", "Dev Patel")
    dev = Prospect.get(Prospect.name == "Dev Patel").id
    before = whole_book()
    actions.snooze(dev, later(9), now=NOW)
    actions.undo(now=NOW)  # the snooze
    assert whole_book() == before
    assert actions.undo(now=NOW).message == "Undone: import of 2 new prospects"
    assert Prospect.select().count() == 0


def test_a_bulk_load_bigger_than_a_page_goes_and_comes_back_whole(book, monkeypatch):
    import sys

    monkeypatch.setattr(sys.modules["storage.actions.undo"], "CHUNK", 7)  # pages of 7 rows: 25 prospects, 25 steps, 50 touches
    with bulk_load("import", "import of 25 new prospects", now=NOW) as load:
        ids = load.ids(Prospect, 25)
        load.insert_dicts(Prospect, [{"id": i, "name": f"P{i} zebra", "created_at": NOW, "updated_at": NOW,
                                      "touch_count": 2, "last_touch_at": NOW, "unanswered_streak": 2} for i in ids])
        steps = load.ids(FollowUp, 25)
        load.insert_dicts(FollowUp, [{"id": s, "prospect": i, "due_at": later(1), "channel": "call", "created_at": NOW,
                                      "done_at": NOW, "resolution": "done"} for s, i in zip(steps, ids)])
        touches = load.ids(Touch, 50)
        load.insert_dicts(Touch, [{"id": t, "prospect": ids[n // 2], "at": NOW, "channel": "call", "outcome": "no answer",
                                   "note": f"note {t} #tag{n % 3}"} for n, t in enumerate(touches)])
        load.insert(Tag, ("prospect", "touch", "name"), [(ids[n // 2], t, f"tag{n % 3}") for n, t in enumerate(touches)],
                    journal=False)
        search.reindex()
    after = whole_book()
    actions.undo(now=NOW)
    assert Prospect.select().count() == 0 and Touch.select().count() == 0
    assert whole_book()["tags"] == []
    actions.redo(now=NOW)
    assert whole_book() == after
    assert found("zebra") == {f"P{i} zebra" for i in ids}



def test_undo_of_a_json_import_with_touches_tags_and_referrals(tmp_path):
    """The desk's own JSON file: prospects, their steps and touches (#tags in the notes) written in
    bulk, a referral to a later prospect of the file set after both are written."""
    import io
    import json

    from storage.exchange.json_in import import_json
    from storage.exchange.json_out import write_json

    open_book(tmp_path / "first.db")
    fay = actions.add_prospect({"name": "Fay Zebra"}, step(2), now=NOW)
    ana = actions.add_prospect({"name": "Ana Nguyen", "referred_by": fay}, step(1), now=NOW)
    actions.log_touch(ana, channel="call", outcome="talked", note="Likes zebra stripes #design", next_step=step(4), now=NOW)
    actions.edit_prospect(fay, {"referred_by": ana}, now=NOW)  # each referred the other
    out = io.StringIO()
    write_json(out)
    close_book()
    open_book(tmp_path / "second.db")
    actions.add_prospect({"name": "Already Here"}, now=NOW)
    undone, _ = undone_then_redone(lambda: import_json(json.loads(out.getvalue()), now=NOW))
    assert undone == actions.Undone("Undone: import of 2 new prospects", None)
    assert found("zebra") == {"Fay Zebra", "Ana Nguyen"} and found("#design") == {"Ana Nguyen"}
