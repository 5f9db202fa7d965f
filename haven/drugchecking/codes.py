"""Sample codes: what a participant takes away to look up their result. Plain Python, no Django import.

Ten characters from an alphabet without look-alikes (no 0/O, 1/I/L, 5/S, 8/B), grouped 4-4-2 to
read aloud: 27 symbols, 10 of them, is 47.5 bits of randomness, from the operating system's
generator. Only a keyed hash of the code is stored.
"""

from __future__ import annotations

import math
import re
import secrets

ALPHABET = "ACDEFGHJKMNPQRTUVWXYZ234679"
LENGTH = 10
GROUPS = (4, 4, 2)
BITS = LENGTH * math.log2(len(ALPHABET))


class BadSampleCode(ValueError):
    pass


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return grouped(raw)


def grouped(raw: str) -> str:
    parts, position = [], 0
    for size in GROUPS:
        parts.append(raw[position:position + size])
        position += size
    return "-".join(parts)


def normalise(text) -> str:
    """The code as stored (grouped, upper case), however it was typed; BadSampleCode if it cannot be one."""
    raw = re.sub(r"[\s\-_.]+", "", str(text or "")).upper()
    if not raw:
        raise BadSampleCode("Type the code from your sample card.")
    if len(raw) != LENGTH:
        raise BadSampleCode(f"A sample code has {LENGTH} letters and numbers, like {grouped('K7QM4XPDR2')}.")
    outside = sorted({character for character in raw if character not in ALPHABET})
    if outside:
        raise BadSampleCode("A sample code never holds " + ", ".join(outside) + ". Check the card again.")
    return grouped(raw)
