"""Build an offline install bundle of plantrack for a machine with no package index.

    python tools/offline_bundle.py --platform win_amd64 --python 3.11 -o dist/

writes dist/plantrack-offline-<version>-<platform>-py<python>.zip holding plantrack's wheel
and every dependency as wheels for that platform and Python (never an sdist: an office PC
has no compiler), install scripts that make a venv beside them and install with
`--no-index --find-links`, the bundled plan to try it on, and 安装说明.txt.

Run it where the package index is reachable (pip's own settings apply: an intranet mirror
in pip.conf is used as is). Only the standard library and pip are needed.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PLAN = ROOT / "plans" / "2023.yaml"
PLATFORMS = ("win_amd64", "manylinux2014_x86_64")
PYTHONS = ("3.11", "3.12")
# manylinux2014 promises glibc 2.17: a wheel tagged for a newer glibc would not load there.
_MANYLINUX = re.compile(r"manylinux(?:1|2010|2014|_2_(\d+))_x86_64")
_GLIBC_2014 = 17


def main(argv: list[str] | None = None) -> int:
    """Build the bundle the command line asks for; print where it is."""
    parser = argparse.ArgumentParser(description="生成离线安装包（不需要软件包索引即可安装）")
    parser.add_argument("--platform", required=True, choices=PLATFORMS)
    parser.add_argument("--python", required=True, choices=PYTHONS)
    parser.add_argument("-o", "--output", type=Path, default=Path("dist"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        own = build_wheel(folder / "own")
        wheels = download(own, folder / "wheels", platform=args.platform, python=args.python)
        bundle = assemble(wheels, platform=args.platform, python=args.python, out=args.output)
    print(f"已生成 {bundle}（{len(wheels)} 个 wheel）")
    return 0


def build_wheel(folder: Path) -> Path:
    """plantrack's own wheel, built from this checkout."""
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(ROOT)])
    [wheel] = folder.glob("plantrack-*.whl")
    return wheel


def download(own: Path, folder: Path, *, platform: str, python: str) -> list[Path]:
    """plantrack's wheel and every dependency's, for the platform and Python named."""
    version = python.replace(".", "")
    command = [
        sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:",
        "--platform", platform, "--python-version", python,
        "--implementation", "cp", "--abi", f"cp{version}", "-d", str(folder), str(own),
    ]  # fmt: skip
    run(command)
    wheels = sorted(folder.glob("*.whl"))
    strays = [p.name for p in folder.iterdir() if p.suffix != ".whl"]
    if strays:
        raise SystemExit(f"下载到了非 wheel 的文件（离线安装需要 wheel）：{'、'.join(strays)}")
    return wheels


def assemble(wheels: list[Path], *, platform: str, python: str, out: Path) -> Path:
    """Zip the wheels, the install scripts, the plan and the instructions; refuse a foreign wheel."""
    foreign = [w.name for w in wheels if not fits(w.name, platform)]
    if foreign:
        raise SystemExit(f"这些 wheel 不能在 {platform} 上安装：{'、'.join(foreign)}")
    own = next(w for w in wheels if w.name.startswith("plantrack-"))
    version = own.name.split("-")[1]
    out.mkdir(parents=True, exist_ok=True)
    bundle = out / f"plantrack-offline-{version}-{platform}-py{python}.zip"
    top = bundle.stem
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        for wheel in wheels:
            archive.write(wheel, f"{top}/wheels/{wheel.name}")
        for name, text in scripts(platform, python).items():
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=(2024, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name.endswith(".sh") else 0o644) << 16
            newline = "\r\n" if name.endswith((".cmd", ".ps1", ".txt")) else "\n"
            data = text.replace("\n", newline).encode(
                "utf-8-sig" if name.endswith(".txt") else "utf-8"
            )
            archive.writestr(info, data)
        # The bundled example only: not whatever other plans the checkout holds.
        archive.write(SAMPLE_PLAN, f"{top}/plans/{SAMPLE_PLAN.name}")
    return bundle


def fits(name: str, platform: str) -> bool:
    """Tell whether a wheel (by its file name) installs on the platform: its own tag, or any."""
    tags = name.removesuffix(".whl").split("-")[-1].split(".")
    if "any" in tags:
        return True
    if platform == "win_amd64":
        return "win_amd64" in tags
    for tag in tags:
        found = _MANYLINUX.fullmatch(tag)
        if found and (found.group(1) is None or int(found.group(1)) <= _GLIBC_2014):
            return True
    return False


def scripts(platform: str, python: str) -> dict[str, str]:
    """The install scripts of the platform, and the Chinese instructions."""
    if platform == "win_amd64":
        made = {
            "install.ps1": _POWERSHELL.format(python=python),
            "install.cmd": _CMD.format(python=python),
        }
    else:
        made = {"install.sh": _SH.format(python=python)}
    made["安装说明.txt"] = _README.format(python=python, how=_HOW[platform])
    return made


_SH = """#!/bin/sh
# Make a venv beside this script and install plantrack from the wheels here, offline.
set -e
here=$(cd "$(dirname "$0")" && pwd)
python=${{PYTHON:-python{python}}}
command -v "$python" >/dev/null 2>&1 || python=python3
"$python" -m venv "$here/.venv"
"$here/.venv/bin/python" -m pip install --no-index --find-links "$here/wheels" plantrack
echo "已安装。使用前运行： . \\"$here/.venv/bin/activate\\"    然后：plantrack due --dept 法规科"
"""

_POWERSHELL = """# Make a venv beside this script and install plantrack from the wheels here, offline.
$ErrorActionPreference = "Stop"
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
if (Get-Command py -ErrorAction SilentlyContinue) {{ py -{python} -m venv "$here\\.venv" }}
else {{ python -m venv "$here\\.venv" }}
if ($LASTEXITCODE -ne 0) {{ throw "无法建立虚拟环境：请先安装 Python {python}" }}
& "$here\\.venv\\Scripts\\python.exe" -m pip install --no-index --find-links "$here\\wheels" plantrack
if ($LASTEXITCODE -ne 0) {{ throw "安装失败，见上方信息" }}
Write-Host "已安装。使用前运行： & `"$here\\.venv\\Scripts\\Activate.ps1`"    然后：plantrack due --dept 法规科"
"""

_CMD = """@echo off
rem Make a venv beside this script and install plantrack from the wheels here, offline.
setlocal
set "here=%~dp0"
where py >nul 2>nul && (py -{python} -m venv "%here%.venv") || (python -m venv "%here%.venv")
if errorlevel 1 (echo 无法建立虚拟环境：请先安装 Python {python} & exit /b 1)
"%here%.venv\\Scripts\\python.exe" -m pip install --no-index --find-links "%here%wheels" plantrack
if errorlevel 1 (echo 安装失败，见上方信息 & exit /b 1)
echo 已安装。使用前运行： "%here%.venv\\Scripts\\activate.bat"    然后：plantrack due --dept 法规科
"""

_HOW = {
    "win_amd64": (
        "在 PowerShell 中进入解压后的文件夹，运行：\n"
        "    powershell -ExecutionPolicy Bypass -File install.ps1\n"
        "或在“命令提示符”（cmd）中运行：\n"
        "    install.cmd\n"
        "之后每次使用前先激活：\n"
        "    .venv\\Scripts\\Activate.ps1      （PowerShell）\n"
        "    .venv\\Scripts\\activate.bat      （cmd）"
    ),
    "manylinux2014_x86_64": (
        "在终端中进入解压后的文件夹，运行：\n"
        "    sh install.sh\n"
        "之后每次使用前先激活：\n"
        "    . .venv/bin/activate"
    ),
}

_README = """plantrack 离线安装包

这个文件夹里有 plantrack 和它用到的全部软件包（wheels 文件夹），安装时不需要连接
软件包索引（PyPI）或互联网。需要先装好 Python {python}（64 位）。

{how}

激活后试一下（用附带的 2023 年计划）：
    plantrack due --dept 法规科 --plan plans/2023.yaml

安装在解压出的文件夹里（.venv），不改动系统的 Python。要卸载，删除整个文件夹即可。
"""


def run(command: list[str]) -> None:
    """Run a command; on failure, stop with what it said."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"命令失败：{' '.join(command[:5])} …\n{done.stdout}{done.stderr}")


if __name__ == "__main__":
    sys.exit(main())
