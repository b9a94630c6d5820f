"""Shared fixtures: the bundled plan, a CLI runner with a fixed date, and plan copies to break."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from helpers import PLAN_2023, ROOT, Invoke
from plantrack.cli.app import load
from plantrack.core.model import Plan
from plantrack.core.timeline import Timeline
from plantrack.planfile.load import parse_plan


@pytest.fixture(scope="session")
def plan_text() -> str:
    """The bundled 2023 plan as text."""
    return PLAN_2023.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def plan(plan_text: str) -> Plan:
    """The bundled 2023 plan, validated."""
    return parse_plan(plan_text, str(PLAN_2023))


@pytest.fixture
def plan_copy(tmp_path: Path) -> Path:
    """A copy of the bundled plan, in a plans/ folder of its own, that commands may change."""
    path = tmp_path / "plans" / "2023.yaml"
    path.parent.mkdir()
    path.write_bytes(PLAN_2023.read_bytes())
    return path


@pytest.fixture
def timeline(plan: Plan) -> Timeline:
    """The bundled 2023 plan's timeline."""
    return Timeline(plan)


@pytest.fixture(scope="session")
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cache of this test session: never the developer's own."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _fixed_environment(monkeypatch: pytest.MonkeyPatch, cache_folder: Path) -> None:
    # Nothing may depend on today's date or on variables of the developer's shell.
    monkeypatch.setenv("PLANTRACK_TODAY", "2023-07-05")
    monkeypatch.setenv("PLANTRACK_CACHE_DIR", str(cache_folder))
    monkeypatch.delenv("PLANTRACK_NO_CACHE", raising=False)
    monkeypatch.delenv("PLANTRACK_PLAN", raising=False)
    monkeypatch.delenv("PLANTRACK_DEBUG", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.chdir(ROOT)


@pytest.fixture
def cli() -> Invoke:
    """Run plantrack in-process; expect exit 0 unless told otherwise."""
    runner = CliRunner()

    def invoke(*args: str, code: int = 0, env: dict[str, str] | None = None) -> Result:
        result = runner.invoke(load([]), list(args), env=env)
        assert "Traceback" not in result.output
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code == code, result.output
        return result

    return invoke


@pytest.fixture
def broken_plan(tmp_path: Path, plan_text: str) -> Callable[[str, str], tuple[Path, int]]:
    """Write a copy of the 2023 plan with one text replaced; return its path and that line."""

    def make(old: str, new: str) -> tuple[Path, int]:
        assert plan_text.count(old) == 1, f"{old!r} must occur exactly once"
        line = plan_text[: plan_text.index(old)].count("\n") + 1
        path = tmp_path / "2023.yaml"
        path.write_text(plan_text.replace(old, new), encoding="utf-8")
        return path, line

    return make
