"""tools/offline_bundle.py: the wheels it accepts for a platform, the zip it makes, its installer.

Nothing here reaches a package index: the bundle is assembled from wheels made on the spot,
and install.sh installs one of them with the index switched off.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from helpers import ROOT


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "offline_bundle", ROOT / "tools" / "offline_bundle.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle = _tool()


@pytest.mark.parametrize(
    ("wheel", "platform", "fits"),
    [
        ("rich-15.0.0-py3-none-any.whl", "win_amd64", True),
        ("lxml-6.1.3-cp311-cp311-win_amd64.whl", "win_amd64", True),
        ("lxml-6.1.3-cp311-cp311-win32.whl", "win_amd64", False),
        ("lxml-6.1.3-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl", "win_amd64", False),
        ("pydantic_core-2.50.5-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
         "manylinux2014_x86_64", True),
        ("x-1-cp311-cp311-manylinux1_x86_64.manylinux_2_28_x86_64.manylinux_2_5_x86_64.whl",
         "manylinux2014_x86_64", True),
        ("x-1-cp311-cp311-manylinux_2_28_x86_64.whl", "manylinux2014_x86_64", False),
        ("x-1-cp311-cp311-musllinux_1_2_x86_64.whl", "manylinux2014_x86_64", False),
        ("x-1-cp311-cp311-manylinux2014_aarch64.whl", "manylinux2014_x86_64", False),
        ("x-1-cp311-cp311-macosx_11_0_arm64.whl", "manylinux2014_x86_64", False),
    ],
)  # fmt: skip
def test_a_wheel_fits_its_platform_or_any(wheel: str, platform: str, fits: bool) -> None:
    assert bundle.fits(wheel, platform) is fits


def _wheel(folder: Path, name: str, version: str = "0.1.0") -> Path:
    """A real, installable wheel of one module that prints its name, made without any tool."""
    dist = f"{name}-{version}.dist-info"
    files = {
        f"{name}_demo.py": "def main():\n    print('offline ok')\n",
        f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{dist}/entry_points.txt": f"[console_scripts]\n{name} = {name}_demo:main\n",
    }
    record = "".join(f"{path},,\n" for path in files) + f"{dist}/RECORD,,\n"
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in {**files, f"{dist}/RECORD": record}.items():
            archive.writestr(path, text)
    return wheel


def test_the_bundle_holds_the_wheels_scripts_plan_and_instructions(tmp_path: Path) -> None:
    wheels = [_wheel(tmp_path, "plantrack"), _wheel(tmp_path, "helper", "2.0")]
    made = bundle.assemble(wheels, platform="win_amd64", python="3.11", out=tmp_path / "dist")
    assert made.name == "plantrack-offline-0.1.0-win_amd64-py3.11.zip"
    top = made.stem
    with zipfile.ZipFile(made) as archive:
        names = set(archive.namelist())
        script = archive.read(f"{top}/install.ps1").decode("utf-8")
        guide = archive.read(f"{top}/安装说明.txt").decode("utf-8-sig")
    assert {f"{top}/wheels/{w.name}" for w in wheels} <= names
    assert {f"{top}/install.ps1", f"{top}/install.cmd", f"{top}/plans/2023.yaml"} <= names
    assert f"{top}/install.sh" not in names
    assert [n for n in names if "/plans/" in n] == [f"{top}/plans/2023.yaml"]  # the sample only
    assert "--no-index --find-links" in script and "py -3.11 -m venv" in script
    assert "\r\n" in script  # Windows line ends for PowerShell and cmd
    assert "install.ps1" in guide and "plantrack due --dept 法规科" in guide


def test_a_wheel_for_another_platform_is_refused(tmp_path: Path) -> None:
    wheels = [_wheel(tmp_path, "plantrack")]
    foreign = tmp_path / "lxml-6.1.3-cp311-cp311-manylinux_2_28_x86_64.whl"
    foreign.write_bytes(wheels[0].read_bytes())
    with pytest.raises(SystemExit, match=r"lxml-6\.1\.3"):
        bundle.assemble([*wheels, foreign], platform="manylinux2014_x86_64", python="3.11",
                        out=tmp_path / "dist")  # fmt: skip
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())


@pytest.mark.skipif(sys.platform == "win32", reason="install.sh is the Linux bundle's installer")
def test_install_sh_installs_from_the_bundle_with_no_index(tmp_path: Path) -> None:
    wheels = [_wheel(tmp_path, "plantrack")]
    made = bundle.assemble(wheels, platform="manylinux2014_x86_64", python="3.11", out=tmp_path)
    unpacked = tmp_path / "empty"
    with zipfile.ZipFile(made) as archive:
        archive.extractall(unpacked)
    folder = unpacked / made.stem
    script = folder / "install.sh"
    script.chmod(0o755)  # zipfile does not restore modes; unzip does
    env = {
        **os.environ,
        "PIP_NO_INDEX": "1",
        "PIP_CONFIG_FILE": os.devnull,  # no mirror or find-links from this machine's pip.conf
        "PYTHON": sys.executable,
    }
    done = subprocess.run(["sh", str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已安装" in done.stdout
    ran = subprocess.run(
        [str(folder / ".venv" / "bin" / "plantrack")], capture_output=True, text=True
    )
    assert ran.stdout == "offline ok\n"
