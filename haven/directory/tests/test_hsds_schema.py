"""Haven's directory uses HSDS 3.0's own names: every kept field is in the published schema, and every
model keeps exactly those fields under those names."""

import json

import pytest

from haven.directory import hsds
from haven.directory.actions import MODELS


@pytest.mark.parametrize("table", hsds.TABLES)
def test_every_kept_field_is_a_field_of_the_published_schema(table):
    properties = hsds.object_schema(table)["properties"]
    assert [column for column in hsds.KEPT[table] if column not in properties] == []


@pytest.mark.parametrize("table", hsds.TABLES)
def test_each_model_stores_the_kept_fields_under_their_hsds_names(table):
    model = MODELS[table]
    attnames = {field.attname for field in model._meta.concrete_fields}
    assert set(hsds.KEPT[table]) <= attnames | {"id"}


def test_the_required_fields_come_from_the_schema_files():
    assert hsds.object_schema("service")["required"] == ["id", "name", "status"]
    assert "active" in hsds.object_schema("service")["properties"]["status"]["enum"]


def test_foreign_keys_come_from_the_published_datapackage():
    keys = hsds.foreign_keys()
    assert keys["service"]["organization_id"] == "organization"
    assert keys["phone"]["contact_id"] == "contact"


def test_the_vendored_files_name_their_source_and_licence():
    source = (hsds.SCHEMA_DIR / "SOURCE.md").read_text()
    assert "279fd2eb3552c349bf698c07c00cc25f5fc8249b" in source
    assert "CC BY-SA 4.0" in source
    assert "Attribution-ShareAlike 4.0" in (hsds.SCHEMA_DIR / "LICENSE").read_text()
    assert json.loads((hsds.SCHEMA_DIR / "datapackage.json").read_text())["profile"] == "tabular-data-package"
