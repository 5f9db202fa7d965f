"""The shared import pipeline (haven.core.importing): what every importer gets for free."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from haven.core import importing
from haven.core.importing import Column, ImportFileError, ImportRefused, RowSchema, Saved, read_table
from haven.core.models import AuditEvent
from haven.places.actions import area_create
from haven.places.models import Area

pytestmark = pytest.mark.django_db


class AreaList(RowSchema):
    """A toy importer: one area per row, saved with the places action; for the pipeline's own tests."""

    name = "places.import"
    permission = "places.manage"
    columns = (Column("name", ("area",), required=True), Column("households"))
    max_rows = 10

    def check_row(self, row):
        name = row.text("name")
        if not name:
            row.error("name", "Name the area.")
        households = row.whole_number("households", maximum=1000)
        return (row.number, name, households) if row.ok else None

    def after_check(self, check):
        check.already_imported = Area.objects.filter(name__in=[name for _n, name, _h in check.rows]).count()

    def save(self, rows, *, request=None):
        created = 0
        for _number, name, _households in rows:
            if Area.objects.filter(name=name).exists():
                continue
            if name == "Boom":
                raise RuntimeError("the domain's action failed half-way")
            area_create(actor=self.actor, name=name, kind="neighbourhood")
            created += 1
        return Saved(created=created, already_imported=len(rows) - created)


def imported_areas():
    return Area.objects.filter(name__in=["Harbour", "Hillside"])


def table(text: str, name="areas.csv"):
    return read_table(name, text.encode("utf-8"), max_rows=10)


def test_row_numbers_are_the_spreadsheets_even_with_blank_rows():
    found = table("name,households\n\nNorth,3\n,\nEast,x\n")

    assert [number for number, _cells in found.rows] == [3, 5]
    check = importing.import_check(AreaList(actor=None), found)
    assert [(error.row, error.column) for error in check.errors] == [(5, "households")]
    assert check.errors[0].describe() == "Row 5, column “households”: “x” is not a whole number."


def test_the_encoding_is_detected_and_named():
    assert table("name\nCafé\n").encoding == "UTF-8"
    assert read_table("a.csv", "name\nCafé\n".encode("cp1252")).encoding == "Windows-1252"
    assert read_table("a.csv", "name\nCafé\n".encode("cp1252")).rows[0][1] == ["Café"]
    with pytest.raises(ImportFileError, match="neither UTF-8 nor Windows-1252"):
        read_table("a.csv", b"name\n\x81\x8d\n")
    with pytest.raises(ImportFileError, match="marked as UTF-8 but is not"):
        read_table("a.csv", b"\xef\xbb\xbfname\n\xe9\n")


def test_missing_columns_are_named_with_what_the_file_has():
    check = importing.import_check(AreaList(actor=None), table("place,count\nNorth,3\n"))

    missing = [error.message for error in check.file_errors if error.message.startswith("Missing columns: name.")]
    assert len(missing) == 1 and "first row has: place, count" in missing[0]
    assert [error.column for error in check.file_errors if error.column] == ["place", "count"]


def test_a_file_with_a_bad_row_imports_nothing_unless_skipping_is_chosen(alice):
    bad = table("name,households\nHarbour,3\n,4\n")

    with pytest.raises(ImportRefused) as refused:
        importing.import_commit(AreaList(actor=alice), bad)
    assert [error.row for error in refused.value.row_errors] == [3]
    assert not imported_areas().exists()

    result = importing.import_commit(AreaList(actor=alice), bad, skip_bad_rows=True)

    assert (result.created, result.skipped_rows) == (1, [3])


def test_a_schema_can_refuse_skipping(alice):
    class Strict(AreaList):
        allow_skip = False

    with pytest.raises(ImportRefused):
        importing.import_commit(Strict(actor=alice), table("name,households\nHarbour,3\n,4\n"), skip_bad_rows=True)
    assert not imported_areas().exists()


def test_the_commit_is_atomic_when_the_save_fails_half_way(alice):
    with pytest.raises(RuntimeError):
        importing.import_commit(AreaList(actor=alice), table("name\nHarbour\nBoom\n"))

    assert not imported_areas().exists()
    assert not AuditEvent.objects.filter(object_type="places.import").exists()


def test_the_same_file_twice_imports_nothing_new_and_each_import_is_audited(alice):
    content = table("name\nHarbour\nHillside\n")
    importing.import_commit(AreaList(actor=alice), content)

    again = importing.import_commit(AreaList(actor=alice), content)

    assert (again.created, again.already_imported) == (0, 2)
    assert imported_areas().count() == 2
    audits = AuditEvent.objects.filter(object_type="places.import").order_by("sequence")
    assert [(event.detail["created"], event.detail["already_imported"]) for event in audits] == [(2, 0), (0, 2)]
    assert audits[0].object_id == content.digest[:16]


def test_an_import_needs_the_schemas_permission(carol):
    with pytest.raises(PermissionDenied):
        importing.import_commit(AreaList(actor=carol), table("name\nNorth\n"))


def test_a_request_whose_length_is_over_the_limit_is_never_parsed(dana):
    seen = {}

    @importing.receive_upload(1000)
    def view(request):
        seen["too_large"] = request.upload_too_large
        seen["files"] = dict(request.FILES)
        from django.http import HttpResponse

        return HttpResponse(status=413 if request.upload_too_large else 200)

    request = RequestFactory().post("/", {"file": "x" * (1000 + importing.MULTIPART_ALLOWANCE + 1)})
    request.user = dana
    parsed = []
    request._load_post_and_files = lambda: parsed.append(True)  # would parse the body

    assert view(request).status_code == 413
    assert seen == {"too_large": True, "files": {}}
    assert parsed == []


def test_the_pending_upload_is_kept_encrypted_and_per_importer(dana, client_as, settings, tmp_path):
    from django.contrib.sessions.backends.db import SessionStore

    settings.DATA_DIR = tmp_path
    request = RequestFactory().get("/")
    request.session = SessionStore()
    importing.pending_save(request, "a.import", filename="a.csv", content=b"name\nNorth\n", options={"x": 1})

    assert importing.pending_load(request, "b.import") is None
    pending = importing.pending_load(request, "a.import")
    assert (pending.content, pending.options) == (b"name\nNorth\n", {"x": 1})
    stored = list((tmp_path / "imports").glob("*.upload"))
    assert len(stored) == 1 and b"North" not in stored[0].read_bytes()
    importing.pending_discard(request, "a.import")
    assert list((tmp_path / "imports").glob("*.upload")) == []
