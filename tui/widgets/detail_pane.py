"""The detail pane: who the prospect on screen is, how and when to reach them, the next step.
It shows what the desk hands it (a ProspectView read off the UI thread) and reads nothing itself."""

from __future__ import annotations

import datetime as dt

import pendulum
from textual.content import Content
from textual.reactive import reactive

from storage.reads import coaching
from storage.reads import prospect as reads
from storage.reads.team import Team
from storage.book.clock import local_now, utc_now
from storage.rules.promises import promise_state
from storage.rules.reach import answering_channel
from storage.rules.dates import book_moment, due_label, from_utc, local_due, zone
from storage.book.vocabulary import CHANNEL_LABELS
from tui.keys import key_for
from tui.text import literal, money, say
from tui.widgets.scrolling_pane import ScrollingPane


def ago(moment: dt.datetime | None, now: pendulum.DateTime, tz: str) -> str:
    if moment is None:
        return "never"
    days = (now.date() - from_utc(moment, tz).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def channel_name(channel: str | None) -> str:
    return CHANNEL_LABELS.get(channel or "", channel or "—")


def closed_day(closed_at: dt.datetime | None, now: pendulum.DateTime, tz: str) -> str:
    """" 12 Oct" (" 12 Oct 2025" in another year), or nothing when the book has no date."""
    if closed_at is None:
        return ""
    day = from_utc(closed_at, tz)
    return " " + day.format("D MMM" if day.year == now.year else "D MMM YYYY")


NOTES_LINES = 3  # of the background notes; all of them are in the edit form (e)
SHRINK_AT = 3  # lines shorter a new prospect's text must be before the pane shrinks to it


class DetailPane(ScrollingPane):
    """Shows one prospect: the desk sets `view`. Focused, it scrolls by the pane keys (tui/keys.py):
    in a small window the contact facts, promises and notes may be below its edge."""

    DEFAULT_CSS = """
    DetailPane { padding: 0 1; height: auto; }
    """
    view: reactive[ProspectView | None] = reactive(None, always_update=True)

    def __init__(self, tz: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tz = tz
        self._height = -1
        self.outside = False  # the prospect shown is not in the queue (a search's jump): say where
        self.filtered = False  # the queue is filtered (why an active one may be outside it)
        self.team: Team | None = None  # a team's book: whose the prospect is (tui/screens/desk_team.py)

    def place(self, outside: bool, filtered: bool = False) -> None:
        """Where the next `view` stands: in the queue, or outside it (set before `view`)."""
        self.outside, self.filtered = outside, filtered

    def watch_view(self, view: ProspectView | None) -> None:
        self.scroll_home(animate=False, immediate=True)
        self._follow(self.show_text(self.describe(view)))

    def resized(self, height: int) -> None:
        # another width, maybe another height: asked of the layout after the one that resized it
        # (asked during that one, it was lost, and the pane stayed 0 lines tall after a tiny window)
        self.call_after_refresh(self._follow, height, True)

    def _follow(self, height: int, exactly: bool = False) -> None:
        """The pane is as tall as its text (up to its max-height): a layout of the desk, which
        redraws it whole, when that height changes. It grows at once, and shrinks only by
        SHRINK_AT lines or more (or when the window changed): over 300 `j` on the bench book the
        text was 10 to 17 lines tall and the desk was laid out again at 80% of the moves, 46% now,
        for half a blank line under the prospect on average, and a history pane that jumps less."""
        if height > self._height or height <= self._height - SHRINK_AT or (exactly and height != self._height):
            self._height = height
            self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(self._height, self.virtual_size.height)

    def describe(self, found: ProspectView | None) -> Content:
        if found is None:
            return Content("No prospect selected.")
        p, step, now = found.facts, found.next_step, local_now(self.tz)
        lines: list[Content] = [
            say("[b]$name[/b]  $status", name=p.name, status=p.status),
        ]
        if self.team is not None and self.team.is_team:  # whose, beside the name: no line more
            lines[0] = Content.assemble(lines[0], " · ", literal(self.team.whose(p.owner), one_line=True))
        if self.outside:
            lines.append(self._where_line(p, now))
        if status := self._status_line(p, now):
            lines.append(status)
        # what to do next and how it has gone first: the rest may scroll out of a small window
        lines.append(self._next_line(p, step, now))
        lines.append(self._persistence_line(p, step, now))
        if warning := self._best_time_warning(p, step):
            lines.append(warning)
        if found.colleague is not None:
            lines.append(self._colleague_line(found.colleague, now))
        role = " · ".join(part for part in (p.title, p.company) if part)
        if role:
            lines.append(literal(role, one_line=True))
        contact = "   ".join(part for part in (p.email, p.phone) if part)
        if contact:
            lines.append(literal(contact, one_line=True))
        lines.append(self._channels_line(found))
        if p.best_time or p.timezone:
            lines.append(self._best_time_line(p))
        facts = f"Deal value {money(p.deal_value)}"
        if p.source:
            facts += f" · source {p.source}"
        if found.referred_by_name:
            facts += f" · referred by {found.referred_by_name}"
        lines.append(literal(facts, one_line=True))
        lines += self._promises_lines(found)
        if p.notes:
            shown = p.notes.split("\n")
            text = "\n".join(shown[:NOTES_LINES]) + (" …" if len(shown) > NOTES_LINES else "")
            lines.append(Content.assemble(("Notes ", "bold"), literal(text)))
        if found.tags:
            shown = " · ".join(f"#{name}" + (f" ×{n}" if n > 1 else "") for name, n in found.tags[:8])
            lines.append(say("[b]Tags[/b] $tags", tags=shown))
        if found.referrals:
            shown = ", ".join(f"{r.name} ({r.status})" for r in found.referrals)
            lines.append(say("[b]Referred[/b] $who", who=shown))
        return Content("\n").join(lines)

    def _key(self, key_id: str) -> str:
        """The key a hint names: the rep's own (keys.toml), else the default."""
        return key_for(getattr(self.app, "rep_keymap", {}), key_id)

    def _where_line(self, p, now) -> Content:
        """A prospect shown outside the queue: where they are, and the keys that act on them."""
        day = closed_day(p.closed_at, now, self.tz)
        reopen = f"{self._key('desk.reopen')} reopens"
        if p.status == "dropped":
            text = f"Dropped{day} · not in the queue — {reopen}"
        elif p.status == "won" and p.next_due_at is None:
            text = f"Won{day} · not in the queue: no next step — {self._key('desk.next_step')} sets one, {reopen}"
        elif self.filtered:
            text = f"Not in the queue as filtered — {self._key('desk.clear_filter')} clears the filter"
        else:
            text = "Not in the queue"
        return Content.from_markup("[$text-warning b]$line[/]", line=text)

    def _status_line(self, p, now) -> Content | None:
        if p.status == "won" and p.closed_at:
            return Content(f"Won {ago(p.closed_at, now, self.tz)}")
        if p.status == "dropped":
            text = f"Dropped: {p.drop_reason}"
            if p.revisit_on:
                text += f" · revisit {p.revisit_on:%a %-d %b %Y}"
            return literal(text, one_line=True)
        return None

    def _channels_line(self, found: ProspectView) -> Content:
        text = f"Prefers {channel_name(found.facts.preferred_channel)}"
        stats = found.channels
        answers = found.answers_on
        if answers:
            text += f" · answers {channel_name(answers)}"
        if stats:
            text += " · " + ", ".join(f"{s.channel} {s.replies}/{s.touches}" for s in stats[:4]) + " replied"
        return literal(text, one_line=True)

    def _best_time_line(self, p) -> Content:
        text = f"Best time {p.best_time or '—'}"
        if p.timezone:
            text += f" · {p.timezone}"
            try:
                text += f" (their time {pendulum.now(zone(p.timezone)).format('ddd HH:mm')})"
            except Exception:  # a zone this machine does not know, from a book made elsewhere
                pass
        return literal(text, one_line=True)

    def _next_line(self, p, step, now) -> Content:
        if step is None:  # the keys as the rep has them (a key is text here, never markup)
            if p.status == "dropped":
                text = "Next: no next step (dropped)"
            else:
                text = f"Next: no next step — press {self._key('desk.next_step')} to set one ({self._key('desk.log')} logs a touch)"
            return Content.from_markup("[$text-warning]$line[/]", line=text)
        when = due_label(local_due(step.due_at, step.has_time, self.tz), step.has_time, now)
        text = f"{when} · {channel_name(step.channel)} · {step.kind}"
        if step.what:
            text += f" — {step.what}"
        return say("[b]Next[/b] [$text-warning b]★ promised[/] $step" if step.promised else "[b]Next[/b] $step", step=text)

    def _colleague_line(self, colleague, now) -> Content:
        """Someone else is on this prospect right now (a team's book): said before the rep calls."""
        minutes = max(0, int((book_moment(now) - colleague.at).total_seconds() // 60))
        ago = "just now" if minutes < 1 else f"{minutes} min ago"
        return say("[$text-warning]⚠ $who is on this prospect: $what, $ago[/]", who=colleague.who,
                   what=colleague.summary, ago=ago)

    def _best_time_warning(self, p, step) -> Content | None:
        """Said after the persistence line, not between: at 60×20 a warning there pushed the
        persistence line below the pane's edge."""
        if step is not None and (warning := coaching.best_time_warning(p, step.due_at, step.has_time, self.tz)):
            return say("[$text-warning]⚠ $w[/]", w=warning)
        return None

    def _persistence_line(self, p, step, now) -> Content:
        reply = f"last reply {ago(p.last_reply_at, now, self.tz)}" if p.last_reply_at else "no reply yet"
        text = f"touch {p.touch_count} · {reply}"
        if p.unanswered_streak:
            cadence = coaching.prospect_cadence(p, step.kind if step else None)
            steps = len(cadence.unanswered_steps)
            text += f" · {p.unanswered_streak} without a reply ({cadence.name}: {min(p.unanswered_streak, steps)} of {steps})"
        return Content.from_markup("[$text-muted]$line[/]", line=text)

    def _promises_lines(self, found: ProspectView) -> list[Content]:
        promises = found.promises
        if not promises:
            return []
        record = found.promise_record
        head = f"{record['kept']} kept · {record['late']} late · {record['open']} open"
        lines = [say("[b]Promises[/b] $head", head=head)]
        for step in promises:
            day = local_due(step.due_at, step.has_time, self.tz).format("ddd D MMM")
            state = promise_state(step.due_at, step.has_time, step.done_at, utc_now(), self.tz)
            if step.done_at is not None and step.kept is None:
                state = "moved"
            style = {"kept": "$text-success", "late": "$text-error", "overdue": "$text-error b"}.get(state, "$text-muted")
            lines.append(say(f"  ★ $day [{style}]$state[/] $what", day=day, state=state, what=step.what))
        return lines
