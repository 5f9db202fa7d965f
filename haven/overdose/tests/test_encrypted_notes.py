"""Overdose report notes and substances are stored encrypted: a seized database does not hold the
words people wrote, and reports still count substances."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from haven.overdose import recording
from haven.overdose.detection import substances_reported
from haven.overdose.models import OverdoseReport

NOTES = "Seen near the bakery on Quay Lane with blue pills"


def raw_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes, substances FROM overdose_overdosereport")
        return [tuple(str(value) for value in row) for row in cursor.fetchall()]


@pytest.mark.django_db
def test_notes_and_substances_are_ciphertext_in_the_database_and_plain_in_haven(places, bob):
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    report = recording.overdose_report_record(actor=bob, occurred_at=an_hour_ago, area=places["north"],
                                              notes=NOTES, substances="Fentanyl, bromazolam")

    notes, substances = raw_rows()[0]
    assert "bakery" not in notes and "bromazolam" not in substances and "fentanyl" not in substances
    report = OverdoseReport.objects.get(pk=report.pk)
    assert report.notes == NOTES
    assert report.substances == ["fentanyl", "bromazolam"]


@pytest.mark.django_db
def test_reports_still_count_substances(places, bob):
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    for substances in ("fentanyl, xylazine", "fentanyl", ""):
        recording.overdose_report_record(actor=bob, occurred_at=an_hour_ago, area=places["north"],
                                         substances=substances)

    today = timezone.localdate()
    assert substances_reported(places["north"], today - datetime.timedelta(days=1), today) == {
        "fentanyl": 2, "xylazine": 1}


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_rows_already_there():
    executor = MigrationExecutor(connection)
    before, after = [("overdose", "0002_rate_limits_in_the_cache")], [("overdose", "0003_encrypt_notes_and_substances")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldReport = old_apps.get_model("overdose", "OverdoseReport")
    OldReport.objects.create(occurred_at=timezone.now(), kind="overdose", fatal="no", emergency_services_called="no",
                             source="staff", substances=["fentanyl", "tranq"], notes=NOTES)
    OldReport.objects.create(occurred_at=timezone.now(), kind="overdose", fatal="no", emergency_services_called="no",
                             source="staff", substances=[], notes="")
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        for notes, substances in raw_rows():
            assert "bakery" not in notes and "tranq" not in substances
        reports = list(OverdoseReport.objects.order_by("pk"))
        assert [(r.notes, r.substances) for r in reports] == [(NOTES, ["fentanyl", "tranq"]), ("", [])]

        executor = MigrationExecutor(connection)
        executor.migrate(before)  # and back: the text is decrypted again
        assert OldReport.objects.order_by("pk").first().substances == ["fentanyl", "tranq"]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
