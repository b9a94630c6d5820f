"""The committed JSON Schema matches the models, so editors check what plantrack checks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import PLAN_2023, ROOT, Invoke


def test_committed_schema_is_current(cli: Invoke) -> None:
    # Regenerate with: plantrack schema > schema/plan.schema.json
    committed = json.loads((ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8"))
    assert same_schema(json.loads(cli("schema").stdout)) == same_schema(committed)


def same_schema(node: Any) -> Any:
    """A schema with pydantic's two spellings of a reference beside a default made one.

    Releases before 2.9 write {"allOf": [{"$ref": …}], "default": …}; later ones write the
    $ref beside the default. Both mean the same to every validator.
    """
    if isinstance(node, list):
        return [same_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: same_schema(value) for key, value in node.items()}
    wrapped = node.get("allOf")
    if isinstance(wrapped, list) and len(wrapped) == 1 and set(wrapped[0]) == {"$ref"}:
        node = {key: value for key, value in node.items() if key != "allOf"} | wrapped[0]
    return node


def test_schema_forbids_unknown_fields_and_lists_statuses(cli: Invoke) -> None:
    schema = json.loads(cli("schema").stdout)
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Status"]["enum"] == ["未开始", "进行中", "已完成", "受阻"]
    assert set(schema["required"]) == {"title", "year", "units", "sections"}


def _check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    schema = ROOT / "schema" / "plan.schema.json"
    command = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_check_jsonschema_accepts_the_bundled_plan() -> None:
    result = _check_jsonschema(PLAN_2023)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_rejects_what_plantrack_rejects(tmp_path: Path, plan_text: str) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(plan_text.replace("status: 未开始", "status: 完成", 1), encoding="utf-8")
    result = _check_jsonschema(broken)
    assert result.returncode == 1
    assert "完成" in result.stdout


def test_pre_commit_hook_runs_plantrack_check() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks == [
        {
            "id": "plantrack-check",
            "name": "plantrack check",
            "description": hooks[0]["description"],
            "entry": "plantrack check",
            "language": "python",
            "files": r"^plans/.*\.ya?ml$",
            "pass_filenames": True,
        }
    ]


@pytest.mark.parametrize(
    ("written", "line"),
    [
        ("title: 全面学习贯彻党的二十大精神\n", 'title: "全面学习\\n贯彻党的二十大精神"\n'),
        ("title: 2023年交通法治工作要点\n", "title: |\n  2023年交通法治\n  工作要点\n"),
        ("  - name: 局法规科\n", '  - name: "局法规科\\r"\n'),
    ],
    ids=["task-title", "plan-title-block", "unit-name"],
)
def test_a_title_or_name_with_a_line_break_is_refused_where_it_is(
    cli: Invoke, tmp_path: Path, plan_text: str, written: str, line: str
) -> None:
    assert written in plan_text
    path = tmp_path / "2023.yaml"
    path.write_text(plan_text.replace(written, line, 1), encoding="utf-8")
    err = cli("check", str(path), code=1).stderr
    number = plan_text[: plan_text.index(written)].count("\n") + 1
    assert f"{path}:{number}:" in err and "要写在一行上" in err
