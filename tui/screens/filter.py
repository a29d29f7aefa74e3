"""Filter (`f`): narrow the queue by kind, channel, status, tag, promised only and deal value, and
on a manager's desk of a team's book by rep (one rep's prospects, or their own).
The active filter shows in the queue's title; `escape` on the desk clears it. A status of won or
dropped opens the closed book filtered so (the queue holds no dropped prospect, and a won one only
while a check-in is due: a rep asking for "dropped" wants to see them all)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Select

from storage.book.errors import InvalidInput
from storage.book.vocabulary import CHANNELS, KINDS, STATUSES
from storage.reads.queue import Filter
from storage.reads.team import Team
from storage.rules.text import visible
from tui.screens.form import FormScreen, labelled
from tui.screens.log_touch import options
from tui.widgets.safe_fields import SafeInput


def _value(text: str, field: str) -> int | None:
    text = text.strip().replace(",", "").replace("_", "")
    if not text:
        return None
    if not text.isdigit():
        raise InvalidInput(field, f"A deal value is a whole number, like 5000 (got {text!r}).")
    return int(text)


SHARED = ("shared",)  # the rep choice "the team (shared)": no role has this name (a tuple, not a str)
STATUS_LABELS = {"won": "won → the closed book", "dropped": "dropped → the closed book"}


class FilterScreen(FormScreen):
    """Dismisses with the new Filter (empty when everything is cleared)."""

    def __init__(self, current: Filter | None, team: Team | None = None) -> None:
        super().__init__()
        self.current = current or Filter()
        self.team = team  # a manager's (storage.reads.team): the rep choice too

    def compose(self) -> ComposeResult:
        c = self.current

        def select(values, value, field, prompt):
            return Select(options(values), value=value or Select.NULL, prompt=prompt, compact=True, id=field)

        with Vertical(classes="dialog"):
            yield Label("Filter the queue", classes="title")
            yield from labelled("Kind", select(KINDS, c.kind, "kind", "(any kind)"), "kind")
            yield from labelled("Channel", select(CHANNELS, c.channel, "channel", "(any channel)"), "channel")
            status = Select(options(STATUSES, STATUS_LABELS), value=c.status or Select.NULL, prompt="(any status)",
                            compact=True, id="status")
            yield from labelled("Status", status, "status")
            if self.team is not None and self.team.manager:
                # a rep's name is the server's role: never markup (a str prompt is); a Text is typed to
                reps = [(Text(visible("mine" if r.name == self.team.me else r.name, one_line=True)), r.name)
                        for r in self.team.reps] + [(Text("the team (shared)"), SHARED)]
                chosen = SHARED if c.shared else c.rep if c.rep in {r.name for r in self.team.reps} else Select.NULL
                rep = Select(reps, value=chosen, prompt="(the whole team)", compact=True, id="rep")
                yield from labelled("Rep", rep, "rep")
            yield from labelled("Tag", SafeInput(c.tag or "", placeholder="e.g. competitor", compact=True, max_length=64, id="tag"), "tag")
            yield from labelled("Value from", SafeInput("" if c.min_value is None else str(c.min_value), compact=True, id="min"), "min")
            yield from labelled("Value to", SafeInput("" if c.max_value is None else str(c.max_value), compact=True, id="max"), "max")
            yield Checkbox("Promised follow-ups only", c.promised_only, compact=True, id="promised")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#kind").focus()

    def _choice(self, field: str) -> str | None:
        value = self.query_one(f"#{field}", Select).value
        return None if value is Select.NULL else str(value)

    def _rep(self) -> dict:
        """The rep chosen (a manager's desk), else the one the filter had."""
        if not self.query("#rep"):
            return {"rep": self.current.rep, "shared": self.current.shared}
        value = self.query_one("#rep", Select).value
        return {"rep": value if isinstance(value, str) else None, "shared": value == SHARED}

    def prepare(self):
        low, high = _value(self.query_one("#min", Input).value, "min"), _value(self.query_one("#max", Input).value, "max")
        if low is not None and high is not None and low > high:
            raise InvalidInput("max", "The upper value is below the lower one.")
        chosen = Filter(
            kind=self._choice("kind"),
            channel=self._choice("channel"),
            status=self._choice("status"),
            **self._rep(),
            tag=self.query_one("#tag", Input).value.strip().lstrip("#").lower() or None,
            promised_only=self.query_one("#promised", Checkbox).value,
            min_value=low,
            max_value=high,
        )
        return lambda: chosen
