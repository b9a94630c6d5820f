"""`forms` and `collect`: a fill-in form for each office, and its reply brought back into the plan.

`forms` writes one .xlsx per office that owes something in the period. `collect` reads the
replies, checks every row against the plan, and adds what passes in one locked write; a
reply collected twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from plantrack.commands.reports import PERIOD_FIELD
from plantrack.core import forms, periods
from plantrack.core.errors import PlantrackError, UsageError
from plantrack.core.forms import Stamp, StampRow
from plantrack.core.model import Plan, Progress
from plantrack.core.periods import Period
from plantrack.core.refs import TaskRef
from plantrack.core.replies import ReadReply, Reply, read_reply
from plantrack.core.timeline import Timeline
from plantrack.importer.sources import Block
from plantrack.output import form
from plantrack.planfile import files, load
from plantrack.planfile.edit import Batch, add_entries


@dataclass(frozen=True)
class FormFile:
    """One form written: whose, where, and how many rows it asks about."""

    office: str
    path: Path
    rows: int


@dataclass(frozen=True)
class FormsMade:
    """The forms of one period: each file, and the day replies are due."""

    period: Period
    reply_by: dt.date
    written: list[FormFile]


def make_forms(
    *,
    plan: Path | None,
    quarter: str,
    output: Path,
    dept: str | None,
    as_of: str | None,
    reply_by: str | None,
    force: bool,
) -> FormsMade:
    """Write the period's form of every office that owes something (or of dept alone).

    `{period}` in the folder becomes the quarter: forms/{period} -> forms/2023Q4.
    """
    day = periods.today(as_of)
    period = periods.parse_quarter(quarter, day)
    output = Path(str(output).replace(PERIOD_FIELD, period.slug))
    loaded = load.plan_for(plan, day=day, period=period)
    due = (
        periods.parse_date(reply_by, option="--reply-by")
        if reply_by
        else forms.reply_by(loaded.plan, period)
    )
    found = forms.office_forms(Timeline(loaded.plan, as_of=day), period, dept=dept)
    if not found:
        who = dept or "任何单位"
        raise UsageError(f"{who}在 {period.label} 没有未完成的分工：不需要填报表")
    made = []
    for office in found:
        name, data = form_file(loaded, office, period, made=day, due=due)
        made.append((FormFile(office.office, output / name, len(office.rows)), data))
    _write_all(output, made, force=force, protected=[loaded.path])
    return FormsMade(period, due, [item for item, _ in made])


def form_file(
    loaded: load.LoadedPlan,
    office: forms.OfficeForm,
    period: Period,
    *,
    made: dt.date,
    due: dt.date,
) -> tuple[str, bytes]:
    """One office's form: its file name and bytes, stamped with the plan as it is now."""
    stamp = Stamp(
        plan_title=loaded.plan.title,
        plan_year=loaded.plan.year,
        plan_file=loaded.path.as_posix(),
        plan_hash=forms.plan_hash(loaded.text.encode("utf-8")),
        office=office.office,
        period=period.slug,
        start=period.start,
        end=period.end,
        made=made,
        reply_by=due,
    )
    data = form.to_xlsx(office.rows, stamp=stamp, title=loaded.plan.title)
    return form.file_name(office.office, period.slug), data


def _write_all(
    folder: Path, made: list[tuple[FormFile, bytes]], *, force: bool, protected: list[Path]
) -> None:
    """Write every form, or none: each target is checked before the first is written."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} 是一个文件：-o 应为存放填报表的文件夹")
    for item, _ in made:
        files.check_output(item.path, force=force, protected=protected)
    folder.mkdir(parents=True, exist_ok=True)
    for item, data in made:
        files.write_output_file(item.path, data, force=force, protected=protected)


# --- collect ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Collected:
    """What collect read, took and refused, what it wrote, and who has not replied."""

    replies: list[tuple[Path, ReadReply]]
    batch: Batch
    skip_invalid: bool
    # Offices that owe something in a period of the replies and have not reported for it.
    missing: list[tuple[Period, list[str]]]

    def taken(self, read: ReadReply) -> bool:
        """Tell whether the reply's valid rows were taken."""
        return not read.refused_whole and (self.skip_invalid or not read.refusals)

    @property
    def problems(self) -> bool:
        """Tell whether some reply or row was not taken, and not knowingly skipped."""
        return any(
            r.refused_whole or (r.refusals and not self.skip_invalid) for _, r in self.replies
        )


def collect(
    paths: list[Path],
    *,
    plan: Path | None,
    as_of: str | None,
    dry_run: bool,
    skip_invalid: bool,
) -> Collected:
    """Read every reply, check it against the plan, and add what passes in one write."""
    if not paths:
        raise UsageError("请给出要收集的填报表，如 plantrack collect forms/*.xlsx")
    today = periods.today(as_of)
    replies = [(path, _reply(path)) for path in paths]
    target = load.find_plan(plan, year=replies[0][1].stamp.plan_year)
    loaded = load.load_plan(target)
    read = [(path, read_reply(reply, loaded.plan, today=today)) for path, reply in replies]
    wanted: list[tuple[TaskRef, Progress]] = []
    for _, found in read:
        if not found.refused_whole and (skip_invalid or not found.refusals):
            wanted += [(answer.ref, answer.entry) for answer in found.answers]
    batch = add_entries(target, wanted, as_of=today, dry_run=dry_run)
    collected = Collected(read, batch, skip_invalid, [])
    taken = [r for _, r in read if collected.taken(r)]
    stamps = [r.reply.stamp for _, r in read if not r.refused_whole]
    return Collected(read, batch, skip_invalid, _not_replied(batch.after, stamps, taken, today))


def _reply(path: Path) -> Reply:
    """The reply in a file: its stamp and cells; a file that is no form is refused (exit 2)."""
    from plantrack.importer.isolated import read_cells

    try:
        data = files.read_source(path)
    except PlantrackError as exc:  # missing or unreadable: a usage slip, nothing written
        raise UsageError(str(exc)) from None
    blocks = read_cells(path, data)
    return reply_of(str(path), blocks)


def reply_of(source: str, blocks: list[Block]) -> Reply:
    """A reply from the blocks of its workbook: the stamp sheet and the form sheet."""
    stamp_rows = [b for b in blocks if b.text == form.STAMP_SHEET]
    try:
        stamp = Stamp.from_header(_plain(stamp_rows[0].cells[0]))
        stamped = [_stamp_row(b.cells) for b in stamp_rows[1:]]
    except (IndexError, ValueError, KeyError, TypeError):
        raise UsageError(
            f"{source}: 不是 plantrack forms 生成的填报表（或其中隐藏的标识页已损坏）："
            "请在原表格上填写后交回，或用 plantrack forms 重新生成"
        ) from None
    cells = {b.line: b.cells for b in blocks if b.text == form.SHEET}
    return Reply(source, stamp, stamped, cells)


def _stamp_row(cells: tuple[str, ...]) -> StampRow:
    row, ref, fingerprint, *rest = (_plain(cell) for cell in cells)
    return StampRow(int(row), ref, fingerprint, rest[0] if rest and rest[0] else None)


def _plain(cell: str) -> str:
    """A text cell's text; anything else is not what plantrack wrote."""
    if not cell.startswith("s"):
        raise ValueError(cell)
    return cell[1:]


def _not_replied(
    plan: Plan, stamps: list[Stamp], taken: list[ReadReply], today: dt.date
) -> list[tuple[Period, list[str]]]:
    """For each period replied about: the offices that owe something and have not reported.

    An office has reported when a reply of its was taken now, or the plan holds an entry
    `by:` it dated in the period (a reply collected before, or a `mark --by`).
    """
    found: list[tuple[Period, list[str]]] = []
    for stamp in {s.period: s for s in stamps}.values():
        period = Period(stamp.start, stamp.end, stamp.period)
        replied = {r.reply.stamp.office for r in taken if r.reply.stamp.period == stamp.period}
        timeline = Timeline(plan, as_of=min(today, period.end))
        owing = [f.office for f in forms.office_forms(timeline, period)]
        waiting = [n for n in owing if n not in replied and not forms.has_replied(plan, n, period)]
        found.append((period, waiting))
    return found
