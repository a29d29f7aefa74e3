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


class DialogFooter(Footer):
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
