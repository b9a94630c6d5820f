"""Time whole plantrack processes on synthetic plans, next to Python baselines.

    python bench/run.py                 # sizes 26, 1000, 10000, 100000
    python bench/run.py --sizes 26,1000 --rounds 5

Every command runs as a separate process, as a user would run it. Rounds are interleaved
(one run of every command, then the next round), so a slow moment of the machine hits all
commands alike; each figure is the median over the rounds. Peak memory is the largest
resident set of any run. Results are printed and written to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"

BASELINE = "import typer, pydantic, yaml, rich"
# The baseline's median on the machine where the targets in seconds were set (2026-11-27).
REFERENCE_BASELINE_MS = 122
AS_OF = "2023-10-08"


@dataclass
class Case:
    """One command line to time, with its target if it has one."""

    name: str
    size: int | None
    argv: list[str]
    target: str = ""
    limit: float | None = None
    relative: bool = False
    memory_mb: int | None = None
    prepare: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    # Compared with this case's CPU time instead of the baseline's (Taskwarrior).
    versus: Case | None = None
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_kb: int = 0

    @property
    def median(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        """Median CPU time (user and system) in seconds."""
        return statistics.median(self.cpu)

    def ratio(self, other: Case) -> float:
        """Median over rounds of this case's CPU time over other's in the same round: paired."""
        pairs = zip(self.cpu, other.cpu, strict=False)
        return statistics.median(mine / theirs for mine, theirs in pairs)

    @property
    def spread(self) -> float:
        """Half the interquartile range, as a fraction of the median: the noise of this row."""
        if len(self.seconds) < 2:
            return 0.0
        low, _, high = statistics.quantiles(self.seconds, n=4)
        return (high - low) / 2 / self.median


def plantrack_argv() -> list[str]:
    """The installed console script next to this Python, as users run it."""
    script = Path(sys.executable).with_name("plantrack")
    if not script.exists():
        sys.exit("bench/run.py: plantrack is not installed in this Python's environment")
    return [str(script)]


def plan_file(size: int) -> Path:
    """A cached synthetic plan of `size` tasks."""
    path = CACHE / f"plan-{size}.yaml"
    if not path.exists():
        # A child process writes it: on Linux a child's peak memory starts from its parent's
        # size at fork, so this process must stay small for the memory column to be true.
        started = time.perf_counter()
        command = [sys.executable, str(HERE / "generate.py"), str(size), "-o", str(path)]
        subprocess.run(command, check=True)
        print(f"generated {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def cases(sizes: list[int]) -> list[Case]:
    """The commands timed, each at every size, and the baselines."""
    tool = plantrack_argv()
    result = [
        Case("python -c pass", None, [sys.executable, "-c", "pass"]),
        Case(f'python -c "{BASELINE}"', None, [sys.executable, "-c", BASELINE]),
        Case("plantrack --help", None, [*tool, "--help"], "≤ 1.8 × baseline", 1.8, relative=True),
        # The floor under any Typer command with due's options: Typer alone, nothing behind.
        Case(
            "Typer 空应用（与 due 同样 8 个选项）",
            None,
            [sys.executable, str(HERE / "bare_typer.py"), "due", "--dept", "法规科", "--plan", "x"],
        ),
    ]
    cold = {"PLANTRACK_NO_CACHE": "1"}  # the first run after an edit: nothing cached
    for size in sizes:
        plan = str(plan_file(size))
        copy = CACHE / f"mark-{size}.yaml"
        due = Case("due --dept 法规科", size, [*tool, "due", "--dept", "法规科", "--plan", plan])
        due_cold = Case("due --dept 法规科（无缓存）", size, due.argv, env=cold)
        check = Case("check", size, [*tool, "check", "--plan", plan])
        tasks = Case("tasks --json", size, [*tool, "tasks", "--json", "--plan", plan])
        report_args = ["report", "--format", "html", "--quarter", "2023Q3", "--plan", plan]
        report = Case("report --format html", size, [*tool, *report_args])
        mark_args = [
            "mark",
            "5",
            "doing",
            "--note",
            "基准测试",
            "--by",
            "bench",
            "--plan",
            str(copy),
        ]
        mark = Case("mark", size, [*tool, *mark_args], prepare=copy)
        if size == 26:
            due.target, due.limit, due.relative = "≤ 1.3 × baseline", 1.3, True
        if size == 10_000:
            check.target, check.limit = "≤ 1.5 s", 1.5
            tasks.target, tasks.limit = "≤ 1.5 s", 1.5
            report.target, report.limit = "≤ 3 s", 3.0
            mark.target, mark.limit = "≤ 2 s", 2.0
        if size == 100_000:
            check.target, check.limit, check.memory_mb = "≤ 15 s, ≤ 2 GB", 15.0, 2048
            tasks.target, tasks.limit, tasks.memory_mb = "≤ 15 s, ≤ 2 GB", 15.0, 2048
        result += [due, check, tasks, report, mark]
        if size == 26:  # what git runs for every version `git log -p` shows
            textconv = [*tool, "textconv", plan]
            result += [
                Case("textconv", size, textconv),
                Case("textconv（无缓存）", size, textconv, env=cold),
            ]
        if size in (26, 1000):
            result.append(due_cold)
        if size == 10_000:
            result += [due_cold, Case("check（无缓存）", size, check.argv, env=cold)]
            reference = taskwarrior(size)
            if reference is not None:
                due.versus, due.target, due.limit = reference, "≤ 2 × Taskwarrior", 2.0
                due_cold.versus, due_cold.target, due_cold.limit = (
                    reference,
                    "≤ 3 × Taskwarrior",
                    3.0,
                )
                result.append(reference)
        if size == 100_000:
            for name, argv in (("check", check.argv), ("tasks --json", tasks.argv)):
                result.append(
                    Case(
                        f"{name}（无缓存）",
                        size,
                        argv,
                        "≤ 60 × baseline, ≤ 600 MB",
                        60.0,
                        relative=True,
                        memory_mb=600,
                        env=cold,
                    )
                )
    return result


def taskwarrior(size: int) -> Case | None:
    """Taskwarrior listing one office's tasks, on the same number of pending tasks with dates.

    Each task of the synthetic plan becomes a pending Taskwarrior task in the project of its
    first lead office, due on its first dated deadline or at the year's end, as plantrack
    reads it. None when Taskwarrior (`task`) is not installed.
    """
    program = shutil.which("task")
    if program is None:
        print("bench/run.py: Taskwarrior is not installed; no comparison", file=sys.stderr)
        return None
    folder = CACHE / f"taskwarrior-{size}"
    env = {"TASKRC": str(folder / "taskrc"), "TASKDATA": str(folder / "data")}
    if not (folder / "data" / "pending.data").exists():
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "data").mkdir(parents=True)
        # gc=off: `list` would otherwise rewrite the database, which plantrack's `due` never does.
        settings = ["confirmation=off", "verbose=nothing", "gc=off", "hooks=off"]
        (folder / "taskrc").write_text("\n".join(settings) + "\n", encoding="utf-8")
        tasks = folder / "tasks.json"
        # A child writes them, for the reason plan_file gives.
        command = [sys.executable, str(HERE / "generate.py"), str(size), "--taskwarrior"]
        subprocess.run([*command, "-o", str(tasks)], check=True)
        subprocess.run(
            [program, "import", str(tasks)],
            env={**os.environ, **env},
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    argv = [program, "project:局法规科", "due.before:2024-01-01", "list"]
    return Case("Taskwarrior `task project:局法规科 due.before:… list`", size, argv, env=env)


def run_once(case: Case, env: dict[str, str]) -> None:
    """Run a case once, adding its wall time and peak memory."""
    if case.prepare is not None:
        shutil.copyfile(plan_file(case.size or 0), case.prepare)
    started = time.perf_counter()
    process = subprocess.Popen(
        case.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**env, **case.env}
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        sys.exit(f"bench/run.py: {' '.join(case.argv)} exited {code}\n{error}")
    if process.stderr:
        process.stderr.close()
    case.seconds.append(elapsed)
    case.cpu.append(usage.ru_utime + usage.ru_stime)
    case.peak_kb = max(case.peak_kb, usage.ru_maxrss)


def rounds_for(case: Case, rounds: int) -> int:
    """Fewer rounds for the big plans: their runs take seconds and vary little."""
    if case.size is None or case.size <= 1000:
        return rounds
    return max(3, rounds // 4) if case.size <= 10_000 else 3


def measure(all_cases: list[Case], rounds: int) -> None:
    """Interleave the runs: each round runs every case that still needs runs."""
    env = {**os.environ, "PLANTRACK_TODAY": AS_OF, "PLANTRACK_CACHE_DIR": str(CACHE / "answers")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # let Python cache bytecode, as installs do
    env.pop("PLANTRACK_NO_CACHE", None)
    shutil.rmtree(CACHE / "answers", ignore_errors=True)  # answers of older code: start clean
    for case in all_cases:  # warm-up: bytecode caches, file system caches
        run_once(case, env)
        case.seconds.clear()
        case.cpu.clear()
    for index in range(rounds):
        for case in all_cases:
            if index < rounds_for(case, rounds):
                run_once(case, env)
        print(f"round {index + 1}/{rounds} done", file=sys.stderr)


def verdict(case: Case, baseline: Case) -> str:
    """Whether the case meets its target."""
    if case.limit is None:
        return ""
    if case.versus is not None:
        value = case.ratio(case.versus)
    elif case.relative:
        value = case.ratio(baseline)
    else:
        value = case.median
    memory_ok = case.memory_mb is None or case.peak_kb <= case.memory_mb * 1024
    return "✅ 达标" if value <= case.limit and memory_ok else "❌ 未达标"


def table(all_cases: list[Case]) -> list[str]:
    """The results as a Markdown table."""
    baseline = next(c for c in all_cases if c.name.startswith('python -c "import'))
    lines = [
        "| 命令 | 任务数 | 中位数 | 波动 | CPU | 相对基线 | 对照 | 每千项任务 | 峰值内存 | 目标 | 结果 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for case in all_cases:
        size = f"{case.size:,}" if case.size else "—"
        per_k = (
            f"{case.median / case.size * 1000 * 1000:.1f} ms"
            if case.size and case.size >= 1000
            else ""
        )
        versus = f"{case.ratio(case.versus):.2f} ×" if case.versus is not None else ""
        lines.append(
            f"| `{case.name}` | {size} | {case.median * 1000:.0f} ms | ±{case.spread:.0%} "
            f"| {case.cpu_median * 1000:.0f} ms | {case.ratio(baseline):.2f} × | {versus} "
            f"| {per_k} | {case.peak_kb / 1024:.0f} MB | {case.target} "
            f"| {verdict(case, baseline)} |"
        )
    return lines


def machine() -> str:
    """One line about where the numbers were taken."""
    versions = []
    for module in ("typer", "pydantic", "yaml"):
        try:
            versions.append(f"{module} {__import__(module).__version__}")
        except ImportError:
            versions.append(f"{module} ?")
    return (
        f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs; {', '.join(versions)}"
    )


def machine_details() -> str:
    """The processor and memory of the machine, as Linux reports them."""
    model, memory = platform.processor() or platform.machine(), ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError, ValueError, IndexError):
        total = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory = f"，内存 {int(total) / 1024 / 1024:.1f} GB"
    return f"{model}，{os.cpu_count()} 核{memory}"


def main() -> None:
    """Measure and write bench/RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="26,1000,10000,100000")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--section",
        help="write the table as this '## ' section (e.g. another venv's versions), not the main one",
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    all_cases = cases(sizes)
    measure(all_cases, args.rounds)
    lines = table(all_cases)
    print("\n".join(lines))
    baseline_ms = next(c for c in all_cases if c.name.startswith('python -c "import')).median * 1000
    command = f"python bench/run.py --sizes {args.sizes} --rounds {args.rounds}"
    header = [
        "# plantrack 基准测试结果",
        "",
        f"由 `{command}` 生成，{time.strftime('%Y-%m-%d')}；{machine()}。",
        "",
        "“中位数”是整个进程的墙钟时间（启动、读取、输出、退出），“CPU”是它用的 CPU 时间"
        "（用户态加内核态），各取交替运行各轮的中位数。"
        f'“相对基线”是与同一轮中 `python -c "{BASELINE}"` 的 CPU 时间之比，取各轮之比的中位数'
        "（成对比较）；“对照”是与同一轮中 Taskwarrior 的 CPU 时间之比，同样成对比较。"
        "计划由 `bench/generate.py` 合成，结构与 plans/2023.yaml 相同；Taskwarrior 的数据库由同一份"
        "计划生成：同样多的待办任务，每项任务归入它第一个牵头单位的 project，到期日是它的第一个日期时限"
        "（没有时为年底）。"
        "热身运行之后计时，所以读过的计划走缓存（同样的内容不再解析和校验），与用户第二次运行时一样；"
        "标“无缓存”的行设了 PLANTRACK_NO_CACHE=1，相当于改过计划之后的第一次运行。",
        "",
        "“波动”是各轮四分位距的一半与中位数之比：两次运行之间差这么多属于噪声。"
        "绝对时间随机器快慢成比例变化，“相对基线”“对照”两栏可在不同机器之间比较。"
        f"以秒计的目标是在基线为 {REFERENCE_BASELINE_MS} ms 的机器上定的；"
        f"本次基线 {baseline_ms:.0f} ms，是那台机器的 {baseline_ms / REFERENCE_BASELINE_MS:.1f} 倍。",
        f"机器：{machine_details()}。",
        "",
    ]
    if args.section:
        intro = (
            f'由 `{command} --section "{args.section}"` 生成，{time.strftime("%Y-%m-%d")}；'
            f"{machine()}。各栏的含义同上；本次基线 {baseline_ms:.0f} ms。"
        )
        write_section(args.output, args.section, [intro, "", *lines])
        return
    kept = other_sections(args.output)
    args.output.write_text("\n".join(header + lines) + "\n" + kept, encoding="utf-8")


def write_section(path: Path, title: str, lines: list[str]) -> None:
    """Put lines under "## title" in the file: in place of that section, or at the end."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    heading = f"\n## {title}\n"
    body = heading + "\n" + "\n".join(lines) + "\n"
    start = text.find(heading)
    if start < 0:
        path.write_text(text.rstrip("\n") + "\n" + body, encoding="utf-8")
        return
    end = text.find("\n## ", start + len(heading))
    rest = "" if end < 0 else text[end:]
    path.write_text(text[:start] + body + rest, encoding="utf-8")


def other_sections(path: Path) -> str:
    """The "## " sections other benchmark scripts wrote into the file, kept as they are."""
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    at = text.find("\n## ")
    return "" if at < 0 else text[at:]


if __name__ == "__main__":
    main()
