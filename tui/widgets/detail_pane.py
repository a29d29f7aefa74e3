"""The detail pane: who the selected prospect is, how and when to reach them, the next step."""

from __future__ import annotations

import datetime as dt

import pendulum
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from storage import reads
from storage.clock import local_now
from storage.dates import due_label, from_utc, zone
from storage.models import CHANNEL_LABELS
from tui.text import literal, money, say


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


class DetailPane(Static):
    """Shows one prospect; the desk sets `prospect_id`, the pane reads the book."""

    DEFAULT_CSS = """
    DetailPane { padding: 0 1; height: auto; }
    """
    prospect_id: reactive[int | None] = reactive(None, always_update=True)

    def __init__(self, tz: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tz = tz

    def watch_prospect_id(self, prospect_id: int | None) -> None:
        self.update(self.describe(prospect_id))

    def describe(self, prospect_id: int | None) -> Content:
        found = reads.detail(prospect_id) if prospect_id is not None else None
        if found is None:
            return Content("No prospect selected.")
        p, step, now = found.prospect, found.next_step, local_now(self.tz)
        lines: list[Content] = [
            say("[b]$name[/b]  $status", name=p.name, status=p.status),
        ]
        role = " · ".join(part for part in (p.title, p.company) if part)
        if role:
            lines.append(literal(role, one_line=True))
        contact = "   ".join(part for part in (p.email, p.phone) if part)
        if contact:
            lines.append(literal(contact, one_line=True))
        reach = f"Prefers {channel_name(p.preferred_channel)}"
        if p.best_time:
            reach += f" · best {p.best_time}"
        if p.timezone:
            reach += f" · {p.timezone}"
            try:
                reach += f" (their time {pendulum.now(zone(p.timezone)).format('ddd HH:mm')})"
            except Exception:  # a zone this machine does not know, from a book made elsewhere
                pass
        lines.append(literal(reach, one_line=True))
        facts = f"Deal value {money(p.deal_value)}"
        if p.source:
            facts += f" · source {p.source}"
        if found.referred_by_name:
            facts += f" · referred by {found.referred_by_name}"
        lines.append(literal(facts, one_line=True))
        if status := self._status_line(p, now):
            lines.append(status)
        lines.append(self._next_line(step, now))
        reply = ago(p.last_reply_at, now, self.tz) if p.last_reply_at else "no reply yet"
        persistence = f"touch {p.touch_count} · last reply {reply}" if p.last_reply_at else f"touch {p.touch_count} · {reply}"
        if p.unanswered_streak:
            persistence += f" · {p.unanswered_streak} without a reply"
        lines.append(Content.from_markup("[$text-muted]$line[/]", line=persistence))
        return Content("\n").join(lines)

    def _status_line(self, p, now) -> Content | None:
        if p.status == "won" and p.closed_at:
            return Content(f"Won {ago(p.closed_at, now, self.tz)}")
        if p.status == "dropped":
            text = f"Dropped: {p.drop_reason}"
            if p.revisit_on:
                text += f" · revisit {p.revisit_on:%a %-d %b %Y}"
            return literal(text, one_line=True)
        return None

    def _next_line(self, step, now) -> Content:
        if step is None:
            return Content.from_markup("[$text-warning]Next: no next step — press l to log or e to set one[/]")
        when = due_label(from_utc(step.due_at, self.tz), step.has_time, now)
        text = f"{when} · {channel_name(step.channel)} · {step.kind}"
        if step.what:
            text += f" — {step.what}"
        if step.promised:
            return say("[b]Next[/b] [$text-warning b]★ promised[/] $step", step=text)
        return say("[b]Next[/b] $step", step=text)
