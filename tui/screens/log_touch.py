"""The quick-log form (`l`): what happened — who got in touch, when, how it went, the note — and
when to follow up next, with the cadence's suggestion, the channel this prospect answers, their
best time and the two-day rule. "Meeting booked" asks when the meeting is and makes it the next
step. What the rep types is kept as a draft in the book while they type (tui/screens/log_draft.py)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Select, TextArea

from storage import actions
from storage.actions import NOTE_MAX, NextStep
from storage.book.clock import local_now, utc_now
from storage.book.errors import InvalidInput
from storage.book.vocabulary import CHANNELS, KINDS, OUTCOMES
from storage.reads import coaching
from storage.reads.prospect import ProspectView
from storage.rules.cadence import KIND_DEFAULTS, text_from_last_touch
from tui.workweek import offered
from storage.rules.dates import DateError, from_utc
from storage.rules.derived import answered
from tui.keys import BY_ID, LOG_KEYS, bindings, key_for
from tui.screens.form import FormScreen, Saved, labelled
from tui.screens.log_draft import DraftKeeping
from tui.text import say
from tui.widgets.date_field import DateField
from tui.widgets.detail_pane import channel_name
from tui.widgets.happened_field import HappenedField
from tui.widgets.safe_fields import SafeInput, SafeTextArea

# when the cadence has run out, the date field still needs something: a week, as a placeholder
# for the final note the desk proposes after the save
EXHAUSTED_TEXT = "+1w"
MEETING = "meeting booked"
NEXT_LABEL = "Next follow-up"
MEETING_WHAT = "Meeting"
DIRECTIONS = (("out · we got in touch", "out"), ("in · they did", "in"))
OUTCOME_KEYS = {key.action.split("'")[1]: key.id for key in LOG_KEYS if key.action.startswith("outcome(")}


def options(values: tuple[str, ...], labels=None) -> list[tuple[str, str]]:
    return [((labels or {}).get(v, channel_name(v) if v in CHANNELS else v), v) for v in values]


def next_kind(kind: str | None) -> str:
    """After a thank-you comes the first relationship check-in; other kinds carry on."""
    return "check-in" if kind == "thank-you" else (kind or "new prospect")


def pair(first: str, a, second: str, b, fields: tuple[str, str]) -> ComposeResult:
    """Two short fields on one form row (the form fits 80×24), each with its error line."""
    yield Horizontal(Label(first, classes="field-label"), a, Label(second, classes="pair-label"), b, classes="row pair")
    for field in fields:
        yield Label("", id=f"error-{field}", classes="error", markup=False)


class LogTouchScreen(DraftKeeping, FormScreen):
    BINDINGS = bindings(LOG_KEYS)  # tui/keys.py: F2…F8 pick the outcome, F9 out / in
    # the note has the cursor in the form's first frame (on_mount's focus comes a frame later,
    # after Textual's own pick: the first Select)
    AUTO_FOCUS = "#note"
    DEFAULT_CSS = """
    LogTouchScreen .pair > Select { width: 1fr; }
    LogTouchScreen .pair > Select#direction { width: 26; }
    LogTouchScreen .pair > Select#kind { width: 20; }
    LogTouchScreen .pair-label { color: $text-muted; width: auto; padding: 0 1; }
    LogTouchScreen #outcome-keys { color: $text-muted; padding-left: 16; height: auto; width: 100%; }
    LogTouchScreen #draft { color: $text-warning; display: none; width: 1fr; }  /* wraps: never cut at the edge */
    LogTouchScreen #draft.-shown { display: block; }
    """

    def __init__(self, found: ProspectView, tz: str) -> None:
        super().__init__()
        self.tz = tz
        self._about(found)

    def _about(self, found: ProspectView) -> None:
        """The prospect the form is about, and what the form knows of the rep's edits: none yet."""
        self.found = found
        self.prospect_id = found.id
        self.prospect = found.facts
        self.step = found.next_step
        self.answers_on = found.answers_on
        self._date_edited = False  # the rep typed the next date: suggestions leave it alone
        self._what_edited = False  # the rep typed "what to do": a kind change leaves it alone
        self._outcome_picked = False  # the rep chose the outcome: a direction change leaves it alone
        self._before_meeting: dict | None = None  # the next step as it was before "meeting booked"

    def _title(self):
        p = self.prospect
        return say("Log a touch · [b]$name[/b]", name=p.name + (f" · {p.company}" if p.company else ""))

    def _opening_values(self) -> dict[str, object]:
        """Every field as the form opens on this prospect: a new form's, and a kept one's again.
        The suggested date counts from When, which is "now" as the form opens."""
        p, step = self.prospect, self.step
        channel = (step.channel if step else None) or p.preferred_channel or "call"
        kind = next_kind(step.kind if step else None)
        return {"#channel": channel, "#direction": "out", "#when-input": "now", "#outcome": "no answer", "#note": "",
                "#next-input": self._suggestion("no answer", kind, "out"), "#next-channel": self.answers_on or channel,
                "#kind": kind, "#what": self._carried_what(kind), "#promised": False}

    def compose(self) -> ComposeResult:
        values = self._opening_values()
        with Vertical(classes="dialog"):
            yield Label(self._title(), id="title")
            yield Label("", id="draft", markup=False)
            yield from pair("Channel", Select(options(CHANNELS), value=values["#channel"], allow_blank=False, compact=True, id="channel"),
                            "Who", Select(DIRECTIONS, value=values["#direction"], allow_blank=False, compact=True, id="direction"),
                            ("channel", "direction"))
            yield from labelled("When", HappenedField(values["#when-input"], tz=self.tz, id="when"), "when")
            yield from labelled("Outcome", Select(options(OUTCOMES), value=values["#outcome"], allow_blank=False, compact=True, id="outcome"), "outcome")
            yield Label("", id="outcome-keys")
            yield from labelled("Note", SafeTextArea(values["#note"], id="note", compact=True, soft_wrap=True, tab_behavior="focus"), "note")
            yield Horizontal(Label(NEXT_LABEL, id="next-label", classes="field-label"),
                             DateField(values["#next-input"], tz=self.tz, id="next"), classes="row")
            yield Label("", id="error-next", classes="error", markup=False)
            yield Label("", id="coach", classes="coach", markup=False)
            yield from pair("Next channel", Select(options(CHANNELS), value=values["#next-channel"], allow_blank=False, compact=True, id="next-channel"),
                            "Kind", Select(options(KINDS), value=values["#kind"], allow_blank=False, compact=True, id="kind"),
                            ("next-channel", "kind"))
            yield from labelled("What to do", SafeInput(values["#what"], compact=True, max_length=500, id="what"), "what")
            yield Checkbox("I promised this follow-up to the customer", values["#promised"], compact=True, id="promised")
            yield from self.form_footer()

    def on_mount(self) -> None:
        self.query_one("#note", TextArea).focus()
        self._show_outcome_keys()
        self._coach()
        self.recover_draft()

    def reopen_for(self, found: ProspectView) -> None:
        """A kept form (tui/screens/desk_forms.py) filled in again, for `found`: every field, label
        and flag as a new form on them has it, nothing of the last prospect's (their note, errors,
        draft, meeting). Their draft, if they have one, comes as it shows (`showing`)."""
        self.stop_drafts()
        self._about(found)
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed, TextArea.Changed):
            self.query_one("#when-input", Input).value = "now"  # first: the suggested date counts from it
            for selector, value in self._opening_values().items():
                if selector == "#note":
                    self.query_one(selector, TextArea).load_text(value)  # its undo history goes too
                else:
                    self.query_one(selector).value = value
        self.query_one("#title", Label).update(self._title())
        self.query_one("#draft", Label).update("")
        self.query_one("#draft", Label).remove_class("-shown")
        self.query_one("#next-label", Label).update(NEXT_LABEL)
        self.query_one("#next", DateField).input.placeholder = DateField.PLACEHOLDER
        for field in self.kept_widgets(DateField):
            field.refresh_preview()
        self.reopened(self.query_one("#note", TextArea))
        self._show_outcome_keys()
        self._coach()

    def showing(self) -> None:
        """A kept form about to show: the prospect's draft, read as a new form reads it (what
        comes back fills the form in once it is on screen)."""
        self.recover_draft()

    # -- the next step, carried forward --------------------------------------------------------

    def _carried_what(self, kind: str) -> str:
        """The step being done's own "what to do", while the kind stays; else the kind's default."""
        if self.step is not None and self.step.what and self.step.kind == kind:
            return self.step.what
        return KIND_DEFAULTS[kind].what

    def _value(self, selector: str) -> str:
        return str(self.query_one(selector, Select).value)

    def _suggestion(self, outcome: str, kind: str, direction: str) -> str:
        if outcome == MEETING:
            return ""  # when is the meeting? only the rep knows
        if self.step is not None and self.step.kind == "thank-you":
            return "1m"  # the first relationship check-in, a month after the thanks
        days = coaching.suggest(self.prospect, kind, outcome, direction).days
        text = EXHAUSTED_TEXT if days is None else text_from_last_touch(days, self._touch_day(), local_now(self.tz).date())
        return offered(self.app, text, self.tz)  # on a working day (tui/workweek.py)

    def _touch_day(self):
        """The rep's day the cadence counts from: the touch being logged (today for "now", the day
        typed in When when looking back), or the prospect's last touch when that is later."""
        days = [from_utc(self.prospect.last_touch_at, self.tz).date()] if self.prospect.last_touch_at else []
        try:  # composing, When is not there yet: the touch is now
            days.append(self.query_one("#when", HappenedField).when().day if self.is_mounted else local_now(self.tz).date())
        except DateError:  # When is being typed: the date waits for a moment it can read
            days.append(local_now(self.tz).date())
        return max(days)

    def _set(self, selector: str, value, widget_type=Input) -> None:
        """A field the form fills in itself: not an edit of the rep's."""
        widget = self.query_one(selector, widget_type)
        with widget.prevent(Input.Changed, Select.Changed, Checkbox.Changed):
            widget.value = value

    def _suggest_date(self) -> None:
        if not self._date_edited:
            field = self.query_one("#next", DateField)
            self._set("#next-input", self._suggestion(self._value("#outcome"), self._value("#kind"), self._value("#direction")))
            field.refresh_preview()

    # -- one key per outcome, and who got in touch ---------------------------------------------

    def action_outcome(self, outcome: str) -> None:
        self.query_one("#outcome", Select).value = outcome  # Select.Changed does the rest
        self._outcome_picked = True

    def action_direction(self) -> None:
        select = self.query_one("#direction", Select)
        select.value = "in" if select.value == "out" else "out"

    def _show_outcome_keys(self) -> None:
        """Beside the outcome: the key of each, the chosen one marked."""
        keymap = getattr(self.app, "rep_keymap", {})
        chosen = self._value("#outcome")
        keys = {outcome: key_for(keymap, OUTCOME_KEYS[outcome]) for outcome in OUTCOMES}
        # "F2 talked · F3 replied …" (a modifier they all share, should the rep choose one, said once)
        shared = {key.rpartition("+")[0] for key in keys.values()}
        prefix = shared.pop() + "+" if len(shared) == 1 and "" not in shared else ""
        parts: list[tuple[str, str] | str] = [prefix + " "] if prefix else []
        for outcome in OUTCOMES:
            if len(parts) > 1 or (parts and not prefix):
                parts.append(" · ")
            text = f"{keys[outcome][len(prefix):]} {outcome}"  # a key the rep chose: never markup
            parts.append((text, "reverse bold") if outcome == chosen else text)
        self.query_one("#outcome-keys", Label).update(Content.assemble(*parts))

    def on_select_changed(self, event: Select.Changed) -> None:
        select = event.select.id
        if select == "outcome":
            self._meeting(str(event.value) == MEETING)
            self._show_outcome_keys()
        if select == "direction" and not self._outcome_picked:
            # they got in touch: their answer, unless the rep says otherwise
            self._set("#outcome", "replied" if event.value == "in" else "no answer", Select)
            self._meeting(False)
            self._show_outcome_keys()
        if select in ("outcome", "kind", "direction"):
            self._suggest_date()
        if select == "kind" and not self._what_edited and self._value("#outcome") != MEETING:
            self._set("#what", self._carried_what(str(event.value)))
        self._coach()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "next-input":
            self._date_edited = self._edited_date()
            self._coach()
        elif event.input.id == "when-input":  # the cadence counts from the touch: the suggestion follows
            self._suggest_date()
            self._coach()
        elif event.input.id == "what":
            self._what_edited = event.value != self._expected_what()

    def _edited_date(self) -> bool:
        value = self.query_one("#next", DateField).value
        return bool(value.strip()) and value != self._suggestion(
            self._value("#outcome"), self._value("#kind"), self._value("#direction"))

    def _expected_what(self) -> str:
        """What the form itself would put in "what to do" now."""
        return MEETING_WHAT if self._before_meeting is not None else self._carried_what(self._value("#kind"))

    def restored(self, opening: dict) -> None:
        """A draft filled the form in: which fields the rep had made their own, and the meeting."""
        outcome = self._value("#outcome")
        self._outcome_picked = outcome != opening["outcome"]
        if outcome == MEETING:
            self._before_meeting = {"next": opening["next"], "edited": False, "channel": opening["next-channel"],
                                    "what": opening["what"], "promised": opening["promised"]}
            self.query_one("#next-label", Label).update("Meeting at")
            self.query_one("#next", DateField).input.placeholder = "when is the meeting? thu 10am"
        self._date_edited = self._edited_date()
        self._what_edited = self.query_one("#what", Input).value != self._expected_what()
        self._show_outcome_keys()
        self._coach()

    def _meeting(self, booked: bool) -> None:
        """"Meeting booked": the next step is that meeting — its time, the channel meeting,
        "Meeting", promised; chosen otherwise, the next step goes back to what it was."""
        if booked == (self._before_meeting is not None):
            return
        date, label = self.query_one("#next", DateField), self.query_one("#next-label", Label)
        if booked:
            self._before_meeting = {"next": date.value, "edited": self._date_edited, "channel": self._value("#next-channel"),
                                    "what": self.query_one("#what", Input).value,
                                    "promised": self.query_one("#promised", Checkbox).value}
            self._set("#next-input", "")
            self._date_edited = False
            date.input.placeholder = "when is the meeting? thu 10am"
            self._set("#next-channel", "meeting", Select)
            if not self._what_edited:
                self._set("#what", MEETING_WHAT)
            self._set("#promised", True, Checkbox)
            label.update("Meeting at")
        else:
            before, self._before_meeting = self._before_meeting, None
            self._set("#next-input", before["next"] if not self._date_edited else date.value)
            self._date_edited = before["edited"] or self._date_edited
            date.input.placeholder = DateField.PLACEHOLDER
            self._set("#next-channel", before["channel"], Select)
            if not self._what_edited:
                self._set("#what", before["what"])
            self._set("#promised", before["promised"], Checkbox)
            label.update(NEXT_LABEL)
        date.refresh_preview()

    def _coach(self) -> None:
        """One line under the date: the cadence, the best-time check, the channel they answer."""
        outcome, direction = self._value("#outcome"), self._value("#direction")
        suggestion = coaching.suggest(self.prospect, self._value("#kind"), outcome, direction)
        notes = []
        if outcome == MEETING:
            notes.append("the meeting is the next step, promised")
        elif suggestion.days is None:
            notes.append(f"No reply {suggestion.streak} times: the {suggestion.cadence.name} cadence has run out — "
                         "after saving, the desk offers the last, open-ended note")
        elif not answered(outcome, direction):
            notes.append(f"touch {self.prospect.touch_count + 1}, {suggestion.streak} without a reply "
                         f"({suggestion.cadence.name} cadence)")
        try:
            moment = self.query_one("#next", DateField).utc()
        except DateError:
            moment = None
        if moment and (warning := coaching.best_time_warning(self.prospect, *moment, self.tz)):
            notes.append("⚠ " + warning)
        if self.answers_on:
            notes.append(f"answers {channel_name(self.answers_on)}")
        self.query_one("#coach", Label).update(" · ".join(notes))

    # -- saving ---------------------------------------------------------------------------------

    def prepare(self):
        note = self.query_one("#note", TextArea).text
        if len(note) > NOTE_MAX:
            raise InvalidInput("note", f"The note is {len(note):,} characters; the most a note holds is {NOTE_MAX:,}.")
        happened = self.date(self.query_one("#when", HappenedField))
        at = happened[0] if happened else None  # None: now, as it saves
        channel, outcome, direction = self._value("#channel"), self._value("#outcome"), self._value("#direction")
        due_at, has_time = self.date(self.query_one("#next", DateField))
        if outcome == MEETING and not has_time:
            raise InvalidInput("next", "At what time is the meeting? — try thu 10am or dec 1 14:30")
        next_step = NextStep(
            due_at=due_at,
            has_time=has_time,
            channel=self._value("#next-channel"),
            what=self.query_one("#what", Input).value,
            kind=self._value("#kind"),
            promised=self.query_one("#promised", Checkbox).value,
        )
        self._next_step, self._answered = next_step, answered(outcome, direction)
        self._touched_at = at  # the two-day rule counts from the touch, not from the save
        prospect_id, name, tz = self.prospect_id, self.prospect.name, self.tz
        exhausted = outcome != MEETING and coaching.suggest(self.prospect, next_step.kind, outcome, direction).days is None
        after_drafts = self.drafts_written()  # a draft on its way lands first: the save deletes it

        def save() -> Saved:
            after_drafts()
            actions.log_touch(prospect_id, channel=channel, outcome=outcome, note=note, direction=direction,
                              next_step=next_step, at=at, tz=tz)
            return Saved(prospect_id, f"Logged a touch for {name}", propose_final_note=exhausted)

        return save

    def question(self) -> str | None:
        if not self._answered and coaching.too_soon_after_silence(
            self.found.last_unanswered_at, self._next_step.due_at, logging_unanswered=True,
            now=self._touched_at or utc_now(), tz=self.tz, has_time=self._next_step.has_time,
        ):
            return ("Another follow-up less than two days after one that went unanswered? "
                    "Daily notes are a poor strategy: spacing them out works better.")
        return None


assert set(OUTCOME_KEYS) == set(OUTCOMES) and all(i in BY_ID for i in OUTCOME_KEYS.values())
