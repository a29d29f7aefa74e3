"""What closed dialogs drew is let go (tui/watchers.py): Textual 8.2 keeps up to 1,024 closed
widgets' styles caches, and every line they drew, in a cache keyed by them; 20 quick logs took
the desk from 52 to 120 MiB on the 100k book before the desk emptied it as a dialog closes."""

from __future__ import annotations

import gc

from textual._styles_cache import StylesCache
from textual.widget import Widget

from tests.tui.conftest import desk_app, settle


async def test_the_lines_closed_dialogs_drew_are_let_go(seeded):
    app = desk_app()
    async with app.run_test(size=(160, 45)) as pilot:
        for _ in range(6):
            await pilot.press("l")
            await settle(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)
        gc.collect()
        live = {id(w._styles_cache) for w in gc.get_objects() if isinstance(w, Widget)}
        orphans = [c for c in gc.get_objects() if isinstance(c, StylesCache) and id(c) not in live]
        assert len(orphans) <= 10, f"{len(orphans)} closed widgets' drawn lines still alive"
