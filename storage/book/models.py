"""The book's tables. Only the models; the rules of what may be written live in storage.actions."""

from __future__ import annotations

import peewee as pw

# Bound at open time (storage.book.opening.open_book), so the same models serve a file, a test file
# or a PostgreSQL URL.
database = pw.DatabaseProxy()


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class DropReason(BaseModel):
    """The reasons a rep picks from when dropping a prospect (seeded with the usual ones, in this
    order; a reason typed in the drop dialog joins the list), so the reports can count why deals
    are lost. The prospect keeps the rep's own words too (Prospect.drop_reason)."""

    label = pw.CharField(max_length=100, unique=True)
    position = pw.IntegerField()  # the list's order


class Prospect(BaseModel):
    name = pw.CharField(max_length=200)
    company = pw.CharField(max_length=200, default="")
    title = pw.CharField(max_length=200, default="")
    email = pw.CharField(max_length=320, default="")
    phone = pw.CharField(max_length=64, default="")
    preferred_channel = pw.CharField(max_length=16, null=True)
    best_time = pw.CharField(max_length=100, default="")
    timezone = pw.CharField(max_length=64, default="")
    deal_value = pw.BigIntegerField(default=0)  # up to storage.rules.amounts.LARGEST (10**12)
    source = pw.CharField(max_length=200, default="")
    referred_by = pw.ForeignKeyField("self", null=True, backref="referrals", on_delete="SET NULL")
    cadence = pw.CharField(max_length=32, null=True)  # a chosen cadence; None: the kind's default
    # background the rep keeps about them (what an imported CRM's "Notes" column holds); not a touch
    notes = pw.TextField(default="", constraints=[pw.SQL("DEFAULT ''")])
    status = pw.CharField(max_length=16, default="active")
    drop_reason = pw.CharField(max_length=500, default="")  # the rep's words (else the picked reason's label)
    picked_reason = pw.ForeignKeyField(DropReason, null=True, on_delete="SET NULL")  # what reports count
    # What closed the sale (terms, what they bought, who signed): on the prospect, not a touch, so
    # the touches it took to close and the derived fields stay those of real contacts.
    closing_note = pw.TextField(default="", constraints=[pw.SQL("DEFAULT ''")])
    revisit_on = pw.DateField(null=True)
    closed_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField()
    updated_at = pw.DateTimeField()
    # Derived, kept in step by every action in the same transaction, so the queue and the
    # detail pane read one row instead of aggregating the history.
    touch_count = pw.IntegerField(default=0)
    last_touch_at = pw.DateTimeField(null=True)
    last_reply_at = pw.DateTimeField(null=True)
    unanswered_streak = pw.IntegerField(default=0)
    next_due_at = pw.DateTimeField(null=True)
    next_promised = pw.BooleanField(default=False)
    next_kind = pw.CharField(max_length=32, null=True)
    next_has_time = pw.BooleanField(default=False)  # the open step has a time of day (see FollowUp.due_at)
    # On a team's server book, the rep (server role) it belongs to; None: shared by the team. No
    # default here: the server's column defaults to the connected role (engines/postgres_team.py).
    # A book in a file has one rep: always None there.
    owner = pw.CharField(max_length=200, null=True)


# The queue reads in this order: promised or not, by due time, then largest deal first; whether the
# step has a time comes last, read from the index (a section's day is cut by it), not sorted by.
Prospect.add_index(Prospect.next_promised, Prospect.next_due_at, Prospect.deal_value.desc(), Prospect.id,
                   Prospect.next_has_time)
Prospect.add_index(Prospect.name)  # who referred whom is typed by name
Prospect.add_index(Prospect.email)  # an import finds the prospect it would double
Prospect.add_index(Prospect.status, Prospect.revisit_on)  # dropped prospects coming back today
# The closed book: won or dropped, newest closed first (a page never sorts the closed rows).
Prospect.add_index(Prospect.status, Prospect.closed_at.desc(), Prospect.id.desc())
# "No next step": active prospects without a follow-up, largest deal first.
Prospect.add_index(Prospect.status, Prospect.next_due_at, Prospect.deal_value.desc(), Prospect.id)
# The reports' pipeline by kind: the active prospects' deal values by their next step's kind.
Prospect.add_index(Prospect.status, Prospect.next_kind, Prospect.deal_value)


class FollowUp(BaseModel):
    """A scheduled next step. A prospect has at most one open (done_at is null) at a time."""

    prospect = pw.ForeignKeyField(Prospect, backref="followups", on_delete="CASCADE")
    # naive UTC with a time of day; a date-only step is its date at 12:00, no zone (dates.stored)
    due_at = pw.DateTimeField()
    has_time = pw.BooleanField(default=False)
    channel = pw.CharField(max_length=16)
    what = pw.CharField(max_length=500, default="")
    kind = pw.CharField(max_length=32, default="new prospect")
    promised = pw.BooleanField(default=False)
    created_at = pw.DateTimeField()
    done_at = pw.DateTimeField(null=True)
    # how it ended: done (a touch was logged), snoozed (replaced by a later date), closed
    resolution = pw.CharField(max_length=16, null=True)
    # for a promise: was it kept on time (None while open, or when moved before it was due)
    kept = pw.BooleanField(null=True)

    class Meta:
        indexes = (
            (("prospect", "done_at"), False),
            # the queue filtered by the next step's channel
            (("channel", "done_at", "prospect"), False),
            # the reports' promises by their due (storage/reads/reports.py), read from the index alone
            (("promised", "due_at", "has_time", "kept", "done_at"), False),
            # the reports' follow-ups due each week, and how they ended (storage/reads/report_activity.py)
            (("has_time", "resolution", "due_at"), False),
        )

    @classmethod
    def open_of(cls, prospect_ids: list[int]) -> dict[int, FollowUp]:
        """Each prospect's open follow-up: the one rule of which it is. A book should hold one
        at most; should it hold more (a bulk load gone wrong), the latest made is the one."""
        if not prospect_ids:
            return {}
        found: dict[int, FollowUp] = {}
        for step in cls.select().where(cls.prospect.in_(prospect_ids) & cls.done_at.is_null()):
            if step.prospect_id not in found or step.id > found[step.prospect_id].id:
                found[step.prospect_id] = step
        return found


# At most one open follow-up per prospect, kept by the database (two desks at once cannot both
# leave one: the second's write is refused, storage.engines' classify says so).
FollowUp.add_index(FollowUp.index(FollowUp.prospect, unique=True, where=FollowUp.done_at.is_null(), name="follow_up_one_open"))


class Touch(BaseModel):
    prospect = pw.ForeignKeyField(Prospect, backref="touches", on_delete="CASCADE")
    at = pw.DateTimeField()  # UTC
    channel = pw.CharField(max_length=16)
    direction = pw.CharField(max_length=3, default="out")
    outcome = pw.CharField(max_length=32)
    note = pw.TextField(default="")
    followup = pw.ForeignKeyField(FollowUp, null=True, on_delete="SET NULL")
    # the kind of the follow-up it was logged on ("" on none), as that follow-up was then: a
    # touch is logged on a step as it ends, and an ended step is not changed again. Kept here so
    # the reports' hours of a kind are ranges of an index, like the whole book's (report_hours.py).
    # A default in the table too (as migration 20 makes it), for a row written in plain SQL
    kind = pw.CharField(max_length=32, default="", constraints=[pw.SQL("DEFAULT ''")])

    class Meta:
        indexes = (
            (("prospect", "at"), False),
            # the reports' touches by channel, direction and outcome, the moment read in the index
            (("channel", "direction", "outcome", "at"), False),
            # the reports' hours: each hour's touches by direction, and by outcome (report_hours.py)
            (("direction", "at"), False),
            (("direction", "outcome", "at"), False),
            # and a kind's
            (("kind", "direction", "at"), False),
            (("kind", "direction", "outcome", "at"), False),
        )


class Tag(BaseModel):
    """A #word in a touch's note: market notes (#competitor, #price, #feedback…) found again later."""

    prospect = pw.ForeignKeyField(Prospect, on_delete="CASCADE")
    touch = pw.ForeignKeyField(Touch, backref="tags", on_delete="CASCADE")
    name = pw.CharField(max_length=64)

    class Meta:
        indexes = ((("name", "prospect"), False), (("prospect", "name"), False))


class Journal(BaseModel):
    """Every change an action made, written in the action's own transaction: what undo, reports and
    a shared server read. `changes` is JSON: a list of {"table", "id", "before", "after"} (a row
    as it was and as it became; null for one that did not exist), or, for a bulk load,
    {"table", "inserted": [[first, last], …]} ranges of new ids."""

    at = pw.DateTimeField()  # UTC
    who = pw.CharField(max_length=200)
    action = pw.CharField(max_length=32)
    prospect = pw.IntegerField(null=True)  # who it was about; None for many (an import)
    summary = pw.CharField(max_length=500, default="")
    changes = pw.TextField()
    # an undo's entry: the entry it undid (a redo's: the undo it undid); None for any other action
    undoes = pw.IntegerField(null=True)

    class Meta:
        # the prospect's changes; the undo of an entry; this desk's own entries, newest first
        indexes = ((("prospect", "id"), False), (("undoes",), False), (("who", "id"), False))


class Draft(BaseModel):
    """What the rep has typed in a form and not saved yet (the quick-log's note), kept while they
    type so a crash loses nothing; one per prospect and form. A side table, not the book's
    story: written outside the actions' journal, it never changes a prospect's `updated_at`, and
    the save that the draft was for deletes it."""

    prospect = pw.ForeignKeyField(Prospect, on_delete="CASCADE")
    form = pw.CharField(max_length=32)  # which form: "log"
    fields = pw.TextField()  # JSON: the form's fields by name, as typed
    updated_at = pw.DateTimeField()  # UTC

    class Meta:
        indexes = ((("prospect", "form"), True),)


MODELS = (DropReason, Prospect, FollowUp, Touch, Tag, Journal, Draft)
