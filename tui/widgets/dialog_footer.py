"""The footer of a dialog: the dialog's own keys, and nothing else (issue 14, point 4).

A dialog covers the desk but not the desk's footer, which went on listing the desk's keys (log,
snooze, drop…) that do nothing in a dialog. Textual's Footer lists every active binding, the app's
too (`q Quit`, which a field takes as a letter); this one lists the bindings of its own screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class DialogFooter(Footer):
    def __init__(self) -> None:
        super().__init__(show_command_palette=False)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:  # as Footer: the screen's bindings are not known yet
            return
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
