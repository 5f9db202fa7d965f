"""HSDS 3.0 packages: read (JSON or a tabular CSV package), check, and write. Plain Python, no Django.

Everything here works on *tables*: {HSDS object name: [row, ...]}, a row being {HSDS field: value}
with the scalar fields Haven keeps (KEPT). JSON documents are flattened into tables on the way in and
built back from them on the way out, so both serializations share one validator.

The field names, required fields, enumerations, types and foreign keys come from the published
schema files in data/hsds/ (SOURCE.md there says which commit), never from this module.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "hsds"

# The HSDS objects Haven keeps, and which of each one's scalar fields (every name is checked against
# the published schema by tests/test_hsds_schema.py). Order is the order rows are written in.
KEPT: dict[str, list[str]] = {
    "taxonomy": ["id", "name", "description", "uri", "version"],
    "taxonomy_term": ["id", "code", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id",
                      "term_uri"],
    "organization": ["id", "name", "alternate_name", "description", "email", "website", "tax_status", "tax_id",
                     "year_incorporated", "legal_status", "logo", "uri", "parent_organization_id"],
    "service": ["id", "organization_id", "name", "alternate_name", "description", "url", "email", "status",
                "interpretation_services", "application_process", "fees_description", "wait_time",
                "fees", "accreditations", "eligibility_description", "minimum_age", "maximum_age", "assured_date",
                "assurer_email", "licenses", "alert", "last_modified"],
    "location": ["id", "location_type", "url", "organization_id", "name", "alternate_name", "description",
                 "transportation", "latitude", "longitude", "external_identifier", "external_identifier_type"],
    "address": ["id", "location_id", "attention", "address_1", "address_2", "city", "region", "state_province",
                "postal_code", "country", "address_type"],
    "service_at_location": ["id", "service_id", "location_id", "description"],
    "contact": ["id", "organization_id", "service_id", "service_at_location_id", "location_id", "name", "title",
                "department", "email"],
    "phone": ["id", "location_id", "service_id", "organization_id", "contact_id", "service_at_location_id",
              "number", "extension", "type", "description"],
    "schedule": ["id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to", "dtstart",
                 "timezone", "until", "count", "wkst", "freq", "interval", "byday", "byweekno", "bymonthday",
                 "byyearday", "description", "opens_at", "closes_at", "schedule_link", "attending_type", "notes"],
    "language": ["id", "service_id", "location_id", "phone_id", "name", "code", "note"],
    "attribute": ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"],
}
TABLES = list(KEPT)

# Haven also needs every service to name its organization (HSDS's tabular form requires it too).
HAVEN_REQUIRED = {"service": ["organization_id"], "service_at_location": ["service_id", "location_id"],
                  "address": ["location_id"], "attribute": ["link_id", "taxonomy_term_id"]}

# Where a child row goes when a JSON document is built: the first parent field that is set.
# (child object, array name in the parent) per parent object, in order of preference.
NESTING: dict[str, list[tuple[str, str]]] = {
    "phone": [("contact_id", "contact"), ("service_at_location_id", "service_at_location"),
              ("service_id", "service"), ("location_id", "location"), ("organization_id", "organization")],
    "contact": [("service_at_location_id", "service_at_location"), ("service_id", "service"),
                ("location_id", "location"), ("organization_id", "organization")],
    "schedule": [("service_at_location_id", "service_at_location"), ("service_id", "service"),
                 ("location_id", "location")],
    "language": [("service_id", "service"), ("location_id", "location"), ("phone_id", "phone")],
    "address": [("location_id", "location")],
    "service_at_location": [("service_id", "service")],
    "location": [("organization_id", "organization")],
}
# Entries that need no parent: a location may stand alone (it then travels inside its service_at_location).
MAY_STAND_ALONE = {"location"}
ARRAY_NAME = {"phone": "phones", "contact": "contacts", "schedule": "schedules", "language": "languages",
              "address": "addresses", "service_at_location": "service_at_locations", "location": "locations",
              "attribute": "attributes"}
# The top-level lists of Haven's JSON package; each item validates against the named object schema.
JSON_TOP = {"organizations": "organization", "services": "service", "taxonomy_terms": "taxonomy_term"}

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
MAX_ROWS = 50_000


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogues (``makemessages`` looks for this name) without
    importing Django; the page that shows a report translates it (``Problem.text``)."""
    return message


class PackageError(ValueError):
    """The file is not an HSDS package at all (not JSON, not a zip, no known tables).

    The message is English with %(name)s placeholders; ``text(translate)`` gives it in the page's language."""

    def __init__(self, message: str, **params):
        self.message, self.params = message, params
        super().__init__(message % params if params else message)

    def text(self, translate=lambda message: message) -> str:
        return translate(self.message) % self.params if self.params else translate(self.message)


@dataclass(frozen=True)
class Problem:
    table: str
    row: str  # the row's id, or its position when it has no usable id
    field: str
    message: str  # English, marked with gettext_noop, with %(name)s placeholders filled from params
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def text(self, translate=lambda message: message) -> str:
        """The problem in words; ``translate`` (Django's gettext on a page) gives the page's language.
        Table, row and column names are HSDS's own and stay as they are."""
        message = translate(self.message)
        if self.params:
            message = message % self.params
        where = f"{self.table} {self.row}".strip()
        return f"{where}, {self.field}: {message}" if self.field else f"{where}: {message}"

    def __str__(self):
        return self.text()


@dataclass
class Report:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {"ok": self.ok, "counts": self.counts,
                "errors": [problem.__dict__ for problem in self.errors],
                "warnings": [problem.__dict__ for problem in self.warnings]}


@cache
def object_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def datapackage() -> dict:
    return json.loads((SCHEMA_DIR / "datapackage.json").read_text(encoding="utf-8"))


@cache
def csv_file_names() -> dict[str, str]:
    """HSDS object -> its CSV file name in a tabular package (from the published datapackage.json)."""
    return {resource["name"]: resource["path"] for resource in datapackage()["resources"]}


@cache
def foreign_keys() -> dict[str, dict[str, str]]:
    """object -> {field: referenced object}, for the fields Haven keeps (from datapackage.json)."""
    found: dict[str, dict[str, str]] = {}
    for resource in datapackage()["resources"]:
        if resource["name"] not in KEPT:
            continue
        for key in resource["schema"].get("foreignKeys", []):
            if key["fields"] in KEPT[resource["name"]] and key["reference"]["resource"] in KEPT:
                found.setdefault(resource["name"], {})[key["fields"]] = key["reference"]["resource"]
    # Present in the JSON schemas but not declared as foreign keys in the tabular descriptor.
    for table, column, target in (("taxonomy_term", "parent_id", "taxonomy_term"),
                                  ("service_at_location", "location_id", "location")):
        found.setdefault(table, {}).setdefault(column, target)
    return found


@cache
def child_arrays(name: str) -> dict[str, str]:
    """The arrays of Haven's objects that this object may hold, from its published schema
    ({"phones": "phone", ...}); a document is only walked along these, so its depth is the schema's."""
    found = {}
    for key, spec in object_schema(name)["properties"].items():
        reference = (spec.get("items") or {}).get("$ref", "") if spec.get("type") == "array" else ""
        child = reference.removesuffix(".json")
        if child in KEPT:
            found[key] = child
    return found


def _scalar_properties(name: str) -> dict[str, dict]:
    return {key: spec for key, spec in object_schema(name)["properties"].items()
            if spec.get("type") in ("string", "number", "integer", "boolean")}


# Reading ---------------------------------------------------------------------------------------

def _clean_value(table: str, column: str, value):
    """A value as the schema types it; '' and None mean absent. Numbers from CSV become numbers."""
    if value is None:
        return None
    spec = _scalar_properties(table).get(column, {})
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
        if spec.get("format") == "uuid" and UUID.match(value):
            return value.lower()
        if spec.get("type") == "number":
            try:
                number = float(value)
            except ValueError:
                return value  # the validator reports it
            return int(number) if number.is_integer() and column not in ("latitude", "longitude") else number
    return value


def _add_row(tables, seen, report, table, source: dict, *, parent: tuple[str, str] | None = None):
    row = {}
    for column in KEPT[table]:
        value = _clean_value(table, column, source.get(column))
        if value is not None:
            row[column] = value
    if parent is not None and parent[0] in KEPT[table]:
        row.setdefault(parent[0], parent[1])
    ignored = sorted(key for key, value in source.items()
                     if key not in KEPT[table] and not isinstance(value, (list, dict)) and value not in (None, ""))
    for column in ignored:
        if (table, column) not in seen:
            seen[(table, column)] = True
            report.warnings.append(Problem(table, "", column, gettext_noop("Haven does not keep this field; it is left out")))
    key = row.get("id")
    if key is not None and (table, key) in seen:
        # The same entry met again (JSON nests a phone under each thing it serves): one entry, its
        # links merged. Two different values for one field mean two different entries under one id.
        existing = seen[(table, key)]
        clashes = sorted(column for column, value in row.items() if column in existing and existing[column] != value)
        if clashes:
            report.errors.append(Problem(table, str(key), ", ".join(clashes),
                                         gettext_noop("this id is used for two different entries")))
        else:
            existing.update(row)
        return existing
    if key is not None:
        seen[(table, key)] = row
    tables.setdefault(table, []).append(row)
    return row


def tables_from_json(document) -> tuple[dict[str, list[dict]], Report]:
    """Flatten an HSDS JSON document into tables.

    Accepted: Haven's package ({"organizations": [...], "services": [...], "taxonomy_terms": [...]}),
    a list of services, or one organization or service object.
    """
    report = Report()
    tables: dict[str, list[dict]] = {}
    seen: dict = {}
    if isinstance(document, list):
        document = {"services": document}
    if not isinstance(document, dict):
        raise PackageError(gettext_noop("The JSON file must hold an object or a list of services."))
    if "services" not in document and "organizations" not in document and "id" in document:
        document = {"services": [document]} if "status" in document else {"organizations": [document]}
    if not any(isinstance(document.get(name), list) for name in JSON_TOP):
        raise PackageError(gettext_noop(
            "No HSDS entries found: expected lists named organizations, services or taxonomy_terms."))

    def walk(table, item, parent=None, where=""):
        if not isinstance(item, dict):
            report.errors.append(Problem(table, where, "", gettext_noop("expected an object")))
            return None
        row = _add_row(tables, seen, report, table, item, parent=parent)
        own = (f"{table}_id", row.get("id"))
        for array, child in child_arrays(table).items():
            if child == "attribute" or array not in item:
                continue
            if not isinstance(item[array], list):
                report.errors.append(Problem(table, str(row.get("id", where)), array, gettext_noop("expected a list")))
                continue
            for position, sub in enumerate(item[array]):
                walk(child, sub, own, f"#{position + 1}")
        if table == "service_at_location" and isinstance(item.get("location"), dict):
            location = walk("location", item["location"])
            if location and location.get("id"):
                row.setdefault("location_id", location["id"])
        if table == "service" and isinstance(item.get("organization"), dict):
            organization = walk("organization", item["organization"])
            if organization and organization.get("id"):
                row.setdefault("organization_id", organization["id"])
        for position, attribute in enumerate(item.get("attributes") or []):
            if not isinstance(attribute, dict):
                report.errors.append(Problem("attribute", f"#{position + 1}", "", gettext_noop("expected an object")))
                continue
            term = attribute.get("taxonomy_term")
            if isinstance(term, dict):
                walk("taxonomy_term", term)
            linked = {"link_id": row.get("id"), "link_entity": table, **attribute}
            if isinstance(term, dict) and term.get("id"):
                linked.setdefault("taxonomy_term_id", term["id"])
            _add_row(tables, seen, report, "attribute", linked)
        if table == "taxonomy_term" and isinstance(item.get("taxonomy_detail"), dict):
            taxonomy = walk("taxonomy", item["taxonomy_detail"])
            if taxonomy and taxonomy.get("id"):
                row.setdefault("taxonomy_id", taxonomy["id"])
        return row

    for name, table in JSON_TOP.items():
        items = document.get(name) or []
        if not isinstance(items, list):
            report.errors.append(Problem(table, "", name, gettext_noop("expected a list")))
            continue
        for position, item in enumerate(items):
            walk(table, item, None, f"#{position + 1}")
    return tables, report


def tables_from_csv_zip(data: bytes) -> tuple[dict[str, list[dict]], Report]:
    """Read a tabular data package: a zip of the published CSV file names (datapackage.json optional)."""
    report = Report()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise PackageError(gettext_noop(
            "This is not a zip file. A tabular HSDS package is a zip of CSV files.")) from None
    names = {Path(info.filename).name: info for info in archive.infolist() if not info.is_dir()}
    by_file = {path: table for table, path in csv_file_names().items()}
    tables: dict[str, list[dict]] = {}
    seen: dict = {}
    found_any = False
    for file_name, info in sorted(names.items()):
        if file_name == "datapackage.json" or not file_name.endswith(".csv"):
            continue
        table = by_file.get(file_name)
        if table is None:
            report.warnings.append(Problem(file_name, "", "", gettext_noop("not an HSDS file name; left out")))
            continue
        found_any = True
        if table not in KEPT:
            report.warnings.append(Problem(table, "", "", gettext_noop("Haven does not keep this table; it is left out")))
            continue
        if info.file_size > 50 * 1024 * 1024:
            raise PackageError(gettext_noop("%(name)s is larger than 50 MB."), name=file_name)
        text = archive.read(info).decode("utf-8-sig", errors="replace")
        for position, source in enumerate(csv.DictReader(io.StringIO(text))):
            if position >= MAX_ROWS:
                report.errors.append(Problem(table, "", "", gettext_noop("more than %(limit)s rows"), {"limit": MAX_ROWS}))
                break
            _add_row(tables, seen, report, table, {key: value for key, value in source.items() if key})
    if not found_any:
        raise PackageError(gettext_noop(
            "No HSDS CSV files found in the zip (for example organizations.csv, services.csv)."))
    return tables, report


# Checking --------------------------------------------------------------------------------------

def validate(tables: dict[str, list[dict]], report: Report | None = None) -> Report:
    """Every rule a package must meet before anything of it is kept; all problems, not the first."""
    report = report or Report()
    ids: dict[str, set] = {table: set() for table in KEPT}
    for table in TABLES:
        for row in tables.get(table, []):
            if isinstance(row.get("id"), str):
                ids[table].add(row["id"].lower())
    keys = foreign_keys()
    for table in TABLES:
        rows = tables.get(table, [])
        report.counts[table] = len(rows)
        properties = _scalar_properties(table)
        required = [name for name in object_schema(table).get("required", []) if name in properties]
        linking = [name for name in HAVEN_REQUIRED.get(table, []) if name not in required]
        for position, row in enumerate(rows):
            where = str(row.get("id") or f"row {position + 1}")
            for column in required:
                if row.get(column) in (None, ""):
                    report.errors.append(Problem(table, where, column, gettext_noop("required by HSDS, but empty")))
            for column in linking:
                if row.get(column) in (None, ""):
                    report.errors.append(Problem(table, where, column,
                                                 gettext_noop("empty, but Haven needs it to link this entry")))
            for column, value in row.items():
                spec = properties.get(column, {})
                kind = spec.get("type")
                if kind == "string" and not isinstance(value, str):
                    report.errors.append(Problem(table, where, column, gettext_noop("must be text")))
                    continue
                if kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
                    report.errors.append(Problem(table, where, column, gettext_noop("must be a number, not %(value)s"), {"value": repr(value)}))
                    continue
                if spec.get("format") == "uuid" and not UUID.match(str(value)):
                    report.errors.append(Problem(table, where, column, gettext_noop("must be a UUID, not %(value)s"), {"value": repr(value)}))
                    continue
                if "enum" in spec and value not in spec["enum"]:
                    allowed = ", ".join(spec["enum"])
                    report.errors.append(Problem(table, where, column, gettext_noop("%(value)s is not one of: %(allowed)s"),
                                                 {"value": repr(value), "allowed": allowed}))
                if spec.get("format") == "email" and "@" not in str(value):
                    report.errors.append(Problem(table, where, column, gettext_noop("%(value)s is not an e-mail address"),
                                                 {"value": repr(value)}))
            for column, target in keys.get(table, {}).items():
                value = row.get(column)
                if isinstance(value, str) and UUID.match(value) and value.lower() not in ids[target]:
                    # A term's taxonomy or parent may be published elsewhere (a shared taxonomy);
                    # every other reference must be in the package.
                    problems = report.warnings if table == "taxonomy_term" else report.errors
                    problems.append(Problem(table, where, column,
                                            gettext_noop("refers to %(table)s %(id)s, which is not in the package"),
                                            {"table": target, "id": value}))
            if table == "attribute":
                entity, link = row.get("link_entity"), row.get("link_id")
                if entity in KEPT and isinstance(link, str) and link.lower() not in ids[entity]:
                    report.errors.append(Problem(table, where, "link_id",
                                                 gettext_noop("refers to %(table)s %(id)s, which is not in the package"),
                                                 {"table": entity, "id": link}))
                elif entity not in KEPT and entity:
                    report.warnings.append(Problem(table, where, "link_entity",
                                                   gettext_noop("Haven does not keep %(table)s entries; this attribute is left out"),
                                                   {"table": repr(entity)}))
            if table in NESTING and table not in MAY_STAND_ALONE and not any(row.get(column) for column, _parent in NESTING[table]):
                report.errors.append(Problem(table, where, "", gettext_noop("is not linked to any entry")))
    return report


# Writing ---------------------------------------------------------------------------------------

def _ordered(table: str, row: dict) -> dict:
    return {column: row[column] for column in KEPT[table] if row.get(column) not in (None, "")}


def json_from_tables(tables: dict[str, list[dict]]) -> dict:
    """Haven's JSON package: organizations, services and taxonomy terms, each a nested HSDS object."""
    objects: dict[str, dict[str, dict]] = {}
    for table in TABLES:
        objects[table] = {str(row["id"]): _ordered(table, row) for row in tables.get(table, [])}
    taxonomies = objects["taxonomy"]
    for term in objects["taxonomy_term"].values():
        if term.get("taxonomy_id") in taxonomies:
            term["taxonomy_detail"] = dict(taxonomies[term["taxonomy_id"]])
    # Attach children deepest first, so a location carries its addresses before it joins its organization.
    for child in ("address", "phone", "contact", "schedule", "language", "service_at_location", "location"):
        for row in objects[child].values():
            for column, parent in NESTING[child]:
                if row.get(column) in objects[parent]:
                    objects[parent][row[column]].setdefault(ARRAY_NAME[child], []).append(row)
                    break
    for at_location in objects["service_at_location"].values():
        location = objects["location"].get(at_location.get("location_id"))
        if location is not None and not location.get("organization_id"):
            at_location["location"] = location
    for attribute in objects["attribute"].values():
        owner = objects.get(attribute.get("link_entity"), {}).get(attribute.get("link_id"))
        if owner is not None:
            linked = dict(attribute)
            term = objects["taxonomy_term"].get(attribute.get("taxonomy_term_id"))
            if term is not None:
                linked["taxonomy_term"] = term
            owner.setdefault("attributes", []).append(linked)
    return {
        "organizations": list(objects["organization"].values()),
        "services": list(objects["service"].values()),
        "taxonomy_terms": list(objects["taxonomy_term"].values()),
    }


def csv_zip_from_tables(tables: dict[str, list[dict]]) -> bytes:
    """A tabular data package: one CSV per HSDS object and the published descriptor, cut to what is in it."""
    descriptor = json.loads(json.dumps(datapackage()))
    resources = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for resource in descriptor["resources"]:
            table = resource["name"]
            if table not in KEPT:
                continue
            columns = KEPT[table]
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            for row in tables.get(table, []):
                writer.writerow({column: _csv_text(row.get(column)) for column in columns})
            archive.writestr(resource["path"], text.getvalue())
            resource["schema"]["fields"] = [spec for spec in resource["schema"]["fields"] if spec["name"] in columns]
            resource["schema"]["foreignKeys"] = [key for key in resource["schema"].get("foreignKeys", [])
                                                 if key["fields"] in columns and key["reference"]["resource"] in KEPT]
            resources.append(resource)
        descriptor["resources"] = resources
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2))
    return buffer.getvalue()


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def tables_from_bytes(file_name: str, data: bytes) -> tuple[dict[str, list[dict]], Report]:
    """A package as uploaded: a zip (tabular) or a JSON document, told apart by content."""
    if data[:4] == b"PK\x03\x04":
        return tables_from_csv_zip(data)
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        if file_name:
            raise PackageError(gettext_noop("%(name)s is neither a zip of CSV files nor valid JSON (%(error)s)."),
                               name=file_name, error=error) from None
        raise PackageError(gettext_noop("The file is neither a zip of CSV files nor valid JSON (%(error)s)."),
                           error=error) from None
    return tables_from_json(document)
