"""The bad-input catalogue: every way a hand-edited plan goes wrong, each message exact.

tests/data/invalid/ holds one small file per kind of mistake, each made from
tests/data/valid/minimal.yaml by breaking one thing (its first line says what). Cases too
big or too binary to keep in git are made at test time below.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import DATA, Invoke
from plantrack.core import rule_codes
from plantrack.planfile import load

INVALID = DATA / "invalid"
MINIMAL = DATA / "valid" / "minimal.yaml"

EXPECTED: dict[str, str] = {
    "alias-instead-of-full-name": "{path}:24:20: “法规科”是简称：请写全称“局法规科”",
    "bad-anchor-name": "{path}:25:27: YAML 语法错误：锚点或别名的名称（&名称、*名称）只能用英文字母、数字和连字符；若 & 或 * 是文字的一部分，请给整段文字加引号",
    "bad-date-format": "{path}:35:19: date 日期无效：“2023/03/01”（应为 YYYY-MM-DD 格式的真实日期）：请写成 2023-03-01",
    "bad-indent": "{path}:21:15: YAML 语法错误：此处不能出现“: ”：可能是缩进不对；若文字本身含“: ”，请给整段文字加引号",
    "bad-recurrence": "{path}:28:20: every 的值“fortnight”无效：可选 month、quarter、half-year",
    "binary-tag": "{path}:21:16: 不支持的 YAML 标签 tag:yaml.org,2002:binary：请删除它",
    "clause-without-units": "{path}:40:13: 分工没有任何单位：请在 lead 或 responsible 中至少填写一个单位（原文确实没有分工时，写 unassigned: true）",
    "collective-unknown-group": "{path}:14:12: 统称“局属各单位”的类别“局属机构”没有任何单位：可选 局机关、局属单位",
    "comments-only": "{path}:1:1: 计划文件是空的：请从 plans/2023.yaml 复制一份作为起点",
    "duplicate-key-clause": "{path}:43:13: 重复的键“status”（第 42 行已有）：YAML 只会保留后一个，请合并或删除其中一个",
    "duplicate-key-progress": "{path}:37:13: 重复的键“date”（第 35 行已有）：YAML 只会保留后一个，请合并或删除其中一个",
    "duplicate-key-task": "{path}:39:9: 重复的键“id”（第 37 行已有）：YAML 只会保留后一个，请合并或删除其中一个",
    "duplicate-key-top": "{path}:4:1: 重复的键“title”（第 2 行已有）：YAML 只会保留后一个，请合并或删除其中一个",
    "duplicate-key-unit": "{path}:12:5: 重复的键“group”（第 10 行已有）：YAML 只会保留后一个，请合并或删除其中一个",
    "duplicate-task-id": "{path}:37:13: 任务编号 1 重复：每个任务的 id 必须唯一",
    "duplicate-unit-name": "{path}:9:11: 单位名称“局法规科”重复登记：单位的全称和简称都不能重复\n{path}:41:27: 未登记的单位“区交通执法支队”。是否指 局法规科？请改用 units 中的全称，或先在 units 中登记该单位",
    "empty": "{path}:1:1: 计划文件是空的：请从 plans/2023.yaml 复制一份作为起点",
    "impossible-date": "{path}:35:19: date 日期无效：“2023-02-30”（该月没有这一天），例如 2023-10-31",
    "merge-key": "{path}:37:9: 键必须是简单的文字（不支持 << 合并或复杂键）",
    "missing-required": "{path}:2:1: 缺少必填字段“year”：请补上 year: …",
    "multiple-documents": "{path}:16:1: 文件中有多个 YAML 文档（---）：一个计划文件只能有一个文档",
    "period-start-after-end": "{path}:30:13: 活动期的开始日期 2023-06-01 晚于结束日期 2023-05-30：请检查日期",
    "progress-before-year": "{path}:35:19: 进展日期 2022-12-01 不在计划年度 2023 年内：请检查年份",
    "progress-clause-out-of-range": "{path}:37:21: 任务 1 只有 1 项分工，没有第 3 项：可选 1.1",
    "progress-unknown-occurrence": "{path}:37:25: 任务 1 没有“2023Q5”这一时限：可选 2023Q1（第一季度）、2023Q2（第二季度）、2023-06（宣传月）、2023Q3（第三季度）、2023Q4（第四季度）",
    "recurrence-with-date": "{path}:28:13: 时限只能是 date、start/end 或 every 三者之一",
    "scalar-document": "{path}:1:1: 计划文件的顶层应是键值映射（title:、year:、sections: …），而不是单个值",
    "tab-indent": "{path}:21:1: YAML 语法错误：此处有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格",
    "top-level-list": "{path}:2:1: 计划文件的顶层应是键值映射（title:、year:、sections: …），而不是列表",
    "unclosed-quote": "{path}:21:16: YAML 语法错误：引号没有闭合：请在这段文字末尾补上对应的引号（解析器到第 43 行才发现出错）",
    "undated-without-source": "{path}:30:13: 没有日期的事项须用 date_source 说明为何没有日期",
    "undefined-alias": "{path}:25:26: 引用了未定义的锚点 *units：请检查拼写，或删除这个引用",
    "unknown-field-clause": "{path}:24:13: 未知字段“leader”：请检查拼写，或删除它（可运行 plantrack schema 查看所有字段）",
    "unknown-field-top": "{path}:5:1: 未知字段“deadline”：请检查拼写，或删除它（可运行 plantrack schema 查看所有字段）",
    "unknown-status": "{path}:42:21: status 的值“完成”无效：可选 未开始、进行中、已完成、受阻",
    "unknown-unit": "{path}:24:20: 未登记的单位“局法规处”。是否指 局法规科？请改用 units 中的全称，或先在 units 中登记该单位",
    "warn-days-negative": "{path}:5:12: warn_days 应不小于 0，实际是“-3”",
    "wrong-type-lead": "{path}:24:19: lead 应是列表，例如 lead: [局法规科]，实际是“局法规科”",
    "wrong-type-title": "{path}:2:8: title 应是文字，实际是列表：若要原样保留，请加引号",
    "wrong-type-year": "{path}:3:7: year 应是数字，实际是“二〇二三”",
    "status-disagrees-with-log": "{path}:26:21: 分工的 status 是“未开始”，但最新的进展记录（2023-03-01）是“已完成”：请把 status 改为 已完成，或补记一条进展说明变化",
    "assignment-names-an-unlisted-unit": "{path}:24:25: assignment 写明牵头单位“执法支队”，但 lead 中没有“区交通执法支队”：请核对原文，在 lead 中补上它，或改正 assignment",
    "assignment-omits-a-listed-unit": "{path}:24:25: responsible 中有“局属各单位”，但 assignment 的责任单位里没有它：请核对原文，改正 assignment，或从 responsible 中删去它",
    "progress-after-year": "{path}:35:19: 进展日期 2024-01-15 不在计划年度 2023 年内：请检查年份",
    "progress-after-as-of": "{path}:35:19: 进展日期 2023-09-01 晚于 2023-07-05（--as-of 或今天）：尚未发生的进展不能先记",
    "warn-days-huge": "{path}:5:12: warn_days 应不大于 366，实际是“99999999999”",
    "default-due-far-future": "{path}:4:14: default_due 日期无效：“9999-12-31”（超出范围：年份应在 1900 至 2999 之间），例如 2023-10-31",
    "full-width-colon": "{path}:42:19: YAML 语法错误：键“status”后面是全角冒号“：”：请改用英文冒号加空格，写成“status: 进行中”",
    "ideographic-space-indent": "{path}:38:1: YAML 语法错误：行首有全角空格（U+3000）：YAML 只能用半角空格缩进，请把它换成半角空格",
    "conflict-markers": "{path}:42:1: 合并冲突没有解决：第 42 行起是 git 冲突标记（<<<<<<<、=======、>>>>>>>）：请保留正确的一边，删去另一边和这三行标记，再运行 plantrack check",
    "unclosed-bracket": "{path}:24:19: YAML 语法错误：方括号“[”没有闭合：请在这组值的末尾补上“]”（解析器到第 25 行才发现出错）",
    "value-needs-quotes": '{path}:36:19: YAML 语法错误：以“[”开头的值会被当成列表：若这是一段文字，请给整段文字加引号，例如 note: "[已报送]第3期简报"',
    "misspelt-collective": "{path}:25:27: 未登记的统称“局属各单住”。是否指 局属各单位？请改用 collectives 中登记的统称，或先在 collectives 中登记它",
    "chinese-date": "{path}:35:19: date 日期无效：“2023年3月1日”（应为 YYYY-MM-DD 格式的真实日期）：请写成 2023-03-01",
    "full-width-comma-in-list": "{path}:24:20: “局法规科，执法支队”是几个单位写在了一起：单位之间请用英文逗号分隔，写成 [局法规科, 区交通执法支队]",
    "collective-name-duplicate": "{path}:16:11: 统称“局法规科”与单位名称重复",
    "progress-recorded-before-date": "{path}:37:23: 记录日期 2023-02-01 早于进展日期 2023-03-01：事情发生之前不能记下它，请改正 recorded 或 date",
    "postponement-backwards": "{path}:39:27: 延期后的日期 2023-05-20 不晚于原时限 2023-06-30：延期只能往后推，请检查日期",
    "deadline-unknown-clause": "{path}:30:21: 任务 1 只有 1 项分工，没有第 2 项：可选 1.1",
    "section-number-duplicate": "{path}:43:13: 部分编号 1 重复：请改为唯一编号",
    "progress-unknown-target": "{path}:38:21: 任务 1 没有名为“出庭应诉率”的目标：可选 （该任务没有量化目标）",
    "percent-in-number": '{path}:39:21: actual 应是数字，实际是“85%”：请去掉 %，写成 actual: 85（百分号写在目标的 unit: "%" 中）',
}

# The stable rule code of each problem, for tools that sort or filter problems by kind.
RULES: dict[str, tuple[str, ...]] = {
    "alias-instead-of-full-name": ("unit-unknown",),
    "bad-anchor-name": ("syntax",),
    "bad-date-format": ("invalid-date",),
    "bad-indent": ("syntax",),
    "bad-recurrence": ("invalid-choice",),
    "binary-tag": ("yaml-tag",),
    "clause-without-units": ("invalid-value",),
    "collective-unknown-group": ("collective-group-unknown",),
    "comments-only": ("empty-file",),
    "duplicate-key-clause": ("duplicate-key",),
    "duplicate-key-progress": ("duplicate-key",),
    "duplicate-key-task": ("duplicate-key",),
    "duplicate-key-top": ("duplicate-key",),
    "duplicate-key-unit": ("duplicate-key",),
    "duplicate-task-id": ("task-id-duplicate",),
    "duplicate-unit-name": ("unit-name-duplicate", "unit-unknown"),
    "empty": ("empty-file",),
    "impossible-date": ("invalid-date",),
    "merge-key": ("complex-key",),
    "missing-required": ("missing-field",),
    "multiple-documents": ("multiple-documents",),
    "period-start-after-end": ("invalid-value",),
    "progress-before-year": ("progress-outside-plan-year",),
    "progress-clause-out-of-range": ("progress-unknown-clause",),
    "progress-unknown-occurrence": ("progress-unknown-occurrence",),
    "recurrence-with-date": ("invalid-value",),
    "scalar-document": ("top-level",),
    "tab-indent": ("syntax",),
    "top-level-list": ("top-level",),
    "unclosed-quote": ("syntax",),
    "undated-without-source": ("invalid-value",),
    "undefined-alias": ("undefined-alias",),
    "unknown-field-clause": ("unknown-field",),
    "unknown-field-top": ("unknown-field",),
    "unknown-status": ("invalid-choice",),
    "unknown-unit": ("unit-unknown",),
    "warn-days-negative": ("out-of-range",),
    "wrong-type-lead": ("wrong-type",),
    "wrong-type-title": ("wrong-type",),
    "wrong-type-year": ("wrong-type",),
    "status-disagrees-with-log": ("status-disagrees-with-log",),
    "assignment-names-an-unlisted-unit": ("assignment-disagrees-with-units",),
    "assignment-omits-a-listed-unit": ("assignment-disagrees-with-units",),
    "progress-after-year": ("progress-outside-plan-year",),
    "progress-after-as-of": ("progress-after-as-of",),
    "warn-days-huge": ("out-of-range",),
    "default-due-far-future": ("invalid-date",),
    "full-width-colon": ("syntax",),
    "ideographic-space-indent": ("syntax",),
    "conflict-markers": ("merge-conflict",),
    "unclosed-bracket": ("syntax",),
    "value-needs-quotes": ("syntax",),
    "misspelt-collective": ("unit-unknown",),
    "chinese-date": ("invalid-date",),
    "full-width-comma-in-list": ("unit-unknown",),
    "percent-in-number": ("wrong-type",),
    "collective-name-duplicate": ("collective-name-duplicate",),
    "deadline-unknown-clause": ("deadline-unknown-clause",),
    "postponement-backwards": ("postponement-invalid",),
    "progress-recorded-before-date": ("progress-recorded-before-date",),
    "section-number-duplicate": ("section-number-duplicate",),
    "progress-unknown-target": ("progress-unknown-target",),
}
# Rules the generated cases show, by case.
GENERATED_RULES = {
    "control-character": "control-character",
    "gbk": "encoding",
    "bom-crlf": "task-id-duplicate",
    "50MB": "unknown-field",
    "alias-bomb": "alias-bomb",
}


def test_catalogue_has_a_file_for_every_expectation() -> None:
    assert sorted(p.stem for p in INVALID.glob("*.yaml")) == sorted(EXPECTED)
    assert len(EXPECTED) + len(GENERATED) >= 25


@pytest.mark.parametrize("cached", [False, True], ids=["read", "cached"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_invalid_file_exits_1_at_its_culprit(
    cli: Invoke, name: str, cached: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = INVALID / f"{name}.yaml"
    if cached:  # every file through the cache of read values, filled then read
        monkeypatch.setattr(load, "CACHED_FROM", 0)
        cli("check", str(path), code=1)
    result = cli("check", str(path), code=1)
    assert result.stderr == EXPECTED[name].format(path=path) + "\n"
    assert result.stdout == ""


def test_minimal_plan_is_valid(cli: Invoke) -> None:
    assert "没有发现问题" in cli("check", str(MINIMAL)).stdout


def _gbk(folder: Path) -> Path:
    path = folder / "gbk.yaml"
    path.write_bytes(MINIMAL.read_text(encoding="utf-8").encode("gbk"))
    return path


def _bom_crlf_duplicate_id(folder: Path) -> Path:
    text = MINIMAL.read_text(encoding="utf-8").replace("      - id: 2\n", "      - id: 1\n")
    path = folder / "bom-crlf.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    return path


def _fifty_megabytes(folder: Path) -> Path:
    # A plan with 50 MB of pasted text under a key that does not exist.
    path = folder / "huge.yaml"
    padding = "这是一段误粘贴进来的很长的文字。" * (50 * 1024 * 1024 // 48)
    path.write_text(MINIMAL.read_text(encoding="utf-8") + f"pasted: {padding}\n", encoding="utf-8")
    assert path.stat().st_size >= 50 * 1024 * 1024
    return path


def _alias_bomb(folder: Path) -> Path:
    # "Billion laughs": nine levels of ten aliases each would expand to 10**9 nodes.
    lines = ['a0: &a0 ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    path = folder / "bomb.yaml"
    path.write_text(MINIMAL.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _control_character(folder: Path) -> Path:
    # Text pasted from a web page or Word can carry invisible control characters.
    text = MINIMAL.read_text(encoding="utf-8").replace("任务一的内容。", "任务一的\x7f内容。")
    path = folder / "control.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GENERATED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "control-character": (
        _control_character,
        "{path}:23:23: 文件中有 YAML 不允许的控制字符 U+007F：请删除它（常见于从网页或 Word 复制的文字）",
    ),
    "gbk": (
        _gbk,
        "{path}:1:3: 文件不是 UTF-8 编码（字节 0xD7 无法识别，看起来是 GBK 编码）。"
        "请在编辑器中“另存为 UTF-8”，或运行 iconv -f GBK -t UTF-8 原文件 > 新文件",
    ),
    "bom-crlf": (_bom_crlf_duplicate_id, "{path}:37:13: 任务编号 1 重复：每个任务的 id 必须唯一"),
    "50MB": (
        _fifty_megabytes,
        "{path}:43:1: 未知字段“pasted”：请检查拼写，或删除它（可运行 plantrack schema 查看所有字段）",
    ),
    "alias-bomb": (
        _alias_bomb,
        "{path}:50:10: YAML 别名（*引用）展开后过大，疑似“别名炸弹”：请删除锚点和别名",
    ),
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_cases_exit_1_at_their_culprit(cli: Invoke, tmp_path: Path, name: str) -> None:
    make, expected = GENERATED[name]
    path = make(tmp_path)
    result = cli("check", str(path), code=1)
    assert result.stderr == expected.format(path=path) + "\n"


def test_every_catalogued_mistake_has_a_rule_code() -> None:
    assert sorted(RULES) == sorted(EXPECTED)
    for name, rules in RULES.items():
        [checked] = load.check_files([INVALID / f"{name}.yaml"])
        assert checked.plan is None
        assert tuple(problem.rule for problem in checked.problems) == rules, name


def test_the_rule_registry_and_the_catalogue_agree(tmp_path: Path) -> None:
    registered = {rule.code for rule in rule_codes.RULES}
    assert len(registered) == len(rule_codes.RULES)  # each code once
    shown = {code for codes in RULES.values() for code in codes}
    for name, code in GENERATED_RULES.items():
        [checked] = load.check_files([GENERATED[name][0](tmp_path)])
        assert {problem.rule for problem in checked.problems} == {code}, name
        shown.add(code)
    # Every error rule has a catalogued mistake; the one warning is shown on a valid plan.
    # The unfinished merge is a state of git's, not of the file: tests/test_merge.py shows it.
    assert shown == registered - {rule_codes.COMMENT_IN_TEXT, rule_codes.MERGE_UNFINISHED}
    [checked] = load.check_files([_text_after_a_hash(tmp_path)])
    assert [w.rule for w in checked.warnings] == [rule_codes.COMMENT_IN_TEXT]


def _text_after_a_hash(folder: Path) -> Path:
    text = MINIMAL.read_text(encoding="utf-8").replace("note: 已部署", "note: 已部署 #重点")
    path = folder / "hash.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_list_rules_prints_the_registry(cli: Invoke) -> None:
    lines = cli("check", "--list-rules").stdout.splitlines()
    assert lines[0] == "规则代码\t说明\t检查位置"
    assert [line.split("\t")[0] for line in lines[1:]] == [r.code for r in rule_codes.RULES]
