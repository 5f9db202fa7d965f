"""Checking one large text on two cores: half of the rules in a forked child process.

Python's regular expressions hold the interpreter lock, so threads would not help. The command line
(a single-threaded process, where forking is safe) asks for this with ``--jobs``; the web application
never does. The child runs ``work`` over every other item and sends back its result (plain numbers,
marshalled) through a pipe; if it fails in any way, the parent does that half itself, so the result
is always the same as ``work(items)`` split in two.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable, Sequence
from typing import Any

# Below this many characters the fork costs more than it saves.
MIN_CHARACTERS = 20_000


def can_fork() -> bool:
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


def in_two_processes(work: Callable[[Sequence[Any]], list], items: Sequence[Any]) -> list:
    """``work(items[0::2]) + work(items[1::2])``, the second half computed in a forked child."""
    mine, theirs = items[0::2], items[1::2]
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return work(mine) + work(theirs)
    if pid == 0:  # the child: never returns into the caller's code
        status = 1
        try:
            os.close(read_end)
            data = marshal.dumps(work(theirs))
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    result = work(mine)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return result + work(theirs)
    try:
        return result + marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return result + work(theirs)
