"""Reading HSDS packages (plain Python): the CSV quirks real exports have."""

import io
import zipfile

from haven.directory import hsds

ORGANIZATION = "D9D5E0F5-D3CE-4F73-9A2F-4DD0ECC6C610"
SERVICE = "ac148810-d857-441c-9679-408f346de14b"


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_csv_with_a_byte_order_mark_and_capital_uuids_reads_cleanly():
    package = _zip({
        "organizations.csv": f"\ufeffid,name,description\n{ORGANIZATION},Harbour,Health\n",
        "services.csv": f"id,organization_id,name,status,minimum_age\n{SERVICE},{ORGANIZATION},Drop-in,active,18\n",
    })
    tables, report = hsds.tables_from_csv_zip(package)
    report = hsds.validate(tables, report)
    assert report.errors == []
    assert tables["service"][0]["organization_id"] == ORGANIZATION.lower()
    assert tables["service"][0]["minimum_age"] == 18


def test_a_number_that_is_not_a_number_is_reported():
    package = _zip({
        "organizations.csv": f"id,name,description\n{ORGANIZATION},Harbour,Health\n",
        "services.csv": f"id,organization_id,name,status,minimum_age\n{SERVICE},{ORGANIZATION},Drop-in,active,adult\n",
    })
    report = hsds.validate(*hsds.tables_from_csv_zip(package))
    assert [str(problem) for problem in report.errors] == [
        f"service {SERVICE}, minimum_age: must be a number, not 'adult'"]


def test_unknown_files_and_columns_are_listed_as_left_out():
    package = _zip({"organizations.csv": f"id,name,description,mood\n{ORGANIZATION},Harbour,Health,calm\n",
                    "notes.csv": "a\n1\n"})
    _tables, report = hsds.tables_from_csv_zip(package)
    assert {(problem.table, problem.field) for problem in report.warnings} == {("notes.csv", ""),
                                                                               ("organization", "mood")}


def test_a_zip_without_hsds_files_is_not_a_package():
    import pytest

    with pytest.raises(hsds.PackageError, match="No HSDS CSV files"):
        hsds.tables_from_csv_zip(_zip({"readme.txt": "hello"}))


def test_a_service_without_its_organization_is_reported():
    tables, report = hsds.tables_from_json([{"id": SERVICE, "name": "Drop-in", "status": "active"}])
    messages = [str(problem) for problem in hsds.validate(tables, report).errors]
    assert messages == [f"service {SERVICE}, organization_id: empty, but Haven needs it to link this entry"]


def test_a_document_is_only_walked_along_the_schemas_arrays():
    # A location may not hold services: however deep such nesting goes, it is not read.
    nested = {"id": SERVICE, "name": "x", "status": "active"}
    for _level in range(3000):
        nested = {"id": SERVICE, "service_at_locations": [{"location": {"services": [nested]}}]}
    document = {"organizations": [{"id": ORGANIZATION, "name": "Harbour", "description": "Health",
                                   "locations": [{"id": SERVICE, "location_type": "physical",
                                                  "services": [nested]}]}]}
    tables, _report = hsds.tables_from_json(document)
    assert list(tables) == ["organization", "location"]
