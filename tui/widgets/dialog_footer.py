"""The footer of a dialog: the dialog's own keys, and nothing else (issue 14, point 4).

A dialog covers the desk but not the desk's footer, which went on listing the desk's keys (log,
snooze, drop…) that do nothing in a dialog. Textual's Footer lists every active binding, the app's
too (`q Quit`, which a field takes as a letter); this one lists the bindings of its own screen.

Some keys that work in a dialog are its widgets' own, unnamed in the footer by Textual (a list's
↑/↓, a field's enter, a scroll's pgup/pgdn). A screen names them in `footer_notes()`: the notes
for where the focus is now, shown before its own bindings. The footer is rebuilt whenever the
focus moves (Textual's bindings-updated signal), so the notes follow it."""

from __future__ import annotations

from typing import NamedTuple

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class Note(NamedTuple):
    """A key a dialog's widget answers: `key` as Textual names it (a click on it presses it),
    `shown` as the footer prints it, `description` what it does there."""

    key: str
    shown: str
    description: str


class SteadyFooter(Footer):
    """Textual's footer, rebuilt only when what it shows changes. Textual rebuilds a footer (every
    key a widget, mounted and styled again) whenever its screen's bindings may have changed: each
    focus move, and each time a dialog opens or closes over it. Seen on a save: the dialog's footer
    rebuilt six times while the book was written, and the desk's nine keys on its return, each a
    layout pass in the frames the rep waits for."""

    _shown: tuple | None = None

    def shows(self) -> tuple:
        """What the footer would show now: it is rebuilt when this changes."""
        notes = getattr(self.screen, "footer_notes", None)
        bindings = tuple(
            (node is self.screen, binding.key, binding.action, binding.description, binding.show, enabled, tooltip)
            for node, binding, enabled, tooltip in self.screen.active_bindings.values()
        )
        return tuple(notes() if notes else ()), bindings, self.compact

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._rebuild_if_changed)

    def _rebuild_if_changed(self) -> None:
        if not self.is_attached:
            return
        shown = self.shows()
        if shown != self._shown:
            self._shown = shown
            self.refresh(recompose=True)


class DialogFooter(SteadyFooter):
    def __init__(self) -> None:
        super().__init__(show_command_palette=False)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:  # as Footer: the screen's bindings are not known yet
            return
        notes = getattr(self.screen, "footer_notes", None)
        for note in notes() if notes else ():
            yield FooterKey(note.key, note.shown, note.description, "").data_bind(compact=Footer.compact)
        shown: set[str] = set()
        for node, binding, enabled, tooltip in self.screen.active_bindings.values():
            # one key per action, as Footer does ("n,escape,enter" shows as n)
            if node is not self.screen or not binding.show or binding.action in shown:
                continue
            shown.add(binding.action)
            yield FooterKey(
                binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                disabled=not enabled, tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
