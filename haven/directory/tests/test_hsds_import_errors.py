"""A package with broken references gets a clear validation report and nothing is imported half-way."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from haven.directory import actions, hsds
from haven.directory.models import Organization, Service


def test_the_published_csv_example_is_refused_with_every_broken_reference_listed(dana, published_csv_example):
    tables, report = hsds.tables_from_csv_zip(published_csv_example)
    with pytest.raises(ValidationError) as refused:
        actions.directory_import(actor=dana, tables=tables, report=report)
    problems = [str(problem) for problem in refused.value.params["report"].errors]
    assert any("location 3a19ff88" in text and "organization_id" in text and "not in the package" in text
               for text in problems)
    assert any("contact 1e7efce3" in text and "service_at_location_id" in text for text in problems)
    assert Organization.objects.count() == 0 and Service.objects.count() == 0


def test_a_package_that_breaks_late_leaves_nothing_behind(dana, published_service_example):
    published_service_example["phones"][0]["service_id"] = "00000000-0000-4000-8000-000000000000"
    tables, report = hsds.tables_from_json(published_service_example)
    with pytest.raises(ValidationError):
        actions.directory_import(actor=dana, tables=tables, report=report)
    assert Organization.objects.count() == 0 and Service.objects.count() == 0


def test_wrong_values_are_reported_by_field(published_service_example):
    published_service_example["status"] = "open"
    published_service_example["id"] = "not-a-uuid"
    tables, report = hsds.tables_from_json(published_service_example)
    report = hsds.validate(tables, report)
    messages = [str(problem) for problem in report.errors]
    assert any("status" in text and "'open' is not one of" in text for text in messages)
    assert any("must be a UUID" in text for text in messages)


def test_a_file_that_is_no_package_gets_a_plain_answer():
    with pytest.raises(hsds.PackageError, match="neither a zip of CSV files nor valid JSON"):
        hsds.tables_from_bytes("notes.txt", b"hello")
    with pytest.raises(hsds.PackageError, match="No HSDS entries"):
        hsds.tables_from_bytes("x.json", b'{"people": []}')


def test_the_import_page_shows_the_report_and_imports_nothing(dana, client_as, published_csv_example):
    upload = SimpleUploadedFile("hsds.zip", published_csv_example, content_type="application/zip")
    response = client_as(dana).post("/directory/staff/import/", {"package": upload})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Validation report" in text and "which is not in the package" in text
    assert Service.objects.count() == 0


def test_the_import_page_imports_a_consistent_package(dana, client_as, published_service_example):
    upload = SimpleUploadedFile("service.json", json.dumps(published_service_example).encode())
    response = client_as(dana).post("/directory/staff/import/", {"package": upload})
    assert response.status_code == 200
    assert Service.objects.get().name == published_service_example["name"]


def test_a_failure_while_writing_rolls_the_whole_package_back(dana, published_service_example, monkeypatch):
    from haven.directory.models import Phone

    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(Phone.objects, "update_or_create", fail)
    tables, report = hsds.tables_from_json(published_service_example)
    with pytest.raises(RuntimeError):
        actions.directory_import(actor=dana, tables=tables, report=report)
    assert Organization.objects.count() == 0 and Service.objects.count() == 0


def test_report_messages_are_marked_for_translation_and_keep_their_values():
    # The page passes Django's gettext; here a small dictionary stands in for a catalogue.
    problem = hsds.Problem("service", "s1", "status", hsds.gettext_noop("%(value)s is not one of: %(allowed)s"),
                           {"value": "'open'", "allowed": "active, inactive"})
    spanish = {"%(value)s is not one of: %(allowed)s": "%(value)s no es uno de: %(allowed)s"}
    assert problem.text(lambda message: spanish.get(message, message)) == (
        "service s1, status: 'open' no es uno de: active, inactive")
    assert str(problem) == "service s1, status: 'open' is not one of: active, inactive"
    error = hsds.PackageError(hsds.gettext_noop("%(name)s is larger than 50 MB."), name="big.zip")
    assert str(error) == "big.zip is larger than 50 MB."
    assert error.text(lambda message: message.replace("is larger than", "pasa de")) == "big.zip pasa de 50 MB."
