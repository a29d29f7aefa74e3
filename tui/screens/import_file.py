"""Import (`i`): a CSV, a vCard address book or the desk's own JSON export. The rep names the
file, sees what it is and what each column becomes (and changes it), reads the dry run, chooses
what to do with people already in the book, then imports with a progress bar. Nothing is written
before ctrl+s, and a failure writes nothing at all."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, ProgressBar, Select, Static

from storage.exchange.csv_columns import IGNORE, TARGET_LABELS, TARGETS
from storage.book.errors import BookError, InvalidInput
from storage.exchange.incoming import ImportReport
from storage.exchange.sources import Source, open_source
from tui.screens.form import FormScreen, Saved, labelled
from storage.rules.text import visible
from tui.text import literal, say
from tui.widgets.safe_fields import SafeInput

PROBLEMS_SHOWN = 8
SAMPLE_ROWS = 1000  # rows looked at for what each column holds (in the reading worker)
TARGET_OPTIONS = [(TARGET_LABELS[t], t) for t in (*TARGETS, IGNORE)]


def report_text(report: ImportReport) -> str:
    lines = [report.summary()]
    lines += [f"already in the book: line {line}: {who}" for line, who in report.skipped[:PROBLEMS_SHOWN]]
    lines += [f"not imported: {problem}" for problem in report.problems[:PROBLEMS_SHOWN]]
    lines += [f"imported without a cell: {warning}" for warning in report.warnings[:PROBLEMS_SHOWN]]
    hidden = sum(max(len(listed) - PROBLEMS_SHOWN, 0) for listed in (report.skipped, report.problems, report.warnings))
    if hidden:
        lines.append(f"… and {hidden:,} more (followup import FILE --dry-run lists them all)")
    return "\n".join(lines)


class ImportScreen(FormScreen):
    DEFAULT_CSS = """
    ImportScreen > .dialog { width: 100; height: 90%; }
    ImportScreen #columns { height: 1fr; min-height: 2; }
    ImportScreen #columns .field-label { width: 34; height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    ImportScreen #what { height: auto; margin-top: 1; }
    ImportScreen #plan { height: auto; max-height: 7; overflow-y: auto; margin-top: 1; }
    ImportScreen #plan { color: $text-muted; }
    ImportScreen ProgressBar { margin-top: 1; display: none; }
    ImportScreen ProgressBar.-running { display: block; }
    """

    def __init__(self, tz: str) -> None:
        super().__init__()
        self.tz = tz
        self.source: Source | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Import prospects", classes="title")
            yield from labelled("File", SafeInput(placeholder="path to a .csv, .vcf or .json file, then enter", id="path"), "path")
            yield from labelled(
                "Encoding", SafeInput(placeholder="cp1252, latin-1, utf-16…, then enter", id="encoding", compact=True), "encoding"
            )
            yield Static("", id="what", markup=False)
            yield Static("", id="guess", markup=False)  # an encoding guess that could garble, with a line as read
            yield VerticalScroll(id="columns")
            yield from labelled(
                "Already in book",
                Select([("skip them", "skip"), ("merge into them", "merge")], value="skip", allow_blank=False, compact=True, id="duplicates"),
                "duplicates",
            )
            yield Static("", id="plan", markup=False)
            yield ProgressBar(id="progress", show_eta=True)
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()
        self._offer_encoding(False)

    def _offer_encoding(self, shown: bool) -> None:
        """The encoding field is shown when the rep may need it: a guess that could garble, one
        they chose, or a file that could not be read (a wrong guess may be why). Else its row
        would take room the columns and the dry run need at 80x24 and below."""
        field = self.query_one("#encoding", Input)
        if field.parent is not None:
            field.parent.display = shown or bool(field.value.strip())

    # -- reading the file and the dry run, off the UI thread ---------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # enter reads the file here; it does not import (FormScreen's)
        if event.input.id in ("path", "encoding"):  # enter in either reads the file (again)
            path = self.query_one("#path", Input).value.strip()
            if path:
                self.clear_errors()
                self.query_one("#what", Static).update("Reading the file …")
                self.read(path)

    def read(self, path: str) -> None:
        import os

        tz, on_duplicate, encoding = self.tz, self._duplicates(), self.query_one("#encoding", Input).value

        def preview() -> tuple[Source, ImportReport, list[str]]:
            source = open_source(os.path.expanduser(path), tz, encoding=encoding)
            return source, source.run(on_duplicate=on_duplicate, dry_run=True), source.samples(SAMPLE_ROWS)

        self.app.book.call(self, preview, done=lambda found: self._show(*found), failed=self._unreadable,
                           group="preview", exclusive=True)

    def replan(self, source: Source, on_duplicate: str) -> None:
        self.app.book.call(self, partial(source.run, on_duplicate=on_duplicate, dry_run=True), done=self._show_plan,
                           failed=self._unreadable, group="preview", exclusive=True)

    def _unreadable(self, error: BaseException) -> bool:
        """Said beside the file name; a fault of ours is told by the desk's handler too."""
        message = str(error) if isinstance(error, (InvalidInput, BookError)) else f"Can't read it: {type(error).__name__}: {error}"
        self.source = None
        self.query_one("#what", Static).update("")
        self.query_one("#plan", Static).update("")
        self.query_one("#guess", Static).update("")
        field = "encoding" if getattr(error, "field", "") == "encoding" else "path"
        self._offer_encoding(True)
        self.show_error(field, visible(message, one_line=True))
        return isinstance(error, (InvalidInput, BookError))

    def _show(self, source: Source, plan: ImportReport, samples: list[str]) -> None:
        # read in another encoding, a CSV's headers are other words: its columns are shown again
        first = self.source is None or (self.source.path, self.source.encoding) != (source.path, source.encoding)
        self.source = source
        note = source.encoding_note()
        self._offer_encoding(bool(note))
        self.query_one("#guess", Static).update(
            literal(f"{note}\nLooks wrong? Type another encoding above, then enter.") if note else ""
        )
        self.query_one("#what", Static).update(literal(source.describe()))
        if first:
            columns = self.query_one("#columns", VerticalScroll)
            columns.remove_children()
            columns.display = source.table is not None  # a vCard or JSON file has no columns to map
            if source.table is not None:
                headers = source.table.headers
                # The columns read first, then the ignored ones, each with what it holds, so the
                # rep sees what a column is before choosing its field. An Outlook export has 92
                # columns, most of them empty: those are not offered (a choice for each took 5.4 s
                # to show at 80x24; and an empty column fills nothing, whatever its field).
                order = sorted(
                    (index for index in range(len(headers)) if samples[index] or not source.table.rows),
                    key=lambda index: source.mapping.get(index, IGNORE) == IGNORE,
                )
                if hidden := len(headers) - len(order):
                    empty = f"{hidden:,} column{'' if hidden == 1 else 's'} empty in the first {SAMPLE_ROWS:,} rows not shown"
                    self.query_one("#what", Static).update(literal(f"{source.describe()}\n{empty}"))
                columns.mount_all(
                    Horizontal(
                        Label(say("$header  [dim]$sample[/dim]", header=headers[index], sample=samples[index][:60]),
                              classes="field-label"),
                        Select(TARGET_OPTIONS, value=source.mapping.get(index, IGNORE), allow_blank=False, compact=True, id=f"column-{index}"),
                        classes="row",
                    )
                    for index in order
                )
        self._show_plan(plan)

    def _show_plan(self, plan: ImportReport) -> None:
        self.query_one("#plan", Static).update(literal(report_text(plan) + "\nctrl+s imports"))

    def _duplicates(self) -> str:
        return str(self.query_one("#duplicates", Select).value)

    def on_select_changed(self, event: Select.Changed) -> None:
        if self.source is None:
            return
        select_id = event.select.id or ""
        if select_id.startswith("column-") and self.source.table is not None:
            mapping = dict(self.source.mapping)
            mapping[int(select_id.removeprefix("column-"))] = str(event.value)
            if mapping == self.source.mapping:
                return
            self.source = self.source.remap(mapping)
        self.replan(self.source, self._duplicates())

    # -- the import itself: FormScreen runs it in a thread worker ------------------------------

    def prepare(self):
        source = self.source
        if source is None:
            raise InvalidInput("path", "Name the file to import, then press enter to read it.")
        on_duplicate = self._duplicates()
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(source.size, 1), progress=0)
        bar.add_class("-running")

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=max(total, 1), progress=done)

        def run() -> Saved:
            report = source.run(on_duplicate=on_duplicate, progress=progress)
            return Saved(None, report.summary())

        return run
