"""The generated big book as rows, in the order a book that grew by use numbers them: prospects
by creation, follow-ups by creation, touches by time (ties in the order they were made). The ids
themselves come from the load (storage.actions.bulk.BulkLoad.ids), in that order."""

from __future__ import annotations

from collections.abc import Iterator

from bench.bigbook.stories import Stories
from storage.rules.tags import tags_in

# field names as the models name them, in the order of the tuples below
PROSPECT_FIELDS = (
    "id", "name", "company", "title", "email", "phone", "preferred_channel", "best_time", "timezone",
    "deal_value", "source", "referred_by", "cadence", "status", "drop_reason", "revisit_on", "closed_at",
    "created_at", "updated_at", "touch_count", "last_touch_at", "last_reply_at", "unanswered_streak",
    "next_due_at", "next_promised", "next_kind", "next_has_time",
)
FOLLOWUP_FIELDS = (
    "id", "prospect", "due_at", "has_time", "channel", "what", "kind", "promised", "created_at", "done_at",
    "resolution", "kept",
)
TOUCH_FIELDS = ("id", "prospect", "at", "channel", "direction", "outcome", "note", "followup", "kind")
TAG_FIELDS = ("prospect", "touch", "name")


def _order(values: list[int]) -> list[int]:
    """Places in `values` sorted by (value, place): a sort of plain ints, fast on millions."""
    width = len(values) + 1
    keys = [value * width + place for place, value in enumerate(values)]
    keys.sort()
    return [key % width for key in keys]


class BookRows:
    def __init__(self, stories: Stories):
        self.stories = stories
        self.prospects = sorted(stories.prospects, key=lambda story: (story.created, story.index))
        self.rank = [0] * len(self.prospects)  # prospect index -> its place in id order
        for rank, story in enumerate(self.prospects):
            self.rank[story.index] = rank
        followups = stories.steps.rows
        self.followup_order = _order([row[7] for row in followups])
        self.followup_rank = [0] * len(followups)
        for rank, g in enumerate(self.followup_order):
            self.followup_rank[g] = rank
        self.touch_order = _order([row[1] for row in stories.touches])
        # Referrals: someone already in the book (a customer more often than not), by place.
        rnd = stories.rng.random
        self.referrer: dict[int, int] = {}
        customers: list[int] = []
        for rank, story in enumerate(self.prospects):
            if story.fields["source"] == "referral" and rank > 0 and rnd() < 0.75:
                if customers and rnd() < 0.6:
                    self.referrer[rank] = customers[int(rnd() * len(customers))]
                else:
                    self.referrer[rank] = int(rnd() * rank)
            if story.status == "won":
                customers.append(rank)

    def prospect_rows(self, ids: list[int]) -> Iterator[tuple]:
        text = self.stories.clock.text
        now_text = text(self.stories.clock.now)
        referrer = self.referrer
        for rank, story in enumerate(self.prospects):
            f, d, closed_at = story.fields, story.derived, story.closed_at
            ref = referrer.get(rank)
            last_at, last_reply, next_due = d["last_touch_at"], d["last_reply_at"], d["next_due_at"]
            yield (
                ids[rank], f["name"], f["company"], f["title"], f["email"], f["phone"], f["preferred_channel"],
                f["best_time"], f["timezone"], f["deal_value"], f["source"], ids[ref] if ref is not None else None,
                None, story.status, story.drop_reason, story.revisit_on,
                text(closed_at) if closed_at is not None else None, text(story.created), now_text,
                d["touch_count"], text(last_at) if last_at is not None else None,
                text(last_reply) if last_reply is not None else None, d["unanswered_streak"],
                text(next_due) if next_due is not None else None, d["next_promised"], d["next_kind"],
                d["next_has_time"],
            )

    def followup_rows(self, ids: list[int], prospect_ids: list[int]) -> Iterator[tuple]:
        text = self.stories.clock.text
        rows, rank = self.stories.steps.rows, self.rank
        for place, g in enumerate(self.followup_order):
            p, due, has_time, channel, what, kind, promised, created, done, resolution, kept = rows[g]
            yield (ids[place], prospect_ids[rank[p]], text(due), has_time, channel, what, kind, promised,
                   text(created), text(done) if done is not None else None, resolution, kept)

    def touch_rows(self, ids: list[int], prospect_ids: list[int], followup_ids: list[int],
                   tags: list[tuple]) -> Iterator[tuple]:
        """Touch rows in id order; fills `tags` with (prospect id, touch id, name) on the way."""
        text = self.stories.clock.text
        touches, rank, followup_rank = self.stories.touches, self.rank, self.followup_rank
        steps = self.stories.steps.rows
        firsts = {story.index: story.first for story in self.prospects}
        add_tag = tags.append
        for place, g in enumerate(self.touch_order):
            p, at, channel, direction, outcome, (note, has_first, names), followup = touches[g]
            prospect_id, touch_id = prospect_ids[rank[p]], ids[place]
            if has_first:
                note = note.replace("{first}", firsts[p])
                if names:
                    names = tags_in(note)
            for name in names:
                add_tag((prospect_id, touch_id, name))
            yield (touch_id, prospect_id, text(at), channel, direction, outcome, note,
                   followup_ids[followup_rank[followup]] if followup >= 0 else None,
                   steps[followup][5] if followup >= 0 else "")  # the step's kind
