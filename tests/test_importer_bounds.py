"""A hostile or damaged file is refused with what it is, quickly, and nothing is written.

Each kind is built by tests/hostile.py; bench/bombs.py measures the time and memory each
import takes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Invoke
from hostile import HOSTILE


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_or_damaged_document_is_refused_by_what_it_is(
    cli: Invoke, tmp_path: Path, name: str
) -> None:
    build, filename, said = HOSTILE[name]
    source = tmp_path / filename
    source.write_bytes(build())
    output = tmp_path / "plan.yaml"
    result = cli("import", str(source), "-o", str(output), code=2)
    assert said in result.stderr, result.stderr
    assert str(source) in result.stderr  # the message names the file
    assert not output.exists()
