"""The README stays true to the code: its code map names every module."""

from __future__ import annotations

import re

from helpers import ROOT


def test_code_map_names_every_module_once() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code_map = readme[readme.index("### 代码地图") :]
    rows = [line for line in code_map.splitlines() if line.startswith("| `")]
    named = [name for row in rows for name in re.findall(r"`([a-z_/]+\.py)`", row.split("|")[1])]
    package = ROOT / "src" / "plantrack"
    # A package's own __init__.py counts (it holds the package's API); the top one does not.
    modules = sorted(
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if p.parent != package or p.name != "__init__.py"
    )
    assert sorted(set(named)) == modules
    assert len(named) == len(set(named))
