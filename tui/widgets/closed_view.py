"""The closed book's list: won and dropped prospects, one line each, drawn from pages of the book.

A Line-API ScrollView, as the queue pane is: it knows how many rows the filter holds and draws
the rows of the pages it holds; a page is read off the UI thread (through the desk's one way to
the book) when a line of it is drawn, and a row still on its way is drawn as a placeholder. The
whole closed book is never loaded, whatever its size."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from storage.book.clock import local_now
from storage.reads import closed
from storage.reads.closed import ClosedFilter, ClosedPage, ClosedRow
from storage.rules.dates import from_utc
from storage.rules.text import visible
from tui.text import money

PAGE = 64  # rows read at a time
CACHED_PAGES = 32
PREFETCH = PAGE // 2  # rows ahead of the cursor whose page is read before the cursor gets there


# Below this width the touches and the revisit date give their room to the name: at 60 columns
# the six columns left the name one cell ("…").
NARROW = 72


def columns(width: int) -> list[tuple[str, int, str]]:
    """(heading, width, alignment) of each column after the name, for a list `width` cells wide;
    the name and company take what is left."""
    wide = width >= 110
    shown = [
        ("Status", 7, "<"),
        ("Closed", 11 if wide else 9, "<"),
        ("Reason", 28 if wide else 12, "<"),
        ("Value", 10 if wide else 7, ">"),
        ("Touches" if wide else "×", 7 if wide else 3, ">"),
        ("Revisit", 11 if wide else 9, "<"),
    ]
    return shown[:4] if width < NARROW else shown


def _fit(text: str, width: int, align: str = "<") -> str:
    """Exactly `width` cells: cut with an ellipsis, or padded."""
    if cell_len(text) > width:
        return set_cell_size(text, max(width - 1, 0)) + "…" if width else ""
    pad = " " * (width - cell_len(text))
    return pad + text if align == ">" else text + pad


def line_of(cells: list[str], width: int) -> list[str]:
    """The name column and the others, fitted to `width`: one string per column."""
    rest = columns(width)
    name_width = max(width - sum(w + 1 for _, w, _ in rest), 1)
    fitted = [_fit(cells[0], name_width)]
    fitted += [_fit(text, w, align) for text, (_, w, align) in zip(cells[1:], rest)]
    return fitted


def heading(width: int) -> str:
    return " " + " ".join(line_of(["Name · company", *(title for title, _, _ in columns(width))], width - 1))


def _day(moment: dt.date | None, wide: bool) -> str:
    if moment is None:
        return ""
    return moment.strftime("%-d %b %Y" if wide else "%-d %b %y")


class ClosedView(ScrollView, can_focus=True):
    """The rows of the closed book. Posts `Highlighted` when the cursor lands on a prospect."""

    COMPONENT_CLASSES = {"closed--cursor", "closed--dim", "closed--won"}
    DEFAULT_CSS = """
    ClosedView { background: $surface; overflow-x: hidden; overflow-y: scroll; }  /* the heading's width: stable */
    ClosedView > .closed--cursor { background: $block-cursor-blurred-background; }
    ClosedView:focus > .closed--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    ClosedView > .closed--dim { color: $text-muted; }
    ClosedView > .closed--won { color: $text-success; }
    """

    cursor = reactive(-1, init=False, repaint=False)  # watch_cursor repaints the two lines that change

    class Highlighted(Message):
        def __init__(self, row: ClosedRow | None) -> None:
            super().__init__()
            self.row = row

    def __init__(self, tz: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tz = tz
        self.narrow = ClosedFilter()  # as read: its words resolved
        self.total = 0
        self._today = local_now(tz).date()
        self._pages: OrderedDict[int, list[ClosedRow]] = OrderedDict()
        self._asked: set[int] = set()
        self._generation = 0  # a page read for an older filter is dropped

    def show_first(self, first: ClosedPage) -> None:
        """Show a first read (a filter's count and first page); the cursor on the newest."""
        self._generation += 1
        self.narrow, self.total = first.narrow, first.total
        self._today = local_now(self.tz).date()
        self._pages = OrderedDict({0: first.rows})
        self._asked.clear()
        self.virtual_size = Size(self.size.width, self.total)
        self.scroll_to(0, 0, animate=False, force=True)
        self.cursor = -1
        self._move_to(0 if self.total else -1)
        self.refresh()

    def _ask(self, number: int) -> None:
        if number in self._pages or number in self._asked or number < 0 or number * PAGE >= self.total:
            return
        self._asked.add(number)
        generation = self._generation
        self.app.book.call(self, closed.page, self.narrow, number * PAGE, PAGE, self._today,
                           done=lambda rows: self._page_read(number, generation, rows),
                           failed=lambda error: self._asked.discard(number), group="closed-page")

    def _page_read(self, number: int, generation: int, rows: list[ClosedRow]) -> None:
        if generation != self._generation:
            return  # the filter changed since
        self._asked.discard(number)
        self._pages[number] = rows
        if len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        self.refresh()
        if self.cursor // PAGE == number:
            self.post_message(self.Highlighted(self.selected))

    def row_at(self, line: int) -> ClosedRow | None:
        """The row drawn at `line`, if its page is here (else it is asked for)."""
        if not 0 <= line < self.total:
            return None
        number, index = divmod(line, PAGE)
        rows = self._pages.get(number)
        if rows is None:
            self._ask(number)
            return None
        self._pages.move_to_end(number)
        return rows[index] if index < len(rows) else None

    @property
    def selected(self) -> ClosedRow | None:
        return self.row_at(self.cursor) if self.cursor >= 0 else None

    # -- the cursor -----------------------------------------------------------------------

    def _move_to(self, line: int) -> None:
        line = min(max(line, 0), self.total - 1) if self.total else -1
        if line == self.cursor:
            return
        self.cursor = line
        if line >= 0:
            self.scroll_to_region(Region(0, line, 1, 1), animate=False, force=True)
            for ahead in (line + PREFETCH, line - PREFETCH):
                self._ask(min(max(ahead, 0), self.total - 1) // PAGE)
        self.post_message(self.Highlighted(self.selected))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)

    def cursor_by(self, step: int) -> None:
        self._move_to(self.cursor + step)

    def first(self) -> None:
        self._move_to(0)

    def last(self) -> None:
        self._move_to(self.total - 1)

    def page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(self.scrollable_content_region.height - 1, 1))

    def on_click(self, event) -> None:
        self._move_to(event.y + int(self.scroll_y))

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.total)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    # -- drawing --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        line = int(self.scroll_y) + y
        width = max(self.scrollable_content_region.width, 1)
        base = self.rich_style
        if not 0 <= line < self.total:
            return Strip.blank(width, base)
        row = self.row_at(line)
        dim = base + self.get_component_rich_style("closed--dim")
        if row is None:  # its page is on its way
            return Strip([Segment("   …", dim)]).adjust_cell_length(width, base)
        strip = self._row_strip(row, width, base, dim)
        if line == self.cursor:
            cursor = self.get_component_rich_style("closed--cursor")
            strip = Strip(Segment.apply_style(list(strip), post_style=cursor), strip.cell_length)
        return strip

    def _row_strip(self, row: ClosedRow, width: int, base: Style, dim: Style) -> Strip:
        wide = width >= 110
        who = visible(row.name, one_line=True)
        if row.company:
            who += " · " + visible(row.company, one_line=True)
        closed_day = from_utc(row.closed_at, self.tz).date() if row.closed_at else None
        cells = line_of(
            [who, row.status, _day(closed_day, wide), visible(row.reason, one_line=True), money(row.deal_value),
             f"{row.touch_count}", _day(row.revisit_on, wide)],
            width - 1,
        )
        status_style = base + self.get_component_rich_style("closed--won") if row.status == "won" else dim
        styles = [base, status_style, base, dim, base, dim, base]
        segments = [Segment(" ", base)]
        for number, (text, style) in enumerate(zip(cells, styles)):
            if number:
                segments.append(Segment(" ", base))
            segments.append(Segment(text, style))
        return Strip(segments).adjust_cell_length(width, base)
