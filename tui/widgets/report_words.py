"""What the reports screen says under each plot: the figure's numbers in text (a plot read without
colour, or read aloud, loses nothing) and one line that tells the rep what to do about it.

The numbers' wording (a share, a count, a drop reason as typed, the give-up sentence) is
tui/report_text.py's, shared with `followup report`, so the two never say one figure two ways."""

from __future__ import annotations

from storage.reads.reports import GIVE_UP_TOUCH, ChannelFigure, Outcomes, Persistence, PromiseWeek
from tui.report_text import give_up_sentence, number, percent, reason, spread  # noqa: F401  (give_up_sentence: the screen's)

ENOUGH = 5  # touches out on a channel before its reply rate is worth a piece of advice


def counts_line(counts: dict[int, int]) -> str:
    return spread(counts, "│")


def persistence_advice(keep: Persistence) -> str:
    if not keep.dropped_total and keep.won_median is None:
        return "Close prospects as won (w) or dropped (x): this shows how many touches each took."
    median = keep.won_median
    if keep.dropped_early and (keep.dropped_early_share or 0) >= 0.25:
        need = f": won deals here needed {number(median)}" if median is not None else ""
        return f"Keep going past touch {GIVE_UP_TOUCH - 1}{need}. Before dropping, send one more (the palette's last note)."
    if median is not None and median >= GIVE_UP_TOUCH:
        return f"Your persistence pays: wins came after a median of {number(median)} touches. Keep the cadence."
    return "Most of your drops came after the fifth touch: keep following up before you let go."


def promise_totals(weeks: list[PromiseWeek]) -> tuple[int, int, int]:
    return (sum(w.kept for w in weeks), sum(w.late for w in weeks), sum(w.open for w in weeks))


def promise_numbers(weeks: list[PromiseWeek]) -> str:
    if not weeks:
        return "No promises in this period."
    kept, late, open_ = promise_totals(weeks)
    done = kept + late
    on_time = f" · {percent(kept / done)} on time" if done else ""
    this_year = weeks[-1].week[:4]  # a week of an earlier year keeps its year
    by_week = " · ".join(f"{w.week[5:] if w.week[:4] == this_year else w.week} {w.kept}/{w.late}/{w.open}"
                         for w in weeks)
    return f"Kept {kept} · late {late} · open {open_}{on_time}\nBy week, kept/late/open: {by_week}"


def promise_advice(weeks: list[PromiseWeek]) -> str:
    kept, late, open_ = promise_totals(weeks)
    if not weeks:
        return "Mark the step you agreed with a customer promised (p): this counts whether you kept it."
    if late:
        return f"Keep promises first: {late} came late. Promised steps lead the queue; do them before the rest."
    if open_:
        return f"{open_} promise{'' if open_ == 1 else 's'} open: they lead the queue. Keep them on the day."
    return "Every promise kept on time: that is what customers remember."


def channel_numbers(found: list[ChannelFigure]) -> str:
    if not found:
        return "No touches in this period."
    width = max(len(c.channel) for c in found)
    return "\n".join(f"{c.channel:<{width}}  {c.out:>6} out  {c.answered:>6} answered  {percent(c.reply_rate):>5}"
                     + (f"  + {c.replies - c.answered} from them" if c.replies > c.answered else "")
                     for c in found)


def channel_advice(found: list[ChannelFigure]) -> str:
    rated = [c for c in found if c.out >= ENOUGH and c.reply_rate is not None]
    if len(rated) < 2:
        return f"Log your touches (l) on more than one channel, {ENOUGH} or more each: this shows which get answers."
    best = max(rated, key=lambda c: (c.reply_rate, c.out))
    worst = min(rated, key=lambda c: (c.reply_rate, -c.out))
    return (f"Reach for {best.channel} first: {percent(best.reply_rate)} of your touches there got a reply, "
            f"against {percent(worst.reply_rate)} by {worst.channel}.")


def outcome_numbers(out: Outcomes) -> str:
    days = "–" if out.median_days_to_close is None else number(out.median_days_to_close)
    return (f"Close rate {percent(out.close_rate)} ({out.won} won, {out.dropped} dropped) · "
            f"value won {out.value_won:,} · median days to close {days}")


def reason_lines(out: Outcomes, width: int) -> list[str]:
    """Each drop reason with its count and a bar as long as its share of the most common one; the
    reason as the rep typed it (made visible, one line), never markup."""
    if not out.reasons:
        return ["No drops in this period."]
    top = max(out.reasons.values())
    bar = max(4, min(20, width // 4))
    room = max(10, width - bar - 6)  # one line each: cut with … (the CSV holds every word)
    return [f"{n:>4} {'▆' * max(1, round(bar * n / top)):<{bar}} {cut(reason(r), room)}" for r, n in out.reasons.items()]


def cut(text: str, room: int) -> str:
    return text if len(text) <= room else text[:room - 1] + "…"


def outcome_advice(out: Outcomes) -> str:
    if not (out.won or out.dropped):
        return "Close prospects as won (w) or dropped (x), with a reason: this counts how deals end."
    if out.reasons:
        most, n = next(iter(out.reasons.items()))
        return f"Most drops: \u201c{reason(most)}\u201d ({n}). Work on that answer before the next call."
    return "No drops in this period: keep qualifying the same way."
