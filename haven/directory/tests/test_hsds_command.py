"""`haven manage hsds import|export FILE`."""

import json

import pytest
from django.core.management import CommandError, call_command

from haven.directory.models import Service
from haven.directory.tests.conftest import DATA


def test_import_then_export_from_the_command_line(db, tmp_path, capsys):
    call_command("hsds", "import", str(DATA / "service_full.json"))
    assert "Imported" in capsys.readouterr().out
    target = tmp_path / "directory.json"
    call_command("hsds", "export", str(target))
    assert json.loads(target.read_text())["services"][0]["name"] == Service.objects.get().name
    zipped = tmp_path / "directory.zip"
    call_command("hsds", "export", str(zipped))
    assert zipped.read_bytes()[:2] == b"PK"


def test_a_broken_package_prints_its_problems_and_imports_nothing(db, tmp_path, published_csv_example, capsys):
    package = tmp_path / "broken.zip"
    package.write_bytes(published_csv_example)
    with pytest.raises(CommandError, match="Nothing imported") as failed:
        call_command("hsds", "import", str(package))
    assert failed.value.returncode == 2
    assert "which is not in the package" in capsys.readouterr().err
    assert not Service.objects.exists()


def test_a_missing_file_is_bad_input(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read") as failed:
        call_command("hsds", "import", str(tmp_path / "nothing.json"))
    assert failed.value.returncode == 2
