"""The committed JSON Schema matches the models, so editors check what plantrack checks."""

from __future__ import annotations

import json

from conftest import ROOT, Invoke


def test_committed_schema_is_current(cli: Invoke) -> None:
    # Regenerate with: plantrack schema > schema/plan.schema.json
    committed = json.loads((ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8"))
    assert json.loads(cli("schema").stdout) == committed


def test_schema_forbids_unknown_fields_and_lists_statuses(cli: Invoke) -> None:
    schema = json.loads(cli("schema").stdout)
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Status"]["enum"] == ["未开始", "进行中", "已完成", "受阻"]
    assert set(schema["required"]) == {"title", "year", "units", "sections"}
