"""Every rule `check` applies, in one table: its stable code, what it catches, where it lives.

Tools sort and filter problems by code (`check --format github` puts it in the title);
`plantrack check --list-rules` prints this table, and the catalogue test walks it.
"""

from __future__ import annotations

from typing import NamedTuple


class Rule(NamedTuple):
    """One rule: its code, a short Chinese description, and the module that checks it."""

    code: str
    description: str
    where: str


# Reading the file: bytes and YAML.
ENCODING = "encoding"
CONTROL_CHARACTER = "control-character"
EMPTY_FILE = "empty-file"
SYNTAX = "syntax"
MERGE_CONFLICT = "merge-conflict"
MERGE_UNFINISHED = "merge-unfinished"
DUPLICATE_KEY = "duplicate-key"
MULTIPLE_DOCUMENTS = "multiple-documents"
YAML_TAG = "yaml-tag"
COMPLEX_KEY = "complex-key"
UNDEFINED_ALIAS = "undefined-alias"
ALIAS_BOMB = "alias-bomb"
# The schema.
TOP_LEVEL = "top-level"
MISSING_FIELD = "missing-field"
UNKNOWN_FIELD = "unknown-field"
WRONG_TYPE = "wrong-type"
INVALID_DATE = "invalid-date"
INVALID_CHOICE = "invalid-choice"
OUT_OF_RANGE = "out-of-range"
INVALID_VALUE = "invalid-value"
# Across fields.
UNIT_NAME_DUPLICATE = "unit-name-duplicate"
COLLECTIVE_NAME_DUPLICATE = "collective-name-duplicate"
COLLECTIVE_GROUP_UNKNOWN = "collective-group-unknown"
SECTION_NUMBER_DUPLICATE = "section-number-duplicate"
TASK_ID_DUPLICATE = "task-id-duplicate"
UNIT_UNKNOWN = "unit-unknown"
ASSIGNMENT_DISAGREES = "assignment-disagrees-with-units"
PROGRESS_OUTSIDE_YEAR = "progress-outside-plan-year"
PROGRESS_AFTER_AS_OF = "progress-after-as-of"
PROGRESS_RECORDED_BEFORE_DATE = "progress-recorded-before-date"
PROGRESS_UNKNOWN_CLAUSE = "progress-unknown-clause"
PROGRESS_UNKNOWN_OCCURRENCE = "progress-unknown-occurrence"
PROGRESS_UNKNOWN_TARGET = "progress-unknown-target"
DEADLINE_UNKNOWN_CLAUSE = "deadline-unknown-clause"
POSTPONEMENT_INVALID = "postponement-invalid"
STATUS_DISAGREES = "status-disagrees-with-log"
# A warning: printed as 提示, the exit code stays 0.
COMMENT_IN_TEXT = "comment-in-text"

_YAML = "planfile/yamltree"
_SCHEMA = "planfile/messages"
_RULES = "core/rules"

RULES: tuple[Rule, ...] = (
    Rule(ENCODING, "文件不是 UTF-8 编码（如 GBK）", "planfile/load"),
    Rule(CONTROL_CHARACTER, "文件中有 YAML 不允许的控制字符", _YAML),
    Rule(EMPTY_FILE, "文件是空的，或只有注释", _YAML),
    Rule(SYNTAX, "YAML 语法错误，包括全角冒号、全角空格、未闭合的引号和括号等笔误", _YAML),
    Rule(MERGE_CONFLICT, "没有解决的 git 合并冲突标记", "planfile/slips"),
    Rule(
        MERGE_UNFINISHED,
        "git 的合并还没有完成，计划文件仍未合并（合并驱动没有运行）",
        "commands/check",
    ),
    Rule(DUPLICATE_KEY, "同一层有重复的键（YAML 会悄悄丢掉前一个）", _YAML),
    Rule(MULTIPLE_DOCUMENTS, "一个文件中有多个 YAML 文档（---）", _YAML),
    Rule(YAML_TAG, "不支持的 YAML 标签（!!binary 等）", _YAML),
    Rule(COMPLEX_KEY, "不是简单文字的键（<< 合并、复杂键）", _YAML),
    Rule(UNDEFINED_ALIAS, "引用了未定义的锚点（*名称）", _YAML),
    Rule(ALIAS_BOMB, "别名展开后过大（别名炸弹）", _YAML),
    Rule(TOP_LEVEL, "顶层不是键值映射", "planfile/load"),
    Rule(MISSING_FIELD, "缺少必填字段", _SCHEMA),
    Rule(UNKNOWN_FIELD, "未知字段（多为拼写错误）", _SCHEMA),
    Rule(WRONG_TYPE, "值的类型不对（如数字写成文字、列表写成单个值）", _SCHEMA),
    Rule(INVALID_DATE, "不存在或写法不对的日期", _SCHEMA),
    Rule(INVALID_CHOICE, "不在可选范围内的值（如状态、周期）", _SCHEMA),
    Rule(OUT_OF_RANGE, "超出范围或为空的值", _SCHEMA),
    Rule(INVALID_VALUE, "字段之间不一致（如活动期开始晚于结束、分工没有单位）", _SCHEMA),
    Rule(UNIT_NAME_DUPLICATE, "单位的全称或简称重复登记", _RULES),
    Rule(COLLECTIVE_NAME_DUPLICATE, "统称与单位名称重复", _RULES),
    Rule(COLLECTIVE_GROUP_UNKNOWN, "统称的类别没有任何单位", _RULES),
    Rule(SECTION_NUMBER_DUPLICATE, "部分编号重复", _RULES),
    Rule(TASK_ID_DUPLICATE, "任务编号重复", _RULES),
    Rule(UNIT_UNKNOWN, "分工中有未登记的单位、简称或统称", _RULES),
    Rule(ASSIGNMENT_DISAGREES, "原文括注写的单位与 lead/responsible/support 不符", _RULES),
    Rule(PROGRESS_OUTSIDE_YEAR, "进展日期不在计划年度内", _RULES),
    Rule(PROGRESS_AFTER_AS_OF, "进展日期或记录日期晚于 --as-of 或今天", _RULES),
    Rule(PROGRESS_RECORDED_BEFORE_DATE, "进展的记录日期（recorded）早于它的日期", _RULES),
    Rule(PROGRESS_UNKNOWN_CLAUSE, "进展记录指向不存在的分工", _RULES),
    Rule(PROGRESS_UNKNOWN_OCCURRENCE, "进展记录指向不存在的时限", _RULES),
    Rule(PROGRESS_UNKNOWN_TARGET, "进展记录指向不存在的目标", _RULES),
    Rule(DEADLINE_UNKNOWN_CLAUSE, "时限指向不存在的分工（clause）", _RULES),
    Rule(POSTPONEMENT_INVALID, "延期没有写明时限、往前推或推出计划年度", _RULES),
    Rule(STATUS_DISAGREES, "分工的 status 与最新的进展记录不符", _RULES),
    Rule(COMMENT_IN_TEXT, "提示：文字中的 #… 被 YAML 当作注释丢掉了", "planfile/slips"),
)
