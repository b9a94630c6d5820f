"""The console script as a process: exit codes, lazy imports, the pydantic plugin shortcut."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from helpers import PLANTRACK, ROOT


def run(*args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLANTRACK_TODAY": "2023-10-01"}
    done = subprocess.run(
        [sys.executable, "-m", "plantrack", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    return done


def test_exit_codes_of_the_real_process() -> None:
    assert run("check").stdout.startswith("plans/2023.yaml: 没有发现问题")
    assert "是否指 局法规科" in run("tasks", "--dept", "法规处", code=2).stderr
    assert "找不到计划文件" in run("check", "--plan", "nope.yaml", code=1).stderr
    assert "没有选项 --bogus" in run("due", "--bogus", code=2).stderr


def test_output_is_complete_despite_the_fast_exit() -> None:
    # os._exit skips the interpreter's flush; everything printed must still arrive.
    tasks = json.loads(run("tasks", "--json").stdout)
    assert len(tasks) == 26


@pytest.mark.parametrize("command", [["due", "--dept", "法规科"], ["tasks", "--json"], ["check"]])
def test_fast_commands_do_not_load_heavy_libraries(command: list[str]) -> None:
    # Jinja2, openpyxl, icalendar and the round-trip YAML libraries belong to the commands
    # that need them; `due` and friends must not pay for them.
    script = (
        "import sys, atexit\n"
        "from plantrack.cli import entry\n"
        "heavy = ('jinja2', 'openpyxl', 'icalendar', 'ruamel', 'rich.table')\n"
        "import os\n"
        "real_exit = os._exit\n"
        "def report(code):\n"
        "    loaded = sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy)\n"
        "    sys.stderr.write('LOADED:' + ','.join(loaded) + '\\n'); sys.stderr.flush()\n"
        "    real_exit(code)\n"
        "os._exit = report\n"
        f"sys.argv = ['plantrack', *{command!r}]\n"
        "entry.main()\n"
    )
    env = {**os.environ, "PLANTRACK_TODAY": "2023-10-01"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = done.stderr.split("LOADED:")[1].strip()
    assert loaded == ""


def test_a_command_builds_only_its_own_group() -> None:
    script = (
        "import os, sys\n"
        "from plantrack.cli import entry\n"
        "def report(code):\n"
        "    groups = sorted(m for m in sys.modules if m.startswith('plantrack.cli.') and m.split('.')[-1] in GROUPS)\n"
        "    sys.stderr.write('GROUPS:' + ','.join(groups) + '\\n')\n"
        "os._exit = report\n"
        "from plantrack.cli.app import GROUPS\n"
        "sys.argv = ['plantrack', 'due', '--dept', '法规科']\n"
        "entry.main()\n"
    )
    env = {**os.environ, "PLANTRACK_TODAY": "2023-10-01"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert done.stderr.split("GROUPS:")[1].strip() == "plantrack.cli.queries"


def test_pydantic_plugins_are_switched_off_by_its_documented_variable() -> None:
    script = (
        "import os, sys\n"
        "from plantrack.cli import entry\n"
        "os._exit = lambda code: None\n"
        "sys.argv = ['plantrack', '--version']\n"
        "entry.main()\n"
        "print(os.environ['PYDANTIC_DISABLE_PLUGINS'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.splitlines()[-1] == "__all__"


def complete(words: str) -> str:
    """What the shell would be offered for the command line typed so far (zsh protocol)."""
    env = {
        **os.environ,
        "PLANTRACK_TODAY": "2023-10-01",
        "_PLANTRACK_COMPLETE": "complete_zsh",
        "_TYPER_COMPLETE_ARGS": words,
    }
    # The installed console script: the variable's name comes from the program's name.
    script = PLANTRACK
    done = subprocess.run([script], capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(
    ("words", "offered", "not_offered"),
    [
        ("plantrack due --dept 法", '"法规科":"局法规科"', "安监科"),
        ("plantrack show 2", '"25":"积极开展对外普法宣传活动"', '"13"'),
        ("plantrack mark 7.", '"7.3":', '"13"'),
        ("plantrack mark 7.2 ", '"已完成":"done"', "7.1"),
        (
            "plantrack mark 25 done --occurrence 2023",
            '"2023-05":"“路政宣传月”集中普法活动"',
            "2023Q",
        ),
        ("plantrack mark 25 done --occurrence 安全", '"安全生产月":"2023-06"', "2023-05"),
    ],
)
def test_shell_completion_offers_the_plans_values(
    words: str, offered: str, not_offered: str
) -> None:
    out = complete(words)
    assert offered in out and not_offered not in out
