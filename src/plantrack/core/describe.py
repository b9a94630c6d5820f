"""A task's deadlines and targets described as of the timeline's date, in Chinese.

每季度末；11月20日前（已完成 3/5）, 85%（2023-07-20） 达到: the time model's counts and values,
said as the tables and reports say them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plantrack.core.schedule import meets
from plantrack.core.timeline import Timeline
from plantrack.core.wording import deadline_summary, format_number

if TYPE_CHECKING:  # a plan read from the cache is made of core.domain's twins
    from plantrack.core.model import Target, Task


def deadline_text(timeline: Timeline, task: Task) -> str:
    """The deadlines in short, with how many are done once some are: 每季度末（已完成 3/5）."""
    summary = deadline_summary(timeline.occurrences(task))
    counts = timeline.counts(task)
    if counts.total > 1 and 0 < counts.done < counts.total:
        return f"{summary}（已完成 {counts.done}/{counts.total}）"
    return summary


def describe_target(timeline: Timeline, task: Task, target: Target) -> tuple[str, str]:
    """The target's actual value and whether it is met, as of the timeline's date."""
    found = timeline.target_value(task, target)
    if found is not None:
        value, day = found
        when = f"（{day.isoformat()}）" if day else ""
        met = "达到" if meets(value, target.op, target.value) else "未达到"
        return f"{format_number(value)}{target.unit}{when}", met
    if target.per is not None:
        # A duty each period counts its done occurrences: 3 of the 4 quarters so far.
        counts = timeline.counts(task, target.per)
        if counts.total:
            actual = f"{counts.done}/{counts.total} 次已完成"
            if counts.due == 0:
                return actual, "—"
            return actual, "达到" if counts.done >= counts.due else "未达到"
    return "未填报", "—"
