"""The calendar feed: one event per dated occurrence, parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import icalendar

from helpers import Invoke, timeline_of, with_q2_report_done
from plantrack.core.model import Plan
from plantrack.core.selection import scope
from plantrack.core.timeline import Timeline
from plantrack.output import ics


def events(data: bytes) -> list[icalendar.cal.Component]:
    calendar = icalendar.Calendar.from_ical(data)
    return list(calendar.walk("VEVENT"))


def test_every_dated_occurrence_becomes_an_event(plan: Plan, timeline: Timeline) -> None:
    data = ics.build_calendar(timeline, plan.tasks, stamp=dt.date(2023, 7, 5), name="计划")
    found = events(data)
    dated = [o for t in plan.tasks for o in timeline.occurrences(t) if o.date]
    assert len(found) == len(dated) == 33
    by_summary = {str(e["SUMMARY"]): e for e in found}
    q2 = by_summary["【任务26】第二季度报送法治建设工作文稿"]
    assert q2.decoded("DTSTART") == dt.date(2023, 6, 30)
    assert q2.decoded("DTEND") == dt.date(2023, 7, 1)
    safety = by_summary["【任务25】“安全生产月”集中普法活动"]
    assert safety.decoded("DTSTART") == dt.date(2023, 6, 1)
    assert safety.decoded("DTEND") == dt.date(2023, 7, 1)
    assert "日期来源：全国“安全生产月”自2002年起每年6月开展" in str(safety["DESCRIPTION"])
    annual = by_summary["【任务1】全面学习贯彻党的二十大精神（年度任务）"]
    assert annual.decoded("DTSTART") == dt.date(2023, 12, 31)
    assert "牵头单位：局法规科、局组教科" in str(annual["DESCRIPTION"])


def test_uids_are_unique_and_stable_across_exports(
    plan: Plan, timeline: Timeline, plan_text: str
) -> None:
    first = events(ics.build_calendar(timeline, plan.tasks, stamp=dt.date(2023, 7, 5), name="x"))
    reworded = timeline_of(plan_text.replace("报送法治建设工作文稿", "报送工作文稿"))
    later = ics.build_calendar(reworded, reworded.plan.tasks, stamp=dt.date(2023, 9, 1), name="x")
    uids = [str(e["UID"]) for e in first]
    assert len(set(uids)) == len(uids)
    assert [str(e["UID"]) for e in events(later)] == uids


def test_same_day_same_bytes(plan: Plan, timeline: Timeline) -> None:
    def build() -> bytes:
        return ics.build_calendar(timeline, plan.tasks, stamp=dt.date(2023, 7, 5), name="x")

    assert build() == build()


def test_done_occurrence_is_labelled_and_has_no_alarm(plan_text: str) -> None:
    timeline = timeline_of(with_q2_report_done(plan_text))
    task = timeline.plan.tasks_by_id[26]
    found = events(ics.build_calendar(timeline, [task], stamp=dt.date(2023, 7, 5), name="x"))
    summaries = {str(e["SUMMARY"]): e for e in found}
    done = summaries["[逾期完成 3 天] 【任务26】第二季度报送法治建设工作文稿"]  # due 06-30
    assert list(done.walk("VALARM")) == []
    q3 = summaries["【任务26】第三季度报送法治建设工作文稿"]
    [alarm] = list(q3.walk("VALARM"))
    assert alarm.decoded("TRIGGER") == dt.timedelta(days=-7)


def test_export_command_writes_a_department_calendar(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "fg.ics"
    result = cli("export", "--format", "ics", "--dept", "法规科", "-o", str(out))
    assert result.stderr == f"已写入 {out}\n"
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "2023年交通法治工作要点（局法规科）"
    # The tasks 法规科 leads or shares: not 16 and 17 (区交通执法支队's), nor 19 and 22,
    # where it is only among 局机关各科室.
    assert len(list(calendar.walk("VEVENT"))) == 29
    stamp = next(iter(calendar.walk("VEVENT"))).decoded("DTSTAMP")
    assert stamp == dt.datetime(2023, 7, 5, tzinfo=dt.UTC)


def test_export_to_stdout(cli: Invoke, timeline: Timeline) -> None:
    result = cli("export", "--format", "ics", "--dept", "执法支队")
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")  # RFC 5545 line endings
    involved = scope(timeline, "执法支队").tasks
    dated = [o for task in involved for o in timeline.occurrences(task) if o.date]
    assert len(events(result.stdout_bytes)) == len(dated)
    assert 9 not in {task.id for task in involved}  # task 9 names only two offices


def test_an_office_gets_its_duties_not_every_mention(cli: Invoke) -> None:
    duties = events(cli("export", "--format", "ics", "--dept", "安监科").stdout_bytes)
    assert sorted(str(e["SUMMARY"]) for e in duties) == [
        "【任务14.2】推进行政执法规范化建设（年度任务）",
        "【任务22.1】依法预防处置重大突发事件（年度任务）",
    ]
    every = cli("export", "--format", "ics", "--dept", "安监科", "--role", "any").stdout_bytes
    assert len(events(every)) > len(duties)


def test_a_campaign_months_uid_keeps_its_old_key(timeline: Timeline, plan: Plan) -> None:
    # The identifier became 2023-05; calendars that imported the event under the old
    # identifier must see the same event again, not a second one.
    task = plan.tasks_by_id[25]
    [may] = [o for o in timeline.occurrences(task) if o.key == "2023-05"]
    old = uuid.uuid5(ics._NAMESPACE, f"{plan.title}|{plan.year}|25|2023-05-31")
    assert ics.occurrence_uid(plan, task, may) == f"{old}@plantrack"
