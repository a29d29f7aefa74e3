"""A plan of many moves as the rep reads it before applying it, on the desk or the command line."""

from __future__ import annotations

from storage.reads import plans

SHOWN_DAYS = 8  # lines of the plan shown; the rest is summed up in one


def plan_text(plan: plans.Plan) -> str:
    if not plan.moves:
        return "Nothing to move: no open follow-up falls in those days." if plan.what == "away" else \
            "Nothing overdue to spread: you are up to date."
    lines = plan.lines()
    if len(lines) > SHOWN_DAYS:
        rest = plan.days[SHOWN_DAYS - 1:]
        lines = lines[:SHOWN_DAYS - 1] + [f"… and {sum(d.moved for d in rest)} more over {len(rest)} more days "
                                          f"(to {rest[-1].day:%a %-d %b})"]
    promised = sum(m.promised for m in plan.moves)
    head = f"{len(plan.moves)} follow-up(s) move" + (f", {promised} promised (first, in their order)" if promised else "")
    return "\n".join([head + ":", *lines])
