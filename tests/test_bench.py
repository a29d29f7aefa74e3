"""The benchmark's probe drives the real desk on a real terminal: keep it working (no timing is
asserted here; `python -m bench` prints the figures)."""

from __future__ import annotations

import math

import pytest

from bench.__main__ import report, spawn
from storage.book.opening import close_book, open_book
from storage.demo import build_demo
from storage.book.models import Touch

pytestmark = pytest.mark.timeout(180)


def test_the_probe_times_start_keys_search_and_save_on_the_real_desk(tmp_path):
    book = tmp_path / "demo.db"
    open_book(book)
    build_demo(tz="Europe/Paris")
    touches = Touch.select().count()
    close_book()
    desk = spawn(["--app", "desk", "--db", str(book), "--keys", "3", "--search", "price", "--saves", "2",
                  "--first", "l", "--opens", "1"])
    bare = spawn(["--app", "bare", "--keys", "3", "--first", "o", "--opens", "1"])
    assert "error" not in desk and "error" not in bare
    assert len(desk["key"]) == len(desk["key_ready"]) == 3 and len(bare["key"]) == 3
    assert len(desk["search"]) == 1 and len(desk["save"]) == 2
    # the first open of the log form (its key written to the pty), then one more of each dialog
    assert [len(desk[k]) for k in ("first_l", "open_l", "open_n")] == [1, 1, 1]
    assert len(bare["first_o"]) == len(bare["open_o"]) == 1
    # figures, not a judgement of them: how long the machine took is no test's business
    assert all(0 < t < math.inf for t in desk["key"] + desk["search"] + desk["save"] + desk["first_l"] + desk["open_n"]
               + [desk["start"], bare["start"]])
    assert desk["peak_mib"] > bare["start_peak_mib"] > 0
    open_book(book)
    assert Touch.select().count() == touches + 2  # the two quick logs are on disk
    row = {"size": "1k", "starts": {"desk": [desk["start"]], "bare": [bare["start"]]},
           "start_peaks": {"desk": [desk["start_peak_mib"]], "bare": [bare["start_peak_mib"]]}, "desk": desk, "bare": bare,
           "firsts": {"first_l": desk["first_l"], "first_n": [], "first_o": bare["first_o"]}}
    table = report([row])
    assert table.splitlines()[2].startswith("| 1,000 / 10,000 |")
    dialogs = table.split("first open, log form (l) ms")[1].splitlines()
    assert dialogs[2].startswith("| 1,000 / 10,000 |") and "| — |" in dialogs[2]  # no first n in this run


def test_the_bench_times_every_report_figure_for_every_period(tmp_path):
    from bench.report_timing import FIGURES, report_table, time_reports

    book = tmp_path / "demo.db"
    open_book(book)
    build_demo(tz="Europe/Paris")
    close_book()
    timed = time_reports(book, runs=1)
    assert list(timed) == ["30d", "90d", "1y", "all"]
    assert all(list(figures) == list(FIGURES) and all(0 < t < math.inf for t in figures.values())
               for figures in timed.values())
    table = report_table([{"size": "1k", "reports": timed}, {"size": "10k"}]).splitlines()
    assert [line.split(" | ")[1] for line in table[2:2 + len(FIGURES)]] == list(FIGURES)
    assert table[2 + len(FIGURES)] == ""  # the row measured without the reports is left out
