"""Command line: ``haven interactions SUBSTANCE SUBSTANCE [...] [--json]``

Checks every pair among the substances named (common, brand or street names, any case) and
prints each pair's risk, the direction of the effect, an explanation, how reliable the evidence is
and the sources. ``--json`` prints a JSON array with one object per pair (``a``, ``b``, ``risk``,
``risk_rank`` (absent when the risk is unknown), ``direction``, ``explanation``, ``mechanism``,
``reliability``, ``rule``, ``sources``).

Names may be classes ("benzos", "opioids", "uppers") and one argument may list several
("benzos and alcohol"). With three or more substances of which two or more are depressants, a
warning about the whole mix comes first (in --json mode it goes to stderr).

``--language es`` (or LANGUAGE/LANG in the environment) answers in Spanish or French where the data
and catalogues are translated, English elsewhere.

Exit codes: 0 checked, 2 bad input (an unknown substance, fewer than two or more than ten substances, a data file
that is missing, empty, binary or invalid, bad arguments). A dangerous pair is a result, not an
error: it exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap

from haven import commandline
from haven.commandline import EXIT_BAD_INPUT, CommandParser
from haven.education.translations import gettext_noop

# The knowledge base (YAML) and the rules are imported once the arguments are read: --help stays quick.

EXIT_OK = 0
PROG = "haven interactions"
RISK_WORDS = {"dangerous": gettext_noop("DANGEROUS"), "unsafe": gettext_noop("UNSAFE"),
              "caution": gettext_noop("CAUTION"), "low": gettext_noop("LOW"), "unknown": gettext_noop("UNKNOWN")}
DIRECTION_WORDS = {"increase": gettext_noop("effects increase"), "none": gettext_noop("no change in effects"),
                   "decrease": gettext_noop("effects decrease"),
                   "unknown": gettext_noop("direction of effects not stated")}
RELIABILITY_WORDS = {"proven": gettext_noop("proven"), "inferred": gettext_noop("inferred"),
                     "hypothetical": gettext_noop("hypothetical"), "unknown": gettext_noop("unknown"),
                     "chart": gettext_noop("a rating from TripSit's combination chart")}


def build_parser(_=str) -> argparse.ArgumentParser:
    parser = CommandParser(
        prog=PROG,
        description=_(
            "Check what is known about taking substances together: every pair's risk (dangerous, unsafe, "
            "caution, low, or unknown), what happens, how reliable the evidence is, and the sources."
        ),
        epilog=_(
            "Names may be common, brand or street names in any case (\"xanax\", \"dope\", \"Molly\"), in "
            "English, Spanish or French (\"benzodiacepinas\", \"champignons\"). An unknown pair means there "
            "is no information, never that it is safe. Exit status: 0 checked, 2 bad input."
        ),
    )
    parser.add_argument("substances", nargs="*", metavar="SUBSTANCE",
                        help=_("two to ten substances or classes (benzos, opioids); one argument may list several: "
                               "\"benzos and alcohol\""))
    parser.add_argument("--json", action="store_true", help=_("print a JSON array, one object per pair"))
    parser.add_argument("--list", action="store_true", help=_("list the known substances and their names, then exit"))
    parser.add_argument("--data", metavar="DIR", help=_("a knowledge base folder to use instead of Haven's own"))
    parser.add_argument("--language", metavar="CODE", choices=commandline.LANGUAGES,
                        help=_("language of the answers: en, es or fr (default: from LANGUAGE or LANG; English "
                               "where a text is not yet translated)"))
    return parser


def main(argv: list[str] | None = None) -> int:
    language = commandline.command_language(argv)
    _ = commandline.translator(language)
    parser = build_parser(_)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, or an argument error (already printed)
        return exit_.code if isinstance(exit_.code, int) else EXIT_BAD_INPUT
    from haven.education import interactions
    from haven.education.knowledge import KnowledgeError

    try:
        checker = interactions.load(args.data, language) if args.data else interactions.default_checker(language)
    except KnowledgeError as error:
        return _fail(_("the knowledge base cannot be loaded: %(error)s") % {"error": error})

    if args.list:
        for substance in checker.kb.sorted():
            print(f"{substance.id}: {substance.name}" + (f" ({', '.join(substance.names)})" if substance.names else ""))
        for group in sorted(checker.groups.values(), key=lambda g: g.name.casefold()):
            print(f"{group.id}: {group.name}" + (f" ({', '.join(group.names)})" if group.names else ""))
        extra = sorted(checker.shown_names, key=str.casefold)
        print(_("other names:") + " " + ", ".join(extra))
        return EXIT_OK

    names = interactions.split_names(args.substances, checker)
    if len(names) < 2 and not any(unknown_name(checker, name) for name in names):
        parser.print_usage(sys.stderr)
        return _fail(_("give at least two substances, for example: haven interactions benzos alcohol"))
    try:
        answer = interactions.ask(checker, names)
    except interactions.CheckError as error:
        if not error.unknown:
            return _fail(str(error))
        for name, suggestions in error.unknown:
            hint = (" " + _("Did you mean: %(names)s?") % {"names": ", ".join(suggestions)}) if suggestions else ""
            print(f"{PROG}: " + _("error: unknown substance %(name)s.") % {"name": repr(name)} + hint, file=sys.stderr)
        print(f"{PROG}: " + _("see every known name with: %(command)s") % {"command": f"{PROG} --list"},
              file=sys.stderr)
        return EXIT_BAD_INPUT

    if args.json:
        json.dump([pair.as_dict() for pair in answer.pairs], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        for warning in answer.warnings:  # the array holds pairs only; the mix warning goes to stderr
            print(f"warning: {warning.text}", file=sys.stderr)
    else:
        blocks = [format_warning(warning, _) for warning in answer.warnings]
        blocks += [format_pair(pair, _) for pair in answer.pairs]
        sys.stdout.write("\n\n".join(blocks) + "\n")
    return EXIT_OK


def unknown_name(checker, name: str) -> bool:
    from haven.education.knowledge import UnknownSubstance

    try:
        checker.find(name)
    except UnknownSubstance:
        return True
    return False


def format_warning(warning, _=str) -> str:
    return "\n".join([_("WARNING for the whole mix:"), *_wrapped(warning.text), "  " + _("Sources:"),
                      *(f"  - {s.title}. {s.publisher}, {s.year}. {s.url}" for s in warning.sources)])


def format_pair(pair, _=str) -> str:
    title = f"{pair.a.name} + {pair.b.name}"
    if not pair.known:
        return f"{title}: {_(RISK_WORDS['unknown'])}\n  {pair.unknown_explanation}"
    rule = pair.rule
    lines = [
        f"{title}: {_(RISK_WORDS[pair.risk])} ("
        + _("risk %(rank)s of 3; %(direction)s") % {"rank": pair.risk_rank, "direction": _(DIRECTION_WORDS[rule.direction])}
        + ")",
        *_wrapped(rule.explanation),
        *(_wrapped(_("Why: %(mechanism)s") % {"mechanism": rule.mechanism}) if rule.mechanism else []),
        "  " + _("Evidence: %(evidence)s. Rule: %(rule)s") % {"evidence": _(RELIABILITY_WORDS[rule.reliability]),
                                                             "rule": rule.label},
        "  " + _("Sources:"),
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
