"""Public fact sheets and the interaction checker. The data and the rules are plain Python
(knowledge.py, interactions.py); these views only shape them for the templates."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from haven.education import interactions as interaction_rules
from haven.education import knowledge, labels
from haven.education.knowledge import UnknownSubstance

MIN_FIELDS = 4
MAX_SUBSTANCES = 10


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
    checker = interaction_rules.default_checker()
    kb = checker.kb
    names = [name.strip() for name in request.GET.getlist("substance") if name.strip()][:MAX_SUBSTANCES]
    errors, chosen = [], []
    for name in names:
        try:
            chosen.append(kb.find(name))
        except UnknownSubstance as error:
            if error.suggestions:
                errors.append(_("No substance is called “%(name)s”. Did you mean: %(suggestions)s?") % {
                    "name": name, "suggestions": ", ".join(error.suggestions)})
            else:
                errors.append(_("No substance is called “%(name)s”.") % {"name": name})

    pairs, same_substance = [], False
    if names and not errors:
        substances = checker.resolve(names)
        same_substance = len(substances) < len(chosen)
        if len(substances) < 2:
            errors.append(_("Choose at least two different substances."))
        else:
            pairs = sorted(
                (_pair_row(checker.pair(a, b)) for i, a in enumerate(substances) for b in substances[i + 1:]),
                key=lambda row: labels.ORDER[row["risk"]],
            )

    field_count = min(MAX_SUBSTANCES, max(MIN_FIELDS, len(names) + 1))
    chosen_ids = [substance.id for substance in chosen]
    fields = [{"number": number, "selected": chosen_ids[number - 1] if number <= len(chosen_ids) else ""}
              for number in range(1, field_count + 1)]
    return render(request, "education/interactions.html", {
        "fields": fields,
        "options": kb.sorted(),
        "errors": errors,
        "pairs": pairs,
        "checked": bool(pairs),
        "same_substance": same_substance,
    })


def _substance_row(kb, substance):
    return {"substance": substance, "classes": [kb.classes[name] for name in substance.classes]}


def _pair_row(pair):
    data = pair.as_dict()
    return {
        **data,
        "a_id": pair.a.id,
        "b_id": pair.b.id,
        "known": pair.known,
        "risk_label": labels.RISK[pair.risk],
        "direction_label": labels.DIRECTION[data["direction"]],
        "reliability_label": labels.RELIABILITY[data["reliability"]],
        "sources": pair.rule.sources if pair.rule else [],
    }
