"""Fill-in forms: which rows each office gets, the workbook, and its reply collected back."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from helpers import PROGRESS_PLAN, Invoke
from hostile import (
    docx_image_bomb,
    encrypted_office,
    not_office_zip,
    xlsx_billion_laughs,
    xlsx_claiming_every_cell,
)
from plantrack.commands.forms import reply_of
from plantrack.core import forms, periods
from plantrack.core.domain import Status
from plantrack.core.model import Plan
from plantrack.core.replies import read_reply
from plantrack.core.timeline import Timeline
from plantrack.importer.sources import Block
from plantrack.output import form
from plantrack.planfile.edit import add_entries
from plantrack.planfile.load import load_plan, parse_plan

AS_OF = "2023-09-20"
Q3 = periods.quarter(2023, 3)


def make_forms(cli: Invoke, plan: Path, folder: Path, *args: str) -> str:
    """Run `forms` for 2023Q3 as of AS_OF; return what it printed."""
    found = cli(
        "forms", "--quarter", "2023Q3", "-o", str(folder), "--as-of", AS_OF, "--plan", str(plan),
        *args,
    )  # fmt: skip
    return found.stdout


def form_path(folder: Path, office: str) -> Path:
    return folder / form.file_name(office, "2023Q3")


def fill(path: Path, ref: str, **inputs: Any) -> None:
    """Type into the input cells of the row for ref, as an office would (openpyxl saves it)."""
    workbook = load_workbook(path)
    sheet = workbook[form.SHEET]
    for row in sheet.iter_rows(min_row=form.HEADER_ROW + 1):
        if row[0].value == ref:
            for heading, value in inputs.items():
                row[form.ALL_HEADINGS.index(heading)].value = value
            break
    else:
        raise AssertionError(f"no row {ref}")
    workbook.save(path)


def refs_of(path: Path) -> list[str]:
    sheet = load_workbook(path)[form.SHEET]
    return [str(row[0].value) for row in sheet.iter_rows(min_row=form.HEADER_ROW + 1)]


def collect(cli: Invoke, plan: Path, *files: Path, code: int = 0, at: str = AS_OF) -> str:
    found = cli("collect", *map(str, files), "--as-of", at, "--plan", str(plan), code=code)
    return found.output


@pytest.fixture
def made(cli: Invoke, plan_copy: Path, tmp_path: Path) -> Path:
    """The 2023Q3 forms of the bundled plan, made as of AS_OF."""
    folder = tmp_path / "forms"
    make_forms(cli, plan_copy, folder)
    return folder


# --- which rows --------------------------------------------------------------------------------


def test_each_office_lists_only_its_own_open_clauses(plan: Plan) -> None:
    timeline = Timeline(plan, as_of=dt.date(2023, 9, 20))
    found = {f.office: [row.ref for row in f.rows] for f in forms.office_forms(timeline, Q3)}
    assert len(found) >= 10
    # 局财审科 leads 7.3; 7.1 is 局法规科's, shared only with 局机关相关科室 (uncertain).
    assert "7.3" in found["局财审科"] and "7.1" not in found["局财审科"]
    assert found["局法规科"][:3] == ["1", "2", "3"] and "7.3" not in found["局法规科"]


def test_a_row_says_its_deadlines_in_the_period_and_those_overdue(plan: Plan) -> None:
    timeline = Timeline(plan, as_of=dt.date(2023, 9, 20))
    rows = {row.ref: row for row in forms.office_rows(timeline, "局法规科", Q3)}
    assert rows["26"].deadlines.endswith("9月30日前（第三季度）")
    assert "6月30日前（第二季度）（已逾期）" in rows["26"].deadlines
    assert rows["13"].deadlines == "本期无，时限为10月31日前"
    assert rows["13"].role == "牵头" and rows["13"].status is Status.NOT_STARTED


def test_done_clauses_are_left_off_and_the_last_note_shown() -> None:
    plan = parse_plan(PROGRESS_PLAN.read_text(encoding="utf-8"), str(PROGRESS_PLAN))
    timeline = Timeline(plan, as_of=dt.date(2023, 12, 20))
    quarter = periods.quarter(2023, 4)
    found = {f.office: f.rows for f in forms.office_forms(timeline, quarter)}
    every = [row for rows in found.values() for row in rows]
    assert all(row.status is not Status.DONE for row in every)
    done = [t.id for t in plan.tasks if timeline.status(t) is Status.DONE]
    assert done and not [row for row in every if row.task.id in done]
    assert any(row.last_note for row in every)


def test_the_reply_day_is_the_plans_day_of_the_last_month(plan: Plan) -> None:
    assert forms.reply_by(plan, Q3) == dt.date(2023, 9, 30)
    set_day = plan.model_copy(
        update={"reporting": plan.reporting.model_copy(update={"reply_by_day": 25})}
    )
    assert forms.reply_by(set_day, Q3) == dt.date(2023, 9, 25)


# --- the workbook -------------------------------------------------------------------------------


def test_forms_writes_one_file_per_office(cli: Invoke, plan_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "forms"
    out = make_forms(cli, plan_copy, folder)
    files = sorted(folder.glob("*.xlsx"))
    assert len(files) >= 10
    assert f"已写入 {form_path(folder, '局财审科')}（局财审科，4 项分工）" in out
    assert "请各单位于9月30日前填好交回" in out
    refs = refs_of(form_path(folder, "局财审科"))
    assert "7.3" in refs and "7.1" not in refs


def test_the_form_locks_all_but_the_input_cells(made: Path) -> None:
    workbook = load_workbook(form_path(made, "局法规科"))
    sheet = workbook[form.SHEET]
    assert sheet.protection.sheet and not sheet.protection.password
    assert workbook.security is not None and workbook.security.lockStructure
    assert sheet["A1"].value == "2023年交通法治工作要点进展填报表"
    assert "填报单位：局法规科" in sheet["A2"].value and "2023年第三季度" in sheet["A2"].value
    header = [cell.value for cell in sheet[form.HEADER_ROW]]
    assert header == form.ALL_HEADINGS
    inputs = {form.ALL_HEADINGS.index(h) for h in form.INPUT_HEADINGS}
    for row in sheet.iter_rows(min_row=form.HEADER_ROW + 1):
        for index, cell in enumerate(row):
            assert cell.protection.locked is (index not in inputs), cell.coordinate
    for row in sheet.iter_rows(max_row=form.HEADER_ROW):
        assert all(cell.protection.locked for cell in row)
    kinds = sorted(v.type for v in sheet.data_validations.dataValidation)
    assert kinds == ["date", "list"]
    status = next(v for v in sheet.data_validations.dataValidation if v.type == "list")
    assert status.formula1 == '"未开始,进行中,已完成,受阻"'
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == f"${form.HEADER_ROW}:${form.HEADER_ROW}"
    stamp_sheet = workbook[form.STAMP_SHEET]
    assert stamp_sheet.sheet_state == "hidden"
    stamp = forms.Stamp.from_header(stamp_sheet["A1"].value)
    assert (stamp.office, stamp.period, stamp.plan_year) == ("局法规科", "2023Q3", 2023)


def test_forms_refuses_to_overwrite_and_writes_none(
    cli: Invoke, plan_copy: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "forms"
    folder.mkdir()
    form_path(folder, "局财审科").write_bytes(b"kept")
    found = cli(
        "forms", "--quarter", "2023Q3", "-o", str(folder), "--as-of", AS_OF,
        "--plan", str(plan_copy), code=2,
    )  # fmt: skip
    assert "已存在" in found.output and "--force" in found.output
    assert [p.name for p in folder.iterdir()] == [form_path(folder, "局财审科").name]
    assert form_path(folder, "局财审科").read_bytes() == b"kept"


def test_forms_for_one_office_and_the_reply_day(
    cli: Invoke, plan_copy: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "one"
    out = make_forms(cli, plan_copy, folder, "--dept", "财审科", "--reply-by", "2023-09-25")
    assert [p.name for p in folder.iterdir()] == [form_path(folder, "局财审科").name]
    assert "9月25日前" in out
    sheet = load_workbook(form_path(folder, "局财审科"))[form.SHEET]
    assert sheet["A3"].value.startswith("请于9月25日前填报本季度进展并交回")


# --- collect: the round trip ---------------------------------------------------------------------


def test_two_replies_add_exactly_their_two_entries(
    cli: Invoke, plan_copy: Path, made: Path
) -> None:
    fill(form_path(made, "局法规科"), "13", 状态="进行中", 本季度进展="已收集线索 12 条",
         日期=dt.date(2023, 9, 15))  # fmt: skip
    fill(form_path(made, "局财审科"), "7.3", 状态="受阻", 本季度进展="等待区财政局政策文件")
    before = load_plan(plan_copy).plan
    out = collect(cli, plan_copy, form_path(made, "局法规科"), form_path(made, "局财审科"))
    after = load_plan(plan_copy).plan
    added = {
        t.id: t.progress[len(before.tasks_by_id[t.id].progress) :]
        for t in after.tasks
        if len(t.progress) != len(before.tasks_by_id[t.id].progress)
    }
    assert sorted(added) == [7, 13]
    [seven], [thirteen] = added[7], added[13]
    assert (seven.clause, seven.status, seven.by) == (3, Status.BLOCKED, "局财审科")
    assert seven.date == dt.date(2023, 9, 20) and seven.recorded is None  # blank: the day
    assert (thirteen.clause, thirteen.status, thirteen.by) == (None, Status.IN_PROGRESS, "局法规科")
    assert thirteen.date == dt.date(2023, 9, 15) and thirteen.recorded == dt.date(2023, 9, 20)
    timeline = Timeline(after, as_of=dt.date(2023, 9, 20))
    assert timeline.clause_status(after.tasks_by_id[7], 2) is Status.BLOCKED
    assert after.tasks_by_id[7].clauses[2].status is Status.BLOCKED
    cli("check", str(plan_copy), "--as-of", AS_OF)
    assert "7.3 状态：未开始 → 受阻" in out and "新增 2 条进展" in out
    assert "第 5 行：日期未填，记为 2023-09-20" in out
    missing = out.splitlines()[-1]
    assert missing.startswith("未报送（2023年第三季度）：局办公室、")
    assert "局法规科" not in missing and "局财审科" not in missing


def test_collecting_again_changes_nothing(cli: Invoke, plan_copy: Path, made: Path) -> None:
    fill(form_path(made, "局财审科"), "7.3", 状态="受阻", 本季度进展="等待区财政局政策文件")
    collect(cli, plan_copy, form_path(made, "局财审科"))
    once = plan_copy.read_bytes()
    out = collect(cli, plan_copy, form_path(made, "局财审科"), at="2023-09-22")
    assert plan_copy.read_bytes() == once
    assert "已收录过或状态未变 1 行" in out and "未改动" in out


def test_a_row_changed_to_another_offices_clause_is_refused(
    cli: Invoke, plan_copy: Path, made: Path
) -> None:
    path = form_path(made, "局财审科")
    fill(path, "7.3", 状态="受阻", 本季度进展="等待文件")
    fill(path, "7.3", 序号="7.1")
    fill(path, "12", 本季度进展="其余的行合格")
    before = plan_copy.read_bytes()
    out = collect(cli, plan_copy, path, code=1)
    assert "7.1 不是局财审科的分工（牵头：局法规科" in out and "原为 7.3" in out
    assert "整份未收录" in out
    assert plan_copy.read_bytes() == before
    # --skip-invalid takes the rest, and lists what it left.
    skipped = cli(
        "collect", str(path), "--as-of", AS_OF, "--plan", str(plan_copy), "--skip-invalid"
    )
    assert "新增 1 条进展" in skipped.stdout and "跳过 1 行" in skipped.stdout
    assert load_plan(plan_copy).plan.tasks_by_id[12].progress[-1].note == "其余的行合格"


@pytest.mark.parametrize(
    ("inputs", "said"),
    [
        ({"状态": "完成了"}, "状态“完成了”不是可选的状态"),
        ({"本季度进展": '=HYPERLINK("http://x")'}, "是公式"),
        ({"本季度进展": "正常\x9b31m红字"}, "控制字符 U+009B"),
        ({"本季度进展": "倒序\u202e文字"}, "控制字符 U+202E"),
        ({"日期": dt.date(2023, 6, 30), "本季度进展": "x"}, "不在填报期间"),
        ({"日期": dt.date(2023, 9, 25), "本季度进展": "x"}, "晚于今天（2023-09-20）"),
        ({"日期": "九月中旬", "本季度进展": "x"}, "日期“九月中旬”无法识别"),
        ({"日期": dt.date(2023, 9, 1)}, "没有选择状态，也没有写本季度进展"),
        ({"序号": "12", "本季度进展": "x"}, "序号由 7.3 改成了 12"),
        ({"序号": "99", "本季度进展": "x"}, "计划中已没有分工 99"),
    ],
)
def test_each_bad_row_is_refused_with_why(
    cli: Invoke, plan_copy: Path, made: Path, inputs: dict[str, Any], said: str
) -> None:
    path = form_path(made, "局财审科")
    fill(path, "7.3", **inputs)
    before = plan_copy.read_bytes()
    out = collect(cli, plan_copy, path, code=1)
    assert said in out and "第 5 行" in out
    assert plan_copy.read_bytes() == before


@pytest.mark.parametrize("typed", ["2023年9月12日", "2023-09-12", "9月12日", "9.12", "９月１２日"])
def test_a_date_typed_as_text_is_read(cli: Invoke, plan_copy: Path, made: Path, typed: str) -> None:
    fill(form_path(made, "局财审科"), "7.3", 本季度进展="已对接", 日期=typed)
    collect(cli, plan_copy, form_path(made, "局财审科"))
    entry = load_plan(plan_copy).plan.tasks_by_id[7].progress[-1]
    assert entry.date == dt.date(2023, 9, 12) and entry.status is None


def test_a_reply_after_the_plan_changed_is_taken_while_its_rows_stand(
    cli: Invoke, plan_copy: Path, made: Path
) -> None:
    path = form_path(made, "局财审科")
    fill(path, "7.3", 本季度进展="已对接")
    text = plan_copy.read_text(encoding="utf-8")
    plan_copy.write_text(text.replace("warn_days: 7", "warn_days: 10"), encoding="utf-8")
    assert "warn_days: 10" in plan_copy.read_text(encoding="utf-8")
    collect(cli, plan_copy, path)
    assert load_plan(plan_copy).plan.tasks_by_id[7].progress[-1].note == "已对接"


def test_a_reply_about_a_clause_reworded_since_is_refused(
    cli: Invoke, plan_copy: Path, made: Path
) -> None:
    path = form_path(made, "局财审科")
    fill(path, "7.3", 本季度进展="已对接")
    text = plan_copy.read_text(encoding="utf-8")
    old = "认真执行降本增效和助企纾困政策"
    plan_copy.write_text(text.replace(old, "认真执行降本增效政策"), encoding="utf-8")
    before = plan_copy.read_bytes()
    out = collect(cli, plan_copy, path, code=1)
    assert "分工 7.3 的内容在表格生成（9月20日）之后改过" in out
    assert plan_copy.read_bytes() == before


def test_a_reply_for_another_plan_is_refused(
    cli: Invoke, plan_copy: Path, made: Path, tmp_path: Path
) -> None:
    path = form_path(made, "局财审科")
    fill(path, "7.3", 本季度进展="已对接")
    other = tmp_path / "other.yaml"
    shutil.copy(plan_copy, other)
    text = other.read_text(encoding="utf-8")
    other.write_text(text.replace("title: 2023年交通法治工作要点", "title: 另一份计划", 1))
    out = cli("collect", str(path), "--as-of", AS_OF, "--plan", str(other), code=1).output
    assert "这份填报表是为《2023年交通法治工作要点》（2023 年）生成的" in out


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"not a workbook", "这不是 Excel（.xlsx）文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "旧版"),
        (encrypted_office(), "加密了"),
        (xlsx_billion_laughs(), "XML 实体"),
        (xlsx_claiming_every_cell(), "超过上限"),
        (docx_image_bomb(), "解压后有"),
        (not_office_zip(), "不是 Word（.docx）或 Excel（.xlsx）文件"),
    ],
    ids=["text", "xls", "encrypted", "entities", "dimension", "zip-bomb", "other-zip"],
)
def test_a_bad_file_exits_2_and_writes_nothing(
    cli: Invoke, plan_copy: Path, made: Path, tmp_path: Path, data: bytes, said: str
) -> None:
    good = form_path(made, "局财审科")
    fill(good, "7.3", 本季度进展="已对接")
    bad = tmp_path / "reply.xlsx"
    bad.write_bytes(data)
    before = plan_copy.read_bytes()
    out = collect(cli, plan_copy, good, bad, code=2)
    assert said in out and str(bad) in out
    assert plan_copy.read_bytes() == before


def test_a_workbook_that_is_no_form_exits_2(
    cli: Invoke, plan_copy: Path, made: Path, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    plain = tmp_path / "台账.xlsx"
    Workbook().save(plain)
    out = collect(cli, plan_copy, plain, code=2)
    assert "不是 plantrack forms 生成的填报表" in out
    out = collect(cli, plan_copy, tmp_path / "没有这个.xlsx", code=2)
    assert "找不到这个文件" in out


def test_dry_run_shows_the_change_and_writes_nothing(
    cli: Invoke, plan_copy: Path, made: Path
) -> None:
    fill(form_path(made, "局财审科"), "7.3", 状态="已完成", 本季度进展="已落实")
    before = plan_copy.read_bytes()
    found = cli(
        "collect", str(form_path(made, "局财审科")), "--as-of", AS_OF,
        "--plan", str(plan_copy), "--dry-run",
    )  # fmt: skip
    assert "（--dry-run，未写入）将写入" in found.stdout
    assert "7.3 状态：未开始 → 已完成" in found.stdout
    assert plan_copy.read_bytes() == before


# --- whatever is typed -------------------------------------------------------------------------

_TYPED = st.text(max_size=40)  # any characters but lone surrogates, which no file holds


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    status=st.one_of(st.sampled_from(["", "受阻", "done", "已完成"]), _TYPED),
    note=_TYPED,
    evidence=_TYPED,
    day=st.one_of(
        st.just(""),
        st.dates(dt.date(2023, 6, 25), dt.date(2023, 10, 5)).map(lambda d: "d" + d.isoformat()),
        _TYPED.map(lambda t: "s" + t),
    ),
)
def test_whatever_is_typed_never_makes_an_invalid_plan(
    tmp_path_factory: pytest.TempPathFactory, status: str, note: str, evidence: str, day: str
) -> None:
    folder = tmp_path_factory.mktemp("typed")
    path = folder / "2023.yaml"
    shutil.copy(plan_path(), path)
    today = dt.date(2023, 9, 20)
    plan = load_plan(path).plan
    office = forms.office_forms(Timeline(plan, as_of=today), Q3, dept="局财审科")[0]
    row = office.rows[0]
    stamp_sheet = [
        Block(1, form.STAMP_SHEET, ("s" + _stamp(plan).header(),)),
        Block(2, form.STAMP_SHEET, ("s5", "s" + row.ref, "s" + row.fingerprint)),
    ]
    typed = ["s" + status if status else "", "s" + note if note else "", day, "s" + evidence]
    cells = ("s" + row.ref, "", "", "", "", "", "", *[c if c != "s" else "" for c in typed])
    reply = reply_of("r.xlsx", [*stamp_sheet, Block(5, form.SHEET, cells)])
    found = read_reply(reply, plan, today=today)
    wanted = [(a.ref, a.entry) for a in found.answers]
    if not wanted:
        assert found.refusals or not any(c for c in typed if c not in ("", "s"))
        return
    batch = add_entries(path, wanted, as_of=today, dry_run=False)
    again = load_plan(path, as_of=today)  # every rule of `check` holds
    assert len(again.plan.tasks_by_id[7].progress) == len(batch.added)
    assert add_entries(path, wanted, as_of=today, dry_run=False).added == []


def plan_path() -> Path:
    from helpers import PLAN_2023

    return PLAN_2023


def _stamp(plan: Plan) -> forms.Stamp:
    day = dt.date(2023, 9, 20)
    return forms.Stamp(
        plan.title, plan.year, "plans/2023.yaml", "0" * 16, "局财审科", "2023Q3",
        Q3.start, Q3.end, day, Q3.end,
    )  # fmt: skip


def test_what_an_office_writes_reaches_the_plan_as_written(
    cli: Invoke, plan_copy: Path, made: Path
) -> None:
    note = "第一行: 要点 # 不是注释\n- 第二行 'quoted' \"double\" {braces} [list] &anchor *ref"
    fill(form_path(made, "局财审科"), "7.3", 本季度进展=note, 佐证材料="会议纪要.pdf")
    collect(cli, plan_copy, form_path(made, "局财审科"))
    entry = load_plan(plan_copy).plan.tasks_by_id[7].progress[-1]
    assert entry.note == f"{note}；佐证材料：会议纪要.pdf"


# --- the digest and notify point to the form -----------------------------------------------------


def test_the_digest_asks_for_the_form_until_the_office_replies(
    cli: Invoke, plan_copy: Path, made: Path
) -> None:
    asked = "请于9月30日前填报本季度进展并交回。"
    digest = ["digest", "--dept", "财审科", "--as-of", AS_OF, "--plan", str(plan_copy)]
    assert cli(*digest).stdout.rstrip().endswith(asked)
    fill(form_path(made, "局财审科"), "7.3", 本季度进展="已对接")
    collect(cli, plan_copy, form_path(made, "局财审科"))
    assert asked not in cli(*digest).stdout  # replied: nothing more to ask
    other = ["digest", "--dept", "安监科", "--as-of", AS_OF, "--plan", str(plan_copy)]
    assert asked in cli(*other).stdout


def test_the_digest_says_when_the_form_is_late(cli: Invoke, plan_copy: Path) -> None:
    text = plan_copy.read_text(encoding="utf-8")
    plan_copy.write_text(text + "  reply_by_day: 15\n", encoding="utf-8")
    out = cli("digest", "--dept", "财审科", "--as-of", AS_OF, "--plan", str(plan_copy)).stdout
    assert "本季度进展填报表应于9月15日前交回，尚未收到，请尽快填报交回。" in out


def test_notify_attaches_the_form_to_an_email(
    cli: Invoke, plan_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_notify import Mailbox, mailbox_server

    config = tmp_path / "notify.toml"
    with mailbox_server(tmp_path, monkeypatch) as (box, port):
        config.write_text(
            f"""
[[robots]]
dept = "财审科"
service = "email"
to = ["caishen@example.invalid"]
attach_form = true

[email]
host = "127.0.0.1"
port = {port}
from = "plantrack@example.invalid"
""",
            encoding="utf-8",
        )
        base = ["notify", "--config", str(config), "--as-of", AS_OF, "--plan", str(plan_copy)]
        preview = cli(*base, "--dry-run").stdout
        assert f"附件 {form.file_name('局财审科', '2023Q3')}" in preview
        cli(*base)
        assert isinstance(box, Mailbox)
        [mail] = box.messages
    [attached] = [part for part in mail.walk() if part.get_filename()]
    assert attached.get_filename() == form.file_name("局财审科", "2023Q3")
    received = tmp_path / "received.xlsx"
    received.write_bytes(attached.get_payload(decode=True))
    assert "7.3" in refs_of(received)
    body = next(part for part in mail.walk() if part.get_content_type() == "text/plain")
    assert "请于9月30日前填报本季度进展并交回。" in body.get_payload(decode=True).decode("utf-8")


def test_attach_form_is_for_email_only(cli: Invoke, tmp_path: Path) -> None:
    config = tmp_path / "notify.toml"
    config.write_text(
        '[[robots]]\ndept = "法规科"\nservice = "wecom"\nwebhook_env = "X"\nattach_form = true\n',
        encoding="utf-8",
    )
    out = cli("notify", "--config", str(config), "--as-of", AS_OF, "--dry-run", code=1).output
    assert "attach_form 只用于邮件" in out and "第 1 个 [[robots]]" in out
