"""Importing a legacy encounter log from CSV: preview, row-by-row errors, all or nothing, no repeats."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from haven.encounters.models import Encounter, EncounterSupply
from haven.participants.actions import participant_enroll
from haven.participants.models import Participant

UPLOAD = "/encounters/import/"
PREVIEW = "/encounters/import/preview/"
CONFIRM = "/encounters/import/confirm/"

CLEAN = (
    "date,time,site,service_mode,participant_code,supplies,syringes_returned,secondary_people\n"
    "2024-03-01,10:15,North drop-in,fixed,,Naloxone nasal spray 4 mg (2-dose kit):2; Alcohol pads:10,20,0\n"
    "2024-03-01,11:00,North drop-in,fixed,,Cooker:5,0,2\n"
    "2024-03-02,,East van,mobile,,,100,0\n"
)


def upload(client, content, name="log.csv", **options):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content), **options})


def preview(client):
    response = client.get(PREVIEW)
    assert response.status_code == 200
    return response


def confirm(client, **options):
    digest = preview(client).context["check"].digest
    return client.post(CONFIRM, {"digest": digest, **options})


@pytest.fixture
def dana_client(dana, client_as):
    return client_as(dana)


def imported():
    return Encounter.objects.filter(source="import")


def test_a_clean_csv_imports_every_row(dana_client):
    assert upload(dana_client, CLEAN)["Location"] == PREVIEW
    page = preview(dana_client)
    assert page.context["check"].errors == []
    assert len(page.context["check"].rows) == 3

    response = confirm(dana_client)

    assert response.status_code == 302
    assert imported().count() == 3
    first = imported().get(occurred_at__time=datetime.time(10, 15))
    assert first.site.name == "North drop-in"
    assert first.syringes_returned == 20
    assert {(line.item.name, line.quantity) for line in EncounterSupply.objects.filter(encounter=first)} == {
        ("Naloxone nasal spray 4 mg (2-dose kit)", 2), ("Alcohol pad", 10)}
    visit_without_time = imported().get(site__name="East van")
    assert timezone.localtime(visit_without_time.occurred_at).time() == datetime.time(12, 0)
    assert visit_without_time.service_mode == "mobile"


def test_the_preview_writes_nothing(dana_client):
    upload(dana_client, CLEAN)
    preview(dana_client)

    assert imported().count() == 0


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_row(dana_client):
    content = CLEAN + "2024-03-03,,North drop-in,fixed,,Cooker:-4,0,0\n"
    upload(dana_client, content)
    check = preview(dana_client).context["check"]
    assert [(error.row, error.column) for error in check.errors] == [(5, "supplies")]
    assert "negative" in check.errors[0].message

    response = confirm(dana_client)

    assert response["Location"] == PREVIEW
    assert imported().count() == 0
    messages = [str(message) for message in response.wsgi_request._messages]
    assert "nothing was imported" in messages[0]


def test_skipping_the_bad_rows_by_choice_imports_the_others(dana_client):
    content = CLEAN + "2024-03-03,,Nowhere,fixed,,,0,0\n2024-03-04,,North drop-in,fixed,,,abc,0\n"
    upload(dana_client, content)
    assert preview(dana_client).context["check"].bad_rows == [5, 6]

    confirm(dana_client, skip_bad_rows="on")

    assert imported().count() == 3


def test_importing_the_same_file_again_creates_nothing(dana_client):
    upload(dana_client, CLEAN)
    confirm(dana_client)
    upload(dana_client, CLEAN)
    assert preview(dana_client).context["check"].already_imported == 3

    confirm(dana_client)

    assert imported().count() == 3
    assert len({encounter.client_id for encounter in imported()}) == 3


@pytest.mark.parametrize("persona", ["carol", "bob"])
def test_peers_and_staff_cannot_import(persona, everyone, client_as):
    client = client_as(everyone[persona])

    assert client.get(UPLOAD).status_code == 403
    assert upload(client, CLEAN).status_code == 403
    assert client.post(CONFIRM, {"digest": "x"}).status_code == 403
    assert imported().count() == 0


def test_unknown_supply_names_are_reported(dana_client):
    content = ("date,site,supplies,Tin foil\n"
               "2024-03-01,North drop-in,Unicorn dust:3,1\n")
    upload(dana_client, content)
    check = preview(dana_client).context["check"]

    assert [(error.row, error.column) for error in check.errors] == [(1, "Tin foil")]

    upload(dana_client, "date,site,supplies\n2024-03-01,North drop-in,Unicorn dust:3; Cooker:1\n")
    check = preview(dana_client).context["check"]
    assert [(error.row, error.column) for error in check.errors] == [(2, "supplies")]
    assert "Unicorn dust" in check.errors[0].message


def test_a_supply_item_can_have_its_own_column(dana_client):
    upload(dana_client, "date,site,Cooker,Naloxone kit\n2024-03-01,North drop-in,3,1\n")
    confirm(dana_client)

    encounter = imported().get()
    assert {(line.item.name, line.quantity, line.kit_id is not None) for line in encounter.supplies.all()} == {
        ("Cooker", 3, False), ("Naloxone nasal spray 4 mg (2-dose kit)", 1, True)}


def test_future_dates_are_refused(dana_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    upload(dana_client, f"date,site\n{tomorrow.isoformat()},North drop-in\n2024-01-01,North drop-in\n")
    check = preview(dana_client).context["check"]

    assert [(error.row, error.column) for error in check.errors] == [(2, "date")]
    assert "future" in check.errors[0].message


def test_unreadable_dates_and_headers_synonyms(dana_client):
    upload(dana_client, "Visit date;Location;Returned\n31/03/2024;north drop-in;5\n2024-03-30;North Drop-In;7\n")
    check = preview(dana_client).context["check"]

    assert [(error.row, error.column) for error in check.errors] == [(2, "Visit date")]
    assert check.rows[0].syringes_returned == 7


def test_formula_cells_are_text_and_never_computed(dana_client):
    upload(dana_client, 'date,site,syringes_returned\n2024-03-01,North drop-in,"=1+1"\n')
    check = preview(dana_client).context["check"]

    assert [(error.row, error.column) for error in check.errors] == [(2, "syringes_returned")]
    assert "Formulas are not calculated" in check.errors[0].message


def test_known_codes_are_linked_and_unknown_codes_are_errors_unless_enrolled(dana, dana_client, places):
    known = participant_enroll(actor=dana, code="MA0385B", site=places["fixed"])
    content = ("date,site,participant_code\n"
               "2024-03-01,North drop-in,ma 03 85 b\n"
               "2024-03-02,North drop-in,JO1190P\n"
               "2024-03-03,North drop-in,JO1190P\n")
    upload(dana_client, content)
    page = preview(dana_client)
    check = page.context["check"]
    assert [(error.row, error.column) for error in check.errors] == [(3, "participant_code"),
                                                                    (4, "participant_code")]
    assert b"JO1190P" not in page.content and b"MA0385B" not in page.content

    upload(dana_client, content, enrol_unknown="on")
    page = preview(dana_client)
    assert page.context["check"].errors == []
    assert page.context["check"].info["codes_to_enrol"] == 1
    assert b"JO1190P" not in page.content
    confirm(dana_client)

    assert imported().filter(participant=known).count() == 1
    assert Participant.objects.count() == 2
    newcomer = Participant.objects.exclude(pk=known.pk).get()
    assert imported().filter(participant=newcomer).count() == 2


def test_a_code_that_does_not_fit_the_recipe_is_an_error_even_when_enrolling(dana_client):
    upload(dana_client, "date,site,code\n2024-03-01,North drop-in,XYZ\n", enrol_unknown="on")
    check = preview(dana_client).context["check"]

    assert [(error.row, error.column) for error in check.errors] == [(2, "code")]


def test_the_upload_waits_encrypted_and_goes_after_the_import(dana_client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    upload(dana_client, "date,site,code\n2024-03-01,North drop-in,\n")
    folder = tmp_path / "imports"
    stored = list(folder.glob("*.upload"))
    assert len(stored) == 1
    assert b"North drop-in" not in stored[0].read_bytes()
    assert oct(folder.stat().st_mode & 0o777) == "0o700"

    confirm(dana_client)

    assert list(folder.glob("*.upload")) == []
    assert dana_client.get(PREVIEW)["Location"] == UPLOAD


def test_an_expired_upload_is_gone(dana_client, monkeypatch):
    from haven.core import importing

    upload(dana_client, CLEAN)
    monkeypatch.setattr(importing, "PENDING_MINUTES", -1)

    assert dana_client.get(PREVIEW)["Location"] == UPLOAD
    assert dana_client.post(CONFIRM, {"digest": "x"})["Location"] == UPLOAD
    assert imported().count() == 0


def test_the_pages_render(dana_client):
    page = dana_client.get(UPLOAD)
    assert page.status_code == 200
    assert b"participant_code" in page.content
    assert dana_client.get(CONFIRM)["Location"] == PREVIEW
