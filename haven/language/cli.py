"""Command line: ``haven lint-language [--format text|json|sarif] [--allow FILE] FILE...``

Exit codes: 0 nothing found, 1 something found, 2 bad input (a file that is
missing, binary or not UTF-8, an invalid rules or allow-list file, bad
arguments).  Bad input wins over findings.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from haven.commandline import EXIT_BAD_INPUT, CommandParser

from . import patterns
from .checker import AllowList, Checker, Finding, load_allow_file
from .prepare import FORMATS, format_for_path
from .report import FileProblem, format_json, format_sarif, format_text, summary_line
from .rules import LANGUAGE_RULES, LANGUAGES, RulesError

EXIT_CLEAN = 0
EXIT_FOUND = 1

_WALK_EXTENSIONS = (".md", ".markdown", ".html", ".htm", ".txt", ".po", ".djhtml", ".jinja", ".jinja2", ".j2")
_SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", ".tox", "static", "staticfiles"}


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog="haven lint-language",
        description=(
            "Check text, Markdown, HTML/Django templates and .po files for stigmatizing "
            "language about people who use drugs, and suggest person-first wording."
        ),
        epilog="Exit status: 0 nothing found, 1 something found, 2 bad input.",
    )
    parser.add_argument(
        "files", nargs="*", metavar="FILE", help="files or folders to check; '-' reads standard input"
    )
    parser.add_argument(
        "--format", choices=("text", "json", "sarif"), default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="FILE",
        help="YAML allow list for this program: a list of phrases, or 'phrases:' and 'rules:' (may repeat)",
    )
    parser.add_argument(
        "--input-format",
        choices=("auto", *FORMATS),
        default="auto",
        help="how to read the input (default: from the file name; standard input is sniffed)",
    )
    parser.add_argument(
        "--rules",
        action="append",
        metavar="PATH",
        help="rules file or folder to use instead of the built-in rules (may repeat)",
    )
    parser.add_argument(
        "--language",
        choices=("auto", *LANGUAGES),
        default="auto",
        help="which language's rules to use (default: from the path, e.g. locale/es/..., or a .po file's "
        "Language header; otherwise en)",
    )
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.add_argument("--quiet", "-q", action="store_true", help="text format: no summary line")
    return parser


_LOCALE_DIR = patterns.compile(
    r"(?:^|[/\\])(?:locale|locales|translations|i18n)[/\\]([a-z]{2})(?:[_-][A-Za-z]{2})?[/\\]"
)
_PO_LANGUAGE = patterns.compile(r'^"Language: ([a-z]{2})(?:[_-][A-Za-z]{2})?\\n"', re.MULTILINE)
_SUFFIX_LANGUAGE = patterns.compile(r"\.([a-z]{2})\.(?:md|html|txt|po)$")


def language_for(name: str, text: str) -> str | None:
    """The language of a file, when its path or header says so: locale/es/LC_MESSAGES/django.po, a .po
    file's "Language: fr" header, or a name such as help.es.md. None when nothing says (English rules)."""
    for found in (_LOCALE_DIR.search(name), _PO_LANGUAGE.search(text[:4000]), _SUFFIX_LANGUAGE.search(name)):
        if found and found.group(1) in LANGUAGE_RULES:
            return found.group(1)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or an argument error
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_BAD_INPUT

    try:
        allow = AllowList()
        for path in args.allow:
            extra = load_allow_file(path)
            allow.phrases.extend(extra.phrases)
            allow.rules.extend(extra.rules)
        default_language = "en" if args.language == "auto" else args.language
        rules_paths = args.rules or [LANGUAGE_RULES[default_language]]
        checker = Checker(rules_paths=rules_paths, allow=allow)
        checkers = {default_language: checker}
    except RulesError as exc:
        print(f"haven lint-language: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT

    unknown = sorted(set(allow.rules) - {r.id for r in checker.rules})
    if unknown:
        print(
            f"haven lint-language: error: allow list names unknown rule(s): {', '.join(unknown)}",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT

    if args.list_rules:
        for rule in checker.rules:
            print(f"{rule.id} [{rule.severity}] -> {' / '.join(rule.suggestions)} ({rule.source})")
        return EXIT_CLEAN
    if not args.files:
        parser.print_usage(sys.stderr)
        print(
            "haven lint-language: error: give at least one FILE (or '-' for standard input)", file=sys.stderr
        )
        return EXIT_BAD_INPUT

    findings: list[Finding] = []
    problems: list[FileProblem] = []
    checked = 0
    for name, data, problem in _inputs(args.files):
        if problem:
            problems.append(problem)
            continue
        assert data is not None
        text, problem = _decode(name, data)
        if problem:
            problems.append(problem)
            continue
        checked += 1
        if not text.strip():
            problems.append(FileProblem(name, f"{name}: empty file, nothing to check", fatal=False))
            continue
        fmt = format_for_path(name, text) if args.input_format == "auto" else args.input_format
        language = default_language
        if args.language == "auto" and not args.rules:
            language = language_for(name, text) or default_language
        if language not in checkers:
            try:
                checkers[language] = Checker(rules_paths=[LANGUAGE_RULES[language]], allow=allow)
            except RulesError as exc:
                print(f"haven lint-language: error: {exc}", file=sys.stderr)
                return EXIT_BAD_INPUT
        findings.extend(checkers[language].check(text, fmt, file=name))

    if args.format == "json":
        sys.stdout.write(format_json(findings, problems, checked))
    elif args.format == "sarif":
        sys.stdout.write(format_sarif(findings, problems, checker.rules))
    else:
        sys.stdout.write(format_text(findings, problems))
    for p in problems:
        label = "error" if p.fatal else "note"
        print(f"haven lint-language: {label}: {p.message}", file=sys.stderr)
    if args.format == "text" and not args.quiet:
        print(summary_line(findings, checked, problems), file=sys.stderr)

    patterns.save()  # the patterns compiled in this run, for the next run's start-up
    if any(p.fatal for p in problems):
        return EXIT_BAD_INPUT
    return EXIT_FOUND if findings else EXIT_CLEAN


def _inputs(names: list[str]):
    """Yield (display name, bytes, problem) for every file to check."""
    for name in names:
        if name == "-":
            stream = getattr(sys.stdin, "buffer", None)
            data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
            yield "-", data, None
            continue
        path = Path(name)
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
                for file in sorted(files):
                    if file.lower().endswith(_WALK_EXTENSIONS):
                        found = True
                        yield from _read(str(Path(root) / file))
            if not found:
                yield (
                    name,
                    None,
                    FileProblem(
                        name, f"{name}: folder has no files to check ({', '.join(_WALK_EXTENSIONS)})"
                    ),
                )
            continue
        yield from _read(name)


def _read(name: str):
    try:
        with open(name, "rb") as handle:
            yield name, handle.read(), None
    except FileNotFoundError:
        yield name, None, FileProblem(name, f"{name}: no such file")
    except IsADirectoryError:
        yield name, None, FileProblem(name, f"{name}: is a folder")
    except PermissionError:
        yield name, None, FileProblem(name, f"{name}: permission denied")
    except OSError as exc:
        yield name, None, FileProblem(name, f"{name}: cannot read ({exc.strerror or exc})")


def _decode(name: str, data: bytes) -> tuple[str, FileProblem | None]:
    if b"\x00" in data[:8192]:
        return "", FileProblem(
            name, f"{name}: looks like a binary file (it contains NUL bytes); only text files can be checked"
        )
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return "", FileProblem(
            name,
            f"{name}: not UTF-8 text (invalid byte at position {exc.start}); is it a binary file? Save it as UTF-8 to check it",
        )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
