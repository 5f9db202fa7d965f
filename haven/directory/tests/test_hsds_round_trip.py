"""An HSDS 3.0 package round-trips: import, export, import gives the same directory, in JSON and in
CSV; and what Haven exports validates against the published JSON schemas."""

import json

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from haven.directory import actions, hsds, queries
from haven.directory.actions import MODELS


def _emptied():
    for table in reversed(hsds.TABLES):
        MODELS[table].objects.all().delete()


def _imported(dana, tables, report):
    return actions.directory_import(actor=dana, tables=tables, report=report)


def _validator(name):
    resources = [(path.name, Resource.from_contents(json.loads(path.read_text()),
                                                     default_specification=__import__("referencing.jsonschema")
                                                     .jsonschema.DRAFT202012))
                 for path in hsds.SCHEMA_DIR.glob("*.json") if path.name != "datapackage.json"]
    registry = Registry().with_resources(resources)
    return Draft202012Validator(hsds.object_schema(name), registry=registry)


def test_the_published_service_example_round_trips_through_json(dana, published_service_example):
    tables, report = hsds.tables_from_json(published_service_example)
    assert _imported(dana, tables, report).ok
    first = queries.directory_tables()
    exported = json.loads(json.dumps(hsds.json_from_tables(first)))
    _emptied()
    again, again_report = hsds.tables_from_json(exported)
    assert _imported(dana, again, again_report).ok
    assert queries.directory_tables() == first
    assert first["service"][0]["name"] == published_service_example["name"]
    assert len(first["phone"]) == 1 and len(first["schedule"]) == 1


def test_the_directory_round_trips_through_a_tabular_csv_package(dana, published_service_example, drop_in_directory):
    tables, report = hsds.tables_from_json(published_service_example)
    _imported(dana, tables, report)
    first = queries.directory_tables()
    package = hsds.csv_zip_from_tables(first)
    _emptied()
    again, again_report = hsds.tables_from_csv_zip(package)
    assert _imported(dana, again, again_report).ok
    assert queries.directory_tables() == first


def test_importing_the_same_package_twice_changes_nothing(dana, drop_in_directory):
    first = queries.directory_tables()
    tables, report = hsds.tables_from_json(hsds.json_from_tables(first))
    _imported(dana, tables, report)
    assert queries.directory_tables() == first


@pytest.mark.parametrize("top, schema", sorted(hsds.JSON_TOP.items()))
def test_every_exported_object_validates_against_the_published_schema(dana, drop_in_directory,
                                                                        published_service_example, top, schema):
    tables, report = hsds.tables_from_json(published_service_example)
    _imported(dana, tables, report)
    document = json.loads(json.dumps(hsds.json_from_tables(queries.directory_tables())))
    validator = _validator(schema)
    assert document[top]
    for item in document[top]:
        assert sorted(error.message for error in validator.iter_errors(item)) == []


def test_the_schema_check_catches_a_broken_export(dana, drop_in_directory):
    document = hsds.json_from_tables(queries.directory_tables())
    document["services"][0]["status"] = "open-ish"
    assert list(_validator("service").iter_errors(document["services"][0]))


def test_low_barrier_attributes_travel_as_hsds_attributes(dana, drop_in_directory):
    document = hsds.json_from_tables(queries.directory_tables())
    drop_in = next(service for service in document["services"] if service["name"] == "Harbour drop-in")
    codes = {attribute["taxonomy_term"]["code"] for attribute in drop_in["attributes"]}
    assert {"no_id_needed", "walk_in", "free", "harm_reduction"} <= codes


def test_the_public_export_serves_both_serializations(anonymous_client, drop_in_directory):
    response = anonymous_client.get("/directory/export/")
    assert response.status_code == 200
    assert {service["name"] for service in json.loads(response.content)["services"]} == {
        "Harbour drop-in", "Lakeside residential"}
    response = anonymous_client.get("/directory/export/?format=csv")
    assert response["Content-Type"] == "application/zip"
    tables, report = hsds.tables_from_csv_zip(response.content)
    assert len(tables["service"]) == 2 and report.errors == []
