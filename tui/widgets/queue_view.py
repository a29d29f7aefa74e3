"""The queue pane: sections of what is due, drawn line by line from pages of the book.

A Line-API ScrollView: it knows the section counts, and reads only the pages of rows that are on
screen (cached), so a book of any size costs the same to show."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from storage.reads import queue
from storage.book.clock import local_now
from storage.rules.dates import due_label, from_utc
from storage.reads.queue import SECTION_TITLES, SECTIONS, QueueRow
from storage.rules.text import visible

PAGE = 64
CACHED_PAGES = 32
CACHED_STRIPS = 2_000  # drawn rows kept: a cursor move redraws two lines from here, not the pane


@dataclass(frozen=True)
class Block:
    section: str
    start: int  # the line of the section's header
    count: int


class QueueView(ScrollView, can_focus=True):
    """The queue. Posts `Selected` when the cursor lands on a prospect."""

    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False),
        Binding("k,up", "cursor(-1)", "Up", show=False),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
    ]
    COMPONENT_CLASSES = {
        "queue--header",
        "queue--cursor",
        "queue--promised",
        "queue--late",
        "queue--dim",
    }
    DEFAULT_CSS = """
    QueueView { background: $surface; overflow-x: hidden; }
    QueueView > .queue--header { color: $text-accent; text-style: bold; }
    QueueView > .queue--cursor { background: $block-cursor-blurred-background; }
    QueueView:focus > .queue--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    QueueView > .queue--promised { color: $text-warning; text-style: bold; }
    QueueView > .queue--late { color: $text-error; text-style: bold; }
    QueueView > .queue--dim { color: $text-muted; }
    """

    cursor = reactive(-1, init=False)

    class Selected(Message):
        def __init__(self, prospect_id: int | None) -> None:
            super().__init__()
            self.prospect_id = prospect_id

    def __init__(self, tz: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tz = tz
        self.blocks: list[Block] = []
        self._pages: OrderedDict[tuple[str, int], list[QueueRow]] = OrderedDict()
        self._strips: dict[tuple[int, int], Strip] = {}  # (line, width) -> the row drawn without cursor
        self._selected: int | None = None
        self.narrow: queue.Filter | None = None  # what the rep narrowed the queue to

    # -- reading the book -------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        """Re-read counts and drop cached pages; put the cursor on `select` if it is queued,
        else keep it where it was (clamped)."""
        now = local_now(self.tz)
        self._pages.clear()
        self._strips.clear()
        counts = queue.counts(now, self.tz, self.narrow)
        self.blocks, line = [], 0
        for section in SECTIONS:
            self.blocks.append(Block(section, line, counts[section]))
            line += 1 + counts[section]
        self.virtual_size = Size(self.size.width, line)
        target = self._line_of(select, now) if select is not None else None
        if target is None:
            target = self._nearest_row(max(self.cursor, 0))
        self._move_to(target, force=True)
        self.refresh()

    @property
    def total(self) -> int:
        return sum(block.count for block in self.blocks)

    def is_queued(self, prospect_id: int) -> bool:
        return queue.locate(prospect_id, local_now(self.tz), self.tz, self.narrow) is not None

    def _line_of(self, prospect_id: int, now) -> int | None:
        found = queue.locate(prospect_id, now, self.tz, self.narrow)
        if found is None:
            return None
        section, offset = found
        block = next(b for b in self.blocks if b.section == section)
        return block.start + 1 + offset

    def row_at(self, line: int) -> QueueRow | None:
        for block in self.blocks:
            if block.start < line <= block.start + block.count:
                offset = line - block.start - 1
                rows = self._page(block.section, offset // PAGE)
                index = offset % PAGE
                return rows[index] if index < len(rows) else None
        return None

    def _page(self, section: str, number: int) -> list[QueueRow]:
        key = (section, number)
        if key in self._pages:
            self._pages.move_to_end(key)
            return self._pages[key]
        rows = queue.page(section, number * PAGE, PAGE, local_now(self.tz), self.tz, self.narrow)
        self._pages[key] = rows
        if len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        return rows

    # -- the cursor ---------------------------------------------------------------------

    @property
    def selected(self) -> QueueRow | None:
        return self.row_at(self.cursor) if self.cursor >= 0 else None

    def _is_row(self, line: int) -> bool:
        return any(b.start < line <= b.start + b.count for b in self.blocks)

    def _nearest_row(self, line: int, step: int = 1) -> int:
        """The first row line at or after `line` (in the direction of `step`), else the other way."""
        last = self.virtual_size.height - 1
        for direction in (step, -step):
            probe = line
            while 0 <= probe <= last:
                if self._is_row(probe):
                    return probe
                probe += direction
        return -1

    def row_after_cursor(self) -> int | None:
        """The prospect the cursor should land on once the selected one has moved away."""
        for step in (1, -1):
            line = self._nearest_row(self.cursor + step, step)
            if line != -1 and line != self.cursor and (line - self.cursor) * step > 0:
                row = self.row_at(line)
                if row is not None:
                    return row.prospect_id
        return None

    def _move_to(self, line: int, force: bool = False) -> None:
        old = self.cursor
        self.cursor = line
        self._scroll_to_cursor()
        row = self.selected
        prospect_id = row.prospect_id if row else None
        if force or old != line or prospect_id != self._selected:
            self._selected = prospect_id
            self.post_message(self.Selected(prospect_id))

    def _scroll_to_cursor(self) -> None:
        line = self.cursor
        if line < 0:
            return
        # keep the section's header in view with its first rows
        block = next((b for b in self.blocks if b.start < line <= b.start + b.count), None)
        top = block.start if block and line - block.start < max(self.scrollable_content_region.height - 1, 1) else line
        self.scroll_to_region(Region(0, top, 1, line - top + 1), animate=False, force=True)

    def on_mount(self) -> None:
        # the first reload may come before the pane has a size to scroll within
        self.call_after_refresh(self._scroll_to_cursor)
        # "2d late", "today 14:00": what a row says depends on the time, so rows are redrawn
        self.set_interval(60, self._redraw)

    def _redraw(self) -> None:
        self._strips.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # a new theme or focus state: the cached rows have the old colours

    def watch_cursor(self, old: int, new: int) -> None:
        # only the two lines change; a scroll (if the cursor left the view) repaints the rest
        self.refresh_line(old)
        self.refresh_line(new)

    def action_cursor(self, step: int) -> None:
        line = self._nearest_row(self.cursor + step, step)
        if (line - self.cursor) * step > 0:
            self._move_to(line)

    def action_first(self) -> None:
        self._move_to(self._nearest_row(0))

    def action_last(self) -> None:
        self._move_to(self._nearest_row(self.virtual_size.height - 1, -1))

    def action_page(self, direction: int) -> None:
        target = self.cursor + direction * max(self.scrollable_content_region.height - 1, 1)
        target = min(max(target, 0), self.virtual_size.height - 1)
        self._move_to(self._nearest_row(target, direction))

    def on_click(self, event) -> None:
        line = event.y + int(self.scroll_y)
        if self._is_row(line):
            self._move_to(line)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.virtual_size.height)

    # -- drawing ----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        line = int(self.scroll_y) + y
        width = max(self.scrollable_content_region.width, 1)
        base = self.rich_style
        for block in self.blocks:
            if line == block.start:
                title = f" {SECTION_TITLES[block.section]} ({block.count})"
                return Strip([Segment(title, base + self.get_component_rich_style("queue--header"))]).adjust_cell_length(
                    width, base
                )
        strip = self._strips.get((line, width))
        if strip is None:
            row = self.row_at(line)
            if row is None:
                return Strip.blank(width, base)
            if len(self._strips) >= CACHED_STRIPS:
                self._strips.clear()
            strip = self._strips[(line, width)] = self._row_strip(row, width, base)
        if line == self.cursor:
            cursor = self.get_component_rich_style("queue--cursor")
            strip = Strip(Segment.apply_style(list(strip), post_style=cursor), strip.cell_length)
        return strip

    def _row_strip(self, row: QueueRow, width: int, style: Style) -> Strip:
        now = local_now(self.tz)
        late = row.due_at is not None and from_utc(row.due_at, self.tz) < now.start_of("day")
        if row.due_at is None:
            due = "no step"
        else:
            due = due_label(from_utc(row.due_at, self.tz), row.has_time, now)
        mark = " ★" if row.promised else "  "
        due_style = style
        if row.promised:
            due_style = style + self.get_component_rich_style("queue--promised")
        if late:
            due_style = style + self.get_component_rich_style("queue--late")
        dim = style + self.get_component_rich_style("queue--dim")
        # the touch count, and how many of them in a row went unanswered
        silent = f"{row.unanswered_streak}○" if row.unanswered_streak else ""
        touches = f"{row.touch_count:>3}× {silent:>3}"
        tail: list[tuple[str, Style]] = []
        if width >= 56:
            tail.append((f" {row.channel[:7]:<7}", dim))
        if width >= 72:
            tail.append((f" {row.kind[:13]:<13}", dim))
        tail.append((f" {touches} ", dim))
        tail_width = sum(len(text) for text, _ in tail)
        head = f"{mark} {due:<11} "
        name_width = max(width - len(head) - tail_width, 1)
        who = visible(row.name, one_line=True)
        if row.company:
            who += " · " + visible(row.company, one_line=True)
        who = set_cell_size(who, name_width - 1) + "…" if cell_len(who) > name_width else set_cell_size(who, name_width)
        segments = [
            Segment(mark, due_style),
            Segment(f" {due:<11} ", due_style),
            Segment(who, style + Style(bold=row.promised)),
        ]
        segments += [Segment(text, seg_style) for text, seg_style in tail]
        return Strip(segments).adjust_cell_length(width, style)
