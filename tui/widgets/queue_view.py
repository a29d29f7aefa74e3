"""The queue pane: sections of what is due, drawn line by line from pages of the book.

A Line-API ScrollView: it knows the section counts and draws the rows of the pages it holds;
every read of the book (the counts, the pages, where a prospect stands) runs off the UI thread
through the desk's one way to the book, and a row whose page is still on its way is drawn as a
placeholder until it arrives. A book of any size, on a disk or a server, costs the same to show."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from storage.book.clock import local_now
from storage.reads.prospect import ProspectView
from storage.reads.queue import SECTION_TITLES, Filter, QueueRow, is_late
from storage.reads.today import TodayProgress
from storage.rules.dates import due_label, local_due
from storage.rules.text import visible
from tui.keys import MOVE_KEYS, bindings
from tui.widgets.queue_layout import PAGE, Block, QueueState, block_at, height_of, nearest_row, page_of, read_page, read_queue
from tui.widgets.queue_row import RowFacts, row_pieces, short_due

CACHED_PAGES = 32
CACHED_STRIPS = 2_000  # drawn rows kept: a cursor move redraws two lines from here, not the pane
DRAWN_ROWS = 200  # rows kept by what they show: a re-read finds the ones on screen (a few screens' worth)
PREFETCH = PAGE // 2  # rows ahead of the cursor whose page is read before the cursor gets there


class QueueView(ScrollView, can_focus=True):
    """The queue. Posts `Selected` when the cursor lands on a prospect, `Reloaded` after a read."""

    BINDINGS = bindings(MOVE_KEYS)  # tui/keys.py: every key, with its id
    COMPONENT_CLASSES = {
        "queue--header",
        "queue--cursor",
        "queue--promised",
        "queue--late",
        "queue--dim",
    }
    DEFAULT_CSS = """
    QueueView { background: $surface; overflow-x: hidden; scrollbar-size-vertical: 1; }
    QueueView > .queue--header { color: $text-accent; text-style: bold; }
    QueueView > .queue--cursor { background: $block-cursor-blurred-background; }
    QueueView:focus > .queue--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    QueueView > .queue--promised { color: $text-warning; text-style: bold; }
    QueueView > .queue--late { color: $text-error; text-style: bold; }
    QueueView > .queue--dim { color: $text-muted; }
    """

    cursor = reactive(-1, init=False, repaint=False)  # watch_cursor repaints the two lines that change

    class Selected(Message):
        """The cursor landed on a prospect; `view` is them, when the queue read them already."""

        def __init__(self, prospect_id: int | None, view: ProspectView | None = None) -> None:
            super().__init__()
            self.prospect_id = prospect_id
            self.view = view

    class Reloaded(Message):
        """The queue was read again: whether the prospect asked for stands in it."""

        def __init__(self, located: int | None, empty_book: bool) -> None:
            super().__init__()
            self.located = located
            self.empty_book = empty_book

    class ReadFailed(Message):
        """A read of the queue failed (the one handler has said why): nothing more is coming."""

    def __init__(self, tz: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tz = tz
        self.blocks: list[Block] = []
        self.narrow: Filter | None = None  # what the rep narrowed the queue to
        self.empty_book = False
        self.progress: TodayProgress | None = None  # the rep's day so far, read with the queue
        self._now = local_now(tz)  # the moment the sections were cut at; pages are read at it too
        self._pages: OrderedDict[tuple[str, int], list[QueueRow]] = OrderedDict()
        self._asked: set[tuple[str, int]] = set()  # pages on their way
        self._generation = 0  # a page read for an older queue is dropped
        self._strips: dict[tuple[int, int], Strip] = {}  # (line, width) -> the row drawn without cursor
        # (row, width, minute) -> that row drawn: a queue read again (each save) draws only the rows that changed
        self._drawn: dict[tuple, Strip] = {}
        self._selected: int | None = None
        # the prospect on screen who is not in this queue (closed, filtered out, a search away):
        # no row is drawn as the cursor meanwhile, and a move brings the cursor back
        self.holding: int | None = None
        # a manager's desk: whose each row is, in a word (storage.reads.team.Team.tag); None elsewhere
        self.owner_words: Callable[[str | None], str] | None = None

    # -- reading the book (off the UI thread) --------------------------------------------------

    @property
    def cut_at(self):
        """The moment the sections on screen were cut at (their pages are read at it too)."""
        return self._now

    def reader(self) -> Callable[..., QueueState]:
        """The read of this queue (as it is filtered and scrolled now), to run in a worker: the
        cursor goes to the first of `wanted` that the queue holds, else near where it was; while
        a prospect outside the queue is held on screen, it stays there (`keep`, see read_queue)."""
        tz, narrow, cursor, holding = self.tz, self.narrow, self.cursor, self.holding
        height = max(self.scrollable_content_region.height, 50)
        return lambda wanted, keep=holding: read_queue(local_now(tz), tz, narrow, wanted, cursor, height, keep)

    def reload(self, select: int | None = None, fallback: int | None = None, keep: int | None = ...) -> None:
        """Read the queue again and put the cursor on `select` (else `fallback`) if it is queued,
        else near where it was. `keep` (by default the prospect held on screen): see read_queue."""
        read = self.reader()
        self.app.book.call(self, read, [select, fallback], self.holding if keep is ... else keep,
                           done=self.show_state, failed=self._failed, group="queue", exclusive=True)

    def hold(self, prospect_id: int | None) -> None:
        """Keep `prospect_id` on screen from now on, in the queue or not (a search's jump): every
        read of the queue started from here on keeps them (one on its way is superseded)."""
        if prospect_id != self.holding:
            self.holding = prospect_id
            self.refresh_line(self.cursor)

    def _failed(self, error: BaseException) -> bool:
        self._asked.clear()  # asked again when drawn
        self.post_message(self.ReadFailed())
        return False

    def show_state(self, state: QueueState) -> None:
        """Show a read of the queue (this pane's own, or one a save made in its worker)."""
        self.app.book.supersede(self, "queue")  # a read of ours still on its way is stale now
        self._generation += 1
        self._now = state.now
        self.blocks = state.blocks
        self.empty_book = state.empty_book
        self.progress = state.progress
        self._pages = OrderedDict(state.pages)
        self._asked.clear()
        self._strips.clear()
        self.virtual_size = Size(self.size.width, height_of(self.blocks))
        self.holding = state.shown.id if state.parked and state.shown else None
        self._move_to(state.line, force=True, view=state.shown)
        self.refresh()
        self.post_message(self.Reloaded(state.located, state.empty_book))

    def _ask(self, section: str, number: int) -> None:
        key = (section, number)
        if key in self._pages or key in self._asked:
            return
        self._asked.add(key)
        generation = self._generation
        self.app.book.call(self, read_page, self._now, self.tz, self.narrow, section, number,
                           done=lambda rows: self._page_read(key, generation, rows), failed=self._failed,
                           group="queue-page")

    def _page_read(self, key: tuple[str, int], generation: int, rows: list[QueueRow]) -> None:
        if generation != self._generation:
            return  # the queue was read again since
        self._asked.discard(key)
        self._pages[key] = rows
        if len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        self._strips.clear()
        self.refresh()
        if self.holding is None and self._selected is None and self.selected is not None:
            self._announce()

    @property
    def announced(self) -> int | None:
        """The prospect the cursor stands on, as told in the last `Selected` sent (maybe not
        received yet: a key can come before it)."""
        return self._selected

    @property
    def total(self) -> int:
        return sum(block.count for block in self.blocks)

    def row_at(self, line: int) -> QueueRow | None:
        """The row drawn at `line`, if its page is here (else it is asked for)."""
        where = page_of(self.blocks, line)
        if where is None:
            return None
        section, number, index = where
        rows = self._pages.get((section, number))
        if rows is None:
            self._ask(section, number)
            return None
        self._pages.move_to_end((section, number))
        return rows[index] if index < len(rows) else None

    # -- the cursor ---------------------------------------------------------------------

    @property
    def selected(self) -> QueueRow | None:
        return self.row_at(self.cursor) if self.cursor >= 0 else None

    def row_after_cursor(self) -> int | None:
        """The prospect the cursor should land on once the selected one has moved away."""
        for step in (1, -1):
            line = nearest_row(self.blocks, self.cursor + step, step)
            if line != -1 and (line - self.cursor) * step > 0:
                row = self.row_at(line)
                if row is not None:
                    return row.prospect_id
        return None

    def _move_to(self, line: int, force: bool = False, view: ProspectView | None = None) -> None:
        old = self.cursor
        self.cursor = line
        self._scroll_to_cursor()
        for ahead in (line + PREFETCH, line - PREFETCH):  # the next page is read before it is needed
            if (where := page_of(self.blocks, ahead)) is not None:
                self._ask(where[0], where[1])
        if self.holding is not None:  # the one held stays on screen: no row is announced
            if force or self._selected != self.holding:
                self._announce(view)
            return
        row = self.selected
        if row is None and line >= 0:
            self._selected = None  # its page is on its way: told when it arrives
            return
        if force or old != line or (row.prospect_id if row else None) != self._selected:
            self._announce(view)

    def _announce(self, view: ProspectView | None = None) -> None:
        row = self.selected
        self._selected = self.holding if self.holding is not None else row.prospect_id if row else None
        known = view if view is not None and view.id == self._selected else None
        self.post_message(self.Selected(self._selected, known))

    def _scroll_to_cursor(self) -> None:
        line = self.cursor
        if line < 0:
            return
        # keep the section's header in view with its first rows
        block = block_at(self.blocks, line)
        top = block.start if block and line - block.start < max(self.scrollable_content_region.height - 1, 1) else line
        self.scroll_to_region(Region(0, top, 1, line - top + 1), animate=False, force=True)

    def on_mount(self) -> None:
        # the first read may come before the pane has a size to scroll within
        self.call_after_refresh(self._scroll_to_cursor)
        # "2d late", "today 14:00": what a row says depends on the time, so rows are redrawn
        self.set_interval(60, self._redraw)

    def _redraw(self) -> None:
        self._strips.clear()
        self._drawn.clear()
        self.refresh()

    def show_owners(self, words: Callable[[str | None], str]) -> None:
        """A manager's desk: each row says whose it is, in `words`' word, where it has room."""
        self.owner_words = words
        self._redraw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # a new theme or focus state: the cached rows have the old colours
        self._drawn.clear()

    def watch_cursor(self, old: int, new: int) -> None:
        # only the two lines change; a scroll (if the cursor left the view) repaints the rest
        self.refresh_line(old)
        self.refresh_line(new)

    def _let_go(self) -> bool:
        """A move in the queue: the prospect held on screen gives way to the queue's rows again.
        True when one was held."""
        if self.holding is None or nearest_row(self.blocks, 0) == -1:
            return False  # nothing held, or no row to give way to (the one held stays)
        self.hold(None)
        return True

    def action_cursor(self, step: int) -> None:
        if self._let_go():  # the first move shows the row the cursor was on before the jump
            self._move_to(nearest_row(self.blocks, max(self.cursor, 0), step), force=True)
            return
        line = nearest_row(self.blocks, self.cursor + step, step)
        if (line - self.cursor) * step > 0:
            self._move_to(line)

    def action_first(self) -> None:
        self._move_to(nearest_row(self.blocks, 0), force=self._let_go())

    def action_last(self) -> None:
        self._move_to(nearest_row(self.blocks, height_of(self.blocks) - 1, -1), force=self._let_go())

    def action_page(self, direction: int) -> None:
        target = self.cursor + direction * max(self.scrollable_content_region.height - 1, 1)
        target = min(max(target, 0), height_of(self.blocks) - 1)
        self._move_to(nearest_row(self.blocks, target, direction), force=self._let_go())

    def on_click(self, event) -> None:
        line = event.y + int(self.scroll_y)
        if block_at(self.blocks, line) is not None:
            self._move_to(line, force=self._let_go())

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
            if block_at(self.blocks, line) is None:
                return Strip.blank(width, base)
            row = self.row_at(line)
            if row is None:  # its page is on its way
                dim = base + self.get_component_rich_style("queue--dim")
                return Strip([Segment("   …", dim)]).adjust_cell_length(width, base)
            if len(self._strips) >= CACHED_STRIPS:
                self._strips.clear()
            strip = self._strips[(line, width)] = self._drawn_row(row, width, base)
        if line == self.cursor and self.holding is None:  # none while the one on screen is elsewhere
            cursor = self.get_component_rich_style("queue--cursor")
            strip = Strip(Segment.apply_style(list(strip), post_style=cursor), strip.cell_length)
        return strip

    def _drawn_row(self, row: QueueRow, width: int, style: Style) -> Strip:
        """`row` as drawn, the same row drawn once: after a save the queue is read again and ~40
        rows were drawn anew for the one or two that changed (7.6 ms of the save's last frame on
        the 100k bench book; 3.4 now). What a row says also depends on the time: kept by the
        minute it was drawn in."""
        now = local_now(self.tz)
        key = (row, width, now.replace(second=0, microsecond=0))  # "2d late", "14:00": by the minute
        strip = self._drawn.get(key)
        if strip is None:
            if len(self._drawn) >= DRAWN_ROWS:
                self._drawn.clear()
            strip = self._drawn[key] = self._row_strip(row, width, style, now)
        return strip

    def _row_strip(self, row: QueueRow, width: int, style: Style, now) -> Strip:
        late = row.due_at is not None and is_late(row.due_at, row.has_time, now, self.tz)
        if row.due_at is None:
            due = short = "no step"
        else:
            due_local = local_due(row.due_at, row.has_time, self.tz)
            due = due_label(due_local, row.has_time, now)
            short = short_due(due, due_local, now)
        due_style = style
        if row.promised:
            due_style = style + self.get_component_rich_style("queue--promised")
        if late:
            due_style = style + self.get_component_rich_style("queue--late")
        dim = style + self.get_component_rich_style("queue--dim")
        styles = {"due": due_style, "name": style + Style(bold=row.promised), "company": dim, "dim": dim}
        facts = RowFacts(due, short, row.promised, visible(row.name, one_line=True),
                         visible(row.company or "", one_line=True), row.touch_count, row.unanswered_streak,
                         row.channel, row.kind, self.owner_words(row.owner) if self.owner_words else "")
        segments = [Segment(text, styles[part]) for text, part in row_pieces(facts, width)]
        return Strip(segments).adjust_cell_length(width, style)
