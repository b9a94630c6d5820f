"""Writing YAML text: scalars that read back as typed, and splices at known positions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import yaml


def scalar(value: str) -> str:
    """Write value plain when YAML reads it back as the same string, else double-quoted."""
    plain_ok = value == value.strip() and value.isprintable() and _reads_as_string(value)
    return value if plain_ok else double_quoted(value)


# Characters that may start a value YAML reads as something other than a string (true,
# null, 12, 2023-01-01, .inf, ~ …) or that start YAML syntax (- ? : , [ ] { } # & * ! | > ' " % @ `).
_NOT_PLAINLY_TEXT = frozenset(
    "".join(yaml.resolver.Resolver.yaml_implicit_resolvers) + "-?:,[]{}#&*!|>'\"%@`"
)


# YAML's own line breaks and the byte-order mark; and the bidirectional controls, which
# make a line display in another order than it reads (in a terminal, a diff, a review).
_ESCAPED = frozenset(
    [0x2028, 0x2029, 0xFEFF, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def double_quoted(value: str) -> str:
    """A YAML double-quoted scalar; control characters and YAML's own line breaks escaped."""
    out = []
    for char in value:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in _ESCAPED:
            out.append(f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# libyaml's loader resolves scalars exactly as the pure-Python one, ten times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _reads_as_string(value: str) -> bool:
    ordinary = value and value[0] not in _NOT_PLAINLY_TEXT and not value.endswith(":")
    if ordinary and ": " not in value and " #" not in value:
        return True  # ordinary text: settled without the parser, as it would settle it
    try:
        loaded = yaml.load(f"k: {value}", Loader=_LOADER)
    except (yaml.YAMLError, ValueError, OverflowError):  # PyYAML's int("0x_", 16) raises
        return False
    return isinstance(loaded, dict) and loaded.get("k") == value


@dataclass(frozen=True, slots=True)
class Splice:
    """Replace text[start:end] with text."""

    start: int
    end: int
    text: str


def apply(text: str, splices: Iterable[Splice]) -> str:
    """Apply splices that do not overlap, back to front so earlier positions stay valid.

    Insertions at the same place land in the order given: a clause's new status line
    stays above the progress entry inserted at the same line.
    """
    ordered = sorted(enumerate(splices), key=lambda pair: (pair[1].start, pair[0]), reverse=True)
    for _, splice in ordered:
        text = text[: splice.start] + splice.text + text[splice.end :]
    return text


def newline(text: str) -> str:
    """The line ending the text already uses."""
    return "\r\n" if "\r\n" in text else "\n"


def insert_lines(text: str, at: int, lines: list[str]) -> Splice:
    """Insert whole lines at index at, in the text's own line endings."""
    ending = newline(text)
    block = "".join(line + ending for line in lines)
    if at == len(text) and text and not text.endswith("\n"):
        block = ending + block
    return Splice(at, at, block)
