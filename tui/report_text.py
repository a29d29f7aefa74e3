"""The reports' wording, one home for `followup report` (tui/cli_report.py) and the reports screen
(tui/widgets/report_words.py): a share, a count, a drop reason as typed, a distribution around the
fifth touch, and the give-up-early sentence — so the two never say one figure two ways."""

from __future__ import annotations

from storage.reads.reports import GIVE_UP_TOUCH, Persistence
from storage.rules.text import visible


def number(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


def reason(label: str) -> str:
    return visible(label, one_line=True)  # the rep's own words: shown as typed, never run


def spread(counts: dict[int, int], line: str) -> str:
    """"touches: prospects" pairs, the fifth-touch line drawn as `line` between those below and the rest."""
    if not counts:
        return "none"
    below = [f"{t}: {n}" for t, n in counts.items() if t < GIVE_UP_TOUCH]
    rest = [f"{t}: {n}" for t, n in counts.items() if t >= GIVE_UP_TOUCH]
    return "  ".join(below + [line] + rest)


def give_up_sentence(keep: Persistence) -> str:
    """"You dropped 61% of prospects before the fifth touch (22 of 36); prospects won in this book
    needed a median of 8 touches." (issue 17's give-up-early report)."""
    said = []
    if keep.dropped_total:
        said.append(f"you dropped {percent(keep.dropped_early_share)} of prospects before the fifth touch "
                    f"({keep.dropped_early} of {keep.dropped_total})")
    if keep.won_median is not None:
        said.append(f"prospects won in this book needed a median of {number(keep.won_median)} touches")
    if not said:
        return "Nothing won or dropped in this period."
    sentence = "; ".join(said)
    return sentence[0].upper() + sentence[1:] + "."
