"""What the big book's notes and step texts say: the demo's material (storage.demo.material),
filled once into pools of variants with their tags, plus longer notes than the demo has (extra
sentences, meeting minutes, long pasted emails), so notes run from empty to a few thousand
characters."""

from __future__ import annotations

import random

from storage.demo import material
from storage.demo.conversation import fill, note_templates
from storage.rules.tags import tags_in
from storage.rules.text import clean_line, clean_text

POOL = 160  # pre-filled variants per note / step-text template group

EXTRA = (
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
MINUTES_HEAD = (
    "Meeting notes ({weekday}):",
    "Call summary:",
    "Notes from the site visit:",
    "Recap sent to {first} afterwards:",
)
MINUTES_ITEMS = (
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
EMAIL_LINES = (
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

Entry = tuple[str, bool, tuple[str, ...]]  # (cleaned note, holds "{first}", its tags)


class Pools:
    """Templates filled once (notes, step texts), with their tags computed once."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        # (direction, outcome, channel group) -> variants
        self.notes: dict[tuple[str, str, str], list[Entry]] = {}
        for direction in ("out", "in"):
            for outcome in material.NOTES:
                for group in ("call", "meeting", "written", "post"):
                    pool = note_templates(direction, outcome, group) or note_templates("out", outcome, "call")
                    self.notes[(direction, outcome, group)] = self._notes(pool)
        self.won = self._notes(material.WON_NOTES, empty=0.0)
        self.last = self._notes(material.LAST_NOTES, empty=0.0, extra=0.1)
        self.post_sale = [
            (kind, channel, outcome, self.entry(note)) for kind, channel, outcome, note in material.POST_SALE
        ]
        self.what: dict[str, tuple[str, ...]] = {kind: self._texts(templates) for kind, templates in material.WHAT.items()}
        self.promised_what = self._texts(material.PROMISED_WHAT)

    def fill(self, template: str, first: str = "{first}") -> str:
        """A template's blanks drawn; the first name stays a blank, filled per prospect."""
        return fill(self.rng, template, first=first, ref="a customer")

    def entry(self, text: str) -> Entry:
        text = clean_text(text)
        return text, "{first}" in text, tuple(tags_in(text))

    def _notes(self, templates: tuple[str, ...], *, empty: float = 0.08, extra: float = 0.25) -> list[Entry]:
        """Filled variants: some empty, most one line, some with extra sentences, a few
        multi-line minutes or a long pasted email (up to a few thousand characters)."""
        rng = self.rng
        out = []
        for _ in range(POOL):
            roll = rng.random()
            if roll < empty or not templates:
                out.append(self.entry(""))
                continue
            text = self.fill(rng.choice(templates))
            roll = rng.random()
            if roll < extra:
                text += " " + " ".join(self.fill(s) for s in rng.sample(EXTRA, rng.randint(1, 3)))
            elif roll < extra + 0.08:
                items = rng.sample(MINUTES_ITEMS, rng.randint(3, len(MINUTES_ITEMS)))
                text = "\n".join([self.fill(rng.choice(MINUTES_HEAD)), *(self.fill(i) for i in items), text])
            elif roll < extra + 0.11:
                body = [self.fill(line) for line in EMAIL_LINES]
                repeats = rng.randint(1, 6)  # long threads: the same questions quoted again
                quoted = "\n".join("> " + line for line in body[1:-1]) if repeats > 1 else ""
                text = text + "\n\n" + "\n".join(body) + ("\n\n" + "\n\n".join([quoted] * (repeats - 1)) if quoted else "")
            out.append(self.entry(text))
        return out

    def _texts(self, templates: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(clean_line(self.fill(self.rng.choice(templates), first="them")) for _ in range(POOL // 4))
