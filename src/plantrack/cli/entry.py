"""The console script: a short-lived process, tuned for how fast it starts and exits."""

from __future__ import annotations

import gc
import importlib
import os
import sys
import types


def main() -> None:
    """Run the command line, then leave without the interpreter's slow teardown."""
    # A command creates many objects and no cycles worth collecting: collections only cost
    # time (15x on a 10,000-task plan). The process ends right after, freeing everything.
    gc.disable()
    _skip_pydantic_plugin_scan()
    from plantrack.cli.app import app

    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    else:  # pragma: no cover - Typer always ends with SystemExit in standalone mode
        code = 0
    os._exit(_flushed(code))


_LOADER = "pydantic.plugin._loader"


def _skip_pydantic_plugin_scan() -> None:
    """Tell pydantic there are no plugins instead of letting it scan every installed package.

    Building the first model makes pydantic import importlib.metadata to look up plugin entry
    points: about 17 ms, a tenth of a whole `plantrack due`. plantrack uses no pydantic
    plugins. Any other name pydantic asks of the module loads the real one, so a pydantic
    release that changes its loader only loses the saving.
    """
    if _LOADER in sys.modules:
        return
    stub = types.ModuleType(_LOADER)
    stub.get_plugins = _no_plugins  # type: ignore[attr-defined]
    stub.__getattr__ = _real_loader_attribute  # type: ignore[method-assign]
    sys.modules[_LOADER] = stub


def _no_plugins() -> tuple[()]:
    return ()


def _real_loader_attribute(name: str) -> object:
    if name.startswith("__"):
        # The import system probes modules for __path__ and the like; a stub has none.
        raise AttributeError(name)
    sys.modules.pop(_LOADER, None)
    return getattr(importlib.import_module(_LOADER), name)


def _flushed(code: int) -> int:
    """Flush the standard streams; os._exit would drop anything still buffered."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            # The reader went away (`| head`); nothing more can be said to it.
            return code or 141
    return code
