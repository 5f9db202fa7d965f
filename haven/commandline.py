"""What Haven's algorithm commands (`haven reagents`, `haven interactions`, `haven lint-language`) share:
the parser, and the command's language with a `gettext` from Haven's compiled catalogues
(`haven/locale/<code>/LC_MESSAGES/django.mo`), read with the standard library.

No Django import: these commands run on their own.
"""

from __future__ import annotations

import argparse
import functools
import gettext as gettext_module
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

EXIT_BAD_INPUT = 2
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ENGLISH = "en"
LANGUAGES = ("en", "es", "fr")  # the languages Haven offers (settings.LANGUAGES); data may cover fewer


class CommandParser(argparse.ArgumentParser):
    """argparse with its exit code 2 for bad arguments, the usage and one clear line, no traceback."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def language_code(language: str | None) -> str:
    """ "es-MX", "es_MX.UTF-8", "fr" -> "es", "fr"; anything Haven does not offer -> "en"."""
    code = re.split(r"[-_.@]", (language or "").strip().lower())[0]
    return code if code in LANGUAGES else ENGLISH


def environment_language() -> str:
    """The language of the command line: LANGUAGE, LC_ALL, LC_MESSAGES or LANG, as gettext reads them."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return language_code(value.split(":")[0])
    return ENGLISH


def command_language(argv: list[str] | None) -> str:
    """A command's language: --language CODE (or --language=CODE) if given, else the environment's."""
    argv = list(sys.argv[1:] if argv is None else argv)
    for index, item in enumerate(argv):
        if item == "--language" and index + 1 < len(argv):
            return language_code(argv[index + 1])
        if item.startswith("--language="):
            return language_code(item.split("=", 1)[1])
    return environment_language()


@functools.lru_cache(maxsize=8)
def translator(language: str) -> Callable[[str], str]:
    """`gettext` for a language, from Haven's compiled catalogue (English when there is none)."""
    code = language_code(language)
    if code == ENGLISH:
        return str
    return gettext_module.translation(
        "django", localedir=str(LOCALE_DIR), languages=[code], fallback=True
    ).gettext


def exit_quickly(status: int) -> None:
    """End a command-line run with `status` once its output is written, without tearing the interpreter
    down: freeing every module, compiled pattern and cached object took 15-20 ms of a 0.1 s language
    check. Only for a command's own process (``python -m ...``), after everything it opened is
    closed; when standard output cannot be flushed (a closed pipe), the normal exit reports it."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(status)
    os._exit(status)
