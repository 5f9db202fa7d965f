"""Every write to rights reports, legal requests, productions and peer warnings: validated,
transactional and audited.

Audit entries hold ids, field names and choice codes, never a note, an officer's name or who asked
for data. Anonymous writes (the public report form, peer warnings) are audited without the request,
so not even the audit log learns where they came from, and they are rate limited per connection
with the shared limiter.
"""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core import ratelimit
from haven.core.audit import audit_record
from haven.core.freetext import PersonalDetailsFound
from haven.core.models import AuditEvent
from haven.core.screening import screen_personal_details
from haven.rights.models import (
    Event,
    LegalRequest,
    PeerWarning,
    Production,
    PublicPage,
    RightsReport,
)

NOTE_MAX_LENGTH = 3000
OFFICER_MAX_LENGTH = 500
TEXT_MAX_LENGTH = 3000
# Reports of what happened up to three years ago (a person may tell staff long after); none in the future.
OLDEST_REPORT_DAYS = 3 * 366
# Accepted public reports and warnings (refused ones do not count): a few per connection, and a
# ceiling for everyone together so a flood cannot bury the real ones. docs/SECURITY.md.
PUBLIC_REPORT_LIMIT = ratelimit.Limit("rights-public-report", per_client=5, overall=300, window=3600)
PUBLIC_WARNING_LIMIT = ratelimit.Limit("rights-public-warning", per_client=5, overall=300, window=3600)
LEGAL_AID_CATEGORY = "legal"


def _require(actor, permission: str) -> None:
    if actor is None or not actor.has_role_permission(permission):
        raise PermissionDenied(permission)


def _allowed_words() -> set[str]:
    from haven.places.queries import area_name_words

    return area_name_words()


def _clean_text(field: str, text, *, max_length: int, required: bool = False, message: str = "") -> str | None:
    text = (text or "").strip()
    if not text:
        if required:
            raise ValidationError({field: [message or _("This is needed.")]})
        return None
    if len(text) > max_length:
        raise ValidationError({field: [_("Keep this to %(count)d characters.") % {"count": max_length}]})
    return text


def _screened(field: str, text, *, confirmed: bool, max_length: int = NOTE_MAX_LENGTH, required=False,
              message="") -> tuple[str | None, list[str]]:
    """The text and the kinds of personal details found in it; refused (PersonalDetailsFound, with the
    text redacted) unless staff confirmed they are fine to keep. The public can never confirm."""
    text = _clean_text(field, text, max_length=max_length, required=required, message=message)
    if text is None:
        return None, []
    findings = screen_personal_details(text, allowed_words=_allowed_words())
    if findings and not confirmed:
        raise PersonalDetailsFound(field, findings, text)
    return text, sorted({finding.kind for finding in findings})


def _clean_date(field: str, value, *, today=None) -> datetime.date:
    today = today or timezone.localdate()
    if not isinstance(value, datetime.date):
        raise ValidationError({field: [_("Give the date it happened.")]})
    if isinstance(value, datetime.datetime):
        value = value.date()
    if value > today:
        raise ValidationError({field: [_("This date is in the future.")]})
    if value < today - datetime.timedelta(days=OLDEST_REPORT_DAYS):
        raise ValidationError({field: [_("Reports go back three years at most.")]})
    return value


def _clean_events(events) -> list[str]:
    chosen = {str(event) for event in (events or ())}
    unknown = chosen - set(Event.values)
    if unknown or not chosen:
        raise ValidationError({"events": [_("Tick what happened (at least one).")]})
    return [event for event in Event.values if event in chosen]


def _clean_area(area):
    if area is not None and not getattr(area, "active", True):
        raise ValidationError({"area": [_("Choose an area from the list.")]})
    return area


# Rights reports ---------------------------------------------------------------------------------------


@transaction.atomic
def rights_report_record(*, actor, source, occurred_on, events, area=None, note="", officer_details="",
                         wants_help=False, participant=None, legal_service=None, confirmed=False,
                         request=None) -> RightsReport:
    """A report by staff, or by a participant with staff. When the person wants help, a referral to
    legal aid is made in support (their own record); the report itself keeps no link to the person."""
    _require(actor, "rights.record")
    if source not in (RightsReport.Source.STAFF, RightsReport.Source.WITH_PARTICIPANT):
        raise ValidationError({"source": [_("Say who reports: staff, or a participant with staff.")]})
    occurred_on = _clean_date("occurred_on", occurred_on)
    events = _clean_events(events)
    area = _clean_area(area)
    note, flags = _screened("note", note, confirmed=confirmed)
    officer_details = _clean_text("officer_details", officer_details, max_length=OFFICER_MAX_LENGTH)
    referred = False
    if wants_help:
        if participant is None:
            raise ValidationError({"participant": [_("To refer them to legal aid, enter their display id: a "
                                                     "referral belongs to the person. Or untick “wants help”.")]})
        from haven.support.actions import referral_make

        referral_make(actor=actor, participant=participant, consent_given=True, service=legal_service,
                      place="" if legal_service else _("Legal aid"), category=LEGAL_AID_CATEGORY,
                      site=actor.sites.first(), request=request)
        referred = True
    report = RightsReport.objects.create(
        source=source, occurred_on=occurred_on, area=area, events=events, note=note, confirmed_flags=flags,
        officer_details=officer_details, wants_help=bool(wants_help), referred=referred,
        status=RightsReport.Status.COUNTED, recorded_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=report, request=request, detail={
        "source": source, "events": events, "area": report.area_id, "note": bool(note),
        "officer_details": bool(officer_details), "confirmed_flags": flags, "referred": referred})
    return report


@transaction.atomic
def rights_report_submit_public(*, occurred_on, events, area=None, note="", officer_details="",
                                wants_help=False, client: str | None = None) -> RightsReport:
    """An anonymous report from the public form; `client` is `ratelimit.client_of(request)`.

    Raises ratelimit.RateLimited, or ValidationError (PersonalDetailsFound, with the text redacted, when
    the note holds names or contact details: nothing is saved). Checked by a coordinator before it counts."""
    ratelimit.check(PUBLIC_REPORT_LIMIT, client=client)
    occurred_on = _clean_date("occurred_on", occurred_on)
    events = _clean_events(events)
    area = _clean_area(area)
    note, _flags = _screened("note", note, confirmed=False)
    officer_details = _clean_text("officer_details", officer_details, max_length=OFFICER_MAX_LENGTH)
    report = RightsReport.objects.create(
        source=RightsReport.Source.PUBLIC, occurred_on=occurred_on, area=area, events=events, note=note,
        officer_details=officer_details, wants_help=bool(wants_help), status=RightsReport.Status.TO_CHECK)
    # No request: the audit log would store the address.
    audit_record(actor=None, action=AuditEvent.Action.CREATE, obj=report, detail={
        "source": report.source, "events": events, "area": report.area_id, "note": bool(note),
        "officer_details": bool(officer_details)})
    ratelimit.hit(PUBLIC_REPORT_LIMIT, client=client)
    return report


@transaction.atomic
def rights_report_check(*, actor, report, status, request=None) -> RightsReport:
    """A coordinator counts an anonymous report, or sets it aside (a duplicate, not a rights harm)."""
    _require(actor, "rights.review")
    report = RightsReport.objects.select_for_update().get(pk=report.pk)
    if status not in (RightsReport.Status.COUNTED, RightsReport.Status.SET_ASIDE):
        raise ValidationError({"status": [_("Count the report or set it aside.")]})
    if report.status == status:
        return report
    report.status = status
    report.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=report, request=request,
                 detail={"fields": ["status"], "status": status})
    return report


@transaction.atomic
def public_page_set(*, actor, enabled: bool, request=None) -> PublicPage:
    """Switch the public advocacy page on or off (off until a coordinator or admin switches it on)."""
    _require(actor, "rights.publish")
    page = PublicPage.objects.select_for_update().first() or PublicPage()
    page.enabled, page.changed_at, page.changed_by = bool(enabled), timezone.now(), actor
    page.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=page, request=request,
                 detail={"fields": ["enabled"], "enabled": page.enabled})
    return page


# Peer warnings --------------------------------------------------------------------------------------


@transaction.atomic
def peer_warning_submit(*, kind, occurred_on, description, area=None, client: str | None = None) -> PeerWarning:
    """A bad batch, a bad date or another danger, from anyone, without their name. Nothing about the
    reporter is kept: no account, no address, no time of day; the audit entry has no request."""
    ratelimit.check(PUBLIC_WARNING_LIMIT, client=client)
    if kind not in PeerWarning.Kind.values:
        raise ValidationError({"kind": [_("Choose what kind of warning this is.")]})
    occurred_on = _clean_date("occurred_on", occurred_on)
    area = _clean_area(area)
    description, _flags = _screened("description", description, confirmed=False, max_length=TEXT_MAX_LENGTH,
                                    required=True, message=_("Say what happened, so others can stay safe."))
    warning = PeerWarning.objects.create(kind=kind, occurred_on=occurred_on, area=area, description=description)
    audit_record(actor=None, action=AuditEvent.Action.CREATE, obj=warning,
                 detail={"kind": kind, "area": warning.area_id})
    ratelimit.hit(PUBLIC_WARNING_LIMIT, client=client)
    return warning


@transaction.atomic
def peer_warning_draft_alert(*, actor, warning, title, body, severity="warning", request=None):
    """Staff write a de-identified warning from the report and draft it in the alerts app, whose
    review and publishing (with its identifying-details check) take it from there."""
    from haven.alerts.actions import alert_draft
    from haven.alerts.models import Alert

    _require(actor, "rights.warnings")
    warning = PeerWarning.objects.select_for_update().get(pk=warning.pk)
    if warning.status != PeerWarning.Status.NEW:
        raise ValidationError(_("This warning was already drafted or dismissed."))
    alert, _created = alert_draft(
        source_kind=Alert.SourceKind.MANUAL, source_key=f"rights-warning-{warning.pk}", title=title, body=body,
        severity=severity, areas=[warning.area] if warning.area_id else (), actor=actor, request=request,
        context={"source": "peer warning", "kind": warning.kind, "occurred_on": warning.occurred_on.isoformat()})
    warning.status, warning.alert, warning.reviewed_by = PeerWarning.Status.DRAFTED, alert, actor
    warning.save(update_fields=["status", "alert", "reviewed_by"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=warning, request=request,
                 detail={"fields": ["status", "alert"], "alert": alert.pk})
    return alert


@transaction.atomic
def peer_warning_dismiss(*, actor, warning, request=None) -> PeerWarning:
    _require(actor, "rights.warnings")
    warning = PeerWarning.objects.select_for_update().get(pk=warning.pk)
    if warning.status != PeerWarning.Status.NEW:
        raise ValidationError(_("This warning was already drafted or dismissed."))
    warning.status, warning.reviewed_by = PeerWarning.Status.DISMISSED, actor
    warning.save(update_fields=["status", "reviewed_by"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=warning, request=request,
                 detail={"fields": ["status"], "status": warning.status})
    return warning


# Legal requests -----------------------------------------------------------------------------------


def _clean_gag(gag_order, gag_until, received_on):
    if gag_until is not None and not gag_order:
        raise ValidationError({"gag_until": [_("A date only goes with a court's order not to tell the person.")]})
    if gag_until is not None and gag_until < received_on:
        raise ValidationError({"gag_until": [_("The order cannot end before the request was received.")]})


@transaction.atomic
def legal_request_log(*, actor, kind, requester, requested, deadline, received_on=None, legal_basis="",
                      counsel="", participants=(), gag_order=False, gag_until=None, request=None) -> LegalRequest:
    """Log a request for the program's data. A request without a deadline is refused: ask for one."""
    _require(actor, "rights.legal")
    received_on = received_on or timezone.localdate()
    if kind not in LegalRequest.Kind.values:
        raise ValidationError({"kind": [_("Choose the kind of request.")]})
    if deadline is None:
        raise ValidationError({"deadline": [_("Every request needs a deadline. Ask the requester (or your counsel) "
                                              "by when they expect an answer, and enter it: nothing was saved.")]})
    if deadline < received_on:
        raise ValidationError({"deadline": [_("The deadline is before the day the request was received.")]})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": [_("This date is in the future.")]})
    requester = _clean_text("requester", requester, max_length=TEXT_MAX_LENGTH, required=True,
                            message=_("Say who asked (the agency, and the person if named)."))
    requested = _clean_text("requested", requested, max_length=TEXT_MAX_LENGTH, required=True,
                            message=_("Say what they asked for."))
    legal_basis = _clean_text("legal_basis", legal_basis, max_length=TEXT_MAX_LENGTH)
    counsel = _clean_text("counsel", counsel, max_length=TEXT_MAX_LENGTH)
    _clean_gag(gag_order, gag_until, received_on)
    entry = LegalRequest.objects.create(
        kind=kind, received_on=received_on, requester=requester, requested=requested, legal_basis=legal_basis,
        deadline=deadline, counsel=counsel, gag_order=bool(gag_order), gag_until=gag_until, logged_by=actor)
    participants = list(participants)
    if participants:
        entry.participants.set(participants)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=entry, request=request, detail={
        "kind": kind, "participants": sorted(p.pk for p in participants), "gag_order": bool(gag_order),
        "fields": ["requester", "requested", "legal_basis", "deadline", "counsel"]})
    return entry


@transaction.atomic
def legal_request_respond(*, actor, legal_request, response, response_note="", gag_order=None, gag_until=None,
                          request=None) -> LegalRequest:
    """Record the response: refused, narrowed, produced as asked, or withdrawn by the requester."""
    _require(actor, "rights.legal")
    entry = LegalRequest.objects.select_for_update().get(pk=legal_request.pk)
    if response not in LegalRequest.Response.values or response == LegalRequest.Response.PENDING:
        raise ValidationError({"response": [_("Choose the response.")]})
    entry.response = response
    entry.response_note = _clean_text("response_note", response_note, max_length=TEXT_MAX_LENGTH)
    entry.responded_on = timezone.localdate()
    fields = ["response", "response_note", "responded_on"]
    if gag_order is not None:
        _clean_gag(gag_order, gag_until, entry.received_on)
        entry.gag_order, entry.gag_until = bool(gag_order), gag_until
        fields += ["gag_order", "gag_until"]
    entry.save(update_fields=fields)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=entry, request=request,
                 detail={"fields": fields, "response": response})
    return entry


@transaction.atomic
def production_make(*, actor, legal_request, participants, record_kinds, since=None, until=None,
                    request=None) -> Production:
    """Produce exactly what was decided: the named records of the named participants, nothing more.
    The file is kept (encrypted) and linked from the log; each person's accounting of disclosures lists
    it unless a court ordered the program not to tell them."""
    from haven.rights.queries import production_csv

    _require(actor, "rights.legal")
    entry = LegalRequest.objects.select_for_update().get(pk=legal_request.pk)
    if entry.response in (LegalRequest.Response.REFUSED, LegalRequest.Response.WITHDRAWN):
        raise ValidationError(_("This request was %(response)s: nothing is produced.")
                              % {"response": entry.get_response_display().lower()})
    participants = list(participants)
    if not participants:
        raise ValidationError({"participants": [_("Choose whose records are produced.")]})
    named = set(entry.participants.values_list("pk", flat=True))
    if any(p.pk not in named for p in participants):
        raise ValidationError({"participants": [_("Produce only records of people the request names.")]})
    kinds = [kind for kind in Production.RecordKind.values if kind in set(record_kinds or ())]
    if not kinds or len(kinds) != len(set(record_kinds)):
        raise ValidationError({"record_kinds": [_("Choose which records are produced.")]})
    if since and until and since > until:
        raise ValidationError({"until": [_("The end comes before the start.")]})
    content, rows = production_csv(participants, kinds, since=since, until=until)
    production = Production.objects.create(
        legal_request=entry, record_kinds=kinds, since=since, until=until, content=content, rows=rows,
        sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(), produced_by=actor)
    production.participants.set(participants)
    audit_record(actor=actor, action=AuditEvent.Action.EXPORT, obj=production, request=request, detail={
        "legal_request": entry.pk, "participants": sorted(p.pk for p in participants), "record_kinds": kinds,
        "rows": rows, "since": since.isoformat() if since else None, "until": until.isoformat() if until else None})
    return production


__all__ = ["PersonalDetailsFound"]
