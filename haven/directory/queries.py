"""Reads of the directory that the public page, the staff view, the API and the exporter share."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from haven.directory import hsds, opening, vocabulary
from haven.directory.actions import MODELS
from haven.directory.models import Attribute, Language, Schedule, Service, ServiceAtLocation, TaxonomyTerm

PUBLIC_STATUSES = [Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED]


@dataclass
class Filters:
    text: str = ""
    category: str = ""
    low_barrier: list[str] = field(default_factory=list)
    language: str = ""
    open_now: bool = False


@dataclass
class ServiceCard:
    service: Service
    category: str
    low_barrier: list[str]
    beds: str
    slots: str
    availability_updated: str
    schedules: list
    locations: list
    open_now: bool

    @property
    def availability_updated_at(self):
        from django.utils.dateparse import parse_datetime

        return parse_datetime(self.availability_updated) if self.availability_updated else None


def _services(filters: Filters, *, statuses):
    services = Service.objects.filter(status__in=statuses).select_related("organization")
    if filters.text:
        services = services.filter(Q(name__icontains=filters.text) | Q(description__icontains=filters.text)
                                   | Q(organization__name__icontains=filters.text))
    for code in [*filters.low_barrier, *([filters.category] if filters.category else [])]:
        services = services.filter(pk__in=Attribute.objects.filter(
            link_entity="service", taxonomy_term_id=vocabulary.term_id(code)).exclude(value="false").values("link_id"))
    if filters.language:
        services = services.filter(Q(languages__code__iexact=filters.language)
                                   | Q(languages__name__iexact=filters.language)).distinct()
    return services.prefetch_related(
        "schedules", "languages", "phones",
        Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related("location")
                 .prefetch_related("schedules", "location__addresses", "location__schedules")),
    ).order_by("name")


def service_cards(filters: Filters, *, statuses=PUBLIC_STATUSES, now=None) -> list[ServiceCard]:
    """Services matching the filters, each with its attributes and schedules, in three or four queries."""
    services = list(_services(filters, statuses=statuses))
    attributes: dict = {}
    rows = Attribute.objects.filter(link_id__in=[service.pk for service in services]).values_list(
        "link_id", "taxonomy_term__code", "taxonomy_term__taxonomy_id", "value")
    for link_id, code, _taxonomy, value in rows:
        attributes.setdefault(link_id, {})[code] = value
    moment = timezone.localtime(now or timezone.now())
    cards = []
    for service in services:
        found = attributes.get(service.pk, {})
        schedules = list(service.schedules.all())
        for at_location in service.service_at_locations.all():
            schedules += list(at_location.schedules.all()) + list(at_location.location.schedules.all())
        card = ServiceCard(
            service=service,
            category=next((code for code in vocabulary.CATEGORY_CODES if code in found), ""),
            low_barrier=[code for code in vocabulary.LOW_BARRIER_CODES if found.get(code, "false") != "false"],
            beds=found.get("beds_available", ""), slots=found.get("slots_available", ""),
            availability_updated=found.get("availability_updated", ""),
            schedules=schedules,
            locations=[at_location.location for at_location in service.service_at_locations.all()],
            open_now=opening.open_at([{"freq": s.freq, "byday": s.byday, "opens_at": s.opens_at,
                                       "closes_at": s.closes_at} for s in schedules], moment),
        )
        if filters.open_now and not card.open_now:
            continue
        cards.append(card)
    return cards


def languages_offered() -> list[str]:
    return sorted({code for code in Language.objects.values_list("code", flat=True) if code})


def referable_services():
    """Services a referral may point at: active or temporarily closed."""
    return Service.objects.filter(status__in=PUBLIC_STATUSES).select_related("organization").order_by("name")


def category_of(service) -> str:
    codes = set(Attribute.objects.filter(link_id=service.pk, link_entity="service")
                .values_list("taxonomy_term__code", flat=True))
    return next((code for code in vocabulary.CATEGORY_CODES if code in codes), "")


def _row(table: str, instance) -> dict:
    row = {}
    for column in hsds.KEPT[table]:
        name = column if column in ("id", "link_id", "parent_id", "taxonomy_id") or not column.endswith("_id") \
            else column
        value = getattr(instance, name)
        if value is None or value == "":
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "hex") and not isinstance(value, (int, float, str)):
            value = str(value)
        row[column] = value
    return row


def directory_tables(*, organization=None) -> dict[str, list[dict]]:
    """The whole directory (or one organization's part of it) as HSDS tables, for export."""
    tables = {}
    for table in hsds.TABLES:
        queryset = MODELS[table].objects.order_by("pk")
        tables[table] = [_row(table, instance) for instance in queryset]
    if organization is not None:
        tables = _only_organization(tables, str(organization.pk))
    return tables


def _only_organization(tables, organization_id):
    keep = {"organization": {organization_id}}
    keep["service"] = {r["id"] for r in tables["service"] if r.get("organization_id") == organization_id}
    keep["location"] = {r["id"] for r in tables["location"] if r.get("organization_id") == organization_id}
    keep["service_at_location"] = {r["id"] for r in tables["service_at_location"]
                                   if r.get("service_id") in keep["service"]}
    for table in ("contact", "phone"):
        keep[table] = set()
    result = {table: [] for table in hsds.TABLES}
    for table, rows in tables.items():
        for row in rows:
            if table in keep and table not in ("contact", "phone"):
                if row["id"] in keep[table]:
                    result[table].append(row)
            elif table in ("taxonomy", "taxonomy_term"):
                result[table].append(row)
            elif table == "attribute":
                if any(row.get("link_id") in keep.get(t, set()) for t in ("organization", "service", "location")):
                    result[table].append(row)
            elif any(row.get(f"{parent}_id") in ids for parent, ids in keep.items()):
                result[table].append(row)
    return result


def term_names() -> dict[str, str]:
    return dict(TaxonomyTerm.objects.values_list("code", "name"))


def schedules_of(service) -> list[Schedule]:
    return list(service.schedules.all())
