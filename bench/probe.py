"""One measured run, in its own process on a real terminal (a pty that `python -m bench` drains):
the desk opened exactly as `followup --db PATH` opens it, or a bare Textual app that mounts one
label. Figures go to the JSON file given by --out (the pty is the app's, not ours).

Times are taken on the monotonic clock, which every process on the machine shares: the parent
writes the moment it spawned us in BENCH_SPAWNED_AT. A frame is counted when Textual has written it
to the terminal (after App._display), so every figure includes Textual's 60 fps frame clock."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Textual is loaded where the app being measured loads it: the desk's after its first read
    from textual.app import App


class Frames:
    """Wakes whoever waits for a frame that shows what they expect."""

    def __init__(self) -> None:
        self.app: App | None = None
        self._waiting: list[tuple[Callable[[], bool], asyncio.Future[float]]] = []
        self.on_first: Callable[[App, float], None] | None = None
        self.written = 0  # frames written so far

    def watch(self, app_class: type[App]) -> None:
        original = app_class._display
        frames = self

        def _display(app: App, screen, renderable) -> None:
            original(app, screen, renderable)
            if renderable is not None:
                frames.frame(app)

        app_class._display = _display  # type: ignore[method-assign]

    def frame(self, app: App) -> None:
        now = time.monotonic()
        self.written += 1
        if self.app is None:
            self.app = app
        for waiter in list(self._waiting):
            predicate, future = waiter
            if not future.done() and predicate():
                future.set_result(now)
                self._waiting.remove(waiter)

    async def quiet(self, seconds: float) -> None:
        """Until no frame has been written for `seconds` (a rep's pause between two keys)."""
        while True:
            written = self.written
            await asyncio.sleep(seconds)
            if self.written == written:
                return

    async def until(self, predicate: Callable[[], bool], timeout: float = 30.0) -> float:
        """The moment of the first frame written after `predicate` holds."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting.append((predicate, future))
        return await asyncio.wait_for(future, timeout)


def press(app: App, key: str) -> float:
    """Send one key as the terminal would (what Textual's own pilot does); the moment it went."""
    from textual import events
    from textual.keys import _character_to_key

    char = key if len(key) == 1 else None
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    at = time.monotonic()
    app._driver.send_message(events.Key(key, char))  # type: ignore[union-attr]
    return at


def peak_mib() -> float:
    """Peak resident memory of this program. Linux's ru_maxrss survives exec, so a child of a big
    parent would report the parent's peak: VmHWM belongs to this program's own memory map."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the desk --------------------------------------------------------------------------------


def instrument_desk() -> None:
    """Note when the panes have their new content (before the frame that shows it)."""
    from tui.screens.search import SearchScreen
    from tui.widgets.detail_pane import DetailPane
    from tui.widgets.queue_view import QueueView

    watch = DetailPane.watch_view

    def watch_view(self, view):
        watch(self, view)
        self.bench_ready_at = time.monotonic()

    DetailPane.watch_view = watch_view  # type: ignore[method-assign]

    show = SearchScreen._show

    def _show(self, text, hits):
        show(self, text, hits)
        if text == self.query_one("#query").value:
            self.bench_shown = text

    SearchScreen._show = _show  # type: ignore[method-assign]

    show_queue = QueueView.show_state  # a read of the queue is on its way to the screen

    def show_state(self, state):
        show_queue(self, state)
        self.bench_reads = getattr(self, "bench_reads", 0) + 1

    QueueView.show_state = show_state  # type: ignore[method-assign]


def shown_id(detail) -> int | None:
    return detail.view.id if detail.view is not None else None


async def desk_keys(app: App, frames: Frames, n: int) -> dict[str, list[float]]:
    from tui.widgets.detail_pane import DetailPane

    desk = app.screen
    detail = desk.query_one(DetailPane)
    frame_times, ready_times = [], []
    for _ in range(n):
        before = shown_id(detail)
        sent = press(app, "j")
        shown = await frames.until(lambda: shown_id(detail) != before)
        if shown_id(detail) == before:
            break  # the end of the queue
        frame_times.append(shown - sent)
        ready_times.append(detail.bench_ready_at - sent)
    return {"key": frame_times, "key_ready": ready_times}


async def desk_search(app: App, frames: Frames, words: list[str], rounds: int) -> dict[str, list[float]]:
    from tui.screens.search import SearchScreen

    press(app, "/")
    await frames.until(lambda: isinstance(app.screen, SearchScreen))
    screen = app.screen
    box = screen.query_one("#query")
    times = []
    for _ in range(rounds):
        for word in words:
            for ch in word[:-1]:
                press(app, ch)
            await frames.until(lambda: getattr(screen, "bench_shown", None) == word[:-1])
            sent = press(app, word[-1])
            shown = await frames.until(lambda: getattr(screen, "bench_shown", None) == word)
            times.append(shown - sent)
            box.value = ""
            await frames.until(lambda: getattr(screen, "bench_shown", None) == "")
    press(app, "escape")
    await frames.until(lambda: not isinstance(app.screen, SearchScreen))
    return {"search": times}


async def desk_saves(app: App, frames: Frames, n: int) -> dict[str, list[float]]:
    from tui.screens.log_touch import LogTouchScreen

    desk = app.screen
    times = []
    for _ in range(n):
        press(app, "l")
        await frames.until(lambda: isinstance(app.screen, LogTouchScreen))
        form = app.screen
        # a reply: the "two days after silence" question and the last-note offer stay out of the way
        form.query_one("#outcome").value = "talked"
        press(app, "b")
        await frames.until(lambda: form.query_one("#note").text == "b")
        # The rep's pause before ctrl+s: what choosing the outcome set going (the form laid out
        # again for its new hints, then repainted whole over the desk) ends before the clock
        # starts. Without it that work (30-50 ms, traced) ran inside the save's figure.
        await frames.quiet(0.1)
        reads = getattr(desk.queue, "bench_reads", 0)
        sent = press(app, "ctrl+s")
        shown = await frames.until(lambda: app.screen is desk and getattr(desk.queue, "bench_reads", 0) > reads)
        times.append(shown - sent)
    return {"save": times}


# --- one run ---------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    spawned = float(os.environ["BENCH_SPAWNED_AT"])
    frames = Frames()
    result: dict[str, Any] = {}

    async def drive(app: App) -> None:
        try:
            if args.first or args.opens:
                from bench.dialog_open import first_then_later

                keys = "o" if args.app == "bare" else "ln"
                result.update(await first_then_later(app, frames, args.first, keys, args.opens))
            if args.app == "bare":
                if args.keys:
                    from bench.bare import bare_keys

                    result.update(await bare_keys(app, frames, args.keys))
            else:
                if args.keys:
                    result.update(await desk_keys(app, frames, args.keys))
                if args.search:
                    result.update(await desk_search(app, frames, args.search.split(","), args.search_rounds))
                if args.saves:
                    result.update(await desk_saves(app, frames, args.saves))
        except Exception as exc:  # said in the figures, not lost in the pty
            result["error"] = f"{type(exc).__name__}: {exc}"
        result["peak_mib"] = peak_mib()
        app.exit()

    def first(app: App, at: float) -> None:
        result["start"] = at - spawned
        result["start_peak_mib"] = peak_mib()
        app.call_later(lambda: app.run_worker(drive(app), exit_on_error=False))

    if args.app == "bare":
        from bench.bare import Bare

        frames.watch(Bare)
        ready = lambda: frames.app is not None  # noqa: E731  (the label is there from the first frame)
    else:
        import tui.first_read

        started = tui.first_read.start_first_read

        def start_first_read(tz: str):
            """The command's own order (tui/cli.py): the book's first read goes, then Textual and the
            desk load while it runs. The probe's watchers go on them there, not before the command."""
            future = started(tz)
            from tui.app import FollowupApp

            instrument_desk()
            frames.watch(FollowupApp)
            return future

        tui.first_read.start_first_read = start_first_read

        def ready() -> bool:  # the queue and the prospect on screen have come back from the book
            from tui.screens.desk import DeskScreen

            return isinstance(frames.app.screen, DeskScreen) and frames.app.screen.shown is not None

    original_frame = frames.frame

    def frame(app: App) -> None:
        original_frame(app)
        if "start" not in result and ready():
            first(app, time.monotonic())

    frames.frame = frame  # type: ignore[method-assign]
    if args.app == "bare":
        Bare().run()
    else:  # as the followup command runs it
        from tui import cli

        cli.main(["--db", args.db])
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.probe")
    p.add_argument("--app", choices=("desk", "bare"), required=True)
    p.add_argument("--db")
    p.add_argument("--out", required=True)
    p.add_argument("--keys", type=int, default=0, help="j presses to time")
    p.add_argument("--search", default="", help="comma-separated words to time the last keystroke of")
    p.add_argument("--search-rounds", type=int, default=1)
    p.add_argument("--saves", type=int, default=0, help="quick logs to time")
    p.add_argument("--first", default="", choices=("", "l", "n", "o"),
                   help="time the session's first open of this dialog (o: the bare app's), after the desk is idle")
    p.add_argument("--opens", type=int, default=0, help="later opens of each dialog (l and n; o on the bare app) to time")
    p.add_argument("--profile", metavar="FILE", help="write a cProfile of the whole run here (pstats format)")
    args = p.parse_args(argv)
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        result = profiler.runcall(run, args)
        profiler.dump_stats(args.profile)
    else:
        result = run(args)
    with open(args.out, "w") as out:
        json.dump(result, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
