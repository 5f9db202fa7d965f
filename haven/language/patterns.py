"""Compiled regular expressions kept between command-line runs.

Compiling the rules' patterns (long alternations of terms, the proper-names list) is the largest part
of a command-line run after the interpreter's own start-up. Python compiles a pattern in two steps:
parsing it into a program for its regular-expression engine (slow, pure Python), then building the
pattern object from that program (fast, in C). This module keeps the programs in one file in the cache
folder (see rules.cache_dir), keyed by the pattern text and flags; the file's name carries the Python
version and the engine's own version number, so a program is only ever given to the engine that made
it. A pattern built from a kept program is the same object ``re.compile`` would build, so it matches
exactly the same text. Anything unexpected (another Python, a damaged file, an unwritable folder)
falls back to ``re.compile`` silently.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
from array import array

try:  # the engine's internals; other Pythons simply compile every time
    import _sre
    from re import _compiler, _parser

    _ENGINE = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}"
    # a program is kept as bytes (it loads at once), in the engine's own code unit
    _CODE_TYPE = next(t for t in "IL" if array(t).itemsize == _sre.CODESIZE)
except (ImportError, AttributeError, StopIteration):  # pragma: no cover
    _ENGINE = None

_MAX_ENTRIES = 20000  # a cache that grew past this (many edited rule files) starts again

_programs: dict | None = None
_added = False


def _store_path():
    from .rules import cache_dir

    folder = cache_dir()
    return folder / f"patterns-{_ENGINE}.marshal" if folder and _ENGINE else None


def _load() -> dict:
    global _programs
    if _programs is None:
        _programs = {}
        path = _store_path()
        if path is not None:
            try:
                data = marshal.loads(path.read_bytes())  # marshal.load(file) reads in small pieces
                if isinstance(data, dict):
                    _programs = data
            except (OSError, EOFError, ValueError, TypeError):
                pass
    return _programs


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - same name as re.compile
    """``re.compile(pattern, flags)``, through the kept programs. Raises ``re.error`` like re.compile."""
    if _ENGINE is None:
        return re.compile(pattern, flags)
    global _added
    flags = int(flags)
    programs = _load()
    key = (pattern, flags)
    kept = programs.get(key)
    if kept is not None:
        try:
            final_flags, code, groups, groupindex, indexgroup = kept
            return _sre.compile(
                pattern, final_flags, array(_CODE_TYPE, code).tolist(), groups, groupindex, indexgroup
            )
        except (TypeError, ValueError, RuntimeError):
            programs.pop(key, None)
    try:
        parsed = _parser.parse(pattern, flags)
        code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are int subclasses
        groupindex = parsed.state.groupdict
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        program = (
            flags | parsed.state.flags,
            array(_CODE_TYPE, code).tobytes(),
            parsed.state.groups - 1,
            dict(groupindex),
            tuple(indexgroup),
        )
        compiled = _sre.compile(pattern, program[0], code, *program[2:])
    except re.error:
        raise
    except Exception:  # internals that changed: the public way
        return re.compile(pattern, flags)
    programs[key] = program
    _added = True
    return compiled


def save() -> None:
    """Write the programs compiled in this run to the cache (the command line calls this at its end)."""
    global _added
    if not _added or _programs is None:
        return
    path = _store_path()
    if path is None:
        return
    programs = _programs if len(_programs) <= _MAX_ENTRIES else {}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with open(partial, "wb") as handle:
            marshal.dump(programs, handle)
        os.replace(partial, path)
        _added = False
    except (OSError, ValueError):
        try:
            os.remove(partial)
        except (OSError, UnboundLocalError):
            pass


def leading_literals(pattern: str, flags: int = 0) -> tuple[str, ...]:
    """Pieces of text (case-folded when the pattern ignores case), one of which every match of the
    pattern starts with; () when the pattern does not say (it starts with a repeat, a class of
    characters, an optional part...).

    Zero-width assertions at the start (``(?<![\\w])``) do not consume text and are passed over. Kept
    with the programs, as working it out means parsing the pattern."""
    global _added
    flags = int(flags)
    key = ("leading", pattern, flags)
    programs = _load() if _ENGINE is not None else {}
    kept = programs.get(key)
    if isinstance(kept, tuple):
        return kept
    try:
        found = _leading(list(_parser.parse(pattern, flags)), bool(flags & re.IGNORECASE))
    except Exception:  # noqa: BLE001 - internals that changed: no shortcut
        found = None
    fold = str.casefold if flags & re.IGNORECASE else str
    result = tuple(sorted({fold(piece) for piece in found})) if found else ()
    if _ENGINE is not None:
        programs[key] = result
        _added = True
    return result


def _leading(items: list, ignore_case: bool) -> list[str] | None:
    from re._constants import ASSERT, ASSERT_NOT, BRANCH, LITERAL, SUBPATTERN

    index = 0
    while index < len(items) and items[index][0] in (ASSERT, ASSERT_NOT):
        index += 1
    run = []
    while index < len(items) and items[index][0] is LITERAL:
        run.append(chr(items[index][1]))
        index += 1
    if run:
        return ["".join(run)]
    if index >= len(items):
        return None
    op, value = items[index]
    if op is SUBPATTERN:
        if value[1] & re.IGNORECASE and not ignore_case:
            return None  # a part that ignores case, in a pattern that minds it: not looked for as written
        return _leading(list(value[-1]), ignore_case)
    if op is BRANCH:
        pieces = []
        for branch in value[1]:
            found = _leading(list(branch), ignore_case)
            if not found:
                return None
            pieces.extend(found)
        return pieces
    return None
