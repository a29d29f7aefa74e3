"""No key lost while a dialog opens (issue 14, point 3), and every key in order.

A dialog takes a moment to build; until its first field has the focus, Textual hands a key to
whatever has it: nothing (the key falls through the new screen and is dropped), or the first
focusable widget Textual picks itself (a Select); and a ctrl+s then saves a form whose note never
got its letters. Worse, the keys typed right after `l` never even see the dialog: the app hands
each key to the focused widget and reads on, and `l` climbs back from the desk's queue pane to the
app (where its binding opens the dialog) only after the next keys have been handed to the desk.

So the app hands a key on only once the one before it has been handled all the way (through the
widget it went to and every parent it may climb to, the app's binding included); and it holds the
keys (and pastes) while a screen it pushed is being built, until that screen has mounted and the
focus its `on_mount` asked for is set. Anything else may hold them for a while too
(`hold_keys`/`release_keys`): a form while its save runs, so a key typed after ctrl+s reaches the
desk once the dialog has closed, not the closing form. Then `l`, a note and ctrl+s typed in one
breath save the note; `l`, escape, `j` close the form and move the queue."""

from __future__ import annotations

import time
from collections import deque

from textual import events
from textual.app import App
from textual.dom import DOMNode

# A hold that is never released (a screen whose mount failed) must not take the keyboard away:
# past this many seconds the keys go where Textual sends them. A save on a slow book holds them
# that long at most (3 s was reached on a loaded machine: the key after ctrl+s went to the form).
HOLD_LIMIT = 10.0
# A key whose way was cut (its widget gone before the next-key signal passed it) holds the next
# ones this long at most.
KEY_STALL = 1.0


class KeysWhileOpening(App):
    """The app's side: mixed into FollowupApp."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._holds: set[object] = set()  # who holds the keys (a screen being built, a save…)
        self._held: deque[events.Key | events.Paste] = deque()
        self._playing: float | None = None  # when the key on its way went: the next ones wait behind it
        self._hold_timer = None

    # -- holding -------------------------------------------------------------------------------

    def hold_keys(self, holder: object) -> None:
        """Keys wait (in order) until `holder` lets go."""
        self._holds.add(holder)
        if self._hold_timer is not None:
            self._hold_timer.stop()
        self._hold_timer = self.set_timer(HOLD_LIMIT, self._give_up, name="keys held too long")

    def release_keys(self, holder: object) -> None:
        """`holder` lets go; the keys play once nobody holds them."""
        self._holds.discard(holder)
        if not self._holds:
            if self._hold_timer is not None:
                self._hold_timer.stop()
                self._hold_timer = None
            self.call_later(self._play_next)

    def _give_up(self) -> None:
        self._holds.clear()
        self._hold_timer = None
        self._playing = None
        self.call_later(self._play_next)

    def push_screen(self, screen, *args, **kwargs):
        result = super().push_screen(screen, *args, **kwargs)
        pushed = self.get_screen(screen) if isinstance(screen, str) else screen
        self.hold_keys(pushed)
        # The screen reads its own queue only once it has composed and mounted (its on_mount has
        # asked for the focus, through the app's queue); from there, one more turn of the app's
        # queue and the focus is set.
        if not pushed.call_later(self.call_later, self.release_keys, pushed):
            self.release_keys(pushed)
        return result

    def _quits(self, event: events.Event) -> bool:
        """Quitting (Textual's ctrl+q) never waits: not for a dialog, nor for a save in flight,
        which lands all the same (the desk waits for its thread)."""
        bound = self._bindings.key_to_bindings.get(event.key, ()) if isinstance(event, events.Key) else ()
        return any(binding.priority and binding.action == "quit" for binding in bound)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded and not self._quits(event):
            self._held.append(event)
            await self._play_next()
            return
        await super().on_event(event)

    # -- one key at a time ---------------------------------------------------------------------

    async def _play_next(self) -> None:
        if self._playing is not None and time.monotonic() - self._playing > KEY_STALL:
            self._playing = None  # a key whose way was cut (a widget gone under it): on with the next
        if self._holds or self._playing is not None or not self._held:
            return
        self._playing = time.monotonic()
        event = self._held.popleft()
        target = self.focused or self.screen
        await super().on_event(event)
        self._after([target, *target.ancestors])

    def _after(self, nodes: list[DOMNode]) -> None:
        """Once every node in turn has handled what its queue holds now, the next key goes."""
        while nodes:
            node, nodes = nodes[0], nodes[1:]
            if node is self:
                break
            if node.call_later(self._after, nodes):
                return
        self.call_later(self._played)

    async def _played(self) -> None:
        self._playing = None
        await self._play_next()
