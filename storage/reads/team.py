"""Who is at this desk, and the team a prospect can be given to (issue 18, point 2): read once when
the desk comes up, in one call. A book in a file has one rep and no team: the desk then shows no
owner anywhere. On a team's server book the reps are the server's login roles in the team's group
roles (storage/engines/postgres_team.py), and who may see what is the server's to enforce."""

from __future__ import annotations

from dataclasses import dataclass

from storage.engines import current

SHARED = "shared by the team"  # a prospect without an owner: every rep's


@dataclass(frozen=True)
class Rep:
    name: str  # the server role they connect as
    manager: bool


@dataclass(frozen=True)
class Team:
    me: str  # the rep at this desk
    reps: tuple[Rep, ...]  # none on a one-rep book

    @property
    def is_team(self) -> bool:
        return bool(self.reps)

    @property
    def manager(self) -> bool:
        """Sees (and gives) the whole team's prospects: a manager, or the team's administrator (no
        rep of the team: the server's policies do not bind the tables' owner); a rep sees their own
        and the shared."""
        return self.is_team and all(rep.manager for rep in self.reps if rep.name == self.me)

    def whose(self, owner: str | None) -> str:
        """Whose a prospect is, in the words the desk shows: "yours", "shared by the team", "alice's"."""
        if owner is None:
            return SHARED
        if owner == self.me:
            return "yours"
        return f"{owner}'s"

    def tag(self, owner: str | None) -> str:
        """The same in a word, for a row of a manager's queue: "mine", "shared", "alice"."""
        if owner is None:
            return "shared"
        return "mine" if owner == self.me else owner


ONE_REP = Team(me="", reps=())  # what the desk knows before the read comes back


def team() -> Team:
    """The rep at this desk and the team's reps (by name), managers marked."""
    engine = current()
    reps = tuple(Rep(name, manager) for name, manager in engine.team())
    return Team(me=engine.who() if reps else "", reps=reps)
