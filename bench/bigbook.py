"""A big, realistic book for benchmarks: `python -m bench.bigbook --db PATH --prospects N --touches M`.

The book is created by `storage.db.open_book` (schema, pragmas, application_id, 0600) and must
have no prospects yet. Everything is generated in Python first (one `random.Random(seed)`, no
global random, no set order), then written through the raw sqlite3 connection with `executemany`
in chunks, inside ONE transaction, with the non-unique indexes dropped during the load and
recreated from their own SQL afterwards (identical to a fresh book's).

What the book holds, placed around `now` (naive UTC) in the rep's zone `tz`:
  - prospects with names, companies, titles, emails, phones, deal values, sources, referrals;
  - ~70% active (promised, overdue, today, upcoming, later, and some with no next step),
    ~18% won (some with check-ins, service calls, thank-yous), ~12% dropped (some to revisit);
  - M touches spread with a skewed distribution (many prospects with a few, some with 20-60),
    in time order per prospect, over every channel, direction and outcome, with notes of varied
    length (empty, one line, multi-line minutes, long pasted emails) holding #tags;
  - follow-ups: done (answered by a touch), snoozed, rescheduled, closed, and at most one open
    per prospect (none for the dropped); promised ones with whether they were kept;
  - tag rows for every #tag of every note (storage.tags.tags_in), in the same load;
  - the search index (storage.search.REINDEX_SQL), filled in the same transaction after the
    rows and their indexes (its seconds are reported as `search_index_seconds`).

Ids are dense and follow time (prospects by creation, follow-ups by creation, touches by `at`),
as in a book that grew by use. The derived prospect fields are computed here exactly as
`storage.actions.refresh_derived` computes them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pendulum

from storage import demo as _vocab  # the demo's names, companies and notes (read only)
from storage import search as _search
from storage.book.clock import local_zone, utc_now
from storage.book.opening import open_book
from storage.book.errors import BookError
from storage.book.models import REPLY_OUTCOMES
from storage.rules.tags import tags_in
from storage.rules.text import clean_line, clean_text

CHUNK = 20_000  # rows per executemany
MAX_TOUCHES = 60  # the long tail of the touch distribution (raised only if M/N demands it)
HISTORY_DAYS = 420  # how far back a typical history reaches
DAY_LO, DAY_HI = -900, 400  # the day offsets the clock table covers
DROP_INDEXES = True  # measured: loading into bare tables then indexing is faster (see report)
POOL = 160  # pre-filled variants per note / step-text template group


class BookNotEmpty(ValueError):
    """The target book already has prospects."""


# ---------------------------------------------------------------------------------------------
# Vocabulary beyond the demo's: longer notes.

_EXTRA = (
    "Budget owner is the finance director.",
    "They are comparing three suppliers this quarter.",
    "Asked whether we integrate with their till system #integration",
    "Wants everything in writing before the next call.",
    "Their contract with the current supplier ends in {month}.",
    "Mentioned a second site opening next year #expansion",
    "Prefers email; calls go to voicemail most days.",
    "Decision by committee, meets the first {weekday} of the month.",
    "Asked for a discount for paying annually #price",
    "Had problems with {competitor}'s support last winter #competitor #feedback",
    "Very friendly, but not the decision-maker.",
    "Needs {n} seats to start, maybe more in spring.",
    "Sent the case study from a similar business nearby.",
    "Wants a trial before committing #trial",
    "Delivery times matter more than price for them #delivery",
    "Their accountant has to sign off on anything over {n}k.",
    "Reminded them about the offer ending this month.",
    "Could be a reference customer if it goes well #referral",
)
_MINUTES_HEAD = (
    "Meeting notes ({weekday}):",
    "Call summary:",
    "Notes from the site visit:",
    "Recap sent to {first} afterwards:",
)
_MINUTES_ITEMS = (
    "- current setup: {competitor}, {n} users",
    "- pain points: slow support, invoices hard to read #feedback",
    "- budget: around {n}k for the year #price",
    "- timeline: decide before {month}",
    "- next: send proposal + two references",
    "- they asked about data export and contract exit terms",
    "- {first} to loop in the owner",
    "- wants onboarding in two weeks, not six #onboarding",
    "- pilot at one site first, then roll out",
    "- concerns: price per seat, training time",
)
_EMAIL_LINES = (
    "Hello,",
    "Thank you for taking the time to walk us through {product} last {weekday}.",
    "We discussed it internally and we have a few more questions before we can move forward.",
    "First, could you confirm the delivery times for our area? We were told 48 hours by {competitor}.",
    "Second, what happens to our data if we decide to stop after the first year?",
    "Third, is there a discount if we sign for {n} months instead of twelve?",
    "Our finance team also needs a proper quote on letterhead, with VAT shown separately.",
    "We would like to decide before the end of {month}, so a reply this week would help a lot.",
    "Kind regards,",
)

_SECTIONS = (("promised", 7), ("overdue", 15), ("today", 10), ("upcoming", 25), ("no_step", 6), ("later", 37))
_STATUS = (("active", 70), ("won", 18), ("dropped", 12))
_RESCHEDULE = (("snoozed", 7), ("rescheduled", 3))


def _flat(weighted: Iterable[tuple[Any, int]]) -> tuple:
    """A weighted table as a flat tuple: `flat[int(random() * len(flat))]` picks by weight."""
    return tuple(value for value, weight in weighted for _ in range(weight))


def _group(channel: str) -> str:
    if channel in ("call", "other"):
        return "call"
    if channel in ("letter", "card"):
        return "post"
    return "meeting" if channel == "meeting" else "written"


# ---------------------------------------------------------------------------------------------
# Time: day offsets in the rep's zone, as epoch seconds; strings as peewee stores them.


class _Clock:
    def __init__(self, now: dt.datetime, tz: str):
        zone = pendulum.timezone(tz)
        local = pendulum.instance(now, tz="UTC").in_timezone(zone)
        self.today = dt.date(local.year, local.month, local.day)
        self.now = int(now.replace(tzinfo=dt.timezone.utc).timestamp())
        # index = offset - DAY_LO: the UTC epoch of local midnight and of local noon that day
        self.midnight: list[int] = []
        self.noon: list[int] = []
        self.weekend: list[bool] = []
        for offset in range(DAY_LO, DAY_HI + 2):
            day = self.today + dt.timedelta(days=offset)
            self.midnight.append(pendulum.datetime(day.year, day.month, day.day, tz=zone).int_timestamp)
            self.noon.append(pendulum.datetime(day.year, day.month, day.day, 12, tz=zone).int_timestamp)
            self.weekend.append(day.weekday() >= 5)
        self._text: dict[int, str] = {}

    def text(self, epoch: int) -> str:
        """'YYYY-MM-DD HH:MM:SS' (naive UTC), as the book stores a DateTimeField."""
        cached = self._text.get(epoch)
        if cached is None:
            cached = self._text[epoch] = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))
        return cached

    def date_text(self, offset: int) -> str:
        return (self.today + dt.timedelta(days=offset)).isoformat()


# ---------------------------------------------------------------------------------------------
# Pools: templates filled once (notes, step texts), with their tags computed once.


class _Pools:
    def __init__(self, rng: random.Random):
        self.rng = rng
        # (direction, outcome, group) -> list of (note, has_first, tags)
        self.notes: dict[tuple[str, str, str], list[tuple[str, bool, tuple[str, ...]]]] = {}
        for direction, table in (("out", _vocab._NOTES), ("in", _vocab._IN_NOTES)):
            for outcome in _vocab._NOTES:
                for group in ("call", "meeting", "written", "post"):
                    src = table.get(outcome, {})
                    pool = src.get(group, ()) + src.get("any", ())
                    if not pool:
                        pool = _vocab._NOTES[outcome].get(group, ()) + _vocab._NOTES[outcome].get("any", ())
                    if not pool:
                        pool = _vocab._NOTES[outcome].get("call", ()) + _vocab._NOTES[outcome].get("any", ())
                    self.notes[(direction, outcome, group)] = self._notes(pool)
        self.won = self._notes(_vocab._WON_NOTES, empty=0.0)
        self.last = self._notes(_vocab._LAST_NOTES, empty=0.0, extra=0.1)
        self.post_sale = [
            (kind, channel, outcome, self._entry(note)) for kind, channel, outcome, note in _vocab._POST_SALE
        ]
        self.what: dict[str, tuple[str, ...]] = {
            kind: self._texts(templates) for kind, templates in _vocab._WHAT.items()
        }
        self.promised_what = self._texts(_vocab._PROMISED_WHAT)

    def fill(self, template: str, first: str = "{first}") -> str:
        rng = self.rng
        return template.format(
            first=first,
            competitor=rng.choice(_vocab._COMPETITORS),
            pct=rng.choice((5, 8, 10, 12, 15, 20)),
            n=rng.choice((3, 5, 6, 10, 12, 20, 24, 40, 50)),
            month=rng.choice(_vocab._MONTHS),
            weekday=rng.choice(_vocab._WEEKDAYS),
            show=rng.choice(_vocab._SHOWS),
            product=rng.choice(_vocab._PRODUCTS),
            count=rng.randint(4, 9),
            ref="a customer",
        )

    def _entry(self, text: str) -> tuple[str, bool, tuple[str, ...]]:
        text = clean_text(text)
        return text, "{first}" in text, tuple(tags_in(text))

    def _notes(self, templates: tuple[str, ...], *, empty: float = 0.08, extra: float = 0.25):
        """Filled variants: some empty, most one line, some with extra sentences, a few
        multi-line minutes or a long pasted email (up to a few thousand characters)."""
        rng = self.rng
        out = []
        for number in range(POOL):
            roll = rng.random()
            if roll < empty or not templates:
                out.append(self._entry(""))
                continue
            text = self.fill(rng.choice(templates))
            roll = rng.random()
            if roll < extra:
                text += " " + " ".join(self.fill(s) for s in rng.sample(_EXTRA, rng.randint(1, 3)))
            elif roll < extra + 0.08:
                items = rng.sample(_MINUTES_ITEMS, rng.randint(3, len(_MINUTES_ITEMS)))
                text = "\n".join([self.fill(rng.choice(_MINUTES_HEAD)), *(self.fill(i) for i in items), text])
            elif roll < extra + 0.11:
                body = [self.fill(line) for line in _EMAIL_LINES]
                repeats = rng.randint(1, 6)  # long threads: the same questions quoted again
                quoted = "\n".join("> " + line for line in body[1:-1]) if repeats > 1 else ""
                text = text + "\n\n" + "\n".join(body) + ("\n\n" + "\n\n".join([quoted] * (repeats - 1)) if quoted else "")
            out.append(self._entry(text))
        return out

    def _texts(self, templates: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(clean_line(self.fill(self.rng.choice(templates), first="them")) for _ in range(POOL // 4))


# ---------------------------------------------------------------------------------------------
# Who: names, companies, contact details.


class _People:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.regions = _flat(_vocab._REGIONS)
        self.titles = _flat(_vocab._TITLES)
        self.best = _flat(_vocab._BEST_TIME)
        self.sources = _flat(_vocab._SOURCES)
        self.preferred = _flat(_vocab._PREFERRED)
        self.recent: dict[str, list[tuple[str, str]]] = {zone: [] for zone in _vocab._FIRST}
        self._slugs: dict[str, str] = {}
        self._domains: dict[str, str] = {}
        self.initials = "ABCDEFGHJKLMNPRSTVW"

    def slug(self, word: str) -> str:
        cached = self._slugs.get(word)
        if cached is None:
            cached = self._slugs[word] = _vocab._slug(word)
        return cached

    def person(self) -> tuple[str, str, dict[str, Any]]:
        rng = self.rng
        rnd = rng.random
        zone = self.regions[int(rnd() * len(self.regions))]
        firsts, lasts = _vocab._FIRST[zone], _vocab._LAST[zone]
        first = firsts[int(rnd() * len(firsts))]
        last = lasts[int(rnd() * len(lasts))]
        roll = rnd()
        if roll < 0.12:
            name = f"{first} {self.initials[int(rnd() * len(self.initials))]}. {last}"
        elif roll < 0.18:
            other = lasts[int(rnd() * len(lasts))]
            name = f"{first} {last}-{other}" if other != last else f"{first} {last}"
        else:
            name = f"{first} {last}"
        company, domain = self.company(zone)
        fields = {
            "name": name,
            "company": company,
            "title": self.titles[int(rnd() * len(self.titles))],
            "email": self.email(first, last, domain) if rnd() > 0.05 else "",
            "phone": self.phone(zone) if rnd() > 0.08 else "",
            "preferred_channel": self.preferred[int(rnd() * len(self.preferred))],
            "best_time": self.best[int(rnd() * len(self.best))],
            "timezone": zone,
            "deal_value": _vocab._deal_value(rng),
            "source": self.sources[int(rnd() * len(self.sources))],
        }
        return first, zone, fields

    def company(self, zone: str) -> tuple[str, str]:
        rng = self.rng
        rnd = rng.random
        recent = self.recent[zone]
        if recent and rnd() < 0.08:  # a second contact at a company already in the book
            return recent[int(rnd() * len(recent))]
        name = _vocab.company_name(rng, zone)
        domain = self._domains.get(name)
        if domain is None:
            tld = {"Europe/Paris": ".fr", "Europe/London": ".co.uk", "Asia/Tokyo": ".co.jp"}.get(zone, ".com")
            words = [self.slug(w) for w in name.replace("&", " ").split()]
            words = [w for w in words if w and w not in ("co", "des", "du", "de", "la")]
            domain = self._domains[name] = "".join(words[:2]) + tld
        if len(recent) < 400:
            recent.append((name, domain))
        else:
            recent[int(rnd() * 400)] = (name, domain)
        return name, domain

    def email(self, first: str, last: str, domain: str) -> str:
        return _vocab.email_address(self.rng.random(), self.slug(first), self.slug(last), domain)

    def phone(self, zone: str) -> str:
        r = self.rng.randrange
        if zone == "Europe/London":
            return f"+44 7700 900{r(1000):03d}"
        if zone == "America/New_York":
            return f"+1 {('212', '646', '718', '917')[r(4)]} 555 01{r(100):02d}"
        if zone == "Asia/Tokyo":
            return f"+81 3 {r(10000):04d} {r(10000):04d}"
        return f"+33 {('1 99 00', '6 39 98')[r(2)]} {r(100):02d} {r(100):02d}"


# ---------------------------------------------------------------------------------------------
# How many touches each prospect gets.


def touch_counts(rng: random.Random, prospects: int, touches: int) -> list[int]:
    """Exactly `touches` spread over `prospects`, skewed: many with a few, some with 20-60."""
    if prospects == 0:
        if touches:
            raise ValueError("Touches need prospects to belong to.")
        return []
    cap = max(MAX_TOUCHES, 3 * math.ceil(touches / prospects))
    rnd = rng.random
    raw = []
    for _ in range(prospects):
        roll = rnd()
        if roll < 0.04:
            raw.append(0.0)
        elif roll < 0.58:
            raw.append(1 + rnd() * 4.5)  # a few
        elif roll < 0.86:
            raw.append(6 + rnd() * 13)  # a conversation
        else:
            raw.append(20 + 40 * rnd() ** 1.6)  # the long tail, 20-60
    total = sum(raw) or 1.0
    scale = touches / total
    counts = [min(cap, int(x * scale)) for x in raw]
    missing = touches - sum(counts)
    # the rounding remainder, one at a time, to prospects that have touches, never past the cap
    some = [i for i, x in enumerate(raw) if x > 0] or list(range(prospects))
    misses = 0
    while missing > 0:
        i = some[int(rnd() * len(some))]
        if counts[i] < cap:
            counts[i] += 1
            missing -= 1
        else:
            misses += 1
            if misses > 8 * prospects:  # nearly full: anyone with room
                some = [j for j in range(prospects) if counts[j] < cap]
                misses = 0
    return counts


# ---------------------------------------------------------------------------------------------
# The generator.


class _Builder:
    def __init__(self, rng: random.Random, now: dt.datetime, tz: str, prospects: int, touches: int):
        self.rng = rng
        self.n = prospects
        self.m = touches
        self.clock = _Clock(now, tz)
        self.pools = _Pools(rng)
        self.people = _People(rng)
        self.sections = _flat(_SECTIONS)
        self.statuses = _flat(_STATUS)
        self.touch_channels = _flat(_vocab._TOUCH_CHANNELS)
        self.in_channels = _flat(_vocab._IN_CHANNELS)
        self.in_outcomes = _flat(_vocab._IN_WEIGHTS)
        self.reply = {g: _flat(w) for g, w in _vocab._REPLY_WEIGHTS.items()}
        self.silent = {g: _flat(w) for g, w in _vocab._SILENT_WEIGHTS.items()}
        self.won_kinds = _flat(_vocab._WON_STEP_KINDS)
        self.reschedule = _flat(_RESCHEDULE)
        self.first_notes = {
            source: [self.pools._entry(self.pools.fill(note)) for _ in range(POOL // 4)]
            for source, (_c, _d, _o, note) in _vocab._FIRST_TOUCH.items()
        }
        self.work = tuple((h - 12) * 3600 + m * 60 for h in _vocab._HOURS for m in range(0, 60, 5))
        self.step_times = tuple((h - 12) * 3600 + m * 60 for h in _vocab._STEP_HOURS for m in _vocab._STEP_MINUTES)
        # output, in generation order
        self.prospects: list[list[Any]] = []  # per prospect: [created_at, index, first, row fields...]
        self.touches: list[tuple] = []  # (prospect index, at, channel, direction, outcome, entry, followup g)
        self.followups: list[list[Any]] = []  # [prospect index, due, has_time, channel, what, kind, promised, created, done, resolution, kept]

    # -- small helpers --------------------------------------------------------------------------

    def pick(self, table: tuple) -> Any:
        return table[int(self.rng.random() * len(table))]

    def days(self, start: int, end: int, k: int) -> list[int]:
        """k day offsets in [start, end], ascending, weekdays preferred (repeats allowed)."""
        if k <= 0:
            return []
        rnd = self.rng.random
        weekend = self.clock.weekend
        width = end - start + 1
        out = []
        for _ in range(k):
            d = start + int(rnd() * width)
            if weekend[d - DAY_LO]:
                d = start + int(rnd() * width)
            out.append(d)
        out.sort()
        return out

    def span_start(self, k: int, end: int) -> int:
        lo = max(k * 3, 3)
        hi = max(lo, HISTORY_DAYS + end)
        return max(DAY_LO + 10, end - (lo + int((hi - lo) * self.rng.random() ** 1.4)))

    def work_time(self, day: int) -> int:
        return self.clock.noon[day - DAY_LO] + self.work[int(self.rng.random() * len(self.work))]

    def midnight(self, day: int) -> int:
        return self.clock.midnight[day - DAY_LO]

    def what(self, kind: str, promised: bool, touches: int) -> str:
        if promised:
            return self.pick(self.pools.promised_what)
        if kind in ("new prospect", "referral") and touches >= 2:
            kind = "in progress"
        return self.pick(self.pools.what[kind])

    def step_channel(self, preferred: str | None, kind: str, last_channel: str | None) -> str:
        rnd = self.rng.random
        if kind == "thank-you" and rnd() < 0.6:
            return "card"
        if kind == "hard-to-reach" and last_channel:
            others = [c for c in ("call", "email", "text", "social", "meeting", "letter") if c != last_channel]
            return others[int(rnd() * len(others))]
        return preferred or ("call" if rnd() < 0.5 else "email")

    def kept(self, due_day: int, has_time: bool, due: int, done: int, resolution: str) -> int | None:
        """As actions._promise_outcome: kept on time by a touch; moved in time is neither."""
        deadline = due + 7200 if has_time else self.clock.midnight[due_day + 1 - DAY_LO]
        on_time = done <= deadline
        if resolution == "done":
            return int(on_time)
        return None if on_time else 0

    def step(self, p: int, due_day: int, due: int, has_time: bool, channel: str, what: str, kind: str,
             promised: bool, created: int, done: int | None = None, resolution: str | None = None) -> int:
        kept = self.kept(due_day, has_time, due, done, resolution) if promised and done is not None else None
        self.followups.append(
            [p, due, int(has_time), channel, what, kind, int(promised), created, done, resolution, kept]
        )
        return len(self.followups) - 1

    # -- one prospect's history ------------------------------------------------------------------

    def history(self, p: int, first: str, fields: dict, days: list[int], answer_rate: float, *,
                inbound: float = 0.12, created: int, forced_last: str | None = None) -> tuple[list[tuple], int]:
        """Touches on `days` (ascending), each answering a scheduled step most of the time.
        Returns the touch tuples (before they are appended) and the time the last step was made."""
        rnd = self.rng.random
        preferred = fields["preferred_channel"]
        referral = fields["source"] == "referral"
        pairs = sorted((self.work_time(d), d) for d in days)
        out: list[tuple] = []
        previous = created
        streak = 0
        n = len(pairs)
        for number, (at, day) in enumerate(pairs):
            if number == 0 and fields["source"] in ("website", "trade show") and rnd() < 0.6:
                channel, direction, outcome, template = _vocab._FIRST_TOUCH[fields["source"]]
                entry = self.first_notes[fields["source"]]
                entry = entry[int(rnd() * len(entry))] if rnd() < 0.5 else self.pick_note(direction, outcome, channel)
            elif rnd() < inbound:
                direction = "in"
                channel = self.pick(self.in_channels)
                outcome = self.pick(self.in_outcomes)
                if outcome == "replied" and channel in ("call", "meeting"):
                    outcome = "talked"
                entry = self.pick_note(direction, outcome, channel)
            else:
                direction = "out"
                channel = preferred if preferred and rnd() < 0.45 else self.pick(self.touch_channels)
                group = _group(channel)
                group = "written" if group == "post" else group
                if rnd() < answer_rate:
                    outcome = self.pick(self.reply[group])
                    if outcome == "not interested" and number < 3:
                        outcome = "not now"
                else:
                    outcome = self.pick(self.silent[group])
                entry = self.pick_note(direction, outcome, channel)
            if forced_last is not None and number == n - 1:
                direction, outcome = "out", forced_last
                if outcome in ("talked", "left message") and _group(channel) != "call" and channel != "meeting":
                    channel = "call"
                if outcome == "left message" and channel == "meeting":
                    channel = "call"
                entry = self.pick_note("out", outcome, channel)
            followup = -1
            if direction == "out" and rnd() < 0.8:
                if streak >= 3:
                    kind = "hard-to-reach"
                elif number == 0 and referral:
                    kind = "referral"
                else:
                    kind = "new prospect" if rnd() < 0.92 else "new offering"
                promised = rnd() < 0.06
                step_channel = channel if rnd() < 0.85 else self.step_channel(preferred, kind, None)
                what = self.what(kind, promised, number)
                due_day = day - (0, 0, 0, 1, 2)[int(rnd() * 5)]
                due = self.midnight(due_day)
                if due <= previous:
                    due_day, due = day, self.midnight(day)
                if rnd() < 0.1 and at - previous > 7200:  # moved once before it was done
                    moved_at = previous + int((at - previous) * rnd()) // 300 * 300
                    moved_at = max(moved_at, previous + 60)
                    early_day = due_day - 1 - int(rnd() * 3)
                    early = self.midnight(early_day)
                    self.step(p, early_day, early, False, step_channel, what, kind, promised, previous,
                              moved_at, self.pick(self.reschedule))
                    previous = moved_at
                followup = self.step(p, due_day, due, False, step_channel, what, kind, promised, previous, at, "done")
            out.append((p, at, channel, direction, outcome, entry, followup))
            streak = 0 if outcome in REPLY_OUTCOMES else streak + 1
            previous = at
        return out, previous

    def pick_note(self, direction: str, outcome: str, channel: str) -> tuple:
        pool = self.pools.notes[(direction, outcome, _group(channel))]
        return pool[int(self.rng.random() * len(pool))]

    def derive(self, touches: list[tuple]) -> tuple[int, int | None, int | None, int]:
        """touch_count, last_touch_at, last_reply_at, unanswered_streak, in (at, id) order."""
        last_reply = None
        streak = 0
        for t in touches:
            if t[4] in REPLY_OUTCOMES:
                last_reply = t[1]
                streak = 0
            else:
                streak += 1
        return len(touches), (touches[-1][1] if touches else None), last_reply, streak

    def prospect(self, p: int, count: int) -> None:
        rng = self.rng
        rnd = rng.random
        first, _zone, fields = self.people.person()
        status = self.pick(self.statuses) if count else "active"
        open_step: int | None = None
        drop_reason, revisit_on, closed_at = "", None, None
        touches: list[tuple] = []

        if status == "active":
            section = self.pick(self.sections)
            answer_rate = 0.12 if rnd() < 0.2 else 0.3 + 0.5 * rnd()
            if section == "no_step":
                end, due = -(3 + int(rnd() * 43)), None
            else:
                due = self.due(section)
                end = min(-1, due[0] - 1)
            if count:
                days = self.days(self.span_start(count, end), end, count)
                created = self.created(days[0])
                touches, last = self.history(p, first, fields, days, answer_rate, created=created)
            else:
                created = self.created(end - int(rnd() * 20) + 1)
                last = created
            if due is not None:
                offset, moment, has_time = due
                streak = self.derive(touches)[3]
                if fields["source"] == "referral" and count <= 2:
                    kind = "referral"
                elif streak >= 3 and count:
                    kind = "hard-to-reach"
                elif offset > 0 and count and rnd() < 0.12:
                    kind = "new offering"
                else:
                    kind = "new prospect"
                promised = section == "promised"
                last_channel = touches[-1][2] if touches else None
                open_step = self.step(p, offset, moment, has_time,
                                      self.step_channel(fields["preferred_channel"], kind, last_channel),
                                      self.what(kind, promised, count), kind, promised, last)

        elif status == "won":
            closed = -(3 + int(rnd() * 300))
            post = 0
            if count >= 3 and closed + 7 <= -1 and rnd() < 0.45:
                post = min(count - 2, 1 + int(rnd() * 3))
            pre = count - post
            days = self.days(self.span_start(pre, closed), closed - 1, pre - 1)
            first_day = days[0] if days else closed
            created = self.created(first_day)
            touches, last = self.history(p, first, fields, days, 0.4 + 0.45 * rnd(), created=created)
            final_at = max(self.work_time(closed), last + 300)
            channel = ("meeting", "call", "call", "email")[int(rnd() * 4)]
            outcome = "replied" if channel == "email" else "talked"
            fu = -1
            if rnd() < 0.7:
                fu = self.step(p, closed, self.midnight(closed) if self.midnight(closed) > last else final_at,
                               False, channel, self.what("new prospect", False, len(touches)), "new prospect",
                               False, last, final_at, "done")
            touches.append((p, final_at, channel, "out", outcome, self.pick(self.pools.won), fu))
            closed_at = final_at + 300 * (1 + int(rnd() * 18))
            if rnd() < 0.3:  # the step that was open at the sale, closed by it
                due_day = closed + 1 + int(rnd() * 7)
                self.step(p, due_day, self.midnight(due_day), False, channel,
                          self.what("new prospect", False, len(touches)), "new prospect", False,
                          final_at, closed_at, "closed")
            previous = closed_at
            for day in self.days(closed + 7, -1, post):
                kind, channel, outcome, entry = self.pick(self.pools.post_sale)
                at = max(self.work_time(day), previous + 60)
                fu = self.step(p, day, self.midnight(day) if self.midnight(day) > previous else at, False, channel,
                               self.what(kind, False, 9), kind, False, previous, at, "done")
                touches.append((p, at, channel, "out", outcome, entry, fu))
                previous = at
            if rnd() < 0.65:  # the customer's next step: a check-in, a thank-you, a service call...
                kind = self.pick(self.won_kinds)
                offset = 1 + int(rnd() * 90) if rnd() < 0.85 else 1 + int(rnd() * 7)
                if rnd() < 0.15:
                    moment, has_time = self.clock.noon[offset - DAY_LO] + self.pick(self.step_times), True
                else:
                    moment, has_time = self.midnight(offset), False
                open_step = self.step(p, offset, moment, has_time,
                                      self.step_channel(fields["preferred_channel"], kind, None),
                                      self.what(kind, False, count), kind, False, previous)

        else:  # dropped
            reason, forced, revisit_chance = self.pick(_vocab._DROP_REASONS)
            silent = forced is None
            drop_day = -(2 + int(rnd() * 300))
            last_note = rnd() < 0.5
            k = count - last_note
            days = self.days(self.span_start(max(k, 1), drop_day - 1), drop_day - 1, k)
            created = self.created(days[0] if days else drop_day)
            if k:
                touches, last = self.history(p, first, fields, days, 0.0 if silent else 0.3 + 0.4 * rnd(),
                                             inbound=0.0 if silent else 0.12, created=created, forced_last=forced)
            else:
                last = created
            closed_at = max(self.work_time(drop_day), last + 300)
            streak = self.derive(touches)[3]
            kind = "hard-to-reach" if streak >= 3 else "new prospect"
            due_day = drop_day - (0, 1, 2)[int(rnd() * 3)]
            due = self.midnight(due_day)
            if due <= last:
                due_day, due = drop_day, self.midnight(drop_day)
            last_channel = touches[-1][2] if touches else None
            channel = self.step_channel(fields["preferred_channel"], kind, last_channel)
            self.step(p, due_day, due, False, channel, self.what(kind, False, len(touches)), kind, False, last,
                      closed_at, "closed")
            if last_note:  # as drop() logs it: at the moment of the drop, answering no step
                touches.append((p, closed_at, channel, "out", "left message", self.pick(self.pools.last), -1))
            drop_reason = clean_line(self.pools.fill(reason.replace("{count}", str(len(touches)))))
            if rnd() < revisit_chance:
                revisit_on = self.clock.date_text(20 + int(rnd() * 181))

        self.touches.extend(touches)
        count_, last_at, last_reply, streak = self.derive(touches)
        assert count_ == count, (count_, count, status)
        self.prospects.append(
            [created, p, first, fields, status, drop_reason, revisit_on, closed_at,
             count_, last_at, last_reply, streak, open_step]
        )

    def created(self, first_day: int) -> int:
        day = first_day - 1 - int(self.rng.random() * 4)
        return self.clock.noon[day - DAY_LO] + self.work[int(self.rng.random() * len(self.work))]

    def due(self, section: str) -> tuple[int, int, bool]:
        """(day offset, due epoch, has_time) of an open step in `section`, as the queue sorts it."""
        rnd = self.rng.random
        timed = rnd()
        if section == "promised":
            roll = rnd()
            offset = -(1 + int(rnd() * 5)) if roll < 0.35 else 0 if roll < 0.6 else 1 + int(rnd() * 7)
            timed *= 0.5
        elif section == "overdue":
            offset = -(1 + int(rnd() * 30))
        elif section == "today":
            offset = 0
            timed *= 0.4
        elif section == "upcoming":
            offset = 1 + int(rnd() * 7)
        else:  # later
            offset = 8 + min(int(self.rng.expovariate(1 / 18)), 110)
        if timed < 0.2:
            return offset, self.clock.noon[offset - DAY_LO] + self.pick(self.step_times), True
        return offset, self.midnight(offset), False

    # -- all of it -------------------------------------------------------------------------------

    def build(self) -> None:
        counts = touch_counts(self.rng, self.n, self.m)
        for p, count in enumerate(counts):
            self.prospect(p, count)
        # Ids follow time: prospects by creation, follow-ups by creation, touches by `at`.
        self.prospects.sort(key=lambda row: (row[0], row[1]))
        self.pid = [0] * self.n
        for number, row in enumerate(self.prospects, start=1):
            self.pid[row[1]] = number
        f1 = len(self.followups) + 1
        keys = [row[7] * f1 + g for g, row in enumerate(self.followups)]
        keys.sort()
        self.followup_order = [key % f1 for key in keys]
        self.fid = [0] * len(self.followups)
        for number, g in enumerate(self.followup_order, start=1):
            self.fid[g] = number
        t1 = len(self.touches) + 1
        keys = [row[1] * t1 + g for g, row in enumerate(self.touches)]
        keys.sort()
        self.touch_order = [key % t1 for key in keys]
        # Referrals: someone already in the book (a customer more often than not).
        rnd = self.rng.random
        self.referrer: dict[int, int] = {}
        customers: list[int] = []
        for number, row in enumerate(self.prospects, start=1):
            if row[3]["source"] == "referral" and number > 1 and rnd() < 0.75:
                if customers and rnd() < 0.6:
                    self.referrer[number] = customers[int(rnd() * len(customers))]
                else:
                    self.referrer[number] = 1 + int(rnd() * (number - 1))
            if row[4] == "won":
                customers.append(number)

    # -- rows ------------------------------------------------------------------------------------

    def prospect_rows(self, now_text: str) -> Iterator[tuple]:
        text = self.clock.text
        fu = self.followups
        for number, row in enumerate(self.prospects, start=1):
            created, _, _, f, status, drop_reason, revisit_on, closed_at, count, last_at, last_reply, streak, step = row
            step_row = fu[step] if step is not None else None
            yield (
                number, f["name"], f["company"], f["title"], f["email"], f["phone"], f["preferred_channel"],
                f["best_time"], f["timezone"], f["deal_value"], f["source"], self.referrer.get(number), None,
                status, drop_reason, revisit_on, text(closed_at) if closed_at is not None else None,
                text(created), now_text, count, text(last_at) if last_at is not None else None,
                text(last_reply) if last_reply is not None else None, streak,
                text(step_row[1]) if step_row else None, step_row[6] if step_row else 0,
                step_row[5] if step_row else None,
            )

    def followup_rows(self) -> Iterator[tuple]:
        text = self.clock.text
        fu, pid = self.followups, self.pid
        for number, g in enumerate(self.followup_order, start=1):
            p, due, has_time, channel, what, kind, promised, created, done, resolution, kept = fu[g]
            yield (number, pid[p], text(due), has_time, channel, what, kind, promised, text(created),
                   text(done) if done is not None else None, resolution, kept)

    def touch_rows(self, tags: list[tuple]) -> Iterator[tuple]:
        """Touch rows in id order; fills `tags` with (prospect_id, touch_id, name) on the way."""
        text = self.clock.text
        touches, pid, fid = self.touches, self.pid, self.fid
        firsts = {row[1]: row[2] for row in self.prospects}
        add_tag = tags.append
        for number, g in enumerate(self.touch_order, start=1):
            p, at, channel, direction, outcome, (note, has_first, names), followup = touches[g]
            prospect_id = pid[p]
            if has_first:
                note = note.replace("{first}", firsts[p])
                if names:
                    names = tags_in(note)
            for name in names:
                add_tag((prospect_id, number, name))
            yield (number, prospect_id, text(at), channel, direction, outcome, note,
                   fid[followup] if followup >= 0 else None)


# ---------------------------------------------------------------------------------------------
# Writing it.

_INSERT_PROSPECT = (
    'INSERT INTO "prospect" ("id", "name", "company", "title", "email", "phone", "preferred_channel", '
    '"best_time", "timezone", "deal_value", "source", "referred_by_id", "cadence", "status", "drop_reason", '
    '"revisit_on", "closed_at", "created_at", "updated_at", "touch_count", "last_touch_at", "last_reply_at", '
    '"unanswered_streak", "next_due_at", "next_promised", "next_kind") '
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_FOLLOWUP = (
    'INSERT INTO "follow_up" ("id", "prospect_id", "due_at", "has_time", "channel", "what", "kind", '
    '"promised", "created_at", "done_at", "resolution", "kept") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
)
_INSERT_TOUCH = (
    'INSERT INTO "touch" ("id", "prospect_id", "at", "channel", "direction", "outcome", "note", "followup_id") '
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_TAG = 'INSERT INTO "tag" ("prospect_id", "touch_id", "name") VALUES (?, ?, ?)'


def _chunks(rows: Iterable[tuple], size: int = CHUNK) -> Iterator[list[tuple]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _insert(conn, sql: str, rows: Iterable[tuple]) -> int:
    written = 0
    for batch in _chunks(rows):
        conn.executemany(sql, batch)
        written += len(batch)
    return written


def build_big_book(
    path: str | Path,
    prospects: int,
    touches: int,
    seed: int = 1,
    now: dt.datetime | None = None,
    *,
    tz: str | None = None,
    drop_indexes: bool = DROP_INDEXES,
) -> dict[str, Any]:
    """Write a big realistic book at `path` (created if need be; it must have no prospects).
    `now` is naive UTC (default: storage.clock.utc_now()); `tz` the rep's zone (default: the
    rep's, storage.clock.local_zone()). Returns the counts written and the seconds taken."""
    if prospects < 0 or touches < 0:
        raise ValueError("The numbers of prospects and touches cannot be negative.")
    if touches and not prospects:
        raise ValueError("Touches need prospects to belong to.")
    started = time.perf_counter()
    if now is None:
        now = utc_now()
    elif now.tzinfo is not None:
        now = now.astimezone(dt.timezone.utc).replace(tzinfo=None)
    now = now.replace(microsecond=0)
    tz = tz or local_zone()

    db = open_book(path)
    try:
        conn = db.connection()
        if conn.execute('SELECT EXISTS (SELECT 1 FROM "prospect")').fetchone()[0]:
            raise BookNotEmpty(f"{path} already has prospects; the big book is only written into an empty book.")

        builder = _Builder(random.Random(seed), now, tz, prospects, touches)
        builder.build()
        generated = time.perf_counter()

        synchronous = conn.execute("PRAGMA synchronous").fetchone()[0]
        cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")  # 256 MiB for the load
        counts: dict[str, int] = {}
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if conn.execute('SELECT EXISTS (SELECT 1 FROM "prospect")').fetchone()[0]:  # under the lock
                    raise BookNotEmpty(f"{path} already has prospects; the big book is only written into an empty book.")
                indexes = conn.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid"
                ).fetchall()
                if drop_indexes:
                    for name, _sql in indexes:
                        conn.execute(f'DROP INDEX "{name}"')
                counts["prospects"] = _insert(conn, _INSERT_PROSPECT, builder.prospect_rows(builder.clock.text(builder.clock.now)))
                counts["follow_ups"] = _insert(conn, _INSERT_FOLLOWUP, builder.followup_rows())
                tag_rows: list[tuple] = []
                counts["touches"] = _insert(conn, _INSERT_TOUCH, builder.touch_rows(tag_rows))
                counts["tags"] = _insert(conn, _INSERT_TAG, tag_rows)
                if drop_indexes:
                    for _name, sql in indexes:
                        conn.execute(sql)
                indexed = time.perf_counter()
                for sql in _search.REINDEX_SQL:  # the search index, in the same transaction
                    conn.execute(sql)
                search_seconds = time.perf_counter() - indexed
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.execute(f"PRAGMA synchronous = {int(synchronous)}")
            conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        written = time.perf_counter()
    finally:
        db.close()
    rows = sum(counts.values())
    seconds = written - started
    return {
        "path": str(path),
        **counts,
        "rows": rows,
        "seconds": round(seconds, 3),
        "generate_seconds": round(generated - started, 3),
        "write_seconds": round(written - generated, 3),
        "rows_per_second": round(rows / seconds) if seconds else 0,
        "search_index_seconds": round(search_seconds, 3),
    }


def _parse_now(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bigbook", description="Write a big, realistic book.")
    parser.add_argument("--db", required=True, help="the book file to create (must have no prospects)")
    parser.add_argument("--prospects", type=int, required=True)
    parser.add_argument("--touches", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", type=_parse_now, default=None, help="ISO moment the book is placed around (UTC if naive)")
    parser.add_argument("--tz", default=None, help="the rep's time zone (default: FOLLOWUP_TZ or the machine's)")
    args = parser.parse_args(argv)
    try:
        result = build_big_book(args.db, args.prospects, args.touches, seed=args.seed, now=args.now, tz=args.tz)
    except (BookNotEmpty, ValueError) as exc:
        print(f"bigbook: {exc}", file=sys.stderr)
        return 2
    except BookError as exc:
        print(f"bigbook: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    print(
        f"Wrote {result['prospects']:,} prospects, {result['touches']:,} touches, {result['follow_ups']:,} follow-ups"
        f" and {result['tags']:,} tags to {result['path']} in {result['seconds']:.1f} s"
        f" (generate {result['generate_seconds']:.1f} s, write {result['write_seconds']:.1f} s;"
        f" {result['rows_per_second']:,} rows/s; search index {result['search_index_seconds']:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
