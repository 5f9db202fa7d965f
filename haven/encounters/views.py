"""The fast entry page, the list of visits, one visit, void and undo. Thin: forms, actions, queries."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.core.forms import add_action_errors
from haven.encounters import actions, queries
from haven.encounters.forms import CorrectionForm, EncounterForm, VisitFilterForm, VoidForm
from haven.encounters.models import Encounter
from haven.participants.queries import participant_summary
from haven.places.models import Site

SESSION_UNDO_KEY = "encounters_undo_id"


def _participant_lookup_url():
    try:
        return reverse("participants")
    except NoReverseMatch:
        return None


# The site is remembered per person and per device: in the session, and in a signed cookie that
# outlives it, so the first visit of the next session starts at the same site.
SITE_COOKIE_SALT = "haven.encounters.site"
SITE_COOKIE_MAX_AGE = 365 * 24 * 3600


def _site_cookie_name(user) -> str:
    return f"haven_site_{user.pk}"


def _remembered_site(request):
    site_id = request.session.get(queries.SESSION_SITE_KEY)
    if not site_id:
        site_id = request.get_signed_cookie(_site_cookie_name(request.user), default=None, salt=SITE_COOKIE_SALT)
    if not str(site_id or "").isdigit():
        return None
    return Site.objects.filter(pk=int(site_id)).first()


def remember_site(request, response, site_id) -> None:
    request.session[queries.SESSION_SITE_KEY] = site_id
    response.set_signed_cookie(_site_cookie_name(request.user), str(site_id), salt=SITE_COOKIE_SALT,
                               max_age=SITE_COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                               secure=settings.SESSION_COOKIE_SECURE)


def _undoable(request):
    """The visit this person just recorded here, while they may still take it back."""
    encounter_id = request.session.get(SESSION_UNDO_KEY)
    if not encounter_id:
        return None
    encounter = Encounter.objects.filter(pk=encounter_id).first()
    if encounter is None or not actions.may_undo(request.user, encounter):
        return None
    return encounter


def encounter_new(request):
    defaults = queries.encounter_defaults(request.user, _remembered_site(request))
    participant_text = request.POST.get("participant") if request.method == "POST" else request.GET.get(
        "participant", "")
    participant = queries.participant_by_display_id(participant_text)
    initial = {"participant": participant.canonical().display_id if participant else ""}
    form = EncounterForm(request.POST or None, user=request.user, defaults=defaults, initial=initial)

    if request.method == "POST" and form.is_valid():
        arguments = form.action_arguments()
        try:
            if "repeat" in request.POST:
                # The visit shown on the form (its id is the button's value) is the one repeated:
                # its supplies and kits, with this form's services, returns, other people and reversal.
                arguments.pop("supplies")
                arguments.pop("kits")
                encounter, created = actions.encounter_repeat(
                    actor=request.user, request=request, previous_id=request.POST["repeat"] or None, **arguments)
            else:
                encounter, created = actions.encounter_record(actor=request.user, request=request, **arguments)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if created:
                request.session[SESSION_UNDO_KEY] = encounter.pk
                messages.success(request, _("Visit saved."))
            else:
                messages.info(request, _("This visit was already saved."))
            response = redirect("encounter-new")
            remember_site(request, response, encounter.site_id)
            return response

    summary = participant_summary(participant, user=request.user) if participant else None
    return render(request, "encounters/new.html", {
        "form": form,
        "participant": participant.canonical() if participant else None,
        "unknown_participant": bool(participant_text and not participant),
        "summary": summary,
        "last": summary.last_visit if summary else None,
        "undoable": _undoable(request),
        "lookup_url": _participant_lookup_url(),
        "returns_estimates": RETURNS_ESTIMATES,
    })


# Rough program conventions for estimating returns by container, not measurements: a full
# 1-quart sharps container holds about 100 1 mL syringes, a 1-gallon about 400. Staff tick
# "estimated" so reports can tell counted returns from estimated ones.
SYRINGES_PER_QUART_CONTAINER = 100
SYRINGES_PER_GALLON_CONTAINER = 400
RETURNS_ESTIMATES = [
    ("quart", SYRINGES_PER_QUART_CONTAINER),
    ("gallon", SYRINGES_PER_GALLON_CONTAINER),
]


@require_POST
def encounter_undo(request):
    encounter = _undoable(request)
    if encounter is None:
        messages.error(request, _("That visit can no longer be undone here. Ask a coordinator to void it."))
        return redirect("encounter-new")
    try:
        actions.encounter_void(actor=request.user, encounter=encounter, request=request,
                               reason=_("Undone by the person who recorded it"))
    except (ValidationError, PermissionDenied):
        messages.error(request, _("That visit can no longer be undone here. Ask a coordinator to void it."))
    else:
        request.session.pop(SESSION_UNDO_KEY, None)
        messages.success(request, _("The visit was undone. Its supplies went back into stock."))
    return redirect("encounter-new")


def encounter_list(request):
    form = VisitFilterForm(request.GET or None, user=request.user)
    filters = form.filters() if request.GET else {}
    page = queries.encounters_page(request.user, page=request.GET.get("page") or 1, filters=filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "encounters/list.html", {
        "page": page, "form": form, "filtered": bool(filters), "query": query.urlencode(),
        "can_record": request.user.has_role_permission("encounters.record"),
        "can_export": request.user.has_role_permission("reports.export"),
    })


def encounter_export(request):
    """The visits list, as filtered, as a CSV file. Audited: the file leaves the program."""
    import csv

    from django.http import StreamingHttpResponse

    from haven.core.audit import audit_record

    form = VisitFilterForm(request.GET or None, user=request.user)
    filters = form.filters() if request.GET else {}
    queryset = queries.filtered(queries.encounters_for(request.user), filters)
    audit_record(actor=request.user, action="export", object_type="encounters.encounter", request=request,
                 detail={"what": "visits", "filters": sorted(filters)})

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in queries.export_rows(queryset)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="visits-{timezone.localdate().isoformat()}.csv"'
    return response


def _get_encounter(request, encounter_id):
    encounter = queries.encounter_for(request.user, encounter_id)
    if encounter is None:
        raise Http404
    return encounter


def encounter_detail(request, encounter_id, void_form=None):
    encounter = _get_encounter(request, encounter_id)
    return render(request, "encounters/detail.html", {
        "encounter": encounter,
        "can_correct": actions.may_correct(request.user, encounter),
        "versions": queries.versions_of(encounter),
        "naloxone_doses": queries.naloxone_doses(encounter),
        "syringes_given": queries.syringes_given(encounter),
        "can_void": request.user.has_role_permission("encounters.void") and encounter.voided_at is None,
        "void_form": void_form or VoidForm(),
        "now": timezone.now(),
    })


def encounter_void(request, encounter_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    encounter = _get_encounter(request, encounter_id)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            actions.encounter_void(actor=request.user, encounter=encounter, request=request,
                                   reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The visit was voided. Its supplies went back into stock."))
            return redirect("encounter-detail", encounter_id=encounter.pk)
    return encounter_detail(request, encounter_id, void_form=form)


def encounter_correct(request, encounter_id):
    encounter = _get_encounter(request, encounter_id)
    if encounter.voided_at is not None and hasattr(encounter, "replaced_by"):
        messages.info(request, _("This visit was corrected since. This is its newest version."))
        return redirect("encounter-correct", encounter_id=queries.newest_version(encounter).pk)
    if not actions.may_correct(request.user, encounter):
        messages.error(request, _("You can correct your own visits for 24 hours after recording them. Ask a "
                                  "coordinator to correct this one."))
        return redirect("encounter-detail", encounter_id=encounter.pk)
    form = CorrectionForm(request.POST or None, user=request.user, encounter=encounter)
    if request.method == "POST" and form.is_valid():
        try:
            corrected = actions.encounter_correct(actor=request.user, encounter=encounter, request=request,
                                                  **form.action_arguments())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Visit corrected. Reports and stock now count the corrected visit."))
            return redirect("encounter-detail", encounter_id=corrected.pk)
    return render(request, "encounters/new.html", {
        "form": form, "correcting": True, "encounter": encounter, "returns_estimates": RETURNS_ESTIMATES,
    }, status=400 if form.errors else 200)
