"""Public fact sheets and the interaction checker. The data and the rules are plain Python
(knowledge.py, interactions.py); these views only shape them for the templates."""

import re

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from haven.education import interactions as interaction_rules
from haven.education import knowledge, labels

MAX_QUERY = 1000
MAX_SUGGESTIONS = 8


def substance_list(request):
    kb = knowledge.default()
    query = request.GET.get("q", "").strip()[:100]
    return render(request, "education/substance_list.html", {
        "query": query,
        "substances": [_substance_row(kb, substance) for substance in kb.search(query)],
        "total": len(kb.substances),
    })


def substance_detail(request, substance_id):
    kb = knowledge.default()
    substance = kb.substances.get(substance_id)
    if substance is None:
        raise Http404
    numbers = {source.key: number for number, source in enumerate(substance.sources, start=1)}

    def cited(group):
        return [{"key": source.key, "number": numbers[source.key]} for source in group.sources]

    by_route = substance.timing.by_route
    return render(request, "education/substance_detail.html", {
        "substance": substance,
        "classes": [kb.classes[name] for name in substance.classes],
        "routes": [kb.routes[name] for name in substance.routes],
        "timing": [{"route": kb.routes[route], **times} for route, times in by_route.items()],
        "doses": [{**dose, "route": kb.routes[dose["route"]]} for dose in substance.dose.values.get("ranges") or []],
        "tests": [kb.tests[name] for name in substance.drug_checking.tests],
        "naloxone": labels.NALOXONE[substance.overdose.naloxone],
        "form_of": kb.substances[substance.form_of] if substance.form_of else None,
        "cited": {name: cited(getattr(substance, name))
                  for name in ("timing", "dose", "risks", "safer_use", "overdose", "drug_checking")},
        "sources": [{"number": numbers[source.key], "source": source} for source in substance.sources],
    })


def interactions(request):
    """The checker: one free-text box ("benzos, alcohol, xanax"); every pair, worst first, printable.

    Also answers the older form, one `substance` parameter per name. Bad input is shown on the page
    with status 400: unknown names (with suggestions as links), one substance, too many.
    """
    checker = interaction_rules.default_checker()
    text = request.GET.get("q", "")[:MAX_QUERY]
    names = interaction_rules.split_names([text, *request.GET.getlist("substance")])
    if not text and names:
        text = ", ".join(names)
    errors, unknown, answer = [], [], None
    still_typing = text.rstrip().endswith(",")  # a suggestion was picked: fill the box, check later
    if names and not still_typing:
        try:
            answer = interaction_rules.ask(checker, names)
        except interaction_rules.CheckError as error:
            if error.unknown:
                unknown = [_unknown_row(names, name, suggestions) for name, suggestions in error.unknown]
            elif len(names) > interaction_rules.MAX_SUBSTANCES:
                errors.append(_("Check at most %(max)s substances at once (you gave %(count)s).") % {
                    "max": interaction_rules.MAX_SUBSTANCES, "count": len(names)})
            elif len(names) < 2:
                errors.append(_("Give at least two substances, separated by commas: for example “benzos, alcohol”."))
            else:
                errors.append(_("These are the same substance (or forms of it). Give at least two different "
                                "substances."))
    pairs = sorted((_pair_row(pair) for pair in answer.pairs), key=lambda row: labels.ORDER[row["risk"]]) if answer else []
    response = render(request, "education/interactions.html", {
        "query": text,
        "names": checker.names_for_suggestions(),
        "errors": errors,
        "unknown": unknown,
        "pairs": pairs,
        "warnings": answer.warnings if answer else [],
        "subjects": answer.subjects if answer else [],
        "checked": answer is not None,
        "same_substance": bool(answer and answer.merged),
        "max_substances": interaction_rules.MAX_SUBSTANCES,
    })
    if errors or unknown:
        response.status_code = 400
    return response


def interaction_suggestions(request):
    """Names matching what is being typed (the last name in the box), as links that complete the query;
    fetched by HTMX as a person types, and harmless without it."""
    checker = interaction_rules.default_checker()
    text = request.GET.get("q", "")[:MAX_QUERY]
    parts = interaction_rules.split_names(text)
    ends_with_separator = bool(re.search(r"[,;+&]\s*$|\s(and|with|plus)\s*$", text, re.IGNORECASE))
    typing = "" if ends_with_separator or not parts else parts[-1]
    done = parts if ends_with_separator or not parts else parts[:-1]
    matches = _matches(checker, typing) if typing else []
    return render(request, "education/_interaction_suggestions.html", {
        "typing": typing,
        "suggestions": [{"name": name, "query": ", ".join([*done, name]) + ", "} for name in matches],
    })


def _matches(checker, typing):
    key = knowledge.name_key(typing)
    names = checker.names_for_suggestions()
    starts = [name for name in names if knowledge.name_key(name).startswith(key)]
    contains = [name for name in names if key in knowledge.name_key(name) and name not in starts]
    found = sorted(starts, key=lambda n: (len(n), n.casefold())) + contains
    if not found:
        found = checker.suggest(typing, limit=5)
    return found[:MAX_SUGGESTIONS]


def _unknown_row(names, name, suggestions):
    def replaced(suggestion):
        return ", ".join(suggestion if other == name else other for other in names)
    return {"name": name, "suggestions": [{"name": s, "query": replaced(s)} for s in suggestions]}


def _substance_row(kb, substance):
    return {"substance": substance, "classes": [kb.classes[name] for name in substance.classes]}


def _pair_row(pair):
    data = pair.as_dict()
    return {
        **data,
        "a_id": pair.a.id,
        "b_id": pair.b.id,
        "a_sheet": not pair.a.id.startswith(interaction_rules.CLASS_PREFIX),
        "b_sheet": not pair.b.id.startswith(interaction_rules.CLASS_PREFIX),
        "known": pair.known,
        "risk_label": labels.RISK[pair.risk],
        "direction_label": labels.DIRECTION[data["direction"]],
        "reliability_label": labels.RELIABILITY[data["reliability"]],
        "sources": pair.rule.sources if pair.rule else [],
    }
