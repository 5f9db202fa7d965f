"""Reads about encounters that the entry page, the list, the API and reports share.

Everything a person sees is scoped to the sites they may see (staff and peers: their own sites).
"""

from __future__ import annotations

from collections import OrderedDict

from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Sum
from django.utils.translation import gettext_lazy as _

from haven.encounters.models import Encounter, EncounterSupply, Service, ServiceMode
from haven.inventory.models import Item, Kit, KitItem
from haven.participants.models import Participant
from haven.places.models import Site

PAGE_SIZE = 50

# The usual way a visit happens at each kind of site. A partner (a pharmacy, a clinic) hands
# supplies over its own counter, which counts as a fixed site.
MODE_FOR_SITE_KIND = {
    Site.Kind.FIXED: ServiceMode.FIXED,
    Site.Kind.MOBILE: ServiceMode.MOBILE,
    Site.Kind.OUTREACH: ServiceMode.OUTREACH,
    Site.Kind.MAIL: ServiceMode.MAIL,
    Site.Kind.PARTNER: ServiceMode.FIXED,
}

SESSION_SITE_KEY = "encounters_site_id"


def _with_lines(queryset):
    return queryset.select_related("site", "participant", "staff").prefetch_related(
        Prefetch("supplies", queryset=EncounterSupply.objects.select_related("item", "kit").prefetch_related(
            Prefetch("kit__items", queryset=KitItem.objects.select_related("item")))
                 .order_by("kit_id", "item__sort_order", "item__name")),
        "services",
        "reversals",
    )


def recording_sites(user):
    """Active sites where this person may record a visit."""
    sites = Site.objects.filter(active=True)
    if not user.sees_all_sites:
        sites = sites.filter(pk__in=user.sites.values("pk"))
    return sites.order_by("name")


def visible_sites(user):
    sites = Site.objects.all()
    if not user.sees_all_sites:
        sites = sites.filter(pk__in=user.sites.values("pk"))
    return sites.order_by("name")


def participant_by_display_id(text: str) -> Participant | None:
    """By the printed id, however it was typed; a merged record gives the one it was merged into."""
    from haven.participants.queries import participant_by_display_id as lookup

    return lookup(text or "")


def same_person_ids(participant: Participant) -> list[int]:
    """The canonical participant and every record merged into it (at any depth)."""
    ids, frontier = [participant.pk], [participant.pk]
    while frontier:
        frontier = list(Participant.objects.filter(merged_into__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def last_encounter(participant: Participant, *, user=None) -> Encounter | None:
    """The participant's most recent visit that still counts at the sites `user` works at (every
    site for managers, or with no user), with its lines and services.

    The same visit as `participants.queries.participant_summary(...).last_visit`: the lookup card,
    the visit form and "Same as last time" show and repeat one visit.
    """
    from haven.participants.queries import visible_encounters

    canonical = participant.canonical()
    return (_with_lines(visible_encounters(user).filter(participant_id__in=same_person_ids(canonical)))
            .order_by("-occurred_at", "-pk").first())


def repeatable_encounter(participant: Participant, encounter_id, *, user) -> Encounter | None:
    """The visit a person saw on the form and asked to repeat: this participant's, still counted,
    at a site this person works at; None otherwise."""
    from haven.participants.queries import visible_encounters

    try:
        encounter_id = int(encounter_id)
    except (TypeError, ValueError):
        return None
    canonical = participant.canonical()
    return _with_lines(visible_encounters(user).filter(
        pk=encounter_id, participant_id__in=same_person_ids(canonical))).first()


# What a correction changed, in words (the audit log has the before and after values).
CORRECTED_FIELDS = {
    "participant": _("participant"), "site": _("site"), "service_mode": _("how"), "occurred_at": _("when"),
    "supplies": _("supplies and kits"), "services": _("services"), "syringes_returned": _("syringes returned"),
    "returns_estimated": _("estimated returns"), "sharps_containers_returned": _("sharps containers returned"),
    "secondary_people": _("other people"),
}


def versions_of(encounter: Encounter) -> list[dict]:
    """A corrected visit's history, oldest first: each version, who corrected it, when, why and
    what changed. Empty for a visit never corrected. A handful of rows."""
    from haven.core.models import AuditEvent

    oldest = encounter
    while oldest.replaces_id:
        oldest = Encounter.objects.select_related("staff").get(pk=oldest.replaces_id)
    versions = [oldest]
    while True:
        following = Encounter.objects.select_related("staff").filter(replaces=versions[-1]).first()
        if following is None:
            break
        versions.append(following)
    if len(versions) == 1:
        return []
    events = {event.object_id: event for event in AuditEvent.objects.filter(
        action="update", object_type=Encounter._meta.label_lower,
        object_id__in=[str(version.pk) for version in versions]) if event.detail.get("event") == "correction"}
    history = [{"version": versions[0], "reason": "", "fields": [], "by": versions[0].staff, "at": None}]
    for previous, version in zip(versions, versions[1:], strict=False):
        event = events.get(str(version.pk))
        history.append({
            "version": version, "reason": previous.void_reason, "at": event.at if event else previous.voided_at,
            "by": event.actor_label if event else "",
            "fields": [CORRECTED_FIELDS.get(name, name) for name in (event.detail.get("fields", []) if event else [])],
        })
    return history


def newest_version(encounter: Encounter) -> Encounter:
    while True:
        following = Encounter.objects.filter(replaces=encounter).first()
        if following is None:
            return encounter
        encounter = following


def encounter_by_client_id(client_id) -> Encounter | None:
    return Encounter.objects.filter(client_id=client_id).first()


def encounters_for(user, *, site=None, since=None, include_voided=True):
    """Visits at the sites this person may see, newest first, with their lines prefetched."""
    queryset = Encounter.objects.all()
    if not user.sees_all_sites:
        queryset = queryset.filter(site__in=user.sites.all())
    if site is not None:
        queryset = queryset.filter(site=site)
    if since is not None:
        queryset = queryset.filter(occurred_at__gte=since)
    if not include_voided:
        queryset = queryset.filter(voided_at__isnull=True)
    return _with_lines(queryset).order_by("-occurred_at", "-pk")


def encounters_page(user, *, page=1, site=None, since=None, filters=None):
    queryset = encounters_for(user, site=site, since=since)
    if filters:
        queryset = filtered(queryset, filters)
    return Paginator(queryset, PAGE_SIZE).get_page(page)


def filtered(queryset, filters: dict):
    """The visits list's filters: display id (a merged record's too), site, local dates, recorder,
    mode, counted or voided."""
    import datetime

    from django.utils import timezone

    if filters.get("q"):
        participant = participant_by_display_id(filters["q"])
        queryset = (queryset.filter(participant_id__in=same_person_ids(participant)) if participant
                    else queryset.none())
    if filters.get("site"):
        queryset = queryset.filter(site=filters["site"])
    if filters.get("start"):
        queryset = queryset.filter(occurred_at__gte=timezone.make_aware(
            datetime.datetime.combine(filters["start"], datetime.time.min)))
    if filters.get("end"):
        queryset = queryset.filter(occurred_at__lt=timezone.make_aware(
            datetime.datetime.combine(filters["end"] + datetime.timedelta(days=1), datetime.time.min)))
    if filters.get("staff"):
        queryset = queryset.filter(staff=filters["staff"])
    if filters.get("mode"):
        queryset = queryset.filter(service_mode=filters["mode"])
    if filters.get("status") == "counted":
        queryset = queryset.filter(voided_at__isnull=True)
    elif filters.get("status") == "voided":
        queryset = queryset.filter(voided_at__isnull=False)
    return queryset


def recorders_visible_to(user):
    """People who may have recorded visits this person sees: everyone for managers, else the people
    who share a site with them."""
    from haven.accounts.models import User

    people = User.objects.filter(is_active=True)
    if not user.sees_all_sites:
        people = people.filter(sites__in=user.sites.values("pk")).distinct()
    return people.order_by("username")


def export_rows(queryset):
    """The visits as CSV rows (a header first): ids, counts and names of places, never a code."""
    yield ["visit", "occurred_at", "participant", "site", "service_mode", "recorded_by", "syringes_given",
           "naloxone_doses_given", "supply_lines", "services", "syringes_returned", "returns_estimated",
           "sharps_containers_returned", "secondary_people", "status"]
    for encounter in queryset.iterator(chunk_size=500):
        yield [
            encounter.pk, encounter.occurred_at.isoformat(timespec="minutes"),
            encounter.participant.display_id if encounter.participant else "", encounter.site.name,
            encounter.service_mode, encounter.staff.username if encounter.staff else "",
            syringes_given(encounter), naloxone_doses(encounter), len(encounter.supplies.all()),
            len(encounter.services.all()), encounter.syringes_returned, int(encounter.returns_estimated),
            encounter.sharps_containers_returned, encounter.secondary_people,
            "corrected" if encounter.voided_at and hasattr(encounter, "replaced_by")
            else "voided" if encounter.voided_at else "counted",
        ]


def encounter_for(user, encounter_id: int) -> Encounter | None:
    return encounters_for(user).filter(pk=encounter_id).first()


def encounter_defaults(user, site=None) -> dict:
    """What the entry page starts with: the site last used (from the session) or the person's only
    site, and the usual service mode there. No kit is preselected: a kit is a choice per visit."""
    sites = list(recording_sites(user)[:2]) if site is None else []
    if site is not None and not recording_sites(user).filter(pk=site.pk).exists():
        site = None
        sites = list(recording_sites(user)[:2])
    if site is None and len(sites) == 1:
        site = sites[0]
    return {
        "site": site,
        "service_mode": MODE_FOR_SITE_KIND.get(site.kind, ServiceMode.FIXED) if site else ServiceMode.FIXED,
        "kits": {},
    }


def supply_catalog() -> OrderedDict[str, list[Item]]:
    """Active items grouped by category (in the category order of the catalog)."""
    groups: OrderedDict[str, list[Item]] = OrderedDict((value, []) for value in Item.Category.values)
    for item in Item.objects.filter(active=True).order_by("sort_order", "name"):
        groups[item.category].append(item)
    return OrderedDict((category, items) for category, items in groups.items() if items)


def active_kits():
    return Kit.objects.filter(active=True).prefetch_related(
        Prefetch("items", queryset=KitItem.objects.select_related("item").order_by("item__sort_order"))
    ).order_by("sort_order", "name")


def service_catalog() -> OrderedDict[str, list[Service]]:
    groups: OrderedDict[str, list[Service]] = OrderedDict((value, []) for value in Service.Kind.values)
    for service in Service.objects.filter(active=True):
        groups[service.kind].append(service)
    return OrderedDict((kind, services) for kind, services in groups.items() if services)


def naloxone_doses(encounter: Encounter) -> int:
    """Doses given at one visit: naloxone is counted in doses, never in kits or boxes."""
    return sum(line.quantity * line.item.naloxone_doses_per_unit for line in encounter.supplies.all())


def syringes_given(encounter: Encounter) -> int:
    return sum(line.quantity * line.item.syringes_per_unit for line in encounter.supplies.all())


def totals(queryset) -> dict:
    """Syringes and naloxone doses given over many visits, in one query (voided visits excluded)."""
    lines = EncounterSupply.objects.filter(encounter__in=queryset.filter(voided_at__isnull=True).values("pk"))
    result = lines.aggregate(
        syringes=Sum(F("quantity") * F("item__syringes_per_unit")),
        naloxone_doses=Sum(F("quantity") * F("item__naloxone_doses_per_unit")),
    )
    return {key: value or 0 for key, value in result.items()}


def repeat_of(previous: Encounter) -> dict:
    """The supplies and kits of an earlier visit, as `encounter_record` arguments.

    Kit lines become kits again: the count is the line's quantity over the kit's current recipe,
    so a kit whose recipe changed since is given as it is now. Only what was handed over is
    repeated: services, the number of other people, returns and reversals are asked again, so
    that a tap never inflates education, referral or secondary-exchange totals.
    """
    supplies, kits = [], {}
    for line in previous.supplies.all():
        per_kit = {kit_item.item_id: kit_item.quantity for kit_item in line.kit.items.all()} if line.kit else {}
        if line.item_id not in per_kit:
            supplies.append((line.item, line.quantity))
            continue
        count = max(1, round(line.quantity / per_kit[line.item_id]))
        kits[line.kit] = max(kits.get(line.kit, 0), count)
    return {"supplies": supplies, "kits": list(kits.items())}
