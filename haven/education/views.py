"""Public fact sheets and the interaction checker. The data and the rules are plain Python
(knowledge.py, interactions.py); these views only shape them for the templates."""

import difflib
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.education import actions, knowledge, labels, queries
from haven.education import interactions as interaction_rules
from haven.education.models import LANGUAGES, SheetVersion

MAX_QUERY = 1000
MAX_SUGGESTIONS = 8


def _language():
    """The reader's language, as the data files know it ("es"), "en" for any other."""
    return (get_language() or "en")[:2]


def substance_list(request):
    kb = knowledge.default(_language())
    query = request.GET.get("q", "").strip()[:100]
    found = kb.search(query)
    wanted = knowledge.name_key(query)
    if kb.language != "en" and wanted:  # the English name finds the sheet too ("Synthetic cathinones")
        found += [kb.substances[s.id] for s in knowledge.default().search(query) if kb.substances[s.id] not in found]
    if wanted:
        # Other words for a sheet (queries.yaml: "hongos", "alcool", "nitrous") find it in every language.
        words = interaction_rules.default_checker(kb.language).names
        ids = [target for key, target in words.items() if wanted in key and target in kb.substances]
        found += [kb.substances[i] for i in dict.fromkeys(ids) if kb.substances[i] not in found]
    return render(request, "education/substance_list.html", {
        "query": query,
        "substances": [_substance_row(kb, substance) for substance in found],
        "total": len(kb.substances),
        "can_edit": request.user.is_authenticated and request.user.has_role_permission("education.edit"),
    })


def substance_detail(request, substance_id):
    language = _language()
    kb = knowledge.default(language)  # classes, routes and tests in the reader's language
    # A version published in the editor replaces the data file's sheet; in another language, the
    # published translation, else the data files' translation, else English with a note saying so.
    substance = queries.sheet_for_reader(substance_id, language)
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
        "translation": _translation_state(substance, language),
        "other_names": _other_names(substance),
    })


def _translation_state(substance, language):
    """What the page says about the sheet's language: nothing in English or for a reviewed translation."""
    if language == "en":
        return None
    if substance.language != language:
        return "missing"
    if substance.untranslated:
        return "partial"
    return None if substance.reviewed else "unreviewed"


def interactions(request):
    """The checker: one free-text box ("benzos, alcohol, xanax"); every pair, worst first, printable.

    Also answers the older form, one `substance` parameter per name. Bad input is shown on the page
    with status 400: unknown names (with suggestions as links), one substance, too many.
    """
    checker = interaction_rules.default_checker(_language())
    text = request.GET.get("q", "")[:MAX_QUERY]
    names = interaction_rules.split_names([text, *request.GET.getlist("substance")], checker)
    if not text and names:
        text = ", ".join(names)
    errors, unknown, answer = [], [], None
    still_typing = "typing" in request.GET  # a suggestion was picked: fill the box, check when asked
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
    pairs = sorted((_pair_row(pair, checker.language) for pair in answer.pairs), key=lambda row: labels.ORDER[row["risk"]]) if answer else []
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
    checker = interaction_rules.default_checker(_language())
    text = request.GET.get("q", "")[:MAX_QUERY]
    parts = interaction_rules.split_names(text, checker)
    ends_with_separator = bool(re.search(r"[,;+&]\s*$|\s(" + "|".join(interaction_rules.SEPARATOR_WORDS) + r")\s*$",
                                         text, re.IGNORECASE))
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
    return {"substance": substance, "classes": [kb.classes[name] for name in substance.classes],
            "names": _other_names(substance)}


def _other_names(substance):
    """The sheet's other names, without the one shown as its title (a translated name may be one: "Crack")."""
    shown = knowledge.name_key(substance.name)
    return [name for name in substance.names if knowledge.name_key(name) != shown]


def _pair_row(pair, language="en"):
    data = pair.as_dict()
    return {
        **data,
        "untranslated": language != "en" and pair.rule is not None and pair.rule.language != language,
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


# The fact sheet editor (coordinators and admins: permission education.edit) -----------------------


def sheet_editor_list(request):
    return render(request, "education/editor_list.html", {
        "rows": queries.sheet_rows(),
        "waiting": queries.waiting_for_review(),
    })


def sheet_edit(request, substance_id):
    """The sheet's latest draft in one language (or a new draft from the published text or the data
    file), its language check, and its history."""
    kb = knowledge.default()
    substance = kb.substances.get(substance_id)
    if substance is None:
        raise Http404
    language = request.GET.get("language") or request.POST.get("language") or "en"
    if language not in dict(LANGUAGES):
        language = "en"
    history = queries.versions(substance_id, language)
    draft = next((v for v in history if v.is_editable), None)
    error = None
    if request.method == "POST":
        content, note = request.POST.get("content", ""), request.POST.get("note", "")
        try:
            draft = actions.sheet_draft_save(actor=request.user, substance_id=substance_id, language=language,
                                             content=content, note=note, version=draft, request=request)
            if request.POST.get("then") == "submit":
                actions.sheet_submit(actor=request.user, version=draft, request=request)
                messages.success(request, _("Sent for review. Someone else must review it before it is published."))
            else:
                messages.success(request, _("Draft saved."))
            return redirect(f"{reverse('education-sheet-edit', args=[substance_id])}?language={language}")
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
            text = content
    else:
        text = draft.content if draft else _starting_text(substance_id, language, history)
    seed = (language != "en" and not draft and not any(v.status == SheetVersion.Status.PUBLISHED for v in history)
            and knowledge.has_translation(substance_id, language))
    status = 400 if error else 200
    return render(request, "education/editor_sheet.html", {
        "substance": substance, "language": language, "languages": LANGUAGES, "text": text,
        "draft": draft, "history": history, "error": error,
        "note": request.POST.get("note", draft.note if draft else ""),
        "findings": draft.language_findings if draft and not error else [],
        "seed_translation": seed,
    }, status=status)


def sheet_version(request, version_id):
    version = get_object_or_404(SheetVersion.objects.select_related("created_by", "reviewed_by", "published_by"),
                                pk=version_id)
    previous = (SheetVersion.objects.filter(substance_id=version.substance_id, language=version.language,
                                            number__lt=version.number).order_by("-number").first())
    try:
        before = previous.content if previous else knowledge.sheet_text(version.substance_id)
    except KeyError:  # the sheet is no longer in the data files
        before = ""
    diff = list(difflib.unified_diff(before.splitlines(), version.content.splitlines(), lineterm="",
                                     fromfile=f"v{previous.number}" if previous else _("data file"),
                                     tofile=f"v{version.number}"))
    return render(request, "education/editor_version.html", {
        "version": version, "diff": diff,
        "can_review": version.status == SheetVersion.Status.IN_REVIEW and version.created_by_id != request.user.pk,
        "own_version": version.created_by_id == request.user.pk,
    })


@require_POST
def sheet_version_action(request, version_id, step):
    version = get_object_or_404(SheetVersion, pk=version_id)
    try:
        if step == "submit":
            actions.sheet_submit(actor=request.user, version=version, request=request)
            messages.success(request, _("Sent for review."))
        elif step in ("approve", "request-changes"):
            actions.sheet_review(actor=request.user, version=version, approve=step == "approve",
                                 note=request.POST.get("review_note", ""), request=request)
            messages.success(request, _("Review saved."))
        elif step == "publish":
            actions.sheet_publish(actor=request.user, version=version, request=request)
            messages.success(request, _("Published. The public page now shows this version."))
        elif step == "revert":
            draft = actions.sheet_revert(actor=request.user, version=version, request=request)
            messages.success(request, _("A new draft holds the text of version %(number)s. Review it like any edit.")
                             % {"number": version.number})
            return redirect("education-sheet-version", version_id=draft.pk)
        else:
            raise Http404
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
        return redirect("education-sheet-version", version_id=version.pk)
    return redirect("education-sheet-version", version_id=version.pk)


def sheet_version_export(request, version_id):
    """A version as a data file (`substances:` with the one sheet): the export format is the seed format."""
    version = get_object_or_404(SheetVersion, pk=version_id)
    response = HttpResponse(knowledge.export_text(version.content), content_type="text/yaml; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{version.substance_id}-{version.language}-v{version.number}.yaml"')
    return response


def _starting_text(substance_id, language, history):
    """Where a new draft starts: the published version; in another language, the data files' translation
    (awaiting a native speaker's review: editing, reviewing and publishing it here is that review), else
    the English published version; the English data file."""
    published = next((v for v in history if v.status == SheetVersion.Status.PUBLISHED), None)
    if published:
        return published.content
    if language != "en" and knowledge.has_translation(substance_id, language):
        return knowledge.sheet_text(substance_id, language=language)
    if language != "en":
        english = SheetVersion.objects.filter(substance_id=substance_id, language="en",
                                              status=SheetVersion.Status.PUBLISHED).first()
        if english:
            return english.content
    return knowledge.sheet_text(substance_id)
