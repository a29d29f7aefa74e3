"""The reports screen's figures (issue 17): each a titled plot (textual-plotext) with its numbers in
text below it and one line that tells the rep what to do.

Plots are told apart without colour (NO_COLOR, a monochrome terminal): every series has its own
marker character (█ ░ ▒), named in a legend line of ours under the plot (plotext's own legend is
drawn over the bars). Plotext reads its labels as ANSI text, so only our own words go into a plot
(channel names, weeks, touch counts); the rep's words (drop reasons) are drawn as bars of text
here, each shown literally."""

from __future__ import annotations

import math
from collections.abc import Callable

import plotext._utility
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Static
from textual_plotext import PlotextPlot

from storage.reads.reports import GIVE_UP_TOUCH, ChannelFigure, Outcomes, Persistence, PromiseWeek
from tui.text import literal
from tui.widgets import report_words as words

FULL, LIGHT, MEDIUM = "█", "░", "▒"  # one marker per series: bars told apart in any colour or none


def _in_order(data):
    return list(dict.fromkeys(data))


# plotext 5.3.2 removes duplicate points and tick labels through a set, so the order it draws them
# in (which character overwrites which, where an axis label lands) followed Python's string hashes,
# different in every process: the same book drew a label a column apart now and then (a snapshot
# failed 1 run in 6). Its own commented-out alternative keeps the order: the same book, the same plot.
plotext._utility.no_duplicates = _in_order


def whole_ticks(plt, top: float) -> None:
    """Three whole-number y ticks, 0, the middle and the top (a count of prospects is never 4.17;
    more ticks than that land on neighbouring rows of a plot a few rows high), the axis from 0."""
    step = max(1, math.ceil(top / 2))
    plt.ylim(0, 2 * step)
    plt.yticks([0, step, 2 * step])


class FreshPlot(PlotextPlot):
    """A plot drawn afresh from its data at every render, at the widget's size then: nothing of a
    build at another size (the first layout, before the two columns) or of older data carries over."""

    draw: Callable | None = None  # draws the data into the plotext figure it is given

    def render(self):
        self.plt.clear_figure()
        if self.draw is not None:
            self.draw(self.plt)
        return super().render()


class Figure(Vertical):
    """Title, plot, legend and numbers, advice: the same four parts for every figure."""

    DEFAULT_CSS = """
    Figure { height: auto; padding: 0 1 1 1; }  /* not a margin: a grid row's auto height leaves it out */
    Figure > .figure-title { text-style: bold; color: $text-accent; }
    Figure > PlotextPlot { height: 10; }
    Figure.-empty > PlotextPlot { display: none; }
    Figure > .numbers { color: $text; }
    Figure > .advice { color: $text-success; text-style: bold; }
    """

    def __init__(self, title: str, *, plot: bool = True, id: str | None = None) -> None:
        super().__init__(id=id, classes="figure -empty")  # no plot until its data comes
        self.title = title
        self.has_plot = plot
        self.shown: tuple | None = None  # what a figure drawn to its width last showed (see on_resize)

    def compose(self) -> ComposeResult:
        yield Label(self.title, classes="figure-title", markup=False)
        if self.has_plot:
            yield FreshPlot()
        yield Static("Reading the book…", classes="numbers", markup=False)
        yield Static("", classes="advice", markup=False)

    def on_resize(self) -> None:
        """A figure whose text is drawn to its width (heat map, reason bars) is drawn again at its
        new width: its data can come back from the book before the first layout, or after it."""
        if self.shown is not None:
            self.show(*self.shown)

    @property
    def plot(self) -> FreshPlot:
        return self.query_one(FreshPlot)

    def said(self, numbers: str, advice: str) -> None:
        """The numbers and the advice: literal text (a drop reason is the rep's own words)."""
        self.query_one(".numbers", Static).update(literal(numbers))
        self.query_one(".advice", Static).update(literal("→ " + advice))

    def plotted(self, draw: Callable | None) -> None:
        """The plot to draw (hidden when there is nothing to draw: None)."""
        self.set_class(draw is None, "-empty")
        self.plot.draw = draw
        self.plot.refresh()


class PersistenceFigure(Figure):
    def __init__(self) -> None:
        super().__init__("Persistence: touches it took", id="persistence")

    def show(self, keep: Persistence) -> None:
        counts = keep.won.keys() | keep.dropped.keys()

        def draw(plt) -> None:
            x = list(range(min(1, *counts), max(counts) + 1))
            won = [keep.won.get(t, 0) for t in x]
            dropped = [keep.dropped.get(t, 0) for t in x]
            plt.multiple_bar(x, [won, dropped], marker=[FULL, LIGHT])
            plt.vline(GIVE_UP_TOUCH - 0.5)
            plt.xticks(x)
            whole_ticks(plt, max(won + dropped))
            plt.xlabel("touches")

        self.plotted(draw if counts else None)
        legend = f"{FULL} won (touches to the win)   {LIGHT} dropped (at touch number)   │ {GIVE_UP_TOUCH}-touch line"
        numbers = (f"{words.give_up_sentence(keep)}\n{legend}\n"
                   f"Won      {words.counts_line(keep.won)}\nDropped  {words.counts_line(keep.dropped)}")
        self.said(numbers, words.persistence_advice(keep))


def week_label(week: str, many_years: bool) -> str:
    return week[2:] if many_years else week[5:]  # "26-W48" or "W48"


class PromisesFigure(Figure):
    def __init__(self) -> None:
        super().__init__("Promises by week: kept on time, late, open", id="promises")

    def show(self, weeks: list[PromiseWeek]) -> None:
        def draw(plt) -> None:
            many_years = len({w.week[:4] for w in weeks}) > 1
            labels = [week_label(w.week, many_years) for w in weeks]
            series = [[w.kept for w in weeks], [w.late for w in weeks], [w.open for w in weeks]]
            plt.stacked_bar(labels, series, marker=[FULL, MEDIUM, LIGHT])
            whole_ticks(plt, max(w.kept + w.late + w.open for w in weeks))

        self.plotted(draw if weeks else None)
        legend = f"{FULL} kept on time   {MEDIUM} late   {LIGHT} open"
        numbers = words.promise_numbers(weeks)
        self.said(f"{legend}\n{numbers}" if weeks else numbers, words.promise_advice(weeks))


class ChannelsFigure(Figure):
    def __init__(self) -> None:
        super().__init__("Channels: touches out that got an answer", id="channels")

    def show(self, found: list[ChannelFigure]) -> None:
        rated = [c for c in found if c.reply_rate is not None]

        def draw(plt) -> None:
            rates = [round(100 * c.reply_rate) for c in rated]
            plt.bar([c.channel for c in rated], rates, marker=FULL)
            plt.ylim(0, 100)  # a share of the rep's touches: never above all of them
            plt.yticks([0, 50, 100], ["0%", "50%", "100%"])

        self.plotted(draw if rated else None)
        self.said(words.channel_numbers(found), words.channel_advice(found))


class OutcomesFigure(Figure):
    """Won against dropped as one bar, and the drop reasons as bars of text (the rep's words)."""

    def __init__(self) -> None:
        super().__init__("Outcomes: how deals ended", plot=False, id="outcomes")

    def show(self, out: Outcomes) -> None:
        self.shown = (out,)
        width = max(20, self.size.width - 2) if self.size.width else 60
        closed = out.won + out.dropped
        lines = [words.outcome_numbers(out)]
        if closed:
            bar = min(40, width - 20)
            won = round(bar * out.won / closed)
            lines.append(f"won {FULL * won}{LIGHT * (bar - won)} dropped")
        lines += ["Why dropped:", *words.reason_lines(out, width)]
        self.said("\n".join(lines), words.outcome_advice(out))
