"""The desk's text fields (forms, search, the command palette): an Input and a TextArea whose
value never holds a control character.

Neither Textual nor Rich strips ESC, C1 or DEL from what a field draws, so a pasted escape
sequence reached the terminal while it was being edited, before any save (LESSONS.md "Text on the
screen"). Here text is made visible as it enters, whichever way it comes (typed, pasted, set by
code): ESC is "␛", a zero-width space "<U+200B>" (storage.rules.text.typed). What the rep sees is
what the value holds, and what is saved."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.command import CommandInput, CommandPalette
from textual.geometry import Size
from textual.widgets import Input, TextArea
from textual.widgets.text_area import Edit, EditResult

from storage.rules.text import typed
from tui.widgets.dialog_footer import DialogFooter, Note


class SafeInput(Input):
    """A one-line field: a tab is a space, every other control or invisible character a symbol."""

    def validate_value(self, value: str) -> str:
        return typed(value, one_line=True)  # a value set by code (or the constructor)

    def replace(self, text: str, start: int, end: int) -> None:
        # typed or pasted: cleaned before it goes in, so the cursor lands after what is shown
        text = typed(text, one_line=True)
        longest = self.max_length
        if longest and len(self.value) - (end - start) + len(text) > longest:
            # Textual's Input drops it without a word: the field stays as it was, and says why
            self.notify(f"Not added: this field holds at most {longest:,} characters (that was {len(text):,}).",
                        severity="warning", markup=False, timeout=5)
            return
        super().replace(text, start, end)

    def _watch_value(self, value: str) -> None:
        # Textual's Input sets its virtual size at each keystroke, a reactive that lays out the
        # whole screen (the search box: 6-8 ms a key, traced on the 100k book). Only the field's
        # own scrolling reads it: set quietly first, Textual's own setting is then no change.
        self.set_reactive(Input.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)


class SafeTextArea(TextArea):
    """A multi-line field: line endings unified, tab and newline kept, every other control or
    invisible character a symbol."""

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__(typed(text), **kwargs)

    def load_text(self, text: str) -> None:  # `text = …` too
        super().load_text(typed(text))

    def edit(self, edit: Edit) -> EditResult:
        # every change of the document is an Edit (typing, paste, replace, insert); undo and redo
        # replay the Edits made here, already clean
        edit.text = typed(edit.text)
        return super().edit(edit)


class SafeCommandInput(CommandInput, SafeInput):
    """The command palette's search box, as safe as the forms' fields (CommandInput first:
    Textual styles and finds a widget by its first base)."""


class SafeCommandPalette(CommandPalette):
    """Textual's command palette with a SafeInput for its search box: what the rep types or
    pastes there is shown visibly too, and its footer names its own keys. For the desk to use it, the app's action_command_palette
    pushes this one in place of Textual's."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if type(widget) is CommandInput:
                widget = SafeCommandInput(placeholder=widget.placeholder, select_on_focus=False)
            yield widget
        yield DialogFooter()  # over the desk's footer: its keys type into the box here

    def footer_notes(self) -> list[Note]:
        return [Note("enter", "⏎", "Run"), Note("down", "↑↓", "Move")]
