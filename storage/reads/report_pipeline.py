"""What the rep has open (issue 17, "pipeline"): the deal value of the active prospects by the
queue's section they stand in now, and by the kind of their next step. Not a period's figure: the
book as it is at `now`.

Who stands in which section is storage.reads.queue's rule (section_condition, the one home of
it): each section is one count and sum over its condition, read through the queue index as the
queue reads it. By kind: one GROUP BY over the active prospects' next kind (the derived column
next_kind), a handful of groups, in the order of migration 14's index.
"""

from __future__ import annotations

from dataclasses import dataclass

import pendulum
import peewee as pw

from storage.book.models import Prospect
from storage.book.vocabulary import KINDS
from storage.reads.queue import SECTIONS, section_condition

NO_STEP = "no next step"  # the kind of a prospect without a follow-up


@dataclass(frozen=True)
class PipelineGroup:
    key: str  # a queue section ("promised", … "no_step") or a kind
    prospects: int
    value: int  # their deal values added up


@dataclass(frozen=True)
class Pipeline:
    sections: list[PipelineGroup]  # every section, in the queue's order (empty ones with 0)
    kinds: list[PipelineGroup]  # the kinds that have someone, in the book's order, NO_STEP last

    @property
    def prospects(self) -> int:
        return sum(g.prospects for g in self.sections)

    @property
    def value(self) -> int:
        return sum(g.value for g in self.sections)


def _count_and_sum(cond: pw.Expression) -> tuple[int, int]:
    n, value = Prospect.select(pw.fn.COUNT(Prospect.id), pw.fn.SUM(Prospect.deal_value)).where(cond).tuples().get()
    return n, int(value or 0)  # a server adds up a BIGINT as a NUMERIC (a Decimal)


def pipeline(now: pendulum.DateTime, tz: str) -> Pipeline:
    # a section's count and sum are read from the queue index alone (deal_value is in it): only
    # active prospects have an open step (closing closes it), so no status is checked but no_step's
    sections = [PipelineGroup(s, *_count_and_sum(section_condition(s, now, tz))) for s in SECTIONS]
    active = Prospect.status == "active"
    # in the (status, next_kind, deal_value) index's order: no sort, no row read
    rows = [(kind or NO_STEP, n, v) for kind, n, v in
            Prospect.select(Prospect.next_kind, pw.fn.COUNT(Prospect.id), pw.fn.SUM(Prospect.deal_value))
            .where(active).group_by(Prospect.next_kind).tuples()]
    order = {k: i for i, k in enumerate((*KINDS, NO_STEP))}
    kinds = [PipelineGroup(k, n, int(v or 0)) for k, n, v in sorted(rows, key=lambda r: (order.get(r[0], len(order)), r[0]))]
    return Pipeline(sections, kinds)
