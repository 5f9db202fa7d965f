"""Participants: find by code, enrol, see, print a card, merge, record consent.

Who may open each page is decided by the permission matrix. URLs carry display ids (random),
never codes; a code travels in a form field or, for the lookup as you type, a query string.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from haven.core.forms import add_action_errors
from haven.participants import actions, codes, queries
from haven.participants.forms import CONSENT_FORMS, EnrollForm, MergeForm
from haven.participants.models import ContactConsent
from haven.participants.recipe import code_error_message, current_recipe, how_to_build, shape_sentence

# Until the encounter form exists its URL name does not resolve; the path it will have is known.
ENCOUNTER_NEW_FALLBACK = "/encounters/new/"


def encounter_new_url(display_id: str) -> str:
    try:
        base = reverse("encounter-new")
    except NoReverseMatch:
        base = ENCOUNTER_NEW_FALLBACK
    return f"{base}?participant={display_id}"


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _participant_or_404(display_id):
    participant = queries.participant_by_display_id(display_id)
    if participant is None:
        raise Http404(_("No participant has this display id."))
    return participant


def _recipe_help():
    recipe = current_recipe()
    return {"recipe_steps": how_to_build(recipe), "recipe_shape": shape_sentence(recipe),
            "recipe_example": recipe.example()}


def participant_list(request):
    return render(request, "participants/participant_list.html", {
        "recent": queries.recent_enrolments(request.user),
        "can_merge": request.user.has_role_permission("participants.merge"),
        **_recipe_help(),
    })


def lookup_result(request, text) -> dict:
    """What the lookup shows for a typed code; the view and tests share it."""
    recipe = current_recipe()
    context = {"typed": bool(codes.normalise(text)), **_recipe_help()}
    if not context["typed"]:
        return {**context, "state": "empty"}
    # The card's display id (printed, and in its QR code) finds the person too. Display ids and codes
    # cannot be confused: a display id is six characters of an alphabet without 0, 1, I, L and O.
    if actions.looks_like_display_id(text):
        participant = queries.participant_by_display_id(text)
        if participant is not None:
            return _found(request, context, participant, via="display id")
    try:
        code = codes.validate_code(recipe, text)
    except codes.CodeError as error:
        if error.reason == "too_short":
            missing = error.params["expected"] - error.params["given"]
            return {**context, "state": "typing", "missing": missing}
        return {**context, "state": "invalid", "problem": code_error_message(error, recipe)}
    if queries.lookup_misses_exceeded(request.user):
        return {**context, "state": "paused"}
    participant = queries.participant_by_code(code)
    if participant is None:
        actions.participant_lookup_miss(actor=request.user, request=request)
        # The code goes back into the enrol form as a POST field, never into a URL.
        return {**context, "state": "not_found", "code": code}
    return _found(request, context, participant, via="lookup")


def _found(request, context, participant, *, via) -> dict:
    actions.participant_view_audit(actor=request.user, participant=participant, request=request, via=via)
    return {**context, "state": "found", "participant": participant,
            "summary": queries.participant_summary(participant, user=request.user),
            "log_visit_url": encounter_new_url(participant.display_id)}


def participant_lookup(request):
    # GET for the lookup as you type; the page's own form POSTs, so without JavaScript the code
    # stays out of the address bar and the browser history.
    text = request.POST.get("code", "") if request.method == "POST" else request.GET.get("code", "")
    context = lookup_result(request, text[:100])
    if _is_htmx(request):
        return render(request, "participants/_lookup_result.html", context)
    return render(request, "participants/participant_lookup.html", context)


def participant_enroll(request):
    form = EnrollForm(request.POST or None, user=request.user)
    # The lookup's "Enrol with this code" button posts only the code: enrol at once when it fits.
    if request.method == "POST" and form.is_valid():
        try:
            participant = actions.participant_enroll(actor=request.user, code=form.cleaned_data["code"],
                                                     site=form.cleaned_data.get("site"), request=request)
        except ValidationError as error:
            add_action_errors(form, error)
            existing = _existing_display_id(error)
            if existing:
                return render(request, "participants/participant_enroll.html",
                              {"form": form, "existing": existing, **_recipe_help()}, status=409)
        else:
            messages.success(request, _("Enrolled. Their display id is %(display_id)s.")
                             % {"display_id": participant.display_id})
            return redirect("participant-detail", display_id=participant.display_id)
    return render(request, "participants/participant_enroll.html", {"form": form, **_recipe_help()},
                  status=400 if form.errors else 200)


def _existing_display_id(error) -> str | None:
    for item in getattr(error, "error_dict", {}).get("code", []):
        if getattr(item, "code", None) == "already_enrolled":
            return item.params["display_id"]
    return None


def participant_detail(request, display_id):
    participant = _participant_or_404(display_id)
    if participant.display_id != display_id:
        return redirect("participant-detail", display_id=participant.display_id)
    actions.participant_view_audit(actor=request.user, participant=participant, request=request)
    can_contact = request.user.has_role_permission("participants.contact")
    return render(request, "participants/participant_detail.html", {
        "participant": participant,
        "summary": queries.participant_summary(participant, user=request.user),
        "visits": queries.participant_visits(participant, user=request.user),
        "sees_all_sites": request.user.sees_all_sites,
        "merged": queries.merged_records(participant),
        "can_contact": can_contact,
        "consents": queries.active_consents(participant) if can_contact else [],
        "can_merge": request.user.has_role_permission("participants.merge"),
        "log_visit_url": encounter_new_url(participant.display_id),
    })


def participant_card(request, display_id):
    import segno

    participant = _participant_or_404(display_id)
    if participant.display_id != display_id:
        return redirect("participant-card", display_id=participant.display_id)
    actions.participant_view_audit(actor=request.user, participant=participant, request=request, via="card")
    # The QR code holds the display id only: never the participant code.
    # A viewBox and no fixed size, so the code scales to the card instead of being cut off when
    # printed smaller than its pixel size; the quiet zone of four modules that scanners expect.
    qr_svg = segno.make(participant.display_id, micro=False).svg_inline(
        scale=6, border=4, dark="#000", light="#fff", svgclass="participant-qr", omitsize=True)
    return render(request, "participants/participant_card.html", {
        "participant": participant, "qr_svg": qr_svg,
        "program_contact": settings.HAVEN_PROGRAM_CONTACT,
    })


def participant_scan(request):
    """Find a person in one step by their card: the camera (or a photo) reads the QR code, or the
    display id is typed. Without JavaScript it is a plain form; either way it opens the visit form."""
    return render(request, "participants/participant_scan.html", {
        "visit_url": encounter_new_url(""),
        "visit_form_url": encounter_new_url("").split("?")[0],
    })


def participant_merge(request):
    # A link from a participant's page fills in "keep"; both ids in the query go straight to the check.
    both_in_query = "keep" in request.GET and "duplicate" in request.GET
    data = request.POST if request.method == "POST" else (request.GET if both_in_query else None)
    form = MergeForm(data, initial={"keep": request.GET.get("keep", "")})
    context = {"form": form}
    if data is not None and form.is_valid():
        keep, duplicate = form.cleaned_data["keep"], form.cleaned_data["duplicate"]
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            try:
                actions.participant_merge(actor=request.user, keep=keep, duplicate=duplicate, request=request)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("%(duplicate)s was merged into %(keep)s. Both codes now find %(keep)s.")
                                 % {"duplicate": duplicate.display_id, "keep": keep.display_id})
                return redirect("participant-detail", display_id=keep.display_id)
        else:
            context.update({
                "confirming": True, "keep": keep, "duplicate": duplicate,
                "keep_summary": queries.participant_summary(keep, user=request.user),
                "duplicate_summary": queries.participant_summary(duplicate, user=request.user),
            })
    return render(request, "participants/participant_merge.html", context, status=400 if form.errors else 200)


def participant_consent(request, display_id):
    participant = _participant_or_404(display_id)
    if participant.display_id != display_id:
        return redirect("participant-consent", display_id=participant.display_id)
    scope = request.POST.get("scope", "")
    forms_by_scope = {name: form_class(prefix=name) for name, form_class in CONSENT_FORMS.items()}
    if request.method == "POST" and scope in CONSENT_FORMS:
        try:
            if request.POST.get("do") == "withdraw":
                actions.consent_withdraw(actor=request.user, participant=participant, scope=scope, request=request)
                messages.success(request, _("Consent withdrawn. What was kept has been erased."))
                return redirect("participant-consent", display_id=participant.display_id)
            form = CONSENT_FORMS[scope](request.POST, prefix=scope)
            forms_by_scope[scope] = form
            if form.is_valid():
                actions.consent_give(actor=request.user, participant=participant, scope=scope,
                                     value=form.cleaned_data["value"],
                                     contact_kind=form.cleaned_data.get("contact_kind", ""), request=request)
                messages.success(request, _("Consent recorded."))
                return redirect("participant-consent", display_id=participant.display_id)
        except ValidationError as error:
            add_action_errors(forms_by_scope[scope], error)
    return render(request, "participants/participant_consent.html", {
        "participant": participant,
        "nickname_form": forms_by_scope[ContactConsent.Scope.NICKNAME],
        "contact_form": forms_by_scope[ContactConsent.Scope.CONTACT],
        "history": queries.consent_history(participant),
        "Scope": ContactConsent.Scope,
    }, status=400 if any(form.errors for form in forms_by_scope.values()) else 200)
