"""Undo and redo mixed into the random sequences of tests/storage/test_state_machine.py: the same
actions on a real book, the same rules checked after every step, and ctrl+z / ctrl+y drawn among
them. The machine keeps its own model of the undo stack (the book as it was before and after each
of this desk's changes still in force, and the changes undone since the last new one) and checks:

- an undo puts the book back exactly as it was before the change it undid (every row of every
  journalled table), a redo exactly as it was after it;
- "nothing to undo" exactly when the model's stack is empty, "nothing to redo" exactly when
  nothing was undone since the last new change, and neither writes anything;
- a refusal only once the desk's own upkeep (revisits waking) has built on this desk's changes,
  and then it writes nothing at all.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule, run_state_machine_as_test

from storage import actions
from storage.book.errors import InvalidInput
from tests.book_checks import snapshot
from tests.storage.test_state_machine import BookMachine, _journal_entries


class UndoMachine(BookMachine):
    def __init__(self, folder) -> None:
        super().__init__(folder)
        self.stack: list[tuple[dict, dict]] = []  # this desk's changes in force: the book before, after
        self.undone: list[tuple[dict, dict]] = []  # undone since the last new change, newest last
        self.drifted = False  # revisits woke: the book moved beside the stack

    def _act(self, action, call):
        before, succeeded = snapshot(), len(self.done)
        result = super()._act(action, call)
        if len(self.done) > succeeded:
            if action == "wake_revisits":
                self.drifted = True
            else:
                self.stack.append((before, snapshot()))
                self.undone.clear()
        return result

    def _reverse(self, step, taken: list, given: list, index: int) -> None:
        """One undo (or redo): `taken` is the model's stack it takes from, `given` where it goes."""
        entries, before = _journal_entries(), snapshot()
        try:
            result = step(now=self._tick())
        except InvalidInput:
            assert self.drifted, "refused with nothing built on this desk's changes"
            assert _journal_entries() == entries and snapshot() == before, "a refusal wrote something"
            return
        if not result.done:
            assert taken == [], f"{result.message!r} with {len(taken)} in the model's stack"
            assert _journal_entries() == entries and snapshot() == before
            return
        assert taken, f"{result.message!r} with nothing in the model's stack"
        assert _journal_entries() == entries + 1
        images = taken.pop()
        if not self.drifted:
            assert snapshot() == images[index], result.message
        given.append(images)

    # drawn like any other rule, once or a few times in a row (a rep going back several steps)
    @rule(times=st.integers(1, 3))
    def undo(self, times):
        for _ in range(times):
            self._reverse(actions.undo, self.stack, self.undone, 0)

    @rule(times=st.integers(1, 3))
    def redo(self, times):
        for _ in range(times):
            self._reverse(actions.redo, self.undone, self.stack, 1)

    @precondition(lambda self: self.stack)  # as often again while there is something to undo
    @rule()
    def undo_the_last_change(self):
        self._reverse(actions.undo, self.stack, self.undone, 0)


EXAMPLES = int(os.environ.get("FOLLOWUP_STATEFUL_EXAMPLES", "20"))


def test_undo_and_redo_keep_the_books_rules_and_put_it_back_exactly(tmp_path):
    run_state_machine_as_test(
        lambda: UndoMachine(tmp_path),
        settings=settings(
            max_examples=EXAMPLES, stateful_step_count=30, deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
