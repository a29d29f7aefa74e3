"""What every dialog that writes to the book shares: keys, inline errors, saving off the UI
thread, and keeping what the rep typed when a save fails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, Select, TextArea

from storage.rules.dates import DateError
from storage.book.errors import BookError, InvalidInput
from storage.rules.text import visible
from tui.keys import FORM_KEYS, bindings
from tui.screens.dimmed import Dialog
from tui.widgets.date_field import DateField
from tui.widgets.dialog_footer import DialogFooter


@dataclass(frozen=True)
class Saved:
    """What a dialog hands back to the desk: who changed, and the sentence to show."""

    prospect_id: int | None  # None: many or none (an import, an export)
    message: str
    follow: bool = False  # keep the cursor on this prospect (new/edit) rather than moving on
    propose_final_note: bool = False  # the cadence has run out: offer the last, open-ended note
    queue: Any = None  # the desk's queue as read right after the save, in the same worker


def app_styles(app) -> tuple:
    """What a widget's styles follow beyond its own: the theme, the stylesheet's changes (Textual
    counts them) and the app's classes ("-too-small")."""
    return app.theme, getattr(app, "_css_update_count", None), frozenset(app.classes)


def labelled(label: str, widget: Widget, field: str) -> ComposeResult:
    """One form row: the label beside its widget, and the line its error appears on."""
    yield Horizontal(Label(label, classes="field-label"), widget, classes="row")
    yield Label("", id=f"error-{field}", classes="error", markup=False)


class FormScreen(Dialog[Saved | None]):
    """Subclasses compose their fields and implement `prepare()`, which checks what was typed and
    returns the one storage action to run."""

    BINDINGS = bindings(FORM_KEYS)  # tui/keys.py: every key, with its id
    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > .dialog {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $panel; padding: 0 1;
    }
    FormScreen .title { text-style: bold; width: 1fr; color: $text-accent; }
    FormScreen .row { height: auto; }
    FormScreen .field-label { color: $text-muted; width: 16; }
    FormScreen .row > Input, FormScreen .row > Select, FormScreen .row > DateField { width: 1fr; }
    FormScreen .row > TextArea { width: 1fr; height: 4; }
    /* a Label is as wide as its text and cut at the dialog's edge: errors wrap to the dialog */
    FormScreen .error { color: $text-error; width: 1fr; height: auto; display: none; padding-left: 16; }
    FormScreen .error.-shown { display: block; }
    FormScreen #error-form { margin-top: 1; padding-left: 0; }
    FormScreen Horizontal { height: auto; }
    FormScreen .hint { color: $text-muted; margin-top: 1; }
    FormScreen .coach { color: $text-muted; padding-left: 16; height: auto; width: 100%; }
    FormScreen .coach-intro { color: $text-muted; margin-bottom: 1; }
    FormScreen .row > TextArea#note { height: 5; }
    """
    saving = False
    mounted = False  # composed and mounted: from then on it may be kept and shown again
    _styled_as: tuple | None = None  # the app's styles (app_styles) when the form's widgets were styled
    # What the desk reads right after a save, in the save's own worker (the queue where the cursor
    # lands): the desk shows it in the same repaint that closes the dialog.
    then: Callable[[Saved], Any] | None = None
    # What the desk does with a save before the dialog closes (shows the queue read by `then`),
    # so the frame that closes the dialog shows the desk as it now is: one repaint, not two.
    applied: Callable[[Saved], None] | None = None

    def prepare(self) -> Callable[[], Saved]:
        raise NotImplementedError

    def date(self, field: DateField) -> tuple[Any, bool] | None:
        """A date field's UTC moment, or an InvalidInput that points at it."""
        try:
            return field.utc()
        except DateError as exc:
            raise InvalidInput(field.id or "form", str(exc)) from None

    def form_footer(self) -> ComposeResult:
        yield Label("", id="error-form", classes="error", markup=False)
        yield Label("ctrl+s save · esc cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save()  # after the field's own keys: enter came through its queue

    # -- escape: nothing typed is thrown away without a question --------------------------------

    DISCARD_QUESTION = "Discard the note you typed?"

    def _on_screen_resume(self, event) -> None:
        """Runs before Textual's own (a subclass's handler first). Every widget was styled as it
        was mounted, and restyling the whole form on each push cost a third of its opening (issue
        14, point 3: log form 445 -> 291 ms under load); a form kept for the next prospect
        (tui/screens/desk_forms.py) is restyled only when the app's styles changed since (a theme,
        the window too small)."""
        styles = app_styles(self.app)
        if self._styled_as in (None, styles):
            event.refresh_styles = False
        self._styled_as = styles

    def on_mount(self) -> None:
        # Textual runs every class's on_mount (a subclass's first): the notes as the form opened
        self._untyped = {id(area): area.text for area in self.query(TextArea).results(TextArea)}
        if not self.is_attached:
            return  # the desk is closing (a form built ahead, mounted as the rep quit): nothing to show
        # here, not in each subclass's compose: over the desk's footer, whose keys do nothing here
        self.mount(DialogFooter())
        self.mounted = True

    # -- a form kept, shown again for the next prospect (tui/screens/desk_forms.py) -------------

    laid_out = None  # the window size the form was laid out for while off screen (lay_out)
    _layouts = 0  # passes since it was filled in

    def needs_layout(self, size) -> bool:
        """Whether the form, off screen, still has a layout to do before it can only be painted:
        it was filled in or the window changed, or its widgets asked for one since (what they
        say after the last pass resized them); three passes at most."""
        return self.laid_out != size or (self._layout_required and self._layouts < 3)

    def lay_out(self, size) -> None:
        """Off screen: the form's layout for a window of `size`, done ahead so that its next push
        only paints it; what Textual's screen does first when it is shown (Screen._on_screen_resume,
        Screen._on_timer_update), whose own timer waits while a screen is not shown."""
        self._layouts = self._layouts + 1 if self.laid_out == size else 1
        self._refresh_layout(size)
        self._layout_required = False
        self.laid_out = size
        # and its widgets drawn (each keeps its lines until it changes): the push then draws only
        # the desk beneath it, dimmed (the frame itself is thrown away)
        self._compositor.render_update(full=True, screen_stack=[self.app.screen])

    def showing(self) -> None:
        """A kept form is about to show again (after `reopened`, or filled in ahead)."""

    @property
    def reusable(self) -> bool:
        """Built, closed and done: it may be filled in again and shown."""
        return self.mounted and self.is_running and not self.saving and self not in self.app.screen_stack

    def reopened(self, first: Widget) -> None:
        """After a subclass has put every field back as a new form has it: what the form itself
        keeps is as new too (no error shown, no save on its way, nothing typed yet, no list left
        open) and the cursor is in `first`, as in a new form's first frame."""
        self.saving = False
        self.laid_out = None  # filled in again: laid out again
        for label in self.kept_widgets(Label):
            if label.has_class("-shown") and label.has_class("error"):
                label.update("")
                label.remove_class("-shown")
        for select in self.kept_widgets(Select):
            select.expanded = False
        self._untyped = {id(area): area.text for area in self.kept_widgets(TextArea)}
        self.set_focus(first, scroll_visible=False)

    def kept_widgets(self, kind: type[Widget]) -> list:
        """Every widget of a kind in a kept form, found once: a query walks the whole form (~100
        widgets), and filling it in again asked half a dozen times."""
        found = self.__dict__.setdefault("_kept_widgets", {})
        if kind not in found:
            found[kind] = list(self.query(kind).results(kind))
        return found[kind]

    def typed(self) -> bool:
        """Whether the rep typed something in a multi-line note that escape would throw away."""
        untyped = getattr(self, "_untyped", {})
        return any(
            area.text != untyped.get(id(area), "") and (area.text.strip() or untyped.get(id(area), "").strip())
            for area in self.query(TextArea).results(TextArea)
        )

    def action_cancel(self) -> None:
        """escape: closes at once when nothing was typed; asks first when a note was."""
        if self.saving:
            return
        if not self.typed():
            self.discard()
            self.dismiss(None)
            return

        def answered(yes: bool | None) -> None:
            if yes and not self.saving and self in self.app.screen_stack:
                self.discard()
                self.dismiss(None)

        from tui.screens.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(self.DISCARD_QUESTION, yes="discard"), answered)

    def discard(self) -> None:
        """What the form throws away as it closes unsaved (a draft it kept, say)."""

    def action_save(self) -> None:
        """ctrl+s, a priority key: Textual runs it as it arrives, before the keys typed just ahead
        of it that still wait in the focused field's queue. So the save goes through that same
        queue, behind them, and reads the field once they are in it."""
        # the keys typed after ctrl+s wait (tui/dialog_keys.py): for the desk once the form has
        # closed, or for the form should the save not go (an error, a question)
        self.app.hold_keys(self)
        field = self.focused
        if field is None or not field.call_later(self.save):
            self.save()

    def save(self) -> None:
        """Check what was typed and make the one storage call (a question first, when there is one)."""
        try:
            self._save()
        finally:
            if not self.saving:
                self.app.release_keys(self)

    def _save(self) -> None:
        if self.saving or self not in self.app.screen_stack:  # closed meanwhile (escape, or a save before)
            return
        self.clear_errors()
        try:
            call = self.prepare()
        except InvalidInput as exc:
            self.show_error(exc.field, exc.message)
            return
        question = self.question()
        if question is None:
            self._start(call)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._start(call)

        from tui.screens.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(question, yes="save anyway"), answered)

    def question(self) -> str | None:
        """Something to ask before saving what `prepare` checked ("are you sure?"), or None."""
        return None

    def _start(self, call: Callable[[], Saved]) -> None:
        """The one call into storage, off the UI thread; the form stays up (with what was typed)
        until it has succeeded."""
        self.saving = True
        self.app.hold_keys(self)  # until the form has closed (or the save failed): keys then go on
        then = self.then

        def save_then_read() -> Saved:
            saved = call()
            if then is None:
                return saved
            try:
                return replace(saved, queue=then(saved))
            except Exception:  # saved all the same: the desk reads the queue again itself
                return saved

        self.app.book.call(self, save_then_read, done=self._done, failed=self._failed, group="save")

    def _done(self, result: Saved) -> None:
        self.saving = False
        with self.app.batch_update():
            if self.applied is not None:
                self.applied(result)
            self.dismiss(result)
        self.app.release_keys(self)

    def _failed(self, error: BaseException) -> bool:
        """Shown where the rep looks: beside the field at fault, or under the form; a book error
        is told by the desk's one handler too."""
        self.saving = False
        self.app.release_keys(self)  # what is typed next goes on in the form
        if isinstance(error, InvalidInput):
            self.show_error(error.field, error.message)
            return True
        if isinstance(error, BookError):
            self.show_error("form", visible(str(error), one_line=True))
        else:
            self.show_error("form", f"Not saved: {type(error).__name__}: {visible(str(error), one_line=True)}")
        return False

    def clear_errors(self) -> None:
        # only the lines that say something: updating an empty one still asks for a layout pass, and
        # a save cleared a dozen of them in the frame the rep waits for (traced on the 100k book)
        for label in self.query(".error.-shown").results(Label):
            label.update("")
            label.remove_class("-shown")

    def show_error(self, field: str, message: str) -> None:
        widgets = self.query(f"#{field}")
        said = bool(widgets) and isinstance(widgets.first(), DateField) and widgets.first().says(message)
        if not said:  # a date field says its own error under what was typed, as it is typed: not twice
            targets = self.query(f"#error-{field}")
            label = targets.first(Label) if targets else self.query_one("#error-form", Label)
            label.update(message)
            label.add_class("-shown")
        if widgets:
            widgets.first().focus()
