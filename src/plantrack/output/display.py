"""Text from a plan or a command line, made safe to show: nothing in it can command a terminal.

A note may hold anything a script put there, `\\x1b]0;…\\x07` included. Shown raw, such
bytes retitle the window, clear the screen or hide a line; here they become visible
escapes (`\\x1B`). Line breaks and tabs stay; the file itself is never changed.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls (CSI 0x9B included), and the
# bidirectional overrides that make text display in another order than it reads.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """The text with every control character shown as an escape such as \\x1B."""
    if _UNSAFE.search(text) is None:  # the common case: nothing to copy
        return text
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}"


def json_printable(text: str) -> str:
    """JSON text with the control characters json leaves raw (DEL, C1, bidi) as \\u escapes."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04X}", text)


def one_line(text: str) -> str:
    """The text on one line: line breaks shown as \\n and \\r, control characters escaped."""
    return printable(text.replace("\r", "\\r").replace("\n", "\\n"))
