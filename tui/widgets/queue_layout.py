"""The queue as lines: a header line per section, then one line per row. What the queue pane
reads from the book (`read_queue`, run off the UI thread) and where its cursor may stand."""

from __future__ import annotations

from dataclasses import dataclass

import pendulum

from storage.reads import queue
from storage.reads.prospect import ProspectView, prospect_count, view
from storage.reads.queue import SECTIONS, Filter, QueueRow
from storage.reads.today import TodayProgress, today_progress

PAGE = 64  # rows read at a time


@dataclass(frozen=True)
class Block:
    section: str
    start: int  # the line of the section's header
    count: int

    def holds(self, line: int) -> bool:
        return self.start < line <= self.start + self.count


def layout(counts: dict[str, int]) -> list[Block]:
    blocks, line = [], 0
    for section in SECTIONS:
        blocks.append(Block(section, line, counts[section]))
        line += 1 + counts[section]
    return blocks


def height_of(blocks: list[Block]) -> int:
    return blocks[-1].start + 1 + blocks[-1].count if blocks else 0


def block_at(blocks: list[Block], line: int) -> Block | None:
    return next((b for b in blocks if b.holds(line)), None)


def page_of(blocks: list[Block], line: int) -> tuple[str, int, int] | None:
    """(section, page number, index in the page) of a row line."""
    block = block_at(blocks, line)
    if block is None:
        return None
    offset = line - block.start - 1
    return block.section, offset // PAGE, offset % PAGE


def nearest_row(blocks: list[Block], line: int, step: int = 1) -> int:
    """The first row line at or after `line` (in the direction of `step`), else the other way;
    -1 when the queue is empty."""
    last = height_of(blocks) - 1
    for direction in (step, -step):
        probe = min(max(line, 0), last)
        while 0 <= probe <= last:
            if block_at(blocks, probe) is not None:
                return probe
            probe += direction
    return -1


def pages_around(blocks: list[Block], top: int, bottom: int) -> list[tuple[str, int]]:
    """The pages holding the rows between two lines."""
    wanted = []
    for block in blocks:
        first, last = max(top, block.start + 1), min(bottom, block.start + block.count)
        if first > last:
            continue
        for number in range((first - block.start - 1) // PAGE, (last - block.start - 1) // PAGE + 1):
            wanted.append((block.section, number))
    return wanted


@dataclass(frozen=True)
class QueueState:
    """One read of the queue: its sections, the pages on screen, where the cursor goes."""

    now: pendulum.DateTime
    blocks: list[Block]
    pages: dict[tuple[str, int], list[QueueRow]]
    line: int  # the cursor's line, -1 for none
    located: int | None  # the prospect asked for, when the queue holds them
    empty_book: bool
    shown: ProspectView | None  # the prospect the cursor lands on, read in the same call
    # the prospect kept on screen is not in this queue (closed, filtered out): `shown` is them,
    # and the queue draws no cursor row meanwhile (`line` is only where the cursor will come back)
    parked: bool = False
    progress: TodayProgress | None = None  # the rep's day so far, for the queue's title (whole book)


def read_queue(
    now: pendulum.DateTime,
    tz: str,
    narrow: Filter | None,
    wanted: list[int | None],
    cursor: int,
    height: int,
    keep: int | None = None,
) -> QueueState:
    """Counts, where the first of `wanted` that the queue holds stands (else the row nearest the
    cursor's old line), and the pages around it. Runs in a worker.

    `keep`: the prospect on screen stays on screen whatever the queue holds. When the queue holds
    them the cursor goes to them; when it does not (closed, filtered out) the state is `parked`:
    they are `shown`, and no row of the queue is (a read racing a jump never brings one back)."""
    blocks = layout(queue.counts(now, tz, narrow))

    def line_of(prospect_id: int) -> int | None:
        found = queue.locate(prospect_id, now, tz, narrow)
        if found is None:
            return None
        return next(b for b in blocks if b.section == found[0]).start + 1 + found[1]

    line, located, kept = -1, None, None
    if keep is not None:
        at = line_of(keep)
        if at is not None:
            line, located = at, keep
        else:
            kept = view(keep)  # None: gone from the book; the queue is then shown without them
    for prospect_id in wanted if located is None and kept is None else []:
        at = line_of(prospect_id) if prospect_id is not None else None
        if at is not None:
            line, located = at, prospect_id
            break
    if line < 0:
        line = nearest_row(blocks, max(cursor, 0))
    pages = {
        key: queue.page(key[0], key[1] * PAGE, PAGE, now, tz, narrow)
        for key in pages_around(blocks, max(line, 0) - height, max(line, 0) + height)
    }
    empty = height_of(blocks) == len(blocks) and prospect_count() == 0
    # the prospect the cursor lands on comes with the queue: one trip to the book, one repaint
    where = page_of(blocks, line)
    rows = pages.get(where[:2], []) if where else []
    landed = rows[where[2]] if where and where[2] < len(rows) else None
    progress = today_progress(now, tz)  # with the queue, so it follows every save, undo and re-read
    if kept is not None:
        return QueueState(now, blocks, pages, line, None, empty, kept, parked=True, progress=progress)
    shown = view(landed.prospect_id) if landed else None
    return QueueState(now, blocks, pages, line, located, empty, shown, progress=progress)


def read_page(now: pendulum.DateTime, tz: str, narrow: Filter | None, section: str, number: int) -> list[QueueRow]:
    return queue.page(section, number * PAGE, PAGE, now, tz, narrow)
