"""The reports screen's later figures (issue 17): when prospects answer (a weekday × hour heat map
of replies), whether the rep keeps up (touches out against follow-ups due, by week) and what is
open (deal value by queue section and by kind). Each is a Figure (tui/widgets/report_figures.py):
a plot, its numbers in text, one line of what to do.

The heat map is drawn in characters whose density says the count (· ░ ▒ ▓ █), so it reads the same
without colour; the pipeline's bars are text too (a section or a kind is a long label)."""

from __future__ import annotations

from textual.widgets import Label

from storage.book.vocabulary import CHANNELS
from storage.reads.queue import SECTION_TITLES
from storage.reads.report_activity import ActivityWeek
from storage.reads.report_hours import HourGrid
from storage.reads.report_pipeline import Pipeline, PipelineGroup
from storage.rules.dates import WEEKDAY_NAMES as DAYS
from tui.report_text import percent
from tui.text import money
from tui.widgets.report_figures import FULL, LIGHT, Figure, week_label, whole_ticks

SHADES = "░▒▓█"  # replies in a cell, a quarter of the busiest cell each; "·" touches but no reply
BAR = 24  # cells of the longest pipeline bar


def shade(replies: int, out: int, top: int) -> str:
    if not (replies or out):
        return " "
    if not replies:
        return "·"
    return SHADES[min(len(SHADES) - 1, (len(SHADES) * replies - 1) // top)]


def heat_lines(grid: HourGrid, width: int) -> list[str]:
    """Mon…Sun down, the rep's hours across (those with any touch, first to last), each cell the
    replies there in a shade; cells two columns wide where there is room, one where not."""
    used = [h for h in range(24) if any(grid.out[d][h] or grid.replies[d][h] for d in range(7))]
    if not used:
        return []
    hours = list(range(used[0], used[-1] + 1))
    cell = 3 if 4 + 3 * len(hours) <= width else 2 if 4 + 2 * len(hours) <= width else 1
    top = max(max(row) for row in grid.replies) or 1
    # one column a cell: every third hour named; wider: every hour, a gap after each cell
    head = "    " + ("".join(f"{h:<3}" for h in hours[::3]) if cell == 1 else "".join(f"{h:<{cell}}" for h in hours))
    fill, gap = (1, "") if cell == 1 else (cell - 1, " ")
    rows = [f"{DAYS[d]} " + "".join(shade(grid.replies[d][h], grid.out[d][h], top) * fill + gap for h in hours)
            for d in range(7)]
    return [head.rstrip(), *rows]


def best_times(grid: HourGrid) -> str:
    best = grid.best()
    if not best:
        return ""
    return "Best: " + " · ".join(f"{DAYS[c.weekday]} {c.hour}h {percent(c.reply_rate)} ({c.answered} of {c.out} answered)"
                                 for c in best)


class HoursFigure(Figure):
    TITLE = "Hours: when they answer (your time)"

    def __init__(self) -> None:
        super().__init__(self.TITLE, plot=False, id="hours")

    def _titled(self, kind: str | None, note: str = "") -> None:
        of = f" · {kind}" if kind else " · every kind"
        self.query_one(".figure-title", Label).update(f"{self.TITLE}{of} (h: the next){note}")

    def reading(self, kind: str | None) -> None:
        self._titled(kind, " · reading…")

    def show(self, grid: HourGrid, kind: str | None = None) -> None:
        self.shown = (grid, kind)
        self._titled(kind)
        width = max(30, self.size.width - 2) if self.size.width else 70
        lines = heat_lines(grid, width)
        if not lines:
            on = f" on {kind} follow-ups" if kind else ""
            self.said(f"No touches{on} in this period.", "Log your touches (l): this learns when your prospects answer.")
            return
        legend = (f"{SHADES} replies, fewest to most · \u00b7 touched, no reply · "
                  f"{grid.total_out:,} out, {grid.total_replies:,} replies")
        best = best_times(grid)
        numbers = "\n".join([*lines, legend] + ([best] if best else []))
        if grid.best():
            first = grid.best()[0]
            advice = f"Plan your calls for {DAYS[first.weekday]} around {first.hour}h: your prospects answer most then."
        else:
            advice = "Log a few more touches at each time (5 or more): this then names your best hours."
        self.said(numbers, advice)


class ActivityFigure(Figure):
    def __init__(self) -> None:
        super().__init__("Activity: touches out against follow-ups due, by week", id="activity")

    def show(self, weeks: list[ActivityWeek]) -> None:
        busy = [w for w in weeks if w.total_out or w.due]

        def draw(plt) -> None:
            many_years = len({w.week[:4] for w in weeks}) > 1
            labels = [week_label(w.week, many_years) for w in weeks]
            outs, dues = [w.total_out for w in weeks], [w.due for w in weeks]
            plt.multiple_bar(labels, [outs, dues], marker=[FULL, LIGHT])
            whole_ticks(plt, max(outs + dues))

        self.plotted(draw if busy else None)
        if not busy:
            self.said("Nothing done or due in this period.", "Log your touches (l): this shows whether you keep up.")
            return
        # the last week is this one, under way: what falls due later this week is not missed yet
        judged = [w for w in busy if w is not weeks[-1]]
        behind = [w for w in judged if w.total_out < w.due]
        channels = {c: sum(w.out.get(c, 0) for w in weeks) for c in CHANNELS}
        by_channel = " · ".join(f"{c} {n}" for c, n in channels.items() if n)
        this_year = weeks[-1].week[:4]
        by_week = " · ".join(f"{w.week[5:] if w.week[:4] == this_year else w.week} {w.total_out}/{w.due}" for w in busy)
        numbers = "\n".join([f"{FULL} touches out   {LIGHT} follow-ups due",
                             f"Out by channel: {by_channel or 'none'}",
                             f"By week, out/due: {by_week}"])
        if behind:
            advice = (f"You fell behind in {len(behind)} of {len(judged)} weeks: use catch-up (the palette) and "
                      f"block time for follow-ups each day.")
        elif not judged:
            advice = "This week is under way: keep as many touches out as follow-ups fall due."
        else:
            advice = "You kept up every week: at least as many touches out as follow-ups due."
        self.said(numbers, advice)


def group_lines(groups: list[PipelineGroup], names: dict[str, str], label: int, bar: int) -> list[str]:
    """A line a group: its name, prospects, value, and a bar as long as its share of the largest."""
    top = max((g.value for g in groups), default=0)
    return [f"{names.get(g.key, g.key):<{label}} {g.prospects:>5}  {money(g.value):>10}  "
            f"{FULL * (max(1, round(bar * g.value / top)) if g.value else 0)}" for g in groups]


class PipelineFigure(Figure):
    """Not a period's: the book as it is now (said in the title)."""

    def __init__(self) -> None:
        super().__init__("Pipeline now: open deal value by section and kind", plot=False, id="pipeline")

    def show(self, found: Pipeline) -> None:
        if not found.prospects:
            self.said("Nobody open.", "Add prospects (n) with a deal value: this shows what is open where.")
            return
        self.shown = (found,)
        sections = SECTION_TITLES
        label = max(len(sections.get(g.key, g.key)) for g in found.sections + found.kinds)
        width = self.size.width - 2 if self.size.width else 70
        bar = max(4, min(BAR, width - label - 20))  # the name, 5 and 10 for the numbers, the gaps
        lines = [f"{found.prospects:,} open · value {money(found.value)}", "By section (prospects, value):",
                 *group_lines(found.sections, sections, label, bar), "By kind of next step:",
                 *group_lines(found.kinds, {}, label, bar)]
        by_key = {g.key: g for g in found.sections}
        overdue, no_step = by_key.get("overdue"), by_key.get("no_step")
        if overdue is not None and overdue.prospects:
            advice = (f"{overdue.prospects} overdue ({money(overdue.value)}): work them first, biggest deals at "
                      f"the top of the queue.")
        elif no_step is not None and no_step.prospects:
            advice = f"{no_step.prospects} without a next step: give each one (d), or let them go (x)."
        else:
            advice = "Nothing overdue and every prospect has a next step: keep the queue this way."
        self.said("\n".join(lines), advice)
