"""Assigning a prospect to a rep of the team, or to nobody (shared by the team): one action,
journalled and undoable like any other. Only a server book has a team (engines: `team()`). A rep
shares their own prospects, takes shared ones and gives their own to a colleague; a manager gives
any to anyone. The server's rules enforce it (storage/engines/postgres_team.py); the checks here
only say it in words.

A prospect a rep gave away is out of their sight at once: their undo passes that entry by, saying
so, to their older changes, but refuses an older change of that prospect (storage.actions.undo);
the colleague or a manager gives it back with the same action."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storage.actions.journal import changes_of
from storage.actions.writing import get, recording
from storage.book.errors import InvalidInput
from storage.book.models import Journal, Prospect
from storage.engines import current


def assign(prospect_id: int, owner: str | None, *, now: dt.datetime | None = None) -> str:
    """Give the prospect to `owner` (a rep of the team), or to the team (None). Returns what
    happened, in words."""
    engine = current()
    team = dict(engine.team())
    if not team:
        raise InvalidInput("owner", "This book has one rep: prospects are assigned on a team's server book.")
    if owner is not None and owner not in team:
        raise InvalidInput("owner", f"{owner!r} is not a rep of this team ({', '.join(sorted(team))}).")
    me = engine.who()
    rep = team.get(me) is False  # a rep, not a manager (nor the administrator)
    with recording("assign", prospect_id, now=now) as change:
        prospect = get(prospect_id)
        if prospect.owner == owner:
            raise InvalidInput("owner", f"{prospect.name} is already {_whose(owner)}.")
        change.summary = f"{prospect.name} given to {_whose(owner)}"
        if not rep or owner in (None, me):
            change.update(Prospect, prospect_id, owner=owner, updated_at=change.now)
            return change.summary
        if prospect.owner != me:  # a rep sees their own and the shared: this one is the team's
            raise InvalidInput("owner", f"{prospect.name} is shared by the team: take it first, "
                                        f"or ask a manager to give it to {owner}.")
        # out of this rep's sight once written: the server's function writes it, the journal is told
        change.remember(Prospect, prospect_id)
        engine.hand_over(prospect_id, owner, change.now)
        change.written_out_of_sight(Prospect, prospect_id, owner=owner, updated_at=change.now)
    return f"{change.summary}: theirs now, off your desk"


@dataclass(frozen=True)
class Given:
    """This rep's giving of their own prospect to a colleague, now out of their sight."""

    entry: Journal
    name: str  # the prospect's, as the entry saw it
    owner: str  # the colleague's

    def refusal(self) -> InvalidInput:
        """Why this rep's undo of it, or of an older change to that prospect, is refused."""
        return InvalidInput("undo", f"Can't undo '{self.entry.summary}': {self.name} is {self.owner}'s now and off "
                                    f"your desk; {self.owner} or a manager can give it back.")

    def passed(self) -> str:
        """What an undo that went past it to an older change of theirs says of it."""
        return f"passed by '{self.entry.summary}': {self.owner}'s now"


def given_away(entry: Journal, me: str) -> Given | None:
    """The entry, when it is this rep's giving of a prospect to a colleague and the prospect is out
    of their sight (the server's rules): nothing of it can be put back by them, so their undo
    passes it by (storage.actions.undo), but never to an older change of that prospect."""
    if entry.action != "assign" or entry.prospect is None or entry.who != me:
        return None
    if Prospect.select().where(Prospect.id == entry.prospect).exists():
        return None  # still in sight (shared, or taken, or given back): an undo like any other
    for item in changes_of(entry):
        owner = (item.get("after") or {}).get("owner") if item.get("table") == "prospect" else None
        if owner not in (None, me):
            return Given(entry, (item.get("before") or {}).get("name", "the prospect"), owner)
    return None


def _whose(owner: str | None) -> str:
    return "the team (shared)" if owner is None else owner
