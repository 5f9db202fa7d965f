"""Partners' CSV files: every problem named with its row, nothing half-imported, nothing imported twice."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from haven.overdose import actions
from haven.overdose.models import OverdoseReport

pytestmark = pytest.mark.django_db

GOOD = """date,time,area,fatal,naloxone_doses,ems,substances
2026-03-01,22:15,Northside,no,2,yes,fentanyl; xylazine
2026-03-02,03:40,Eastside,yes,,unknown,
2026-03-02,03:10,Eastside,yes,,unknown,
"""


def do_import(actor, content, *, skip=False, source="emergency_services"):
    return actions.overdose_report_import(actor=actor, content=content, source=source, skip_bad_rows=skip)


def problems(actor, content):
    with pytest.raises(ValidationError) as error:
        do_import(actor, content)
    assert OverdoseReport.objects.count() == 0
    return error.value.messages


def test_a_coordinator_imports_a_partners_file(places, dana):
    outcome = do_import(dana, GOOD)

    assert (outcome.created, outcome.already_imported) == (3, 0)
    first = OverdoseReport.objects.filter(area=places["north"]).get()
    assert (first.fatal, first.naloxone_doses, first.emergency_services_called) == ("no", 2, "yes")
    assert first.substances == ["fentanyl", "xylazine"]
    assert first.source == "emergency_services"
    assert first.occurred_at.hour == 22 and first.occurred_at.minute == 0


def test_importing_the_same_file_again_creates_nothing_new(places, dana):
    do_import(dana, GOOD)

    outcome = do_import(dana, GOOD)

    assert (outcome.created, outcome.already_imported) == (0, 3)
    assert OverdoseReport.objects.count() == 3


def test_a_later_export_that_repeats_old_rows_adds_only_the_new_ones(places, dana):
    do_import(dana, GOOD)

    outcome = do_import(dana, GOOD + "2026-03-05,12:00,Northside,no,1,yes,heroin\n")

    assert (outcome.created, outcome.already_imported) == (1, 3)


def test_two_identical_rows_are_two_overdoses(places, dana):
    row = "2026-03-01,22:00,Northside,no,1,yes,fentanyl\n"
    content = "date,time,area,fatal,naloxone_doses,ems,substances\n" + row + row

    assert do_import(dana, content).created == 2
    assert do_import(dana, content).created == 0


def test_missing_columns_are_named(places, dana):
    messages = problems(dana, "when,fatal\n2026-03-01,no\n")

    assert "Missing columns: date, area" in messages[0]


def test_bad_rows_are_reported_with_their_row_numbers_and_nothing_is_imported(places, dana):
    content = """date,area,fatal,naloxone_doses,ems
2026-03-01,Northside,no,1,yes
03/32/2026,Northside,no,1,yes
2026-03-02,Atlantis,no,1,yes
2026-03-02,Eastside,no,-1,yes
2026-03-02,Eastside,no,two,yes
2026-03-02,Eastside,perhaps,1,yes
"""
    messages = problems(dana, content)

    assert messages[0].startswith("Row 3, column “date”")
    assert messages[1].startswith("Row 4, column “area”") and "Atlantis" in messages[1]
    assert messages[2].startswith("Row 5, column “naloxone_doses”") and "negative" in messages[2]
    assert messages[3].startswith("Row 6, column “naloxone_doses”") and "not a whole number" in messages[3]
    assert messages[4].startswith("Row 7, column “fatal”")
    assert len(messages) == 5


def test_an_area_can_be_given_by_its_code(places, dana):
    places["north"].code = "N-01"
    places["north"].save()

    do_import(dana, "date,area\n2026-03-01,n-01\n")

    assert OverdoseReport.objects.get().area == places["north"]


def test_bad_rows_can_be_skipped_by_choice(places, dana):
    content = "date,area\n2026-03-01,Northside\n2026-03-01,Atlantis\n"

    outcome = do_import(dana, content, skip=True)

    assert (outcome.created, outcome.skipped_rows) == (1, [3])


def test_an_empty_or_binary_file_is_refused(places, dana):
    assert "empty" in problems(dana, "")[0]
    assert "not a CSV" in problems(dana, b"\x89PNG\x00\x00binary")[0]


def test_the_preview_shows_the_problems_and_the_confirm_imports_nothing_until_they_are_skipped(places, dana,
                                                                                               client_as):
    client = client_as(dana)
    content = "date,area,naloxone_doses\n2026-03-01,Northside,1\n2026-03-01,Northside,many\n"
    upload = SimpleUploadedFile("partner.csv", content.encode(), content_type="text/csv")

    preview = client.post(reverse("overdose-import-preview"), {"source": "hospital", "file": upload})

    page = preview.content.decode()
    assert "Row 3, column “naloxone_doses”" in page
    assert content not in page  # the file waits server-side, not in the page
    confirm = {"digest": preview.context["form"].initial["digest"]}
    refused = client.post(reverse("overdose-import-confirm"), confirm)
    assert refused.status_code == 400
    assert OverdoseReport.objects.count() == 0

    done = client.post(reverse("overdose-import-confirm"), {**confirm, "skip_bad_rows": "on"})

    assert done.status_code == 302
    assert OverdoseReport.objects.get().source == "hospital"


def test_staff_and_peers_cannot_import(places, bob, carol, client_as):
    for person in (bob, carol):
        assert client_as(person).get(reverse("overdose-import")).status_code == 403


def partner_file(rows: int) -> str:
    """A partner's export of `rows` overdoses, about 80 bytes a row, with a column Haven does not use."""
    lines = ["date,time,area,fatal,naloxone_doses,ems,substances,partner_notes"]
    for n in range(rows):
        lines.append(f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d},{n % 24:02d}:00,{('Northside', 'Eastside')[n % 2]},"
                     f"no,{n % 4},yes,fentanyl; xylazine,reference {n:08d} of the partner's own system, dispatch centre 4")
    return "\n".join(lines) + "\n"


def test_a_23_mb_file_previews_and_imports_end_to_end_through_the_pages(places, dana, client_as):
    # Issue 11: a 2.3 MB file previewed, then the confirmation answered a bare "Bad Request (400)"
    # because the preview carried the whole file in a form field.
    client = client_as(dana)
    content = partner_file(20_000)
    assert 2_200_000 < len(content.encode()) < 5 * 1024 * 1024
    upload = SimpleUploadedFile("partner.csv", content.encode(), content_type="text/csv")

    preview = client.post(reverse("overdose-import-preview"), {"source": "emergency_services", "file": upload})

    assert preview.status_code == 200
    assert preview.context["check"].row_count == 20_000 and not preview.context["check"].errors
    assert len(preview.content) < 100_000  # the page shows a sample, never the file
    digest = preview.context["form"].initial["digest"]
    done = client.post(reverse("overdose-import-confirm"), {"digest": digest})
    assert done.status_code == 302
    assert OverdoseReport.objects.count() == 20_000

    client.post(reverse("overdose-import-preview"), {
        "source": "emergency_services", "file": SimpleUploadedFile("again.csv", content.encode())})
    again = client.post(reverse("overdose-import-confirm"), {"digest": digest}, follow=True)

    assert OverdoseReport.objects.count() == 20_000  # the same file twice imports nothing new
    assert "20000 rows were imported before" in again.content.decode().replace(",", "")


def test_a_6_mb_file_is_refused_with_a_clear_message_before_it_is_read(places, dana, client_as):
    client = client_as(dana)
    content = partner_file(52_000).encode()
    assert 6_000_000 < len(content) < 7_000_000

    response = client.post(reverse("overdose-import-preview"), {
        "source": "hospital", "file": SimpleUploadedFile("big.csv", content, content_type="text/csv")})

    assert response.status_code == 413
    assert "The file is larger than 5 MB. Split it into smaller files." in response.content.decode()
    assert "pending_import:overdose.import" not in client.session
    assert OverdoseReport.objects.count() == 0


def test_a_file_just_over_the_limit_without_a_usable_length_is_refused_while_it_streams(places, dana, client_as):
    from haven.core import importing

    content = b"date,area\n" + b"2026-03-01,Northside\n" * (importing.MAX_UPLOAD_BYTES // 21 + 10)
    assert importing.MAX_UPLOAD_BYTES < len(content) < importing.MAX_UPLOAD_BYTES + importing.MULTIPART_ALLOWANCE

    response = client_as(dana).post(reverse("overdose-import-preview"), {
        "source": "hospital", "file": SimpleUploadedFile("big.csv", content)})

    assert response.status_code == 413
    assert "larger than 5 MB" in response.content.decode()


def test_a_file_in_an_unknown_encoding_gets_a_clear_message(places, dana, client_as):
    # 0x81 means nothing in Windows-1252 and makes no UTF-8: Haven will not guess.
    content = b"date,area,substances\n2026-03-01,Northside,fentanyl\n" + b"2026-03-01,Northside,\x81\xe9\n"

    response = client_as(dana).post(reverse("overdose-import-preview"), {
        "source": "hospital", "file": SimpleUploadedFile("odd.csv", content)})

    assert "neither UTF-8 nor Windows-1252" in response.content.decode()
    assert OverdoseReport.objects.count() == 0


def test_a_windows_1252_file_is_read_and_says_so(places, dana, client_as):
    content = "date,area,substances\n2026-03-01,Northside,cocaïne\n".encode("cp1252")

    preview = client_as(dana).post(reverse("overdose-import-preview"), {
        "source": "hospital", "file": SimpleUploadedFile("old.csv", content)})

    assert preview.context["check"].encoding == "Windows-1252"
    assert preview.context["check"].rows[0].substances == ["cocaïne"]


def test_a_partner_xlsx_file_imports(places, dana):
    import datetime
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Incident date", "Area", "Died", "Naloxone given"])
    book.active.append([datetime.datetime(2026, 3, 1, 22, 15), "Northside", "no", 2])
    out = io.BytesIO()
    book.save(out)

    outcome = actions.overdose_report_import(actor=dana, content=out.getvalue(), filename="partner.xlsx",
                                             source="hospital")

    assert outcome.created == 1
    report = OverdoseReport.objects.get()
    assert (report.naloxone_doses, report.occurred_at.hour) == (2, 22)


def test_the_import_is_audited_once_with_its_counts(places, dana):
    from haven.core.models import AuditEvent

    do_import(dana, GOOD)

    event = AuditEvent.objects.get(object_type="overdose.import")
    assert (event.detail["created"], event.detail["already_imported"], event.detail["source"]) == (
        3, 0, "emergency_services")
