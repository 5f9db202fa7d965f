"""Command line: ``haven interactions SUBSTANCE SUBSTANCE [...] [--json]``

Checks every pair among the substances named (common, brand or street names, any case) and
prints each pair's risk, the direction of the effect, an explanation, how reliable the evidence is
and the sources. ``--json`` prints a JSON array with one object per pair (``a``, ``b``, ``risk``,
``risk_rank`` (absent when the risk is unknown), ``direction``, ``explanation``, ``mechanism``,
``reliability``, ``rule``, ``sources``).

Names may be classes ("benzos", "opioids", "uppers") and one argument may list several
("benzos and alcohol"). With three or more substances of which two or more are depressants, a
warning about the whole mix comes first (in --json mode it goes to stderr).

Exit codes: 0 checked, 2 bad input (an unknown substance, fewer than two or more than ten substances, a data file
that is missing, empty, binary or invalid, bad arguments). A dangerous pair is a result, not an
error: it exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap

from haven.commandline import EXIT_BAD_INPUT, CommandParser

# The knowledge base (YAML) and the rules are imported once the arguments are read: --help stays quick.

EXIT_OK = 0
PROG = "haven interactions"



def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog=PROG,
        description=(
            "Check what is known about taking substances together: every pair's risk (dangerous, unsafe, "
            "caution, low, or unknown), what happens, how reliable the evidence is, and the sources."
        ),
        epilog=(
            "Names may be common, brand or street names in any case (\"xanax\", \"dope\", \"Molly\"). "
            "An unknown pair means there is no information, never that it is safe. "
            "Exit status: 0 checked, 2 bad input."
        ),
    )
    parser.add_argument("substances", nargs="*", metavar="SUBSTANCE",
                        help="two to ten substances or classes (benzos, opioids); one argument may list several: "
                             "\"benzos and alcohol\"")
    parser.add_argument("--json", action="store_true", help="print a JSON array, one object per pair")
    parser.add_argument("--list", action="store_true", help="list the known substances and their names, then exit")
    parser.add_argument("--data", metavar="DIR", help="a knowledge base folder to use instead of Haven's own")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, or an argument error (already printed)
        return exit_.code if isinstance(exit_.code, int) else EXIT_BAD_INPUT
    from haven.education import interactions
    from haven.education.knowledge import KnowledgeError

    try:
        checker = interactions.load(args.data) if args.data else interactions.default_checker()
    except KnowledgeError as error:
        return _fail(f"the knowledge base cannot be loaded: {error}")

    if args.list:
        for substance in checker.kb.sorted():
            print(f"{substance.id}: {substance.name}" + (f" ({', '.join(substance.names)})" if substance.names else ""))
        for group in sorted(checker.groups.values(), key=lambda g: g.name.casefold()):
            print(f"{group.id}: {group.name}" + (f" ({', '.join(group.names)})" if group.names else ""))
        extra = sorted(checker.shown_names, key=str.casefold)
        print("other names: " + ", ".join(extra))
        return EXIT_OK

    names = interactions.split_names(args.substances, checker)
    if len(names) < 2 and not any(unknown_name(checker, name) for name in names):
        parser.print_usage(sys.stderr)
        return _fail("give at least two substances, for example: haven interactions benzos alcohol")
    try:
        answer = interactions.ask(checker, names)
    except interactions.CheckError as error:
        if not error.unknown:
            return _fail(str(error))
        for name, suggestions in error.unknown:
            hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
            print(f"{PROG}: error: unknown substance {name!r}.{hint}", file=sys.stderr)
        print(f"{PROG}: see every known name with: {PROG} --list", file=sys.stderr)
        return EXIT_BAD_INPUT

    if args.json:
        json.dump([pair.as_dict() for pair in answer.pairs], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        for warning in answer.warnings:  # the array holds pairs only; the mix warning goes to stderr
            print(f"warning: {warning.text}", file=sys.stderr)
    else:
        blocks = [format_warning(warning) for warning in answer.warnings]
        blocks += [format_pair(pair) for pair in answer.pairs]
        sys.stdout.write("\n\n".join(blocks) + "\n")
    return EXIT_OK


def unknown_name(checker, name: str) -> bool:
    from haven.education.knowledge import UnknownSubstance

    try:
        checker.find(name)
    except UnknownSubstance:
        return True
    return False


def format_warning(warning) -> str:
    return "\n".join(["WARNING for the whole mix:", *_wrapped(warning.text), "  Sources:",
                      *(f"  - {s.title}. {s.publisher}, {s.year}. {s.url}" for s in warning.sources)])


def format_pair(pair) -> str:
    from haven.education import interactions

    title = f"{pair.a.name} + {pair.b.name}"
    if not pair.known:
        return f"{title}: UNKNOWN\n  {interactions.UNKNOWN_EXPLANATION}"
    rule = pair.rule
    direction = {"increase": "effects increase", "none": "no change in effects", "decrease": "effects decrease",
                 "unknown": "direction of effects not stated"}
    evidence = "a rating from TripSit's combination chart" if rule.reliability == "chart" else rule.reliability
    lines = [
        f"{title}: {pair.risk.upper()} (risk {pair.risk_rank} of 3; {direction[rule.direction]})",
        *_wrapped(rule.explanation),
        *(_wrapped(f"Why: {rule.mechanism}") if rule.mechanism else []),
        f"  Evidence: {evidence}. Rule: {rule.label}",
        "  Sources:",
        *(f"  - {source.title}. {source.publisher}, {source.year}. {source.url}" for source in rule.sources),
    ]
    return "\n".join(lines)


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, width=100, initial_indent="  ", subsequent_indent="  ")


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
