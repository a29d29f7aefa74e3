"""A live book (issue 13): what another desk or the command line writes shows on this desk within
two seconds, without a key; at the day's change the sections move. A mixin of DeskScreen.

Every LIVE_POLL seconds the desk asks the book, through its one way to the book, whether another
connection committed (storage.reads.changes.book_version: SQLite's data_version on a connection
that only watches). When it did, the queue and the prospect on screen are read again in one trip
and shown in one frame, the cursor on the same prospect, focus where it was. While a dialog is
open (or the desk is reading), the re-read waits: a dialog's typed text is never touched, and the
desk catches up once it is back on top.

The watching connection sees the desk's own writes too (each call runs on a connection of its
own): storage.reads.changes.look tells them apart by the journal, so a save of ours is not read
again; the look itself is ~2 ms on a thread."""

from __future__ import annotations

from storage.book.clock import local_now
from storage.reads.changes import Look, look
from tui.widgets.queue_layout import QueueState

LIVE_POLL = 1.0  # seconds between two looks at the book
MIDNIGHT_MARGIN = 0.05  # seconds after midnight the timer fires: on the new day, never just before


class LiveBook:
    _last_look: Look | None = None  # the book when the desk last looked
    _stale = False  # changed elsewhere, not shown yet (a dialog is open, or the desk was reading)
    _live_asked: tuple | None = None  # where the desk stood when the live re-read set off
    _looking = False  # a look is on its way: the next waits for it (never cancelled: a test's settle)

    def on_mount(self) -> None:
        self.set_interval(LIVE_POLL, self._look_at_the_book)
        self._arm_midnight()

    # -- another writer -----------------------------------------------------------------------

    def _look_at_the_book(self) -> None:
        if self._looking:
            return
        self._looking = True
        self.app.book.call(self, look, self._last_look, done=self._looked, failed=self._not_looked, group="live-look")

    def _not_looked(self, error: BaseException) -> bool:
        self._looking = False
        return True  # a busy book now and then: the next look tells, quietly

    def _looked(self, seen: Look) -> None:
        self._looking = False
        self._last_look = seen
        if seen.version is None:
            return  # this book cannot tell (a server, for now)
        if seen.news:
            self._stale = True
        self._catch_up()

    def changed_elsewhere(self) -> None:
        """A save the book refused because another desk changed the same rows (a Conflict): the
        desk reads again at once (or as soon as the dialog closes), not at its next look."""
        self._stale = True
        self._catch_up()

    def on_screen_resume(self) -> None:
        self._catch_up()  # a dialog has closed: what changed meanwhile shows now

    def _catch_up(self) -> None:
        if not self._stale or self.app.screen is not self or self.waiting or self._live_asked is not None:
            return  # later: the next look, or the dialog's close
        self._stale = False
        self._live_asked = self._standing()
        shown = self.shown.id if self.shown else None
        self.app.book.call(self, self.queue.reader(), [shown, None], done=self._live_read, failed=self._live_failed,
                           group="live-read")

    def _standing(self) -> tuple:
        """Where the desk stands: the prospect shown, the cursor's line and the prospect it told of
        (a key moves the cursor at once; the prospect it lands on is read after)."""
        queue = self.queue
        return (self.shown.id if self.shown else None, queue.cursor, queue.announced, getattr(queue, "holding", None))

    def _live_read(self, state: QueueState) -> None:
        asked, self._live_asked = self._live_asked, None
        if asked != self._standing() or self.app.screen is not self or self.waiting:
            self._stale = True  # the rep moved, or a dialog opened, meanwhile: read again later
            return
        with self.app.batch_update():
            self._show_state(state)

    def _live_failed(self, error: BaseException) -> bool:
        self._live_asked = None
        self._stale = True
        return True  # a busy book now and then: the next look tries again, quietly

    # -- the day's change ---------------------------------------------------------------------

    def _arm_midnight(self) -> None:
        """A timer for the next local midnight (then armed again): the sections are cut again
        then, not up to a minute later."""
        now = local_now(self.tz)
        midnight = now.add(days=1).start_of("day")
        self.set_timer((midnight - now).total_seconds() + MIDNIGHT_MARGIN, self._at_midnight, name="midnight")

    def _at_midnight(self) -> None:
        self._tick()  # DeskScreen: re-buckets when the day has changed, and wakes the revisits
        self._arm_midnight()

