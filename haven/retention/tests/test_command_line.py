"""`haven retention`: show, set, hold, release and run, with clear refusals and exit codes."""

import pytest

from haven import cli
from haven.retention.models import LegalHold
from haven.retention.queries import days_for

pytestmark = pytest.mark.django_db


def test_show_lists_every_kind(capsys):
    assert cli.main(["retention", "show"]) == 0
    out = capsys.readouterr().out
    assert "encounters.visit: 92 days (default); at least 2" in out and "core.backup" in out


def test_set_changes_a_period_and_refuses_one_too_short(capsys):
    assert cli.main(["retention", "set", "encounters.visit", "120"]) == 0
    assert days_for("encounters.visit") == 120
    assert cli.main(["retention", "set", "participants.participant", "100"]) == 1
    err = capsys.readouterr().err
    assert "Not changed" in err and "at least 366 days" in err
    assert cli.main(["retention", "set", "encounters.visit", "-4"]) == 1
    assert cli.main(["retention", "set", "encounters.visit", "lots"]) == 1
    assert days_for("encounters.visit") == 120


def test_hold_and_release(world, capsys):
    assert cli.main(["retention", "hold", "overdose.report", str(world.overdose.pk), "--reason", "Subpoena"]) == 0
    hold = LegalHold.objects.get()
    assert cli.main(["retention", "release", str(hold.pk)]) == 0
    assert cli.main(["retention", "release", str(hold.pk)]) == 1
    assert cli.main(["retention", "release", "9999"]) == 1
    assert cli.main(["retention", "hold", "overdose.report", "9999", "--reason", "Subpoena"]) == 1
    assert "nothing to hold" in capsys.readouterr().err


def test_hold_without_a_reason_is_a_usage_error():
    assert cli.main(["retention", "hold", "overdose.report", "1"]) == 2


def test_run_reports_each_kind(world, capsys):
    assert cli.main(["retention", "run"]) == 0
    assert "encounters.visit:" in capsys.readouterr().out
