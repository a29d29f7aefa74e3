"""The log form (`l`) and the new-prospect form (`n`) are built once and kept (issue 14, point 7:
a dialog opens in ≤ 50 ms). A mixin of DeskScreen.

Building the log form is composing and mounting ~100 widgets (each drop-down is six), then its
first layout: most of the ~170 ms its first open took on the 100k book, ~8x what Textual needs to
show a dialog at all. So the desk keeps each form once built (Textual keeps an installed screen
when it closes) and fills it in again for the next open — every field as a new form has it,
nothing of the last prospect's (tui/screens/log_touch.py `reopen_for`, prospect_form.py
`reopen_new`). And while the rep reads the desk (no key for QUIET seconds), it gets them ready
off screen: builds them after the desk starts, then fills the log form in for the prospect on
screen and lays both out, so that `l` or `n` only has to show one. A form still being built when
its key comes, or on screen already, is not waited for: a new one opens, as before.

Under a test's pilot (headless) nothing is done ahead unless asked (`FORMS_AHEAD`,
`prepare_forms`), so a test's timing is the test's own: the first open builds a form and keeps
it, the next ones fill it in again."""

from __future__ import annotations

import time
from typing import Any

from storage.book.clock import local_now
from storage.reads.prospect import ProspectView
from tui.screens.form import FormScreen
from tui.screens.log_touch import LogTouchScreen
from tui.screens.prospect_form import ProspectFormScreen
from tui.workweek import work_week

AHEAD_TICK = 0.05  # seconds between two looks for a quiet moment (one step each: ready ~0.5 s after start)
QUIET = 0.4  # seconds without a key before a form is made ready: never while the rep types


class KeptForms:
    # True: get the forms ready whenever the desk is quiet; None: only on a real terminal
    FORMS_AHEAD: bool | None = None
    _kept: dict[str, FormScreen]
    _ready: dict[str, Any]  # a kept form filled in ahead, untouched since: what it was filled in for
    _settled_at: float | None = 0.0  # when the desk was last back on top and drawn (None: it is not)

    def on_mount(self) -> None:
        self._kept, self._ready = {}, {}
        ahead = self.FORMS_AHEAD if self.FORMS_AHEAD is not None else not self.app.is_headless
        if ahead:
            self.set_interval(AHEAD_TICK, self._when_quiet, name="forms made ready")

    # -- opening --------------------------------------------------------------------------------

    def log_form(self, found: ProspectView) -> LogTouchScreen:
        """The log form on `found`: the kept one (filled in again unless it is ready for them), or
        a new one, kept if none is."""
        form = self._kept.get("log")
        if not isinstance(form, LogTouchScreen) or not form.reusable:
            return self._keep_first("log", LogTouchScreen(found, self.tz))
        if self._ready.pop("log", None) != self._filled_for("log", found):
            form.reopen_for(found)
        form.showing()
        return form

    def new_prospect_form(self) -> ProspectFormScreen:
        form = self._kept.get("new")
        if not isinstance(form, ProspectFormScreen) or not form.reusable:
            return self._keep_first("new", ProspectFormScreen(self.tz))
        if self._ready.pop("new", None) != self._filled_for("new"):
            form.reopen_new()
        return form

    def _keep_first(self, name: str, form: FormScreen) -> FormScreen:
        if name not in self._kept:
            self._kept[name] = form
            self.app.install_screen(form, f"kept-{name}-form")  # Textual keeps it when it closes
        return form

    def _filled_for(self, name: str, found: ProspectView | None = None) -> Any:
        """What a form's opening values follow: the prospect (the log form's), the rep's day and
        working week (the dates it suggests, and how it says them)."""
        day = local_now(self.tz).date(), work_week(self.app)
        return (found, *day) if name == "log" else day

    # -- ahead, while the rep reads --------------------------------------------------------------

    def on_screen_suspend(self) -> None:
        self._settled_at = None  # a dialog is up: nothing is made ready until the desk is back, drawn

    def on_screen_resume(self) -> None:
        self.call_after_refresh(self._settled)  # the frame that shows the desk again comes first

    def _settled(self) -> None:
        self._settled_at = time.monotonic()

    def _when_quiet(self) -> None:
        if self._settled_at is None or self.app.screen is not self or self.waiting or self.app.quitting:
            return
        if time.monotonic() - max(self.app.collector.last_input, self._settled_at) >= QUIET:
            self.prepare_forms()

    def prepare_forms(self) -> bool:
        """One step towards `l` and `n` opening at once, off screen: build a form, fill it in,
        lay it out (the log form first); False when there is none left."""
        for name in ("log", "new"):
            if name == "log" and self.shown is None:
                continue  # nobody to log a touch for
            form = self._kept.get(name)
            if form is None:
                form = LogTouchScreen(self.shown, self.tz) if name == "log" else ProspectFormScreen(self.tz)
                return self._build(name, form)
            if not form.reusable:
                continue  # still being built, or on screen
            wanted = self._filled_for(name, self.shown)
            if self._ready.get(name) != wanted:
                if isinstance(form, LogTouchScreen):
                    form.reopen_for(self.shown)
                elif isinstance(form, ProspectFormScreen):
                    form.reopen_new()
                self._ready[name] = wanted
                return True
            if form.needs_layout(self.app.size):
                form.lay_out(self.app.size)
                return True
        return False

    def _build(self, name: str, form: FormScreen) -> bool:
        self._keep_first(name, form)
        self._ready[name] = self._filled_for(name, self.shown)  # as composed
        # what push_screen does first (App._get_screen): the screen joins the app, and composes
        # and mounts on its own queue, without being shown
        self.app._register(self.app, form)
        return True
