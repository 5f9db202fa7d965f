"""Importing a legacy log saved as an Excel workbook."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from haven.core.importing import read_table
from haven.encounters.models import Encounter


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def dana_client(dana, client_as):
    return client_as(dana)


def test_an_xlsx_log_imports(dana_client):
    content = workbook([
        ["Date", "Time", "Site", "Mode", "Supplies", "Syringes returned", "Secondary people"],
        [datetime.date(2024, 3, 1), datetime.time(9, 30), "North drop-in", "Fixed site", "Cooker:2", 10, 1],
        [datetime.datetime(2024, 3, 2, 14, 0), None, "East van", "mobile", None, 0.0, None],
    ])
    response = dana_client.post("/encounters/import/", {"file": SimpleUploadedFile("log.xlsx", content)})
    assert response["Location"] == "/encounters/import/preview/"
    check = dana_client.get("/encounters/import/preview/").context["check"]
    assert check.errors == []

    dana_client.post("/encounters/import/confirm/", {"digest": check.digest})

    visits = Encounter.objects.filter(source="import").order_by("occurred_at")
    assert [timezone.localtime(visit.occurred_at).replace(tzinfo=None) for visit in visits] == [
        datetime.datetime(2024, 3, 1, 9, 30), datetime.datetime(2024, 3, 2, 14, 0)]
    assert [visit.service_mode for visit in visits] == ["fixed", "mobile"]
    assert visits[0].secondary_people == 1


def test_a_formula_comes_back_as_its_text_never_as_a_value():
    book = Workbook()
    book.active.append(["date", "site", "syringes_returned"])
    book.active.append(["2024-03-01", "North drop-in", "=SUM(1,2)"])
    out = io.BytesIO()
    book.save(out)

    assert read_table("log.xlsx", out.getvalue()).rows[0][1][2] == "=SUM(1,2)"


def test_a_bad_xlsx_row_is_reported(dana_client):
    content = workbook([["date", "site", "secondary_people"], ["2024-03-01", "North drop-in", 2.5]])
    dana_client.post("/encounters/import/", {"file": SimpleUploadedFile("log.xlsx", content)})
    check = dana_client.get("/encounters/import/preview/").context["check"]

    assert [(error.row, error.column) for error in check.errors] == [(2, "secondary_people")]
