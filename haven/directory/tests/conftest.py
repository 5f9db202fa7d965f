"""Fixtures for the directory tests: the published HSDS example, and a small harm reduction directory."""

import io
import json
import zipfile
from pathlib import Path

import pytest

from haven.directory import actions
from haven.directory.models import Location, Schedule, ServiceAtLocation

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def published_service_example():
    return json.loads((DATA / "service_full.json").read_text(encoding="utf-8"))


@pytest.fixture
def published_csv_example() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((DATA / "hsds_example").iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


@pytest.fixture
def drop_in_directory(dana):
    """Two services: a walk-in drop-in (no ID, free, open every day) and a residential programme."""
    organization = actions.organization_create(actor=dana, name="Harbour Health", description="Community health")
    drop_in = actions.service_save(actor=dana, organization=organization, values={
        "name": "Harbour drop-in", "description": "Sterile supplies, naloxone, a place to rest.", "status": "active"},
        low_barrier=["no_id_needed", "walk_in", "free", "no_sobriety_required"], category="harm_reduction",
        languages=["en", "es"])
    residential = actions.service_save(actor=dana, organization=organization, values={
        "name": "Lakeside residential", "description": "A 28-day residential programme.", "status": "active"},
        low_barrier=["accepts_moud"], category="residential_treatment", languages=["en"])
    location = Location.objects.create(organization=organization, name="Harbour Street")
    at_location = ServiceAtLocation.objects.create(service=drop_in, location=location)
    Schedule.objects.create(service_at_location=at_location, freq="WEEKLY", byday="MO,TU,WE,TH,FR,SA,SU",
                            opens_at="00:00", closes_at="24:00")
    return {"organization": organization, "drop_in": drop_in, "residential": residential}
