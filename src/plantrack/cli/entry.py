"""The console script: a short-lived process, tuned for how fast it starts and exits."""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    """Run the command line, then leave without the interpreter's slow teardown."""
    # A command creates many objects and no cycles worth collecting: collections only cost
    # time (15x on a 10,000-task plan). The process ends right after, freeing everything.
    gc.disable()
    # plantrack uses no pydantic plugins; pydantic's documented switch spares the scan of
    # every installed package's entry points. A user who sets the variable keeps their value.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if len(sys.argv) == 3 and sys.argv[1] == "textconv" and _textconv(sys.argv[2]):
        os._exit(_flushed(0))
    from plantrack.cli.app import load

    try:
        load(sys.argv[1:])()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    else:  # pragma: no cover - the command line always ends with SystemExit in standalone mode
        code = 0
    os._exit(_flushed(code))


def _textconv(name: str) -> bool:
    """git's textconv, without loading the command line: whether it answered.

    git runs it once per version `git log -p` shows, so its start-up is most of its time:
    a regular file is read here and answered from the cache. Anything else (an option, a
    file that cannot be read, a pipe) goes the usual way, which says what is wrong.
    """
    import stat

    if name.startswith("-"):
        return False
    try:
        if not stat.S_ISREG(os.stat(name).st_mode):
            return False
        with open(name, "rb") as file:
            data = file.read()
    except (OSError, ValueError):
        return False
    from plantrack.gitops.textconv import answer

    sys.stdout.buffer.write(answer(data, name))
    return True


def _flushed(code: int) -> int:
    """Flush the standard streams; os._exit would drop anything still buffered."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            # The reader went away (`| head`); nothing more can be said to it.
            return code or 141
    return code
