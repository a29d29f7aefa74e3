"""Export (from the command palette): the prospects as CSV or JSON, the scheduled follow-ups as an
iCalendar file, or the closed deals as CSV for accounting; written owner-only, off the UI thread."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select

from storage.book.clock import local_now
from storage.exchange import exports
from storage.book.errors import InvalidInput
from tui.screens.form import FormScreen, Saved, labelled
from tui.widgets.safe_fields import SafeInput

# format -> (label, file extension, what a row is); the writer: storage.exchange.exports.writer
FORMATS = {
    "csv": ("Prospects, CSV (spreadsheets)", "csv", "prospect"),
    "json": ("Prospects with their history, JSON", "json", "prospect"),
    "ics": ("Scheduled follow-ups, iCalendar", "ics", "follow-up"),
    "deals": ("Closed deals, CSV (accounting)", "csv", "closed deal"),
}


def default_path(kind: str, today: dt.date) -> str:
    """A file named for the rep's today (not the machine's)."""
    name = {"deals": "closed-deals"}.get(kind, "followup")
    return str(Path("~") / f"{name}-{today:%Y-%m-%d}.{FORMATS[kind][1]}")


class ExportScreen(FormScreen):
    def __init__(self, tz: str) -> None:
        super().__init__()
        self.tz = tz  # the rep's: the days in the file are the desk's days
        self.today = local_now(tz).date()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Export", classes="title")
            yield from labelled(
                "What",
                Select([(label, kind) for kind, (label, *_) in FORMATS.items()], value="csv", allow_blank=False, compact=True, id="format"),
                "format",
            )
            yield from labelled("To file", SafeInput(default_path("csv", self.today), id="path"), "path")
            yield Label("The file is readable by you only: it holds other people's details.", classes="hint")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#format", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#path", Input)
        if path.value in {default_path(kind, self.today) for kind in FORMATS}:  # not typed by the rep: follow
            path.value = default_path(str(event.value), self.today)

    def prepare(self):
        kind = str(self.query_one("#format", Select).value)
        text = self.query_one("#path", Input).value.strip()
        if not text:
            raise InvalidInput("path", "Name the file to write.")
        path = Path(text).expanduser()
        if path.is_dir():
            raise InvalidInput("path", f"{text} is a folder; name a file in it.")
        if not path.parent.is_dir():
            raise InvalidInput("path", f"There is no folder {path.parent}.")
        what, write = FORMATS[kind][2], exports.writer(kind, self.tz)

        def run() -> Saved:
            try:
                with exports.private_file(path) as out:
                    count = write(out)
            except OSError as exc:
                raise InvalidInput("path", f"Can't write {path}: {exc.strerror or exc}.") from None
            return Saved(None, f"Wrote {count:,} {what}{'' if count == 1 else 's'} to {path}")

        return run
