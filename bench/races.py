"""Races with the world outside plantrack: lines appended during edits, and edits killed midway.

    python bench/races.py appends [RUNS]   # default 200 `log` runs
    python bench/races.py kills [RUNS] [SEED]  # default 100 `mark` runs killed with SIGKILL

appends: another process appends a comment line to the plan every 2 ms while `plantrack
log` runs RUNS times; prints how many appended lines the plan lost (must be 0).
kills: `plantrack mark` is killed at a random moment RUNS times in a git repository
holding the project's .gitignore, the moments drawn from SEED (printed, so a run can be
repeated exactly); prints `git status --porcelain` (must list only the
plan) and whether the plan still passes `check`.
The test suite runs both with smaller counts (tests/test_files.py).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from multiprocessing import Event, Process
from multiprocessing.synchronize import Event as EventType
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANTRACK = [sys.executable, "-m", "plantrack"]


def appender(path: Path, stop: EventType, every: float = 0.002) -> None:
    """Append a numbered comment line every few milliseconds until told to stop."""
    number = 0
    while not stop.is_set():
        number += 1
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"# 追加 {number}\n")
        time.sleep(every)


def lost_appends(path: Path, runs: int, log: object) -> tuple[int, int, int]:
    """Run `log` runs times while lines are appended; (appended, lost, edits written)."""
    stop = Event()
    writer = Process(target=appender, args=(path, stop))
    writer.start()
    written = 0
    try:
        for run in range(runs):
            written += bool(log(path, run))  # type: ignore[operator]
    finally:
        stop.set()
        writer.join()
    lines = path.read_text(encoding="utf-8").splitlines()
    appended = [line for line in lines if line.startswith("# 追加 ")]
    numbers = {int(line.split()[-1]) for line in appended}
    highest = max(numbers, default=0)
    return highest, highest - len(numbers), written


def log_by_process(path: Path, run: int) -> bool:
    """One `plantrack log` in a process of its own; whether it wrote."""
    done = subprocess.run(
        [*PLANTRACK, "log", "1", f"第 {run} 次记录", "--plan", str(path), "--date", "2023-07-01"],
        capture_output=True,
        env={**os.environ, "PLANTRACK_TODAY": "2023-12-31"},
        check=False,
    )
    return done.returncode == 0


def killed_marks(folder: Path, runs: int, seed: int) -> tuple[str, bool]:
    """Kill `mark` at moments drawn from seed, in a git repository; (git status, plan valid).

    The same seed kills at the same moments, so a failure can be run again as it was.
    """
    moments = random.Random(seed)
    plans = folder / "plans"
    plans.mkdir(parents=True)
    shutil.copy(ROOT / "plans" / "2023.yaml", plans / "2023.yaml")
    shutil.copy(ROOT / ".gitignore", folder / ".gitignore")
    git = ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "plan"], check=True)
    env = {**os.environ, "PLANTRACK_TODAY": "2023-12-31"}
    for run in range(runs):
        status = ("已完成", "进行中")[run % 2]
        command = [*PLANTRACK, "mark", "9", status, "--plan", str(plans / "2023.yaml")]
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(moments.uniform(0.05, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
    porcelain = subprocess.run(
        [*git, "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    check = subprocess.run(
        [*PLANTRACK, "check", "--plan", str(plans / "2023.yaml")], capture_output=True, env=env
    )
    return porcelain, check.returncode == 0


def main() -> None:
    """Run the race named on the command line and print what it found."""
    what = sys.argv[1] if len(sys.argv) > 1 else "appends"
    with tempfile.TemporaryDirectory() as folder:
        if what == "appends":
            runs = int(sys.argv[2]) if len(sys.argv) > 2 else 200
            plan = Path(folder) / "2023.yaml"
            shutil.copy(ROOT / "plans" / "2023.yaml", plan)
            appended, lost, written = lost_appends(plan, runs, log_by_process)
            print(f"{runs} 次 log（写入 {written} 次），追加 {appended} 行，丢失 {lost} 行")
        else:
            runs = int(sys.argv[2]) if len(sys.argv) > 2 else 100
            seed = int(sys.argv[3]) if len(sys.argv) > 3 else random.SystemRandom().randrange(10**6)
            porcelain, valid = killed_marks(Path(folder), runs, seed)
            print(
                f"{runs} 次 SIGKILL（种子 {seed}，重跑：python bench/races.py kills {runs} {seed}）"
            )
            print("之后 git status --porcelain：")
            print(porcelain or "（无输出）", end="")
            print(f"计划文件{'仍然有效' if valid else '无效！'}")


if __name__ == "__main__":
    main()
