"""Alert drafts are stored encrypted: the migration encrypts the rows already there, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from haven.alerts.models import Alert

BEFORE = [("alerts", "0001_initial")]
AFTER = [("alerts", "0002_encrypt_alert_texts")]


def raw_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, body, substances, context, dismiss_reason FROM alerts_alert")
        return [" ".join(str(value) for value in row) for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_alerts_already_there():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    OldAlert = executor.loader.project_state(BEFORE).apps.get_model("alerts", "Alert")
    OldAlert.objects.create(title="Harbour batch " + "x" * 186, body="Said at the harbour", source_key="a",
                            substances=["fentanyl", "bromazolam"], context={"substances_reported": {"bromazolam": 2}},
                            dismiss_reason="harbour again")
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        assert all("arbour" not in row and "bromazolam" not in row for row in raw_rows())
        alert = Alert.objects.get()
        assert alert.title == "Harbour batch " + "x" * 186  # 200 characters: the column was widened first
        assert (alert.body, alert.dismiss_reason) == ("Said at the harbour", "harbour again")
        assert alert.substances == ["fentanyl", "bromazolam"]
        assert alert.context == {"substances_reported": {"bromazolam": 2}}

        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = OldAlert.objects.get()
        assert (old.substances, old.context["substances_reported"]) == (["fentanyl", "bromazolam"], {"bromazolam": 2})
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
