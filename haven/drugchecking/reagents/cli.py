"""Command line: ``haven reagents REAGENT=COLOURS [...] [--json] [--top N]``

Ranks the reference substances whose reagent reactions fit what was seen, best first:

    haven reagents marquis=purple,black mecke=green simon="no reaction"
    haven reagents --kit mmmf marquis=purple,black mecke="green or blue" mandelin=black froehde=purple

Reagent names are read as people write them ("simons", "simon's", "gallic acid", "4-ap"). ``--kit``
names the reagents of a common kit; a reagent of the kit that is not given is reported as not used
(it says nothing). ``--list`` prints the reagents, the kits and every reference entry with its sources.

A comma separates the colours one reagent showed over time (first colour first); "no reaction" is
evidence too. ``--json`` prints the ranked candidates as a JSON array of objects, best first (each with
``substance``, ``score``, ``confidence``, ``evidence`` and ``sources``), and the cautions on standard
error; ``--json --full`` prints the whole interpretation as one object: ``candidates``,
``possibly_mixture``, ``mixtures`` and ``cautions``. The JSON keeps the engine's English (names, notes,
cautions); the text output is in the language asked for (``--language es``), names and notes included
(texts.py).

Exit codes: 0 interpreted, 2 bad input (an unknown reagent or colour, a missing "=", bad arguments).
"""

from __future__ import annotations

import argparse
import json
import sys

from haven.commandline import EXIT_BAD_INPUT, LANGUAGES, CommandParser, command_language, translator

from .engine import gettext_noop, interpret, localized_cautions
from .table import SOURCE_LABELS, TableError, default_table, load_table
from .texts import candidate_notes, localized_interpretation, substance_name
from .vocabulary import (
    BASIC_COLOURS,
    REAGENT_KEYS,
    REAGENT_LABELS,
    UnknownColourError,
    UnknownReagentError,
    reagent_choices,
    reagent_key,
)

# Common kits: which reagents they hold (the kit makers' own descriptions of their kits' contents).
KITS = {
    "mmmf": ("marquis", "mecke", "mandelin", "froehde"),
    "mdma": ("marquis", "mecke", "mandelin", "simon"),
    "full": REAGENT_KEYS,
}

EXIT_OK = 0
PROG = "haven reagents"



def build_parser(_=str) -> argparse.ArgumentParser:
    parser = CommandParser(
        prog=PROG,
        description=_(
            "Rank the substances whose reagent colour reactions fit what you saw. Give each reagent and "
            "its colours as REAGENT=COLOURS; a comma separates colours seen one after another."
        ),
        epilog=_(
            "Reagents: %(reagents)s. Colours: no reaction, %(colours)s, optionally light/dark, or a hex code "
            "like #5a2d82 (Spanish and French colour words work too: morado, noir). Reagents never show "
            "purity, and colours cannot rule out fentanyl or other potent adulterants. Exit status: 0 "
            "interpreted, 2 bad input."
        ) % {"reagents": ", ".join(REAGENT_KEYS), "colours": ", ".join(BASIC_COLOURS)},
    )
    parser.add_argument("observations", nargs="*", metavar="REAGENT=COLOURS",
                        help='e.g. marquis=purple,black mecke=green simon="no reaction"')
    parser.add_argument("--json", action="store_true", help="print the ranked candidates as a JSON array")
    parser.add_argument("--full", action="store_true",
                        help="with --json: print the whole interpretation (candidates, mixtures, cautions) as an object")
    parser.add_argument("--top", type=_positive_int, default=5, metavar="N",
                        help="how many candidates to show (default: 5)")
    parser.add_argument("--list", action="store_true",
                        help="list the reagents, kits and reference substances with their sources, then exit")
    parser.add_argument("--kit", choices=sorted(KITS), metavar="KIT",
                        help=f"the kit used ({', '.join(sorted(KITS))}): only its reagents are accepted")
    parser.add_argument("--table", metavar="FILE", help="a reference table (YAML) to use instead of Haven's own")
    parser.add_argument("--language", metavar="CODE", choices=LANGUAGES,
                        help=_("language of the text output and cautions: en, es or fr (default: from LANGUAGE "
                               "or LANG)"))
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: list[str] | None = None) -> int:
    language = command_language(argv)
    _ = translator(language)
    parser = build_parser(_)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, or an argument error (already printed)
        return exit_.code if isinstance(exit_.code, int) else EXIT_BAD_INPUT

    try:
        table = load_table(args.table) if args.table else default_table()
    except TableError as error:
        return _fail(f"the reference table cannot be loaded: {error}")

    if args.list:
        print(render_list(table))
        return EXIT_OK

    if not args.observations:
        parser.print_usage(sys.stderr)
        return _fail("give at least one reagent and its colours, for example: haven reagents marquis=purple,black")

    observations = {}
    for item in args.observations:
        reagent, separator, colours = item.partition("=")
        if not separator or not reagent.strip() or not colours.strip():
            return _fail(f"{item!r} is not REAGENT=COLOURS (for example marquis=purple,black)")
        try:
            key = reagent_key(reagent)
        except UnknownReagentError as error:
            return _fail(str(error))
        if key in observations:
            return _fail(f"reagent {reagent!r} is given twice")
        if args.kit and key not in KITS[args.kit]:
            kit = ", ".join(REAGENT_LABELS[r] for r in KITS[args.kit])
            return _fail(f"{REAGENT_LABELS[key]} is not in the {args.kit} kit ({kit})")
        observations[key] = colours

    try:
        result = interpret(observations, table=table)
    except (UnknownReagentError, UnknownColourError) as error:
        return _fail(str(error))

    if args.json:
        data = result.as_dict()
        data["candidates"] = data["candidates"][: args.top]
        if args.full:
            print(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            print(json.dumps(data["candidates"], indent=2, ensure_ascii=False))
            for caution in localized_cautions(data["cautions"], _, language):
                print(f"caution: {caution}", file=sys.stderr)
    else:
        names = {reference.key: substance_name(reference.key, reference.name, language)
                 for reference in table.references}
        print(render_text(result, args.top, names, _, language))
    return EXIT_OK


def render_list(table) -> str:
    lines = ["Reagents: " + ", ".join(f"{key} ({label})" for key, label in reagent_choices())]
    lines += [f"Kit {name}: {', '.join(REAGENT_LABELS[r] for r in reagents)}" for name, reagents in KITS.items()]
    provenance = table.provenance or {}
    if provenance:
        lines.append(f"Table: {provenance.get('name')} {provenance.get('url')} commit {provenance.get('commit')}, "
                     f"{provenance.get('licence')} licence; plus Haven's cited literature entries.")
    lines.append("")
    for reference in table.references:
        sources = sorted({SOURCE_LABELS.get(report.source, report.source)
                          for reports in (reference.reports or {}).values() for report in reports})
        lines.append(f"{reference.key}: {reference.name} [{reference.substance_class or 'no class'}] "
                     f"sources: {', '.join(sources) or 'none'}")
    return "\n".join(lines)


CONFIDENCE_WORDS = {"strong": gettext_noop("strong"), "moderate": gettext_noop("moderate"),
                    "weak": gettext_noop("weak"), "poor": gettext_noop("poor")}


def render_text(result, top: int, names: dict | None = None, _=str, language: str = "en") -> str:
    """The interpretation for a person to read; substance names and notes in `language` (texts.py)."""
    names = names or {}
    shown = localized_interpretation(result.as_dict(), language)
    observed = "; ".join(f"{reagent}: {', '.join(colours)}" for reagent, colours in result.observations.items())
    lines = [_("Observed: %(observed)s") % {"observed": observed}, "",
             _("Colours fit (best first; substances these reagents cannot tell apart are listed together):")]
    for number, group in enumerate(shown["groups"][:top], start=1):
        extra = group["size"] - len(group["names"])
        more = " " + _("and %(count)s more") % {"count": extra} if extra > 0 else ""
        separate = ""
        if group["separate_with"]:
            labels = f" {_('or')} ".join(REAGENT_LABELS[r] for r in group["separate_with"][:3])
            separate = "; " + _("%(reagents)s would tell them apart") % {"reagents": labels}
        confidence = _(CONFIDENCE_WORDS.get(group["confidence"], group["confidence"]))
        lines.append(f"{number:>2}. {', '.join(group['names'])}{more}  "
                     f"({group['probability']:.0%}, {confidence}{separate})")
    best = shown["candidates"][0] if shown["candidates"] else None
    if best:
        disagreeing = [_("%(reagent)s (sources report %(expected)s)") % {"reagent": item["reagent"],
                                                                         "expected": item["expected"]}
                       for item in best["evidence"] if not item["agrees"] and item["expected"] != "unknown"]
        if disagreeing:
            lines.append("    " + _("%(substance)s: reagents that do not fit: %(reagents)s")
                         % {"substance": best["substance"], "reagents": "; ".join(disagreeing)})
    notes = candidate_notes(shown, groups=top)
    if notes:
        lines += ["", _("What the sources say about these substances:")]
        lines += [f"  - {', '.join(substances)}: {note}" for substances, note in notes]
    if result.possibly_mixture:
        lines += ["", _("Possibly a mixture: no single substance in the table fits well.")]
        for first, second, score in result.mixtures:
            lines.append("  " + _("fits together: %(first)s + %(second)s (%(score)s)")
                         % {"first": names.get(first, first), "second": names.get(second, second),
                            "score": f"{score:.2f}"})
    lines += ["", _("What reagents cannot tell:")]
    lines += [f"  - {caution}" for caution in localized_cautions(result.cautions, _, language)]
    return "\n".join(lines)


def _fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
