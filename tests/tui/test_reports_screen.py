"""The reports screen (issue 17): `r` on the desk opens it on a real book, the figures a rep sees are
the book's, the period keys change them, escape goes back, `s` writes an SVG of the screen,
owner-only, where the toast says; a drop reason shows as typed, never as markup."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys

import pytest

from storage import actions
from storage.book.locations import data_dir
from storage.reads import reports
from storage.reads.reports import Period
from tests.conftest import FROZEN, ROOT, TZ
from tests.tui.conftest import desk_app, screen_text, settle
from tui.screens.desk import DeskScreen
from tui.screens.reports import ReportsScreen
from tui.widgets.report_figures import OutcomesFigure, PersistenceFigure
from tui.widgets.report_more import HoursFigure

SIZE = (160, 45)
REASON = "[b]moved[/b] abroad"  # the rep's words: shown as typed


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour)  # naive UTC, as the book keeps it


def touches(pid: int, *logged: tuple[dt.datetime, str, str]) -> None:
    for when, channel, outcome in logged:
        actions.log_touch(pid, channel=channel, outcome=outcome, direction="out", at=when, now=when, tz=TZ)


@pytest.fixture
def closed(book, frozen) -> None:
    """Counted by hand, on Mon 23 Nov 2026. In the last 30 days: Ann won after 6 touches (6,000),
    Cy dropped with a last note, their one touch ("[b]moved[/b] abroad"). 79 days ago (in 90 days,
    not 30): Old dropped after 3 calls (No answer). And Pat, open, with a next step."""
    ann = actions.add_prospect({"name": "Ann", "deal_value": 5000}, now=at(11, 2))
    touches(ann, (at(11, 3), "call", "no answer"), (at(11, 4), "call", "left message"),
            (at(11, 5), "email", "replied"), (at(11, 6), "call", "talked"),
            (at(11, 7), "email", "no answer"), (at(11, 8), "call", "meeting booked"))
    actions.close_won(ann, amount=6000, now=at(11, 10), tz=TZ)
    cy = actions.add_prospect({"name": "Cy"}, now=at(11, 2))
    actions.final_note_and_drop(cy, "Good luck with the move", channel="email", reason=REASON, now=at(11, 6), tz=TZ)
    old = actions.add_prospect({"name": "Old"}, now=at(9, 1))
    touches(old, *[(at(9, d), "call", "no answer") for d in range(2, 5)])
    actions.drop(old, picked="No answer", now=at(9, 5), tz=TZ)
    actions.add_prospect({"name": "Pat"})


def figures(name: str) -> reports.Report:
    return reports.report(Period.back_from(name, FROZEN, TZ), TZ)


async def open_reports(app, pilot) -> ReportsScreen:
    await pilot.press("r")
    await settle(app, pilot)
    assert isinstance(app.screen, ReportsScreen)
    return app.screen


async def test_r_opens_the_reports_with_the_books_figures_over_90_days(closed):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(app, pilot)
        text = screen_text(app)
        assert screen.query_one("#reports-pane").border_title == "Reports · last 90 days · since Tue 25 Aug 2026"
        assert ("You dropped 100% of prospects before the fifth touch (2 of 2); prospects won in this book "
                "needed a median of 6 touches.") in text
        assert "Won      │  6: 1" in text
        assert "Dropped  1: 1  3: 1  │" in text
        assert "→ Keep going past touch 4: won deals here needed 6." in text
        assert "Close rate 33% (1 won, 2 dropped) · value won 6,000 · median days to close 8" in text
        for channel in figures("90d").channels:  # each channel's numbers as the book counts them
            assert f"{channel.out:>6} out  {channel.answered:>6} answered" in text
        assert "call        7 out       2 answered    29%" in text  # and by hand: Ann's 4, Old's 3
        assert "No promises in this period." in text


async def test_the_period_keys_change_the_figures_and_escape_goes_back(closed):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        assert screen.query_one("#reports-pane").border_title == "Reports · last 30 days · since Sat 24 Oct 2026"
        text = screen_text(app)
        assert "(1 of 1)" in text and "Close rate 50% (1 won, 1 dropped)" in text
        assert "call        4 out" in text  # Old's calls were 79 days ago
        await pilot.press("p")  # the next period: 90 days
        await settle(app, pilot)
        assert "Close rate 33% (1 won, 2 dropped)" in screen_text(app)
        await pilot.press("4")
        await settle(app, pilot)
        assert screen.query_one("#reports-pane").border_title == "Reports · the whole book"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DeskScreen)


async def test_a_drop_reason_shows_as_typed_never_as_markup(closed):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(app, pilot)
        said = screen.query_one(OutcomesFigure).query_one(".numbers").visual.plain
        assert any(line.startswith("   1 ▆") and line.endswith(" " + REASON) for line in said.splitlines())


async def test_an_empty_book_says_what_would_fill_each_figure(book, frozen):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(app, pilot)
        text = screen_text(app)
        assert "Nothing won or dropped in this period." in text
        assert "No touches in this period." in text and "No drops in this period." in text
        assert screen.query_one(PersistenceFigure).has_class("-empty")  # no plot of nothing


async def test_s_saves_the_screen_as_an_svg_readable_by_its_owner_only(closed):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        path = data_dir() / "reports" / "report-90d-2026-11-23.svg"
        assert any(str(path) in str(n.message) for n in app._notifications)
        svg = path.read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "Reports" in svg and "Persistence" in svg
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700



async def test_hours_activity_and_pipeline_as_the_book_has_them(closed):
    """Ann's touches at 11:00 in Paris (10:00 UTC in November): replies on Thu, Fri, Sun; none on
    Tue, Wed, Sat; Old's calls at 12:00 (summer time) on Wed, Thu, Fri, unanswered; Cy's last note
    Fri 11:00. Pat is open with no next step."""
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(app, pilot)
        text = screen_text(app).splitlines()
        heat = text.index("    11 12")
        assert text[heat + 1:heat + 8] == ["Mon       ", "Tue ··    ", "Wed ·· ·· ", "Thu ██ ·· ", "Fri ██ ·· ",
                                           "Sat ··    ", "Sun ██    "]
        assert "░▒▓█ replies, fewest to most · · touched, no reply · 10 out, 3 replies" in text
        assert "Out by channel: call 7 · email 3" in text
        assert "By week, out/due: W36 3/0 · W45 7/0" in text
        assert "1 open · value —" in text and "No next step     1           —  " in text
        assert "→ 1 without a next step: give each one (d), or let them go (x)." in text


async def test_c_saves_the_figures_as_csv_readable_by_its_owner_only(closed):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(app, pilot)
        await pilot.press("1", "c")  # the period on screen is the one written
        await settle(app, pilot)
        path = data_dir() / "reports" / "report-30d-2026-11-23.csv"
        assert any(str(path) in str(n.message) for n in app._notifications)
        rows = path.read_text(encoding="utf-8-sig").splitlines()
        assert rows[0] == '"figure","key","subkey","measure","value"'
        assert '"period","","","name","30d"' in rows
        assert '"persistence","won","6","prospects","1"' in rows
        assert f'"drop_reasons","{REASON}","","count","1"' in rows  # as typed
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_h_shows_the_hours_of_each_kind_of_prospect_in_turn(closed):
    """Every touch of the closed book was logged on no follow-up: none on a new prospect's, all of
    them on none ("no step", the last of the kinds)."""
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(app, pilot)
        hours = screen.query_one(HoursFigure)
        await pilot.press("h")
        await settle(app, pilot)
        assert hours.query_one(".figure-title").visual.plain == \
            "Hours: when they answer (your time) · new prospect (h: the next)"
        assert "No touches on new prospect follow-ups in this period." in screen_text(app)
        await pilot.press(*"h" * 7)
        await settle(app, pilot)
        assert "· no step (h: the next)" in hours.query_one(".figure-title").visual.plain
        assert "10 out, 3 replies" in hours.query_one(".numbers").visual.plain
        await pilot.press("h")  # and back to every kind
        await settle(app, pilot)
        assert "· every kind (h: the next)" in hours.query_one(".figure-title").visual.plain


async def test_the_pipeline_fits_a_narrow_window_and_grows_when_it_widens(book, frozen):
    actions.add_prospect({"name": "Big", "deal_value": 90000})
    actions.add_prospect({"name": "Small", "deal_value": 1000})
    app = desk_app()
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_reports(app, pilot)
        pipeline = screen.query_one("#pipeline")
        bars = [line for line in pipeline.query_one(".numbers").visual.plain.splitlines() if "█" in line]
        room = pipeline.content_region.width
        assert bars and all(len(line) <= room for line in bars)  # one line each: nothing wraps
        narrow = max(line.count("█") for line in bars)
        await pilot.resize_terminal(160, 45)
        await settle(app, pilot)
        bars = [line for line in pipeline.query_one(".numbers").visual.plain.splitlines() if "█" in line]
        assert max(line.count("█") for line in bars) == 24 > narrow  # drawn again at its new width


def test_a_plot_is_the_same_in_every_process():
    """plotext drew labels in an order that followed Python's string hashes (a label a column
    apart in some processes); with the reports' figures loaded, the same data, the same plot."""
    script = ("import hashlib, tui.widgets.report_figures, plotext as plt; plt.clear_figure(); plt.plotsize(70, 10); "
              "plt.bar(['call','email','text','social','meeting','letter','card','other'], [66,71,58,73,67,40,56,43]); "
              "print(hashlib.md5(plt.build().encode()).hexdigest())")
    drawn = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT,
                            env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(1, 7)}
    assert len(drawn) == 1


async def test_j_k_g_and_G_scroll_the_figures_at_80x24(closed):
    """One column that scrolls at 80×24: a line down with j, back with k, the last figure with G
    and the first again with g."""
    from textual.containers import VerticalScroll

    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(app, pilot)
        figures = screen.query_one("#figures", VerticalScroll)
        assert figures.max_scroll_y > 10  # more than a window of figures
        await pilot.press("j", "j", "j", "k")
        await settle(app, pilot)
        assert figures.scroll_y == 2
        await pilot.press("G")
        await settle(app, pilot)
        assert figures.scroll_y == figures.max_scroll_y and "Pipeline" in screen_text(app)
        await pilot.press("g")
        await settle(app, pilot)
        assert figures.scroll_y == 0 and "Persistence" in screen_text(app)
