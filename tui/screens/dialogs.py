"""The desk's dialogs, each imported the first time the desk opens one, not as the desk starts
(a module __getattr__, PEP 562): `dialogs.WonScreen(...)` reads as an import from here. Together
they were ~20 ms of every start (timed in one process once the desk's other modules were in),
for screens a session opens a few of; a first open pays its own module, 1-3 ms. The log and
new-prospect forms are not here: the desk builds them ahead (tui/screens/desk_forms.py)."""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {  # class -> its module in tui/screens
    "AssignScreen": "assign",
    "AwayScreen": "away",
    "CatchUpScreen": "away",
    "ClosedBookScreen": "closed_book",
    "ConfirmScreen": "confirm",
    "DropScreen": "drop",
    "FilterScreen": "filter",
    "FinalNoteScreen": "final_note",
    "NextStepScreen": "next_step",
    "ReopenScreen": "reopen",
    "ScheduleScreen": "schedule",
    "SearchScreen": "search",
    "SnoozeScreen": "snooze",
    "WeekScreen": "week",
    "WonScreen": "won",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"tui.screens.{home}"), name)
