"""Text people type: characters that hide, reorder or cut what others read are refused."""
from __future__ import annotations

import re

# NUL and the other control characters (tab, line feed and carriage return are fine in longer text), the
# bidirectional controls that can make a name read backwards, and the zero-width characters that make two names
# look alike while differing.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                    "\u2066-\u2069\ufeff]")
UNSAFE_MESSAGE = "must not contain control, text-direction or zero-width characters"


def unsafe_character(text: str) -> str | None:
    """The first character of the text that must not be stored, or None."""
    found = UNSAFE.search(text)
    return found.group(0) if found else None


def check_text(text: str) -> str:
    """The text itself, or ValueError naming the rule it breaks."""
    if unsafe_character(text) is not None:
        raise ValueError(UNSAFE_MESSAGE)
    return text
