"""The reports (`r` on the desk, issue 17): the rep's own book as coaching. Persistence (how many
touches wins took, where the rep gave up), promises kept by week, reply rate per channel, how deals
ended, when they answer (weekday × hour), whether the rep keeps up, what is open; each a plot with
its numbers and what to do about it (tui/widgets/report_figures.py, report_more.py).

The period is picked by key (1 30 days · 2 90 days · 3 a year · 4 the whole book, p the next) and
named in the title. The figures are read off the UI thread through the desk's one way to the book
(storage/reads/reports.py); only the latest period's read counts. One column of figures that
scrolls; two side by side from WIDE columns up. `c` saves the figures as CSV (tui/report_csv.py)
and `s` the screen as an SVG picture (for a manager's email), in the rep's reports folder,
owner-only, and says where."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from storage.book.clock import local_now
from storage.book.locations import data_dir
from storage.exchange.exports import private_file
from storage.reads import reports
from storage.book.vocabulary import KINDS
from storage.reads.report_hours import NO_KIND, HourGrid, hours
from storage.reads.reports import PERIODS, Period, Report
from tui.cli_report import DEFAULT_PERIOD
from tui.keys import REPORT_KEYS, bindings, key_for
from tui.text import tell
from tui.report_csv import report_rows, write_rows
from tui.widgets.report_figures import ChannelsFigure, OutcomesFigure, PersistenceFigure, PromisesFigure
from tui.widgets.report_more import ActivityFigure, HoursFigure, PipelineFigure

WIDE = 140  # columns from which two figures stand side by side
NAMES = {"30d": "last 30 days", "90d": "last 90 days", "1y": "last year", "all": "the whole book"}
SHORT = {"30d": "30 days", "90d": "90", "1y": "a year", "all": "all"}  # the hint's: one line at 80
FOLDER = "reports"  # in the rep's data folder, beside the book
HOUR_KINDS = (None, *KINDS, NO_KIND)  # the hours of every touch, then of those on each kind of follow-up


def read_report(period: Period, tz: str, kind: str | None) -> tuple[Report, HourGrid]:
    """The period's figures, and the hours of the kind picked (None: every touch's, the report's)."""
    found = reports.report(period, tz)
    return found, found.hours if kind is None else hours(period, tz, kind)


def save_report(name: str, text: str | list[list[str]]) -> Path:
    """`name` in the data folder's reports/ (made owner-only: a report names customers' reasons),
    the whole file or none of it, readable by its owner only (the exports' rule). Off the UI thread."""
    folder = data_dir() / FOLDER
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with private_file(folder / name) as out:
        if isinstance(text, str):
            out.write(text)
        else:  # the CSV's rows (tui/report_csv.py)
            write_rows(text, out)
    return folder / name


class ReportsScreen(Screen[None]):
    BINDINGS = bindings(REPORT_KEYS)  # tui/keys.py: every key, with its id
    DEFAULT_CSS = """
    ReportsScreen #reports-pane { height: 1fr; border: round $primary; }
    ReportsScreen #reports-hint { color: $text-muted; padding: 0 1; height: auto; }
    ReportsScreen #figures { height: 1fr; scrollbar-gutter: stable; }  /* one width, before and after the scrollbar shows */
    ReportsScreen #columns { height: auto; layout: vertical; }
    ReportsScreen.-wide #columns { layout: grid; grid-size: 2; grid-rows: auto; grid-gutter: 0 1; }
    """

    def __init__(self, tz: str, period: str = DEFAULT_PERIOD) -> None:
        super().__init__()
        self.tz = tz
        self.period = period
        self.kind: str | None = None  # the kind of prospect the hours are of (None: all)
        self._reading = False  # a period's figures are on their way
        self.found: Report | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="reports-pane"):
            yield Static("", id="reports-hint", markup=False)
            with VerticalScroll(id="figures"):
                with Vertical(id="columns"):
                    yield PersistenceFigure()
                    yield PromisesFigure()
                    yield ChannelsFigure()
                    yield HoursFigure()
                    yield ActivityFigure()
                    yield OutcomesFigure()
                    yield PipelineFigure()
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        keymap = getattr(self.app, "rep_keymap", {})
        periods = " · ".join(f"{key_for(keymap, f'reports.{name}')} {SHORT[name]}" for name in PERIODS)
        self.query_one("#reports-hint", Static).update(
            f"{periods} · {key_for(keymap, 'reports.csv')} saves a CSV · {key_for(keymap, 'reports.svg')} an SVG")
        self.query_one("#figures").focus()
        self.on_resize()
        self.read()

    def on_resize(self) -> None:
        self.set_class(self.app.size.width >= WIDE, "-wide")
        self.query_one(Footer).compact = self.app.size.width < 80

    # -- reading ------------------------------------------------------------------------

    def read(self) -> None:
        """The chosen period's figures, off the UI thread; only the latest period counts."""
        period = Period.back_from(self.period, local_now(self.tz), self.tz)
        self._title(period, reading=True)
        self._reading = True
        self.app.book.call(self, read_report, period, self.tz, self.kind, done=self._show, failed=self._not_read,
                           group="report", exclusive=True)

    def _not_read(self, error: BaseException) -> bool:
        self._reading = False
        if self.found is not None:
            self._title(self.found.period)  # the figures on screen are still that period's
        return False  # the one handler says why

    def _title(self, period: Period, *, reading: bool = False) -> None:
        since = f" · since {period.first_day:%a %-d %b %Y}" if period.first_day else ""
        self.query_one("#reports-pane").border_title = (
            f"Reports · {NAMES[period.name]}{since}" + (" · reading…" if reading else ""))

    def _show(self, read: tuple[Report, HourGrid]) -> None:
        found, grid = read
        self.found, self._reading = found, False
        with self.app.batch_update():
            self._title(found.period)
            self.query_one(PersistenceFigure).show(found.persistence)
            self.query_one(PromisesFigure).show(found.promises)
            self.query_one(ChannelsFigure).show(found.channels)
            self.query_one(HoursFigure).show(grid, self.kind)
            self.query_one(ActivityFigure).show(found.activity)
            self.query_one(OutcomesFigure).show(found.outcomes)
            self.query_one(PipelineFigure).show(found.pipeline)

    # -- keys ---------------------------------------------------------------------------

    def action_period(self, name: str) -> None:
        if name != self.period:
            self.period = name
            self.read()

    def action_next_period(self) -> None:
        names = list(PERIODS)
        self.action_period(names[(names.index(self.period) + 1) % len(names)])

    def action_kind(self) -> None:
        """The hours of the next kind of prospect over the period on screen (a few hundred ms on a
        big book, where the whole report takes seconds). While a period's figures are on their way
        the kind is read with them instead: hours and figures are never of two periods (one group,
        only the latest read counts)."""
        self.kind = kind = HOUR_KINDS[(HOUR_KINDS.index(self.kind) + 1) % len(HOUR_KINDS)]
        figure = self.query_one(HoursFigure)
        figure.reading(kind)
        if self._reading or self.found is None:
            self.read()
            return
        self.app.book.call(self, hours, self.found.period, self.tz, kind, done=lambda grid: figure.show(grid, kind),
                           failed=self._kind_not_read, group="report", exclusive=True)

    def _kind_not_read(self, error: BaseException) -> bool:
        """The hours on screen stay, and so does the kind they are of."""
        figure = self.query_one(HoursFigure)
        if figure.shown is not None:
            grid, self.kind = figure.shown
            figure.show(grid, self.kind)
        return False  # the one handler says why

    def action_scroll(self, lines: int) -> None:
        self.query_one("#figures", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_scroll_to(self, where: str) -> None:
        figures = self.query_one("#figures", VerticalScroll)
        (figures.scroll_home if where == "home" else figures.scroll_end)(animate=False)

    def action_svg(self) -> None:
        """The screen as it is now, drawn on the UI thread (it reads the screen), written off it."""
        if self.found is None:
            return  # nothing read yet: no picture of "reading…"
        day = local_now(self.tz).date()
        self.app.clear_notifications()  # a picture of the report, not of what the desk last said
        svg = self.app.export_screenshot(title=f"Followup Desk · Reports · {NAMES[self.period]}")
        self.app.book.call(self, save_report, f"report-{self.period}-{day:%Y-%m-%d}.svg", svg,
                           done=self._saved, group="report-file")

    def action_csv(self) -> None:
        """The figures on screen as CSV rows (made here, from what was read), written off the UI thread."""
        if self.found is None:
            return
        day = local_now(self.tz).date()
        rows = report_rows(self.found, self.tz)
        self.app.book.call(self, save_report, f"report-{self.found.period.name}-{day:%Y-%m-%d}.csv", rows,
                           done=self._saved, group="report-file")

    def _saved(self, path: Path) -> None:
        tell(self, f"Saved the report as {path}", timeout=8)

    def action_back(self) -> None:
        self.dismiss(None)
