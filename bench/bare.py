"""The bare Textual app the desk is measured against (bench/probe.py runs it): what every Textual
app costs, loaded and started as the probe's only app."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Label

from bench.probe import Frames, press


class Bare(App):
    """What every Textual app costs: one label, a key that changes it, and one that opens a dialog."""

    BINDINGS = [("j", "next", "Next"), ("o", "open", "Open")]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self):
        yield Label("Followup Desk", id="label")

    def action_next(self) -> None:
        self.count += 1
        self.query_one("#label", Label).update(f"Followup Desk {self.count}")

    def action_open(self) -> None:
        from bench.dialog_open import Trivial

        self.push_screen(Trivial())


async def bare_keys(app: Bare, frames: Frames, n: int) -> dict[str, list[float]]:
    times = []
    for _ in range(n):
        expected = app.count + 1
        sent = press(app, "j")
        shown = await frames.until(lambda: app.count == expected)
        times.append(shown - sent)
    return {"key": times}


