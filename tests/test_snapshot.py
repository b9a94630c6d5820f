"""The validated plan in the cache: a hit is the same plan, anything odd is a miss."""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from helpers import PLAN_2023, PLANTRACK, PROGRESS_PLAN, ROOT, Invoke
from plantrack.cli import app
from plantrack.core import domain, model, rules
from plantrack.core.errors import PlanError
from plantrack.planfile import cache, load, snapshot

INVALID = ROOT / "tests" / "data" / "invalid"


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / snapshot.KIND).rglob("*") if p.is_file())


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    where = tmp_path / "cache"
    monkeypatch.setenv("PLANTRACK_CACHE_DIR", str(where))
    return where


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any reading of YAML text or validation fail the test: a hit needs neither."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the plan was read again")

    monkeypatch.setattr(load, "_parse", refuse)
    monkeypatch.setattr(load, "parse_plan", refuse)


def test_a_plan_read_again_is_the_same_plan_and_is_not_parsed(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load.load_plan(PLAN_2023).plan
    [entry] = _entries(folder)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in (folder, entry.parent))
    with monkeypatch.context() as patched:
        _no_parsing(patched)
        again = load.load_plan(PLAN_2023).plan
    assert again == first and first == again and again is not first
    assert _twin(again) and type(first) is model.Plan
    assert _entries(folder) == [entry]


def _twin(found: object) -> bool:
    """Whether found is one of core.domain's plain twins (typed as a model where it is used)."""
    return type(found).__module__ == domain.__name__


def test_the_twins_answer_as_the_models_do(folder: Path) -> None:
    first = load.load_plan(PROGRESS_PLAN).plan
    again = load.load_plan(PROGRESS_PLAN).plan
    assert _twin(again)
    assert (
        again.fallback_due == first.fallback_due
        and again.tasks_by_id.keys() == first.tasks_by_id.keys()
    )
    assert again.task_sections[13] == first.task_sections[13]
    for mine, theirs in zip(again.tasks, first.tasks, strict=True):
        assert _twin(mine) and type(mine).__name__ == "Task"
        assert (mine.text, mine.lead_units, mine.responsible_units, mine.clause_ref(1)) == (
            theirs.text,
            theirs.lead_units,
            theirs.responsible_units,
            theirs.clause_ref(1),
        )
        for entry, its in zip(mine.progress, theirs.progress, strict=True):
            assert entry.known_on(dt.date(2023, 6, 30)) == its.known_on(dt.date(2023, 6, 30))
            for mode in ("json", "python"):
                for exclude_none in (True, False):
                    dumped = entry.model_dump(mode=mode, exclude_none=exclude_none)
                    assert dumped == its.model_dump(mode=mode, exclude_none=exclude_none)
        for target, its_target in zip(mine.targets, theirs.targets, strict=True):
            assert target.model_dump(mode="json") == its_target.model_dump(mode="json")
    entry = next(task.progress[0] for task in again.tasks if task.progress)
    moved = entry.model_copy(update={"note": "改过"})
    assert moved.note == "改过" and entry.note != "改过" and _twin(moved)
    assert moved != entry and "Progress(date=" in repr(moved)
    assert first.model_dump(mode="json") == again.model_dump(mode="json")


def test_other_bytes_miss(folder: Path, tmp_path: Path) -> None:
    load.load_plan(PLAN_2023)
    edited = tmp_path / "2023.yaml"
    text = PLAN_2023.read_text(encoding="utf-8")
    edited.write_text(text.replace("统筹推进专项整治工作", "统筹推进专项整治", 1), encoding="utf-8")
    assert load.load_plan(edited).plan.tasks_by_id[13].title == "统筹推进专项整治"
    assert len(_entries(folder)) == 2


def _evil_payload() -> bytes:
    """A pickle that would run a command if a plain unpickler read it."""

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str, ...]]:
            return (os.system, ("touch pwned",))

    return pickle.dumps(Evil())


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data[:-40] + bytes(40),  # changed, header intact
        lambda data: b"not a plantrack cache entry\n" + data,  # foreign
        lambda data: b"",  # empty
    ],
    ids=["cut", "changed", "foreign", "empty"],
)
def test_a_damaged_entry_is_a_miss_and_is_written_again(
    folder: Path, damage: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = load.load_plan(PLAN_2023).plan
    [entry] = _entries(folder)
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert snapshot.restore(PLAN_2023.read_bytes()) is None
    assert load.load_plan(PLAN_2023).plan == good
    with monkeypatch.context() as patched:  # repaired: the next load is a hit again
        _no_parsing(patched)
        assert load.load_plan(PLAN_2023).plan == good


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(_evil_payload(), id="code"),
        pytest.param(pickle.dumps({"title": "不是计划"}), id="not-a-plan"),
        pytest.param(pickle.dumps(print), id="a-builtin"),
        pytest.param(b"\x80\x05garbage", id="garbage"),
    ],
)
def test_an_entry_with_a_valid_header_but_foreign_content_is_a_miss(
    folder: Path, payload: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = PLAN_2023.read_bytes()
    cache.put(snapshot.KIND, data, payload)  # written as a real entry, hash and all
    assert cache.get(snapshot.KIND, data) == payload
    assert snapshot.restore(data) is None
    assert not (tmp_path / "pwned").exists()
    assert load.load_plan(PLAN_2023).plan.title  # read from the text, and stored again
    assert snapshot.restore(data) is not None


def test_an_entry_of_another_version_is_a_miss(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load.load_plan(PLAN_2023)
    monkeypatch.setattr(cache, "code_stamp", lambda: b"another plantrack")
    assert snapshot.restore(PLAN_2023.read_bytes()) is None


def test_the_code_stamp_covers_the_libraries_whose_objects_are_kept() -> None:
    stamp = cache.code_stamp()
    assert [cache._installed(name) != "-" for name in cache._LIBRARIES] == [True, True, True]
    assert cache._installed("no_such_library_here") == "-"
    assert stamp == cache.code_stamp()


def test_an_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("PLANTRACK_CACHE_DIR", str(blocker / "cache"))
    assert load.load_plan(PLAN_2023).plan.year == 2023
    assert load.load_plan(PLAN_2023).plan.year == 2023


def test_no_cache_turns_it_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANTRACK_NO_CACHE", "1")
    load.load_plan(PLAN_2023)
    assert not folder.exists()


def test_only_the_most_recently_used_entries_are_kept(folder: Path, tmp_path: Path) -> None:
    text = PLAN_2023.read_text(encoding="utf-8")
    for number in range(snapshot.KEPT + 3):
        version = tmp_path / f"{number}.yaml"
        version.write_text(text.replace("统筹推进专项整治工作", f"整治{number}", 1), "utf-8")
        load.load_plan(version)
    assert len(_entries(folder)) == snapshot.KEPT
    assert snapshot.restore((tmp_path / "0.yaml").read_bytes()) is None  # the oldest went
    assert snapshot.restore((tmp_path / f"{snapshot.KEPT + 2}.yaml").read_bytes()) is not None


def test_a_large_plan_keeps_its_read_values_and_that_it_passed_instead(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load, "SNAPSHOT_UP_TO", 1000)
    monkeypatch.setattr(load, "CACHED_FROM", 0)
    first = load.load_plan(PROGRESS_PLAN, as_of=dt.date(2023, 12, 31)).plan
    assert _entries(folder) == []
    for kind in ("values", "passed"):
        assert len([p for p in (folder / kind).rglob("*") if p.is_file()]) == 1

    def no_rules(*args: object, **kwargs: object) -> None:
        raise AssertionError("the rules ran again")

    with monkeypatch.context() as patched:  # passed before: only the day's rules run
        patched.setattr(rules, "check", no_rules)
        assert load.load_plan(PROGRESS_PLAN).plan == first
        with pytest.raises(PlanError) as early:
            load.load_plan(PROGRESS_PLAN, as_of=dt.date(2023, 3, 1))
    monkeypatch.setenv("PLANTRACK_NO_CACHE", "1")
    with pytest.raises(PlanError) as cold:
        load.load_plan(PROGRESS_PLAN, as_of=dt.date(2023, 3, 1))
    assert early.value.problems == cold.value.problems and cold.value.problems


def test_a_large_plan_that_fails_is_not_noted_as_passed(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load, "SNAPSHOT_UP_TO", 1000)
    monkeypatch.setattr(load, "CACHED_FROM", 0)
    for _ in range(2):
        with pytest.raises(PlanError):
            load.load_plan(INVALID / "unknown-unit.yaml")
    assert not (folder / "passed").exists()


def test_a_cached_plan_still_refuses_progress_dated_after_the_day_checked(
    folder: Path, cli: Invoke
) -> None:
    # Valid as of the year's end, so it is stored; checked as of an earlier day, the
    # entries after that day are refused at their lines, as they are without the cache.
    late = cli("check", str(PROGRESS_PLAN), "--as-of", "2023-12-31")
    assert "没有发现问题" in late.stdout and _entries(folder)
    early = cli("check", str(PROGRESS_PLAN), "--as-of", "2023-03-01", code=1)
    cold = cli(
        "check",
        str(PROGRESS_PLAN),
        "--as-of",
        "2023-03-01",
        code=1,
        env={"PLANTRACK_NO_CACHE": "1"},
    )
    assert early.stderr == cold.stderr and "晚于 2023-03-01" in early.stderr
    with pytest.raises(PlanError) as raised:
        load.load_plan(PROGRESS_PLAN, as_of=dt.date(2023, 3, 1))
    assert raised.value.problems[0].line > 1


def test_every_plan_checks_alike_with_and_without_the_cache(folder: Path) -> None:
    # The whole catalogue of mistakes and the valid plans, each as of two days: the
    # second day refuses progress the first allows, after the plan was stored as valid.
    runner = CliRunner()
    plans = [*sorted((ROOT / "tests" / "data").rglob("*.yaml")), PLAN_2023]
    passed = set()
    for day in ("2023-12-31", "2023-07-05"):
        for plan in plans:
            argv = ["check", str(plan), "--as-of", day]
            cold = runner.invoke(app.load([]), argv, env={"PLANTRACK_NO_CACHE": "1"})
            runner.invoke(app.load([]), argv)  # fills the cache when the plan passes
            warm = runner.invoke(app.load([]), argv)
            expected = (cold.exit_code, cold.stdout, cold.stderr)
            assert (warm.exit_code, warm.stdout, warm.stderr) == expected, (plan, day)
            if cold.exit_code == 0:
                passed.add((plan, day))
    # Four plans pass at the year's end (progress-after-as-of too); two of them fail in July.
    assert len(plans) > 60 and len({plan for plan, _ in passed}) == 4
    assert len(passed) == 6 and (INVALID / "progress-after-as-of.yaml", "2023-07-05") not in passed
    assert len(_entries(folder)) == 4


# Modules a warm `due` must not import: it answers from the cache (no YAML, no rules, no
# pydantic models) and writes to a pipe (no rich), and makes no document.
NOT_FOR_DUE = (
    "yaml",
    "plantrack.core.model",
    "plantrack.planfile.yamltree",
    "plantrack.core.rules",
    "plantrack.core.assignments",
    "rich",
    "jinja2",
    "openpyxl",
    "docx",
    "docxtpl",
    "pdfplumber",
    "icalendar",
)


def _typer_version() -> tuple[int, int]:
    from importlib.metadata import version

    major, minor = version("typer").split(".")[:2]
    return int(major), int(minor)


def test_a_warm_due_imports_only_what_it_uses(folder: Path) -> None:
    env = {**os.environ, "PLANTRACK_CACHE_DIR": str(folder)}
    argv = [sys.executable, "-X", "importtime", str(PLANTRACK), "due", "--dept", "法规科"]
    argv += ["--plan", str(PLAN_2023)]
    subprocess.run(argv, capture_output=True, env=env, check=True)  # cold: fills the cache
    warm = subprocess.run(argv, capture_output=True, env=env, check=True)
    imported = {
        line.split("|")[-1].strip()
        for line in warm.stderr.decode("utf-8").splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "plantrack.planfile.snapshot" in imported and "typer" in imported
    unwanted = [m for m in imported if m.split(".")[0] in NOT_FOR_DUE or m in NOT_FOR_DUE]
    assert sorted(unwanted) == []
    # From 0.29, Typer converts every option with pydantic; before, nothing loads pydantic.
    if _typer_version() < (0, 29):
        assert sorted(module for module in imported if module.startswith("pydantic")) == []
    assert "局法规科" in warm.stdout.decode("utf-8")


def test_cache_clear_removes_the_plans_too(cli: Invoke, folder: Path) -> None:
    load.load_plan(PLAN_2023)
    assert "（1 个文件）" in cli("cache").stdout
    cli("cache", "clear")
    assert _entries(folder) == []


def test_a_stored_plan_pickles_models_by_their_fields_only() -> None:
    plan = load.parse_plan(PLAN_2023.read_text(encoding="utf-8"), "p")
    assert plan.tasks_by_id  # a cached map in the plan's __dict__
    buffer = io.BytesIO()
    snapshot._Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(plan)
    restored = snapshot._Unpickler(io.BytesIO(buffer.getvalue())).load()
    assert "tasks_by_id" not in restored.__dict__ and restored == plan


def test_the_plan_a_mark_wrote_is_read_back_by_the_next_command(
    folder: Path, cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "2023.yaml"
    copy.write_bytes(PLAN_2023.read_bytes())
    cli("mark", "13", "doing", "--note", "已部署", "--by", "局法规科", "--plan", str(copy))
    cli("mark", "13", "done", "--plan", str(copy), "--dry-run")  # writes nothing, keeps nothing
    with monkeypatch.context() as patched:
        _no_parsing(patched)
        plan = load.load_plan(copy).plan
    assert plan.tasks_by_id[13].progress[-1].note == "已部署"
    monkeypatch.setenv("PLANTRACK_NO_CACHE", "1")
    assert load.load_plan(copy).plan == plan  # the same plan the text gives


def test_every_model_has_a_twin_with_the_same_behaviour() -> None:
    models = {
        name
        for name, found in vars(model).items()
        if isinstance(found, type)
        and issubclass(found, BaseModel)
        and found.__module__ == model.__name__
    } - {"_Strict"}
    assert models == set(domain.TWINS)
    for name, twin in domain.TWINS.items():
        for base in getattr(model, name).__mro__:
            if base.__module__ == domain.__name__:  # a behaviour: the twin has it too
                assert issubclass(twin, base), (name, base)
