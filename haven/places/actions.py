"""Every write to sites and areas: validated, transactional and audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haven.core.audit import audit_record
from haven.places.models import Area, Site

HOURS_IN_A_WEEK = 168

SITE_FIELDS = ("name", "kind", "area", "hours_per_week", "active")
AREA_FIELDS = ("name", "kind", "code", "active")


def _clean_name(value) -> str:
    return (value or "").strip()


def _hours(value):
    """Hours open per week as a Decimal or None, and the problem with it, if any."""
    if value is None or value == "":
        return None, None
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value, _("Enter the hours open per week as a number.")
    if not hours.is_finite():
        return value, _("Enter the hours open per week as a number.")
    if hours < 0:
        return hours, _("Hours open per week cannot be negative.")
    if hours > HOURS_IN_A_WEEK:
        return hours, _("A week has only %(hours)s hours.") % {"hours": HOURS_IN_A_WEEK}
    return hours, None


def _validate_site(site: Site, *, area_changed: bool, hours_problem: str | None = None) -> None:
    """Every problem at once, so a person fixes the form in one go."""
    errors = {}
    if not site.name:
        errors["name"] = [_("Give the site a name.")]
    elif Site.objects.filter(name__iexact=site.name).exclude(pk=site.pk).exists():
        errors["name"] = [_("A site with this name already exists. Choose another name.")]
    # A site may keep an area that was later deactivated; it may not be moved into one.
    if area_changed and site.area is not None and not site.area.active:
        errors["area"] = [_("This area is inactive. Choose an active area or reactivate it first.")]
    if hours_problem:
        errors["hours_per_week"] = [hours_problem]
    try:
        site.full_clean(exclude=list(errors))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _validate_area(area: Area) -> None:
    errors = {}
    if not area.name:
        errors["name"] = [_("Give the area a name.")]
    elif Area.objects.filter(name__iexact=area.name).exclude(pk=area.pk).exists():
        errors["name"] = [_("An area with this name already exists. Choose another name.")]
    try:
        area.full_clean(exclude=list(errors))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _unknown(changes: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise TypeError(f"cannot change {', '.join(unknown)}")


def _apply(obj, changes: dict, validate) -> list[str]:
    """Set the changed fields and validate; on bad input the object is left as it was."""
    original = {field: getattr(obj, field) for field in changes}
    changed = [field for field, value in changes.items() if original[field] != value]
    for field in changed:
        setattr(obj, field, changes[field])
    if changed:
        try:
            validate(changed)
        except ValidationError:
            for field in changed:
                setattr(obj, field, original[field])
            raise
    return changed


@transaction.atomic
def site_create(*, actor, name, kind, area=None, hours_per_week=None, active=True, request=None) -> Site:
    hours, hours_problem = _hours(hours_per_week)
    site = Site(name=_clean_name(name), kind=kind, area=area, hours_per_week=None if hours_problem else hours,
                active=active)
    _validate_site(site, area_changed=True, hours_problem=hours_problem)
    site.save()
    audit_record(actor=actor, action="create", obj=site, request=request,
                 detail={"fields": list(SITE_FIELDS)})
    return site


@transaction.atomic
def site_update(*, actor, site, request=None, **changes) -> Site:
    _unknown(changes, SITE_FIELDS)
    if "name" in changes:
        changes["name"] = _clean_name(changes["name"])
    hours_problem = None
    if "hours_per_week" in changes:
        changes["hours_per_week"], hours_problem = _hours(changes["hours_per_week"])
    changed = _apply(site, changes, lambda changed: _validate_site(
        site, area_changed="area" in changed, hours_problem=hours_problem))
    if not changed:
        return site
    site.save(update_fields=changed)
    audit_record(actor=actor, action="update", obj=site, request=request, detail={"fields": changed})
    return site


@transaction.atomic
def area_create(*, actor, name, kind, code="", active=True, request=None) -> Area:
    area = Area(name=_clean_name(name), kind=kind, code=(code or "").strip(), active=active)
    _validate_area(area)
    area.save()
    audit_record(actor=actor, action="create", obj=area, request=request,
                 detail={"fields": list(AREA_FIELDS)})
    return area


@transaction.atomic
def area_update(*, actor, area, request=None, **changes) -> Area:
    _unknown(changes, AREA_FIELDS)
    if "name" in changes:
        changes["name"] = _clean_name(changes["name"])
    if "code" in changes:
        changes["code"] = (changes["code"] or "").strip()
    changed = _apply(area, changes, lambda changed: _validate_area(area))
    if not changed:
        return area
    area.save(update_fields=changed)
    audit_record(actor=actor, action="update", obj=area, request=request, detail={"fields": changed})
    return area
