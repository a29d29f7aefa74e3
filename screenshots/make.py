"""Make the README's screenshots from the demo book, at a fixed moment, so they only change when
the screens do.  Run: .venv/bin/python screenshots/make.py"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
from pathlib import Path

import pendulum

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from storage.book.opening import close_book, open_book  # noqa: E402
from storage.demo import DEMO_SEED, build_demo  # noqa: E402
from tui.app import FollowupApp  # noqa: E402

TZ = "Europe/Paris"
MOMENT = pendulum.datetime(2026, 11, 23, 9, 30, tz=TZ)
SHOTS = {
    "desk": ["j", "j"],
    "log-form": ["j", "j", "l", *"Sent the revised quote, asked for a call Thursday"],
    "help": ["question_mark"],
    "closed-book": ["c", "j"],
    "agenda": ["a"],
    "away": ["ctrl+p", *"away", "enter", *"wed", "tab", *"fri"],
    "reports": ["r"],
    # last: a touch logged then undone leaves the book as it was for the shots after it
    "undone": ["l", *"Sent the revised quote", "ctrl+s", "ctrl+z"],
}
TOASTS = {"undone"}  # shots whose point is what the desk said


async def idle(app: FollowupApp, pilot) -> None:
    """Until the desk's reads have come back from their workers and it waits for nothing."""
    from textual.worker import WorkerState

    for _ in range(500):
        await pilot.pause()
        busy = any(worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in app.workers)
        if not busy and not getattr(app.screen, "waiting", False):
            return


async def shoot(name: str, keys: list[str], size: tuple[int, int]) -> None:
    app = FollowupApp(TZ, book_label="demo")
    async with app.run_test(size=size, notifications=name in TOASTS) as pilot:
        await idle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await idle(app, pilot)
        app.save_screenshot(filename=f"{name}.svg", path=str(HERE))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, pendulum.travel_to(MOMENT, freeze=True):
        open_book(Path(folder) / "demo.db")
        build_demo(seed=DEMO_SEED, now=dt.datetime(2026, 11, 23, 8, 30), tz=TZ)
        for name, keys in SHOTS.items():
            asyncio.run(shoot(name, keys, (160, 45)))
        asyncio.run(shoot("desk-80x24", SHOTS["desk"], (80, 24)))
        close_book()
    print("wrote", ", ".join(sorted(p.name for p in HERE.glob("*.svg"))))


if __name__ == "__main__":
    main()
