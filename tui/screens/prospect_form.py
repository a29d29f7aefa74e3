"""New prospect (`n`) and edit prospect (`e`): the facts, and for a new one its first follow-up."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual import events
from textual.widgets import Checkbox, Input, Label, OptionList, Select, TextArea
from textual.widgets.option_list import Option

from storage import actions, search
from storage.reads import coaching
from storage.reads.prospect import ProspectView, find_by_name, view
from storage.actions import NextStep
from storage.book.errors import Conflict, InvalidInput
from storage.book.vocabulary import CHANNELS, KINDS
from storage.rules.amounts import AmountError, amount
from storage.rules.text import visible
from storage.rules.zones import ZoneError, resolve_zone, zone_words
from tui.screens.form import FormScreen, Saved, labelled
from tui.screens.log_touch import options
from tui.text import literal, say
from tui.widgets.date_field import DateField
from tui.widgets.safe_fields import SafeInput, SafeTextArea

TEXT_FIELDS = (
    ("name", "Name"),
    ("company", "Company"),
    ("title", "Title"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("best_time", "Best time"),
    ("timezone", "Time zone"),
    ("deal_value", "Deal value"),
    ("source", "Source"),
)
PLACEHOLDERS = {"best_time": "e.g. weekdays 8–10am", "timezone": "a city or country: Paris, Japan…", "deal_value": "e.g. 12k, 12,500, 1.5m"}


def shown(facts, field: str) -> str:
    """A fact as its field shows it (the book may come from elsewhere: controls in a stored value
    are shown visibly; no deal value is an empty field)."""
    value = visible(str(getattr(facts, field) or ""), one_line=True)
    return "" if field == "deal_value" and value == "0" else value


def zone_shown(text: str) -> tuple[str, bool]:
    """What the time zone field resolves to, as the date fields show theirs; or why it cannot."""
    try:
        zone = resolve_zone(text)
    except ZoneError as exc:
        return str(exc), False
    return (f"→ {zone}" if zone else ""), True


def amount_shown(text: str) -> tuple[str, bool]:
    """The deal value as the book will keep it ("12.5k" → 12,500); or why it cannot."""
    if not text.strip():
        return "", True
    try:
        return f"→ {amount(text):,}", True
    except AmountError as exc:
        return str(exc), False


def referrer_names(text: str, besides: int | None, limit: int = 5) -> list[str]:
    """The people in the book whose name starts a word with what was typed ("lov" finds Ada
    Lovelace), for the referred-by field: the search index, not the whole book."""
    names = [hit.name for hit in search.search(text, limit=limit * 2) if hit.where == "name" and hit.prospect_id != besides]
    return list(dict.fromkeys(names))[:limit]


# A new prospect's first follow-up, as the form opens
FIRST_STEP = {"#next-input": "tomorrow", "#kind": "new prospect", "#what": "Introduce ourselves", "#promised": False}

# The fields that show, under what is typed, what it will be kept as (pure rules: no book read).
PREVIEWED = {"timezone": zone_shown, "deal_value": amount_shown}


class ProspectFormScreen(FormScreen):
    AUTO_FOCUS = "#name"  # the cursor in the name from the form's first frame (on_mount's comes a frame later)
    DEFAULT_CSS = """
    ProspectFormScreen > .dialog { height: 90%; max-height: 40; }
    ProspectFormScreen TextArea.notes { height: 3; }
    ProspectFormScreen .row > .previewed { width: 1fr; height: auto; }
    ProspectFormScreen .preview { color: $text-muted; width: 1fr; }
    ProspectFormScreen .preview.-invalid { color: $text-error; }
    ProspectFormScreen #referrers { height: auto; max-height: 5; margin-left: 16; display: none; }
    ProspectFormScreen #referrers.-shown { display: block; }
    """

    def __init__(self, tz: str, found: ProspectView | None = None) -> None:
        super().__init__()
        self.tz = tz
        self.prospect_id = found.id if found else None
        self.prospect = found.facts if found else None
        self.referrer = found.referred_by_name if found else ""
        self._referrer_names: list[str] = []  # as the list under the referred-by field shows them

    def compose(self) -> ComposeResult:
        p = self.prospect
        title = say("Edit · [b]$name[/b]", name=p.name) if p else "New prospect"
        with VerticalScroll(classes="dialog"):
            yield Label(title, classes="title")
            for field, label in TEXT_FIELDS:
                value = "" if p is None else shown(p, field)
                # a zone completes as it is typed (→ accepts): the cities and countries it knows
                suggester = SuggestFromList(zone_words(), case_sensitive=False) if field == "timezone" else None
                widget = SafeInput(value, placeholder=PLACEHOLDERS.get(field, ""), compact=True, max_length=200,
                                   suggester=suggester, id=field)
                if field in PREVIEWED:
                    widget = Vertical(widget, Label("", id=f"preview-{field}", classes="preview", markup=False), classes="previewed")
                yield from labelled(label, widget, field)
            channel = (p.preferred_channel if p else None) or Select.NULL
            yield from labelled(
                "Prefers", Select(options(CHANNELS), value=channel, prompt="(no preference)", compact=True, id="preferred_channel"), "preferred_channel"
            )
            chosen = (p.cadence if p else None) or Select.NULL
            yield from labelled(
                "Cadence",
                Select([(literal(f"{c.name} — {c.description}"), c.name) for c in coaching.cadences().values()],
                       value=chosen, prompt="(the kind's own)", compact=True, id="cadence"),
                "cadence",
            )
            notes = visible(p.notes) if p else ""
            yield from labelled(
                "Notes", SafeTextArea(notes, id="notes", compact=True, soft_wrap=True, tab_behavior="focus", classes="notes"), "notes"
            )
            yield from labelled("Referred by", SafeInput(visible(self.referrer, one_line=True), placeholder="a few letters of their name", compact=True, id="referred_by"), "referred_by")
            # who in the book the letters typed could be: ↓ into the list, enter picks
            yield OptionList(id="referrers", compact=True)
            if p is None:
                yield from labelled("First follow-up", DateField(FIRST_STEP["#next-input"], tz=self.tz, id="next"), "next")
                yield from labelled("Kind", Select(options(KINDS), value=FIRST_STEP["#kind"], allow_blank=False, compact=True, id="kind"), "kind")
                yield from labelled("What to do", SafeInput(FIRST_STEP["#what"], compact=True, max_length=500, id="what"), "what")
                yield Checkbox("I promised this follow-up", FIRST_STEP["#promised"], compact=True, id="promised")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#name").focus()
        for field in PREVIEWED:
            self._preview(field)

    def _failed(self, error: BaseException) -> bool:
        told = super()._failed(error)
        if isinstance(error, Conflict) and self.prospect_id is not None:
            # another desk changed what the rep changed: the form reads the prospect again
            self.app.book.call(self, view, self.prospect_id, done=self._looked_again, failed=lambda _: True,
                               group="look-again")
        return told

    def _looked_again(self, found: ProspectView | None) -> None:
        """After a Conflict the form starts from the prospect as it is now: a field the rep left
        as it was shows the other desk's value, what the rep typed stays, and a save now is the
        rep's answer to the message (the book is no longer changed since the form looked)."""
        if found is None or self.prospect is None:
            return
        before, self.prospect = self.prospect, found.facts
        with self.prevent(Input.Changed, Select.Changed, TextArea.Changed):
            for field, _ in TEXT_FIELDS:
                widget = self.query_one(f"#{field}", Input)
                if widget.value == shown(before, field):
                    widget.value = shown(self.prospect, field)
            for field in ("preferred_channel", "cadence"):
                widget = self.query_one(f"#{field}", Select)
                if widget.value == (getattr(before, field) or Select.NULL):
                    widget.value = getattr(self.prospect, field) or Select.NULL
            notes = self.query_one("#notes", TextArea)
            if notes.text == visible(before.notes):
                notes.load_text(visible(self.prospect.notes))
            referrer = self.query_one("#referred_by", Input)
            if referrer.value == visible(self.referrer, one_line=True):
                referrer.value = visible(found.referred_by_name, one_line=True)
        self.referrer = found.referred_by_name
        for field in PREVIEWED:
            self._preview(field)

    def reopen_new(self) -> None:
        """A kept new-prospect form (tui/screens/desk_forms.py) shown again: every field as a new
        form has it, nothing of the last one typed (names, errors, the list of referrers)."""
        self.app.book.supersede(self, "referrers")  # a list still on its way for the last one is dropped
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed, TextArea.Changed):
            for field, _ in TEXT_FIELDS:
                self.query_one(f"#{field}", Input).value = ""
            self.query_one("#referred_by", Input).value = ""
            for field in ("preferred_channel", "cadence"):
                self.query_one(f"#{field}", Select).value = Select.NULL
            self.query_one("#notes", TextArea).load_text("")  # its undo history goes too
            for selector, value in FIRST_STEP.items():
                self.query_one(selector).value = value
        self._show_referrers([], "")
        for field in PREVIEWED:
            self._preview(field)
        self.query_one(DateField).refresh_preview()
        self.query_one(".dialog", VerticalScroll).scroll_home(animate=False, immediate=True)
        self.reopened(self.query_one("#name", Input))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in PREVIEWED:
            self._preview(event.input.id)
        elif event.input.id == "referred_by":
            text = event.value.strip()
            if not text:
                self._show_referrers([], text)
                return
            # only the newest letters count: an older search coming back late is dropped
            self.app.book.call(self, referrer_names, text, self.prospect_id, done=lambda names: self._show_referrers(names, text),
                               group="referrers", exclusive=True)

    def _show_referrers(self, names: list[str], typed: str) -> None:
        hits = self.query_one("#referrers", OptionList)
        hits.clear_options()
        if names == [" ".join(typed.split())]:
            names = []  # the one they are is already typed (or was just picked)
        hits.add_options([Option(literal(name, one_line=True), id=str(i)) for i, name in enumerate(names)])
        self._referrer_names = names
        hits.set_class(bool(names), "-shown")

    def on_key(self, event: events.Key) -> None:
        hits = self.query_one("#referrers", OptionList)
        if event.key == "down" and self.focused is self.query_one("#referred_by") and hits.has_class("-shown"):
            event.stop()
            hits.focus()
            hits.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "referrers":
            return
        event.stop()
        field = self.query_one("#referred_by", Input)
        field.value = self._referrer_names[event.option_index]
        field.cursor_position = len(field.value)
        field.focus()

    def show_error(self, field: str, message: str) -> None:
        if field in PREVIEWED and self.query_one(f"#preview-{field}", Label).has_class("-invalid"):
            # the line under the field says so already, as it was typed: not a second time in other words
            self.query_one(f"#{field}").focus()
            return
        super().show_error(field, message)

    def _preview(self, field: str) -> None:
        text, valid = PREVIEWED[field](self.query_one(f"#{field}", Input).value)
        label = self.query_one(f"#preview-{field}", Label)
        label.update(text)
        label.set_class(not valid, "-invalid")
        label.display = bool(text)

    def _referrer(self):
        """Who referred them, found by name when the form is saved (off the UI thread)."""
        name, besides = self.query_one("#referred_by", Input).value.strip(), self.prospect_id

        def find() -> int | None:
            if not name:
                return None
            found = find_by_name(name, besides=besides)
            if found is None:
                raise InvalidInput("referred_by", f"No prospect is named {name!r}; add them first or leave it empty.")
            return found

        return find

    def prepare(self):
        fields = {field: self.query_one(f"#{field}", Input).value for field, _ in TEXT_FIELDS}
        channel = self.query_one("#preferred_channel", Select).value
        fields["preferred_channel"] = None if channel is Select.NULL else str(channel)
        fields["notes"] = self.query_one("#notes", TextArea).text
        referrer = self._referrer()
        cadence = self.query_one("#cadence", Select).value
        fields["cadence"] = None if cadence is Select.NULL else str(cadence)
        if not fields["name"].strip():
            raise InvalidInput("name", "A prospect needs a name.")
        prospect_id = self.prospect_id
        name = " ".join(fields["name"].split())
        if prospect_id is not None:
            # as the form opened on them: what the rep left so is not written over another desk's change
            seen = {key: getattr(self.prospect, key) for key in (*fields, "referred_by")}

            def save_edit() -> Saved:
                actions.edit_prospect(prospect_id, {**fields, "referred_by": referrer()}, seen=seen)
                return Saved(prospect_id, f"Saved {name}", follow=True)

            return save_edit
        due_at, has_time = self.date(self.query_one("#next", DateField))
        step = NextStep(
            due_at=due_at,
            has_time=has_time,
            channel=fields["preferred_channel"] or "call",
            what=self.query_one("#what", Input).value,
            kind=str(self.query_one("#kind", Select).value),
            promised=self.query_one("#promised", Checkbox).value,
        )

        def save_new() -> Saved:
            new_id = actions.add_prospect({**fields, "referred_by": referrer()}, step)
            return Saved(new_id, f"Added {name}", follow=True)

        return save_new
