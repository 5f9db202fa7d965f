"""Import of legacy encounter logs from CSV and XLSX files (docs/IMPORT.md): the row schema and
the save, on the shared pipeline (`haven.core.importing`: upload, reading, preview, commit).

Each row's `client_id` is derived from the file's digest and the row number, so importing the
same file twice creates nothing new. Participant codes in the file are looked up (and, by
choice, enrolled) but never stored, shown or put in an error message: only their blind index
reaches the database.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.importing import Column, RowError, RowSchema, Saved, cell_key, column_key
from haven.encounters import actions
from haven.encounters.models import Encounter, ServiceMode
from haven.encounters.queries import MODE_FOR_SITE_KIND, recording_sites
from haven.inventory.models import Item, Kit

# Legacy logs of a busy program run long: this importer accepts more than the pipeline's 5 MB.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# Fixed forever: every row's client_id is uuid5(IMPORT_NAMESPACE, "<file sha256>:<row number>").
IMPORT_NAMESPACE = uuid.UUID("6f1c2a7e-4b0d-5c1e-9a53-2d8f0e6b7c41")
# A log that gives only the day: the visit is put at midday, local time, so it stays on its day.
DEFAULT_TIME = datetime.time(12, 0)
FUTURE_TOLERANCE = actions.FUTURE_TOLERANCE

# Column -> the header names that mean it (compared without case, with spaces and hyphens as "_").
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("date", "visit_date", "encounter_date", "day"),
    "time": ("time", "visit_time"),
    "site": ("site", "site_name", "location"),
    "service_mode": ("service_mode", "mode", "delivery_mode"),
    "participant_code": ("participant_code", "code", "participant"),
    "supplies": ("supplies", "supplies_given", "items"),
    "syringes_returned": ("syringes_returned", "returned", "returns", "syringes_in"),
    "returns_estimated": ("returns_estimated", "estimated"),
    "sharps_containers_returned": ("sharps_containers_returned", "sharps_returned"),
    "secondary_people": ("secondary_people", "secondary", "secondary_exchange", "for_others"),
}
REQUIRED_COLUMNS = ("date", "site")
TRUE_WORDS = {"yes", "y", "true", "1", "x", "estimated"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
SERVICE_MODE_WORDS = {
    "fixed": ServiceMode.FIXED, "fixed_site": ServiceMode.FIXED, "drop_in": ServiceMode.FIXED,
    "mobile": ServiceMode.MOBILE, "mobile_unit": ServiceMode.MOBILE, "van": ServiceMode.MOBILE,
    "outreach": ServiceMode.OUTREACH, "street_outreach": ServiceMode.OUTREACH,
    "mail": ServiceMode.MAIL, "mail_based": ServiceMode.MAIL, "post": ServiceMode.MAIL,
    "peer_delivery": ServiceMode.PEER_DELIVERY, "peer": ServiceMode.PEER_DELIVERY,
    "secondary": ServiceMode.PEER_DELIVERY,
}


@dataclass
class ImportRow:
    """One visit as the file gives it, checked."""
    row: int
    client_id: uuid.UUID
    occurred_at: datetime.datetime
    site: object
    service_mode: str
    participant: object = None
    # A code to enrol (only when the person chose to enrol unknown codes); never shown.
    code_to_enrol: str = field(default="", repr=False)
    supplies: list = field(default_factory=list)  # [(Item, quantity)]
    kits: list = field(default_factory=list)  # [(Kit, count)]
    syringes_returned: int = 0
    returns_estimated: bool = False
    sharps_containers_returned: int = 0
    secondary_people: int = 0

    @property
    def service_mode_label(self) -> str:
        return ServiceMode(self.service_mode).label if self.service_mode in ServiceMode.values else ""

    def supplies_summary(self) -> list[tuple[str, int]]:
        return [(item.name, quantity) for item, quantity in self.supplies] + [
            (kit.name, count) for kit, count in self.kits]


class _Catalog:
    """Supply items and kits by name, without case; a plural "s" is forgiven ("Alcohol pads")."""

    def __init__(self):
        self.items = {cell_key(item.name): item for item in Item.objects.all()}
        self.kits = {cell_key(kit.name): kit for kit in Kit.objects.prefetch_related("items__item")}

    def find(self, name):
        key = cell_key(name)
        for candidate in (key, key[:-1] if key.endswith("s") else None):
            if candidate and candidate in self.items:
                return self.items[candidate]
            if candidate and candidate in self.kits:
                return self.kits[candidate]
        return None


def row_client_id(digest: str, row: int) -> uuid.UUID:
    return uuid.uuid5(IMPORT_NAMESPACE, f"{digest}:{row}")


class EncounterLog(RowSchema):
    """A legacy encounter log: one visit per row; supply items and kits by name, in a `supplies`
    cell or one column each. Options: `enrol_unknown` (an unknown code that fits the recipe
    enrols a new participant, once)."""

    name = "encounters.import"
    permission = "encounters.import"
    audit_action = "create"
    columns = tuple(Column(name, synonyms, required=name in REQUIRED_COLUMNS)
                    for name, synonyms in COLUMN_SYNONYMS.items())
    max_bytes = MAX_FILE_BYTES
    max_rows = MAX_ROWS

    def __init__(self, *, actor, enrol_unknown: bool = False):
        super().__init__(actor=actor, enrol_unknown=enrol_unknown)
        self.enrol_unknown = enrol_unknown
        self.catalog = _Catalog()
        self.now = timezone.now()
        sites = list(recording_sites(actor))
        self.sites_by_name = {cell_key(site.name): site for site in sites}
        self.sites_by_id = {str(site.pk): site for site in sites}
        self.modes = {**SERVICE_MODE_WORDS, **{column_key(label): value for value, label in ServiceMode.choices},
                      **{value: value for value in ServiceMode.values}}
        self.codes: dict[str, tuple] = {}  # normalised code -> (participant, code to enrol, error)

    def extra_column(self, header: str):
        return self.catalog.find(header)

    def check_row(self, row):
        occurred_at = row.moment("date", "time", default_time=DEFAULT_TIME, future_tolerance=FUTURE_TOLERANCE,
                                 now=self.now)
        site_text = row.text("site")
        site = self.sites_by_id.get(site_text) or self.sites_by_name.get(cell_key(site_text))
        if not site_text:
            row.error("site", _("Enter the site of the visit."))
        elif site is None:
            row.error("site", _("No active site of yours has this name."))

        mode_text = column_key(row.cell("service_mode"))
        service_mode = self.modes.get(mode_text) if mode_text else (MODE_FOR_SITE_KIND.get(site.kind)
                                                                    if site else None)
        if mode_text and service_mode is None:
            row.error("service_mode", _("Use one of: fixed, mobile, outreach, mail, peer_delivery."))

        participant, code = self._participant(row)

        supplies, kits = [], []
        for index, thing, text in row.mapping.extra:
            quantity = row.whole_number(text, maximum=actions.MAX_UNITS_PER_LINE, cell=row.at(index))
            if quantity:
                (kits if isinstance(thing, Kit) else supplies).append((thing, quantity))
        for name, quantity, message in _supply_entries(row.text("supplies")):
            if message:
                row.error("supplies", message)
                continue
            thing = self.catalog.find(name)
            if thing is None:
                row.error("supplies", _("“%(name)s” is not a supply item or kit in the catalog.") % {"name": name})
                continue
            quantity = row.whole_number("supplies", maximum=actions.MAX_UNITS_PER_LINE, cell=quantity)
            if quantity:
                (kits if isinstance(thing, Kit) else supplies).append((thing, quantity))
        for thing, _quantity in supplies + kits:
            if not thing.active:
                row.error(thing.name, _("“%(name)s” is no longer offered.") % {"name": thing.name})

        counts = {
            column: row.whole_number(column, maximum=limit)
            for column, limit in (("syringes_returned", actions.MAX_SYRINGES_RETURNED),
                                  ("sharps_containers_returned", actions.MAX_SHARPS_CONTAINERS_RETURNED),
                                  ("secondary_people", actions.MAX_SECONDARY_PEOPLE))
        }
        estimated_text = cell_key(row.cell("returns_estimated"))
        if estimated_text not in TRUE_WORDS | FALSE_WORDS:
            row.error("returns_estimated", _("Write yes or no."))
        if not row.ok:
            return None
        return ImportRow(row=row.number, client_id=row_client_id(self.digest, row.number), occurred_at=occurred_at,
                         site=site, service_mode=service_mode, participant=participant, code_to_enrol=code,
                         supplies=supplies, kits=kits, returns_estimated=estimated_text in TRUE_WORDS, **counts)

    def _participant(self, row):
        from haven.participants.queries import participant_by_code
        from haven.participants.recipe import checked_code

        text = row.text("participant_code")
        if not text:
            return None, ""
        key = cell_key(text)
        if key not in self.codes:
            found = participant_by_code(text)
            if found is not None:
                self.codes[key] = (found, "", None)
            elif not self.enrol_unknown:
                self.codes[key] = (None, "", _("No participant has this code. Check the code, or choose “enrol "
                                               "unknown codes” to enrol new participants."))
            else:
                try:
                    self.codes[key] = (None, checked_code(text), None)
                except ValidationError as error:
                    # The message describes the recipe, never the code that was typed.
                    self.codes[key] = (None, "", " ".join(str(message) for message in error.messages))
        participant, code, message = self.codes[key]
        if message:
            row.error("participant_code", message)
        return participant, code

    def after_check(self, check) -> None:
        check.already_imported = _already_imported([row.client_id for row in check.rows])
        check.info["codes_to_enrol"] = len({row.code_to_enrol for row in check.rows if row.code_to_enrol})

    def save(self, rows, *, request=None) -> Saved:
        """Record every row with `encounter_record`, enrolling new codes when chosen."""
        from haven.participants.actions import participant_enroll
        from haven.participants.queries import participant_by_code

        errors, enrolled = [], {}
        created = already = 0
        for row in rows:
            participant = row.participant
            try:
                if row.code_to_enrol:
                    participant = enrolled.get(row.code_to_enrol) or participant_by_code(row.code_to_enrol)
                    if participant is None:
                        participant = participant_enroll(actor=self.actor, code=row.code_to_enrol, site=row.site,
                                                         request=request)
                        enrolled[row.code_to_enrol] = participant
                _encounter, new = actions.encounter_record(
                    actor=self.actor, client_id=row.client_id, site=row.site, service_mode=row.service_mode,
                    participant=participant, occurred_at=row.occurred_at, supplies=row.supplies, kits=row.kits,
                    syringes_returned=row.syringes_returned, returns_estimated=row.returns_estimated,
                    sharps_containers_returned=row.sharps_containers_returned,
                    secondary_people=row.secondary_people, source="import", request=request,
                )
            except ValidationError as error:
                # The action's own savepoint has rolled this row back; the pipeline goes on only
                # if the person chose to skip bad rows.
                errors.extend(RowError(row.row, "", str(message)) for message in error.messages)
                continue
            if new:
                created += 1
            else:
                already += 1
        return Saved(created=created, already_imported=already, errors=errors, detail={"enrolled": len(enrolled)})


def _supply_entries(text: str):
    """("name", "quantity", error message or "") for each "name:quantity" in a supplies cell."""
    for part in filter(None, (piece.strip() for piece in text.split(";"))):
        name, colon, quantity = part.rpartition(":")
        if not colon or not name.strip():
            yield part, "", _("Write each supply as name:quantity, separated by “;”, for example "
                              "“Alcohol pad:10; Cooker:2”.")
        else:
            yield name.strip(), quantity.strip(), ""


def _already_imported(client_ids: list[uuid.UUID]) -> int:
    found = 0
    for start in range(0, len(client_ids), 500):
        found += Encounter.objects.filter(client_id__in=client_ids[start:start + 500]).count()
    return found
